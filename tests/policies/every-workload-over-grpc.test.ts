/**
 * Each class of finding the pack added for every Cloud Run workload, sent over the Analyzer gRPC
 * protocol to the pack started as the CLI starts it, with the staging policy config; in an update
 * (every value known) and in a first preview (computed outputs unknown), with exact messages, and
 * a compliant twin of each that passes with no finding at all.
 */
import { expect } from "chai";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import {
    CLOUD_RUN_V2_SERVICE,
    CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
    FOLDER_IAM_MEMBER,
    SECRET_IAM_BINDING,
    SECRET_IAM_POLICY,
    SERVICE_ACCOUNT,
} from "../../policies/lib/resource-types";
import {
    compliantContainer,
    compliantWorkload,
    FUNCTION_SHAPE,
    pinnedImage,
    SHAPES,
    withEnv,
    withoutEnv,
    type ContainerSpec,
    type ShapeFixture,
    type WorkloadSpec,
} from "./fixtures";
import { analyzeRequest, diagnostics, openPack, stackRequest, type PackSession } from "./grpc-pack";
import { UNKNOWN_VALUE, type StackResourceInput } from "./harness";
import { KEY_MATERIAL_FORMS } from "./key-material-samples";
import { ACCESSOR, accountName, emailOf, grantName, PROJECT, removeResource, stagingStack } from "./stack-fixtures";

const MODES = [
    { label: "in an update", preview: false },
    { label: "in a first preview", preview: true },
] as const;

/** A first preview's view of a workload: images built in the same run and the account's email are not known yet. */
function inMode(spec: WorkloadSpec, preview: boolean): WorkloadSpec {
    if (!preview) {
        return spec;
    }
    return {
        ...spec,
        serviceAccount: spec.serviceAccount === undefined ? undefined : UNKNOWN_VALUE,
        containers: spec.containers.map((container) => ({ ...container, image: UNKNOWN_VALUE })),
    };
}

/** [policy, level, message] of each diagnostic: the message without the description the SDK prefixes. */
function findings(response: pb.AnalyzeResponse): [string, string, string][] {
    return diagnostics(response).map((d) => [
        d.policy,
        d.level === pb.EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
        d.message.split("\n").slice(1).join("\n"),
    ]);
}

const secretByKey = (kind: string, variable: string, container = 'Container "api"'): [string, string, string] => [
    "cloudrun-no-plaintext-secrets",
    "mandatory",
    `${container} sets ${variable} to a literal that looks like key material (${kind}); store it in Secret Manager and reference it with a secretKeyRef.`,
];

describe("every Cloud Run workload, judged over gRPC in an update and in a first preview", function () {
    this.timeout(120_000);
    let pack: PackSession;

    before(async () => {
        pack = await openPack();
    });

    after(async () => {
        await pack?.close();
    });

    const analyze = async (shape: ShapeFixture, spec: WorkloadSpec, preview: boolean, name = "subject") =>
        findings(await pack.analyze(analyzeRequest(shape.type, name, shape.build(inMode(spec, preview)))));

    for (const mode of MODES) {
        describe(mode.label, () => {
            for (const shape of [...SHAPES, FUNCTION_SHAPE]) {
                it(`passes a compliant ${shape.label} with no finding`, async () => {
                    expect(
                        await analyze(shape, compliantWorkload({ containers: [compliantContainer("api")] }), mode.preview),
                    ).to.deep.equal([]);
                });
            }

            it("reads names by position: settings named for what they are, and mounted-secret paths, pass (the compliant twins)", async () => {
                const container = [
                    { name: "TOKEN_EXPIRY_SECONDS", value: "3600" },
                    { name: "ID_TOKEN_AUDIENCE", value: "https://netra-backend-staging.a.run.app" },
                    { name: "CRYPTO_KEY_RING", value: "projects/netra-staging/locations/global/keyRings/app" },
                    { name: "SECRET_VOLUME_PATH", value: "/secrets" },
                    { name: "SIGNING_KEY_VERSION", value: "3" },
                    { name: "SESSION_TTL_HOURS", value: "24" },
                    { name: "SERVICE_ACCOUNT_KEY_PATH", value: "/var/secrets/sa.json" },
                    { name: "GOOGLE_APPLICATION_CREDENTIALS", value: "/var/secrets/google/key.json" },
                ].reduce<ContainerSpec>((spec, env) => withEnv(spec, env), compliantContainer("api"));
                for (const shape of [SHAPES[0], FUNCTION_SHAPE]) {
                    expect(await analyze(shape, compliantWorkload({ containers: [container] }), mode.preview), shape.label).to.deep.equal(
                        [],
                    );
                }
            });

            it("refuses a passphrase in plaintext, and key material by form under any name, naming the variable and the kind", async () => {
                const forms = [
                    "postgres URL with password",
                    "Google API key",
                    "Stripe live secret key",
                    "JWT in a Bearer header",
                    "SendGrid API key",
                ];
                const samples = forms.map((form) => KEY_MATERIAL_FORMS.find((candidate) => candidate.form === form)!);
                const envs = [
                    { name: "SIGNING_PASSPHRASE", value: "correct horse battery staple" },
                    ...samples.map((sample, index) => ({ name: `UPSTREAM_${index + 1}`, value: sample.make() })),
                ];
                const container = envs.reduce<ContainerSpec>((spec, env) => withEnv(spec, env), compliantContainer("api"));
                const result = await analyze(SHAPES[0], compliantWorkload({ containers: [container] }), mode.preview);
                expect(result).to.deep.equal([
                    [
                        "cloudrun-no-plaintext-secrets",
                        "mandatory",
                        'Container "api" sets SIGNING_PASSPHRASE without a secretKeyRef, but its name marks a secret (PASSPHRASE); ' +
                            "take its value from Secret Manager (or, for a mounted secret file, set its absolute path).",
                    ],
                    secretByKey("a URL with a password", "UPSTREAM_1"),
                    secretByKey("a Google API key", "UPSTREAM_2"),
                    secretByKey("a Stripe secret key", "UPSTREAM_3"),
                    secretByKey("a JSON Web Token", "UPSTREAM_4"),
                    secretByKey("a SendGrid API key", "UPSTREAM_5"),
                ]);
                for (const env of envs) {
                    expect(JSON.stringify(result)).not.to.include(env.value);
                }
            });

            it("sees worker pools and gen2 functions: a missing ENVIRONMENT and a plaintext key are found there too", async () => {
                const pool = SHAPES.find((shape) => shape.label === "v2 worker pool")!;
                const bare = withoutEnv(compliantContainer("worker"), "ENVIRONMENT");
                expect(await analyze(pool, compliantWorkload({ containers: [bare] }), mode.preview)).to.deep.equal([
                    [
                        "cloudrun-required-env-vars",
                        "mandatory",
                        'Container "worker" does not set ENVIRONMENT; every Cloud Run container must declare it explicitly, or the service ' +
                            "guesses its environment (the WebSocket 1011 incident).",
                    ],
                ]);
                const leaky = withEnv(withoutEnv(compliantContainer("fn"), "ENVIRONMENT"), {
                    name: "STRIPE_SECRET_KEY",
                    value: "rotate-me",
                });
                expect(await analyze(FUNCTION_SHAPE, compliantWorkload({ containers: [leaky] }), mode.preview)).to.deep.equal([
                    [
                        "cloudrun-required-env-vars",
                        "mandatory",
                        "The function does not set ENVIRONMENT; every Cloud Run container must declare it explicitly, or the service " +
                            "guesses its environment (the WebSocket 1011 incident).",
                    ],
                    [
                        "cloudrun-no-plaintext-secrets",
                        "mandatory",
                        "The function sets STRIPE_SECRET_KEY without a secretKeyRef, but its name marks a secret (KEY); " +
                            "take its value from Secret Manager (or, for a mounted secret file, set its absolute path).",
                    ],
                ]);
            });

            it("refuses the default compute account on a function and no account on a service; an own account passes", async () => {
                const container = compliantContainer("api");
                const compute = "123456789012-compute@developer.gserviceaccount.com";
                expect(await analyze(FUNCTION_SHAPE, { containers: [container], serviceAccount: compute }, false)).to.deep.equal([
                    [
                        "cloudrun-dedicated-service-account",
                        "mandatory",
                        `The Cloud Function (gen2) runs as ${compute}, the project's default compute account, which other workloads share; ` +
                            "create a service account for this function and set serviceConfig.serviceAccountEmail to its email.",
                    ],
                ]);
                expect(await analyze(SHAPES[0], { containers: [container] }, mode.preview)).to.deep.equal([
                    [
                        "cloudrun-dedicated-service-account",
                        "mandatory",
                        "The Cloud Run service sets no template.serviceAccount, so it runs as the project's default compute account, which " +
                            "every unconfigured workload shares; create a service account for this service and set template.serviceAccount to its email.",
                    ],
                ]);
            });

            it("lets a sidecar set PORT and refuses it on the container that takes the requests", async () => {
                const sidecar = withEnv(compliantContainer("otel-collector"), { name: "PORT", value: "4317" });
                const ingress: ContainerSpec = { ...compliantContainer("api"), port: 8080 };
                expect(await analyze(SHAPES[0], compliantWorkload({ containers: [ingress, sidecar] }), mode.preview)).to.deep.equal([]);
                const wrong: ContainerSpec = { ...withEnv(compliantContainer("api"), { name: "PORT", value: "8080" }), port: 8080 };
                expect(await analyze(SHAPES[0], compliantWorkload({ containers: [wrong, sidecar] }), mode.preview)).to.deep.equal([
                    [
                        "cloudrun-reserved-env-names",
                        "mandatory",
                        'Container "api" sets PORT, which Cloud Run sets itself and refuses in a deploy; remove it ' +
                            "(reserved: PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*).",
                    ],
                ]);
            });

            it("says a padded, capitalised ENVIRONMENT has surrounding spaces and must be lower case", async () => {
                const container = withEnv(compliantContainer("api"), { name: "ENVIRONMENT", value: " Staging " });
                expect(await analyze(SHAPES[0], compliantWorkload({ containers: [container] }), mode.preview)).to.deep.equal([
                    [
                        "cloudrun-environment-matches-stack",
                        "mandatory",
                        'Container "api" sets ENVIRONMENT to staging in a form services do not match: it has surrounding spaces and must be ' +
                            'lower case; set it to exactly "staging".',
                    ],
                ]);
            });

            it("advises restricting ingress on a service the config does not list as public", async () => {
                const props = { ...SHAPES[0].build(inMode(compliantWorkload(), mode.preview)), name: "netra-admin" };
                expect(findings(await pack.analyze(analyzeRequest(CLOUD_RUN_V2_SERVICE, "admin", props)))).to.deep.equal([
                    [
                        "cloudrun-private-service-ingress",
                        "advisory",
                        'The Cloud Run service "netra-admin" accepts traffic from the internet (ingress is all or unset) but the policy config ' +
                            "does not list it under publicServices; restrict ingress to internal traffic, or list it if it is meant to be public.",
                    ],
                ]);
                const internal = { ...props, ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY" };
                expect(findings(await pack.analyze(analyzeRequest(CLOUD_RUN_V2_SERVICE, "admin", internal)))).to.deep.equal([]);
            });

            describe("on the whole stack", () => {
                const stack = (): StackResourceInput[] => stagingStack({ preview: mode.preview });
                const analyzeStack = async (resources: StackResourceInput[]) => findings(await pack.analyzeStack(stackRequest(resources)));

                /** The auth service's grant on one secret, made through a SecretIamPolicy document for `key`'s account instead. */
                const policyGrant = (key: string): StackResourceInput[] => {
                    const secretId = "oauth-hmac-secret-staging";
                    const document = JSON.stringify({ bindings: [{ role: ACCESSOR, members: [`serviceAccount:${emailOf(key)}`] }] });
                    return [
                        ...removeResource(stack(), grantName("auth", secretId)),
                        {
                            type: SECRET_IAM_POLICY,
                            name: "auth-oauth-hmac-policy",
                            props: { project: PROJECT, secretId, policyData: mode.preview ? UNKNOWN_VALUE : document },
                            propertyDependencies: { policyData: [accountName(key)] },
                        },
                    ];
                };

                it("passes the staging stack, and a grant through the service's own IAM policy document (the compliant twin)", async () => {
                    expect(await analyzeStack(stack())).to.deep.equal([]);
                    expect(await analyzeStack(policyGrant("auth"))).to.deep.equal([]);
                });

                it("matches an IAM policy document for another account as not granted", async () => {
                    expect(await analyzeStack(policyGrant("backend"))).to.deep.equal([
                        [
                            "secret-access-scoped-to-service-account",
                            "mandatory",
                            'Cloud Run service "auth-service" reads secret "oauth-hmac-secret-staging", but no secret-level ' +
                                `${ACCESSOR} grant on it names the service's own account, service account "auth-sa" (${emailOf("auth")}).`,
                        ],
                    ]);
                });

                it("refuses a secret granted to allUsers or a domain, and secretAccessor or owner on a folder", async () => {
                    const resources: StackResourceInput[] = [
                        ...stack(),
                        {
                            type: SECRET_IAM_BINDING,
                            name: "jwt-readers",
                            props: {
                                project: PROJECT,
                                secretId: "jwt-secret-staging",
                                role: ACCESSOR,
                                members: ["allUsers", "domain:netrasystems.ai"],
                            },
                        },
                        {
                            type: FOLDER_IAM_MEMBER,
                            name: "folder-secrets",
                            props: {
                                folder: "folders/1234567890",
                                role: ACCESSOR,
                                member: mode.preview ? UNKNOWN_VALUE : `serviceAccount:${emailOf("backend")}`,
                            },
                            propertyDependencies: { member: [accountName("backend")] },
                        },
                    ];
                    const widen = (member: string): [string, string, string] => [
                        "secret-access-scoped-to-service-account",
                        "mandatory",
                        `SecretIamBinding "jwt-readers" grants ${ACCESSOR} on a secret to ${member}; grant secret access only to the service ` +
                            "accounts (or named people) that need it.",
                    ];
                    expect(await analyzeStack(resources)).to.deep.equal([
                        widen("allUsers (anyone on the internet)"),
                        widen("domain:netrasystems.ai (every account of the domain)"),
                        [
                            "secret-access-scoped-to-service-account",
                            "mandatory",
                            `IAMMember "folder-secrets" grants ${ACCESSOR} on the whole folder, so its members can read every secret in every ` +
                                `project under it; grant ${ACCESSOR} on each secret, to the one service account that reads it, instead.`,
                        ],
                    ]);
                });

                it("allows allUsers to invoke a listed public service and refuses it on an unlisted one", async () => {
                    const account: StackResourceInput = {
                        type: SERVICE_ACCOUNT,
                        name: "admin-sa",
                        props: {
                            project: PROJECT,
                            accountId: "netra-admin",
                            ...(mode.preview ? {} : { email: `netra-admin@${PROJECT}.iam.gserviceaccount.com` }),
                        },
                    };
                    const service = (key: string, name: string): StackResourceInput => ({
                        type: CLOUD_RUN_V2_SERVICE,
                        name: `${key}-svc`,
                        props: {
                            project: PROJECT,
                            location: "us-central1",
                            name,
                            template: {
                                serviceAccount: mode.preview ? UNKNOWN_VALUE : `netra-admin@${PROJECT}.iam.gserviceaccount.com`,
                                containers: [{ image: pinnedImage(), envs: [{ name: "ENVIRONMENT", value: "staging" }] }],
                            },
                        },
                        propertyDependencies: { template: ["admin-sa"] },
                    });
                    const invoker = (key: string, name: string): StackResourceInput => ({
                        type: CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
                        name: `${key}-public-invoker`,
                        props: {
                            project: PROJECT,
                            location: "us-central1",
                            name: mode.preview ? UNKNOWN_VALUE : name,
                            role: "roles/run.invoker",
                            member: "allUsers",
                        },
                        propertyDependencies: { name: [`${key}-svc`] },
                    });
                    const resources = [
                        ...stack(),
                        account,
                        service("auth-public", "netra-auth-service"),
                        invoker("auth-public", "netra-auth-service"),
                        service("admin", "netra-admin"),
                        invoker("admin", "netra-admin"),
                    ];
                    expect(await analyzeStack(resources)).to.deep.equal([
                        [
                            "cloudrun-public-access-allowed",
                            "mandatory",
                            'ServiceIamMember "admin-public-invoker" lets allUsers (anyone on the internet) call "netra-admin", which the policy ' +
                                'config does not list as public; remove the grant, or add "netra-admin" to publicServices in the config of policy ' +
                                "cloudrun-public-access-allowed if it is meant to be public.",
                        ],
                    ]);
                });
            });
        });
    }
});
