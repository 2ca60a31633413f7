import { expect } from "chai";
import { cloudrunRequiredEnvVars, REQUIRED_ENV_VARS_POLICY } from "../../policies/cloudrun-required-env-vars";
import { SECRET_VERSION } from "../../policies/lib/resource-types";
import { compliantContainer, compliantWorkload, SHAPES, withEnv, withoutEnv, type ContainerSpec } from "./fixtures";
import { runResourcePolicy, UNKNOWN_VALUE } from "./harness";

/** What the policy says to a resource that is not a Cloud Run workload, written out. */
const NOT_A_WORKLOAD_REASON =
    "Policy only applies to Cloud Run workloads (gcp:cloudrunv2/service:Service, gcp:cloudrunv2/job:Job, gcp:cloudrunv2/workerPool:WorkerPool, gcp:cloudrun/service:Service, gcp:cloudfunctionsv2/function:Function)";

const ENVIRONMENT_MISSING = (container: string): string =>
    `${container} does not set ENVIRONMENT; every Cloud Run container must declare it explicitly, or the service guesses ` +
    "its environment (the WebSocket 1011 incident).";

describe("policy cloudrun-required-env-vars", () => {
    it("is mandatory, named after its file, and defaults requiredNames to [ENVIRONMENT]", () => {
        expect(cloudrunRequiredEnvVars.name).to.equal(REQUIRED_ENV_VARS_POLICY).and.equal("cloudrun-required-env-vars");
        expect(cloudrunRequiredEnvVars.enforcementLevel).to.equal("mandatory");
        expect(cloudrunRequiredEnvVars.configSchema?.properties.requiredNames).to.deep.include({ type: "array", default: ["ENVIRONMENT"] });
    });

    for (const shape of SHAPES) {
        describe(`on a ${shape.label}`, () => {
            const run = (containers: ContainerSpec[], config?: Record<string, unknown>) =>
                runResourcePolicy(cloudrunRequiredEnvVars, {
                    type: shape.type,
                    props: shape.build(compliantWorkload({ containers })),
                    config,
                });

            it("accepts containers that declare ENVIRONMENT", async () => {
                expect(await run([compliantContainer("api"), compliantContainer("sidecar")])).to.deep.equal({ violations: [], urns: [] });
            });

            it("rejects a container without ENVIRONMENT, naming the container", async () => {
                const result = await run([compliantContainer("api"), withoutEnv(compliantContainer("sidecar"), "ENVIRONMENT")]);
                expect(result.violations).to.deep.equal([ENVIRONMENT_MISSING('Container "sidecar"')]);
            });

            it("names an unnamed container by its position", async () => {
                const unnamed: ContainerSpec = { ...withoutEnv(compliantContainer(), "ENVIRONMENT"), name: undefined };
                const result = await run([compliantContainer("api"), unnamed]);
                expect(result.violations).to.deep.equal([ENVIRONMENT_MISSING("Container #2")]);
            });

            it("rejects a container without any variables", async () => {
                const result = await run([{ name: "api", image: "gcr.io/x/y" }]);
                expect(result.violations).to.deep.equal([ENVIRONMENT_MISSING('Container "api"')]);
            });

            it("rejects a workload without containers, naming the path", async () => {
                const result = await run([]);
                expect(result.violations).to.deep.equal([
                    `The ${shape.noun} declares no containers at ${shape.containersPath}, so nothing sets ENVIRONMENT.`,
                ]);
            });

            it("counts ENVIRONMENT read from a secret as declared", async () => {
                const result = await run([withEnv(compliantContainer("api"), { name: "ENVIRONMENT", secret: "environment-name" })]);
                expect(result.violations).to.deep.equal([]);
            });

            it("requires the configured names, and ENVIRONMENT even when the config leaves it out", async () => {
                const container = withoutEnv(withoutEnv(compliantContainer("api"), "ENVIRONMENT"), "GCP_PROJECT_ID");
                const result = await run([container], { requiredNames: ["GCP_PROJECT_ID", "PYTHONUNBUFFERED"] });
                expect(result.violations).to.deep.equal([
                    ENVIRONMENT_MISSING('Container "api"'),
                    'Container "api" does not set GCP_PROJECT_ID, which the config of policy cloudrun-required-env-vars ' +
                        "requires in every container.",
                ]);
            });

            it("lists every required name when there are no containers", async () => {
                const result = await run([], { requiredNames: ["ENVIRONMENT", "GCP_PROJECT_ID"] });
                expect(result.violations).to.deep.equal([
                    `The ${shape.noun} declares no containers at ${shape.containersPath}, so nothing sets ENVIRONMENT, GCP_PROJECT_ID.`,
                ]);
            });

            it("falls back to the default when requiredNames is malformed", async () => {
                const result = await run([withoutEnv(compliantContainer("api"), "GCP_PROJECT_ID")], { requiredNames: "GCP_PROJECT_ID" });
                expect(result.violations).to.deep.equal([]);
            });

            it("matches names exactly: `environment` is not ENVIRONMENT", async () => {
                const container = withEnv(withoutEnv(compliantContainer("api"), "ENVIRONMENT"), { name: "environment", value: "staging" });
                expect((await run([container])).violations).to.deep.equal([ENVIRONMENT_MISSING('Container "api"')]);
            });
        });

        describe(`on a ${shape.label} during preview`, () => {
            it("reads only names: unknown values, sources and account do not stop the check", async () => {
                const container: ContainerSpec = {
                    name: "api",
                    image: UNKNOWN_VALUE,
                    envs: [
                        { name: "GCP_PROJECT_ID", value: UNKNOWN_VALUE },
                        { name: "JWT_SECRET_KEY", secret: UNKNOWN_VALUE },
                    ],
                };
                const result = await runResourcePolicy(cloudrunRequiredEnvVars, {
                    type: shape.type,
                    props: shape.build({ containers: [container], serviceAccount: UNKNOWN_VALUE }),
                });
                expect(result).to.deep.equal({ violations: [ENVIRONMENT_MISSING('Container "api"')], urns: [undefined] });
            });

            it("accepts ENVIRONMENT whose value is unknown", async () => {
                const container = withEnv(compliantContainer("api"), { name: "ENVIRONMENT", value: UNKNOWN_VALUE });
                const result = await runResourcePolicy(cloudrunRequiredEnvVars, {
                    type: shape.type,
                    props: shape.build(compliantWorkload({ containers: [container] })),
                });
                expect(result).to.deep.equal({ violations: [], urns: [] });
            });

            it("stays silent, without a preview error, when a container's name list holds an unknown", async () => {
                const container: ContainerSpec = { name: "api", envs: [{ name: UNKNOWN_VALUE, value: "x" }] };
                const result = await runResourcePolicy(cloudrunRequiredEnvVars, {
                    type: shape.type,
                    props: shape.build({ containers: [container] }),
                });
                expect(result).to.deep.equal({ violations: [], urns: [] });
            });
        });
    }

    it("stays silent when the whole containers list is unknown", async () => {
        const result = await runResourcePolicy(cloudrunRequiredEnvVars, {
            type: SHAPES[0].type,
            props: { template: { containers: UNKNOWN_VALUE } },
        });
        expect(result).to.deep.equal({ violations: [], urns: [] });
    });

    it("stays silent when a container's envs list is unknown", async () => {
        const result = await runResourcePolicy(cloudrunRequiredEnvVars, {
            type: SHAPES[0].type,
            props: { template: { containers: [{ name: "api", envs: UNKNOWN_VALUE }] } },
        });
        expect(result).to.deep.equal({ violations: [], urns: [] });
    });

    it("is not applicable to other resource types", async () => {
        const result = await runResourcePolicy(cloudrunRequiredEnvVars, { type: SECRET_VERSION, props: { secret: "x" } });
        expect(result).to.deep.equal({ violations: [], urns: [], notApplicable: NOT_A_WORKLOAD_REASON });
    });
});
