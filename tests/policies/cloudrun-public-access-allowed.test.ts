import { expect } from "chai";
import { cloudrunPublicAccessAllowed } from "../../policies/cloudrun-public-access-allowed";
import {
    CLOUD_RUN_V1_IAM_BINDING,
    CLOUD_RUN_V2_SERVICE,
    CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
    CLOUD_RUN_V2_SERVICE_IAM_POLICY,
    FUNCTION_V2_IAM_MEMBER,
} from "../../policies/lib/resource-types";
import { compliantWorkload, v2ServiceProps } from "./fixtures";
import { runStackPolicy, UNKNOWN_VALUE, type StackResourceInput } from "./harness";

const CONFIG = { publicServices: ["netra-frontend-staging"] };
const unlisted = (kind: string, name: string, service: string, member = "allUsers (anyone on the internet)"): string =>
    `${kind} "${name}" lets ${member} call "${service}", which the policy config does not list as public; remove the grant, or add ` +
    `"${service}" to publicServices in the config of policy cloudrun-public-access-allowed if it is meant to be public.`;

describe("policy cloudrun-public-access-allowed", () => {
    it("is mandatory and takes publicServices (default none)", () => {
        expect(cloudrunPublicAccessAllowed.enforcementLevel).to.equal("mandatory");
        expect(cloudrunPublicAccessAllowed.configSchema?.properties.publicServices).to.deep.include({ type: "array", default: [] });
    });

    const run = (resources: StackResourceInput[], config: Record<string, unknown> = CONFIG) =>
        runStackPolicy(cloudrunPublicAccessAllowed, resources, config);

    it("allows an allUsers invoker on a listed service, by short or full name", async () => {
        expect(
            await run([
                {
                    type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
                    name: "a",
                    props: { name: "netra-frontend-staging", role: "roles/run.invoker", member: "allUsers" },
                },
                {
                    type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
                    name: "b",
                    props: {
                        name: "projects/netra-staging/locations/us-central1/services/netra-frontend-staging",
                        role: "roles/run.invoker",
                        member: "allAuthenticatedUsers",
                    },
                },
            ]),
        ).to.deep.equal({ violations: [], urns: [] });
    });

    it("refuses public invokers on an unlisted service in the member, binding and policy forms, and on a function", async () => {
        const policyData = JSON.stringify({
            bindings: [{ role: "roles/run.invoker", members: ["user:ops@netrasystems.ai", "allAuthenticatedUsers"] }],
        });
        const result = await run([
            {
                type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
                name: "m",
                props: { name: "netra-admin", role: "roles/run.invoker", member: "allUsers" },
            },
            { type: CLOUD_RUN_V1_IAM_BINDING, name: "b", props: { service: "legacy", role: "roles/run.invoker", members: ["allUsers"] } },
            { type: CLOUD_RUN_V2_SERVICE_IAM_POLICY, name: "p", props: { name: "netra-admin", policyData } },
            {
                type: FUNCTION_V2_IAM_MEMBER,
                name: "f",
                props: { cloudFunction: "netra-webhook", role: "roles/cloudfunctions.invoker", member: "allUsers" },
            },
        ]);
        expect(result.violations).to.deep.equal([
            unlisted("ServiceIamMember", "m", "netra-admin"),
            unlisted("IamBinding", "b", "legacy"),
            unlisted("ServiceIamPolicy", "p", "netra-admin", "allAuthenticatedUsers (any signed-in Google account)"),
            unlisted("FunctionIamMember", "f", "netra-webhook"),
        ]);
    });

    it("refuses any other role to the public, even on a listed service", async () => {
        const result = await run([
            {
                type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
                name: "oops",
                props: { name: "netra-frontend-staging", role: "roles/run.admin", member: "allUsers" },
            },
        ]);
        expect(result.violations).to.deep.equal([
            'ServiceIamMember "oops" grants roles/run.admin to allUsers (anyone on the internet); the public may at most invoke a service ' +
                "(roles/run.invoker, roles/run.servicesInvoker, roles/cloudfunctions.invoker), never manage or read it.",
        ]);
    });

    it("resolves a service name not known yet (preview) through the grant's dependency on the service", async () => {
        const service: StackResourceInput = { type: CLOUD_RUN_V2_SERVICE, name: "admin", props: v2ServiceProps(compliantWorkload()) };
        const grant: StackResourceInput = {
            type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
            name: "admin-public",
            props: { name: UNKNOWN_VALUE, role: "roles/run.invoker", member: "allUsers" },
            propertyDependencies: { name: ["admin"] },
        };
        expect((await run([service, grant])).violations).to.deep.equal([
            unlisted("ServiceIamMember", "admin-public", "netra-auth-service"),
        ]);
        expect((await run([service, grant], { publicServices: ["netra-auth-service"] })).violations).to.deep.equal([]);
    });

    it("ignores grants to named principals", async () => {
        expect(
            await run([
                {
                    type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
                    name: "ci",
                    props: {
                        name: "netra-admin",
                        role: "roles/run.invoker",
                        member: "serviceAccount:ci@netra-staging.iam.gserviceaccount.com",
                    },
                },
            ]),
        ).to.deep.equal({ violations: [], urns: [] });
    });
});
