import { expect } from "chai";
import { iamPolicyTarget } from "../../audit/iam-policy";
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
    it("recognises a policy by its etag or bindings, with only a policy's keys, and reads a version 3 policy with audit configs", () => {
        const dir = scratchFiles({
            "a.secret-iam.json": { bindings: [{ role: "roles/secretmanager.secretAccessor", members: ["user:a@example.com"] }] },
            "b.secret-iam.json": { etag: "E", version: 3, auditConfigs: [] },
            "c.secret-iam.json": { version: 3 },
            "d.secret-iam.json": { etag: "E", bindings: [], owner: "x" },
        });
        expect(readAuditInput(dir, "a.secret-iam.json").resources.map((resource) => resource.name)).to.deep.equal([
            "a/roles/secretmanager.secretAccessor",
        ]);
        expect([readAuditInput(dir, "b.secret-iam.json").kind, readAuditInput(dir, "b.secret-iam.json").holdsGrants]).to.deep.equal([
            "IAM policy of secret b",
            true,
        ]);
        expect(() => readAuditInput(dir, "c.secret-iam.json")).to.throw(
            "c.secret-iam.json: $: is an object with version, not a known document",
        );
        expect(() => readAuditInput(dir, "d.secret-iam.json")).to.throw(
            "d.secret-iam.json: $: is an object with etag, bindings, owner, not a known document",
        );
    });

    it("reads what the policy is on from the file's own name, in any folder, and nothing from a name that only contains the pattern", () => {
        expect(iamPolicyTarget("exports/live/jwt-secret-staging.secret-iam.json")).to.deep.equal({
            level: "secret",
            secretId: "jwt-secret-staging",
        });
        expect(iamPolicyTarget("netra-staging.project-iam.json")).to.deep.equal({ level: "project", project: "netra-staging" });
        for (const name of [
            "jwt.secret-iam.json.bak",
            ".secret-iam.json",
            "jwt.folder-iam.json",
            "jwt.secret-iam.jsonc",
            "x/jwt.secret-iam.json/y",
        ]) {
            expect(iamPolicyTarget(name), name).to.equal(undefined);
        }
    });

    it("names each conditional binding by its place, so one role with and without a condition gives two resources", () => {
        const dir = scratchFiles({
            "k.secret-iam.json": {
                bindings: [
                    { role: "roles/secretmanager.secretAccessor", members: ["user:a@example.com"] },
                    { role: "roles/secretmanager.secretAccessor", members: ["user:b@example.com"], condition: { expression: "true" } },
                ],
            },
        });
        expect(readAuditInput(dir, "k.secret-iam.json").resources.map(({ name, inputs }) => ({ name, inputs }))).to.deep.equal([
            {
                name: "k/roles/secretmanager.secretAccessor",
                inputs: { secretId: "k", role: "roles/secretmanager.secretAccessor", members: ["user:a@example.com"] },
            },
            {
                name: "k/roles/secretmanager.secretAccessor (condition 2)",
                inputs: {
                    secretId: "k",
                    role: "roles/secretmanager.secretAccessor",
                    members: ["user:b@example.com"],
                    condition: { expression: "true" },
                },
            },
        ]);
    });

    for (const [binding, message] of [
        ["owner", "k.secret-iam.json: $.bindings[0]: is a string; expected a binding"],
        [{ members: [] }, "k.secret-iam.json: $.bindings[0].role: is missing; expected a role (a non-empty string)"],
        [
            { role: "r", members: [""] },
            "k.secret-iam.json: $.bindings[0].members[0]: is an empty string; expected a member such as serviceAccount:<email> (a non-empty string)",
        ],
        [{ role: "r", members: [], condition: "true" }, "k.secret-iam.json: $.bindings[0].condition: is a string; expected a condition"],
    ] as const) {
        it(`refuses a binding: ${message.slice(19)}`, () => {
            const dir = scratchFiles({ "k.secret-iam.json": { bindings: [binding] } });
            expect(() => readAuditInput(dir, "k.secret-iam.json")).to.throw(message);
        });
    }
});
