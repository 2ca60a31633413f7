import { expect } from "chai";
import { MockCloud } from "../../check/mock-cloud";
import { runUnderMocks } from "../../check/run-program";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceConfig, StackConfig } from "../../components/config/types";
import { E2eOAuthSimulationKey } from "../../components/e2e-oauth-key";
import { defineNetraStack } from "../../components/netra-stack";
import { NETRA_RESOURCE_TYPES, promiseOf, resourceNamed, SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../support/mock-stack";

/** Counts what reaches the cloud, to prove a refused component created nothing. */
class CountingCloud extends MockCloud {
    created: string[] = [];
    newResource(args: Parameters<MockCloud["newResource"]>[0]) {
        this.created.push(args.type);
        return super.newResource(args);
    }
}

async function runKey(
    args: Partial<ConstructorParameters<typeof E2eOAuthSimulationKey>[1]> = {},
    preview = false,
    mocks = new CountingCloud({ preview, strict: true, knownTypes: NETRA_RESOURCE_TYPES }),
) {
    let key: E2eOAuthSimulationKey | undefined;
    const run = await runUnderMocks(
        async () => {
            key = new E2eOAuthSimulationKey("e2e", { gcpProject: "netra-staging", environment: "staging", ...args });
            return { secretName: key.secretName, versionName: key.versionName };
        },
        { project: "netra-platform", stack: "staging", preview, config: {}, mocks },
    );
    return { ...run, key: key as E2eOAuthSimulationKey };
}

describe("E2E OAuth simulation key component", () => {
    it("draws 32 random bytes (256 bits), rotated by the rotation keeper", async () => {
        const { resources } = await runKey({ rotation: "2026-11" });
        expect(resourceNamed(resources, "random:index/randomBytes:RandomBytes", "e2e-value").inputs).to.deep.equal({
            length: 32,
            keepers: { rotation: "2026-11" },
        });
    });

    it("creates secret E2E_OAUTH_SIMULATION_KEY with automatic replication and labels", async () => {
        const { resources } = await runKey({ labels: { team: "platform" } });
        expect(resourceNamed(resources, "gcp:secretmanager/secret:Secret", "e2e-secret").inputs).to.deep.equal({
            project: "netra-staging",
            secretId: "E2E_OAUTH_SIMULATION_KEY",
            replication: { auto: {} },
            labels: { team: "platform", purpose: "e2e-oauth-simulation", environment: "staging", "managed-by": "pulumi" },
        });
    });

    it("feeds the random hex into the secret through a version that is disabled, not deleted, on rotation", async () => {
        const { resources } = await runKey();
        const version = resourceNamed(resources, "gcp:secretmanager/secretVersion:SecretVersion", "e2e-version");
        const random = resourceNamed(resources, "random:index/randomBytes:RandomBytes", "e2e-value");
        expect(version.inputs.secret).to.equal("projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY");
        expect(version.inputs.deletionPolicy).to.equal("DISABLE");
        const data = version.inputs.secretData as Record<string, unknown>;
        expect(data[SECRET_SIG_KEY]).to.equal(SECRET_SIG);
        expect(data.value).to.match(/^[0-9a-f]{64}$/);
        expect(version.propertyDependencies.secretData).to.deep.equal([random.urn]);
    });

    it("grants each configured reader secretAccessor on this secret only", async () => {
        const reader = "serviceAccount:github-e2e-runner@netra-staging.iam.gserviceaccount.com";
        const { resources } = await runKey({ readers: [reader] });
        expect(
            resourceNamed(
                resources,
                "gcp:secretmanager/secretIamMember:SecretIamMember",
                "e2e-reader-serviceaccount-github-e2e-runner-netra-staging-iam-gserviceaccount-com",
            ).inputs,
        ).to.deep.equal({
            project: "netra-staging",
            secretId: "E2E_OAUTH_SIMULATION_KEY",
            role: "roles/secretmanager.secretAccessor",
            member: reader,
        });
    });

    it("outputs the secret's and version's names, never the value", async () => {
        const { outputs, resources } = await runKey();
        const data = resourceNamed(resources, "gcp:secretmanager/secretVersion:SecretVersion", "e2e-version").inputs.secretData as {
            value: string;
        };
        expect(outputs).to.deep.equal({
            secretName: "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY",
            versionName: "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY/versions/1",
        });
        expect(JSON.stringify(outputs)).not.to.include(data.value);
    });

    it("exposes the version number so consumers roll out a new revision on rotation", async () => {
        const { key } = await runKey();
        expect(await promiseOf(key.versionNumber)).to.equal("1");
    });

    it("in a preview, leaves the value unknown and never generates it in the program", async () => {
        const { resources } = await runKey({}, true);
        expect(resourceNamed(resources, "gcp:secretmanager/secretVersion:SecretVersion", "e2e-version").inputs).to.deep.equal({
            secret: UNKNOWN,
            secretData: UNKNOWN,
            deletionPolicy: "DISABLE",
        });
    });

    it("adopts a script-created secret with its import id when asked", async () => {
        const { resources } = await runKey({ adoptExisting: true });
        expect(resourceNamed(resources, "gcp:secretmanager/secret:Secret", "e2e-secret").options.importId).to.equal(
            "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY",
        );
    });

    it("starts at rotation 1 and grants no reader outside Cloud Run unless configured", async () => {
        const { resources } = await runKey();
        expect(resourceNamed(resources, "random:index/randomBytes:RandomBytes", "e2e-value").inputs).to.deep.equal({
            length: 32,
            keepers: { rotation: "1" },
        });
        expect(resources.filter((resource) => resource.type === "gcp:secretmanager/secretIamMember:SecretIamMember")).to.deep.equal([]);
        expect(resourceNamed(resources, "gcp:secretmanager/secret:Secret", "e2e-secret").options.importId).to.equal("");
    });

    it("exposes the secret id for consumers' secretKeyRef", async () => {
        const { key } = await runKey();
        expect(await promiseOf(key.secretId)).to.equal("E2E_OAUTH_SIMULATION_KEY");
    });

    it("registers the secret's and version's names as its outputs, never the value", async () => {
        const registered = new Map<string, Record<string, unknown>>();
        let urn = "";
        await runUnderMocks(
            async () => {
                type OutputsRequest = { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined };
                const monitor = pulumi.runtime.getMonitor() as unknown as {
                    registerResourceOutputs(request: OutputsRequest, callback: (...args: unknown[]) => void): void;
                };
                const original = monitor.registerResourceOutputs.bind(monitor);
                monitor.registerResourceOutputs = (request, callback) => {
                    registered.set(request.getUrn(), request.getOutputs()?.toJavaScript() ?? {});
                    original(request, callback);
                };
                const key = new E2eOAuthSimulationKey("e2e", { gcpProject: "netra-staging", environment: "staging" });
                key.urn.apply((value) => (urn = value));
                return {};
            },
            {
                project: "netra-platform",
                stack: "staging",
                preview: false,
                config: {},
                mocks: new MockCloud({ strict: true, knownTypes: NETRA_RESOURCE_TYPES }),
            },
        );
        expect(registered.get(urn)).to.deep.equal({
            secretName: "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY",
            versionName: "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY/versions/1",
        });
    });

    it("refuses to exist on a production stack, creating nothing", async () => {
        const mocks = new CountingCloud({ strict: true, knownTypes: NETRA_RESOURCE_TYPES });
        let message = "";
        try {
            await runKey({ environment: "production" }, false, mocks);
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).to.equal("The E2E OAuth simulation key bypasses OAuth and may exist only on staging, not on a production stack.");
        expect(mocks.created.filter((type) => type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });
});

/** A service as the stack config hands it to the components, with every default filled in. */
function service(key: string): ServiceConfig {
    return {
        key,
        name: `netra-${key}`,
        image: `gcr.io/netra-test/${key}:1`,
        port: 8080,
        cpu: "1",
        memory: "512Mi",
        minInstances: 0,
        maxInstances: 10,
        concurrency: 80,
        requestTimeoutSeconds: 300,
        cpuAlwaysAllocated: false,
        startupCpuBoost: false,
        ingress: "all",
        allowUnauthenticated: false,
        nextPublicEnv: false,
        serviceAccountId: `netra-${key}-run`,
        vpcConnector: undefined,
        cloudSqlInstances: [],
        env: {},
        secrets: {},
    };
}

function stackConfig(overrides: Partial<StackConfig> = {}): StackConfig {
    return {
        source: { file: "Pulumi.staging.yaml", namespace: "netra-platform", stack: "staging" },
        gcpProject: "netra-staging",
        region: "us-central1",
        environment: "staging",
        domain: "staging.example.com",
        adoptExisting: false,
        deletionProtection: false,
        labels: { team: "platform" },
        services: [service("auth"), service("backend")],
        e2eKey: { rotation: "7", consumers: ["auth"], readers: ["group:e2e@example.com"], adoptExisting: true },
        ...overrides,
    };
}

async function runStack(config: StackConfig) {
    return runUnderMocks(async () => ({ ...defineNetraStack(config).outputs }), {
        project: "netra-platform",
        stack: "staging",
        preview: false,
        config: {},
        mocks: new MockCloud({ strict: true, knownTypes: NETRA_RESOURCE_TYPES }),
    });
}

type Env = { name: string; valueSource?: unknown };
function envNames(resources: Awaited<ReturnType<typeof runStack>>["resources"], key: string): string[] {
    const service = resourceNamed(resources, "gcp:cloudrunv2/service:Service", `${key}-service`);
    return (service.inputs.template as { containers: { envs: Env[] }[] }).containers[0].envs.map((env) => env.name);
}

describe("E2E key in the stack", () => {
    it("passes the stack's rotation, readers, labels and adoption to the key, and mounts it on its consumers only", async () => {
        const { resources } = await runStack(stackConfig());
        expect(
            resourceNamed(resources, "random:index/randomBytes:RandomBytes", "e2e-oauth-simulation-key-value").inputs.keepers,
        ).to.deep.equal({
            rotation: "7",
        });
        const secret = resourceNamed(resources, "gcp:secretmanager/secret:Secret", "e2e-oauth-simulation-key-secret");
        expect(secret.inputs.labels).to.deep.equal({
            team: "platform",
            purpose: "e2e-oauth-simulation",
            environment: "staging",
            "managed-by": "pulumi",
        });
        expect(secret.options.importId).to.equal("projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY");
        expect(
            resourceNamed(
                resources,
                "gcp:secretmanager/secretIamMember:SecretIamMember",
                "e2e-oauth-simulation-key-reader-group-e2e-example-com",
            ).inputs.member,
        ).to.equal("group:e2e@example.com");
        expect(envNames(resources, "auth")).to.include("E2E_OAUTH_SIMULATION_KEY");
        expect(envNames(resources, "backend")).not.to.include("E2E_OAUTH_SIMULATION_KEY");
        expect(
            resourceNamed(resources, "gcp:secretmanager/secretIamMember:SecretIamMember", "auth-access-e2e-oauth-simulation-key").inputs
                .secretId,
        ).to.equal("E2E_OAUTH_SIMULATION_KEY");
    });

    it("declares no key, mounts it nowhere and exports no key names when the stack does not enable it", async () => {
        const { resources, outputs } = await runStack(stackConfig({ e2eKey: undefined }));
        expect(
            resources.filter((resource) => resource.name.startsWith("e2e-oauth-simulation-key")).map((resource) => resource.name),
        ).to.deep.equal([]);
        expect(resources.filter((resource) => resource.name.endsWith("-access-e2e-oauth-simulation-key"))).to.deep.equal([]);
        expect(envNames(resources, "auth")).not.to.include("E2E_OAUTH_SIMULATION_KEY");
        expect(outputs).to.have.property("e2eOAuthSimulationKey", undefined);
    });

    it("passes the stack's deletion protection and adoption to every service", async () => {
        const { resources } = await runStack(stackConfig({ deletionProtection: true, adoptExisting: true, e2eKey: undefined }));
        for (const key of ["auth", "backend"]) {
            const declared = resourceNamed(resources, "gcp:cloudrunv2/service:Service", `${key}-service`);
            expect([declared.inputs.deletionProtection, declared.options.importId], key).to.deep.equal([
                true,
                `projects/netra-staging/locations/us-central1/services/netra-${key}`,
            ]);
        }
    });

    it("exports each service's URL and account by key, and the public URLs derived from the domain", async () => {
        const { outputs } = await runStack(stackConfig({ e2eKey: undefined }));
        expect(outputs).to.deep.include({
            environment: "staging",
            publicUrls: {
                frontend: "https://staging.example.com",
                api: "https://api.staging.example.com",
                websocket: "wss://api.staging.example.com",
                auth: "https://auth.staging.example.com",
            },
            serviceAccountEmails: {
                auth: "netra-auth-run@netra-staging.iam.gserviceaccount.com",
                backend: "netra-backend-run@netra-staging.iam.gserviceaccount.com",
            },
        });
        const urls = (outputs as { serviceUrls: Record<string, string> }).serviceUrls;
        expect(Object.keys(urls)).to.deep.equal(["auth", "backend"]);
        expect(urls.auth).to.match(/^https:\/\/netra-auth-\d{10}\.a\.run\.app$/);
    });
});
