import { expect } from "chai";
import { readAuditInput } from "../../audit/read-input";
import { fixture, REPO_ROOT, scratchFiles } from "./support";

describe("audit: IAM policies from gcloud get-iam-policy", () => {
    it("turns a project's policy into one IAMBinding per role, named after project and role", () => {
        const input = readAuditInput(REPO_ROOT, fixture("netra-staging.project-iam.json"));
        expect(input.kind).to.equal("IAM policy of project netra-staging");
        expect(input.resources.map(({ type, name, inputs }) => ({ type, name, inputs }))).to.deep.equal([
            {
                type: "gcp:projects/iAMBinding:IAMBinding",
                name: "netra-staging/roles/owner",
                inputs: { project: "netra-staging", role: "roles/owner", members: ["group:platform-admins@example.com"] },
            },
            {
                type: "gcp:projects/iAMBinding:IAMBinding",
                name: "netra-staging/roles/secretmanager.secretAccessor",
                inputs: {
                    project: "netra-staging",
                    role: "roles/secretmanager.secretAccessor",
                    members: ["serviceAccount:123456789012-compute@developer.gserviceaccount.com"],
                },
            },
            {
                type: "gcp:projects/iAMBinding:IAMBinding",
                name: "netra-staging/roles/cloudsql.client",
                inputs: {
                    project: "netra-staging",
                    role: "roles/cloudsql.client",
                    members: ["serviceAccount:netra-backend-staging-run@netra-staging.iam.gserviceaccount.com"],
                },
            },
        ]);
    });

    it("turns a secret's policy into SecretIamBindings on the secret its file name names", () => {
        const input = readAuditInput(REPO_ROOT, fixture("postgres-password-staging.secret-iam.json"));
        expect(input.kind).to.equal("IAM policy of secret postgres-password-staging");
        expect(input.resources.map(({ type, name, inputs }) => ({ type, name, inputs }))).to.deep.equal([
            {
                type: "gcp:secretmanager/secretIamBinding:SecretIamBinding",
                name: "postgres-password-staging/roles/secretmanager.secretAccessor",
                inputs: {
                    secretId: "postgres-password-staging",
                    role: "roles/secretmanager.secretAccessor",
                    members: ["serviceAccount:netra-db-migrate-run@netra-staging.iam.gserviceaccount.com"],
                },
            },
        ]);
    });

    it("reads a policy without bindings (gcloud prints only the etag) as no grants, and keeps a binding's condition", () => {
        const dir = scratchFiles({
            "api-key.secret-iam.json": { etag: "ACAB" },
            "netra-test.project-iam.json": {
                bindings: [
                    {
                        role: "roles/secretmanager.admin",
                        members: ["user:ops@example.com"],
                        condition: { title: "until friday", expression: "true" },
                    },
                ],
                etag: "BwY=",
                version: 3,
            },
        });
        expect(readAuditInput(dir, "api-key.secret-iam.json").resources).to.deep.equal([]);
        expect(readAuditInput(dir, "netra-test.project-iam.json").resources.map(({ name, inputs }) => ({ name, inputs }))).to.deep.equal([
            {
                name: "netra-test/roles/secretmanager.admin (condition 1)",
                inputs: {
                    project: "netra-test",
                    role: "roles/secretmanager.admin",
                    members: ["user:ops@example.com"],
                    condition: { title: "until friday", expression: "true" },
                },
            },
        ]);
    });
});
