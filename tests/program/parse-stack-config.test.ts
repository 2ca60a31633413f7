import { expect } from "chai";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { StackConfigError } from "../../components/config/config-error";
import { parseStackConfig } from "../../components/config/parse-stack-config";
import type { StackConfig } from "../../components/config/types";
import { REPO_ROOT, STAGING_SOURCE, stagingRaw, type Values } from "../support/staging-fixture";

type Raw = ReturnType<typeof stagingRaw>;

function parse(edit: (raw: Raw, values: Values) => void = () => undefined): StackConfig {
    const raw = stagingRaw();
    edit(raw, raw.values);
    return parseStackConfig(raw, STAGING_SOURCE);
}

function errorOf(edit: (raw: Raw, values: Values) => void): string {
    try {
        parse(edit);
    } catch (error) {
        expect(error).to.be.instanceOf(StackConfigError);
        return (error as StackConfigError).message;
    }
    throw new Error("expected the config to be rejected");
}

const F = "Pulumi.staging.yaml: `netra-platform:";

describe("stack config: the staging stack file", () => {
    it("normalises staging to the reference's services, in the file's order", () => {
        const config = parse();
        expect(config.environment).to.equal("staging");
        expect(config.gcpProject).to.equal("netra-staging");
        expect(config.region).to.equal("us-central1");
        expect(config.domain).to.equal("staging.netrasystems.ai");
        expect(config.services.map((service) => [service.key, service.name, service.port, service.cpu, service.memory])).to.deep.equal([
            ["backend", "netra-backend-staging", 8000, "4", "6Gi"],
            ["auth", "netra-auth-service", 8080, "1", "512Mi"],
            ["frontend", "netra-frontend-staging", 3000, "1", "512Mi"],
        ]);
        expect(config.services.map((service) => [service.minInstances, service.maxInstances, service.requestTimeoutSeconds])).to.deep.equal(
            [
                [2, 15, 600],
                [1, 10, 600],
                [1, 10, 600],
            ],
        );
    });

    it("maps secrets to Secret Manager ids at version latest", () => {
        const backend = parse().services[0];
        expect(backend.secrets.JWT_SECRET_KEY).to.deep.equal({ secret: "jwt-secret-staging", version: "latest" });
        expect(Object.keys(backend.secrets)).to.have.length(19);
        expect(Object.keys(parse().services[1].secrets)).to.have.length(15);
        expect(parse().services[2].secrets).to.deep.equal({});
    });

    it("enables the E2E key for auth and the CI runner only", () => {
        expect(parse().e2eKey).to.deep.equal({
            rotation: "1",
            consumers: ["auth"],
            readers: ["serviceAccount:github-e2e-runner@netra-staging.iam.gserviceaccount.com"],
            adoptExisting: false,
        });
    });

    it("fills every optional service key with its documented default", () => {
        const config = parse((_raw, values) => {
            values.services = { api: { name: "netra-api", image: "gcr.io/p/api:1", port: 8080 } };
            values.e2eOAuthSimulationKey = undefined;
        });
        expect(config.services[0]).to.deep.equal({
            key: "api",
            name: "netra-api",
            image: "gcr.io/p/api:1",
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
            env: {},
            secrets: {},
        });
    });

    it("accepts environment aliases and case, and stores the canonical name", () => {
        expect(parse((_raw, values) => (values.environment = " Stage ")).environment).to.equal("staging");
    });

    it("accepts a secret pinned to a version", () => {
        const config = parse(
            (_raw, values) => (values.services.backend.secrets.FERNET_KEY = { secret: "fernet-key-staging", version: "3" }),
        );
        expect(config.services[0].secrets.FERNET_KEY).to.deep.equal({ secret: "fernet-key-staging", version: "3" });
    });

    it("drops the E2E key when it is disabled", () => {
        expect(parse((_raw, values) => (values.e2eOAuthSimulationKey.enabled = false)).e2eKey).to.equal(undefined);
    });
});

describe("stack config: rejected before anything is created", () => {
    const cases: { rule: string; edit: (raw: Raw, values: Values) => void; message: string }[] = [
        {
            rule: "rejects an unknown environment, listing the allowed names",
            edit: (_raw, values) => (values.environment = "qa"),
            message: `${F}environment\` is "qa"; allowed: development (dev, local), test (testing), staging (stage), production (prod).`,
        },
        {
            rule: "rejects a missing environment",
            edit: (_raw, values) => delete values.environment,
            message: `${F}environment\` is missing; allowed: development (dev, local), test (testing), staging (stage), production (prod).`,
        },
        {
            rule: "rejects a missing gcp:project",
            edit: (raw) => (raw.gcpProject = undefined),
            message: "Pulumi.staging.yaml: `gcp:project` is missing; expected a Google Cloud project id.",
        },
        {
            rule: "rejects a domain that is not a DNS name",
            edit: (_raw, values) => (values.domain = "https://staging.netrasystems.ai"),
            message: `${F}domain\` is "https://staging.netrasystems.ai"; expected a lower-case DNS name such as staging.netrasystems.ai.`,
        },
        {
            rule: "rejects an unknown stack key",
            edit: (_raw, values) => (values.enviroment = "staging"),
            message: `${F}enviroment\` is not a known key (did you mean \`environment\`?); allowed: environment, domain, adoptExisting, deletionProtection, labels, services, e2eOAuthSimulationKey.`,
        },
        {
            rule: "rejects a stack without services",
            edit: (_raw, values) => {
                values.services = {};
                delete values.e2eOAuthSimulationKey;
            },
            message: `${F}services\` is an empty map; expected a map of at least one service key to its settings.`,
        },
        {
            rule: "rejects a service without a name",
            edit: (_raw, values) => delete values.services.frontend.name,
            message: `${F}services.frontend.name\` is missing; expected a Cloud Run service name (lower-case letters, digits and -, at most 49).`,
        },
        {
            rule: "rejects a service without an image",
            edit: (_raw, values) => delete values.services.frontend.image,
            message: `${F}services.frontend.image\` is missing; expected a container image such as gcr.io/<project>/<name>@sha256:<digest>.`,
        },
        {
            rule: "rejects a service without a port",
            edit: (_raw, values) => delete values.services.frontend.port,
            message: `${F}services.frontend.port\` is missing; expected an integer from 1 to 65535.`,
        },
        {
            rule: "rejects a port out of range",
            edit: (_raw, values) => (values.services.auth.port = 70000),
            message: `${F}services.auth.port\` is 70000; expected an integer from 1 to 65535.`,
        },
        {
            rule: "rejects an env var name with invalid characters",
            edit: (_raw, values) => (values.services.backend.env["LOG-LEVEL"] = "info"),
            message: `${F}services.backend.env.LOG-LEVEL\` is not a valid variable name; allowed: letters, digits and underscores, not starting with a digit.`,
        },
        {
            rule: "rejects the reserved name PORT",
            edit: (_raw, values) => (values.services.backend.env.PORT = "8000"),
            message: `${F}services.backend.env.PORT\` is reserved by Cloud Run; reserved: PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*.`,
        },
        {
            rule: "rejects the reserved name K_SERVICE",
            edit: (_raw, values) => (values.services.auth.env.K_SERVICE = "auth"),
            message: `${F}services.auth.env.K_SERVICE\` is reserved by Cloud Run; reserved: PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*.`,
        },
        {
            rule: "rejects a reserved CLOUD_RUN_ name, also as a secret",
            edit: (_raw, values) => (values.services.auth.secrets.CLOUD_RUN_JOB = "x-staging"),
            message: `${F}services.auth.secrets.CLOUD_RUN_JOB\` is reserved by Cloud Run; reserved: PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*.`,
        },
        {
            rule: "rejects the same name as plain env and as secret",
            edit: (_raw, values) => (values.services.backend.secrets.CLICKHOUSE_HOST = "clickhouse-host-staging"),
            message: `${F}services.backend.secrets.CLICKHOUSE_HOST\` is also set under \`env\`; a variable is either plain or a secret, not both.`,
        },
        {
            rule: "rejects a hand-written ENVIRONMENT (the component owns it)",
            edit: (_raw, values) => (values.services.backend.env.ENVIRONMENT = "staging"),
            message: `${F}services.backend.env.ENVIRONMENT\` is set by the platform from the stack's \`environment\`; remove it from the stack file.`,
        },
        {
            rule: "rejects ENVIRONMENT written as a secret",
            edit: (_raw, values) => (values.services.backend.secrets.ENVIRONMENT = "environment-staging"),
            message: `${F}services.backend.secrets.ENVIRONMENT\` is set by the platform from the stack's \`environment\`; remove it from the stack file.`,
        },
        {
            rule: "rejects a hand-written URL the platform derives from the domain",
            edit: (_raw, values) => (values.services.backend.env.AUTH_SERVICE_URL = "https://auth.staging.netrasystems.ai"),
            message: `${F}services.backend.env.AUTH_SERVICE_URL\` is derived by the platform from \`gcp:project\`, \`domain\` and \`environment\`; remove it.`,
        },
        {
            rule: "rejects a hand-mounted E2E key",
            edit: (_raw, values) => (values.services.auth.secrets.E2E_OAUTH_SIMULATION_KEY = "e2e-bypass-key"),
            message: `${F}services.auth.secrets.E2E_OAUTH_SIMULATION_KEY\` is mounted by the platform on the services listed in \`e2eOAuthSimulationKey.consumers\`; remove it.`,
        },
        {
            rule: "rejects the E2E key's secret read by hand under another name, under any of its old ids",
            edit: (_raw, values) => (values.services.backend.secrets.BYPASS = "e2e-bypass-key"),
            message: `${F}services.backend.secrets.BYPASS\` is "e2e-bypass-key", the E2E OAuth simulation key (E2E_OAUTH_SIMULATION_KEY, e2e-oauth-simulation-key-staging, e2e-bypass-key); list the service under \`e2eOAuthSimulationKey.consumers\` instead.`,
        },
        {
            rule: "rejects two secret ids that differ only in case, _ and - (their grants would collide)",
            edit: (_raw, values) => (values.services.backend.secrets.PG_HOST = "postgres_host_staging"),
            message: `${F}services.backend.secrets.PG_HOST\` is "postgres_host_staging", which differs from "postgres-host-staging" (\`POSTGRES_HOST\`) only in case, _ and -; use one spelling of the secret id.`,
        },
        {
            rule: "rejects a name whose derived service account id is too short",
            edit: (_raw, values) => (values.services.frontend = { name: "a", image: "gcr.io/p/a:1", port: 3000 }),
            message: `${F}services.frontend.serviceAccountId\` is missing, and the default derived from \`name\` ("a-run") is not a valid service account id; set one of 6 to 30 lower-case letters, digits and -.`,
        },
        {
            rule: "rejects a plain env var whose name marks it as a secret",
            edit: (_raw, values) => (values.services.auth.env.OAUTH_HMAC_SECRET = "not-a-real-one"),
            message: `${F}services.auth.env.OAUTH_HMAC_SECRET\` names a secret (contains SECRET) but is a plain value; move it to \`secrets\` as a Secret Manager reference.`,
        },
        {
            rule: "rejects a plain env var named like an API key",
            edit: (_raw, values) => (values.services.backend.env.OPENAI_API_KEY = "x"),
            message: `${F}services.backend.env.OPENAI_API_KEY\` names a secret (contains KEY) but is a plain value; move it to \`secrets\` as a Secret Manager reference.`,
        },
        {
            rule: "rejects a plain value that looks like a key without echoing it",
            edit: (_raw, values) => (values.services.backend.env.BYPASS = "ab".repeat(32)),
            message: `${F}services.backend.env.BYPASS\` looks like a key (a long hex string, value not shown); keep keys in Secret Manager and list them under \`secrets\`.`,
        },
        {
            rule: "rejects min instances above max",
            edit: (_raw, values) => (values.services.backend.minInstances = 20),
            message: `${F}services.backend.minInstances\` is 20, above \`maxInstances\` (15); expected at most 15.`,
        },
        {
            rule: "rejects a malformed CPU",
            edit: (_raw, values) => (values.services.backend.cpu = "four"),
            message: `${F}services.backend.cpu\` is "four"; expected a CPU count from 0.08 to 8 such as "1", "2" or "4".`,
        },
        {
            rule: "rejects a CPU beyond Cloud Run's range",
            edit: (_raw, values) => (values.services.backend.cpu = "16"),
            message: `${F}services.backend.cpu\` is "16"; expected a CPU count from 0.08 to 8 such as "1", "2" or "4".`,
        },
        {
            rule: "rejects a malformed memory size",
            edit: (_raw, values) => (values.services.auth.memory = "512MB"),
            message: `${F}services.auth.memory\` is "512MB"; expected a size in Mi or Gi such as "512Mi" or "6Gi".`,
        },
        {
            rule: "rejects a request timeout beyond Cloud Run's 3600 s",
            edit: (_raw, values) => (values.services.backend.requestTimeoutSeconds = 3601),
            message: `${F}services.backend.requestTimeoutSeconds\` is 3601; expected an integer from 1 to 3600.`,
        },
        {
            rule: "rejects the E2E key enabled on a production stack",
            edit: (_raw, values) => Object.assign(values, { environment: "prod", domain: "netrasystems.ai" }),
            message: `${F}e2eOAuthSimulationKey.enabled\` is true on a production stack; the E2E OAuth simulation key bypasses OAuth and is allowed only on staging.`,
        },
        {
            rule: "rejects the E2E key enabled on a development stack too, as the policy pack does",
            edit: (_raw, values) => Object.assign(values, { environment: "dev", domain: "dev.netrasystems.ai" }),
            message: `${F}e2eOAuthSimulationKey.enabled\` is true on a development stack; the E2E OAuth simulation key bypasses OAuth and is allowed only on staging.`,
        },
        {
            rule: "rejects a staging domain that names production: every URL derived from it would point there",
            edit: (_raw, values) => (values.domain = "prod.netrasystems.ai"),
            message: `${F}domain\` is "prod.netrasystems.ai", which names production, but this stack's environment is staging; every URL the platform derives from it would point at production.`,
        },
        {
            rule: "rejects production's bare domain on a staging stack: it names no environment, as production's does",
            edit: (_raw, values) => (values.domain = "netrasystems.ai"),
            message: `${F}domain\` is "netrasystems.ai", which names no environment, as production's domain does; a staging stack's domain names staging (such as staging.netrasystems.ai), or every URL the platform derives from it would point at hosts that read as production's.`,
        },
        {
            rule: "rejects a production domain that names staging, read as the detector reads hosts (its top-level label aside)",
            edit: (_raw, values) =>
                Object.assign(values, {
                    environment: "production",
                    domain: "api.stage.netra.dev",
                    e2eOAuthSimulationKey: { enabled: false },
                }),
            message: `${F}domain\` is "api.stage.netra.dev", which names staging, but this stack's environment is production; every URL the platform derives from it would point at staging.`,
        },
        {
            rule: "rejects a key consumer that names no declared service",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.consumers = ["auth", "e2e"]),
            message: `${F}e2eOAuthSimulationKey.consumers[1]\` is "e2e", which is not a declared service; declared: backend, auth, frontend.`,
        },
        {
            rule: "refuses a secret-named variable written as a number by its name, never showing the number",
            edit: (_raw, values) => (values.services.backend.env.REDIS_PASSWORD = 48213577),
            message: `${F}services.backend.env.REDIS_PASSWORD\` names a secret (contains PASSWORD) but is a plain value; move it to \`secrets\` as a Secret Manager reference.`,
        },
        {
            rule: "names the consumer it rejects by its place in the list as written, after an item refused for its form",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.consumers = ["Auth", "nope"]),
            message:
                `${F}e2eOAuthSimulationKey.consumers[0]\` is "Auth"; expected service keys.\n` +
                `${F}e2eOAuthSimulationKey.consumers[1]\` is "nope", which is not a declared service; declared: backend, auth, frontend.`,
        },
        {
            rule: "rejects a key reader listed twice (both grants would have one URN)",
            edit: (_raw, values) =>
                (values.e2eOAuthSimulationKey.readers = [
                    "user:ops@netrasystems.ai",
                    "serviceAccount:github-e2e-runner@netra-staging.iam.gserviceaccount.com",
                    "serviceAccount:github-e2e-runner@netra-staging.iam.gserviceaccount.com",
                ]),
            message: `${F}e2eOAuthSimulationKey.readers[2]\` repeats \`e2eOAuthSimulationKey.readers[1]\`; list each member once.`,
        },
        {
            rule: "rejects two key readers that differ only in case and punctuation (their grants would get one name)",
            edit: (_raw, values) =>
                (values.e2eOAuthSimulationKey.readers = [
                    "serviceAccount:github-e2e-runner@netra-staging.iam.gserviceaccount.com",
                    "serviceAccount:GitHub.E2E.Runner@netra-staging.iam.gserviceaccount.com",
                ]),
            message:
                `${F}e2eOAuthSimulationKey.readers[1]\` is "serviceAccount:GitHub.E2E.Runner@netra-staging.iam.gserviceaccount.com", which differs from ` +
                `\`e2eOAuthSimulationKey.readers[0]\` ("serviceAccount:github-e2e-runner@netra-staging.iam.gserviceaccount.com") only in case and punctuation, ` +
                "so both grants would get one name; list each member once, spelt as IAM spells it.",
        },
        {
            rule: "rejects a secret id that spells the E2E key's with extra separators (its grant would take the key's grant name)",
            edit: (_raw, values) => (values.services.auth.secrets.LEGACY_E2E = "_E2E__OAUTH_SIMULATION_KEY-"),
            message: `${F}services.auth.secrets.LEGACY_E2E\` is "_E2E__OAUTH_SIMULATION_KEY-", the E2E OAuth simulation key (E2E_OAUTH_SIMULATION_KEY, e2e-oauth-simulation-key-staging, e2e-bypass-key); list the service under \`e2eOAuthSimulationKey.consumers\` instead.`,
        },
        {
            rule: "rejects a service key that ends in - (it names the container, which Cloud Run wants an RFC 1123 label)",
            edit: (_raw, values) => (values.services["worker-"] = { name: "netra-worker-staging", image: "gcr.io/p/w:1", port: 8080 }),
            message: `${F}services.worker-\` is not a valid service key; allowed: lower-case letters, digits and -, starting with a letter and ending with a letter or digit, at most 30 characters.`,
        },
        {
            rule: "rejects a key reader that is not an IAM member",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.readers = ["github-e2e-runner"]),
            message: `${F}e2eOAuthSimulationKey.readers[0]\` is "github-e2e-runner"; expected IAM members such as serviceAccount:runner@project.iam.gserviceaccount.com.`,
        },
        {
            rule: "rejects an unknown ingress, listing the allowed values",
            edit: (_raw, values) => (values.services.frontend.ingress = "public"),
            message: `${F}services.frontend.ingress\` is "public"; allowed: all, internal, internal-and-cloud-load-balancing.`,
        },
        {
            rule: "rejects a Cloud SQL instance that is not a connection name",
            edit: (_raw, values) => (values.services.auth.cloudSqlInstances = ["netra-postgres"]),
            message: `${F}services.auth.cloudSqlInstances[0]\` is "netra-postgres"; expected instance connection names (project:region:instance).`,
        },
        {
            rule: "rejects two services with the same Cloud Run name",
            edit: (_raw, values) => (values.services.frontend.name = "netra-auth-service"),
            message: `${F}services.frontend.name\` is "netra-auth-service", already used by service \`auth\`; each service needs its own.`,
        },
        {
            rule: "rejects a string where a boolean belongs",
            edit: (_raw, values) => (values.deletionProtection = "yes"),
            message: `${F}deletionProtection\` is "yes"; expected true or false.`,
        },
        {
            rule: "rejects an unknown service key",
            edit: (_raw, values) => (values.services.auth.replicas = 3),
            message: `${F}services.auth.replicas\` is not a known key; allowed: name, image, port, cpu, memory, minInstances, maxInstances, concurrency, requestTimeoutSeconds, cpuAlwaysAllocated, startupCpuBoost, ingress, allowUnauthenticated, serviceAccountId, vpcConnector, cloudSqlInstances, nextPublicEnv, env, secrets.`,
        },
    ];

    for (const { rule, edit, message } of cases) {
        it(rule, () => {
            expect(errorOf(edit)).to.equal(message);
        });
    }

    it("rejects an encrypted program key: its value would land in plain resource inputs", () => {
        expect(errorOf((raw) => Object.assign(raw, { secretKeys: ["services"] }))).to.equal(
            `${F}services\` is encrypted (\`secure:\`), but this program takes no secrets from config; store the value in Secret Manager and reference it under a service's \`secrets\`.`,
        );
    });

    it("reports every problem at once, one line each", () => {
        const message = errorOf((_raw, values) => {
            values.services.auth.port = 0;
            values.services.frontend.memory = "1TB";
        });
        expect(message.split("\n")).to.deep.equal([
            `${F}services.auth.port\` is 0; expected an integer from 1 to 65535.`,
            `${F}services.frontend.memory\` is "1TB"; expected a size in Mi or Gi such as "512Mi" or "6Gi".`,
        ]);
    });

    it("never echoes a key-like value in any message", () => {
        const key = "cd".repeat(32);
        const message = errorOf((_raw, values) => (values.services.frontend.env.SOMETHING = key));
        expect(message).not.to.include(key);
    });
});

/** A stack of one service `api` with only the required keys, for rules about defaults and counts. */
function minimalRaw(service: Values = {}, stack: Values = {}): Raw {
    return {
        gcpProject: "netra-staging",
        gcpRegion: "us-central1",
        values: {
            environment: "staging",
            domain: "staging.netrasystems.ai",
            services: { api: { name: "netra-api", image: "gcr.io/p/api:1", port: 8080, ...service } },
            ...stack,
        },
    };
}

function minimalErrorOf(service: Values, stack: Values = {}): string {
    try {
        parseStackConfig(minimalRaw(service, stack), STAGING_SOURCE);
    } catch (error) {
        expect(error).to.be.instanceOf(StackConfigError);
        return (error as StackConfigError).message;
    }
    throw new Error("expected the config to be rejected");
}

describe("stack config: every pattern holds over the whole value, not only at one end", () => {
    const cases: { rule: string; edit: (raw: Raw, values: Values) => void; message: string }[] = [
        {
            rule: "refuses a service key that is valid only after its first letter",
            edit: (_raw, values) => (values.services.Api = { name: "netra-api", image: "gcr.io/p/api:1", port: 8080 }),
            message: `${F}services.Api\` is not a valid service key; allowed: lower-case letters, digits and -, starting with a letter and ending with a letter or digit, at most 30 characters.`,
        },
        {
            rule: "refuses a service key that is valid only up to its last character",
            edit: (_raw, values) => (values.services.api_v2 = { name: "netra-api", image: "gcr.io/p/api:1", port: 8080 }),
            message: `${F}services.api_v2\` is not a valid service key; allowed: lower-case letters, digits and -, starting with a letter and ending with a letter or digit, at most 30 characters.`,
        },
        {
            rule: "refuses a service key of 31 characters",
            edit: (_raw, values) => (values.services[`a${"b".repeat(30)}`] = { name: "netra-api", image: "gcr.io/p/api:1", port: 8080 }),
            message: `${F}services.a${"b".repeat(30)}\` is not a valid service key; allowed: lower-case letters, digits and -, starting with a letter and ending with a letter or digit, at most 30 characters.`,
        },
        {
            rule: "refuses a key consumer that is a service key only at its end",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.consumers = ["Auth"]),
            message: `${F}e2eOAuthSimulationKey.consumers[0]\` is "Auth"; expected service keys.`,
        },
        {
            rule: "refuses a Cloud Run name that starts with a capital",
            edit: (_raw, values) => (values.services.frontend.name = "Netra-frontend-staging"),
            message: `${F}services.frontend.name\` is "Netra-frontend-staging"; expected a Cloud Run service name (lower-case letters, digits and -, at most 49).`,
        },
        {
            rule: "refuses a Cloud Run name that ends with -",
            edit: (_raw, values) => (values.services.frontend.name = "netra-frontend-"),
            message: `${F}services.frontend.name\` is "netra-frontend-"; expected a Cloud Run service name (lower-case letters, digits and -, at most 49).`,
        },
        {
            rule: "refuses a Cloud Run name of 50 characters",
            edit: (_raw, values) => (values.services.frontend.name = `netra-${"f".repeat(44)}`),
            message: `${F}services.frontend.name\` is "netra-${"f".repeat(44)}"; expected a Cloud Run service name (lower-case letters, digits and -, at most 49).`,
        },
        {
            rule: "refuses a service account id that starts with a digit",
            edit: (_raw, values) => (values.services.frontend.serviceAccountId = "1frontend-run"),
            message: `${F}services.frontend.serviceAccountId\` is "1frontend-run"; expected a service account id (6 to 30 lower-case letters, digits and -).`,
        },
        {
            rule: "refuses a service account id that ends with -",
            edit: (_raw, values) => (values.services.frontend.serviceAccountId = "frontend-run-"),
            message: `${F}services.frontend.serviceAccountId\` is "frontend-run-"; expected a service account id (6 to 30 lower-case letters, digits and -).`,
        },
        {
            rule: "refuses a service account id of 31 characters",
            edit: (_raw, values) => (values.services.frontend.serviceAccountId = `f${"r".repeat(30)}`),
            message: `${F}services.frontend.serviceAccountId\` is "f${"r".repeat(30)}"; expected a service account id (6 to 30 lower-case letters, digits and -).`,
        },
        {
            // Not shown: what stands in a secret id's place and is no id may be the secret itself.
            rule: "refuses a secret's full resource name where its id belongs, without showing it",
            edit: (_raw, values) => (values.services.backend.secrets.JWT_SECRET_KEY = "projects/netra-staging/secrets/jwt-secret-staging"),
            message: `${F}services.backend.secrets.JWT_SECRET_KEY\` is text that is not a secret id (value not shown); expected a Secret Manager secret id (letters, digits, - and _, at most 255).`,
        },
        {
            rule: "refuses a secret id followed by a version path, without showing it",
            edit: (_raw, values) => (values.services.backend.secrets.JWT_SECRET_KEY = { secret: "jwt-secret-staging/versions/3" }),
            message: `${F}services.backend.secrets.JWT_SECRET_KEY.secret\` is text that is not a secret id (value not shown); expected a Secret Manager secret id (letters, digits, - and _, at most 255).`,
        },
        {
            rule: "refuses a secret id of 256 characters, without showing it",
            edit: (_raw, values) => (values.services.backend.secrets.JWT_SECRET_KEY = "j".repeat(256)),
            message: `${F}services.backend.secrets.JWT_SECRET_KEY\` is text that is not a secret id (value not shown); expected a Secret Manager secret id (letters, digits, - and _, at most 255).`,
        },
        {
            rule: "refuses a secret version written as a path",
            edit: (_raw, values) => (values.services.backend.secrets.FERNET_KEY = { secret: "fernet-key-staging", version: "versions/3" }),
            message: `${F}services.backend.secrets.FERNET_KEY.version\` is "versions/3"; expected text: "latest" or a version number.`,
        },
        {
            rule: "refuses a secret version with a decimal part",
            edit: (_raw, values) => (values.services.backend.secrets.FERNET_KEY = { secret: "fernet-key-staging", version: "3.0" }),
            message: `${F}services.backend.secrets.FERNET_KEY.version\` is "3.0"; expected text: "latest" or a version number.`,
        },
        {
            rule: "refuses secret version 0 (versions count from 1)",
            edit: (_raw, values) => (values.services.backend.secrets.FERNET_KEY = { secret: "fernet-key-staging", version: "0" }),
            message: `${F}services.backend.secrets.FERNET_KEY.version\` is "0"; expected text: "latest" or a version number.`,
        },
        {
            rule: "refuses a domain written as a fully qualified name with its final dot",
            edit: (_raw, values) => (values.domain = "staging.netrasystems.ai."),
            message: `${F}domain\` is "staging.netrasystems.ai."; expected a lower-case DNS name such as staging.netrasystems.ai.`,
        },
        {
            rule: "refuses a domain that starts with a capital",
            edit: (_raw, values) => (values.domain = "Staging.netrasystems.ai"),
            message: `${F}domain\` is "Staging.netrasystems.ai"; expected a lower-case DNS name such as staging.netrasystems.ai.`,
        },
        {
            rule: "refuses a domain longer than 253 characters, even when every label is valid",
            edit: (_raw, values) => (values.domain = `${`${"a".repeat(63)}.`.repeat(4)}ai`),
            message: `${F}domain\` is "${`${"a".repeat(63)}.`.repeat(1)}... (258 characters)"; expected a lower-case DNS name such as staging.netrasystems.ai.`,
        },
        {
            rule: "refuses a project written as a resource name",
            edit: (raw) => (raw.gcpProject = "projects/netra-staging"),
            message: 'Pulumi.staging.yaml: `gcp:project` is "projects/netra-staging"; expected a Google Cloud project id.',
        },
        {
            rule: "refuses a project id that ends with -",
            edit: (raw) => (raw.gcpProject = "netra-staging-"),
            message: 'Pulumi.staging.yaml: `gcp:project` is "netra-staging-"; expected a Google Cloud project id.',
        },
        {
            rule: "refuses a region written as a resource name",
            edit: (raw) => (raw.gcpRegion = "regions/us-central1"),
            message: 'Pulumi.staging.yaml: `gcp:region` is "regions/us-central1"; expected a Google Cloud region such as us-central1.',
        },
        {
            rule: "refuses a zone where the region belongs",
            edit: (raw) => (raw.gcpRegion = "us-central1-a"),
            message: 'Pulumi.staging.yaml: `gcp:region` is "us-central1-a"; expected a Google Cloud region such as us-central1.',
        },
        {
            rule: "refuses a Cloud SQL connection name with a project of a capital letter",
            edit: (_raw, values) => (values.services.auth.cloudSqlInstances = ["Netra-staging:us-central1:netra-postgres"]),
            message: `${F}services.auth.cloudSqlInstances[0]\` is "Netra-staging:us-central1:netra-postgres"; expected instance connection names (project:region:instance).`,
        },
        {
            rule: "refuses a Cloud SQL connection name followed by a port",
            edit: (_raw, values) => (values.services.auth.cloudSqlInstances = ["netra-staging:us-central1:netra-postgres:5432"]),
            message: `${F}services.auth.cloudSqlInstances[0]\` is "netra-staging:us-central1:netra-postgres:5432"; expected instance connection names (project:region:instance).`,
        },
        {
            rule: "refuses a connector's full resource name where its name belongs",
            edit: (_raw, values) =>
                (values.services.backend.vpcConnector.name =
                    "projects/netra-staging/locations/us-central1/connectors/staging-connector-v2"),
            message: `${F}services.backend.vpcConnector.name\` is "projects/netra-staging/locations/us-central1/connectors/staging-... (76 characters)"; expected a Serverless VPC Access connector name.`,
        },
        {
            rule: "refuses a connector name that ends with -",
            edit: (_raw, values) => (values.services.backend.vpcConnector.name = "staging-connector-"),
            message: `${F}services.backend.vpcConnector.name\` is "staging-connector-"; expected a Serverless VPC Access connector name.`,
        },
        {
            rule: "refuses a connector name of 26 characters",
            edit: (_raw, values) => (values.services.backend.vpcConnector.name = `s${"c".repeat(25)}`),
            message: `${F}services.backend.vpcConnector.name\` is "s${"c".repeat(25)}"; expected a Serverless VPC Access connector name.`,
        },
        {
            rule: "refuses a negative CPU count",
            edit: (_raw, values) => (values.services.backend.cpu = "-4"),
            message: `${F}services.backend.cpu\` is "-4"; expected a CPU count from 0.08 to 8 such as "1", "2" or "4".`,
        },
        {
            rule: "refuses a CPU count followed by a unit",
            edit: (_raw, values) => (values.services.backend.cpu = "4 vCPU"),
            message: `${F}services.backend.cpu\` is "4 vCPU"; expected a CPU count from 0.08 to 8 such as "1", "2" or "4".`,
        },
        {
            rule: "refuses a negative memory size",
            edit: (_raw, values) => (values.services.auth.memory = "-512Mi"),
            message: `${F}services.auth.memory\` is "-512Mi"; expected a size in Mi or Gi such as "512Mi" or "6Gi".`,
        },
        {
            rule: "refuses a memory size in MiB spelt with a B",
            edit: (_raw, values) => (values.services.auth.memory = "512MiB"),
            message: `${F}services.auth.memory\` is "512MiB"; expected a size in Mi or Gi such as "512Mi" or "6Gi".`,
        },
        {
            rule: "refuses an IAM member whose type only ends like a known one",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.readers = ["superuser:ops@netrasystems.ai"]),
            message: `${F}e2eOAuthSimulationKey.readers[0]\` is "superuser:ops@netrasystems.ai"; expected IAM members such as serviceAccount:runner@project.iam.gserviceaccount.com.`,
        },
        {
            rule: "refuses two IAM members written in one entry",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.readers = ["user:ops@netrasystems.ai,user:dev@netrasystems.ai"]),
            message: `${F}e2eOAuthSimulationKey.readers[0]\` is "user:ops@netrasystems.ai,user:dev@netrasystems.ai"; expected IAM members such as serviceAccount:runner@project.iam.gserviceaccount.com.`,
        },
        {
            rule: "refuses a principal identifier behind a prefix",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.readers = ["member:principal://iam.googleapis.com/subject/ci"]),
            message: `${F}e2eOAuthSimulationKey.readers[0]\` is "member:principal://iam.googleapis.com/subject/ci"; expected IAM members such as serviceAccount:runner@project.iam.gserviceaccount.com.`,
        },
        {
            rule: "refuses a principal identifier with a space in it",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.readers = ["principal://iam.googleapis.com/subject/ci runner"]),
            message: `${F}e2eOAuthSimulationKey.readers[0]\` is "principal://iam.googleapis.com/subject/ci runner"; expected IAM members such as serviceAccount:runner@project.iam.gserviceaccount.com.`,
        },
        {
            rule: "refuses a rotation marker with a leading space",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.rotation = " 2026-11"),
            message: `${F}e2eOAuthSimulationKey.rotation\` is " 2026-11"; expected a short rotation marker such as "1" or "2026-11".`,
        },
        {
            rule: "refuses a rotation marker with a trailing space",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.rotation = "2026-11 "),
            message: `${F}e2eOAuthSimulationKey.rotation\` is "2026-11 "; expected a short rotation marker such as "1" or "2026-11".`,
        },
        {
            rule: "refuses a rotation marker of 65 characters",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.rotation = "r".repeat(65)),
            message: `${F}e2eOAuthSimulationKey.rotation\` is "${"r".repeat(64)}... (65 characters)"; expected a short rotation marker such as "1" or "2026-11".`,
        },
    ];

    for (const { rule, edit, message } of cases) {
        it(rule, () => {
            expect(errorOf(edit)).to.equal(message);
        });
    }

    it("accepts each pattern's longest and most varied valid values", () => {
        const config = parse((raw, values) => {
            raw.gcpProject = "a-project-id-of-30-characters0";
            raw.gcpRegion = "northamerica-northeast2";
            values.domain = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.staging-${"d".repeat(50)}.ai`;
            values.services[`a${"b".repeat(29)}`] = {
                name: `n${"-0".repeat(23)}z9`,
                image: "gcr.io/p/api:1",
                port: 8080,
                serviceAccountId: `s${"-9".repeat(14)}z`,
                vpcConnector: { name: `c${"-8".repeat(11)}9x`, egress: "all-traffic" },
                cloudSqlInstances: [`p${"-1".repeat(14)}q:europe-west10:i${"-2".repeat(48)}j`],
                // 40 characters or more that mix cases and digits read as a base64 key, in an id too (refused below).
                secrets: { DB_URL: { secret: `az09_-${"x".repeat(249)}`, version: "10" }, DB_HOST: "Az09_-x" },
            };
            values.e2eOAuthSimulationKey.rotation = `v1.2_3-${"z".repeat(57)}`;
            values.e2eOAuthSimulationKey.readers = [
                "user:ops@netrasystems.ai",
                "group:release@netrasystems.ai",
                "serviceAccount:github-e2e-runner@netra-staging.iam.gserviceaccount.com",
                "principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ci/subject/repo",
                "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ci/*",
            ];
        });
        expect(config.gcpProject).to.equal("a-project-id-of-30-characters0");
        expect(config.region).to.equal("northamerica-northeast2");
        expect(config.domain).to.have.length(253);
        const added = config.services[3];
        expect([added.key, added.name, added.serviceAccountId]).to.deep.equal([
            `a${"b".repeat(29)}`,
            `n${"-0".repeat(23)}z9`,
            `s${"-9".repeat(14)}z`,
        ]);
        expect(added.vpcConnector).to.deep.equal({ name: `c${"-8".repeat(11)}9x`, egress: "all-traffic" });
        expect(added.cloudSqlInstances).to.deep.equal([`p${"-1".repeat(14)}q:europe-west10:i${"-2".repeat(48)}j`]);
        expect(added.secrets.DB_URL).to.deep.equal({ secret: `az09_-${"x".repeat(249)}`, version: "10" });
        expect(added.secrets.DB_HOST).to.deep.equal({ secret: "Az09_-x", version: "latest" });
        expect(config.e2eKey?.rotation).to.equal(`v1.2_3-${"z".repeat(57)}`);
        expect(config.e2eKey?.readers).to.have.length(5);
    });
});

/** The rows of the README table under `heading`, as its first column (the key) to its `column`-th cell. */
function readmeTable(heading: string, column: number): Map<string, string> {
    const text = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const start = text.indexOf(`\n${heading}\n`);
    expect(start, heading).to.be.greaterThan(-1);
    const rows = new Map<string, string>();
    for (const line of text.slice(start + heading.length + 2).split("\n")) {
        if (line.startsWith("#")) {
            break;
        }
        if (!line.startsWith("| `")) {
            continue;
        }
        // Cells are split on `|` not escaped as `\|` (the vpcConnector row has one inside its text).
        const cells = line
            .split(/(?<!\\)\|/)
            .slice(1, -1)
            .map((cell) => cell.trim());
        const keys = cells[0].split(" / ");
        const defaults = cells[column].split(" / ");
        keys.forEach((key, index) => rows.set(key.replace(/`/g, ""), defaults[keys.length === defaults.length ? index : 0]));
    }
    return rows;
}

/** A default cell as a value: `"1"` is text, `0` a number, `[]` a list; a bare word like `all` is text. */
function documentedValue(cell: string): unknown {
    const inner = /^`(.*)`$/.exec(cell)?.[1];
    expect(inner, `a default cell in backticks: ${cell}`).to.be.a("string");
    try {
        return JSON.parse(inner as string);
    } catch {
        return inner;
    }
}

describe("stack config: the README's key tables are what the loader does", () => {
    it("documents every service key with the default the loader fills in", () => {
        const table = readmeTable("### Service keys (`netra-platform:services.<key>`)", 1);
        expect(Object.fromEntries(table)).to.deep.equal({
            name: "required",
            image: "required",
            port: "required",
            cpu: '`"1"`',
            memory: '`"512Mi"`',
            minInstances: "`0`",
            maxInstances: "`10`",
            concurrency: "`80`",
            requestTimeoutSeconds: "`300`",
            cpuAlwaysAllocated: "`false`",
            startupCpuBoost: "`false`",
            ingress: "`all`",
            allowUnauthenticated: "`false`",
            serviceAccountId: "`<name, cut to 26>-run`",
            vpcConnector: "none",
            cloudSqlInstances: "`[]`",
            nextPublicEnv: "`false`",
            env: "`{}`",
            secrets: "`{}`",
        });
        const service = parseStackConfig(minimalRaw(), STAGING_SOURCE).services[0] as unknown as Record<string, unknown>;
        expect(Object.keys(service).filter((key) => key !== "key")).to.have.members([...table.keys()]);
        for (const [key, cell] of table) {
            if (cell === "required") {
                expect(minimalErrorOf({ [key]: undefined }), key).to.include(`services.api.${key}\` is missing;`);
            } else if (cell === "none") {
                expect(service[key], key).to.equal(undefined);
            } else if (key === "serviceAccountId") {
                expect(service[key]).to.equal("netra-api-run");
            } else {
                expect(service[key], key).to.deep.equal(documentedValue(cell));
            }
        }
    });

    it("documents the stack keys' defaults and the largest supported stack", () => {
        const table = readmeTable("### Stack keys", 2);
        expect(table.get("netra-platform:adoptExisting")).to.equal("`false`");
        expect(table.get("netra-platform:deletionProtection")).to.equal("`true`");
        expect(table.get("netra-platform:labels")).to.equal("`{}`");
        expect(table.get("netra-platform:e2eOAuthSimulationKey")).to.equal("absent (off)");
        const config = parseStackConfig(minimalRaw(), STAGING_SOURCE);
        expect({
            adoptExisting: config.adoptExisting,
            deletionProtection: config.deletionProtection,
            labels: { ...config.labels },
        }).to.deep.equal({
            adoptExisting: documentedValue("`false`"),
            deletionProtection: documentedValue("`true`"),
            labels: {},
        });
        expect(config.e2eKey).to.equal(undefined);
        const services = readmeTable("### Stack keys", 3).get("netra-platform:services");
        expect(services).to.include("1 to 500 (the supported size");
    });

    it("documents the E2E key's defaults", () => {
        const table = readmeTable("### E2E key (`netra-platform:e2eOAuthSimulationKey`)", 1);
        expect(Object.fromEntries(table)).to.deep.equal({
            enabled: "`false`",
            rotation: '`"1"`',
            consumers: "`[]`",
            readers: "`[]`",
            adoptExisting: "`false`",
        });
        const raw = (e2e: Values) => minimalRaw({}, { e2eOAuthSimulationKey: e2e });
        expect(parseStackConfig(raw({}), STAGING_SOURCE).e2eKey).to.equal(undefined);
        expect(parseStackConfig(raw({ enabled: true }), STAGING_SOURCE).e2eKey).to.deep.equal({
            rotation: "1",
            consumers: [],
            readers: [],
            adoptExisting: false,
        });
    });
});

describe("stack config: a service at its smallest and at its limits", () => {
    it("accepts a millicore CPU, as Cloud Run writes it", () => {
        const config = parseStackConfig(minimalRaw({ cpu: "2000m", memory: "8Gi" }), STAGING_SOURCE);
        expect([config.services[0].cpu, config.services[0].memory]).to.deep.equal(["2000m", "8Gi"]);
    });

    it("accepts 8 CPUs and a decimal whole count, and refuses 8.5 and a number", () => {
        expect(parseStackConfig(minimalRaw({ cpu: "8", memory: "4Gi" }), STAGING_SOURCE).services[0].cpu).to.equal("8");
        expect(parseStackConfig(minimalRaw({ cpu: "2.0" }), STAGING_SOURCE).services[0].cpu).to.equal("2.0");
        expect(minimalErrorOf({ cpu: "8.5" })).to.equal(
            `${F}services.api.cpu\` is "8.5"; expected a CPU count from 0.08 to 8 such as "1", "2" or "4".`,
        );
        expect(minimalErrorOf({ cpu: "8001m" })).to.equal(
            `${F}services.api.cpu\` is "8001m"; expected a CPU count from 0.08 to 8 such as "1", "2" or "4".`,
        );
        expect(minimalErrorOf({ cpu: 4 })).to.equal(
            `${F}services.api.cpu\` is 4 (a number); expected a CPU count from 0.08 to 8 such as "1", "2" or "4", quoted ("4").`,
        );
    });

    it("parses 0.08 CPU (then refused by the limits table) and refuses 0.07 and 79m as no CPU count", () => {
        expect(minimalErrorOf({ cpu: "80m" })).to.match(
            /^Pulumi\.staging\.yaml: `netra-platform:services\.api\.cpu` is "80m", less than 1 CPU, /,
        );
        expect(minimalErrorOf({ cpu: "0.07" })).to.equal(
            `${F}services.api.cpu\` is "0.07"; expected a CPU count from 0.08 to 8 such as "1", "2" or "4".`,
        );
        expect(minimalErrorOf({ cpu: "79m" })).to.equal(
            `${F}services.api.cpu\` is "79m"; expected a CPU count from 0.08 to 8 such as "1", "2" or "4".`,
        );
    });

    it("reads memory in Gi as 1024 Mi, and refuses no memory at all", () => {
        expect(parseStackConfig(minimalRaw({ memory: "4Gi" }), STAGING_SOURCE).services[0].memory).to.equal("4Gi");
        expect(minimalErrorOf({ memory: "4097Mi" })).to.equal(
            `${F}services.api.memory\` is "4097Mi", more than 1 CPU allows (at most 4Gi); set cpu to "2" or more, or memory to at most 4Gi.`,
        );
        expect(minimalErrorOf({ memory: "5Gi" })).to.equal(
            `${F}services.api.memory\` is "5Gi", more than 1 CPU allows (at most 4Gi); set cpu to "2" or more, or memory to at most 4Gi.`,
        );
        expect(minimalErrorOf({ memory: "0Gi" })).to.equal(
            `${F}services.api.memory\` is "0Gi"; expected a size in Mi or Gi such as "512Mi" or "6Gi".`,
        );
        expect(minimalErrorOf({ memory: 512 })).to.equal(
            `${F}services.api.memory\` is 512 (a number); expected a size in Mi or Gi such as "512Mi" or "6Gi".`,
        );
    });

    it("accepts the ends of every integer range and refuses one past them", () => {
        const accepted = parseStackConfig(
            minimalRaw({ port: 65535, minInstances: 1000, maxInstances: 1000, concurrency: 1000, requestTimeoutSeconds: 3600 }),
            STAGING_SOURCE,
        ).services[0];
        expect([
            accepted.port,
            accepted.minInstances,
            accepted.maxInstances,
            accepted.concurrency,
            accepted.requestTimeoutSeconds,
        ]).to.deep.equal([65535, 1000, 1000, 1000, 3600]);
        const low = parseStackConfig(minimalRaw({ port: 1, maxInstances: 1, concurrency: 1, requestTimeoutSeconds: 1 }), STAGING_SOURCE)
            .services[0];
        expect([low.port, low.minInstances, low.maxInstances, low.concurrency, low.requestTimeoutSeconds]).to.deep.equal([1, 0, 1, 1, 1]);
        expect(
            minimalErrorOf({ minInstances: -1, maxInstances: 0, concurrency: 0, requestTimeoutSeconds: 0, port: 1.5 }).split("\n"),
        ).to.deep.equal([
            `${F}services.api.port\` is 1.5; expected an integer from 1 to 65535.`,
            `${F}services.api.minInstances\` is -1; expected an integer from 0 to 1000.`,
            `${F}services.api.maxInstances\` is 0; expected an integer from 1 to 1000.`,
            `${F}services.api.concurrency\` is 0; expected an integer from 1 to 1000.`,
            `${F}services.api.requestTimeoutSeconds\` is 0; expected an integer from 1 to 3600.`,
        ]);
        expect(minimalErrorOf({ minInstances: 1001, maxInstances: 1001 }).split("\n")).to.deep.equal([
            `${F}services.api.minInstances\` is 1001; expected an integer from 0 to 1000.`,
            `${F}services.api.maxInstances\` is 1001; expected an integer from 1 to 1000.`,
        ]);
    });

    it("accepts as many minimum instances as maximum", () => {
        expect(parseStackConfig(minimalRaw({ minInstances: 3, maxInstances: 3 }), STAGING_SOURCE).services[0].minInstances).to.equal(3);
    });

    it("says to unquote a quoted integer, also with spaces or a sign, and not for other text", () => {
        expect(
            minimalErrorOf({ port: " 8080 ", concurrency: "-1", maxInstances: "10x", requestTimeoutSeconds: "t300" }).split("\n"),
        ).to.deep.equal([
            `${F}services.api.port\` is " 8080 "; expected an integer from 1 to 65535, unquoted.`,
            `${F}services.api.maxInstances\` is "10x"; expected an integer from 1 to 1000.`,
            `${F}services.api.concurrency\` is "-1"; expected an integer from 1 to 1000, unquoted.`,
            `${F}services.api.requestTimeoutSeconds\` is "t300"; expected an integer from 1 to 3600.`,
        ]);
    });

    it("says to unquote a quoted flag, and names the type of any other", () => {
        expect(
            minimalErrorOf({ cpuAlwaysAllocated: "true", startupCpuBoost: "false", nextPublicEnv: "yes", allowUnauthenticated: 1 }).split(
                "\n",
            ),
        ).to.deep.equal([
            `${F}services.api.cpuAlwaysAllocated\` is "true"; expected true or false, unquoted.`,
            `${F}services.api.startupCpuBoost\` is "false"; expected true or false, unquoted.`,
            `${F}services.api.allowUnauthenticated\` is 1 (a number); expected true or false.`,
            `${F}services.api.nextPublicEnv\` is "yes"; expected true or false.`,
        ]);
    });

    it("takes every setting it is given, not its default", () => {
        const service = parseStackConfig(
            minimalRaw({
                cpu: "2",
                memory: "1Gi",
                minInstances: 1,
                maxInstances: 3,
                concurrency: 1,
                requestTimeoutSeconds: 30,
                cpuAlwaysAllocated: true,
                startupCpuBoost: true,
                ingress: "internal-and-cloud-load-balancing",
                allowUnauthenticated: true,
                serviceAccountId: "api-runtime",
                vpcConnector: { name: "staging-connector-v2" },
                cloudSqlInstances: ["netra-staging:us-central1:netra-postgres"],
                nextPublicEnv: true,
                env: { LOG_LEVEL: "debug" },
                secrets: { DB_PASSWORD: { secret: "db-password" } },
            }),
            STAGING_SOURCE,
        ).services[0];
        expect({ ...service, env: { ...service.env }, secrets: { ...service.secrets } }).to.deep.equal({
            key: "api",
            name: "netra-api",
            image: "gcr.io/p/api:1",
            port: 8080,
            cpu: "2",
            memory: "1Gi",
            minInstances: 1,
            maxInstances: 3,
            concurrency: 1,
            requestTimeoutSeconds: 30,
            cpuAlwaysAllocated: true,
            startupCpuBoost: true,
            ingress: "internal-and-cloud-load-balancing",
            allowUnauthenticated: true,
            serviceAccountId: "api-runtime",
            vpcConnector: { name: "staging-connector-v2", egress: "private-ranges-only" },
            cloudSqlInstances: ["netra-staging:us-central1:netra-postgres"],
            nextPublicEnv: true,
            env: { LOG_LEVEL: "debug" },
            secrets: { DB_PASSWORD: { secret: "db-password", version: "latest" } },
        });
        expect(parseStackConfig(minimalRaw({ ingress: "internal" }), STAGING_SOURCE).services[0].ingress).to.equal("internal");
    });

    it("derives the account id from the name cut to 26 characters, without the dashes the cut leaves at its end", () => {
        const accountOf = (name: string) => parseStackConfig(minimalRaw({ name }), STAGING_SOURCE).services[0].serviceAccountId;
        expect(accountOf("netra-frontend-staging-v--blue")).to.equal("netra-frontend-staging-v-run");
        expect(accountOf("netra-frontend-staging-blue-green")).to.equal("netra-frontend-staging-blu-run");
    });

    it("refuses an account id used by two services", () => {
        const raw = minimalRaw({ serviceAccountId: "shared-run" });
        raw.values.services.web = { name: "netra-web", image: "gcr.io/p/web:1", port: 3000, serviceAccountId: "shared-run" };
        let message = "";
        try {
            parseStackConfig(raw, STAGING_SOURCE);
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).to.equal(
            `${F}services.web.serviceAccountId\` is "shared-run", already used by service \`api\`; each service needs its own.`,
        );
    });

    it("flags a reused name once, not again for the account id derived from it", () => {
        expect(errorOf((_raw, values) => (values.services.auth.name = "netra-backend-staging"))).to.equal(
            `${F}services.auth.name\` is "netra-backend-staging", already used by service \`backend\`; each service needs its own.`,
        );
    });

    it("counts the platform's variables towards Cloud Run's 1000, and accepts exactly 1000", () => {
        // The platform sets 11 variables on a service at most (ENVIRONMENT, GCP_PROJECT_ID, 3 URLs, 5 NEXT_PUBLIC_*, the E2E key).
        const variables = (count: number, prefix: string) =>
            Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}_${index}`, `v${index}`]));
        const secrets = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`S_${index}`, `s-${index}`]));
        const service = parseStackConfig(minimalRaw({ env: variables(500, "V"), secrets: secrets(489) }), STAGING_SOURCE).services[0];
        expect([Object.keys(service.env).length, Object.keys(service.secrets).length]).to.deep.equal([500, 489]);
        expect(minimalErrorOf({ env: variables(500, "V"), secrets: secrets(490) })).to.equal(
            `${F}services.api.env\` declares 1001 variables with the platform's; Cloud Run allows at most 1000.`,
        );
        expect(minimalErrorOf({ env: variables(990, "V") })).to.equal(
            `${F}services.api.env\` declares 1001 variables with the platform's; Cloud Run allows at most 1000.`,
        );
    });

    it("accepts 500 services, the supported size", () => {
        const raw = minimalRaw();
        raw.values.services = Object.fromEntries(
            Array.from({ length: 500 }, (_, index) => [`svc-${index}`, { name: `netra-svc-${index}`, image: "gcr.io/p/a:1", port: 8080 }]),
        );
        expect(parseStackConfig(raw, STAGING_SOURCE).services).to.have.length(500);
    });
});

describe("stack config: a map key given something else says what it got", () => {
    const cases: { rule: string; edit: (raw: Raw, values: Values) => void; message: string }[] = [
        {
            rule: "refuses `secrets` given as one secret id",
            edit: (_raw, values) => (values.services.frontend.secrets = "jwt-secret-staging"),
            message: `${F}services.frontend.secrets\` is "jwt-secret-staging"; expected a map of variable names to Secret Manager secret ids.`,
        },
        {
            rule: "refuses an empty `secrets:`",
            edit: (_raw, values) => (values.services.frontend.secrets = null),
            message: `${F}services.frontend.secrets\` is empty; expected a map of variable names to Secret Manager secret ids; list entries under it or remove the key.`,
        },
        {
            rule: "refuses a secret reference given as a list",
            edit: (_raw, values) => (values.services.backend.secrets.FERNET_KEY = ["fernet-key-staging", "3"]),
            message: `${F}services.backend.secrets.FERNET_KEY\` is a list; expected a Secret Manager secret id (letters, digits, - and _, at most 255), or a map with \`secret\` and \`version\`.`,
        },
        {
            // A number in a secret's place may be a PIN or a numeric password: named by its type only.
            rule: "refuses a secret reference given as a number, naming its type, not its value",
            edit: (_raw, values) => (values.services.backend.secrets.FERNET_KEY = 3),
            message: `${F}services.backend.secrets.FERNET_KEY\` is a number (value not shown); expected a Secret Manager secret id (letters, digits, - and _, at most 255), or a map with \`secret\` and \`version\`.`,
        },
        {
            rule: "refuses `vpcConnector` given as the connector's name",
            edit: (_raw, values) => (values.services.backend.vpcConnector = "staging-connector-v2"),
            message: `${F}services.backend.vpcConnector\` is "staging-connector-v2"; expected a map with \`name\` and \`egress\`.`,
        },
        {
            rule: "refuses a service given as its image",
            edit: (_raw, values) => (values.services.frontend = "gcr.io/netra-staging/netra-frontend-staging:latest"),
            message: `${F}services.frontend\` is "gcr.io/netra-staging/netra-frontend-staging:latest"; expected a map with at least \`name\`, \`image\` and \`port\`.`,
        },
        {
            rule: "refuses a service written with nothing under it",
            edit: (_raw, values) => (values.services.frontend = null),
            message: `${F}services.frontend\` is empty; expected a map with at least \`name\`, \`image\` and \`port\`; list entries under it or remove the key.`,
        },
        {
            rule: "refuses `services` given as a list",
            edit: (_raw, values) => {
                values.services = [{ name: "netra-api", image: "gcr.io/p/api:1", port: 8080 }];
                delete values.e2eOAuthSimulationKey;
            },
            message: `${F}services\` is a list; expected a map of at least one service key to its settings.`,
        },
        {
            rule: "refuses a missing `services`",
            edit: (_raw, values) => {
                delete values.services;
                delete values.e2eOAuthSimulationKey;
            },
            message: `${F}services\` is missing; expected a map of at least one service key to its settings.`,
        },
        {
            rule: "refuses `labels` given as a list",
            edit: (_raw, values) => (values.labels = ["team=platform"]),
            message: `${F}labels\` is a list; expected a map of label keys to values.`,
        },
        {
            rule: "refuses a label value given as a number, naming its type",
            edit: (_raw, values) => (values.labels = { tier: 1 }),
            message: `${F}labels.tier\` is 1 (a number); expected a label value (at most 63 lower-case letters, digits, _ and -).`,
        },
        {
            rule: "refuses `e2eOAuthSimulationKey: true`, which is not how the key is enabled",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey = true),
            message: `${F}e2eOAuthSimulationKey\` is true; expected a map with \`enabled\`, \`rotation\`, \`consumers\` and \`readers\`.`,
        },
        {
            rule: "refuses key consumers given as one service key",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.consumers = "auth"),
            message: `${F}e2eOAuthSimulationKey.consumers\` is "auth"; expected a list of service keys.`,
        },
        {
            rule: "refuses an empty `readers:`, saying to list entries or remove it",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.readers = null),
            message: `${F}e2eOAuthSimulationKey.readers\` is empty; expected a list of IAM members such as serviceAccount:runner@project.iam.gserviceaccount.com; list entries under it or remove the key.`,
        },
        {
            rule: "refuses an image given as a number",
            edit: (_raw, values) => (values.services.frontend.image = 1),
            message: `${F}services.frontend.image\` is 1 (a number); expected a container image such as gcr.io/<project>/<name>@sha256:<digest>.`,
        },
        {
            rule: "refuses an environment given as a boolean, naming its type",
            edit: (_raw, values) => (values.environment = true),
            message: `${F}environment\` is true (a boolean); allowed: development (dev, local), test (testing), staging (stage), production (prod).`,
        },
        {
            rule: "refuses a quoted ingress that is not text, naming its type",
            edit: (_raw, values) => (values.services.frontend.ingress = 1),
            message: `${F}services.frontend.ingress\` is 1 (a number); allowed: all, internal, internal-and-cloud-load-balancing.`,
        },
        {
            rule: "refuses an unquoted boolean where text belongs, saying to quote it",
            edit: (_raw, values) => (values.services.frontend.name = true),
            message: `${F}services.frontend.name\` is true (a boolean); expected a Cloud Run service name (lower-case letters, digits and -, at most 49), quoted ("true").`,
        },
        {
            rule: "refuses an env value given as a list, without a quoting hint",
            edit: (_raw, values) => (values.services.frontend.env.NODE_OPTIONS = ["--max-old-space-size=4096"]),
            message: `${F}services.frontend.env.NODE_OPTIONS\` is a list; expected text.`,
        },
        {
            rule: "refuses an env value holding a NUL character",
            edit: (_raw, values) => (values.services.frontend.env.GREETING = "hello\0world"),
            message: `${F}services.frontend.env.GREETING\` holds a NUL character, which no process environment can carry; remove it.`,
        },
        {
            rule: "refuses a hand-written Next.js public URL the platform derives",
            edit: (_raw, values) => (values.services.frontend.env.NEXT_PUBLIC_API_URL = "https://api.staging.netrasystems.ai"),
            message: `${F}services.frontend.env.NEXT_PUBLIC_API_URL\` is derived by the platform from \`gcp:project\`, \`domain\` and \`environment\`; remove it.`,
        },
        {
            rule: "refuses an egress that Cloud Run does not know, listing the allowed values",
            edit: (_raw, values) => (values.services.backend.vpcConnector.egress = "all"),
            message: `${F}services.backend.vpcConnector.egress\` is "all"; allowed: private-ranges-only, all-traffic.`,
        },
        {
            rule: "refuses a connector without a name",
            edit: (_raw, values) => (values.services.backend.vpcConnector = { egress: "all-traffic" }),
            message: `${F}services.backend.vpcConnector.name\` is missing; expected a Serverless VPC Access connector name.`,
        },
        {
            rule: "refuses `cloudSqlInstances` given as one connection name",
            edit: (_raw, values) => (values.services.auth.cloudSqlInstances = "netra-staging:us-central1:netra-postgres"),
            message: `${F}services.auth.cloudSqlInstances\` is "netra-staging:us-central1:netra-postgres"; expected a list of instance connection names (project:region:instance).`,
        },
    ];

    for (const { rule, edit, message } of cases) {
        it(rule, () => {
            expect(errorOf(edit)).to.equal(message);
        });
    }
});

describe("stack config: secret references", () => {
    it("mounts a map-form reference without a version at latest", () => {
        const config = parse((_raw, values) => (values.services.backend.secrets.FERNET_KEY = { secret: "fernet-key-staging" }));
        expect(config.services[0].secrets.FERNET_KEY).to.deep.equal({ secret: "fernet-key-staging", version: "latest" });
    });

    it("accepts `version: latest` written out", () => {
        const config = parse(
            (_raw, values) => (values.services.backend.secrets.FERNET_KEY = { secret: "fernet-key-staging", version: "latest" }),
        );
        expect(config.services[0].secrets.FERNET_KEY).to.deep.equal({ secret: "fernet-key-staging", version: "latest" });
    });

    it("refuses a map-form reference without its secret, and an unknown key in it, naming the key meant", () => {
        expect(errorOf((_raw, values) => (values.services.backend.secrets.FERNET_KEY = { versoin: "3" })).split("\n")).to.deep.equal([
            `${F}services.backend.secrets.FERNET_KEY.versoin\` is not a known key (did you mean \`version\`?); allowed: secret, version.`,
            `${F}services.backend.secrets.FERNET_KEY.secret\` is missing; expected a Secret Manager secret id (letters, digits, - and _, at most 255).`,
        ]);
    });

    it("mounts one secret under two variable names, with one spelling of its id", () => {
        const config = parse((_raw, values) => (values.services.backend.secrets.DATABASE_HOST = "postgres-host-staging"));
        expect(config.services[0].secrets.DATABASE_HOST).to.deep.equal({ secret: "postgres-host-staging", version: "latest" });
        expect(config.services[0].secrets.POSTGRES_HOST).to.deep.equal({ secret: "postgres-host-staging", version: "latest" });
    });

    it("names the first spelling of an id even after a third variable reads the same secret", () => {
        const message = errorOf((_raw, values) => {
            values.services.frontend.secrets = { A: "db-host", B: "db-host", C: "DB_HOST" };
        });
        expect(message).to.equal(
            `${F}services.frontend.secrets.C\` is "DB_HOST", which differs from "db-host" (\`B\`) only in case, _ and -; use one spelling of the secret id.`,
        );
    });

    it("reports a hand-mounted E2E key once, not also as a clash with another spelling of its id", () => {
        const message = errorOf((_raw, values) => {
            values.services.frontend.secrets = { A: "e2e-bypass-key", B: "E2E_BYPASS_KEY" };
        });
        expect(message.split("\n")).to.deep.equal([
            `${F}services.frontend.secrets.A\` is "e2e-bypass-key", the E2E OAuth simulation key (E2E_OAUTH_SIMULATION_KEY, e2e-oauth-simulation-key-staging, e2e-bypass-key); list the service under \`e2eOAuthSimulationKey.consumers\` instead.`,
            `${F}services.frontend.secrets.B\` is "E2E_BYPASS_KEY", the E2E OAuth simulation key (E2E_OAUTH_SIMULATION_KEY, e2e-oauth-simulation-key-staging, e2e-bypass-key); list the service under \`e2eOAuthSimulationKey.consumers\` instead.`,
        ]);
    });
});

describe("stack config: a secret's place never shows what stands in it", () => {
    /** A human-length password with the punctuation generators add; generated, never committed. */
    const password = (): string => `${randomBytes(9).toString("base64url")}!#`;
    /** An OpenAI-style project key, assembled at run time. */
    const openAiKey = (): string => ["sk", "proj", `Aa1${randomBytes(30).toString("hex")}`].join("-");

    it("refuses a password written where its secret's id belongs, without showing it", () => {
        const value = password();
        const message = minimalErrorOf({ secrets: { DB_PASSWORD: value } });
        expect(message).to.equal(
            `${F}services.api.secrets.DB_PASSWORD\` is text that is not a secret id (value not shown); expected a Secret Manager secret id (letters, digits, - and _, at most 255).`,
        );
        expect(message).not.to.include(value);
    });

    it("refuses a key written where its secret's id belongs though it is a valid id, without showing it", () => {
        const value = openAiKey();
        const message = minimalErrorOf({ secrets: { OPENAI_API_KEY: value, STRIPE_KEY: { secret: randomBytes(20).toString("hex") } } });
        expect(message.split("\n")).to.deep.equal([
            `${F}services.api.secrets.OPENAI_API_KEY\` looks like a key (an OpenAI API key, value not shown); store the key in Secret Manager and give the id of its secret here.`,
            `${F}services.api.secrets.STRIPE_KEY.secret\` looks like a key (a long hex string, value not shown); store the key in Secret Manager and give the id of its secret here.`,
        ]);
        expect(message.toLowerCase()).not.to.include(value.toLowerCase());
    });

    it("names a flag or a number in a secret's place by its type only, and an empty text as empty", () => {
        expect(minimalErrorOf({ secrets: { A_PIN: 123456, B_FLAG: true, C_ID: "" } }).split("\n")).to.deep.equal([
            `${F}services.api.secrets.A_PIN\` is a number (value not shown); expected a Secret Manager secret id (letters, digits, - and _, at most 255), or a map with \`secret\` and \`version\`.`,
            `${F}services.api.secrets.B_FLAG\` is a boolean (value not shown); expected a Secret Manager secret id (letters, digits, - and _, at most 255), or a map with \`secret\` and \`version\`.`,
            `${F}services.api.secrets.C_ID\` is empty text; expected a Secret Manager secret id (letters, digits, - and _, at most 255).`,
        ]);
    });

    it("accepts the staging reference's ids and any lower-case id", () => {
        const config = parseStackConfig(
            minimalRaw({ secrets: { DB_PASSWORD: "postgres-password-staging", API: "openai-api-key-staging-2" } }),
            STAGING_SOURCE,
        );
        expect(config.services[0].secrets).to.deep.equal({
            DB_PASSWORD: { secret: "postgres-password-staging", version: "latest" },
            API: { secret: "openai-api-key-staging-2", version: "latest" },
        });
    });
});

describe("stack config: a plain variable is judged by the pack's plaintext rule (rules/plaintext-secret.ts)", () => {
    const password = (): string => randomBytes(9).toString("base64url");
    const refused = (name: string, problem: string) => `${F}services.api.env.${name}\` ${problem}.`;
    const keyLike = (kind: string) =>
        `looks like a key (${kind}, value not shown); keep keys in Secret Manager and list them under \`secrets\``;
    const namesSecret = (word: string) =>
        `names a secret (contains ${word}) but is a plain value; move it to \`secrets\` as a Secret Manager reference`;

    it("refuses a password set as key=value inside a connection string, in each form", () => {
        const env = {
            DATABASE_URL: `postgres://db.staging.netrasystems.ai/app?sslmode=require&password=${password()}`,
            JDBC_URL: `jdbc:postgresql://db.staging.netrasystems.ai:5432/app?user=app&password=${password()}`,
            DB_CONNECTION: `Server=db.staging.netrasystems.ai;Database=app;User Id=app;Password=${password()};`,
            PG_DSN: `host=db.staging.netrasystems.ai dbname=app user=app password=${password()}`,
            REDIS_URL: `redis://default:$${password()}@10.0.0.7:6379/0`,
        };
        const message = minimalErrorOf({ env });
        expect(message.split("\n")).to.deep.equal([
            refused("DATABASE_URL", keyLike("a credential in a key=value setting")),
            refused("JDBC_URL", keyLike("a credential in a key=value setting")),
            refused("DB_CONNECTION", keyLike("a credential in a key=value setting")),
            refused("PG_DSN", keyLike("a credential in a key=value setting")),
            refused("REDIS_URL", keyLike("a URL with a password")),
        ]);
    });

    it("refuses a credential name that runs its secret word into another, or ends in CREDS", () => {
        const env = { PGPASSWORD: password(), ADMINPASSWORD: password(), DB_CREDS: `netra:${password()}` };
        expect(minimalErrorOf({ env }).split("\n")).to.deep.equal([
            refused("PGPASSWORD", namesSecret("PASSWORD")),
            refused("ADMINPASSWORD", namesSecret("PASSWORD")),
            refused("DB_CREDS", namesSecret("CREDS")),
        ]);
    });

    it("refuses a secret-named flag written unquoted for its type, as any flag, not as a secret", () => {
        expect(minimalErrorOf({ env: { REQUIRE_TOKEN: true } })).to.equal(
            'Pulumi.staging.yaml: `netra-platform:services.api.env.REQUIRE_TOKEN` is true (a boolean); expected text; quote it ("true") so the container gets exactly that text.',
        );
    });

    it("refuses an npm token and a SendGrid key by secretlint's preset, as the pack does", () => {
        const npm = ["np", "m_", `Aa1${randomBytes(24).toString("hex").slice(0, 33)}`].join("");
        const sendgrid = [
            "S",
            "G.",
            `Aa1${randomBytes(12).toString("hex").slice(0, 19)}`,
            ".",
            `Bb2${randomBytes(24).toString("hex").slice(0, 40)}`,
        ].join("");
        expect(minimalErrorOf({ env: { NPM_REGISTRY: npm, MAIL_DELIVERY: sendgrid } }).split("\n")).to.deep.equal([
            refused("NPM_REGISTRY", keyLike("an npm access token")),
            refused("MAIL_DELIVERY", keyLike("a SendGrid API key")),
        ]);
    });

    it("accepts a commit SHA, a mounted key file's path, a public key, a certificate, resource names and flags", () => {
        const publicKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString();
        const certificate = `-----BEGIN CERTIFICATE-----\n${randomBytes(48).toString("base64")}\n-----END CERTIFICATE-----`;
        const env = {
            GIT_COMMIT_SHA: randomBytes(20).toString("hex"),
            GOOGLE_APPLICATION_CREDENTIALS: "/var/secrets/google/key.json",
            JWT_PUBLIC_KEY: publicKey,
            OIDC_CA_BUNDLE: certificate,
            KMS_KEY_NAME: "projects/netra-staging/locations/us-central1/keyRings/Ring1/cryptoKeys/Key2",
            PUBSUB_TOPIC: "projects/netra-staging/topics/AgentEvents2",
            REQUIRE_AUTH: "true",
            DISABLE_AUTH: "0",
            SMTP_AUTH: "login",
            SERVICE_NAME: "NetraAuthServiceOauthHmacSecretStaging2024",
            PASSWORD_MIN_LENGTH: "12",
            DATABASE_URL: "postgres://app:${DB_PASSWORD}@10.0.0.5:5432/app?sslmode=require",
        };
        expect(parseStackConfig(minimalRaw({ env }), STAGING_SOURCE).services[0].env).to.deep.equal(env);
    });
});

describe("stack config: every problem in one run", () => {
    it("reports an unknown stack key together with every other problem", () => {
        expect(
            errorOf((raw, values) => {
                values.enviroment = "staging";
                raw.gcpRegion = "us-central1-a";
                values.services.auth.port = 0;
                values.services.auth.replica = 2;
                values.e2eOAuthSimulationKey.consumer = ["auth"];
            }).split("\n"),
        ).to.deep.equal([
            `${F}enviroment\` is not a known key (did you mean \`environment\`?); allowed: environment, domain, adoptExisting, deletionProtection, labels, services, e2eOAuthSimulationKey.`,
            'Pulumi.staging.yaml: `gcp:region` is "us-central1-a"; expected a Google Cloud region such as us-central1.',
            `${F}services.auth.replica\` is not a known key; allowed: name, image, port, cpu, memory, minInstances, maxInstances, concurrency, requestTimeoutSeconds, cpuAlwaysAllocated, startupCpuBoost, ingress, allowUnauthenticated, serviceAccountId, vpcConnector, cloudSqlInstances, nextPublicEnv, env, secrets.`,
            `${F}services.auth.port\` is 0; expected an integer from 1 to 65535.`,
            `${F}e2eOAuthSimulationKey.consumer\` is not a known key (did you mean \`consumers\`?); allowed: enabled, rotation, consumers, readers, adoptExisting.`,
        ]);
    });

    it("reports only the encrypted key when one is encrypted: nothing else can be judged offline", () => {
        expect(
            errorOf((raw, values) => {
                Object.assign(raw, { secretKeys: ["labels"] });
                values.enviroment = "staging";
                raw.gcpProject = undefined;
            }).split("\n"),
        ).to.deep.equal([
            `${F}enviroment\` is not a known key (did you mean \`environment\`?); allowed: environment, domain, adoptExisting, deletionProtection, labels, services, e2eOAuthSimulationKey.`,
            `${F}labels\` is encrypted (\`secure:\`), but this program takes no secrets from config; store the value in Secret Manager and reference it under a service's \`secrets\`.`,
        ]);
    });

    it("escapes and cuts an encrypted key's name", () => {
        expect(errorOf((raw) => Object.assign(raw, { secretKeys: [`bad\n${"k".repeat(70)}`] }))).to.equal(
            `${F}bad\\n${"k".repeat(60)}... (74 characters)\` is encrypted (\`secure:\`), but this program takes no secrets from config; store the value in Secret Manager and reference it under a service's \`secrets\`.`,
        );
    });

    it("still checks a disabled E2E key's settings", () => {
        expect(
            errorOf((_raw, values) => {
                values.e2eOAuthSimulationKey = { enabled: false, rotation: 2, consumers: ["e2e"], adoptExisting: "no" };
            }).split("\n"),
        ).to.deep.equal([
            `${F}e2eOAuthSimulationKey.rotation\` is 2 (a number); expected a short rotation marker such as "1" or "2026-11", quoted ("2").`,
            `${F}e2eOAuthSimulationKey.consumers[0]\` is "e2e", which is not a declared service; declared: backend, auth, frontend.`,
            `${F}e2eOAuthSimulationKey.adoptExisting\` is "no"; expected true or false.`,
        ]);
    });

    it("names no declared service when `services` is not a map", () => {
        expect(
            errorOf((_raw, values) => {
                values.services = "backend";
            }).split("\n"),
        ).to.deep.equal([
            `${F}services\` is "backend"; expected a map of at least one service key to its settings.`,
            `${F}e2eOAuthSimulationKey.consumers[0]\` is "auth", which is not a declared service; declared: none.`,
        ]);
    });

    it("lists declared service keys escaped, also those that are invalid", () => {
        expect(
            errorOf((_raw, values) => {
                values.services = { "we\nb": { name: "netra-web", image: "gcr.io/p/web:1", port: 3000 } };
            }).split("\n"),
        ).to.deep.equal([
            `${F}services.we\\nb\` is not a valid service key; allowed: lower-case letters, digits and -, starting with a letter and ending with a letter or digit, at most 30 characters.`,
            `${F}e2eOAuthSimulationKey.consumers[0]\` is "auth", which is not a declared service; declared: we\\nb.`,
        ]);
    });

    it("takes the stack's own settings over the defaults", () => {
        const config = parse((_raw, values) => {
            values.adoptExisting = true;
            values.deletionProtection = false;
            values.e2eOAuthSimulationKey.adoptExisting = true;
            values.e2eOAuthSimulationKey.rotation = "2026-11";
        });
        expect([config.adoptExisting, config.deletionProtection, config.e2eKey?.adoptExisting, config.e2eKey?.rotation]).to.deep.equal([
            true,
            false,
            true,
            "2026-11",
        ]);
        expect({ ...config.labels }).to.deep.equal({ team: "platform" });
        expect(config.source).to.deep.equal({ file: "Pulumi.staging.yaml", namespace: "netra-platform", stack: "staging" });
    });
});

describe("stack config: a variable's name is judged before its value", () => {
    const names: [string, string][] = [
        ["LOG-LEVEL", "is not a valid variable name; allowed: letters, digits and underscores, not starting with a digit"],
        ["K_REVISION", "is reserved by Cloud Run; reserved: PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*"],
        ["ENVIRONMENT", "is set by the platform from the stack's `environment`; remove it from the stack file"],
        ["E2E_OAUTH_SIMULATION_KEY", "is mounted by the platform on the services listed in `e2eOAuthSimulationKey.consumers`; remove it"],
        ["GCP_PROJECT_ID", "is derived by the platform from `gcp:project`, `domain` and `environment`; remove it"],
        ["Frontend_Url", "differs only in letter case from `FRONTEND_URL`, which the platform sets; remove it"],
    ];
    for (const [name, problem] of names) {
        it(`reports one problem for \`${name}\` under env and under secrets, whatever its value`, () => {
            const message = minimalErrorOf({ env: { [name]: 8000 }, secrets: { [name]: ["not", "a", "reference"] } });
            expect(message.split("\n")).to.deep.equal([
                `${F}services.api.env.${name}\` ${problem}.`,
                `${F}services.api.secrets.${name}\` ${problem}.`,
            ]);
        });
    }

    it("refuses a secret reference written with nothing under it", () => {
        expect(minimalErrorOf({ secrets: { DB_PASSWORD: null } })).to.equal(
            `${F}services.api.secrets.DB_PASSWORD\` is empty; expected a Secret Manager secret id (letters, digits, - and _, at most 255), or a map with \`secret\` and \`version\`.`,
        );
    });

    it("refuses `services:` written with nothing under it", () => {
        expect(minimalErrorOf({}, { services: null })).to.equal(
            `${F}services\` is empty; expected a map of at least one service key to its settings.`,
        );
    });
});

describe("stack config: a flood of mistakes stays bounded", () => {
    it("shows ten unknown keys and counts the rest as unknown keys", () => {
        const lines = errorOf((_raw, values) => {
            for (let index = 0; index < 12; index++) {
                values[`extra${index}`] = "x";
            }
        }).split("\n");
        expect(lines).to.have.length(11);
        expect(lines[10]).to.equal("Pulumi.staging.yaml: and 2 more unknown keys.");
    });

    it("accepts a domain that names the stack's environment in any label it chose, and production's with none", () => {
        const accepted = [
            ["staging", "netra-staging.example.com"],
            ["staging", "api.stage.netra.io"],
            ["development", "dev.netrasystems.ai"],
            ["production", "netrasystems.ai"],
            ["production", "prod.netrasystems.ai"],
        ].map(
            ([environment, domain]) =>
                parse((_raw, values) =>
                    Object.assign(values, { environment, domain, e2eOAuthSimulationKey: { enabled: environment === "staging" } }),
                ).domain,
        );
        expect(accepted).to.deep.equal([
            "netra-staging.example.com",
            "api.stage.netra.io",
            "dev.netrasystems.ai",
            "netrasystems.ai",
            "prod.netrasystems.ai",
        ]);
    });

    it("accepts a domain with one-letter labels", () => {
        expect(parse((_raw, values) => (values.domain = "a.b.staging.netrasystems.ai")).domain).to.equal("a.b.staging.netrasystems.ai");
    });
});
