import { expect } from "chai";
import { randomBytes } from "node:crypto";
import type { AuditedResource } from "../../audit/audited-resource";
import { isDeclared } from "../../audit/declared-workloads";
import { AuditInputError } from "../../audit/input-error";
import { readAuditInput } from "../../audit/read-input";
import { withUrns } from "../../audit/run-audit";
import { readStackFile } from "../../check/stack-file";
import { cloudrunNoPlaintextSecrets } from "../../policies/cloudrun-no-plaintext-secrets";
import { cloudrunRequiredEnvVars } from "../../policies/cloudrun-required-env-vars";
import { runResourcePolicy } from "../policies/harness";
import { DOCUMENTS, REPO_ROOT, scratchFiles, WORKLOADS } from "./support";

// Test data, written out: what the audit and the policies say.
const POOL = "netra-queue-staging";
const ACCOUNT = "netra-queue-staging-run@netra-staging.iam.gserviceaccount.com";
const IMAGE = `us-docker.pkg.dev/netra-staging/app/queue@sha256:${"a".repeat(64)}`;
const V2_NAME = `projects/netra-staging/locations/us-central1/workerPools/${POOL}`;
const NO_ENVIRONMENT =
    'Container "worker" does not set ENVIRONMENT; every Cloud Run container must declare it explicitly, or the service guesses ' +
    "its environment (the WebSocket 1011 incident).";
const PLAINTEXT_TOKEN =
    'Container "worker" sets QUEUE_API_TOKEN without a secretKeyRef, but its name marks a secret (TOKEN); ' +
    "take its value from Secret Manager (or, for a mounted secret file, set its absolute path).";
const MORE_PAGES =
    "is set: the API has more pages of worker pools than this file holds, and the audit would judge this page as if it were all; " +
    "merge every page's worker pools into one list (a list without a next page token), then audit that";

/** A variable, whatever the export's shape: a literal, or a Secret Manager secret. */
type Env = { readonly name: string; readonly value?: string } | { readonly name: string; readonly secret: string };

/** A worker pool as `projects.locations.workerPools.get` returns it (output-only fields included). */
function v2WorkerPool(envs: readonly Env[]): Record<string, unknown> {
    return {
        name: V2_NAME,
        uid: "6a3c9a1e-0000-4000-8000-000000000000",
        generation: "3",
        createTime: "2026-01-05T10:00:00.000000Z",
        creator: "someone@example.com",
        launchStage: "GA",
        labels: { team: "platform" },
        template: {
            serviceAccount: ACCOUNT,
            containers: [
                {
                    name: "worker",
                    image: IMAGE,
                    env: envs.map((env) =>
                        "secret" in env
                            ? { name: env.name, valueSource: { secretKeyRef: { secret: env.secret, version: "latest" } } }
                            : env,
                    ),
                    resources: { limits: { cpu: "1", memory: "512Mi" } },
                },
            ],
        },
        instanceSplits: [{ type: "INSTANCE_SPLIT_ALLOCATION_TYPE_LATEST", percent: 100 }],
        scaling: { manualInstanceCount: "2" },
        observedGeneration: "3",
        latestReadyRevision: `${V2_NAME}/revisions/${POOL}-00003-xyz`,
        latestCreatedRevision: `${V2_NAME}/revisions/${POOL}-00003-xyz`,
        instanceSplitStatuses: [{ type: "INSTANCE_SPLIT_ALLOCATION_TYPE_LATEST", percent: 100 }],
        terminalCondition: { type: "Ready", state: "CONDITION_SUCCEEDED" },
        conditions: [],
        reconciling: false,
        etag: '"abc123"',
    };
}

/** A worker pool as `gcloud run worker-pools describe --format=json` prints it (Admin API v1, Knative-style). */
function gcloudWorkerPool(envs: readonly Env[], name = POOL): Record<string, unknown> {
    return {
        apiVersion: "run.googleapis.com/v1",
        kind: "WorkerPool",
        metadata: {
            name,
            namespace: "123456789012",
            generation: 3,
            labels: { "cloud.googleapis.com/location": "us-central1" },
            annotations: { "run.googleapis.com/launch-stage": "GA" },
        },
        spec: {
            template: {
                metadata: { labels: { team: "platform" } },
                spec: {
                    serviceAccountName: ACCOUNT,
                    containers: [
                        {
                            name: "worker",
                            image: IMAGE,
                            env: envs.map((env) =>
                                "secret" in env
                                    ? { name: env.name, valueFrom: { secretKeyRef: { name: env.secret, key: "latest" } } }
                                    : env,
                            ),
                        },
                    ],
                },
            },
            instanceSplits: [{ latestRevision: true, percent: 100 }],
        },
        status: { observedGeneration: 3, conditions: [{ type: "Ready", status: "True" }] },
    };
}

function readOne(document: unknown, name = "pool.json") {
    return readAuditInput(scratchFiles({ [name]: document }), name);
}

function messageOf(document: unknown, name = "pool.json"): string {
    try {
        readOne(document, name);
    } catch (error) {
        expect(error).to.be.instanceOf(AuditInputError);
        return (error as Error).message;
    }
    return expect.fail("expected an AuditInputError");
}

/** What the two policies say about one audited resource, with their default config. */
async function verdicts(resource: AuditedResource): Promise<string[]> {
    const input = { type: resource.type, name: resource.name, props: resource.inputs };
    const runs = await Promise.all([
        runResourcePolicy(cloudrunRequiredEnvVars, input),
        runResourcePolicy(cloudrunNoPlaintextSecrets, input),
    ]);
    return runs.flatMap((run) => run.violations);
}

describe("audit: Cloud Run worker pools", () => {
    it("maps an Admin API v2 worker pool into gcp:cloudrunv2/workerPool:WorkerPool props: name split, env to envs, output-only fields dropped", () => {
        const input = readOne(v2WorkerPool([{ name: "ENVIRONMENT", value: "staging" }]));
        expect(input.kind).to.equal("Admin API v2 worker pool");
        const [pool] = input.resources;
        expect([pool.type, pool.name, pool.workload]).to.deep.equal([
            "gcp:cloudrunv2/workerPool:WorkerPool",
            POOL,
            { kind: "worker pool", name: POOL, location: "us-central1" },
        ]);
        expect(pool.inputs).to.deep.equal({
            project: "netra-staging",
            location: "us-central1",
            name: POOL,
            launchStage: "GA",
            labels: { team: "platform" },
            template: {
                serviceAccount: ACCOUNT,
                containers: [
                    {
                        name: "worker",
                        image: IMAGE,
                        envs: [{ name: "ENVIRONMENT", value: "staging" }],
                        resources: { limits: { cpu: "1", memory: "512Mi" } },
                    },
                ],
            },
            instanceSplits: [{ type: "INSTANCE_SPLIT_ALLOCATION_TYPE_LATEST", percent: 100 }],
            // int32 in the API; a number in @pulumi/gcp's WorkerPoolScaling, also from its decimal string.
            scaling: { manualInstanceCount: 2 },
        });
    });

    it("maps gcloud's worker pool (Admin API v1) into the same type: the revision template's account, containers and tags under template", () => {
        const input = readOne(
            gcloudWorkerPool([
                { name: "ENVIRONMENT", value: "staging" },
                { name: "DB_PASSWORD", secret: "db-password" },
            ]),
        );
        expect(input.kind).to.equal("gcloud run worker-pools describe (Knative JSON, Admin API v1)");
        const [pool] = input.resources;
        expect([pool.type, pool.name, pool.workload]).to.deep.equal([
            "gcp:cloudrunv2/workerPool:WorkerPool",
            POOL,
            { kind: "worker pool", name: POOL, location: "us-central1" },
        ]);
        expect(pool.inputs).to.deep.equal({
            name: POOL,
            location: "us-central1",
            project: "123456789012",
            labels: { "cloud.googleapis.com/location": "us-central1" },
            annotations: { "run.googleapis.com/launch-stage": "GA" },
            template: {
                labels: { team: "platform" },
                serviceAccount: ACCOUNT,
                containers: [
                    {
                        name: "worker",
                        image: IMAGE,
                        envs: [
                            { name: "ENVIRONMENT", value: "staging" },
                            { name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: "db-password", version: "latest" } } },
                        ],
                    },
                ],
            },
        });
    });

    it("resolves the secret aliases of gcloud's worker pool, as a service's", () => {
        const document = gcloudWorkerPool([{ name: "DB_PASSWORD", secret: "db" }]);
        const template = (document.spec as { template: { metadata: Record<string, unknown> } }).template;
        template.metadata = { annotations: { "run.googleapis.com/secrets": "db:projects/9/secrets/db-password" } };
        const [pool] = readOne(document).resources;
        expect((pool.inputs.template as { containers: { envs: unknown }[] }).containers[0].envs).to.deep.equal([
            { name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: "projects/9/secrets/db-password", version: "latest" } } },
        ]);
    });

    for (const [form, build] of [
        ["an Admin API v2 worker pool", v2WorkerPool],
        ["gcloud's worker pool", gcloudWorkerPool],
    ] as const) {
        describe(`judged by the pack's policies through the audit's mapping, from ${form}`, () => {
            it("passes a worker pool that sets ENVIRONMENT and reads its secrets from Secret Manager", async () => {
                const [pool] = readOne(
                    build([
                        { name: "ENVIRONMENT", value: "staging" },
                        { name: "QUEUE_API_TOKEN", secret: "queue-token" },
                    ]),
                ).resources;
                expect(await verdicts(pool)).to.deep.equal([]);
            });

            it("flags a worker pool deployed without ENVIRONMENT (cloudrun-required-env-vars)", async () => {
                const [pool] = readOne(build([{ name: "LOG_LEVEL", value: "info" }])).resources;
                expect(await verdicts(pool)).to.deep.equal([NO_ENVIRONMENT]);
            });

            it("flags a plaintext secret in a worker pool, without showing its value (cloudrun-no-plaintext-secrets)", async () => {
                const value = randomBytes(16).toString("hex");
                const [pool] = readOne(
                    build([
                        { name: "ENVIRONMENT", value: "staging" },
                        { name: "QUEUE_API_TOKEN", value },
                    ]),
                ).resources;
                const found = await verdicts(pool);
                expect(found).to.deep.equal([PLAINTEXT_TOKEN]);
                expect(found.join("\n")).not.to.include(value);
            });
        });
    }

    describe("lists", () => {
        it("reads the Admin API v2 list response, and an empty last page", () => {
            const other = { ...v2WorkerPool([]), name: "projects/netra-staging/locations/europe-west1/workerPools/netra-mail-staging" };
            const input = readOne({ workerPools: [v2WorkerPool([]), other], unreachable: [], nextPageToken: "" });
            expect([input.kind, input.resources.map((resource) => resource.workload)]).to.deep.equal([
                "Admin API v2 worker pools list",
                [
                    { kind: "worker pool", name: POOL, location: "us-central1" },
                    { kind: "worker pool", name: "netra-mail-staging", location: "europe-west1" },
                ],
            ]);
            expect([readOne({ workerPools: [] }).kind, readOne({ workerPools: [] }).resources]).to.deep.equal([
                "Admin API v2 worker pools list",
                [],
            ]);
        });

        it("refuses a v2 list that says it is incomplete: more pages, or regions not reached", () => {
            expect(messageOf({ workerPools: [v2WorkerPool([])], nextPageToken: "CgZuZXh0" })).to.equal(
                `pool.json: $.nextPageToken: ${MORE_PAGES}`,
            );
            expect(messageOf({ workerPools: [], unreachable: ["europe-west1"] })).to.equal(
                "pool.json: $.unreachable: lists a region the API could not reach, whose worker pools this file does not hold; " +
                    "list again until no region is unreachable, or list each region on its own",
            );
        });

        it("reads `gcloud run worker-pools list --format=json` (a JSON list), alone or beside services", () => {
            const input = readOne([gcloudWorkerPool([]), gcloudWorkerPool([], "netra-mail-staging")]);
            expect([input.kind, input.resources.map((resource) => `${resource.type} ${resource.name}`)]).to.deep.equal([
                "gcloud run worker-pools list (Knative JSON, Admin API v1)",
                [`gcp:cloudrunv2/workerPool:WorkerPool ${POOL}`, "gcp:cloudrunv2/workerPool:WorkerPool netra-mail-staging"],
            ]);
            const service = { apiVersion: "serving.knative.dev/v1", kind: "Service", metadata: { name: POOL } };
            const mixed = readOne([service, gcloudWorkerPool([])]);
            expect([mixed.kind, mixed.resources.map((resource) => resource.workload?.kind)]).to.deep.equal([
                "gcloud run list (Knative JSON, Admin API v1)",
                ["service", "worker pool"],
            ]);
        });

        it("reads the v1 API's own WorkerPoolList, and refuses one with more pages", () => {
            const list = { apiVersion: "run.googleapis.com/v1", kind: "WorkerPoolList", items: [gcloudWorkerPool([])] };
            expect([readOne(list).kind, readOne(list).resources.map((resource) => resource.name)]).to.deep.equal([
                "Admin API v1 WorkerPoolList",
                [POOL],
            ]);
            expect(messageOf({ ...list, metadata: { continue: "next" } })).to.equal(`pool.json: $.metadata.continue: ${MORE_PAGES}`);
        });

        it("refuses a v2 response with two lists, which no list method returns", () => {
            expect(messageOf({ services: [], workerPools: [] })).to.equal(
                `pool.json: $: is an object with services, workerPools, not a known document; expected ${DOCUMENTS}`,
            );
        });
    });

    describe("values of the wrong type, refused with their JSON path", () => {
        const v2 = (change: (document: Record<string, unknown>) => void) => {
            const document = v2WorkerPool([{ name: "ENVIRONMENT", value: "staging" }]);
            change(document);
            return document;
        };
        const template = (document: Record<string, unknown>) => document.template as Record<string, unknown>;
        const gcloudSpec = (document: Record<string, unknown>) =>
            (document.spec as { template: { spec: Record<string, unknown> } }).template.spec;
        for (const [name, document, message] of [
            [
                "a variable's value that is a number",
                v2((document) => (template(document).containers = [{ image: IMAGE, env: [{ name: "WORKERS", value: 4 }] }])),
                "pool.json: $.template.containers[0].env[0].value: is a number; expected the variable's value (a string)",
            ],
            [
                "a runtime account that is a number",
                v2((document) => (template(document).serviceAccount = 7)),
                "pool.json: $.template.serviceAccount: is a number; expected the runtime service account's email (a non-empty string)",
            ],
            [
                "an instance count that is no whole number",
                v2((document) => (document.scaling = { maxInstanceCount: "ten" })),
                "pool.json: $.scaling.maxInstanceCount: is a string; expected the maximum instance count (a whole number, or its decimal string)",
            ],
            [
                "instance splits that are no list",
                v2((document) => (document.instanceSplits = { latest: 100 })),
                "pool.json: $.instanceSplits: is an object; expected a list of instance splits",
            ],
            [
                "a listed worker pool that is no object",
                { workerPools: [7] },
                "pool.json: $.workerPools[0]: is a number; expected a Cloud Run v2 WorkerPool",
            ],
            [
                "worker pools that are no list",
                { workerPools: { [POOL]: {} } },
                "pool.json: $.workerPools: is an object; expected a list of Cloud Run v2 WorkerPools",
            ],
            [
                "a service in a worker pools list",
                { workerPools: [{ name: "projects/p/locations/l/services/s" }] },
                "pool.json: $.workerPools[0].name: is not a worker pool name; expected projects/<project>/locations/<region>/workerPools/<name>",
            ],
            [
                "gcloud's runtime account that is a number",
                (() => {
                    const document = gcloudWorkerPool([]);
                    gcloudSpec(document).serviceAccountName = 7;
                    return document;
                })(),
                "pool.json: $.spec.template.spec.serviceAccountName: is a number; expected the runtime service account's email (a non-empty string)",
            ],
            [
                "gcloud's secret reference without the secret's name",
                (() => {
                    const document = gcloudWorkerPool([]);
                    gcloudSpec(document).containers = [{ env: [{ name: "A", valueFrom: { secretKeyRef: { key: "1" } } }] }];
                    return document;
                })(),
                "pool.json: $.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name: is missing; expected the secret's name (a non-empty string)",
            ],
            [
                "a worker pool revision in gcloud's list",
                [gcloudWorkerPool([]), { apiVersion: "run.googleapis.com/v1", kind: "Revision", metadata: { name: "r" } }],
                `pool.json: $[1].kind: is "Revision"; expected ${WORKLOADS}`,
            ],
        ] as const) {
            it(`refuses ${name}`, () => {
                expect(messageOf(document)).to.equal(message);
            });
        }

        it("refuses Pulumi's unknown-value marker anywhere in a worker pool, naming its path", () => {
            const document = v2WorkerPool([{ name: "ENVIRONMENT", value: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }]);
            expect(messageOf(document)).to.equal(
                "pool.json: $.template.containers[0].env[0].value: is Pulumi's unknown-value marker (04da6b54-80e4-46f7-96ec-b56ff0331ba9), " +
                    "which the policies take for a value not known yet and do not judge; the audit judges known values only",
            );
        });

        it("refuses a Cloud Build worker pool, whose name reads like a Cloud Run one's", () => {
            const cloudBuild = {
                name: "projects/netra-staging/locations/us-central1/workerPools/builds",
                privatePoolV1Config: { workerConfig: { machineType: "e2-standard-4" } },
                state: "RUNNING",
            };
            const expected =
                "is a field of Cloud Build's worker pools (gcloud builds worker-pools), which run builds, not workloads; " +
                "expected a Cloud Run worker pool (gcloud run worker-pools, or run.googleapis.com projects.locations.workerPools)";
            expect(messageOf(cloudBuild)).to.equal(`pool.json: $.privatePoolV1Config: ${expected}`);
            expect(messageOf({ workerPools: [{ ...cloudBuild, privatePoolV1Config: undefined }] })).to.equal(
                `pool.json: $.workerPools[0].state: ${expected}`,
            );
        });
    });

    describe("managed or not", () => {
        const declared = [
            { kind: "service", name: POOL, location: "us-central1" },
            { kind: "worker pool", name: "netra-mail-staging", location: "us-central1" },
        ] as const;

        it("counts a live worker pool as declared only by a declared worker pool of its name, never by a service of that name", () => {
            expect(isDeclared({ kind: "worker pool", name: "netra-mail-staging", location: "us-central1" }, declared)).to.equal(true);
            expect(isDeclared({ kind: "worker pool", name: POOL, location: "us-central1" }, declared)).to.equal(false);
            expect(isDeclared({ kind: "service", name: "netra-mail-staging", location: "us-central1" }, declared)).to.equal(false);
        });

        it("judges a worker pool and a service of one name as two workloads, and refuses one worker pool given twice", () => {
            const file = readStackFile(REPO_ROOT, "staging");
            const pool = readOne(gcloudWorkerPool([]));
            const service = readOne({ apiVersion: "serving.knative.dev/v1", kind: "Service", metadata: { name: POOL } }, "services.json");
            expect(withUrns([pool, service], file).map((entry) => entry.urn)).to.deep.equal([
                `urn:pulumi:staging::netra-platform::gcp:cloudrunv2/workerPool:WorkerPool::${POOL}`,
                `urn:pulumi:staging::netra-platform::gcp:cloudrun/service:Service::${POOL}`,
            ]);
            const v2 = readOne(v2WorkerPool([]), "v2.json");
            expect(() => withUrns([pool, v2], file))
                .to.throw(AuditInputError)
                .with.property("message", `v2.json: holds worker pool "${POOL}", which pool.json already holds; give each resource once`);
        });
    });
});
