import { expect } from "chai";
import { secretAccessScopedToServiceAccount } from "../../policies/secret-access-scoped-to-service-account";
import { describeWideMember, projectGrantReadsSecrets } from "../../rules/secret-access";
import {
    FOLDER_IAM_BINDING,
    FOLDER_IAM_MEMBER,
    FOLDER_IAM_POLICY,
    ORGANIZATION_IAM_BINDING,
    ORGANIZATION_IAM_MEMBER,
    ORGANIZATION_IAM_POLICY,
    SECRET_IAM_BINDING,
    PROJECT_IAM_BINDING,
    PROJECT_IAM_MEMBER,
    PROJECT_IAM_POLICY,
    REGIONAL_SECRET_IAM_BINDING,
    REGIONAL_SECRET_IAM_MEMBER,
    REGIONAL_SECRET_IAM_POLICY,
    SECRET_IAM_MEMBER,
    SECRET_IAM_POLICY,
    SERVICE_ACCOUNT,
} from "../../policies/lib/resource-types";
import { compliantContainer, FUNCTION_SHAPE, SHAPES } from "./fixtures";
import { runStackPolicy, UNKNOWN_VALUE, type StackResourceInput } from "./harness";
import { ACCESSOR, PROJECT, stagingStack } from "./stack-fixtures";

const run = (extra: StackResourceInput[]) => runStackPolicy(secretAccessScopedToServiceAccount, [...stagingStack(), ...extra]);
const scoped = (kind: string, name: string, role: string, scope: string): string =>
    `${kind} "${name}" grants ${role} on the whole ${scope}, so its members can read every secret ${scope === "project" ? "in it" : "in every project under it"}; ` +
    `grant ${ACCESSOR} on each secret, to the one service account that reads it, instead.`;

describe("policy secret-access-scoped-to-service-account: access wider than one account", () => {
    it("refuses a secret granted to a whole domain or to any signed-in account, in any role", async () => {
        const policyData = JSON.stringify({ bindings: [{ role: "roles/secretmanager.viewer", members: ["allAuthenticatedUsers"] }] });
        const result = await run([
            {
                type: SECRET_IAM_MEMBER,
                name: "domain-readers",
                props: { project: PROJECT, secretId: "jwt-secret-staging", role: ACCESSOR, member: "domain:netrasystems.ai" },
            },
            { type: SECRET_IAM_POLICY, name: "jwt-policy", props: { project: PROJECT, secretId: "jwt-secret-staging", policyData } },
        ]);
        expect(result.violations).to.deep.equal([
            `SecretIamMember "domain-readers" grants ${ACCESSOR} on a secret to domain:netrasystems.ai (every account of the domain); ` +
                "grant secret access only to the service accounts (or named people) that need it.",
            'SecretIamPolicy "jwt-policy" grants roles/secretmanager.viewer on a secret to allAuthenticatedUsers (any signed-in Google account); ' +
                "grant secret access only to the service accounts (or named people) that need it.",
        ]);
    });

    it("refuses a regional secret granted to the public or a domain, in the member, binding and policy forms", async () => {
        const on = { project: PROJECT, location: "us-central1", secretId: "jwt-secret-staging" };
        const policyData = JSON.stringify({ bindings: [{ role: ACCESSOR, members: ["domain:netrasystems.ai"] }] });
        const result = await run([
            { type: REGIONAL_SECRET_IAM_MEMBER, name: "public", props: { ...on, role: ACCESSOR, member: "allUsers" } },
            { type: REGIONAL_SECRET_IAM_BINDING, name: "signed-in", props: { ...on, role: ACCESSOR, members: ["allAuthenticatedUsers"] } },
            { type: REGIONAL_SECRET_IAM_POLICY, name: "domain", props: { ...on, policyData } },
        ]);
        const tail = "grant secret access only to the service accounts (or named people) that need it.";
        expect(result.violations).to.deep.equal([
            `RegionalSecretIamMember "public" grants ${ACCESSOR} on a secret to allUsers (anyone on the internet); ${tail}`,
            `RegionalSecretIamBinding "signed-in" grants ${ACCESSOR} on a secret to allAuthenticatedUsers (any signed-in Google account); ${tail}`,
            `RegionalSecretIamPolicy "domain" grants ${ACCESSOR} on a secret to domain:netrasystems.ai (every account of the domain); ${tail}`,
        ]);
    });

    it("does not count a regional secret's grant for a workload, which reads the global secret of that id", async () => {
        // Cloud Run's secretKeyRef names global secrets only; a regional secret of the same id is another secret.
        const stack = stagingStack().filter((resource) => resource.name !== "frontend-service");
        const grant = stack.find((resource) => resource.type === SECRET_IAM_MEMBER && resource.props.secretId === "openai-api-key-staging");
        if (grant === undefined) {
            throw new Error("the fixture grants openai-api-key-staging");
        }
        const regional = { ...grant, type: REGIONAL_SECRET_IAM_MEMBER, props: { ...grant.props, location: "us-central1" } };
        const result = await runStackPolicy(
            secretAccessScopedToServiceAccount,
            stack.map((resource) => (resource === grant ? regional : resource)),
        );
        expect(result.violations).to.deep.equal([
            'Cloud Run service "backend-service" reads secret "openai-api-key-staging", but no secret-level roles/secretmanager.secretAccessor ' +
                'grant on it names the service\'s own account, service account "backend-sa" (netra-backend@netra-staging.iam.gserviceaccount.com).',
        ]);
    });

    it("refuses owner and editor like secretAccessor: on the project, and in an organization's policy document", async () => {
        const policyData = JSON.stringify({ bindings: [{ role: "roles/owner", members: ["group:admins@netrasystems.ai"] }] });
        const result = await run([
            {
                type: PROJECT_IAM_MEMBER,
                name: "ci-editor",
                props: { project: PROJECT, role: "roles/editor", member: "serviceAccount:ci@netra-staging.iam.gserviceaccount.com" },
            },
            { type: ORGANIZATION_IAM_POLICY, name: "org-policy", props: { orgId: "123456789012", policyData } },
        ]);
        expect(result.violations).to.deep.equal([
            scoped("IAMMember", "ci-editor", "roles/editor", "project"),
            scoped("IAMPolicy", "org-policy", "roles/owner", "organization"),
        ]);
    });

    it("accepts people and groups that own or edit the project, and refuses the same roles to a service account or a domain", async () => {
        const policyData = JSON.stringify({
            bindings: [
                { role: "roles/owner", members: ["user:ops@netrasystems.ai", "group:platform-admins@netrasystems.ai"] },
                { role: "roles/editor", members: ["serviceAccount:123456789012-compute@developer.gserviceaccount.com"] },
            ],
        });
        const result = await run([
            { type: PROJECT_IAM_POLICY, name: "project-policy", props: { project: PROJECT, policyData } },
            {
                type: PROJECT_IAM_MEMBER,
                name: "owner-ops",
                props: { project: PROJECT, role: "roles/owner", member: "user:ops@netrasystems.ai" },
            },
            {
                type: PROJECT_IAM_BINDING,
                name: "domain-editors",
                props: { project: PROJECT, role: "roles/editor", members: ["user:ops@netrasystems.ai", "domain:netrasystems.ai"] },
            },
        ]);
        expect(result.violations).to.deep.equal([
            scoped("IAMPolicy", "project-policy", "roles/editor", "project"),
            scoped("IAMBinding", "domain-editors", "roles/editor", "project"),
        ]);
    });

    it("accepts roles that do not read secrets on a folder or organization", async () => {
        const policyData = JSON.stringify({ bindings: [{ role: "roles/viewer", members: ["group:everyone@netrasystems.ai"] }] });
        expect(
            await run([{ type: ORGANIZATION_IAM_POLICY, name: "org-viewers", props: { orgId: "123456789012", policyData } }]),
        ).to.deep.equal({
            violations: [],
            urns: [],
        });
    });
});

describe("policy secret-access-scoped-to-service-account: every workload shape", () => {
    const email = `netra-hook@${PROJECT}.iam.gserviceaccount.com`;
    const account: StackResourceInput = { type: SERVICE_ACCOUNT, name: "hook-sa", props: { project: PROJECT, accountId: "netra-hook" } };

    for (const [shape, noun, short] of [
        [FUNCTION_SHAPE, "Cloud Function (gen2)", "function"],
        [SHAPES.find((candidate) => candidate.label === "v2 worker pool")!, "Cloud Run worker pool", "worker pool"],
    ] as const) {
        it(`checks the secrets a ${shape.label} reads against its own account's grants, also when its email is not known yet`, async () => {
            for (const preview of [false, true]) {
                const spec = { containers: [compliantContainer("hook")], serviceAccount: preview ? UNKNOWN_VALUE : email };
                const workload: StackResourceInput = {
                    type: shape.type,
                    name: "hook",
                    props: shape.build(spec),
                    propertyDependencies: { [shape.type === FUNCTION_SHAPE.type ? "serviceConfig" : "template"]: ["hook-sa"] },
                };
                const grant: StackResourceInput = {
                    type: SECRET_IAM_MEMBER,
                    name: "hook-jwt",
                    props: {
                        project: PROJECT,
                        secretId: "jwt-secret-staging",
                        role: ACCESSOR,
                        member: preview ? UNKNOWN_VALUE : `serviceAccount:${email}`,
                    },
                    propertyDependencies: { member: ["hook-sa"] },
                };
                const result = await runStackPolicy(secretAccessScopedToServiceAccount, [account, grant, workload]);
                expect(result.violations, `preview ${preview}`).to.deep.equal([
                    `${noun} "hook" reads secret "postgres-password-staging", but no secret-level ${ACCESSOR} grant on it names the ` +
                        `${short}'s own account, service account "hook-sa" (${email}).`,
                ]);
            }
        });
    }
});

describe("policy secret-access-scoped-to-service-account: grants above a secret, every type and member form", () => {
    const only = (extra: StackResourceInput[]) => runStackPolicy(secretAccessScopedToServiceAccount, extra);
    const SA = "serviceAccount:ci@netra-staging.iam.gserviceaccount.com";

    it("refuses every role that reads secrets on a folder and an organization, by member, binding or policy, to anyone", async () => {
        const result = await only([
            {
                type: FOLDER_IAM_MEMBER,
                name: "f-member",
                props: { folder: "folders/1", role: "roles/owner", member: "user:ops@netrasystems.ai" },
            },
            {
                type: FOLDER_IAM_BINDING,
                name: "f-binding",
                props: { folder: "folders/1", role: "roles/secretmanager.admin", members: ["group:g@netrasystems.ai"] },
            },
            {
                type: FOLDER_IAM_POLICY,
                name: "f-policy",
                props: {
                    folder: "folders/1",
                    policyData: JSON.stringify({ bindings: [{ role: "roles/editor", members: ["user:a@b.c"] }] }),
                },
            },
            { type: ORGANIZATION_IAM_MEMBER, name: "o-member", props: { orgId: "1", role: ACCESSOR, member: "user:ops@netrasystems.ai" } },
            { type: ORGANIZATION_IAM_BINDING, name: "o-binding", props: { orgId: "1", role: "roles/owner", members: [] } },
        ]);
        expect(result.violations).to.deep.equal([
            scoped("IAMMember", "f-member", "roles/owner", "folder"),
            scoped("IAMBinding", "f-binding", "roles/secretmanager.admin", "folder"),
            scoped("IAMPolicy", "f-policy", "roles/editor", "folder"),
            scoped("IAMMember", "o-member", ACCESSOR, "organization"),
            scoped("IAMBinding", "o-binding", "roles/owner", "organization"),
        ]);
    });

    it("refuses a basic role on the project when a member is not known yet, or the whole list is not", async () => {
        const result = await only([
            { type: PROJECT_IAM_MEMBER, name: "unknown-owner", props: { project: PROJECT, role: "roles/owner", member: UNKNOWN_VALUE } },
            {
                type: PROJECT_IAM_BINDING,
                name: "unknown-editors",
                props: { project: PROJECT, role: "roles/editor", members: UNKNOWN_VALUE },
            },
            {
                type: PROJECT_IAM_BINDING,
                name: "one-unknown",
                props: { project: PROJECT, role: "roles/editor", members: ["user:ops@netrasystems.ai", UNKNOWN_VALUE] },
            },
            {
                type: PROJECT_IAM_BINDING,
                name: "people",
                props: { project: PROJECT, role: "roles/editor", members: ["user:ops@netrasystems.ai"] },
            },
            { type: PROJECT_IAM_BINDING, name: "nobody", props: { project: PROJECT, role: "roles/owner", members: [] } },
        ]);
        expect(result.violations).to.deep.equal([
            scoped("IAMMember", "unknown-owner", "roles/owner", "project"),
            scoped("IAMBinding", "unknown-editors", "roles/editor", "project"),
            scoped("IAMBinding", "one-unknown", "roles/editor", "project"),
        ]);
    });

    it("reports a role once per grant however many bindings repeat it, and nothing for a grant without a role", async () => {
        const policyData = JSON.stringify({
            bindings: [
                { role: ACCESSOR, members: [SA] },
                { role: ACCESSOR, members: ["user:a@b.c"] },
                { role: "roles/secretmanager.admin", members: ["user:a@b.c"] },
            ],
        });
        const result = await only([
            { type: PROJECT_IAM_POLICY, name: "p", props: { project: PROJECT, policyData } },
            { type: PROJECT_IAM_MEMBER, name: "no-role", props: { project: PROJECT, member: SA } },
            { type: PROJECT_IAM_MEMBER, name: "odd-role", props: { project: PROJECT, role: 3, member: SA } },
        ]);
        expect(result.violations).to.deep.equal([
            scoped("IAMPolicy", "p", ACCESSOR, "project"),
            scoped("IAMPolicy", "p", "roles/secretmanager.admin", "project"),
        ]);
    });

    it("refuses a secret-level binding to the public, naming the role, or `a role` when the role is not a string", async () => {
        const wide = (kind: string, name: string, role: string, member: string): string =>
            `${kind} "${name}" grants ${role} on a secret to ${member}; grant secret access only to the service accounts (or named people) that need it.`;
        const result = await only([
            {
                type: SECRET_IAM_BINDING,
                name: "b",
                props: { secretId: "s", role: "roles/secretmanager.viewer", members: ["user:a@b.c", " allUsers "] },
            },
            { type: SECRET_IAM_MEMBER, name: "m", props: { secretId: "s", role: 5, member: "allAuthenticatedUsers" } },
            { type: SECRET_IAM_BINDING, name: "unknown-members", props: { secretId: "s", role: ACCESSOR, members: UNKNOWN_VALUE } },
            { type: SECRET_IAM_MEMBER, name: "person", props: { secretId: "s", role: ACCESSOR, member: "user:allUsers@b.c" } },
        ]);
        expect(result.violations).to.deep.equal([
            wide("SecretIamBinding", "b", "roles/secretmanager.viewer", "allUsers (anyone on the internet)"),
            wide("SecretIamMember", "m", "a role", "allAuthenticatedUsers (any signed-in Google account)"),
        ]);
    });

    it("describes public and domain-wide members, trimmed, and no member that names one principal", () => {
        expect(describeWideMember(" allUsers ")).to.equal("allUsers (anyone on the internet)");
        expect(describeWideMember("allAuthenticatedUsers")).to.equal("allAuthenticatedUsers (any signed-in Google account)");
        expect(describeWideMember(" domain:netrasystems.ai")).to.equal("domain:netrasystems.ai (every account of the domain)");
        for (const member of ["user:ops@netrasystems.ai", "allusers", "group:domain:x", "xdomain:netrasystems.ai", ""]) {
            expect(describeWideMember(member), member).to.equal(undefined);
        }
    });

    it("reads a project grant of a basic role only for service accounts and wide members, and every other reading role for anyone", () => {
        expect(projectGrantReadsSecrets("roles/owner", " serviceAccount:ci@p.iam.gserviceaccount.com")).to.equal(true);
        expect(projectGrantReadsSecrets("roles/editor", "domain:netrasystems.ai")).to.equal(true);
        expect(projectGrantReadsSecrets("roles/editor", "allUsers")).to.equal(true);
        expect(projectGrantReadsSecrets("roles/owner", "user:ops@netrasystems.ai")).to.equal(false);
        expect(projectGrantReadsSecrets("roles/owner", "group:serviceAccount:x")).to.equal(false);
        expect(projectGrantReadsSecrets(ACCESSOR, "user:ops@netrasystems.ai")).to.equal(true);
        expect(projectGrantReadsSecrets("roles/secretmanager.admin", "group:g@netrasystems.ai")).to.equal(true);
        expect(projectGrantReadsSecrets("roles/viewer", SA)).to.equal(false);
    });
});
