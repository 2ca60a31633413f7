import { expect } from "chai";
import { e2eKeyOnlyOnStaging } from "../../policies/e2e-key-only-on-staging";
import {
    REGIONAL_SECRET,
    REGIONAL_SECRET_IAM_BINDING,
    REGIONAL_SECRET_IAM_MEMBER,
    REGIONAL_SECRET_IAM_POLICY,
    REGIONAL_SECRET_VERSION,
    SECRET,
    SECRET_IAM_BINDING,
    SECRET_IAM_MEMBER,
    SECRET_IAM_POLICY,
    SECRET_VERSION,
} from "../../policies/lib/resource-types";
import { compliantContainer, compliantWorkload, FUNCTION_SHAPE, SHAPES, withEnv, type ContainerSpec } from "./fixtures";
import { runResourcePolicy, secretValue, UNKNOWN_VALUE, withStackName, type ResourceInput } from "./harness";

// Test data: environments the key must not reach, and the one it lives on.
const PRODUCTION = { environment: "production" };
const STAGING = { environment: "staging" };
const IDS = "E2E_OAUTH_SIMULATION_KEY, e2e-oauth-simulation-key-staging, e2e-bypass-key";
const onProduction = (subject: string): string =>
    `${subject}: the E2E OAuth simulation key (secret ids ${IDS}) bypasses OAuth and may exist only on staging, ` +
    "but this stack's environment is production.";

const run = (input: ResourceInput) => withStackName(undefined, () => runResourcePolicy(e2eKeyOnlyOnStaging, input));

/** The E2E key's resources as the program declares them on the stack. */
function keyResources(secretId: string): ResourceInput[] {
    return [
        { type: SECRET, props: { project: "netra-staging", secretId, replication: { auto: {} }, labels: { environment: "staging" } } },
        {
            type: SECRET_VERSION,
            props: {
                secret: `projects/netra-staging/secrets/${secretId}`,
                secretData: secretValue("not-a-real-key"),
                deletionPolicy: "DISABLE",
            },
        },
        {
            type: SECRET_IAM_MEMBER,
            props: {
                project: "netra-staging",
                secretId,
                role: "roles/secretmanager.secretAccessor",
                member: "serviceAccount:ci@x.iam.gserviceaccount.com",
            },
        },
        {
            type: SECRET_IAM_BINDING,
            props: { secretId, role: "roles/secretmanager.secretAccessor", members: ["group:qa@netrasystems.ai"] },
        },
        { type: SECRET_IAM_POLICY, props: { secretId, policyData: "{}" } },
    ];
}

describe("policy e2e-key-only-on-staging", () => {
    it("is named e2e-key-only-on-staging and describes itself in a full sentence", () => {
        expect(e2eKeyOnlyOnStaging.name).to.equal("e2e-key-only-on-staging");
        expect(e2eKeyOnlyOnStaging.description).to.equal(
            "The E2E OAuth simulation key exists only on staging: on any other environment no secret, secret version or grant (global or regional) " +
                `uses one of its secret ids (${IDS}) and no Cloud Run container, build or sandbox carries it.`,
        );
    });

    it("is mandatory and takes `environment` from its config", () => {
        expect(e2eKeyOnlyOnStaging.enforcementLevel).to.equal("mandatory");
        expect(Object.keys(e2eKeyOnlyOnStaging.configSchema?.properties ?? {})).to.deep.equal(["environment"]);
    });

    describe("Secret Manager resources", () => {
        it("accepts the key's secret, version and grants on staging", async () => {
            for (const input of keyResources("E2E_OAUTH_SIMULATION_KEY")) {
                expect(await run({ ...input, config: STAGING }), input.type).to.deep.equal({ violations: [], urns: [] });
            }
        });

        it("rejects the key's secret, version and grants on production", async () => {
            const messages = [];
            for (const input of keyResources("E2E_OAUTH_SIMULATION_KEY")) {
                messages.push(...(await run({ ...input, config: PRODUCTION })).violations);
            }
            expect(messages).to.deep.equal([
                onProduction('This stack declares secret "E2E_OAUTH_SIMULATION_KEY"'),
                onProduction('This secret version stores a value of secret "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY"'),
                onProduction('This grant gives access to secret "E2E_OAUTH_SIMULATION_KEY"'),
                onProduction('This grant gives access to secret "E2E_OAUTH_SIMULATION_KEY"'),
                onProduction('This grant gives access to secret "E2E_OAUTH_SIMULATION_KEY"'),
            ]);
        });

        // Repeated separators and separators at the ends too: the program's grant names fold them away (nameSlug).
        for (const alias of ["e2e-oauth-simulation-key-staging", "e2e-bypass-key", "E2E-BYPASS-KEY", "_E2E__OAUTH_SIMULATION_KEY-"]) {
            it(`recognises the old secret id ${alias}`, async () => {
                expect((await run({ ...keyResources(alias)[0], config: PRODUCTION })).violations).to.deep.equal([
                    onProduction(`This stack declares secret ${JSON.stringify(alias)}`),
                ]);
            });
        }

        it("rejects the key as a regional secret, its version and its grants on production, and accepts them on staging", async () => {
            const secretId = "E2E_OAUTH_SIMULATION_KEY";
            const name = `projects/netra-prod/locations/us-central1/secrets/${secretId}`;
            const grant = { project: "netra-prod", location: "us-central1", secretId };
            const resources: ResourceInput[] = [
                { type: REGIONAL_SECRET, props: { project: "netra-prod", location: "us-central1", secretId } },
                {
                    type: REGIONAL_SECRET_VERSION,
                    props: { secret: name, secretData: secretValue("not-a-real-key"), deletionPolicy: "DISABLE" },
                },
                { type: REGIONAL_SECRET_IAM_MEMBER, props: { ...grant, role: "roles/secretmanager.secretAccessor", member: "allUsers" } },
                {
                    type: REGIONAL_SECRET_IAM_BINDING,
                    props: { ...grant, secretId: name, role: "roles/secretmanager.secretAccessor", members: [] },
                },
                { type: REGIONAL_SECRET_IAM_POLICY, props: { ...grant, secretId: "e2e-bypass-key", policyData: "{}" } },
            ];
            const found = [];
            for (const resource of resources) {
                found.push(...(await run({ ...resource, config: PRODUCTION })).violations);
                expect(await run({ ...resource, config: STAGING }), resource.type).to.deep.equal({ violations: [], urns: [] });
            }
            expect(found).to.deep.equal([
                onProduction('This stack declares regional secret "E2E_OAUTH_SIMULATION_KEY"'),
                onProduction(`This secret version stores a value of regional secret "${name}"`),
                onProduction('This grant gives access to regional secret "E2E_OAUTH_SIMULATION_KEY"'),
                onProduction(`This grant gives access to regional secret "${name}"`),
                onProduction('This grant gives access to regional secret "e2e-bypass-key"'),
            ]);
        });

        it("ignores other secrets on production", async () => {
            for (const input of keyResources("jwt-secret-production")) {
                expect(await run({ ...input, config: PRODUCTION }), input.type).to.deep.equal({ violations: [], urns: [] });
            }
        });

        it("skips a grant whose secret is unknown during preview, without a preview error", async () => {
            const input = {
                ...keyResources("E2E_OAUTH_SIMULATION_KEY")[2],
                props: { secretId: UNKNOWN_VALUE, member: UNKNOWN_VALUE, role: "roles/secretmanager.secretAccessor" },
            };
            expect(await run({ ...input, config: PRODUCTION })).to.deep.equal({ violations: [], urns: [] });
        });
    });

    for (const shape of SHAPES) {
        describe(`on a ${shape.label}`, () => {
            const runContainer = (container: ContainerSpec, config: Record<string, unknown>, volumeSecrets?: string[]) =>
                run({ type: shape.type, props: shape.build(compliantWorkload({ containers: [container], volumeSecrets })), config });

            it("accepts the key's variable on staging", async () => {
                const container = withEnv(compliantContainer("auth"), {
                    name: "E2E_OAUTH_SIMULATION_KEY",
                    secret: "E2E_OAUTH_SIMULATION_KEY",
                });
                expect(await runContainer(container, STAGING)).to.deep.equal({ violations: [], urns: [] });
            });

            it("rejects the key's variable on production", async () => {
                const container = withEnv(compliantContainer("auth"), {
                    name: "E2E_OAUTH_SIMULATION_KEY",
                    secret: "E2E_OAUTH_SIMULATION_KEY",
                });
                expect((await runContainer(container, PRODUCTION)).violations).to.deep.equal([
                    onProduction('Container "auth" sets E2E_OAUTH_SIMULATION_KEY'),
                ]);
            });

            it("finds the key's variable under any spelling of its name: case, dashes, repeated or outer separators and spaces aside", async () => {
                for (const name of [
                    "e2e_oauth_simulation_key",
                    " E2E-OAUTH-SIMULATION-KEY ",
                    "E2E-Bypass-Key",
                    "E2E_OAUTH__SIMULATION_KEY_",
                ]) {
                    const container = withEnv(compliantContainer("auth"), { name, value: "set-by-hand" });
                    expect((await runContainer(container, PRODUCTION)).violations, name).to.deep.equal([
                        onProduction(`Container "auth" sets ${name}`),
                    ]);
                }
            });

            it("rejects the key's variable even when its value is unknown during preview", async () => {
                const container = withEnv(compliantContainer("auth"), { name: "E2E_OAUTH_SIMULATION_KEY", secret: UNKNOWN_VALUE });
                expect(await runContainer(container, PRODUCTION)).to.deep.equal({
                    violations: [onProduction('Container "auth" sets E2E_OAUTH_SIMULATION_KEY')],
                    urns: [undefined],
                });
            });

            it("rejects a variable named after an old secret id", async () => {
                const container = withEnv(compliantContainer("auth"), { name: "E2E_BYPASS_KEY", secret: "service-secret-production" });
                expect((await runContainer(container, PRODUCTION)).violations).to.deep.equal([
                    onProduction('Container "auth" sets E2E_BYPASS_KEY'),
                ]);
            });

            it("rejects any variable that reads the key's secret under an old id", async () => {
                const container = withEnv(compliantContainer("auth"), {
                    name: "BYPASS",
                    secret: "projects/netra-prod/secrets/e2e-bypass-key",
                });
                expect((await runContainer(container, PRODUCTION)).violations).to.deep.equal([
                    onProduction('Container "auth" reads secret "projects/netra-prod/secrets/e2e-bypass-key" into BYPASS'),
                ]);
            });

            it("rejects the key mounted as a volume", async () => {
                expect((await runContainer(compliantContainer("auth"), PRODUCTION, ["E2E_OAUTH_SIMULATION_KEY"])).violations).to.deep.equal(
                    [onProduction(`The ${shape.noun} mounts secret "E2E_OAUTH_SIMULATION_KEY" as a volume`)],
                );
            });

            it("accepts a workload without the key on production", async () => {
                expect(await runContainer(compliantContainer("auth"), PRODUCTION)).to.deep.equal({ violations: [], urns: [] });
            });
        });
    }

    it("uses the stack name when the config sets no environment", async () => {
        const input = keyResources("E2E_OAUTH_SIMULATION_KEY")[0];
        expect(await withStackName("staging", () => runResourcePolicy(e2eKeyOnlyOnStaging, input))).to.deep.equal({
            violations: [],
            urns: [],
        });
        expect((await withStackName("prod", () => runResourcePolicy(e2eKeyOnlyOnStaging, input))).violations).to.deep.equal([
            onProduction('This stack declares secret "E2E_OAUTH_SIMULATION_KEY"'),
        ]);
    });

    it("rejects the key when the environment is undecided, saying how to decide it", async () => {
        const input = keyResources("E2E_OAUTH_SIMULATION_KEY")[0];
        expect((await withStackName("feature-x", () => runResourcePolicy(e2eKeyOnlyOnStaging, input))).violations).to.deep.equal([
            `This stack declares secret "E2E_OAUTH_SIMULATION_KEY": the E2E OAuth simulation key (secret ids ${IDS}) ` +
                "bypasses OAuth and may exist only on staging. " +
                'Cannot tell which environment this stack is: the policy config sets no "environment" and stack "feature-x" ' +
                "is not named after one. " +
                'Set "environment" (one of development, test, staging, production) in the config of policy e2e-key-only-on-staging, ' +
                "or name the stack after its environment.",
        ]);
    });

    it("needs no environment for resources without the key", async () => {
        const input = keyResources("jwt-secret-staging")[0];
        expect(await withStackName(undefined, () => runResourcePolicy(e2eKeyOnlyOnStaging, input))).to.deep.equal({
            violations: [],
            urns: [],
        });
    });

    it("is not applicable to other resource types", async () => {
        const result = await run({ type: "gcp:storage/bucket:Bucket", props: { name: "E2E_OAUTH_SIMULATION_KEY" }, config: PRODUCTION });
        expect(result).to.deep.equal({
            violations: [],
            urns: [],
            notApplicable:
                "Policy only applies to Cloud Run workloads and Secret Manager resources (gcp:cloudrunv2/service:Service, " +
                "gcp:cloudrunv2/job:Job, gcp:cloudrunv2/workerPool:WorkerPool, gcp:cloudrun/service:Service, " +
                "gcp:cloudfunctionsv2/function:Function, gcp:secretmanager/secret:Secret, gcp:secretmanager/secretVersion:SecretVersion, " +
                "gcp:secretmanager/secretIamMember:SecretIamMember, gcp:secretmanager/secretIamBinding:SecretIamBinding, " +
                "gcp:secretmanager/secretIamPolicy:SecretIamPolicy, gcp:secretmanager/regionalSecret:RegionalSecret, " +
                "gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion, " +
                "gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember, " +
                "gcp:secretmanager/regionalSecretIamBinding:RegionalSecretIamBinding, " +
                "gcp:secretmanager/regionalSecretIamPolicy:RegionalSecretIamPolicy)",
        });
    });
});

describe("policy e2e-key-only-on-staging: every workload shape and reference form", () => {
    const runOn = (type: string, props: Record<string, unknown>, config: Record<string, unknown>) =>
        withStackName(undefined, () => runResourcePolicy(e2eKeyOnlyOnStaging, { type, props, config }));
    const onDevelopment = (subject: string): string =>
        `${subject}: the E2E OAuth simulation key (secret ids ${IDS}) bypasses OAuth and may exist only on staging, ` +
        "but this stack's environment is development.";

    it("finds the key in a gen2 function's variables, secret variables and volumes", async () => {
        const props = FUNCTION_SHAPE.build({
            containers: [
                {
                    envs: [
                        { name: "ENVIRONMENT", value: "development" },
                        { name: "E2E_OAUTH_SIMULATION_KEY", value: "x" },
                        { name: "BYPASS", secret: "e2e-bypass-key" },
                    ],
                },
            ],
            volumeSecrets: ["e2e-oauth-simulation-key-staging"],
        });
        expect((await runOn(FUNCTION_SHAPE.type, props, { environment: "dev" })).violations).to.deep.equal([
            onDevelopment("The function sets E2E_OAUTH_SIMULATION_KEY"),
            onDevelopment('The function reads secret "e2e-bypass-key" into BYPASS'),
            onDevelopment('The Cloud Function (gen2) mounts secret "e2e-oauth-simulation-key-staging" as a volume'),
        ]);
    });

    it("finds the key in build-time variables (v2 service, function) and sandbox templates, though no container runs with them", async () => {
        const service: Record<string, unknown> = {
            ...SHAPES[0].build(compliantWorkload()),
            buildConfig: { environmentVariables: { E2E_OAUTH_SIMULATION_KEY: "x" } },
        };
        const template = service.template as Record<string, unknown>;
        template.sandboxes = { templates: [{ name: "tool", image: "gcr.io/p/tool:1", envs: [{ name: "e2e-bypass-key", value: "x" }] }] };
        expect((await runOn(SHAPES[0].type, service, PRODUCTION)).violations).to.deep.equal([
            onProduction("The build sets E2E_OAUTH_SIMULATION_KEY"),
            onProduction('Sandbox template "tool" sets e2e-bypass-key'),
        ]);
        const fn = {
            ...FUNCTION_SHAPE.build(compliantWorkload()),
            buildConfig: { environmentVariables: { E2E_OAUTH_SIMULATION_KEY: "x" } },
        };
        expect((await runOn(FUNCTION_SHAPE.type, fn, PRODUCTION)).violations).to.deep.equal([
            onProduction("The build sets E2E_OAUTH_SIMULATION_KEY"),
        ]);
        expect(await runOn(FUNCTION_SHAPE.type, fn, STAGING)).to.deep.equal({ violations: [], urns: [] });
    });

    it("finds the key read through a v1 secret alias (run.googleapis.com/secrets), in a variable and a volume", async () => {
        const props = SHAPES[3].build({
            containers: [{ name: "auth", envs: [{ name: "SIM_KEY", secret: "sim" }] }],
            volumeSecrets: ["bypass"],
        });
        const template = props.template as Record<string, unknown>;
        template.metadata = {
            annotations: {
                "run.googleapis.com/secrets":
                    "sim:projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY,bypass:projects/netra-staging/secrets/e2e-bypass-key",
            },
        };
        expect((await runOn(SHAPES[3].type, props, PRODUCTION)).violations).to.deep.equal([
            onProduction('Container "auth" reads secret "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY" into SIM_KEY'),
            onProduction('The Cloud Run (v1) service mounts secret "projects/netra-staging/secrets/e2e-bypass-key" as a volume'),
        ]);
    });

    it("says only which secret is read when the variable's name is not a string", async () => {
        const props = {
            template: {
                containers: [{ name: "api", envs: [{ name: 3, valueSource: { secretKeyRef: { secret: "E2E_OAUTH_SIMULATION_KEY" } } }] }],
            },
        };
        expect((await runOn(SHAPES[0].type, props, { environment: "development" })).violations).to.deep.equal([
            onDevelopment('Container "api" reads secret "E2E_OAUTH_SIMULATION_KEY"'),
        ]);
    });

    it("ignores a reference that is not a string, and other secrets' variables and volumes", async () => {
        expect(await runOn(SECRET_IAM_MEMBER, { secretId: 7 }, PRODUCTION)).to.deep.equal({ violations: [], urns: [] });
        expect(await runOn(SECRET_VERSION, { secret: ["E2E_OAUTH_SIMULATION_KEY"] }, PRODUCTION)).to.deep.equal({
            violations: [],
            urns: [],
        });
        const props = SHAPES[0].build({
            containers: [{ name: "api", envs: [{ name: "JWT", secret: "jwt-secret" }] }],
            volumeSecrets: ["tls"],
        });
        expect(await runOn(SHAPES[0].type, props, PRODUCTION)).to.deep.equal({ violations: [], urns: [] });
    });
});
