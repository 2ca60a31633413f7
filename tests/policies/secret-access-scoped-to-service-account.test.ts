import { expect } from "chai";
import { UNKNOWN } from "../../policies/lib/props";
import { secretAccessScopedToServiceAccount } from "../../policies/secret-access-scoped-to-service-account";
import {
    CLOUD_RUN_V1_SERVICE,
    CLOUD_RUN_V2_JOB,
    CLOUD_RUN_V2_SERVICE,
    PROJECT_IAM_BINDING,
    PROJECT_IAM_MEMBER,
    PROJECT_IAM_POLICY,
    SECRET_IAM_BINDING,
    SECRET_IAM_MEMBER,
    SECRET_IAM_POLICY,
    SERVICE_ACCOUNT,
} from "../../policies/lib/resource-types";
import { v1ServiceProps, v2JobProps } from "./fixtures";
import { runStackPolicy, UNKNOWN_VALUE, urnOf, type StackResourceInput } from "./harness";
import {
    ACCESSOR,
    E2E_SECRET,
    editResource,
    emailOf,
    grantName,
    PROJECT,
    removeResource,
    serviceName,
    stagingStack,
} from "./stack-fixtures";

const run = (resources: StackResourceInput[]) => runStackPolicy(secretAccessScopedToServiceAccount, resources);
const account = (key: string): string => `service account "${key}-sa" (${emailOf(key)})`;
const missing = (key: string, secretId: string, noun = "Cloud Run service", short = "service", workload = serviceName(key)): string =>
    `${noun} "${workload}" reads secret "${secretId}", but no secret-level ${ACCESSOR} grant on it ` +
    `names the ${short}'s own account, ${account(key)}.`;
const projectWide = (kind: string, name: string, role: string): string =>
    `${kind} "${name}" grants ${role} on the whole project, so its members can read every secret in it; ` +
    `grant ${ACCESSOR} on each secret, to the one service account that reads it, instead.`;

/** Replaces one secret reference of a service's single container. */
function rewireSecret(resource: StackResourceInput, variable: string, secret: unknown): StackResourceInput {
    const template = resource.props.template as { containers: { envs: Record<string, unknown>[] }[] };
    const envs = template.containers[0].envs.map((env) =>
        env.name === variable ? { name: variable, valueSource: { secretKeyRef: { secret, version: "latest" } } } : env,
    );
    return { ...resource, props: { ...resource.props, template: { ...template, containers: [{ ...template.containers[0], envs }] } } };
}

describe("policy secret-access-scoped-to-service-account", () => {
    it("is named secret-access-scoped-to-service-account", () => {
        expect(secretAccessScopedToServiceAccount.name).to.equal("secret-access-scoped-to-service-account");
    });

    it("is a mandatory stack policy", () => {
        expect(secretAccessScopedToServiceAccount.enforcementLevel).to.equal("mandatory");
        expect(secretAccessScopedToServiceAccount.validateStack).to.be.a("function");
    });

    describe("in an update (emails known)", () => {
        it("accepts the staging stack: one grant per secret, to each service's own account", async () => {
            expect(await run(stagingStack())).to.deep.equal({ violations: [], urns: [] });
        });

        it("rejects a secret without a grant, against the service that reads it", async () => {
            const result = await run(removeResource(stagingStack(), grantName("auth", "jwt-secret-staging")));
            expect(result.violations).to.deep.equal([missing("auth", "jwt-secret-staging")]);
            expect(result.urns).to.deep.equal([urnOf(CLOUD_RUN_V2_SERVICE, serviceName("auth"))]);
        });

        it("rejects a grant to another service's account", async () => {
            const resources = editResource(stagingStack(), grantName("backend", "jwt-secret-staging"), (grant) => ({
                ...grant,
                props: { ...grant.props, member: `serviceAccount:${emailOf("auth")}` },
            }));
            expect((await run(resources)).violations).to.deep.equal([missing("backend", "jwt-secret-staging")]);
        });

        it("does not count a secret-level grant of another role", async () => {
            const resources = editResource(stagingStack(), grantName("backend", "openai-api-key-staging"), (grant) => ({
                ...grant,
                props: { ...grant.props, role: "roles/secretmanager.viewer" },
            }));
            expect((await run(resources)).violations).to.deep.equal([missing("backend", "openai-api-key-staging")]);
        });

        it("compares secret ids whether spelled bare or as projects/<p>/secrets/<id>", async () => {
            const resources = editResource(stagingStack(), serviceName("backend"), (service) =>
                rewireSecret(service, "JWT_SECRET_KEY", `projects/${PROJECT}/secrets/jwt-secret-staging`),
            );
            const renamedGrant = editResource(resources, grantName("backend", "postgres-password-staging"), (grant) => ({
                ...grant,
                props: { ...grant.props, secretId: `projects/${PROJECT}/secrets/postgres-password-staging` },
            }));
            expect(await run(renamedGrant)).to.deep.equal({ violations: [], urns: [] });
        });

        it("rejects a service that reads secrets as the default compute account", async () => {
            const resources = editResource(stagingStack(), serviceName("backend"), (service) => {
                const template = { ...(service.props.template as Record<string, unknown>) };
                delete template.serviceAccount;
                return { ...service, props: { ...service.props, template } };
            });
            expect((await run(resources)).violations).to.deep.equal([
                'Cloud Run service "backend-service" reads secrets (jwt-secret-staging, postgres-password-staging, ' +
                    "openai-api-key-staging) but sets no service account, so it runs as the project's default compute account; " +
                    "give it its own account and grant each secret to that account.",
            ]);
        });

        it("matches an account declared without a project by its accountId", async () => {
            const resources = editResource(stagingStack(), "auth-sa", (sa) => ({
                ...sa,
                props: { accountId: "netra-auth", displayName: "auth" },
            }));
            const result = await run(removeResource(resources, grantName("auth", "oauth-hmac-secret-staging")));
            expect(result.violations).to.deep.equal([
                `Cloud Run service "auth-service" reads secret "oauth-hmac-secret-staging", but no secret-level ${ACCESSOR} grant on it ` +
                    `names the service's own account, service account "auth-sa".`,
            ]);
        });

        it("accepts a grant by email to an account declared outside the stack", async () => {
            const external = "runner@other-project.iam.gserviceaccount.com";
            const resources: StackResourceInput[] = [
                {
                    type: SECRET_IAM_MEMBER,
                    name: "grant",
                    props: { secretId: "jwt-secret-staging", role: ACCESSOR, member: `serviceAccount:${external}` },
                },
                {
                    type: CLOUD_RUN_V2_SERVICE,
                    name: "svc",
                    props: {
                        template: {
                            serviceAccount: external,
                            containers: [
                                { envs: [{ name: "JWT_SECRET_KEY", valueSource: { secretKeyRef: { secret: "jwt-secret-staging" } } }] },
                            ],
                        },
                    },
                },
            ];
            expect(await run(resources)).to.deep.equal({ violations: [], urns: [] });
            expect((await run([resources[1]])).violations).to.deep.equal([
                `Cloud Run service "svc" reads secret "jwt-secret-staging", but no secret-level ${ACCESSOR} grant on it ` +
                    `names the service's own account, ${external}.`,
            ]);
        });

        it("accepts grants made with SecretIamBinding and SecretIamPolicy", async () => {
            let resources = removeResource(stagingStack(), grantName("backend", "jwt-secret-staging"));
            resources = removeResource(resources, grantName("backend", "openai-api-key-staging"));
            resources.push(
                {
                    type: SECRET_IAM_BINDING,
                    name: "jwt-readers",
                    props: {
                        secretId: "jwt-secret-staging",
                        role: ACCESSOR,
                        members: ["group:oncall@netrasystems.ai", `serviceAccount:${emailOf("backend")}`],
                    },
                },
                {
                    type: SECRET_IAM_POLICY,
                    name: "openai-policy",
                    props: {
                        secretId: "openai-api-key-staging",
                        policyData: JSON.stringify({ bindings: [{ role: ACCESSOR, members: [`serviceAccount:${emailOf("backend")}`] }] }),
                    },
                },
            );
            expect(await run(resources)).to.deep.equal({ violations: [], urns: [] });
        });

        it("checks secrets mounted as volumes", async () => {
            const resources = editResource(stagingStack(), serviceName("frontend"), (service) => ({
                ...service,
                props: {
                    ...service.props,
                    template: {
                        ...(service.props.template as object),
                        volumes: [{ name: "tls", secret: { secret: "frontend-tls-staging" } }],
                    },
                },
            }));
            expect((await run(resources)).violations).to.deep.equal([missing("frontend", "frontend-tls-staging")]);
        });

        it("checks v2 jobs and legacy v1 services the same way", async () => {
            const envs = [{ name: "POSTGRES_PASSWORD", secret: "postgres-password-staging" }];
            const resources: StackResourceInput[] = [
                ...stagingStack(),
                { type: SERVICE_ACCOUNT, name: "migrate-sa", props: { project: PROJECT, accountId: "netra-migrate" } },
                {
                    type: CLOUD_RUN_V2_JOB,
                    name: "migrate-job",
                    props: v2JobProps({ containers: [{ name: "migrate", envs }], serviceAccount: emailOf("migrate") }),
                },
                { type: SERVICE_ACCOUNT, name: "legacy-sa", props: { project: PROJECT, accountId: "netra-legacy" } },
                {
                    type: CLOUD_RUN_V1_SERVICE,
                    name: "legacy-service",
                    props: v1ServiceProps({ containers: [{ name: "legacy", envs }], serviceAccount: emailOf("legacy") }),
                },
            ];
            expect((await run(resources)).violations).to.deep.equal([
                missing("migrate", "postgres-password-staging", "Cloud Run job", "job", "migrate-job"),
                missing("legacy", "postgres-password-staging", "Cloud Run (v1) service", "service", "legacy-service"),
            ]);
            resources.push(
                {
                    type: SECRET_IAM_MEMBER,
                    name: "migrate-grant",
                    props: { secretId: "postgres-password-staging", role: ACCESSOR, member: `serviceAccount:${emailOf("migrate")}` },
                },
                {
                    type: SECRET_IAM_MEMBER,
                    name: "legacy-grant",
                    props: { secretId: "postgres-password-staging", role: ACCESSOR, member: `serviceAccount:${emailOf("legacy")}` },
                },
            );
            expect(await run(resources)).to.deep.equal({ violations: [], urns: [] });
        });
    });

    it("checks the secret a v1 alias stands for (run.googleapis.com/secrets), in variables and volumes, not the alias", async () => {
        const props = v1ServiceProps({
            containers: [{ name: "legacy", envs: [{ name: "SHARED_API_TOKEN", secret: "shared" }] }],
            serviceAccount: emailOf("legacy"),
            volumeSecrets: ["certs"],
        });
        const template = props.template as Record<string, unknown>;
        template.metadata = {
            annotations: {
                "run.googleapis.com/secrets":
                    "shared:projects/netra-shared/secrets/shared-api-token,certs:projects/netra-shared/secrets/tls",
            },
        };
        const grant = (secretId: string): StackResourceInput => ({
            type: SECRET_IAM_MEMBER,
            name: `legacy-${secretId}`,
            props: {
                project: "netra-shared",
                secretId: `projects/netra-shared/secrets/${secretId}`,
                role: ACCESSOR,
                member: `serviceAccount:${emailOf("legacy")}`,
            },
        });
        const resources: StackResourceInput[] = [
            ...stagingStack(),
            { type: SERVICE_ACCOUNT, name: "legacy-sa", props: { project: PROJECT, accountId: "netra-legacy" } },
            { type: CLOUD_RUN_V1_SERVICE, name: "legacy-service", props },
            grant("shared-api-token"),
        ];
        expect((await run(resources)).violations).to.deep.equal([
            missing("legacy", "tls", "Cloud Run (v1) service", "service", "legacy-service"),
        ]);
        expect(await run([...resources, grant("tls")])).to.deep.equal({ violations: [], urns: [] });
    });

    describe("project-level grants", () => {
        it("rejects a project-level secretAccessor grant, against the grant", async () => {
            const resources: StackResourceInput[] = [
                ...stagingStack(),
                {
                    type: PROJECT_IAM_MEMBER,
                    name: "backend-all-secrets",
                    props: { project: PROJECT, role: ACCESSOR, member: `serviceAccount:${emailOf("backend")}` },
                },
            ];
            const result = await run(resources);
            expect(result.violations).to.deep.equal([projectWide("IAMMember", "backend-all-secrets", ACCESSOR)]);
            expect(result.urns).to.deep.equal([urnOf(PROJECT_IAM_MEMBER, "backend-all-secrets")]);
        });

        it("rejects secretmanager.admin on the project, by binding or policy, even with unknown members", async () => {
            const resources: StackResourceInput[] = [
                ...stagingStack({ preview: true }),
                {
                    type: PROJECT_IAM_BINDING,
                    name: "admins",
                    props: { project: PROJECT, role: "roles/secretmanager.admin", members: [UNKNOWN_VALUE] },
                },
                {
                    type: PROJECT_IAM_POLICY,
                    name: "project-policy",
                    props: {
                        project: PROJECT,
                        policyData: JSON.stringify({
                            bindings: [
                                { role: "roles/run.invoker", members: ["allUsers"] },
                                { role: ACCESSOR, members: ["user:a@b.c"] },
                            ],
                        }),
                    },
                },
            ];
            expect((await run(resources)).violations).to.deep.equal([
                projectWide("IAMBinding", "admins", "roles/secretmanager.admin"),
                projectWide("IAMPolicy", "project-policy", ACCESSOR),
            ]);
        });

        it("accepts other project-level roles (Cloud SQL client) and skips unknown or unparsable policies", async () => {
            const resources: StackResourceInput[] = [
                ...stagingStack(),
                { type: PROJECT_IAM_POLICY, name: "unknown-policy", props: { project: PROJECT, policyData: UNKNOWN_VALUE } },
                { type: PROJECT_IAM_POLICY, name: "broken-policy", props: { project: PROJECT, policyData: "{not json" } },
            ];
            expect(await run(resources)).to.deep.equal({ violations: [], urns: [] });
        });
    });

    describe("in a first preview (emails unknown, matched by property dependencies)", () => {
        it("accepts the staging stack", async () => {
            expect(await run(stagingStack({ preview: true }))).to.deep.equal({ violations: [], urns: [] });
        });

        it("accepts it when the E2E key's secret id is unknown too, through the Secret the grant and the service depend on", async () => {
            expect(await run(stagingStack({ preview: true, unknownE2eSecretId: true }))).to.deep.equal({ violations: [], urns: [] });
        });

        it("rejects a missing grant of the E2E key when its id is unknown", async () => {
            const resources = removeResource(
                stagingStack({ preview: true, unknownE2eSecretId: true }),
                grantName("auth", "E2E_OAUTH_SIMULATION_KEY"),
            );
            expect((await run(resources)).violations).to.deep.equal([missing("auth", "E2E_OAUTH_SIMULATION_KEY")]);
        });

        it("rejects a grant whose member depends on another service's account", async () => {
            const resources = editResource(stagingStack({ preview: true }), grantName("backend", "postgres-password-staging"), (grant) => ({
                ...grant,
                propertyDependencies: { member: ["auth-sa"] },
            }));
            expect((await run(resources)).violations).to.deep.equal([missing("backend", "postgres-password-staging")]);
        });

        it("skips a service whose account is unknown and traced to no Account", async () => {
            const resources = editResource(stagingStack({ preview: true }), serviceName("backend"), (service) => ({
                ...service,
                propertyDependencies: {},
            }));
            const withoutGrants = removeResource(resources, grantName("backend", "jwt-secret-staging"));
            expect(await run(withoutGrants)).to.deep.equal({ violations: [], urns: [] });
        });

        it("never reads an unknown value: no preview error with everything computed unknown", async () => {
            const resources = stagingStack({ preview: true, unknownE2eSecretId: true }).map((resource) =>
                resource.type === SECRET_IAM_MEMBER && resource.name !== "e2e-oauth-simulation-key-reader-ci"
                    ? { ...resource, props: { ...resource.props, project: UNKNOWN_VALUE } }
                    : resource,
            );
            const result = await run(resources);
            expect(result.previewError).to.equal(undefined);
            expect(result.violations).to.deep.equal([]);
        });
    });

    it("judges nothing in a stack without Cloud Run workloads or project grants", async () => {
        const resources = stagingStack().filter((resource) => resource.type !== CLOUD_RUN_V2_SERVICE && resource.name !== E2E_SECRET);
        expect(await run(resources.map((resource) => ({ ...resource, propertyDependencies: {}, dependencies: [] })))).to.deep.equal({
            violations: [],
            urns: [],
        });
    });
});

describe("policy secret-access-scoped-to-service-account: the rules its comments state", () => {
    const STAGING_API = "netra-api@netra-staging.iam.gserviceaccount.com";
    const OTHER_API = "netra-api@netra-other.iam.gserviceaccount.com";
    const readsJwt = (serviceAccount: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
        template: {
            ...(serviceAccount === undefined ? {} : { serviceAccount }),
            containers: [{ envs: [{ name: "JWT_SECRET_KEY", valueSource: { secretKeyRef: { secret: "jwt-secret-staging" } } }] }],
            ...extra,
        },
    });
    const missingFor = (workload: string, secretId: string, account: string): string =>
        `Cloud Run service "${workload}" reads secret "${secretId}", but no secret-level ${ACCESSOR} grant on it ` +
        `names the service's own account, ${account}.`;
    const accountResource = (name: string, props: Record<string, unknown>): StackResourceInput => ({ type: SERVICE_ACCOUNT, name, props });
    const memberGrant = (name: string, member: unknown, dependsOn: string[] = [], secretId = "jwt-secret-staging"): StackResourceInput => ({
        type: SECRET_IAM_MEMBER,
        name,
        props: { secretId, role: ACCESSOR, member },
        propertyDependencies: { member: dependsOn },
    });

    it("counts a grant to any of several accounts the template depends on, and names them all when none is granted", async () => {
        const accounts = [
            accountResource("api-sa", { project: PROJECT, accountId: "netra-api" }),
            accountResource("worker-sa", { project: PROJECT, accountId: "netra-worker" }),
        ];
        const service: StackResourceInput = {
            type: CLOUD_RUN_V2_SERVICE,
            name: "svc",
            props: readsJwt(UNKNOWN_VALUE),
            propertyDependencies: { template: ["api-sa", "worker-sa"] },
        };
        expect(await run([...accounts, memberGrant("to-worker", UNKNOWN_VALUE, ["worker-sa"]), service])).to.deep.equal({
            violations: [],
            urns: [],
        });
        expect(await run([...accounts, memberGrant("to-api", UNKNOWN_VALUE, ["api-sa"]), service])).to.deep.equal({
            violations: [],
            urns: [],
        });
        expect((await run([...accounts, service])).violations).to.deep.equal([
            missingFor(
                "svc",
                "jwt-secret-staging",
                `service account "api-sa" (${STAGING_API}) or service account "worker-sa" (netra-worker@${PROJECT}.iam.gserviceaccount.com)`,
            ),
        ]);
    });

    it("compares an account's known email output whole: a same-named account in another project does not count", async () => {
        const accounts = [
            accountResource("api-sa", { project: PROJECT, accountId: "netra-api", email: STAGING_API }),
            accountResource("other-api-sa", { project: "netra-other", accountId: "netra-api", email: OTHER_API }),
        ];
        const service: StackResourceInput = { type: CLOUD_RUN_V2_SERVICE, name: "svc", props: readsJwt(STAGING_API) };
        expect((await run([...accounts, memberGrant("to-other", `serviceAccount:${OTHER_API}`), service])).violations).to.deep.equal([
            missingFor("svc", "jwt-secret-staging", `service account "api-sa" (${STAGING_API})`),
        ]);
        expect(await run([...accounts, memberGrant("to-staging", `serviceAccount:${STAGING_API.toUpperCase()}`), service])).to.deep.equal({
            violations: [],
            urns: [],
        });
    });

    it("prefers an account's email output to the one its inputs spell, and falls back to the inputs when the output is no email", async () => {
        const custom = "api-runtime@netra-staging.iam.gserviceaccount.com";
        const service: StackResourceInput = { type: CLOUD_RUN_V2_SERVICE, name: "svc", props: readsJwt(custom) };
        const withOutput = accountResource("api-sa", { project: PROJECT, accountId: "netra-api", email: custom });
        expect((await run([withOutput, service])).violations).to.deep.equal([
            missingFor("svc", "jwt-secret-staging", `service account "api-sa" (${custom})`),
        ]);
        const notAnEmail = accountResource("api-sa", { project: PROJECT, accountId: "netra-api", email: "pending" });
        const byInputs: StackResourceInput = { type: CLOUD_RUN_V2_SERVICE, name: "svc", props: readsJwt(STAGING_API) };
        expect((await run([notAnEmail, byInputs])).violations).to.deep.equal([
            missingFor("svc", "jwt-secret-staging", `service account "api-sa" (${STAGING_API})`),
        ]);
    });

    it("resolves an email that two Accounts could own to neither, matching it as the email itself", async () => {
        const accounts = [
            accountResource("api-sa", { project: PROJECT, accountId: "netra-api" }),
            accountResource("api-sa-unplaced", { accountId: "netra-api" }),
        ];
        const service: StackResourceInput = { type: CLOUD_RUN_V2_SERVICE, name: "svc", props: readsJwt(STAGING_API) };
        expect((await run([...accounts, service])).violations).to.deep.equal([missingFor("svc", "jwt-secret-staging", STAGING_API)]);
        expect(await run([...accounts, memberGrant("by-email", ` serviceAccount:${STAGING_API}`), service])).to.deep.include({
            violations: [missingFor("svc", "jwt-secret-staging", STAGING_API)],
        });
        expect(await run([...accounts, memberGrant("by-email", `serviceAccount: ${STAGING_API} `), service])).to.deep.equal({
            violations: [],
            urns: [],
        });
    });

    it("resolves an email that two Accounts of the same email, or of the same accountId and no project, share to neither", async () => {
        const service: StackResourceInput = { type: CLOUD_RUN_V2_SERVICE, name: "svc", props: readsJwt(STAGING_API) };
        const sameEmail = [
            accountResource("api-sa", { project: "netra-staging", accountId: "netra-api" }),
            accountResource("api-sa-again", { email: STAGING_API }),
        ];
        const sameAccountId = [
            accountResource("api-sa", { accountId: "netra-api" }),
            accountResource("api-sa-again", { accountId: "NETRA-API" }),
        ];
        for (const accounts of [sameEmail, sameAccountId]) {
            expect((await run([...accounts, service])).violations).to.deep.equal([missingFor("svc", "jwt-secret-staging", STAGING_API)]);
        }
    });

    it("names a granted account outside the stack by the email a grant gives, trimmed and lower-cased", async () => {
        const service: StackResourceInput = { type: CLOUD_RUN_V2_SERVICE, name: "svc", props: readsJwt(` ${STAGING_API.toUpperCase()} `) };
        expect((await run([service])).violations).to.deep.equal([missingFor("svc", "jwt-secret-staging", STAGING_API)]);
        expect(await run([memberGrant("g", `serviceAccount:${STAGING_API}`), service])).to.deep.equal({ violations: [], urns: [] });
    });

    it("does not count a grant to a person, a group or an unknown member that depends on no Account", async () => {
        const service: StackResourceInput = { type: CLOUD_RUN_V2_SERVICE, name: "svc", props: readsJwt(STAGING_API) };
        for (const member of [`user:${STAGING_API}`, `group:${STAGING_API}`, UNKNOWN_VALUE, 42]) {
            expect((await run([memberGrant("g", member), service])).violations, String(member)).to.deep.equal([
                missingFor("svc", "jwt-secret-staging", STAGING_API),
            ]);
        }
    });

    it("reads an IAM policy document without bindings, with malformed bindings or with another role safely: it grants nothing", async () => {
        const service: StackResourceInput = { type: CLOUD_RUN_V2_SERVICE, name: "svc", props: readsJwt(STAGING_API) };
        const documents = [
            {},
            { bindings: "everyone" },
            { bindings: [{ members: [`serviceAccount:${STAGING_API}`] }] },
            { bindings: [{ role: "roles/secretmanager.viewer", members: [`serviceAccount:${STAGING_API}`] }] },
            { bindings: [{ role: ACCESSOR }] },
            { bindings: [{ role: ACCESSOR, members: `serviceAccount:${STAGING_API}` }] },
            { bindings: [{ role: ACCESSOR, members: [7, null] }] },
            [],
            "bindings",
        ];
        for (const document of documents) {
            const policy: StackResourceInput = {
                type: SECRET_IAM_POLICY,
                name: "jwt-policy",
                props: { secretId: "jwt-secret-staging", policyData: JSON.stringify(document) },
            };
            const result = await run([policy, service]);
            expect(result, JSON.stringify(document)).to.deep.equal({
                violations: [missingFor("svc", "jwt-secret-staging", STAGING_API)],
                urns: [urnOf(CLOUD_RUN_V2_SERVICE, "svc")],
            });
        }
        const granted: StackResourceInput = {
            type: SECRET_IAM_POLICY,
            name: "jwt-policy",
            props: {
                secretId: "jwt-secret-staging",
                policyData: JSON.stringify({
                    bindings: [
                        { role: "roles/secretmanager.viewer", members: ["user:ops@netrasystems.ai"] },
                        { role: ACCESSOR, members: [3, `serviceAccount:${STAGING_API}`] },
                    ],
                }),
            },
        };
        expect(await run([granted, service])).to.deep.equal({ violations: [], urns: [] });
    });

    it("counts a policy document unknown in a preview as granting the Accounts it depends on", async () => {
        const account = accountResource("api-sa", { project: PROJECT, accountId: "netra-api", email: UNKNOWN_VALUE });
        const service: StackResourceInput = {
            type: CLOUD_RUN_V2_SERVICE,
            name: "svc",
            props: readsJwt(UNKNOWN_VALUE),
            propertyDependencies: { template: ["api-sa"] },
        };
        const policy = (dependsOn: string[]): StackResourceInput => ({
            type: SECRET_IAM_POLICY,
            name: "jwt-policy",
            props: { secretId: "jwt-secret-staging", policyData: UNKNOWN_VALUE },
            propertyDependencies: { policyData: dependsOn },
        });
        expect(await run([account, policy(["api-sa"]), service])).to.deep.equal({ violations: [], urns: [] });
        expect((await run([account, policy([]), service])).violations).to.deep.equal([
            missingFor("svc", "jwt-secret-staging", `service account "api-sa" (${STAGING_API})`),
        ]);
    });

    it("reads a binding's unknown members through the Accounts they depend on, and a grant's unknown secret through its Secret", async () => {
        const account = accountResource("api-sa", { project: PROJECT, accountId: "netra-api" });
        const secret: StackResourceInput = {
            type: "gcp:secretmanager/secret:Secret",
            name: "jwt",
            props: { secretId: "jwt-secret-staging" },
        };
        const service: StackResourceInput = {
            type: CLOUD_RUN_V2_SERVICE,
            name: "svc",
            props: readsJwt(UNKNOWN_VALUE),
            propertyDependencies: { template: ["api-sa"] },
        };
        const binding = (members: unknown, secretId: unknown, dependsOn: Record<string, string[]>): StackResourceInput => ({
            type: SECRET_IAM_BINDING,
            name: "jwt-readers",
            props: { secretId, role: ACCESSOR, members },
            propertyDependencies: dependsOn,
        });
        expect(await run([account, secret, binding(UNKNOWN_VALUE, "jwt-secret-staging", { members: ["api-sa"] }), service])).to.deep.equal({
            violations: [],
            urns: [],
        });
        expect(
            await run([account, secret, binding([UNKNOWN_VALUE], "jwt-secret-staging", { members: ["api-sa"] }), service]),
        ).to.deep.equal({
            violations: [],
            urns: [],
        });
        expect(
            await run([account, secret, binding(UNKNOWN_VALUE, UNKNOWN_VALUE, { members: ["api-sa"], secretId: ["jwt"] }), service]),
        ).to.deep.equal({ violations: [], urns: [] });
        const unplaced = missingFor("svc", "jwt-secret-staging", `service account "api-sa" (${STAGING_API})`);
        expect(
            (await run([account, secret, binding(UNKNOWN_VALUE, UNKNOWN_VALUE, { members: ["api-sa"] }), service])).violations,
        ).to.deep.equal([unplaced]);
        expect(
            (await run([account, secret, binding(UNKNOWN_VALUE, 12, { members: ["api-sa"], secretId: ["jwt"] }), service])).violations,
        ).to.deep.equal([unplaced]);
        expect(
            (await run([account, secret, binding("not a list", "jwt-secret-staging", { members: ["api-sa"] }), service])).violations,
        ).to.deep.equal([unplaced]);
    });

    it("judges nothing for a workload without secrets, whatever its account", async () => {
        const plain = (serviceAccount: unknown): StackResourceInput => ({
            type: CLOUD_RUN_V2_SERVICE,
            name: "svc",
            props: {
                template: {
                    ...(serviceAccount === undefined ? {} : { serviceAccount }),
                    containers: [{ envs: [{ name: "A", value: "1" }] }],
                },
            },
        });
        for (const serviceAccount of [undefined, "", STAGING_API, UNKNOWN_VALUE]) {
            expect(await run([plain(serviceAccount)]), String(serviceAccount)).to.deep.equal({ violations: [], urns: [] });
        }
    });

    it("treats an empty account like none: the workload runs as the default compute account", async () => {
        expect((await run([{ type: CLOUD_RUN_V2_SERVICE, name: "svc", props: readsJwt("") }])).violations).to.deep.equal([
            'Cloud Run service "svc" reads secrets (jwt-secret-staging) but sets no service account, so it runs as the project\'s ' +
                "default compute account; give it its own account and grant each secret to that account.",
        ]);
    });

    it("judges a workload whose secret references are not known yet against every Secret its template depends on", async () => {
        const account = accountResource("api-sa", { project: PROJECT, accountId: "netra-api" });
        const secrets: StackResourceInput[] = [
            { type: "gcp:secretmanager/secret:Secret", name: "jwt", props: { secretId: "jwt-secret-staging" } },
            { type: "gcp:secretmanager/secret:Secret", name: "pending", props: { secretId: UNKNOWN_VALUE } },
        ];
        const service: StackResourceInput = {
            type: CLOUD_RUN_V2_SERVICE,
            name: "svc",
            props: { template: { serviceAccount: STAGING_API, containers: [{ envs: UNKNOWN_VALUE }] } },
            propertyDependencies: { template: ["api-sa", "jwt", "pending"] },
        };
        expect((await run([account, ...secrets, service])).violations).to.deep.equal([
            missingFor("svc", "jwt-secret-staging", `service account "api-sa" (${STAGING_API})`),
        ]);
        const known: StackResourceInput = {
            ...service,
            props: readsJwt(STAGING_API),
            propertyDependencies: { template: ["api-sa", "pending"] },
        };
        expect((await run([account, ...secrets, known])).violations).to.deep.equal([
            missingFor("svc", "jwt-secret-staging", `service account "api-sa" (${STAGING_API})`),
        ]);
    });
});

describe("policy secret-access-scoped-to-service-account: its words and its readers of accounts", () => {
    it("describes itself and words a project grant by default", async () => {
        const { projectGrantMessage } = await import("../../policies/secret-access-scoped-to-service-account");
        expect(projectGrantMessage("gcp:projects/iAMMember:IAMMember", "m", "roles/owner")).to.equal(
            'IAMMember "m" grants roles/owner on the whole project, so its members can read every secret in it; ' +
                `grant ${ACCESSOR} on each secret, to the one service account that reads it, instead.`,
        );
        expect(secretAccessScopedToServiceAccount.description).to.equal(
            `Every secret a Cloud Run service, job, worker pool or function reads is granted ${ACCESSOR} on that secret to the workload's own service account; ` +
                "no secret is granted to allUsers, allAuthenticatedUsers or a whole domain; and no project-, folder- or organization-level " +
                `grant of ${ACCESSOR}, roles/secretmanager.admin, roles/owner, roles/editor reads every secret beneath it ` +
                "(on a project, owner and editor only when held by a service account, a domain or the public).",
        );
    });

    it("reads property dependencies defensively, describes keys and resolves identities", async () => {
        const sa = await import("../../policies/lib/service-accounts");
        const account = { type: SERVICE_ACCOUNT, name: "api-sa", urn: "urn:api", props: { project: PROJECT, accountId: "netra-api" } };
        const resource = (propertyDependencies: unknown) => ({ ...account, propertyDependencies }) as never;
        expect(sa.dependenciesOf(resource(undefined), "member")).to.deep.equal([]);
        expect(sa.dependenciesOf(resource({ member: "api-sa" }), "member")).to.deep.equal([]);
        expect(sa.dependenciesOf(resource({ member: [account] }), "member")).to.deep.equal([account]);
        const index = new sa.AccountIndex([account as never]);
        expect(index.describe("urn:gone")).to.equal('service account "gone"');
        expect(index.describe("urn:urn:api")).to.equal(`service account "api-sa" (netra-api@${PROJECT}.iam.gserviceaccount.com)`);
        expect(index.describe("member:user:ops@netrasystems.ai")).to.equal("user:ops@netrasystems.ai");
        expect(index.keyOfMember(`serviceAccount:NETRA-API@${PROJECT}.iam.gserviceaccount.com`)).to.equal("urn:urn:api");
        expect(index.keyOfMember("user:ops@netrasystems.ai")).to.equal("member:user:ops@netrasystems.ai");
        expect(sa.principalKeys(index, undefined, [account as never])).to.deep.equal([]);
        expect(sa.principalKeys(index, UNKNOWN, [account as never])).to.deep.equal(["urn:urn:api"]);
        expect(sa.principalKeys(index, UNKNOWN, [])).to.deep.equal([]);
        expect(sa.workloadIdentity(index, "x@y.iam.gserviceaccount.com", [])).to.deep.equal({
            kind: "accounts",
            keys: ["email:x@y.iam.gserviceaccount.com"],
        });
        expect(sa.workloadIdentity(index, undefined, [])).to.deep.equal({ kind: "default" });
        expect(sa.accountEmail({ ...account, props: { accountId: "A", project: 3 } } as never)).to.equal(undefined);
        expect(sa.accountEmail({ ...account, props: { email: "Api@P.iam.gserviceaccount.com" } } as never)).to.equal(
            "api@p.iam.gserviceaccount.com",
        );
    });

    it("reads an IAM policy document only from a string", async () => {
        const { policyBindings } = await import("../../policies/lib/secret-grants");
        const document = JSON.stringify({ bindings: [{ role: ACCESSOR, members: ["user:a@b.c", 3] }] });
        expect(policyBindings(document)).to.deep.equal([{ role: ACCESSOR, members: ["user:a@b.c"] }]);
        expect(policyBindings([document])).to.deep.equal([]);
        expect(policyBindings(JSON.stringify({ bindings: [{ role: ACCESSOR }] }))).to.deep.equal([{ role: ACCESSOR, members: [] }]);
    });
});
