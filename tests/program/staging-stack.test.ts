import { expect } from "chai";
import { MockCloud } from "../../check/mock-cloud";
import { runUnderMocks } from "../../check/run-program";
import { StackConfigError } from "../../components/config/config-error";
import { readStackConfig } from "../../components/config/read-stack-config";
import { defineNetraStack } from "../../components/netra-stack";
import { NETRA_RESOURCE_TYPES, resourceNamed, runNetraStack, SECRET_SIG_KEY } from "../support/mock-stack";
import { stagingRaw, stagingStackFile, toCliConfig } from "../support/staging-fixture";

const SHARED_SECRETS = [
    "postgres-host-staging",
    "postgres-port-staging",
    "postgres-db-staging",
    "postgres-user-staging",
    "postgres-password-staging",
    "jwt-secret-staging",
    "secret-key-staging",
    "service-secret-staging",
    "service-id-staging",
    "redis-host-staging",
    "redis-port-staging",
    "redis-password-staging",
];
const BACKEND_SECRETS = [
    ...SHARED_SECRETS,
    "fernet-key-staging",
    "openai-api-key-staging",
    "anthropic-api-key-staging",
    "gemini-api-key-staging",
    "clickhouse-password-staging",
    "google-oauth-client-id-staging",
    "google-oauth-client-secret-staging",
];
const AUTH_SECRETS = [
    ...SHARED_SECRETS,
    "oauth-hmac-secret-staging",
    "google-oauth-client-id-staging",
    "google-oauth-client-secret-staging",
    "e2e-oauth-simulation-key",
];

const GRANT = "gcp:secretmanager/secretIamMember:SecretIamMember";

/** The staging inventory: every resource type and name the program declares. */
const STAGING_INVENTORY = [
    "pulumi:pulumi:Stack netra-platform-staging",
    "netra:secrets:E2eOAuthSimulationKey e2e-oauth-simulation-key",
    "random:index/randomBytes:RandomBytes e2e-oauth-simulation-key-value",
    "gcp:secretmanager/secret:Secret e2e-oauth-simulation-key-secret",
    "gcp:secretmanager/secretVersion:SecretVersion e2e-oauth-simulation-key-version",
    `${GRANT} e2e-oauth-simulation-key-reader-serviceaccount-github-e2e-runner-netra-staging-iam-gserviceaccount-com`,
    ...["backend", "auth", "frontend"].flatMap((key) => [
        `netra:cloudrun:Service ${key}`,
        `gcp:serviceaccount/account:Account ${key}-sa`,
        `gcp:cloudrunv2/service:Service ${key}-service`,
        `gcp:cloudrunv2/serviceIamMember:ServiceIamMember ${key}-public-invoker`,
    ]),
    "gcp:projects/iAMMember:IAMMember backend-cloudsql-client",
    "gcp:projects/iAMMember:IAMMember auth-cloudsql-client",
    ...BACKEND_SECRETS.map((secret) => `${GRANT} backend-access-${secret}`),
    ...AUTH_SECRETS.map((secret) => `${GRANT} auth-access-${secret}`),
].sort();

describe("staging stack from Pulumi.staging.yaml", () => {
    for (const preview of [false, true]) {
        describe(preview ? "in a preview (cloud-computed outputs unknown)" : "in an update", () => {
            it("declares exactly the staging inventory, without hanging", async () => {
                const { resources } = await runNetraStack(stagingStackFile().config, preview);
                expect(resources.map((resource) => `${resource.type} ${resource.name}`).sort()).to.deep.equal(STAGING_INVENTORY);
                expect(STAGING_INVENTORY).to.have.length(55);
            });

            it("gives every resource but the stack a parent, and every child the component that owns it", async () => {
                const { resources } = await runNetraStack(stagingStackFile().config, preview);
                const stack = resourceNamed(resources, "pulumi:pulumi:Stack", "netra-platform-staging");
                for (const resource of resources.filter((candidate) => candidate !== stack)) {
                    const expected = resource.type.startsWith("netra:")
                        ? stack.urn
                        : resource.name.startsWith("e2e-oauth-simulation-key")
                          ? "e2e-oauth-simulation-key"
                          : resource.name.split("-")[0];
                    expect(resource.parent === stack.urn ? stack.urn : resource.parent?.split("::").pop(), resource.name).to.equal(
                        expected,
                    );
                }
            });
        });
    }

    it("exports URLs, accounts and the secret's names, and no secret value", async () => {
        const { outputs, resources } = await runNetraStack(stagingStackFile().config);
        const version = resourceNamed(resources, "gcp:secretmanager/secretVersion:SecretVersion", "e2e-oauth-simulation-key-version");
        const key = String((version.inputs.secretData as Record<string, unknown>).value);
        expect(outputs).to.deep.include({
            environment: "staging",
            publicUrls: {
                frontend: "https://staging.netrasystems.ai",
                api: "https://api.staging.netrasystems.ai",
                websocket: "wss://api.staging.netrasystems.ai",
                auth: "https://auth.staging.netrasystems.ai",
            },
            serviceAccountEmails: {
                backend: "netra-backend-staging-run@netra-staging.iam.gserviceaccount.com",
                auth: "netra-auth-service-run@netra-staging.iam.gserviceaccount.com",
                frontend: "netra-frontend-staging-run@netra-staging.iam.gserviceaccount.com",
            },
            e2eOAuthSimulationKey: {
                secretName: "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY",
                versionName: "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY/versions/1",
            },
        });
        expect(Object.keys((outputs as { serviceUrls: object }).serviceUrls)).to.deep.equal(["backend", "auth", "frontend"]);
        expect(JSON.stringify(outputs)).not.to.include(key);
        expect(JSON.stringify(outputs)).not.to.include(SECRET_SIG_KEY);
    });

    it("runs the real index.ts program with the stack's config", async () => {
        const file = stagingStackFile();
        // Another test file in this mocha worker may have loaded the program already: load it afresh.
        delete require.cache[require.resolve("../../index")];
        const run = await runUnderMocks(async () => ({ ...(require("../../index") as Record<string, unknown>) }), {
            project: file.project,
            stack: file.stack,
            preview: false,
            config: file.config,
            mocks: new MockCloud({ strict: true, knownTypes: NETRA_RESOURCE_TYPES }),
        });
        expect(run.resources).to.have.length(55);
        expect(Object.keys(run.outputs ?? {}).sort()).to.deep.equal([
            "e2eOAuthSimulationKeySecret",
            "e2eOAuthSimulationKeyVersion",
            "environment",
            "publicUrls",
            "serviceAccountEmails",
            "serviceUrls",
        ]);
    });

    it("creates no resource at all when the stack file is invalid", async () => {
        const raw = stagingRaw();
        raw.values.services.backend.env.ENVIRONMENT = "development";
        let failure: unknown;
        const mocks = new MockCloud({ strict: true, knownTypes: NETRA_RESOURCE_TYPES });
        const created: string[] = [];
        const newResource = mocks.newResource.bind(mocks);
        mocks.newResource = (args) => {
            created.push(args.type);
            return newResource(args);
        };
        try {
            await runUnderMocks(async () => ({ ...defineNetraStack(readStackConfig()).outputs }), {
                project: "netra-platform",
                stack: "staging",
                preview: false,
                config: toCliConfig(raw),
                mocks,
            });
        } catch (error) {
            failure = error;
        }
        expect(failure).to.be.instanceOf(StackConfigError);
        expect((failure as Error).message).to.equal(
            "Pulumi.staging.yaml: `netra-platform:services.backend.env.ENVIRONMENT` is set by the platform from the stack's `environment`; remove it from the stack file.",
        );
        expect(created.filter((type) => type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });
});
