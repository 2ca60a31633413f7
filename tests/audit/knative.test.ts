import { expect } from "chai";
import * as path from "node:path";
import { AuditInputError } from "../../audit/input-error";
import { readAuditInput } from "../../audit/read-input";
import { cloudrunPublicAccessAllowed } from "../../policies/cloudrun-public-access-allowed";
import { secretReferences, V1_SERVICE_SHAPE, V2_JOB_SHAPE } from "../../policies/lib/workloads";
import { runStackPolicy } from "../policies/harness";
import { fixture, REPO_ROOT, scratchFiles } from "./support";

/** A minimal Knative service as `gcloud run services describe --format=json` prints it. */
function knativeService(env: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        apiVersion: "serving.knative.dev/v1",
        kind: "Service",
        metadata: { name: "netra-api", namespace: "123456789012", labels: { "cloud.googleapis.com/location": "europe-west1" } },
        spec: {
            template: {
                metadata: { annotations: { "autoscaling.knative.dev/maxScale": "3" } },
                spec: {
                    serviceAccountName: "netra-api-run@netra-test.iam.gserviceaccount.com",
                    containers: [
                        { name: "api", image: "gcr.io/netra-test/api:1", command: ["serve"], env, ports: [{ containerPort: 8080 }] },
                    ],
                    volumes: [{ name: "certs", secret: { secretName: "api-certs", items: [{ key: "2", path: "tls.pem" }] } }],
                    ...extra,
                },
            },
            traffic: [{ percent: 100, latestRevision: true }],
        },
        status: { url: "https://netra-api-abc-ew.a.run.app" },
    };
}

function readOne(document: unknown, name = "service.json") {
    const dir = scratchFiles({ [name]: document });
    return readAuditInput(dir, name);
}

describe("audit: gcloud's Knative JSON (Cloud Run Admin API v1)", () => {
    it("maps a described service into gcp:cloudrun/service:Service props: variables to envs, secretKeyRef and volumes kept", () => {
        const input = readOne(
            knativeService([
                { name: "ENVIRONMENT", value: "test" },
                { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db-password", key: "latest" } } },
            ]),
        );
        expect(input.kind).to.equal("gcloud run services describe (Knative JSON, Admin API v1)");
        expect(input.resources).to.have.length(1);
        const [service] = input.resources;
        expect([service.type, service.name, service.workload]).to.deep.equal([
            "gcp:cloudrun/service:Service",
            "netra-api",
            { kind: "service", name: "netra-api", location: "europe-west1" },
        ]);
        expect(service.inputs).to.deep.equal({
            name: "netra-api",
            location: "europe-west1",
            project: "123456789012",
            metadata: { labels: { "cloud.googleapis.com/location": "europe-west1" }, namespace: "123456789012" },
            template: {
                metadata: { annotations: { "autoscaling.knative.dev/maxScale": "3" } },
                spec: {
                    serviceAccountName: "netra-api-run@netra-test.iam.gserviceaccount.com",
                    containers: [
                        {
                            name: "api",
                            image: "gcr.io/netra-test/api:1",
                            commands: ["serve"],
                            envs: [
                                { name: "ENVIRONMENT", value: "test" },
                                { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db-password", key: "latest" } } },
                            ],
                            ports: [{ containerPort: 8080 }],
                        },
                    ],
                    volumes: [{ name: "certs", secret: { secretName: "api-certs", items: [{ key: "2", path: "tls.pem" }] } }],
                },
            },
            traffics: [{ percent: 100, latestRevision: true }],
        });
    });

    it("maps a listed job into gcp:cloudrunv2/job:Job props: task template under template.template, secrets as valueSource", () => {
        const input = readAuditInput(REPO_ROOT, fixture("jobs-list.json"));
        expect(input.kind).to.equal("gcloud run jobs list (Knative JSON, Admin API v1)");
        const [job] = input.resources;
        expect([job.type, job.name, job.workload]).to.deep.equal([
            "gcp:cloudrunv2/job:Job",
            "netra-db-migrate",
            { kind: "job", name: "netra-db-migrate", location: "us-central1" },
        ]);
        const template = (job.inputs.template as { template: Record<string, unknown> }).template;
        expect(template).to.deep.equal({
            containers: [
                {
                    name: "migrate",
                    image: "gcr.io/netra-staging/netra-backend-staging:latest",
                    commands: ["alembic"],
                    args: ["upgrade", "head"],
                    envs: [
                        { name: "ENVIRONMENT", value: "staging" },
                        { name: "GCP_PROJECT_ID", value: "netra-staging" },
                        {
                            name: "POSTGRES_PASSWORD",
                            valueSource: { secretKeyRef: { secret: "postgres-password-staging", version: "latest" } },
                        },
                    ],
                    resources: { limits: { cpu: "1000m", memory: "512Mi" } },
                    volumeMounts: [{ name: "ca", mountPath: "/etc/ca" }],
                },
            ],
            volumes: [{ name: "ca", secret: { secret: "postgres-ca-staging", items: [{ path: "ca.pem", version: "latest" }] } }],
            serviceAccount: "netra-db-migrate-run@netra-staging.iam.gserviceaccount.com",
            maxRetries: 3,
            timeout: "600s",
        });
    });

    it("resolves secret aliases of another project (run.googleapis.com/secrets), so the pack sees the secret's own id; a config map of an alias's name stays", () => {
        const document = knativeService([
            { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "shared-db", key: "latest" } } },
            { name: "DB_HOST", valueFrom: { configMapKeyRef: { name: "shared-db", key: "host" } } },
        ]);
        const template = (
            document.spec as { template: { metadata: { annotations: Record<string, string> }; spec: { volumes: unknown[] } } }
        ).template;
        template.metadata.annotations["run.googleapis.com/secrets"] =
            "shared-db:projects/987654321098/secrets/db-password,certs:projects/987654321098/secrets/api-certs";
        template.spec.volumes = [{ name: "tls", secret: { secretName: "certs" } }];
        const [service] = readOne(document).resources;
        const spec = (service.inputs.template as { spec: { containers: { envs: unknown[] }[]; volumes: unknown[] } }).spec;
        // The config map's variable is left exactly as written: no secretKeyRef key is added to it.
        expect(spec.containers[0].envs).to.deep.equal([
            { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "projects/987654321098/secrets/db-password", key: "latest" } } },
            { name: "DB_HOST", valueFrom: { configMapKeyRef: { name: "shared-db", key: "host" } } },
        ]);
        expect(spec.volumes).to.deep.equal([{ name: "tls", secret: { secretName: "projects/987654321098/secrets/api-certs" } }]);
        expect(secretReferences(V1_SERVICE_SHAPE, service.inputs)).to.deep.equal({ ids: ["db-password", "api-certs"], incomplete: false });
    });

    it("gives the pack's workload view of a job the secrets its variables and volumes read", () => {
        const [job] = readAuditInput(REPO_ROOT, fixture("jobs-list.json")).resources;
        expect(secretReferences(V2_JOB_SHAPE, job.inputs)).to.deep.equal({
            ids: ["postgres-password-staging", "postgres-ca-staging"],
            incomplete: false,
        });
    });

    it("reads every service of a list, in order, and names the list by what it holds", () => {
        const input = readAuditInput(REPO_ROOT, fixture("services-list.json"));
        expect(input.kind).to.equal("gcloud run services list (Knative JSON, Admin API v1)");
        expect(input.resources.map((resource) => resource.name)).to.deep.equal([
            "netra-auth-service",
            "netra-status-page",
            "netra-scratch-api",
        ]);
    });

    it("reads an empty list (a project without jobs) as no resources", () => {
        const input = readOne([], "jobs.json");
        expect([input.kind, input.resources]).to.deep.equal(["an empty gcloud run list (Knative JSON, Admin API v1)", []]);
    });

    it("reads the API's own ServiceList with its items", () => {
        const input = readOne({ apiVersion: "serving.knative.dev/v1", kind: "ServiceList", items: [knativeService([])] });
        expect([input.kind, input.resources.map((resource) => resource.name)]).to.deep.equal(["Admin API v1 ServiceList", ["netra-api"]]);
    });

    it("reads the API's own JobList, and a list of services and jobs as a gcloud run list", () => {
        const job = { apiVersion: "run.googleapis.com/v1", kind: "Job", metadata: { name: "netra-migrate" } };
        const jobs = readOne({ apiVersion: "run.googleapis.com/v1", kind: "JobList", items: [job] });
        expect([jobs.kind, jobs.resources.map((resource) => resource.type)]).to.deep.equal([
            "Admin API v1 JobList",
            ["gcp:cloudrunv2/job:Job"],
        ]);
        expect(readOne({ apiVersion: "run.googleapis.com/v1", kind: "JobList" }).resources).to.deep.equal([]);
        const mixed = readOne([knativeService([]), job]);
        expect([mixed.kind, mixed.holdsGrants]).to.deep.equal(["gcloud run list (Knative JSON, Admin API v1)", false]);
        expect(readOne(job).kind).to.equal("gcloud run jobs describe (Knative JSON, Admin API v1)");
    });

    it("reads a service with nothing but its name: no region, project, template or traffic", () => {
        const [service] = readOne({ apiVersion: "serving.knative.dev/v1", kind: "Service", metadata: { name: "bare" } }).resources;
        expect([service.inputs, service.workload]).to.deep.equal([
            { name: "bare", metadata: {} },
            { kind: "service", name: "bare", location: undefined },
        ]);
        const [empty] = readOne({
            apiVersion: "serving.knative.dev/v1",
            kind: "Service",
            metadata: { name: "t" },
            spec: { template: {} },
        }).resources;
        expect(empty.inputs.template).to.deep.equal({});
    });

    it("keeps the service's run.googleapis.com/invoker-iam-disabled annotation, so a public service the config does not list fails", async () => {
        const document = knativeService([{ name: "ENVIRONMENT", value: "test" }]);
        const metadata = document.metadata as Record<string, unknown>;
        document.metadata = { ...metadata, annotations: { "run.googleapis.com/invoker-iam-disabled": "true" } };
        const [service] = readOne(document).resources;
        const judge = (publicServices: string[]) =>
            runStackPolicy(cloudrunPublicAccessAllowed, [{ type: service.type, name: service.name, props: service.inputs }], {
                publicServices,
            });
        expect((await judge([])).violations).to.deep.equal([
            'Service "netra-api" turns Cloud Run\'s invoker IAM check off (metadata.annotations["run.googleapis.com/invoker-iam-disabled"]), ' +
                'so anyone who reaches it may call "netra-api", which the policy config does not list as public; turn the check back on, ' +
                'or add "netra-api" to publicServices in the config of policy cloudrun-public-access-allowed if it is meant to be public.',
        ]);
        expect((await judge(["netra-api"])).violations).to.deep.equal([]);
    });

    it("keeps a service's own annotations and labels under metadata", () => {
        const [service] = readOne({
            apiVersion: "serving.knative.dev/v1",
            kind: "Service",
            metadata: { name: "s", annotations: { "run.googleapis.com/ingress": "internal" }, labels: { team: "a" } },
        }).resources;
        expect(service.inputs).to.deep.equal({
            name: "s",
            metadata: { annotations: { "run.googleapis.com/ingress": "internal" }, labels: { team: "a" } },
        });
    });

    it("maps a job's execution settings, labels and annotations, and its timeout in seconds, a number or the int64 string the API writes", () => {
        const job = (timeoutSeconds: unknown) => ({
            apiVersion: "run.googleapis.com/v1",
            kind: "Job",
            metadata: { name: "j", namespace: "p", labels: { a: "1" }, annotations: { b: "2" } },
            spec: {
                template: {
                    metadata: { labels: { c: "3" }, annotations: { d: "4" } },
                    spec: {
                        parallelism: 2,
                        taskCount: 4,
                        template: { spec: { timeoutSeconds, maxRetries: 0, serviceAccountName: "x@p" } },
                    },
                },
            },
        });
        expect(readOne(job(90)).resources[0].inputs).to.deep.equal({
            name: "j",
            project: "p",
            labels: { a: "1" },
            annotations: { b: "2" },
            template: {
                labels: { c: "3" },
                annotations: { d: "4" },
                parallelism: 2,
                taskCount: 4,
                template: { serviceAccount: "x@p", maxRetries: 0, timeout: "90s" },
            },
        });
        expect((readOne(job("600")).resources[0].inputs.template as { template: object }).template).to.deep.equal({
            serviceAccount: "x@p",
            maxRetries: 0,
            timeout: "600s",
        });
        const NUMBER = "a number that is negative, fractional or too large";
        const wrongs: [unknown, string][] = [
            ["90s", "a string"],
            ["1.5", "a string"],
            ["-1", "a string"],
            [" 90", "a string"],
            [1.5, NUMBER],
            [-1, NUMBER],
            [2 ** 53, NUMBER],
            [true, "a boolean"],
        ];
        for (const [wrong, given] of wrongs) {
            expect(() => readOne(job(wrong)), String(wrong))
                .to.throw(AuditInputError)
                .with.property(
                    "message",
                    `service.json: $.spec.template.spec.template.spec.timeoutSeconds: is ${given}; expected the task's timeout in seconds (a whole number, or its decimal string)`,
                );
        }
        const bare = readOne({ apiVersion: "run.googleapis.com/v1", kind: "Job", metadata: { name: "j" }, spec: { template: {} } });
        expect(bare.resources[0].inputs).to.deep.equal({ name: "j", template: {} });
    });

    it("resolves a job's secret aliases in its variables and volumes, trimming entries and skipping empty ones", () => {
        const [job] = readOne({
            apiVersion: "run.googleapis.com/v1",
            kind: "Job",
            metadata: { name: "j" },
            spec: {
                template: {
                    metadata: {
                        annotations: { "run.googleapis.com/secrets": " db:projects/9/secrets/db-password , ,ca:projects/9/secrets/ca," },
                    },
                    spec: {
                        template: {
                            spec: {
                                containers: [
                                    {
                                        env: [
                                            { name: "DB", valueFrom: { secretKeyRef: { name: "db", key: "1" } } },
                                            { name: "OTHER", valueFrom: { secretKeyRef: { name: "not-an-alias", key: "1" } } },
                                            { name: "PLAIN", value: "x" },
                                        ],
                                    },
                                    { name: "sidecar" },
                                ],
                                volumes: [
                                    { name: "ca", secret: { secretName: "ca", items: [{ key: "2", path: "ca.pem" }] } },
                                    { name: "tmp", emptyDir: {} },
                                ],
                            },
                        },
                    },
                },
            },
        }).resources;
        expect((job.inputs.template as { template: unknown }).template).to.deep.equal({
            containers: [
                {
                    envs: [
                        { name: "DB", valueSource: { secretKeyRef: { secret: "projects/9/secrets/db-password", version: "1" } } },
                        { name: "OTHER", valueSource: { secretKeyRef: { secret: "not-an-alias", version: "1" } } },
                        { name: "PLAIN", value: "x" },
                    ],
                },
                { name: "sidecar" },
            ],
            volumes: [
                { name: "ca", secret: { secret: "projects/9/secrets/ca", items: [{ path: "ca.pem", version: "2" }] } },
                { name: "tmp", emptyDir: {} },
            ],
        });
    });

    for (const entry of ["db-password", ":projects/9/secrets/db-password"]) {
        it(`refuses a secret alias entry ${JSON.stringify(entry)}, which names no alias`, () => {
            const document = knativeService([]);
            (document.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations[
                "run.googleapis.com/secrets"
            ] = `ok:projects/9/secrets/a,${entry}`;
            expect(() => readOne(document)).to.throw(
                'service.json: $.spec.template.metadata.annotations["run.googleapis.com/secrets"]: holds an entry that is not <alias>:projects/<project>/secrets/<id>',
            );
        });
    }

    it("maps a Knative container for the v2 job type: limits kept, requests dropped, other lists renamed, no resources added", () => {
        const [job] = readOne({
            apiVersion: "run.googleapis.com/v1",
            kind: "Job",
            metadata: { name: "j" },
            spec: {
                template: {
                    spec: {
                        template: {
                            spec: {
                                containers: [
                                    {
                                        resources: { limits: { cpu: "1" }, requests: { cpu: "500m" } },
                                        envFrom: [{ configMapRef: { name: "c" } }],
                                        dependsOn: ["db"],
                                        ports: [{ containerPort: 8080 }],
                                        env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "c", key: "a" } } }],
                                    },
                                    { resources: { requests: { cpu: "1" } } },
                                    { image: "gcr.io/p/migrate" },
                                ],
                            },
                        },
                    },
                },
            },
        }).resources;
        expect((job.inputs.template as { template: unknown }).template).to.deep.equal({
            containers: [
                {
                    resources: { limits: { cpu: "1" } },
                    envFroms: [{ configMapRef: { name: "c" } }],
                    dependsOns: ["db"],
                    ports: [{ containerPort: 8080 }],
                    envs: [{ name: "A", valueSource: { configMapKeyRef: { name: "c", key: "a" } } }],
                },
                { resources: {} },
                { image: "gcr.io/p/migrate" },
            ],
        });
    });

    it("keeps a Knative service's container resources, ports and secret volume as they are", () => {
        const [service] = readOne(
            knativeService([{ name: "K", valueFrom: { secretKeyRef: { name: "k" } } }], {
                containers: [
                    {
                        resources: { limits: { cpu: "1" }, requests: { cpu: "500m" } },
                        ports: [{ containerPort: 8080 }, { containerPort: 9090 }],
                        env: [{ name: "K", valueFrom: { secretKeyRef: { name: "k" } } }],
                    },
                ],
                volumes: [{ name: "v", secret: { secretName: "s", items: [] } }],
            }),
        ).resources;
        const spec = (service.inputs.template as { spec: Record<string, unknown> }).spec;
        expect([spec.containers, spec.volumes]).to.deep.equal([
            [
                {
                    resources: { limits: { cpu: "1" }, requests: { cpu: "500m" } },
                    ports: [{ containerPort: 8080 }, { containerPort: 9090 }],
                    envs: [{ name: "K", valueFrom: { secretKeyRef: { name: "k" } } }],
                },
            ],
            [{ name: "v", secret: { secretName: "s", items: [] } }],
        ]);
    });

    it("leaves out a job volume's items when it lists none, and keeps its other settings", () => {
        const [job] = readOne({
            apiVersion: "run.googleapis.com/v1",
            kind: "Job",
            metadata: { name: "j" },
            spec: {
                template: { spec: { template: { spec: { volumes: [{ name: "v", secret: { secretName: "s", defaultMode: 256 } }] } } } },
            },
        }).resources;
        expect((job.inputs.template as { template: unknown }).template).to.deep.equal({
            volumes: [{ name: "v", secret: { defaultMode: 256, secret: "s" } }],
        });
    });

    it("maps a job or worker pool without a template to its name alone, and a worker pool's template without a spec to an empty one", () => {
        const bare = (kind: string, spec?: unknown) =>
            readOne({ apiVersion: "run.googleapis.com/v1", kind, metadata: { name: "w" }, spec }).resources[0].inputs;
        expect(bare("Job")).to.deep.equal({ name: "w" });
        expect(bare("Job", {})).to.deep.equal({ name: "w" });
        expect(bare("WorkerPool")).to.deep.equal({ name: "w" });
        expect(bare("WorkerPool", {})).to.deep.equal({ name: "w" });
        expect(bare("WorkerPool", { template: {} })).to.deep.equal({ name: "w", template: {} });
        expect(bare("WorkerPool", { template: { metadata: {} } })).to.deep.equal({ name: "w", template: {} });
    });

    it("keeps the fixture's file name as given, for the report", () => {
        expect(readAuditInput(REPO_ROOT, fixture("backend-describe.json")).resources[0].source).to.equal(
            path.posix.join("tests", "fixtures", "audit", "backend-describe.json"),
        );
    });
});
