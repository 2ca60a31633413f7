import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { cloudrunEnvironmentMatchesStack } from "../../policies/cloudrun-environment-matches-stack";
import { compliantContainer, compliantWorkload, SHAPES, withEnv, withoutEnv, type ContainerSpec, type EnvSpec } from "./fixtures";
import { runResourcePolicy, UNKNOWN_VALUE, withStackName } from "./harness";

/** What the policy says to a resource that is not a Cloud Run workload, written out. */
const NOT_A_WORKLOAD_REASON =
    "Policy only applies to Cloud Run workloads (gcp:cloudrunv2/service:Service, gcp:cloudrunv2/job:Job, gcp:cloudrunv2/workerPool:WorkerPool, gcp:cloudrun/service:Service, gcp:cloudfunctionsv2/function:Function)";

// Test data: the stack under analysis and the config file's setting for it.
const STAGING_CONFIG = { environment: "staging" };
const CANONICAL = "development, test, staging, production";
const notCanonical = (variable: string, shown: string): string =>
    `Container "api" sets ${variable} ${shown} a canonical environment name (${CANONICAL}); set it to "staging".`;
const contradicts = (container: string, value: string, expected: string): string =>
    `Container "${container}" sets ENVIRONMENT to "${value}", but this stack's environment is ${expected}; do not write it by hand: ` +
    `declare the service through NetraCloudRunService, which sets it from the stack's \`environment\` ("${expected}"), ` +
    `or, if this stack really is ${value}, set \`environment: ${value}\` in its stack file and policy config.`;
const notExact = (problems: string): string =>
    `Container "api" sets ENVIRONMENT to staging in a form services do not match: it ${problems}; set it to exactly "staging".`;
const UNDECIDED_TAIL =
    `Set "environment" (one of ${CANONICAL}) in the config of policy cloudrun-environment-matches-stack, ` +
    "or name the stack after its environment.";

describe("policy cloudrun-environment-matches-stack", () => {
    it("is mandatory and offers `environment` (canonical names only) and `variables` in its config", () => {
        expect(cloudrunEnvironmentMatchesStack.enforcementLevel).to.equal("mandatory");
        expect(cloudrunEnvironmentMatchesStack.configSchema?.properties.environment).to.deep.include({
            type: "string",
            enum: ["development", "test", "staging", "production"],
        });
        expect(cloudrunEnvironmentMatchesStack.configSchema?.properties.variables).to.deep.include({
            type: "array",
            default: ["ENVIRONMENT"],
        });
    });

    for (const shape of SHAPES) {
        describe(`on a ${shape.label}`, () => {
            const run = (
                env: EnvSpec | undefined,
                config: Record<string, unknown> = STAGING_CONFIG,
                stack: string | undefined = "staging",
            ) => {
                const container =
                    env === undefined ? withoutEnv(compliantContainer("api"), "ENVIRONMENT") : withEnv(compliantContainer("api"), env);
                return withStackName(stack, () =>
                    runResourcePolicy(cloudrunEnvironmentMatchesStack, {
                        type: shape.type,
                        props: shape.build(compliantWorkload({ containers: [container] })),
                        config,
                    }),
                );
            };

            it("accepts ENVIRONMENT equal to the configured environment", async () => {
                expect(await run({ name: "ENVIRONMENT", value: "staging" })).to.deep.equal({ violations: [], urns: [] });
            });

            it("rejects ENVIRONMENT naming another environment", async () => {
                expect((await run({ name: "ENVIRONMENT", value: "production" })).violations).to.deep.equal([
                    contradicts("api", "production", "staging"),
                ]);
            });

            it("rejects an alias (services compare the exact string), naming the environment it stands for, not the alias", async () => {
                expect((await run({ name: "ENVIRONMENT", value: "stage" })).violations).to.deep.equal([
                    notCanonical("ENVIRONMENT", "to an alias of staging, which is not"),
                ]);
                expect((await run({ name: "ENVIRONMENT", value: " Prod" })).violations).to.deep.equal([
                    notCanonical("ENVIRONMENT", "to an alias of production, which is not"),
                ]);
            });

            it("rejects a different case of the right name, saying it must be lower case", async () => {
                expect((await run({ name: "ENVIRONMENT", value: "Staging" })).violations).to.deep.equal([notExact("must be lower case")]);
            });

            it("rejects the right name with surrounding spaces, saying so", async () => {
                expect((await run({ name: "ENVIRONMENT", value: " staging\n" })).violations).to.deep.equal([
                    notExact("has surrounding spaces"),
                ]);
                expect((await run({ name: "ENVIRONMENT", value: "  STAGING " })).violations).to.deep.equal([
                    notExact("has surrounding spaces and must be lower case"),
                ]);
            });

            it("reads a padded or capitalised other environment as that environment", async () => {
                expect((await run({ name: "ENVIRONMENT", value: " Production" })).violations).to.deep.equal([
                    contradicts("api", "production", "staging"),
                ]);
            });

            it("rejects an empty ENVIRONMENT (no value, no source)", async () => {
                expect((await run({ name: "ENVIRONMENT" })).violations).to.deep.equal([
                    notCanonical("ENVIRONMENT", "to an empty value, which is not"),
                ]);
            });

            it("does not echo a value that is no environment name, long or short: a value may be a secret", async () => {
                for (const leaked of [randomBytes(32).toString("hex"), randomBytes(4).toString("hex"), "qa"]) {
                    const result = await run({ name: "ENVIRONMENT", value: leaked });
                    expect(result.violations).to.deep.equal([notCanonical("ENVIRONMENT", "to a value (not shown) that is not")]);
                    expect(result.violations.join("\n")).not.to.include(leaked);
                }
            });

            it("rejects a value that is not a string", async () => {
                expect((await run({ name: "ENVIRONMENT", value: 3 })).violations).to.deep.equal([
                    `Container "api" sets ENVIRONMENT to a value that is not a string; set it to "staging".`,
                ]);
            });

            it("rejects ENVIRONMENT read from a secret, whose value cannot be checked", async () => {
                expect((await run({ name: "ENVIRONMENT", secret: "environment-staging" })).violations).to.deep.equal([
                    `Container "api" takes ENVIRONMENT from a secret, so its value cannot be checked; set it as a plain value, "staging".`,
                ]);
            });

            it("leaves a missing ENVIRONMENT to cloudrun-required-env-vars", async () => {
                expect(await run(undefined)).to.deep.equal({ violations: [], urns: [] });
            });

            it("checks the variables the config adds, and only when they are set", async () => {
                const config = { ...STAGING_CONFIG, variables: ["NEXT_PUBLIC_ENVIRONMENT"] };
                expect((await run({ name: "NEXT_PUBLIC_ENVIRONMENT", value: "prod" }, config)).violations).to.deep.equal([
                    notCanonical("NEXT_PUBLIC_ENVIRONMENT", "to an alias of production, which is not"),
                ]);
                expect((await run({ name: "NEXT_PUBLIC_ENVIRONMENT", value: "prod" })).violations).to.deep.equal([]);
                expect((await run({ name: "ENVIRONMENT", value: "test" }, config)).violations).to.deep.equal([
                    contradicts("api", "test", "staging"),
                ]);
            });

            it("checks every container", async () => {
                const containers: ContainerSpec[] = [
                    withEnv(compliantContainer("api"), { name: "ENVIRONMENT", value: "development" }),
                    compliantContainer("sidecar"),
                    withEnv(compliantContainer("worker"), { name: "ENVIRONMENT", value: "production" }),
                ];
                const result = await runResourcePolicy(cloudrunEnvironmentMatchesStack, {
                    type: shape.type,
                    props: shape.build(compliantWorkload({ containers })),
                    config: STAGING_CONFIG,
                });
                expect(result.violations).to.deep.equal([
                    contradicts("api", "development", "staging"),
                    contradicts("worker", "production", "staging"),
                ]);
            });

            it("skips an ENVIRONMENT whose value is unknown during preview, without a preview error", async () => {
                expect(await run({ name: "ENVIRONMENT", value: UNKNOWN_VALUE })).to.deep.equal({ violations: [], urns: [] });
            });
        });
    }

    describe("resolving the stack's environment", () => {
        const run = (value: string, config: Record<string, unknown>, stack: string | undefined) =>
            withStackName(stack, () =>
                runResourcePolicy(cloudrunEnvironmentMatchesStack, {
                    type: SHAPES[0].type,
                    props: SHAPES[0].build(
                        compliantWorkload({ containers: [withEnv(compliantContainer("api"), { name: "ENVIRONMENT", value })] }),
                    ),
                    config,
                }),
            );

        it("uses the stack name when the config has no environment", async () => {
            expect((await run("staging", {}, "staging")).violations).to.deep.equal([]);
            expect((await run("staging", {}, "production")).violations).to.deep.equal([contradicts("api", "staging", "production")]);
        });

        it("reads an alias stack name and the last segment of org/project/stack", async () => {
            expect((await run("production", {}, "prod")).violations).to.deep.equal([]);
            expect((await run("staging", {}, "netra/netra-staging/stage")).violations).to.deep.equal([]);
        });

        it("prefers the config over the stack name", async () => {
            expect((await run("staging", STAGING_CONFIG, "production")).violations).to.deep.equal([]);
        });

        it("reports once, on each workload, when neither the config nor the stack name decides", async () => {
            expect((await run("staging", {}, "dev-alice")).violations).to.deep.equal([
                'Cannot tell which environment this stack is: the policy config sets no "environment" and stack "dev-alice" ' +
                    "is not named after one. " +
                    UNDECIDED_TAIL,
            ]);
        });

        it("says the stack name is unknown outside a Pulumi run", async () => {
            expect((await run("staging", {}, undefined)).violations).to.deep.equal([
                `Cannot tell which environment this stack is: the policy config sets no "environment" and the stack name is unknown ` +
                    `(PULUMI_NODEJS_STACK and PULUMI_STACK are unset). Set "environment" (one of ${CANONICAL}) in the config of policy ` +
                    "cloudrun-environment-matches-stack, or name the stack after its environment.",
            ]);
        });

        it("reports a config environment that is not an environment name", async () => {
            expect((await run("staging", { environment: "qa" }, "staging")).violations).to.deep.equal([
                `Cannot tell which environment this stack is: the policy config sets "environment" to "qa", which is not one of ${CANONICAL}. ` +
                    UNDECIDED_TAIL,
            ]);
        });
    });

    it("is not applicable to other resource types", async () => {
        const result = await runResourcePolicy(cloudrunEnvironmentMatchesStack, {
            type: "gcp:storage/bucket:Bucket",
            props: {},
            config: STAGING_CONFIG,
        });
        expect(result).to.deep.equal({ violations: [], urns: [], notApplicable: NOT_A_WORKLOAD_REASON });
    });
});
