import { expect } from "chai";
import * as fc from "fast-check";
import { MockCloud } from "../../check/mock-cloud";
import { runUnderMocks, type RecordedResource } from "../../check/run-program";
import { NetraCloudRunService } from "../../components/cloud-run-service";
import { SERVICE_DEFAULTS } from "../../components/config/parse-stack-config";
import type { ServiceConfig } from "../../components/config/types";
import { NETRA_RESOURCE_TYPES, promiseOf, resourceNamed, runNetraStack, SECRET_SIG_KEY } from "../support/mock-stack";
import { stagingStackFile } from "../support/staging-fixture";

const SERVICE = "gcp:cloudrunv2/service:Service";
const GRANT = "gcp:secretmanager/secretIamMember:SecretIamMember";
const ACCOUNT = "gcp:serviceaccount/account:Account";

interface EnvEntry {
    name: string;
    value?: string;
    valueSource?: { secretKeyRef: { secret: string; version: string } };
}
interface Container {
    envs: EnvEntry[];
    image: string;
    ports: { containerPort: number };
    resources: unknown;
    volumeMounts?: unknown;
}

function containerOf(service: RecordedResource): Container {
    const template = service.inputs.template as { containers: Container[] };
    expect(template.containers).to.have.length(1);
    return template.containers[0];
}

function envOf(service: RecordedResource): Record<string, EnvEntry> {
    return Object.fromEntries(containerOf(service).envs.map((entry) => [entry.name, entry]));
}

const minimalService: ServiceConfig = {
    key: "api",
    name: "netra-api",
    image: "gcr.io/netra-staging/netra-api@sha256:" + "0".repeat(63) + "1",
    port: 8080,
    ...SERVICE_DEFAULTS,
    serviceAccountId: "netra-api-run",
    vpcConnector: undefined,
    cloudSqlInstances: [],
    env: { LOG_LEVEL: "info" },
    secrets: { DATABASE_PASSWORD: { secret: "db-password", version: "latest" } },
};

async function runComponent(service: ServiceConfig, extra: Partial<ConstructorParameters<typeof NetraCloudRunService>[1]> = {}) {
    const mocks = new MockCloud({ strict: true, knownTypes: NETRA_RESOURCE_TYPES });
    let component: NetraCloudRunService | undefined;
    const run = await runUnderMocks(
        async () => {
            component = new NetraCloudRunService("api", {
                service,
                environment: "test",
                gcpProject: "netra-test",
                region: "europe-west1",
                domain: "test.example.com",
                ...extra,
            });
            return {};
        },
        { project: "netra-platform", stack: "test", preview: false, config: {}, mocks },
    );
    return { ...run, component: component as NetraCloudRunService };
}

describe("Cloud Run service component", () => {
    it("sets ENVIRONMENT from the stack as the first variable, and the derived platform variables", async () => {
        const { resources } = await runComponent(minimalService);
        const envs = containerOf(resourceNamed(resources, SERVICE, "api-service")).envs;
        expect(envs.slice(0, 5)).to.deep.equal([
            { name: "ENVIRONMENT", value: "test" },
            { name: "GCP_PROJECT_ID", value: "netra-test" },
            { name: "BACKEND_URL", value: "https://api.test.example.com" },
            { name: "AUTH_SERVICE_URL", value: "https://auth.test.example.com" },
            { name: "FRONTEND_URL", value: "https://test.example.com" },
        ]);
        expect(envs.slice(5)).to.deep.equal([
            { name: "LOG_LEVEL", value: "info" },
            { name: "DATABASE_PASSWORD", valueSource: { secretKeyRef: { secret: "db-password", version: "latest" } } },
        ]);
    });

    it("refuses two secrets whose grants would share a name rather than dropping one", async () => {
        const clash: ServiceConfig = {
            ...minimalService,
            secrets: { A: { secret: "db-password", version: "latest" }, B: { secret: "DB_PASSWORD", version: "latest" } },
        };
        let message = "";
        try {
            await runComponent(clash);
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).to.equal('Service `api` references two secrets whose grants would both be named "api-access-db-password".');
    });

    it("refuses a service config that tries to set ENVIRONMENT itself", async () => {
        const rogue: ServiceConfig = { ...minimalService, env: { ENVIRONMENT: "development" } };
        let message = "";
        try {
            await runComponent(rogue);
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).to.equal("Service `api` sets ENVIRONMENT, which the platform owns; remove them from its env and secrets.");
    });

    it("declares a gen2 service with the configured scaling, resources, timeout and ingress", async () => {
        const { resources } = await runComponent(minimalService, { deletionProtection: false });
        const service = resourceNamed(resources, SERVICE, "api-service");
        const { containers, ...template } = service.inputs.template as Record<string, unknown> & { containers: unknown[] };
        expect(containers).to.have.length(1);
        expect(template).to.deep.equal({
            labels: { environment: "test", "managed-by": "pulumi", service: "api" },
            serviceAccount: "netra-api-run@netra-test.iam.gserviceaccount.com",
            executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
            timeout: "300s",
            maxInstanceRequestConcurrency: 80,
            scaling: { minInstanceCount: 0, maxInstanceCount: 10 },
        });
        expect(containerOf(service).resources).to.deep.equal({
            limits: { cpu: "1", memory: "512Mi" },
            cpuIdle: true,
            startupCpuBoost: false,
        });
        expect(service.inputs.ingress).to.equal("INGRESS_TRAFFIC_ALL");
        expect(service.inputs.deletionProtection).to.equal(false);
        expect(service.inputs.name).to.equal("netra-api");
        expect(service.inputs.location).to.equal("europe-west1");
        expect(service.options.importId).to.equal("");
    });

    it("runs as its own account and grants it secretAccessor on exactly the secrets it references", async () => {
        const { resources } = await runComponent(minimalService);
        expect(resourceNamed(resources, ACCOUNT, "api-sa").inputs).to.deep.include({ accountId: "netra-api-run", project: "netra-test" });
        const grants = resources.filter((resource) => resource.type === GRANT);
        expect(grants.map((grant) => grant.inputs)).to.deep.equal([
            {
                project: "netra-test",
                secretId: "db-password",
                role: "roles/secretmanager.secretAccessor",
                member: "serviceAccount:netra-api-run@netra-test.iam.gserviceaccount.com",
            },
        ]);
        expect(resources.filter((resource) => resource.type.startsWith("gcp:projects/"))).to.deep.equal([]);
    });

    it("makes the service wait for its secret grants", async () => {
        const { resources } = await runComponent(minimalService);
        const grantUrns = resources.filter((resource) => resource.type === GRANT).map((grant) => grant.urn);
        expect(resourceNamed(resources, SERVICE, "api-service").dependencies).to.include.members(grantUrns);
    });

    it("allows unauthenticated invocation only when config says so", async () => {
        const closed = await runComponent(minimalService);
        expect(closed.resources.filter((resource) => resource.type === "gcp:cloudrunv2/serviceIamMember:ServiceIamMember")).to.deep.equal(
            [],
        );
        const open = await runComponent({ ...minimalService, allowUnauthenticated: true });
        expect(
            resourceNamed(open.resources, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "api-public-invoker").inputs,
        ).to.deep.equal({
            project: "netra-test",
            location: "europe-west1",
            name: "netra-api",
            role: "roles/run.invoker",
            member: "allUsers",
        });
    });

    it("adopts the script-created service with its Cloud Run import id when asked", async () => {
        const { resources } = await runComponent(minimalService, { adoptExisting: true });
        expect(resourceNamed(resources, SERVICE, "api-service").options.importId).to.equal(
            "projects/netra-test/locations/europe-west1/services/netra-api",
        );
    });

    it("exposes the run.app URL and account as outputs", async () => {
        const { component } = await runComponent(minimalService);
        expect(await promiseOf(component.serviceAccount.email)).to.equal("netra-api-run@netra-test.iam.gserviceaccount.com");
        expect(await promiseOf(component.uri)).to.match(/^https:\/\/netra-api-\d{10}\.a\.run\.app$/);
    });
});

/** A property path as the engine parses it (sdk/go/common/resource/properties_path.go): names, "quoted keys", [indexes], [*]. */
function parsePropertyPath(text: string): (string | number)[] {
    const elements: (string | number)[] = [];
    const pattern = /\.?(?:\["((?:\\"|[^"])*)"\]|\[(\*|\d+)\]|([A-Za-z_$][A-Za-z0-9_$]*))/y;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        elements.push(
            match[1] !== undefined
                ? match[1].replace(/\\"/g, '"')
                : match[2] !== undefined
                  ? match[2] === "*"
                      ? "*"
                      : Number(match[2])
                  : match[3],
        );
        if (pattern.lastIndex === text.length) {
            return elements;
        }
    }
    throw new Error(`not a property path: ${text}`);
}

/** The engine's PropertyPath.Contains: `ignored` covers `changed` when it is a prefix of it ("*" matches any step). */
function covers(ignored: readonly (string | number)[], changed: readonly (string | number)[]): boolean {
    return changed.length >= ignored.length && ignored.every((step, index) => step === "*" || step === changed[index]);
}

describe("Cloud Run service component: fields deploy tools write", () => {
    let ignoreChanges: string[];
    let inputs: Record<string, unknown>;
    before(async () => {
        const service = resourceNamed((await runComponent(minimalService)).resources, SERVICE, "api-service");
        ignoreChanges = service.options.ignoreChanges;
        inputs = service.inputs;
    });

    it("ignores exactly client, clientVersion and gcloud's user-image annotation on the revision template", () => {
        expect(ignoreChanges).to.deep.equal(["client", "clientVersion", 'template.annotations["client.knative.dev/user-image"]']);
        expect(ignoreChanges.map(parsePropertyPath)).to.deep.equal([
            ["client"],
            ["clientVersion"],
            ["template", "annotations", "client.knative.dev/user-image"],
        ]);
    });

    it("sets none of the ignored fields itself, so ignoring them hides nothing the stack file decides", () => {
        for (const ignored of ignoreChanges.map(parsePropertyPath)) {
            let value: unknown = inputs;
            for (const step of ignored) {
                value = typeof value === "object" && value !== null ? (value as Record<string | number, unknown>)[step] : undefined;
            }
            expect(value, ignored.join(".")).to.equal(undefined);
        }
    });

    it("sets on every staging service the fields the API would otherwise default and diff: both limits, both scaling counts", async () => {
        const services = (await runNetraStack(stagingStackFile().config)).resources.filter((resource) => resource.type === SERVICE);
        expect(services).to.have.length.greaterThan(0);
        for (const service of services) {
            const template = service.inputs.template as {
                scaling: Record<string, unknown>;
                containers: { resources: { limits: Record<string, unknown> } }[];
            };
            expect(Object.keys(template.scaling).sort(), service.name).to.deep.equal(["maxInstanceCount", "minInstanceCount"]);
            for (const container of template.containers) {
                expect(Object.keys(container.resources.limits).sort(), service.name).to.deep.equal(["cpu", "memory"]);
            }
            expect(service.options.ignoreChanges, service.name).to.deep.equal(ignoreChanges);
        }
    });

    it("still shows a change of any variable, secret reference, image or runtime account", () => {
        const shown = fc.oneof(
            fc
                .tuple(fc.nat(3), fc.nat(1000), fc.constantFrom("name", "value", "valueSource"))
                .map(([container, env, field]) => ["template", "containers", container, "envs", env, field]),
            fc
                .tuple(fc.nat(3), fc.nat(1000), fc.constantFrom("secret", "version"))
                .map(([container, env, field]) => ["template", "containers", container, "envs", env, "valueSource", "secretKeyRef", field]),
            fc.nat(3).map((container) => ["template", "containers", container, "image"]),
            fc.constant<(string | number)[]>(["template", "serviceAccount"]),
            fc.constant<(string | number)[]>(["template", "annotations", "run.googleapis.com/launch-stage"]),
        );
        fc.assert(
            fc.property(shown, (changed: (string | number)[]) =>
                ignoreChanges.map(parsePropertyPath).every((ignored) => !covers(ignored, changed)),
            ),
        );
    });
});

describe("staging stack: services as declared in Pulumi.staging.yaml", () => {
    let resources: RecordedResource[];
    before(async () => {
        resources = (await runNetraStack(stagingStackFile().config)).resources;
    });

    for (const [key, name] of [
        ["backend", "netra-backend-staging"],
        ["auth", "netra-auth-service"],
        ["frontend", "netra-frontend-staging"],
    ]) {
        it(`sets ENVIRONMENT=staging on ${key} (${name})`, () => {
            const service = resourceNamed(resources, SERVICE, `${key}-service`);
            expect(service.inputs.name).to.equal(name);
            expect(containerOf(service).envs[0]).to.deep.equal({ name: "ENVIRONMENT", value: "staging" });
        });
    }

    it("declares every secret variable as a Secret Manager reference, never a literal", () => {
        for (const key of ["backend", "auth"]) {
            for (const entry of containerOf(resourceNamed(resources, SERVICE, `${key}-service`)).envs) {
                if (entry.valueSource !== undefined) {
                    expect(entry.value, entry.name).to.equal(undefined);
                }
            }
        }
        const backend = envOf(resourceNamed(resources, SERVICE, "backend-service"));
        expect(backend.JWT_SECRET_KEY).to.deep.equal({
            name: "JWT_SECRET_KEY",
            valueSource: { secretKeyRef: { secret: "jwt-secret-staging", version: "latest" } },
        });
        expect(backend.POSTGRES_PASSWORD.valueSource?.secretKeyRef.secret).to.equal("postgres-password-staging");
    });

    it("grants each account exactly the secrets its service references, at secret level", () => {
        for (const key of ["backend", "auth", "frontend"]) {
            const service = resourceNamed(resources, SERVICE, `${key}-service`);
            const referenced = new Set(
                containerOf(service)
                    .envs.map((entry) => entry.valueSource?.secretKeyRef.secret)
                    .filter((secret): secret is string => secret !== undefined),
            );
            const account = `serviceAccount:${String(service.inputs.template && (service.inputs.template as { serviceAccount: string }).serviceAccount)}`;
            const grants = resources.filter((resource) => resource.type === GRANT && resource.inputs.member === account);
            expect(new Set(grants.map((grant) => grant.inputs.secretId)), key).to.deep.equal(referenced);
            expect(grants.every((grant) => grant.parent?.endsWith(`netra:cloudrun:Service::${key}`))).to.equal(true);
        }
    });

    it("mounts the E2E key on auth only, at the version the deployment created", () => {
        const auth = envOf(resourceNamed(resources, SERVICE, "auth-service"));
        expect(auth.E2E_OAUTH_SIMULATION_KEY).to.deep.equal({
            name: "E2E_OAUTH_SIMULATION_KEY",
            valueSource: { secretKeyRef: { secret: "E2E_OAUTH_SIMULATION_KEY", version: "1" } },
        });
        expect(envOf(resourceNamed(resources, SERVICE, "backend-service")).E2E_OAUTH_SIMULATION_KEY).to.equal(undefined);
        expect(envOf(resourceNamed(resources, SERVICE, "frontend-service")).E2E_OAUTH_SIMULATION_KEY).to.equal(undefined);
    });

    it("derives the frontend's public URLs from the domain", () => {
        const frontend = envOf(resourceNamed(resources, SERVICE, "frontend-service"));
        expect(Object.values(frontend).filter((entry) => entry.name.startsWith("NEXT_PUBLIC_") || entry.name === "NODE_ENV")).to.deep.equal(
            [
                { name: "NEXT_PUBLIC_ENVIRONMENT", value: "staging" },
                { name: "NEXT_PUBLIC_API_URL", value: "https://api.staging.netrasystems.ai" },
                { name: "NEXT_PUBLIC_WS_URL", value: "wss://api.staging.netrasystems.ai" },
                { name: "NEXT_PUBLIC_AUTH_URL", value: "https://auth.staging.netrasystems.ai" },
                { name: "NEXT_PUBLIC_FRONTEND_URL", value: "https://staging.netrasystems.ai" },
                { name: "NODE_ENV", value: "production" },
            ],
        );
    });

    it("connects backend and auth to the VPC connector and both Cloud SQL instances", () => {
        for (const key of ["backend", "auth"]) {
            const template = resourceNamed(resources, SERVICE, `${key}-service`).inputs.template as Record<string, unknown>;
            expect(template.vpcAccess).to.deep.equal({
                connector: "projects/netra-staging/locations/us-central1/connectors/staging-connector-v2",
                egress: "PRIVATE_RANGES_ONLY",
            });
            expect(template.volumes).to.deep.equal([
                {
                    name: "cloudsql",
                    cloudSqlInstance: {
                        instances: ["netra-staging:us-central1:staging-shared-postgres", "netra-staging:us-central1:netra-postgres"],
                    },
                },
            ]);
        }
    });

    it("keeps CPU always allocated with startup boost on every service", () => {
        for (const key of ["backend", "auth", "frontend"]) {
            const resources_ = containerOf(resourceNamed(resources, SERVICE, `${key}-service`)).resources as {
                cpuIdle: boolean;
                startupCpuBoost: boolean;
            };
            expect([resources_.cpuIdle, resources_.startupCpuBoost], key).to.deep.equal([false, true]);
        }
    });

    it("holds no plaintext key anywhere: every key-like input is a secret", () => {
        const version = resourceNamed(resources, "gcp:secretmanager/secretVersion:SecretVersion", "e2e-oauth-simulation-key-version");
        const secretData = version.inputs.secretData as Record<string, unknown>;
        expect(secretData[SECRET_SIG_KEY]).to.equal("1b47061264138c4ac30d75fd1eb44270");
        const key = String(secretData.value);
        expect(key).to.match(/^[0-9a-f]{64}$/);
        const everythingElse = JSON.stringify(resources.filter((resource) => resource !== version).map((resource) => resource.inputs));
        expect(everythingElse).not.to.include(key);
    });
});
