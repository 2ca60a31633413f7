/**
 * The workload view (policies/lib/workloads.ts) read directly: where each Cloud Run shape keeps its
 * containers, variables, secret references, account and ingress, and how unknown and malformed parts
 * read. Props go through the SDK's proxy (asPolicyProps) as a policy receives them.
 */
import { expect } from "chai";
import { UNKNOWN } from "../../policies/lib/props";
import {
    carriedEnvEntries,
    cloudSqlInstancesOf,
    containerLabel,
    containersOf,
    envName,
    envsOf,
    FUNCTION_V2_SHAPE,
    hasIngress,
    hasLiteralValue,
    ingressOf,
    isIngressContainer,
    knownEnvEntries,
    knownEnvNames,
    literalValue,
    NOT_A_WORKLOAD,
    secretReferences,
    secretSource,
    serviceAccountOf,
    V1_SERVICE_SHAPE,
    V2_JOB_SHAPE,
    V2_SERVICE_SHAPE,
    V2_WORKER_POOL_SHAPE,
    volumeSecrets,
    vpcConnectorOf,
    WORKLOAD_SHAPES,
    WORKLOAD_TYPES,
    workloadShape,
    type ContainerList,
    type ContainerView,
    type WorkloadShape,
} from "../../policies/lib/workloads";
import { asPolicyProps, UNKNOWN_VALUE } from "./harness";

const ACCOUNT = "netra-auth@netra-staging.iam.gserviceaccount.com";

/** The containers of `props`, which must be present. */
function presentContainers(shape: WorkloadShape, props: Record<string, unknown>): ContainerView[] {
    const list = containersOf(shape, asPolicyProps(props));
    if (list.state !== "present") {
        throw new Error(`expected containers, got ${list.state}`);
    }
    return [...list.containers];
}

/** The env entries of the first container, as plain (name, value) pairs. */
function firstContainerEnvs(shape: WorkloadShape, props: Record<string, unknown>): unknown[] {
    const envs = envsOf(presentContainers(shape, props)[0]);
    if (envs === UNKNOWN) {
        return [UNKNOWN];
    }
    return envs.map((env) => ({ name: envName(env), value: literalValue(env), source: secretSource(FUNCTION_V2_SHAPE, env) }));
}

describe("the workload view (policies/lib/workloads)", () => {
    describe("which resources are workloads", () => {
        it("knows the five Cloud Run shapes by their type tokens, in the order messages list them", () => {
            expect(WORKLOAD_TYPES).to.deep.equal([
                "gcp:cloudrunv2/service:Service",
                "gcp:cloudrunv2/job:Job",
                "gcp:cloudrunv2/workerPool:WorkerPool",
                "gcp:cloudrun/service:Service",
                "gcp:cloudfunctionsv2/function:Function",
            ]);
            expect(NOT_A_WORKLOAD).to.equal(
                "Policy only applies to Cloud Run workloads (gcp:cloudrunv2/service:Service, gcp:cloudrunv2/job:Job, " +
                    "gcp:cloudrunv2/workerPool:WorkerPool, gcp:cloudrun/service:Service, gcp:cloudfunctionsv2/function:Function)",
            );
        });

        it("finds each shape by its type, with the words messages use, and nothing for other types", () => {
            const words = (type: string) => {
                const shape = workloadShape(type);
                return shape === undefined ? undefined : [shape.noun, shape.shortNoun];
            };
            expect(words("gcp:cloudrunv2/service:Service")).to.deep.equal(["Cloud Run service", "service"]);
            expect(words("gcp:cloudrunv2/job:Job")).to.deep.equal(["Cloud Run job", "job"]);
            expect(words("gcp:cloudrunv2/workerPool:WorkerPool")).to.deep.equal(["Cloud Run worker pool", "worker pool"]);
            expect(words("gcp:cloudrun/service:Service")).to.deep.equal(["Cloud Run (v1) service", "service"]);
            expect(words("gcp:cloudfunctionsv2/function:Function")).to.deep.equal(["Cloud Function (gen2)", "function"]);
            expect(words("gcp:storage/bucket:Bucket")).to.equal(undefined);
        });
    });

    describe("containers", () => {
        const cases: readonly [WorkloadShape, (containers: unknown) => Record<string, unknown>, string][] = [
            [V2_SERVICE_SHAPE, (containers) => ({ template: { containers } }), "template.containers"],
            [V2_JOB_SHAPE, (containers) => ({ template: { template: { containers } } }), "template.template.containers"],
            [V2_WORKER_POOL_SHAPE, (containers) => ({ template: { containers } }), "template.containers"],
            [V1_SERVICE_SHAPE, (containers) => ({ template: { spec: { containers } } }), "template.spec.containers"],
        ];
        for (const [shape, build, at] of cases) {
            it(`reads a ${shape.noun}'s containers at ${at}, and calls an absent, empty or non-list one missing there`, () => {
                const list = containersOf(shape, asPolicyProps(build([{ name: "api" }, {}])));
                expect(list.state === "present" && list.path).to.equal(at);
                expect(list.state === "present" && list.containers.map((container) => [container.index, container.label])).to.deep.equal([
                    [0, 'Container "api"'],
                    [1, "Container #2"],
                ]);
                expect(containersOf(shape, asPolicyProps(build([])))).to.deep.equal({ state: "missing", path: at });
                expect(containersOf(shape, asPolicyProps(build({ name: "api" })))).to.deep.equal({ state: "missing", path: at });
                expect(containersOf(shape, asPolicyProps({}))).to.deep.equal({ state: "missing", path: at });
                expect(containersOf(shape, asPolicyProps(build(UNKNOWN_VALUE)))).to.deep.equal({ state: "unknown" });
            });
        }

        it("labels a container by its name, or by its position when the name is empty, unknown or not a string", () => {
            expect(containerLabel({ name: "api" }, 0)).to.equal('Container "api"');
            expect(containerLabel({ name: "" }, 0)).to.equal("Container #1");
            expect(containerLabel({ name: 7 }, 2)).to.equal("Container #3");
            expect(containerLabel(asPolicyProps({ name: UNKNOWN_VALUE }), 1)).to.equal("Container #2");
        });

        it('reads a function\'s serviceConfig as one container labelled "The function", even when serviceConfig is absent', () => {
            const list = containersOf(FUNCTION_V2_SHAPE, asPolicyProps({ serviceConfig: {} }));
            expect(list.state === "present" && [list.path, list.containers.map((container) => container.label)]).to.deep.equal([
                "serviceConfig",
                ["The function"],
            ]);
            const absent = containersOf(FUNCTION_V2_SHAPE, asPolicyProps({}));
            expect(absent.state === "present" && absent.containers.length).to.equal(1);
            expect(containersOf(FUNCTION_V2_SHAPE, asPolicyProps({ serviceConfig: UNKNOWN_VALUE }))).to.deep.equal({ state: "unknown" });
        });
    });

    it("says which shapes run images they name (every container shape) and which build their own (a function)", () => {
        expect(WORKLOAD_SHAPES.map((shape) => [shape.noun, shape.hasImages, shape.layout])).to.deep.equal([
            ["Cloud Run service", true, "containers"],
            ["Cloud Run job", true, "containers"],
            ["Cloud Run worker pool", true, "containers"],
            ["Cloud Run (v1) service", true, "containers"],
            ["Cloud Function (gen2)", false, "function"],
        ]);
    });

    describe("variables", () => {
        it("reads a function's map of plain variables, then its secret variables, in the entry shape of a container", () => {
            const props = {
                serviceConfig: {
                    environmentVariables: { ENVIRONMENT: "staging", PYTHONUNBUFFERED: "1" },
                    secretEnvironmentVariables: [
                        { key: "JWT_SECRET_KEY", projectId: "netra-staging", secret: "jwt-secret-staging", version: "3" },
                    ],
                },
            };
            expect(firstContainerEnvs(FUNCTION_V2_SHAPE, props)).to.deep.equal([
                { name: "ENVIRONMENT", value: "staging", source: { kind: "none" } },
                { name: "PYTHONUNBUFFERED", value: "1", source: { kind: "none" } },
                { name: "JWT_SECRET_KEY", value: undefined, source: { kind: "secretKeyRef", secret: "jwt-secret-staging" } },
            ]);
            const [, , secretEntry] = envsOf(presentContainers(FUNCTION_V2_SHAPE, props)[0]) as readonly { raw: unknown }[];
            expect(secretEntry.raw).to.deep.equal({
                name: "JWT_SECRET_KEY",
                valueSource: { secretKeyRef: { secret: "jwt-secret-staging", version: "3" } },
            });
        });

        it("reads a function without variables, or with a malformed map, as a container without variables", () => {
            expect(firstContainerEnvs(FUNCTION_V2_SHAPE, { serviceConfig: {} })).to.deep.equal([]);
            for (const malformed of [["ENVIRONMENT"], "ENVIRONMENT=staging", null, 3]) {
                expect(
                    firstContainerEnvs(FUNCTION_V2_SHAPE, { serviceConfig: { environmentVariables: malformed } }),
                    String(malformed),
                ).to.deep.equal([]);
            }
        });

        it("reads a function's variables as unknown when either list is unknown, and an unknown secret entry as unknown parts", () => {
            expect(firstContainerEnvs(FUNCTION_V2_SHAPE, { serviceConfig: { environmentVariables: UNKNOWN_VALUE } })).to.deep.equal([
                UNKNOWN,
            ]);
            expect(firstContainerEnvs(FUNCTION_V2_SHAPE, { serviceConfig: { secretEnvironmentVariables: UNKNOWN_VALUE } })).to.deep.equal([
                UNKNOWN,
            ]);
            expect(
                firstContainerEnvs(FUNCTION_V2_SHAPE, {
                    serviceConfig: { environmentVariables: { A: "1" }, secretEnvironmentVariables: [UNKNOWN_VALUE] },
                }),
            ).to.deep.equal([
                { name: "A", value: "1", source: { kind: "none" } },
                { name: UNKNOWN, value: undefined, source: { kind: "unknown" } },
            ]);
        });

        it("reads a function's variables as unknown when the map's keys cannot be listed", () => {
            const unlistable = new Proxy(
                {},
                {
                    ownKeys: () => {
                        throw new Error("not known yet");
                    },
                },
            );
            const [container] = presentContainers(FUNCTION_V2_SHAPE, { serviceConfig: {} });
            const props = { serviceConfig: { environmentVariables: unlistable } };
            const list = containersOf(FUNCTION_V2_SHAPE, props);
            expect(container.label).to.equal("The function");
            expect(list.state === "present" && envsOf(list.containers[0])).to.equal(UNKNOWN);
        });

        it("reads a function's plain value only when asked, so a check on names never touches a value", () => {
            let reads = 0;
            const variables = Object.defineProperty({}, "API_URL", {
                enumerable: true,
                get: () => {
                    reads += 1;
                    return "https://api.staging.netrasystems.ai";
                },
            });
            const list = containersOf(FUNCTION_V2_SHAPE, { serviceConfig: { environmentVariables: variables } });
            const container = list.state === "present" ? list.containers[0] : undefined;
            const names = container === undefined ? undefined : knownEnvNames(container);
            expect(names instanceof Set && [...names]).to.deep.equal(["API_URL"]);
            expect(reads).to.equal(0);
        });

        it("lists a container's names, unknown when one of them is, skipping names that are not strings", () => {
            const [container] = presentContainers(V2_SERVICE_SHAPE, {
                template: { containers: [{ envs: [{ name: "ENVIRONMENT" }, { name: 3 }, { value: "x" }, { name: "PORT" }] }] },
            });
            const names = knownEnvNames(container);
            expect(names instanceof Set && [...names]).to.deep.equal(["ENVIRONMENT", "PORT"]);
            const [unknownName] = presentContainers(V2_SERVICE_SHAPE, {
                template: { containers: [{ envs: [{ name: "A" }, { name: UNKNOWN_VALUE }] }] },
            });
            expect(knownEnvNames(unknownName)).to.equal(UNKNOWN);
            const [unknownList] = presentContainers(V2_SERVICE_SHAPE, { template: { containers: [{ envs: UNKNOWN_VALUE }] } });
            expect(knownEnvNames(unknownList)).to.equal(UNKNOWN);
            expect(envsOf(unknownList)).to.equal(UNKNOWN);
            const [malformed] = presentContainers(V2_SERVICE_SHAPE, { template: { containers: [{ envs: { name: "A" } }] } });
            expect(envsOf(malformed)).to.deep.equal([]);
        });

        it("tells a literal value apart from its absence, without reading it", () => {
            const [container] = presentContainers(V2_SERVICE_SHAPE, {
                template: {
                    containers: [
                        { envs: [{ name: "A", value: "" }, { name: "B" }, { name: "C", value: UNKNOWN_VALUE }, { name: "D", value: 5 }] },
                    ],
                },
            });
            const envs = envsOf(container);
            expect(envs !== UNKNOWN && envs.map((env) => [env.index, hasLiteralValue(env), literalValue(env)])).to.deep.equal([
                [0, true, ""],
                [1, false, undefined],
                [2, true, UNKNOWN],
                [3, true, undefined],
            ]);
        });

        it("yields every entry of every container whose list is known, and nothing for unknown or missing lists", () => {
            const props = asPolicyProps({
                template: {
                    containers: [
                        { name: "a", envs: [{ name: "X" }, { name: "Y" }] },
                        { name: "b", envs: UNKNOWN_VALUE },
                        { name: "c", envs: [{ name: "Z" }] },
                    ],
                },
            });
            expect(knownEnvEntries(V2_SERVICE_SHAPE, props).map(({ container, env }) => [container.label, envName(env)])).to.deep.equal([
                ['Container "a"', "X"],
                ['Container "a"', "Y"],
                ['Container "c"', "Z"],
            ]);
            expect(knownEnvEntries(V2_SERVICE_SHAPE, asPolicyProps({ template: { containers: UNKNOWN_VALUE } }))).to.deep.equal([]);
            expect(knownEnvEntries(V2_SERVICE_SHAPE, asPolicyProps({ template: {} }))).to.deep.equal([]);
        });
    });

    describe("secret sources", () => {
        const sourceOf = (shape: WorkloadShape, entry: Record<string, unknown>) => {
            const [container] = presentContainers(V2_SERVICE_SHAPE, { template: { containers: [{ envs: [entry] }] } });
            const envs = envsOf(container);
            return envs === UNKNOWN ? UNKNOWN : secretSource(shape, envs[0]);
        };

        it("reads v2 valueSource.secretKeyRef.secret and v1 valueFrom.secretKeyRef.name, and only those", () => {
            const v2 = { name: "A", valueSource: { secretKeyRef: { secret: "s2", version: "1" } } };
            const v1 = { name: "A", valueFrom: { secretKeyRef: { name: "s1", key: "latest" } } };
            expect(sourceOf(V2_SERVICE_SHAPE, v2)).to.deep.equal({ kind: "secretKeyRef", secret: "s2" });
            expect(sourceOf(V1_SERVICE_SHAPE, v1)).to.deep.equal({ kind: "secretKeyRef", secret: "s1" });
            expect(sourceOf(V2_SERVICE_SHAPE, v1)).to.deep.equal({ kind: "none" });
            expect(sourceOf(V1_SERVICE_SHAPE, v2)).to.deep.equal({ kind: "none" });
            expect(sourceOf(V1_SERVICE_SHAPE, { name: "A", valueFrom: { secretKeyRef: { secret: "s2" } } })).to.deep.equal({
                kind: "secretKeyRef",
                secret: undefined,
            });
        });

        it("reads the secret a variable takes in each container shape at that shape's own key: secret in v2, name in v1", () => {
            const v2 = { name: "A", valueSource: { secretKeyRef: { secret: "s2", version: "1" } } };
            for (const shape of [V2_SERVICE_SHAPE, V2_JOB_SHAPE, V2_WORKER_POOL_SHAPE]) {
                expect(sourceOf(shape, v2), shape.noun).to.deep.equal({ kind: "secretKeyRef", secret: "s2" });
            }
            const v1 = { name: "A", valueFrom: { secretKeyRef: { name: "s1", key: "latest" } } };
            expect(sourceOf(V1_SERVICE_SHAPE, v1)).to.deep.equal({ kind: "secretKeyRef", secret: "s1" });
        });

        it("reads an unknown source or secretKeyRef as unknown, and a null or non-object one as none", () => {
            expect(sourceOf(V2_SERVICE_SHAPE, { name: "A", valueSource: UNKNOWN_VALUE })).to.deep.equal({ kind: "unknown" });
            expect(sourceOf(V2_SERVICE_SHAPE, { name: "A", valueSource: { secretKeyRef: UNKNOWN_VALUE } })).to.deep.equal({
                kind: "unknown",
            });
            expect(sourceOf(V2_SERVICE_SHAPE, { name: "A", valueSource: { secretKeyRef: null } })).to.deep.equal({ kind: "none" });
            expect(sourceOf(V2_SERVICE_SHAPE, { name: "A", valueSource: { secretKeyRef: "s" } })).to.deep.equal({ kind: "none" });
            expect(sourceOf(V2_SERVICE_SHAPE, { name: "A", value: "x" })).to.deep.equal({ kind: "none" });
            expect(sourceOf(V2_SERVICE_SHAPE, { name: "A", valueSource: { secretKeyRef: { secret: UNKNOWN_VALUE } } })).to.deep.equal({
                kind: "secretKeyRef",
                secret: UNKNOWN,
            });
        });
    });

    describe("v1 secret aliases (run.googleapis.com/secrets on the revision template)", () => {
        /** Raw props: presentContainers passes them through the SDK's proxy, as the others do below. */
        const v1 = (annotation: unknown, env: Record<string, unknown>, volumes: unknown[] = []) => ({
            template: {
                metadata: { annotations: { "run.googleapis.com/secrets": annotation } },
                spec: { containers: [{ name: "legacy", envs: [env] }], volumes },
            },
        });
        const firstSource = (props: Record<string, unknown>) => {
            const [container] = presentContainers(V1_SERVICE_SHAPE, props);
            const envs = envsOf(container);
            return envs === UNKNOWN ? UNKNOWN : secretSource(V1_SERVICE_SHAPE, envs[0]);
        };
        const ref = (name: string) => ({ name: "TOKEN", valueFrom: { secretKeyRef: { name, key: "latest" } } });

        it("reads a variable's and a volume's alias as the secret it stands for, and any other reference as it is", () => {
            const props = v1("shared:projects/netra-shared/secrets/api-token, certs:projects/netra-shared/secrets/tls", ref("shared"), [
                { name: "a", secret: { secretName: "certs" } },
                { name: "b", secret: { secretName: "own-secret" } },
            ]);
            expect(firstSource(props)).to.deep.equal({ kind: "secretKeyRef", secret: "projects/netra-shared/secrets/api-token" });
            expect(volumeSecrets(V1_SERVICE_SHAPE, asPolicyProps(props))).to.deep.equal([
                "projects/netra-shared/secrets/tls",
                "own-secret",
            ]);
            expect(secretReferences(V1_SERVICE_SHAPE, asPolicyProps(props))).to.deep.equal({
                ids: ["api-token", "tls", "own-secret"],
                incomplete: false,
            });
            expect(firstSource(v1("shared:projects/p/secrets/s", ref("jwt-secret")))).to.deep.equal({
                kind: "secretKeyRef",
                secret: "jwt-secret",
            });
        });

        it("keeps the well-formed entries of an annotation with a malformed one, and reads a non-string annotation as none", () => {
            expect(firstSource(v1("broken,shared:projects/p/secrets/s", ref("shared")))).to.deep.equal({
                kind: "secretKeyRef",
                secret: "projects/p/secrets/s",
            });
            expect(firstSource(v1(42, ref("shared")))).to.deep.equal({ kind: "secretKeyRef", secret: "shared" });
        });

        it("reads a bare reference as not known yet while the annotation is unknown, but a secret's resource name as itself", () => {
            expect(firstSource(v1(UNKNOWN_VALUE, ref("shared")))).to.deep.equal({ kind: "secretKeyRef", secret: UNKNOWN });
            expect(firstSource(v1(UNKNOWN_VALUE, ref("projects/p/secrets/s")))).to.deep.equal({
                kind: "secretKeyRef",
                secret: "projects/p/secrets/s",
            });
            expect(secretReferences(V1_SERVICE_SHAPE, asPolicyProps(v1(UNKNOWN_VALUE, ref("shared"))))).to.deep.equal({
                ids: [],
                incomplete: true,
            });
        });

        it("is v1's alone: a v2 service's secret named like an alias is that secret", () => {
            const props = asPolicyProps({
                template: {
                    metadata: { annotations: { "run.googleapis.com/secrets": "shared:projects/p/secrets/s" } },
                    annotations: { "run.googleapis.com/secrets": "shared:projects/p/secrets/s" },
                    containers: [{ envs: [{ name: "TOKEN", valueSource: { secretKeyRef: { secret: "shared" } } }] }],
                    volumes: [{ name: "a", secret: { secret: "shared" } }],
                },
            });
            expect(secretReferences(V2_SERVICE_SHAPE, props)).to.deep.equal({ ids: ["shared"], incomplete: false });
        });
    });

    describe("volumes, account and ingress", () => {
        it("reads the secrets each shape mounts, skipping volumes that mount none, and an unknown list as one unknown", () => {
            const v2Volumes = [
                { name: "a", secret: { secret: "tls-cert" } },
                { name: "b", emptyDir: {} },
                { name: "c", secret: { secret: UNKNOWN_VALUE } },
            ];
            expect(volumeSecrets(V2_SERVICE_SHAPE, asPolicyProps({ template: { volumes: v2Volumes } }))).to.deep.equal([
                "tls-cert",
                UNKNOWN,
            ]);
            expect(volumeSecrets(V2_JOB_SHAPE, asPolicyProps({ template: { template: { volumes: v2Volumes } } }))).to.deep.equal([
                "tls-cert",
                UNKNOWN,
            ]);
            expect(volumeSecrets(V2_WORKER_POOL_SHAPE, asPolicyProps({ template: { volumes: v2Volumes } }))).to.deep.equal([
                "tls-cert",
                UNKNOWN,
            ]);
            expect(
                volumeSecrets(V1_SERVICE_SHAPE, asPolicyProps({ template: { spec: { volumes: [{ secret: { secretName: "tls-v1" } }] } } })),
            ).to.deep.equal(["tls-v1"]);
            expect(
                volumeSecrets(V1_SERVICE_SHAPE, asPolicyProps({ template: { spec: { volumes: [{ secret: { secret: "tls-v2" } }] } } })),
            ).to.deep.equal([]);
            expect(
                volumeSecrets(
                    FUNCTION_V2_SHAPE,
                    asPolicyProps({ serviceConfig: { secretVolumes: [{ mountPath: "/s", secret: "fn-secret" }] } }),
                ),
            ).to.deep.equal(["fn-secret"]);
            expect(volumeSecrets(FUNCTION_V2_SHAPE, asPolicyProps({ serviceConfig: { volumes: [{ secret: "other" }] } }))).to.deep.equal(
                [],
            );
            expect(volumeSecrets(V2_SERVICE_SHAPE, asPolicyProps({ template: { volumes: UNKNOWN_VALUE } }))).to.deep.equal([UNKNOWN]);
            expect(volumeSecrets(V2_SERVICE_SHAPE, asPolicyProps({ template: {} }))).to.deep.equal([]);
        });

        it("reads each shape's runtime account at its own key; an empty one is unset", () => {
            expect(serviceAccountOf(V2_SERVICE_SHAPE, asPolicyProps({ template: { serviceAccount: ACCOUNT } }))).to.equal(ACCOUNT);
            expect(serviceAccountOf(V2_JOB_SHAPE, asPolicyProps({ template: { template: { serviceAccount: ACCOUNT } } }))).to.equal(
                ACCOUNT,
            );
            expect(serviceAccountOf(V2_WORKER_POOL_SHAPE, asPolicyProps({ template: { serviceAccount: ACCOUNT } }))).to.equal(ACCOUNT);
            expect(serviceAccountOf(V1_SERVICE_SHAPE, asPolicyProps({ template: { spec: { serviceAccountName: ACCOUNT } } }))).to.equal(
                ACCOUNT,
            );
            expect(serviceAccountOf(V1_SERVICE_SHAPE, asPolicyProps({ template: { spec: { serviceAccount: ACCOUNT } } }))).to.equal(
                undefined,
            );
            expect(serviceAccountOf(FUNCTION_V2_SHAPE, asPolicyProps({ serviceConfig: { serviceAccountEmail: ACCOUNT } }))).to.equal(
                ACCOUNT,
            );
            expect(serviceAccountOf(V2_SERVICE_SHAPE, asPolicyProps({ template: { serviceAccount: "" } }))).to.equal(undefined);
            expect(serviceAccountOf(V2_SERVICE_SHAPE, asPolicyProps({ template: { serviceAccount: UNKNOWN_VALUE } }))).to.equal(UNKNOWN);
            expect(serviceAccountOf(V2_SERVICE_SHAPE, asPolicyProps({ template: {} }))).to.equal(undefined);
        });

        it("reads every spelling of all-traffic ingress as all, unset included, and every other setting as restricted", () => {
            const v2 = (ingress: unknown) => ingressOf(V2_SERVICE_SHAPE, asPolicyProps(ingress === undefined ? {} : { ingress }));
            expect([undefined, "", "INGRESS_TRAFFIC_ALL", " ingress_traffic_all ", 7].map(v2)).to.deep.equal([
                "all",
                "all",
                "all",
                "all",
                "all",
            ]);
            expect(
                ["INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_NONE"].map(v2),
            ).to.deep.equal(["restricted", "restricted", "restricted"]);
            expect(v2(UNKNOWN_VALUE)).to.equal(UNKNOWN);

            const v1 = (ingress: string) =>
                ingressOf(V1_SERVICE_SHAPE, asPolicyProps({ metadata: { annotations: { "run.googleapis.com/ingress": ingress } } }));
            expect(["all", "ALL", "internal", "internal-and-cloud-load-balancing"].map(v1)).to.deep.equal([
                "all",
                "all",
                "restricted",
                "restricted",
            ]);
            expect(ingressOf(V1_SERVICE_SHAPE, asPolicyProps({ ingress: "internal" }))).to.equal("all");

            const fn = (ingressSettings: string) => ingressOf(FUNCTION_V2_SHAPE, asPolicyProps({ serviceConfig: { ingressSettings } }));
            expect(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"].map(fn)).to.deep.equal([
                "all",
                "restricted",
                "restricted",
            ]);
        });

        it("gives services and functions an ingress setting, and jobs and worker pools none: they take no requests", () => {
            expect(WORKLOAD_SHAPES.map((shape) => [shape.type, hasIngress(shape)])).to.deep.equal([
                ["gcp:cloudrunv2/service:Service", true],
                ["gcp:cloudrunv2/job:Job", false],
                ["gcp:cloudrunv2/workerPool:WorkerPool", false],
                ["gcp:cloudrun/service:Service", true],
                ["gcp:cloudfunctionsv2/function:Function", true],
            ]);
        });
    });

    describe("variables outside the runtime containers", () => {
        /** (label, name, value) of each entry. */
        const read = (entries: ReturnType<typeof carriedEnvEntries>): unknown[] =>
            entries.map(({ container, env }) => [container.label, envName(env), literalValue(env)]);

        it("carries a v2 service's containers, then its build-time variables (buildConfig.environmentVariables), then each sandbox template's", () => {
            const props = asPolicyProps({
                buildConfig: { environmentVariables: { NPM_CONFIG_PRODUCTION: "false" } },
                template: {
                    containers: [{ name: "api", envs: [{ name: "ENVIRONMENT", value: "staging" }] }],
                    sandboxes: { templates: [{ name: "tool", envs: [{ name: "A", value: "1" }] }, { envs: [{ name: "B", value: "2" }] }] },
                },
            });
            expect(read(carriedEnvEntries(V2_SERVICE_SHAPE, props))).to.deep.equal([
                ['Container "api"', "ENVIRONMENT", "staging"],
                ["The build", "NPM_CONFIG_PRODUCTION", "false"],
                ['Sandbox template "tool"', "A", "1"],
                ["Sandbox template #2", "B", "2"],
            ]);
            // Not in a running container's environment: the checks on what a container sets do not read them.
            expect(read(knownEnvEntries(V2_SERVICE_SHAPE, props))).to.deep.equal([['Container "api"', "ENVIRONMENT", "staging"]]);
        });

        it("carries a function's build-time variables after its own, and nothing more for jobs, worker pools and v1 services", () => {
            const fn = asPolicyProps({
                buildConfig: { environmentVariables: { A: "1" } },
                serviceConfig: { environmentVariables: { B: "2" } },
            });
            expect(read(carriedEnvEntries(FUNCTION_V2_SHAPE, fn))).to.deep.equal([
                ["The function", "B", "2"],
                ["The build", "A", "1"],
            ]);
            const extra = { buildConfig: { environmentVariables: { A: "1" } } };
            for (const shape of [V2_JOB_SHAPE, V2_WORKER_POOL_SHAPE, V1_SERVICE_SHAPE]) {
                expect(carriedEnvEntries(shape, asPolicyProps(extra)), shape.type).to.deep.equal([]);
            }
        });

        it("carries nothing from a build map or sandbox list that is unknown, absent or malformed", () => {
            for (const [buildConfig, sandboxes] of [
                [{ environmentVariables: UNKNOWN_VALUE }, UNKNOWN_VALUE],
                [UNKNOWN_VALUE, { templates: UNKNOWN_VALUE }],
                [{ environmentVariables: ["A=1"] }, { templates: [{ name: "t", envs: UNKNOWN_VALUE }] }],
                [undefined, { templates: "t" }],
            ]) {
                const props = asPolicyProps({ ...(buildConfig === undefined ? {} : { buildConfig }), template: { sandboxes } });
                expect(carriedEnvEntries(V2_SERVICE_SHAPE, props), JSON.stringify([buildConfig, sandboxes])).to.deep.equal([]);
            }
        });
    });

    describe("VPC connector and Cloud SQL instances", () => {
        const CONNECTOR = "projects/netra-production/locations/us-central1/connectors/production-connector";
        const v2Template = {
            vpcAccess: { connector: CONNECTOR },
            volumes: [{ name: "sql", cloudSqlInstance: { instances: ["p:r:a", "p:r:b"] } }],
        };

        it("reads v2 services, jobs and worker pools at vpcAccess.connector and volumes[].cloudSqlInstance.instances", () => {
            const cases: [WorkloadShape, Record<string, unknown>][] = [
                [V2_SERVICE_SHAPE, { template: v2Template }],
                [V2_JOB_SHAPE, { template: { template: v2Template } }],
                [V2_WORKER_POOL_SHAPE, { template: v2Template }],
            ];
            for (const [shape, props] of cases) {
                const read = asPolicyProps(props);
                expect([vpcConnectorOf(shape, read), cloudSqlInstancesOf(shape, read)], shape.type).to.deep.equal([
                    CONNECTOR,
                    ["p:r:a", "p:r:b"],
                ]);
            }
        });

        it("reads a v1 service's revision annotations: the connector, and the instances comma-separated with spaces around them", () => {
            const props = asPolicyProps({
                template: {
                    metadata: {
                        annotations: {
                            "run.googleapis.com/vpc-access-connector": CONNECTOR,
                            "run.googleapis.com/cloudsql-instances": " p:r:a, p:r:b ,,",
                        },
                    },
                    // v2's fields mean nothing on v1.
                    spec: { vpcAccess: { connector: "other" }, volumes: [{ cloudSqlInstance: { instances: ["p:r:c"] } }] },
                },
            });
            expect([vpcConnectorOf(V1_SERVICE_SHAPE, props), cloudSqlInstancesOf(V1_SERVICE_SHAPE, props)]).to.deep.equal([
                CONNECTOR,
                ["p:r:a", "p:r:b"],
            ]);
        });

        it("reads a function's serviceConfig.vpcConnector, and no Cloud SQL instances", () => {
            const props = asPolicyProps({
                serviceConfig: { vpcConnector: CONNECTOR, volumes: [{ cloudSqlInstance: { instances: ["p:r:a"] } }] },
            });
            expect([vpcConnectorOf(FUNCTION_V2_SHAPE, props), cloudSqlInstancesOf(FUNCTION_V2_SHAPE, props)]).to.deep.equal([
                CONNECTOR,
                [],
            ]);
        });

        it("reads unset as none, leaves out what is not known yet, and reads an unknown connector as UNKNOWN", () => {
            expect([
                vpcConnectorOf(V2_SERVICE_SHAPE, asPolicyProps({})),
                cloudSqlInstancesOf(V1_SERVICE_SHAPE, asPolicyProps({})),
            ]).to.deep.equal([undefined, []]);
            const unknown = asPolicyProps({
                template: {
                    vpcAccess: { connector: UNKNOWN_VALUE },
                    volumes: [{ cloudSqlInstance: { instances: [UNKNOWN_VALUE, "p:r:a"] } }, UNKNOWN_VALUE],
                },
            });
            expect([vpcConnectorOf(V2_SERVICE_SHAPE, unknown), cloudSqlInstancesOf(V2_SERVICE_SHAPE, unknown)]).to.deep.equal([
                UNKNOWN,
                ["p:r:a"],
            ]);
            const annotation = asPolicyProps({
                template: { metadata: { annotations: { "run.googleapis.com/cloudsql-instances": UNKNOWN_VALUE } } },
            });
            expect(cloudSqlInstancesOf(V1_SERVICE_SHAPE, annotation)).to.deep.equal([]);
        });
    });

    describe("the container that takes requests", () => {
        const ingressFlags = (shape: WorkloadShape, containers: unknown[]): boolean[] => {
            const props = asPolicyProps(shape === V2_JOB_SHAPE ? { template: { template: { containers } } } : { template: { containers } });
            const list: ContainerList = containersOf(shape, props);
            return list.state === "present" ? list.containers.map((container) => isIngressContainer(shape, list, container)) : [];
        };

        it("is the only container, or the one that declares ports, or else the first", () => {
            expect(ingressFlags(V2_SERVICE_SHAPE, [{ name: "api" }])).to.deep.equal([true]);
            expect(ingressFlags(V2_SERVICE_SHAPE, [{ name: "proxy" }, { name: "api", ports: { containerPort: 8080 } }])).to.deep.equal([
                false,
                true,
            ]);
            expect(ingressFlags(V2_SERVICE_SHAPE, [{ name: "api" }, { name: "sidecar" }])).to.deep.equal([true, false]);
            expect(
                ingressFlags(V2_SERVICE_SHAPE, [
                    { name: "api", ports: [] },
                    { name: "sidecar", ports: null },
                ]),
            ).to.deep.equal([true, false]);
            expect(ingressFlags(V2_SERVICE_SHAPE, [{ name: "api" }, { name: "unknown", ports: UNKNOWN_VALUE }])).to.deep.equal([
                false,
                true,
            ]);
            expect(ingressFlags(V2_SERVICE_SHAPE, [{ name: "a", ports: [{ containerPort: 8080 }] }, { name: "b" }])).to.deep.equal([
                true,
                false,
            ]);
        });

        it("does not exist in a job or a worker pool, and is a function's one container", () => {
            expect(ingressFlags(V2_JOB_SHAPE, [{ name: "task" }])).to.deep.equal([false]);
            expect(ingressFlags(V2_WORKER_POOL_SHAPE, [{ name: "worker" }])).to.deep.equal([false]);
            const list = containersOf(FUNCTION_V2_SHAPE, asPolicyProps({ serviceConfig: {} }));
            expect(list.state === "present" && isIngressContainer(FUNCTION_V2_SHAPE, list, list.containers[0])).to.equal(true);
            const container: ContainerView = { index: 0, label: "Container #1", raw: {} };
            expect(isIngressContainer(V2_SERVICE_SHAPE, { state: "unknown" }, container)).to.equal(false);
        });
    });

    describe("the secrets a workload reads", () => {
        it("collects variable and volume secrets as ids, once each, in order of first reference", () => {
            const props = asPolicyProps({
                template: {
                    containers: [
                        {
                            envs: [
                                {
                                    name: "JWT_SECRET_KEY",
                                    valueSource: { secretKeyRef: { secret: "projects/netra-staging/secrets/jwt-secret-staging" } },
                                },
                                { name: "JWT_SECRET_KEY_OLD", valueSource: { secretKeyRef: { secret: "jwt-secret-staging" } } },
                                { name: "BLANK", valueSource: { secretKeyRef: { secret: " " } } },
                                { name: "PLAIN", value: "x" },
                            ],
                        },
                        { envs: [{ name: "DB", valueSource: { secretKeyRef: { secret: " postgres-password-staging " } } }] },
                    ],
                    volumes: [{ secret: { secret: "tls-cert" } }, { secret: { secret: "jwt-secret-staging" } }],
                },
            });
            expect(secretReferences(V2_SERVICE_SHAPE, props)).to.deep.equal({
                ids: ["jwt-secret-staging", "postgres-password-staging", "tls-cert"],
                incomplete: false,
            });
        });

        it("reads a workload without secrets as reading none, completely", () => {
            const props = asPolicyProps({ template: { containers: [{ envs: [{ name: "ENVIRONMENT", value: "staging" }] }] } });
            expect(secretReferences(V2_SERVICE_SHAPE, props)).to.deep.equal({ ids: [], incomplete: false });
            expect(secretReferences(V2_SERVICE_SHAPE, asPolicyProps({ template: {} }))).to.deep.equal({ ids: [], incomplete: false });
        });

        it("says the list may be incomplete when containers, variables, a source or volumes are unknown, keeping what is known", () => {
            const known = { envs: [{ name: "A", valueSource: { secretKeyRef: { secret: "a" } } }] };
            const incomplete = (template: Record<string, unknown>) => secretReferences(V2_SERVICE_SHAPE, asPolicyProps({ template }));
            expect(incomplete({ containers: UNKNOWN_VALUE, volumes: [{ secret: { secret: "v" } }] })).to.deep.equal({
                ids: ["v"],
                incomplete: true,
            });
            expect(incomplete({ containers: [known, { envs: UNKNOWN_VALUE }] })).to.deep.equal({ ids: ["a"], incomplete: true });
            expect(incomplete({ containers: [known, { envs: [{ name: "B", valueSource: UNKNOWN_VALUE }] }] })).to.deep.equal({
                ids: ["a"],
                incomplete: true,
            });
            expect(
                incomplete({ containers: [{ envs: [{ name: "B", valueSource: { secretKeyRef: { secret: UNKNOWN_VALUE } } }] }] }),
            ).to.deep.equal({
                ids: [],
                incomplete: true,
            });
            expect(incomplete({ containers: [known], volumes: UNKNOWN_VALUE })).to.deep.equal({ ids: ["a"], incomplete: true });
        });
    });
});
