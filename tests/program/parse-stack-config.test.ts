import { expect } from "chai";
import { StackConfigError } from "../../components/config/config-error";
import { parseStackConfig, SERVICE_DEFAULTS } from "../../components/config/parse-stack-config";
import type { StackConfig } from "../../components/config/types";
import { STAGING_SOURCE, stagingRaw, type Values } from "../support/staging-fixture";

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
            ...SERVICE_DEFAULTS,
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
            message: `${F}services.backend.cpu\` is "four"; expected a CPU count from 0.08 to 8 such as "1", "4" or "500m".`,
        },
        {
            rule: "rejects a CPU beyond Cloud Run's range",
            edit: (_raw, values) => (values.services.backend.cpu = "16"),
            message: `${F}services.backend.cpu\` is "16"; expected a CPU count from 0.08 to 8 such as "1", "4" or "500m".`,
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
            edit: (_raw, values) => (values.environment = "prod"),
            message: `${F}e2eOAuthSimulationKey.enabled\` is true on a production stack; the E2E OAuth simulation key bypasses OAuth and is allowed only on staging.`,
        },
        {
            rule: "rejects the E2E key enabled on a development stack too, as the policy pack does",
            edit: (_raw, values) => (values.environment = "dev"),
            message: `${F}e2eOAuthSimulationKey.enabled\` is true on a development stack; the E2E OAuth simulation key bypasses OAuth and is allowed only on staging.`,
        },
        {
            rule: "rejects a key consumer that names no declared service",
            edit: (_raw, values) => (values.e2eOAuthSimulationKey.consumers = ["auth", "e2e"]),
            message: `${F}e2eOAuthSimulationKey.consumers[1]\` is "e2e", which is not a declared service; declared: backend, auth, frontend.`,
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
