import { expect } from "chai";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { MockCloud } from "../../check/mock-cloud";
import { runUnderMocks, type RecordedResource } from "../../check/run-program";
import { NetraCloudRunService } from "../../components/cloud-run-service";
import { nameSlug, PLATFORM_LABEL_KEYS, RESOURCE_LABEL_KEYS, resourceLabels } from "../../components/resource-labels";
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

/** Runs the component and records what it registers as its own outputs (registerOutputs), as `pulumi stack` would show them. */
async function componentOutputs(service: ServiceConfig): Promise<Record<string, unknown>> {
    const registered = new Map<string, Record<string, unknown>>();
    const mocks = new MockCloud({ strict: true, knownTypes: NETRA_RESOURCE_TYPES });
    const { resources } = await runUnderMocks(
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
            new NetraCloudRunService("api", {
                service,
                environment: "test",
                gcpProject: "netra-test",
                region: "europe-west1",
                domain: "test.example.com",
            });
            return {};
        },
        { project: "netra-platform", stack: "test", preview: false, config: {}, mocks },
    );
    return registered.get(resourceNamed(resources, "netra:cloudrun:Service", "api").urn) ?? {};
}

/** The message a refused service config fails with. */
async function refusal(service: ServiceConfig): Promise<string> {
    try {
        await runComponent(service);
    } catch (error) {
        return (error as Error).message;
    }
    throw new Error("the component accepted the service");
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

    it("keeps deletion protection on unless the stack turns it off", async () => {
        const { resources } = await runComponent(minimalService);
        expect(resourceNamed(resources, SERVICE, "api-service").inputs.deletionProtection).to.equal(true);
    });

    for (const [ingress, value] of [
        ["all", "INGRESS_TRAFFIC_ALL"],
        ["internal", "INGRESS_TRAFFIC_INTERNAL_ONLY"],
        ["internal-and-cloud-load-balancing", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"],
    ] as const) {
        it(`declares ingress ${ingress} as Cloud Run's ${value}`, async () => {
            const { resources } = await runComponent({ ...minimalService, ingress });
            expect(resourceNamed(resources, SERVICE, "api-service").inputs.ingress).to.equal(value);
        });
    }

    for (const [egress, value] of [
        ["private-ranges-only", "PRIVATE_RANGES_ONLY"],
        ["all-traffic", "ALL_TRAFFIC"],
    ] as const) {
        it(`reaches the VPC through the project's connector in the service's region, egress ${egress} as ${value}`, async () => {
            const { resources } = await runComponent({ ...minimalService, vpcConnector: { name: "eu-connector", egress } });
            expect((resourceNamed(resources, SERVICE, "api-service").inputs.template as Record<string, unknown>).vpcAccess).to.deep.equal({
                connector: "projects/netra-test/locations/europe-west1/connectors/eu-connector",
                egress: value,
            });
        });
    }

    it("runs one container named after the service key, with its image, port, limits and no mounts without Cloud SQL", async () => {
        const { resources } = await runComponent({
            ...minimalService,
            cpu: "500m",
            memory: "1Gi",
            cpuAlwaysAllocated: true,
            startupCpuBoost: true,
        });
        const { envs, ...container } = containerOf(resourceNamed(resources, SERVICE, "api-service")) as Container & Record<string, unknown>;
        expect(envs).to.have.length(7);
        expect(container).to.deep.equal({
            name: "api",
            image: "gcr.io/netra-staging/netra-api@sha256:" + "0".repeat(63) + "1",
            ports: { containerPort: 8080 },
            resources: { limits: { cpu: "500m", memory: "1Gi" }, cpuIdle: false, startupCpuBoost: true },
        });
        expect(resourceNamed(resources, SERVICE, "api-service").inputs.description).to.equal("Netra api (test)");
    });

    it("describes its runtime account by the service it runs", async () => {
        const { resources } = await runComponent(minimalService);
        expect(resourceNamed(resources, ACCOUNT, "api-sa").inputs).to.deep.equal({
            project: "netra-test",
            accountId: "netra-api-run",
            displayName: "Cloud Run runtime: netra-api",
            description: "Runtime identity of Cloud Run service netra-api; reads only the secrets it mounts.",
        });
    });

    it("labels the service and its revisions with the stack's labels, its environment, managed-by and its key, which config cannot override", async () => {
        const { resources } = await runComponent(minimalService, { labels: { team: "platform", service: "other" } });
        const service = resourceNamed(resources, SERVICE, "api-service");
        const expected = { team: "platform", service: "api", environment: "test", "managed-by": "pulumi" };
        expect(service.inputs.labels).to.deep.equal(expected);
        expect((service.inputs.template as Record<string, unknown>).labels).to.deep.equal(expected);
    });

    it("adds the Next.js public variables, derived from the domain, right after the platform's when nextPublicEnv is set", async () => {
        const { resources } = await runComponent({ ...minimalService, nextPublicEnv: true, secrets: {} });
        expect(containerOf(resourceNamed(resources, SERVICE, "api-service")).envs.slice(5)).to.deep.equal([
            { name: "NEXT_PUBLIC_ENVIRONMENT", value: "test" },
            { name: "NEXT_PUBLIC_API_URL", value: "https://api.test.example.com" },
            { name: "NEXT_PUBLIC_WS_URL", value: "wss://api.test.example.com" },
            { name: "NEXT_PUBLIC_AUTH_URL", value: "https://auth.test.example.com" },
            { name: "NEXT_PUBLIC_FRONTEND_URL", value: "https://test.example.com" },
            { name: "LOG_LEVEL", value: "info" },
        ]);
    });

    for (const name of [
        "ENVIRONMENT",
        "GCP_PROJECT_ID",
        "BACKEND_URL",
        "AUTH_SERVICE_URL",
        "FRONTEND_URL",
        "NEXT_PUBLIC_ENVIRONMENT",
        "NEXT_PUBLIC_API_URL",
        "NEXT_PUBLIC_WS_URL",
        "NEXT_PUBLIC_AUTH_URL",
        "NEXT_PUBLIC_FRONTEND_URL",
        "E2E_OAUTH_SIMULATION_KEY",
    ]) {
        it(`refuses ${name} as a plain variable and as a secret variable: the platform sets it`, async () => {
            const message = `Service \`api\` sets ${name}, which the platform owns; remove them from its env and secrets.`;
            expect(await refusal({ ...minimalService, env: { [name]: "x" } })).to.equal(message);
            expect(await refusal({ ...minimalService, secrets: { [name]: { secret: "x", version: "latest" } } })).to.equal(message);
        });
    }

    it("names every platform variable a service sets in one refusal, and creates nothing", async () => {
        const mocks = new MockCloud({ strict: true, knownTypes: NETRA_RESOURCE_TYPES });
        const created: string[] = [];
        const newResource = mocks.newResource.bind(mocks);
        mocks.newResource = (args) => {
            created.push(args.type);
            return newResource(args);
        };
        let message = "";
        try {
            await runUnderMocks(
                async () => {
                    new NetraCloudRunService("api", {
                        service: {
                            ...minimalService,
                            env: { LOG_LEVEL: "info", BACKEND_URL: "x" },
                            secrets: { NEXT_PUBLIC_WS_URL: { secret: "x", version: "1" } },
                        },
                        environment: "test",
                        gcpProject: "netra-test",
                        region: "europe-west1",
                        domain: "test.example.com",
                    });
                    return {};
                },
                { project: "netra-platform", stack: "test", preview: false, config: {}, mocks },
            );
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).to.equal(
            "Service `api` sets BACKEND_URL, NEXT_PUBLIC_WS_URL, which the platform owns; remove them from its env and secrets.",
        );
        expect(created.filter((type) => type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });

    it("grants a secret once when two variables mount it", async () => {
        const { resources } = await runComponent({
            ...minimalService,
            secrets: { A: { secret: "db-password", version: "latest" }, B: { secret: "db-password", version: "2" } },
        });
        expect(resources.filter((resource) => resource.type === GRANT).map((grant) => [grant.name, grant.inputs.secretId])).to.deep.equal([
            ["api-access-db-password", "db-password"],
        ]);
    });

    it("connects to Cloud SQL: the client role for its account at project level, the instances mounted at /cloudsql, and waits for the grant", async () => {
        const instances = ["netra-test:europe-west1:main", "netra-test:europe-west1:replica"];
        const { resources } = await runComponent({ ...minimalService, cloudSqlInstances: instances });
        const grant = resourceNamed(resources, "gcp:projects/iAMMember:IAMMember", "api-cloudsql-client");
        expect(grant.inputs).to.deep.equal({
            project: "netra-test",
            role: "roles/cloudsql.client",
            member: "serviceAccount:netra-api-run@netra-test.iam.gserviceaccount.com",
        });
        const service = resourceNamed(resources, SERVICE, "api-service");
        expect((service.inputs.template as Record<string, unknown>).volumes).to.deep.equal([
            { name: "cloudsql", cloudSqlInstance: { instances } },
        ]);
        expect(containerOf(service).volumeMounts).to.deep.equal([{ name: "cloudsql", mountPath: "/cloudsql" }]);
        expect(service.dependencies).to.include(grant.urn);
    });

    it("mounts a secret the deployment generates at the version given, granted under the given name", async () => {
        const { resources } = await runComponent(minimalService, {
            generatedSecrets: [
                { name: "E2E_OAUTH_SIMULATION_KEY", secretId: "E2E_OAUTH_SIMULATION_KEY", version: "4", grantName: "e2e-key" },
            ],
        });
        const service = resourceNamed(resources, SERVICE, "api-service");
        expect(containerOf(service).envs.at(-1)).to.deep.equal({
            name: "E2E_OAUTH_SIMULATION_KEY",
            valueSource: { secretKeyRef: { secret: "E2E_OAUTH_SIMULATION_KEY", version: "4" } },
        });
        const grant = resourceNamed(resources, GRANT, "api-access-e2e-key");
        expect(grant.inputs).to.deep.equal({
            project: "netra-test",
            secretId: "E2E_OAUTH_SIMULATION_KEY",
            role: "roles/secretmanager.secretAccessor",
            member: "serviceAccount:netra-api-run@netra-test.iam.gserviceaccount.com",
        });
        expect(service.dependencies).to.include(grant.urn);
    });

    it("registers its run.app URL and account email as its outputs", async () => {
        const outputs = await componentOutputs(minimalService);
        expect(Object.keys(outputs).sort()).to.deep.equal(["serviceAccountEmail", "uri"]);
        expect(outputs.serviceAccountEmail).to.equal("netra-api-run@netra-test.iam.gserviceaccount.com");
        expect(outputs.uri).to.match(/^https:\/\/netra-api-\d{10}\.a\.run\.app$/);
    });
});

describe("resource names and labels", () => {
    it("names a grant after its secret or member: lower case, each run of other characters one dash, none at either end", () => {
        expect(nameSlug("serviceAccount:ci@p.iam.gserviceaccount.com")).to.equal("serviceaccount-ci-p-iam-gserviceaccount-com");
        expect(nameSlug("DB__Password")).to.equal("db-password");
        expect(nameSlug("_db-password_")).to.equal("db-password");
        expect(nameSlug("--a--")).to.equal("a");
        expect(nameSlug("e2e-key-9")).to.equal("e2e-key-9");
    });

    it("lists as its own exactly the labels the components add, so the stack file is refused them", async () => {
        const added = new Set<string>();
        const { resources } = await runNetraStack(stagingStackFile().config);
        const stackLabels = Object.keys(JSON.parse(stagingStackFile().config["netra-platform:labels"] ?? "{}") as object);
        for (const resource of resources) {
            for (const key of Object.keys((resource.inputs.labels as Record<string, string> | undefined) ?? {})) {
                if (!stackLabels.includes(key)) {
                    added.add(key);
                }
            }
        }
        expect([...added].sort()).to.deep.equal(["environment", "managed-by", "purpose", "service"]);
        expect([...PLATFORM_LABEL_KEYS, ...RESOURCE_LABEL_KEYS].sort()).to.deep.equal([...added].sort());
    });

    it("puts environment and managed-by on every labelled resource, over any stack label of that name", () => {
        expect(resourceLabels({ team: "a", environment: "x", "managed-by": "y" }, "staging")).to.deep.equal({
            team: "a",
            environment: "staging",
            "managed-by": "pulumi",
        });
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
