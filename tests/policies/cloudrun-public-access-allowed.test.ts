import { expect } from "chai";
import { cloudrunPublicAccessAllowed } from "../../policies/cloudrun-public-access-allowed";
import {
    CLOUD_RUN_V1_IAM_BINDING,
    CLOUD_RUN_V1_IAM_MEMBER,
    CLOUD_RUN_V1_IAM_POLICY,
    CLOUD_RUN_V1_SERVICE,
    CLOUD_RUN_V2_JOB,
    CLOUD_RUN_V2_SERVICE,
    CLOUD_RUN_V2_SERVICE_IAM_BINDING,
    CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
    CLOUD_RUN_V2_SERVICE_IAM_POLICY,
    FUNCTION_V2_IAM_BINDING,
    FUNCTION_V2_IAM_MEMBER,
    FUNCTION_V2_IAM_POLICY,
    SERVICE_ACCOUNT,
} from "../../policies/lib/resource-types";
import { compliantWorkload, functionProps, v1ServiceProps, v2JobProps, v2ServiceProps } from "./fixtures";
import { runStackPolicy, UNKNOWN_VALUE, type StackResourceInput } from "./harness";

const CONFIG = { publicServices: ["netra-frontend-staging"] };
const unlisted = (kind: string, name: string, service: string, member = "allUsers (anyone on the internet)"): string =>
    `${kind} "${name}" lets ${member} call "${service}", which the policy config does not list as public; remove the grant, or add ` +
    `"${service}" to publicServices in the config of policy cloudrun-public-access-allowed if it is meant to be public.`;

const checkOff = (kind: string, name: string, service: string, setting: string): string =>
    `${kind} "${name}" turns Cloud Run's invoker IAM check off (${setting}), so anyone who reaches it may call "${service}", which ` +
    `the policy config does not list as public; turn the check back on, or add "${service}" to publicServices in the config of ` +
    "policy cloudrun-public-access-allowed if it is meant to be public.";
const V1_SETTING = 'metadata.annotations["run.googleapis.com/invoker-iam-disabled"]';

/** A v1 service whose metadata annotation `run.googleapis.com/invoker-iam-disabled` is `value`. */
function v1WithInvokerAnnotation(value: unknown, name = "netra-legacy"): Record<string, unknown> {
    const props = v1ServiceProps(compliantWorkload());
    const metadata = props.metadata as { annotations: Record<string, unknown> };
    return { ...props, name, metadata: { annotations: { ...metadata.annotations, "run.googleapis.com/invoker-iam-disabled": value } } };
}

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

    it("reads all nine grant types, each by its own target property", async () => {
        const policyData = JSON.stringify({ bindings: [{ role: "roles/run.invoker", members: ["allUsers"] }] });
        const result = await run([
            { type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER, name: "a", props: { name: "s1", role: "roles/run.invoker", member: "allUsers" } },
            { type: CLOUD_RUN_V2_SERVICE_IAM_BINDING, name: "b", props: { name: "s2", role: "roles/run.invoker", members: ["allUsers"] } },
            { type: CLOUD_RUN_V2_SERVICE_IAM_POLICY, name: "c", props: { name: "s3", policyData } },
            { type: CLOUD_RUN_V1_IAM_MEMBER, name: "d", props: { service: "s4", role: "roles/run.invoker", member: "allUsers" } },
            { type: CLOUD_RUN_V1_IAM_BINDING, name: "e", props: { service: "s5", role: "roles/run.invoker", members: ["allUsers"] } },
            { type: CLOUD_RUN_V1_IAM_POLICY, name: "f", props: { service: "s6", policyData } },
            { type: FUNCTION_V2_IAM_MEMBER, name: "g", props: { cloudFunction: "s7", role: "roles/run.invoker", member: "allUsers" } },
            { type: FUNCTION_V2_IAM_BINDING, name: "h", props: { cloudFunction: "s8", role: "roles/run.invoker", members: ["allUsers"] } },
            { type: FUNCTION_V2_IAM_POLICY, name: "i", props: { cloudFunction: "s9", policyData } },
            // Another type's target property is not read: a v2 grant's `service` names nothing.
            { type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER, name: "j", props: { service: "s10", role: "roles/run.invoker", member: "allUsers" } },
        ]);
        expect(result.violations).to.deep.equal([
            unlisted("ServiceIamMember", "a", "s1"),
            unlisted("ServiceIamBinding", "b", "s2"),
            unlisted("ServiceIamPolicy", "c", "s3"),
            unlisted("IamMember", "d", "s4"),
            unlisted("IamBinding", "e", "s5"),
            unlisted("IamPolicy", "f", "s6"),
            unlisted("FunctionIamMember", "g", "s7"),
            unlisted("FunctionIamBinding", "h", "s8"),
            unlisted("FunctionIamPolicy", "i", "s9"),
        ]);
        expect(result.urns).to.deep.equal(
            [
                [CLOUD_RUN_V2_SERVICE_IAM_MEMBER, "a"],
                [CLOUD_RUN_V2_SERVICE_IAM_BINDING, "b"],
                [CLOUD_RUN_V2_SERVICE_IAM_POLICY, "c"],
                [CLOUD_RUN_V1_IAM_MEMBER, "d"],
                [CLOUD_RUN_V1_IAM_BINDING, "e"],
                [CLOUD_RUN_V1_IAM_POLICY, "f"],
                [FUNCTION_V2_IAM_MEMBER, "g"],
                [FUNCTION_V2_IAM_BINDING, "h"],
                [FUNCTION_V2_IAM_POLICY, "i"],
            ].map(([type, name]) => `urn:pulumi:staging::netra-staging::${type}::${name}`),
        );
    });

    it("allows each invoker role on a listed service, and matches listed names in any case", async () => {
        const grants: StackResourceInput[] = ["roles/run.invoker", "roles/run.servicesInvoker", "roles/cloudfunctions.invoker"].map(
            (role, index) => ({
                type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
                name: `g${index}`,
                props: { name: "Netra-Frontend-Staging ", role, member: "allUsers" },
            }),
        );
        expect(await run(grants, { publicServices: ["NETRA-FRONTEND-STAGING"] })).to.deep.equal({ violations: [], urns: [] });
    });

    it("counts the public members with spaces around them, and every public member of a binding", async () => {
        const result = await run([
            {
                type: CLOUD_RUN_V2_SERVICE_IAM_BINDING,
                name: "b",
                props: {
                    name: "netra-admin",
                    role: "roles/run.invoker",
                    members: [" allUsers ", "user:ops@netrasystems.ai", "allAuthenticatedUsers", 7],
                },
            },
        ]);
        expect(result.violations).to.deep.equal([
            unlisted("ServiceIamBinding", "b", "netra-admin"),
            unlisted("ServiceIamBinding", "b", "netra-admin", "allAuthenticatedUsers (any signed-in Google account)"),
        ]);
    });

    it("reads every binding of a policy document, and ignores a document without bindings or that is not JSON", async () => {
        const policyData = JSON.stringify({
            bindings: [
                { role: "roles/run.viewer", members: ["allUsers"] },
                { role: "roles/run.invoker", members: ["allUsers"] },
            ],
        });
        expect(
            (await run([{ type: CLOUD_RUN_V2_SERVICE_IAM_POLICY, name: "p", props: { name: "netra-admin", policyData } }])).violations,
        ).to.deep.equal([
            'ServiceIamPolicy "p" grants roles/run.viewer to allUsers (anyone on the internet); the public may at most invoke a service ' +
                "(roles/run.invoker, roles/run.servicesInvoker, roles/cloudfunctions.invoker), never manage or read it.",
            unlisted("ServiceIamPolicy", "p", "netra-admin"),
        ]);
        for (const document of ["{}", "not json", JSON.stringify({ etag: "x" })]) {
            expect(
                await run([{ type: CLOUD_RUN_V2_SERVICE_IAM_POLICY, name: "p", props: { name: "netra-admin", policyData: document } }]),
            ).to.deep.equal({
                violations: [],
                urns: [],
            });
        }
    });

    it("reads nothing from a grant whose role or members are not known yet", async () => {
        expect(
            await run([
                {
                    type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
                    name: "a",
                    props: { name: "netra-admin", role: UNKNOWN_VALUE, member: "allUsers" },
                },
                {
                    type: CLOUD_RUN_V2_SERVICE_IAM_BINDING,
                    name: "b",
                    props: { name: "netra-admin", role: "roles/run.invoker", members: UNKNOWN_VALUE },
                },
                {
                    type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
                    name: "c",
                    props: { name: "netra-admin", role: "roles/run.invoker", member: UNKNOWN_VALUE },
                },
            ]),
        ).to.deep.equal({ violations: [], urns: [] });
    });

    it("still refuses a role other than invoker on a service it cannot name", async () => {
        const result = await run([
            {
                type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
                name: "x",
                props: { name: UNKNOWN_VALUE, role: "roles/run.developer", member: "allUsers" },
            },
        ]);
        expect(result.violations).to.deep.equal([
            'ServiceIamMember "x" grants roles/run.developer to allUsers (anyone on the internet); the public may at most invoke a service ' +
                "(roles/run.invoker, roles/run.servicesInvoker, roles/cloudfunctions.invoker), never manage or read it.",
        ]);
    });

    describe("a service name not known yet (preview)", () => {
        const service = (name: string, serviceName: unknown): StackResourceInput => ({
            type: CLOUD_RUN_V2_SERVICE,
            name,
            props: { ...v2ServiceProps(compliantWorkload()), name: serviceName },
        });
        const grant = (dependencies: string[]): StackResourceInput => ({
            type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
            name: "public",
            props: { name: UNKNOWN_VALUE, role: "roles/run.invoker", member: "allUsers" },
            propertyDependencies: { name: dependencies },
        });
        const account: StackResourceInput = {
            type: SERVICE_ACCOUNT,
            name: "runner",
            props: { accountId: "netra-runner", project: "netra-staging", name: "netra-runner" },
        };

        it("is the one workload the grant's name depends on, other resources aside", async () => {
            expect((await run([service("admin", "Netra-Admin"), account, grant(["runner", "admin"])])).violations).to.deep.equal([
                unlisted("ServiceIamMember", "public", "netra-admin"),
            ]);
        });

        it("is left to the update run when it depends on no workload, on two, or on one whose name is not known either", async () => {
            for (const [resources, what] of [
                [[account, grant(["runner"])], "an account only"],
                [[grant([])], "nothing"],
                [[service("a", "netra-a"), service("b", "netra-b"), grant(["a", "b"])], "two workloads"],
                [[service("a", UNKNOWN_VALUE), grant(["a"])], "a workload of unknown name"],
            ] as [StackResourceInput[], string][]) {
                expect(await run(resources), what).to.deep.equal({ violations: [], urns: [] });
            }
        });
    });

    it("reads a missing or malformed publicServices as listing none", async () => {
        const grant: StackResourceInput = {
            type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
            name: "a",
            props: { name: "netra-frontend-staging", role: "roles/run.invoker", member: "allUsers" },
        };
        for (const config of [{}, { publicServices: "netra-frontend-staging" }, { publicServices: [1] }]) {
            expect((await run([grant], config)).violations, JSON.stringify(config)).to.deep.equal([
                unlisted("ServiceIamMember", "a", "netra-frontend-staging"),
            ]);
        }
        expect((await run([grant], { publicServices: [1, "netra-frontend-staging"] })).violations).to.deep.equal([]);
    });

    it("ignores resources that are not invoker grants, even with the same properties", async () => {
        expect(
            await run([
                {
                    type: "gcp:projects/iAMMember:IAMMember",
                    name: "p",
                    props: { name: "netra-admin", role: "roles/run.invoker", member: "allUsers" },
                },
                { type: "constructor", name: "q", props: { name: "netra-admin", role: "roles/run.invoker", member: "allUsers" } },
            ]),
        ).to.deep.equal({ violations: [], urns: [] });
    });

    describe("a service that turns the invoker IAM check off (public without any grant)", () => {
        it("refuses it on a v2 service (invokerIamDisabled) and a v1 service (the annotation) the config does not list", async () => {
            const result = await run([
                {
                    type: CLOUD_RUN_V2_SERVICE,
                    name: "internal-api",
                    props: { ...v2ServiceProps(compliantWorkload()), invokerIamDisabled: true },
                },
                { type: CLOUD_RUN_V1_SERVICE, name: "legacy", props: v1WithInvokerAnnotation("true") },
            ]);
            expect(result.violations).to.deep.equal([
                checkOff("Service", "internal-api", "netra-auth-service", "invokerIamDisabled"),
                checkOff("Service", "legacy", "netra-legacy", V1_SETTING),
            ]);
            expect(result.urns).to.deep.equal([
                "urn:pulumi:staging::netra-staging::gcp:cloudrunv2/service:Service::internal-api",
                "urn:pulumi:staging::netra-staging::gcp:cloudrun/service:Service::legacy",
            ]);
        });

        it("allows it on a listed service, by short or full name", async () => {
            const v2 = { ...v2ServiceProps(compliantWorkload()), name: "netra-frontend-staging", invokerIamDisabled: true };
            const v1 = v1WithInvokerAnnotation("true", "projects/netra-staging/locations/us-central1/services/netra-frontend-staging");
            expect(
                await run([
                    { type: CLOUD_RUN_V2_SERVICE, name: "frontend", props: v2 },
                    { type: CLOUD_RUN_V1_SERVICE, name: "legacy-frontend", props: v1 },
                ]),
            ).to.deep.equal({ violations: [], urns: [] });
        });

        it("reads the annotation as Cloud Run does: true in any case and with spaces around it, anything else leaves the check on", async () => {
            for (const value of ["TRUE", " true "]) {
                expect(
                    (await run([{ type: CLOUD_RUN_V1_SERVICE, name: "legacy", props: v1WithInvokerAnnotation(value) }])).violations,
                ).to.deep.equal([checkOff("Service", "legacy", "netra-legacy", V1_SETTING)]);
            }
            for (const value of ["false", "", "yes", 1]) {
                expect(
                    await run([{ type: CLOUD_RUN_V1_SERVICE, name: "legacy", props: v1WithInvokerAnnotation(value) }]),
                    JSON.stringify(value),
                ).to.deep.equal({ violations: [], urns: [] });
            }
        });

        it("leaves the check on for v2's false, an absent setting, and the same property on a job or function, which have none", async () => {
            expect(
                await run([
                    { type: CLOUD_RUN_V2_SERVICE, name: "a", props: { ...v2ServiceProps(compliantWorkload()), invokerIamDisabled: false } },
                    { type: CLOUD_RUN_V2_SERVICE, name: "b", props: v2ServiceProps(compliantWorkload()) },
                    { type: CLOUD_RUN_V2_JOB, name: "c", props: { ...v2JobProps(compliantWorkload()), invokerIamDisabled: true } },
                    {
                        type: "gcp:cloudfunctionsv2/function:Function",
                        name: "d",
                        props: { ...functionProps(compliantWorkload()), invokerIamDisabled: true },
                    },
                ]),
            ).to.deep.equal({ violations: [], urns: [] });
        });

        it("names the service by its resource name when it sets no name, and leaves a setting or name not known yet to the update run", async () => {
            const { name: _name, ...unnamed } = v2ServiceProps(compliantWorkload());
            expect(
                (await run([{ type: CLOUD_RUN_V2_SERVICE, name: "internal-api", props: { ...unnamed, invokerIamDisabled: true } }]))
                    .violations,
            ).to.deep.equal([checkOff("Service", "internal-api", "internal-api", "invokerIamDisabled")]);
            expect(
                await run([
                    {
                        type: CLOUD_RUN_V2_SERVICE,
                        name: "a",
                        props: { ...v2ServiceProps(compliantWorkload()), invokerIamDisabled: UNKNOWN_VALUE },
                    },
                    {
                        type: CLOUD_RUN_V2_SERVICE,
                        name: "b",
                        props: { ...v2ServiceProps(compliantWorkload()), name: UNKNOWN_VALUE, invokerIamDisabled: true },
                    },
                    { type: CLOUD_RUN_V1_SERVICE, name: "c", props: v1WithInvokerAnnotation(UNKNOWN_VALUE) },
                ]),
            ).to.deep.equal({ violations: [], urns: [] });
        });
    });

    it("is named cloudrun-public-access-allowed and describes itself in a full sentence", () => {
        expect(cloudrunPublicAccessAllowed.name).to.equal("cloudrun-public-access-allowed");
        expect(cloudrunPublicAccessAllowed.description).to.equal(
            "An allUsers or allAuthenticatedUsers invoker on a Cloud Run service or function, or a service's invoker IAM check turned off, " +
                "exists only for the services the stack's policy config lists under publicServices, and the public is never granted any other role.",
        );
    });

    it("reads a dependency only for a target not known yet: an absent or malformed one names no service", async () => {
        const service: StackResourceInput = { type: CLOUD_RUN_V2_SERVICE, name: "admin", props: v2ServiceProps(compliantWorkload()) };
        for (const name of [undefined, 42]) {
            const grant: StackResourceInput = {
                type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
                name: "admin-public",
                props: { ...(name === undefined ? {} : { name }), role: "roles/run.invoker", member: "allUsers" },
                propertyDependencies: { name: ["admin"] },
            };
            expect(await run([service, grant]), String(name)).to.deep.equal({ violations: [], urns: [] });
        }
    });
});
