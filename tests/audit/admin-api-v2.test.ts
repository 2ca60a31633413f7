import { expect } from "chai";
import { AuditInputError } from "../../audit/input-error";
import { readAuditInput } from "../../audit/read-input";
import { cloudrunPublicAccessAllowed } from "../../policies/cloudrun-public-access-allowed";
import { runStackPolicy } from "../policies/harness";
import { DOCUMENTS, fixture, REPO_ROOT, scratchFiles } from "./support";

function readOne(document: unknown) {
    const dir = scratchFiles({ "v2.json": document });
    return readAuditInput(dir, "v2.json");
}

describe("audit: Cloud Run Admin API v2 JSON", () => {
    it("maps a listed service into gcp:cloudrunv2/service:Service props: name split, env to envs, one port, output-only fields dropped", () => {
        const input = readAuditInput(REPO_ROOT, fixture("services-v2.json"));
        expect(input.kind).to.equal("Admin API v2 services list");
        const [service] = input.resources;
        expect([service.type, service.name, service.workload]).to.deep.equal([
            "gcp:cloudrunv2/service:Service",
            "netra-frontend-staging",
            { kind: "service", name: "netra-frontend-staging", location: "us-central1" },
        ]);
        expect(Object.keys(service.inputs).sort()).to.deep.equal(
            ["client", "clientVersion", "ingress", "labels", "launchStage", "location", "name", "project", "template", "traffics"].sort(),
        );
        const template = service.inputs.template as { serviceAccount: string; containers: Record<string, unknown>[] };
        expect(template.serviceAccount).to.equal("netra-frontend-staging-run@netra-staging.iam.gserviceaccount.com");
        expect(template.containers[0].ports).to.deep.equal({ name: "http1", containerPort: 3000 });
        expect((template.containers[0].envs as { name: string }[]).map((env) => env.name)).to.deep.equal([
            "ENVIRONMENT",
            "GCP_PROJECT_ID",
            "BACKEND_URL",
            "AUTH_SERVICE_URL",
            "FRONTEND_URL",
            "NEXT_PUBLIC_ENVIRONMENT",
            "NEXT_PUBLIC_API_URL",
            "NODE_ENV",
        ]);
    });

    it("keeps a v2 secret reference and secret volume as they are: the v2 types read valueSource.secretKeyRef.secret", () => {
        const input = readOne({
            name: "projects/netra-test/locations/europe-west1/services/netra-api",
            uid: "00000000-0000-4000-8000-000000000000",
            template: {
                serviceAccount: "netra-api-run@netra-test.iam.gserviceaccount.com",
                containers: [
                    {
                        image: "gcr.io/netra-test/api:1",
                        env: [{ name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: "db-password", version: "3" } } }],
                    },
                ],
                volumes: [{ name: "certs", secret: { secret: "api-certs", items: [{ version: "2", path: "tls.pem" }] } }],
            },
        });
        expect(input.kind).to.equal("Admin API v2 service");
        expect(input.resources[0].inputs).to.deep.equal({
            project: "netra-test",
            location: "europe-west1",
            name: "netra-api",
            template: {
                serviceAccount: "netra-api-run@netra-test.iam.gserviceaccount.com",
                containers: [
                    {
                        image: "gcr.io/netra-test/api:1",
                        envs: [{ name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: "db-password", version: "3" } } }],
                    },
                ],
                volumes: [{ name: "certs", secret: { secret: "api-certs", items: [{ version: "2", path: "tls.pem" }] } }],
            },
        });
    });

    it("maps a v2 job (projects.locations.jobs.get) into gcp:cloudrunv2/job:Job with its task template under template.template", () => {
        const input = readOne({
            name: "projects/netra-test/locations/europe-west1/jobs/netra-migrate",
            executionCount: 3,
            template: {
                taskCount: 1,
                template: {
                    serviceAccount: "m@netra-test.iam.gserviceaccount.com",
                    containers: [{ image: "gcr.io/netra-test/m:1", env: [] }],
                },
            },
        });
        expect([input.kind, input.resources[0].type]).to.deep.equal(["Admin API v2 job", "gcp:cloudrunv2/job:Job"]);
        expect(input.resources[0].inputs).to.deep.equal({
            project: "netra-test",
            location: "europe-west1",
            name: "netra-migrate",
            template: {
                taskCount: 1,
                template: {
                    serviceAccount: "m@netra-test.iam.gserviceaccount.com",
                    containers: [{ image: "gcr.io/netra-test/m:1", envs: [] }],
                },
            },
        });
    });
    it("keeps invokerIamDisabled, so a service the config does not list as public fails without any grant", async () => {
        const input = readOne({
            name: "projects/netra-test/locations/europe-west1/services/netra-api",
            invokerIamDisabled: true,
            template: {
                serviceAccount: "netra-api-run@netra-test.iam.gserviceaccount.com",
                containers: [{ image: "gcr.io/netra-test/api:1" }],
            },
        });
        const [service] = input.resources;
        expect(service.inputs.invokerIamDisabled).to.equal(true);
        const judge = (publicServices: string[]) =>
            runStackPolicy(cloudrunPublicAccessAllowed, [{ type: service.type, name: service.name, props: service.inputs }], {
                publicServices,
            });
        expect((await judge([])).violations).to.deep.equal([
            'Service "netra-api" turns Cloud Run\'s invoker IAM check off (invokerIamDisabled), so anyone who reaches it may call ' +
                '"netra-api", which the policy config does not list as public; turn the check back on, or add "netra-api" to ' +
                "publicServices in the config of policy cloudrun-public-access-allowed if it is meant to be public.",
        ]);
        expect((await judge(["netra-api"])).violations).to.deep.equal([]);
    });

    it("drops every field the API computes, keeping what a deploy sets", () => {
        const computed = {
            uid: "u",
            generation: "2",
            createTime: "t",
            updateTime: "t",
            deleteTime: "t",
            expireTime: "t",
            creator: "a@example.com",
            lastModifier: "a@example.com",
            observedGeneration: "2",
            terminalCondition: {},
            conditions: [],
            latestReadyRevision: "r",
            latestCreatedRevision: "r",
            latestCreatedExecution: {},
            executionCount: 1,
            trafficStatuses: [],
            uri: "https://x.a.run.app",
            urls: [],
            reconciling: false,
            etag: "e",
            satisfiesPzs: false,
        };
        const service = readOne({
            name: "projects/p/locations/l/services/s",
            ...computed,
            ingress: "INGRESS_TRAFFIC_ALL",
            traffic: [{ percent: 100 }],
        });
        expect(service.resources[0].inputs).to.deep.equal({
            ingress: "INGRESS_TRAFFIC_ALL",
            traffics: [{ percent: 100 }],
            project: "p",
            location: "l",
            name: "s",
        });
        const job = readOne({ name: "projects/p/locations/l/jobs/j", ...computed });
        expect(job.resources[0].inputs).to.deep.equal({ project: "p", location: "l", name: "j" });
    });

    it("reads a services list and a jobs list, each as its own kind", () => {
        const services = readOne({ services: [{ name: "projects/p/locations/l/services/s" }] });
        expect([services.kind, services.resources.map((resource) => resource.workload)]).to.deep.equal([
            "Admin API v2 services list",
            [{ kind: "service", name: "s", location: "l" }],
        ]);
        const jobs = readOne({ jobs: [{ name: "projects/p/locations/l/jobs/j" }] });
        expect([jobs.kind, jobs.resources.map((resource) => [resource.type, resource.workload])]).to.deep.equal([
            "Admin API v2 jobs list",
            [["gcp:cloudrunv2/job:Job", { kind: "job", name: "j", location: "l" }]],
        ]);
        expect(readOne({ jobs: [] }).kind).to.equal("Admin API v2 jobs list");
    });

    it("keeps a job's execution template as it is when it names no task template", () => {
        const job = readOne({ name: "projects/p/locations/l/jobs/j", template: { taskCount: 2 } });
        expect(job.resources[0].inputs.template).to.deep.equal({ taskCount: 2 });
    });

    it("keeps a v2 job's container ports as the list the API gives", () => {
        const job = readOne({
            name: "projects/p/locations/l/jobs/j",
            template: { template: { containers: [{ ports: [{ containerPort: 1 }, { containerPort: 2 }] }] } },
        });
        expect((job.resources[0].inputs.template as { template: unknown }).template).to.deep.equal({
            containers: [{ ports: [{ containerPort: 1 }, { containerPort: 2 }] }],
        });
    });

    for (const [name, document, message] of [
        [
            "a revision's name",
            { name: "projects/p/locations/l/services/s/revisions/r" },
            `v2.json: $: is an object with name, not a known document; expected ${DOCUMENTS}`,
        ],
        [
            "a name with a prefix before projects/",
            { name: "//run.googleapis.com/projects/p/locations/l/services/s" },
            `v2.json: $: is an object with name, not a known document; expected ${DOCUMENTS}`,
        ],
        [
            "a service in a jobs list",
            { jobs: [{ name: "projects/p/locations/l/services/s" }] },
            "v2.json: $.jobs[0].name: is not a job name; expected projects/<project>/locations/<region>/jobs/<name>",
        ],
        [
            "a listed service without a name",
            { services: [{ uid: "u" }] },
            "v2.json: $.services[0].name: is missing; expected projects/<project>/locations/<region>/services/<name>",
        ],
        ["a listed service that is no object", { services: [7] }, "v2.json: $.services[0]: is a number; expected a Cloud Run v2 Service"],
        [
            "a secret volume without its secret",
            { name: "projects/p/locations/l/services/s", template: { volumes: [{ name: "v", secret: { items: [] } }] } },
            "v2.json: $.template.volumes[0].secret.secret: is missing; expected the secret's name (a non-empty string)",
        ],
        [
            "volumes that are no list",
            { name: "projects/p/locations/l/services/s", template: { volumes: { v: {} } } },
            "v2.json: $.template.volumes: is an object; expected a list of volumes",
        ],
        [
            "a secret reference without its secret",
            {
                name: "projects/p/locations/l/services/s",
                template: { containers: [{ env: [{ name: "A", valueSource: { secretKeyRef: { version: "1" } } }] }] },
            },
            "v2.json: $.template.containers[0].env[0].valueSource.secretKeyRef.secret: is missing; expected the secret's name (a non-empty string)",
        ],
        [
            "a secret version that is a number",
            {
                name: "projects/p/locations/l/services/s",
                template: { containers: [{ env: [{ name: "A", valueSource: { secretKeyRef: { secret: "s", version: 3 } } }] }] },
            },
            "v2.json: $.template.containers[0].env[0].valueSource.secretKeyRef.version: is a number; expected the secret's version (a non-empty string)",
        ],
        [
            "a job template that is no object",
            { name: "projects/p/locations/l/jobs/j", template: "t" },
            "v2.json: $.template: is a string; expected the execution template",
        ],
        [
            "a task template that is no object",
            { name: "projects/p/locations/l/jobs/j", template: { template: [] } },
            "v2.json: $.template.template: is an empty list; expected a pod template",
        ],
    ] as const) {
        it(`refuses ${name}`, () => {
            expect(() => readOne(document))
                .to.throw(AuditInputError)
                .with.property("message", message);
        });
    }
});
