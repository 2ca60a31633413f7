import { expect } from "chai";
import { readAuditInput } from "../../audit/read-input";
import { fixture, REPO_ROOT, scratchFiles } from "./support";

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
});
