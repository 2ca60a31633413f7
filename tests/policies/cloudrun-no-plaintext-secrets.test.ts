import { expect } from "chai";
import * as fc from "fast-check";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { cloudrunNoPlaintextSecrets } from "../../policies/cloudrun-no-plaintext-secrets";
import { isDigestName, secretNameToken } from "../../rules/cloudrun-env";
import { compliantContainer, compliantWorkload, FUNCTION_SHAPE, SHAPES, withEnv, type EnvSpec } from "./fixtures";
import { runResourcePolicy, UNKNOWN_VALUE } from "./harness";

const secretNamed = (variable: string, token: string): string =>
    `Container "api" sets ${variable} without a secretKeyRef, but its name marks a secret (${token}); ` +
    "take its value from Secret Manager (or, for a mounted secret file, set its absolute path).";
const keyLike = (variable: string, kind: string): string =>
    `Container "api" sets ${variable} to a literal that looks like key material (${kind}); ` +
    "store it in Secret Manager and reference it with a secretKeyRef.";

/** A PEM block assembled at run time, so no key-shaped literal sits in the repository. */
function pemBlock(): string {
    const label = ["PRIVATE", "KEY"].join(" ");
    return `-----BEGIN ${label}-----\n${randomBytes(48).toString("base64")}\n-----END ${label}-----`;
}

/** A JWT-shaped token assembled at run time. */
function jwtLike(): string {
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
    return `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: randomBytes(8).toString("hex") })}.${randomBytes(32).toString("base64url")}`;
}

describe("policy cloudrun-no-plaintext-secrets", () => {
    it("is mandatory", () => {
        expect(cloudrunNoPlaintextSecrets.enforcementLevel).to.equal("mandatory");
    });

    for (const shape of SHAPES) {
        describe(`on a ${shape.label}`, () => {
            const run = (env: EnvSpec) =>
                runResourcePolicy(cloudrunNoPlaintextSecrets, {
                    type: shape.type,
                    props: shape.build(compliantWorkload({ containers: [withEnv(compliantContainer("api"), env)] })),
                });

            it("accepts secrets by reference and ordinary plain config", async () => {
                expect(await run({ name: "FRONTEND_URL", value: "https://staging.netrasystems.ai" })).to.deep.equal({
                    violations: [],
                    urns: [],
                });
            });

            it("rejects a secret-named variable with a literal value, without showing the value", async () => {
                const value = randomBytes(12).toString("hex");
                const result = await run({ name: "JWT_SECRET_KEY", value });
                expect(result.violations).to.deep.equal([secretNamed("JWT_SECRET_KEY", "KEY")]);
                expect(result.violations.join("\n")).not.to.include(value);
            });

            it("rejects a secret-named variable with neither a value nor a secretKeyRef", async () => {
                expect((await run({ name: "REDIS_PASSWORD" })).violations).to.deep.equal([secretNamed("REDIS_PASSWORD", "PASSWORD")]);
            });

            it("rejects a short, harmless-looking literal under a secret name", async () => {
                expect((await run({ name: "OPENAI_API_KEY", value: "changeme" })).violations).to.deep.equal([
                    secretNamed("OPENAI_API_KEY", "KEY"),
                ]);
            });

            for (const [kind, make] of [
                ["a long hex string", () => randomBytes(32).toString("hex")],
                ["a long base64 string", () => `Ab1${randomBytes(45).toString("base64")}`],
                ["a PEM private key", pemBlock],
                ["a JSON Web Token", jwtLike],
            ] as const) {
                it(`rejects a literal that looks like key material whatever its name: ${kind}`, async () => {
                    const value = make();
                    const result = await run({ name: "BOOTSTRAP_MATERIAL", value });
                    expect(result.violations).to.deep.equal([keyLike("BOOTSTRAP_MATERIAL", kind)]);
                    expect(result.violations.join("\n")).not.to.include(value);
                });
            }

            it("does not mistake config for secrets: SECURE_HEADERS_ENABLED, JWT_ALGORITHM, SERVICE_ID", async () => {
                for (const env of [
                    { name: "SECURE_HEADERS_ENABLED", value: "true" },
                    { name: "JWT_ALGORITHM", value: "HS256" },
                    { name: "CLICKHOUSE_HOST", value: "xedvrr4c3r.us-central1.gcp.clickhouse.cloud" },
                    { name: "CLOUD_SQL", value: "netra-staging:us-central1:staging-shared-postgres" },
                ]) {
                    expect((await run(env)).violations, env.name).to.deep.equal([]);
                }
            });

            it("rejects a password set as key=value inside a connection string, and one after `$` in a URL", async () => {
                const password = () => randomBytes(9).toString("base64url");
                for (const [name, value, kind] of [
                    [
                        "DATABASE_URL",
                        `postgres://db.internal/app?sslmode=require&password=${password()}`,
                        "a credential in a key=value setting",
                    ],
                    [
                        "DB_CONNECTION",
                        `Server=db.internal;Database=app;User Id=app;Password=${password()};`,
                        "a credential in a key=value setting",
                    ],
                    ["PG_DSN", `host=db.internal dbname=app user=app password=${password()}`, "a credential in a key=value setting"],
                    ["REDIS_URL", `redis://default:$${password()}@10.0.0.7:6379/0`, "a URL with a password"],
                ]) {
                    const result = await run({ name, value });
                    expect(result.violations, name).to.deep.equal([keyLike(name, kind)]);
                    expect(result.violations.join("\n")).not.to.include(value);
                }
            });

            it("rejects a credential name whose secret word runs into another word or is CREDS", async () => {
                for (const [name, token] of [
                    ["PGPASSWORD", "PASSWORD"],
                    ["ADMINPASSWORD", "PASSWORD"],
                    ["DB_CREDS", "CREDS"],
                ]) {
                    expect((await run({ name, value: randomBytes(9).toString("base64url") })).violations, name).to.deep.equal([
                        secretNamed(name, token),
                    ]);
                }
            });

            it("accepts a public key, a certificate and Google resource names, which are published or name things", async () => {
                const publicKey = generateKeyPairSync("ec", { namedCurve: "P-256" })
                    .publicKey.export({ type: "spki", format: "pem" })
                    .toString();
                for (const env of [
                    { name: "JWT_PUBLIC_KEY", value: publicKey },
                    { name: "OIDC_VERIFY_KEY_PEM", value: publicKey.replace(/\n/g, "\\n") },
                    {
                        name: "OIDC_CA_BUNDLE",
                        value: `-----BEGIN CERTIFICATE-----\n${randomBytes(48).toString("base64")}\n-----END CERTIFICATE-----`,
                    },
                    { name: "KMS_KEY_NAME", value: "projects/netra-staging/locations/us-central1/keyRings/Ring1/cryptoKeys/Key2" },
                    { name: "PUBSUB_TOPIC", value: "projects/netra-staging/topics/AgentEvents2" },
                    { name: "REQUIRE_AUTH", value: "true" },
                    { name: "DISABLE_AUTH", value: "0" },
                    { name: "SMTP_AUTH", value: "login" },
                    { name: "REQUIRE_TOKEN", value: "yes" },
                    { name: "KMS_KEY", value: "projects/netra-staging/locations/global/keyRings/app/cryptoKeys/session" },
                ]) {
                    expect((await run(env)).violations, env.name).to.deep.equal([]);
                }
            });

            it("names a variable whose name is unknown by its position", async () => {
                const container = { name: "api", envs: [{ name: UNKNOWN_VALUE, value: randomBytes(32).toString("hex") }] };
                const result = await runResourcePolicy(cloudrunNoPlaintextSecrets, {
                    type: shape.type,
                    props: shape.build({ containers: [container] }),
                });
                expect(result).to.deep.equal({ violations: [keyLike("variable #1", "a long hex string")], urns: [undefined] });
            });

            describe("during preview", () => {
                it("still rejects a secret-named literal whose value is unknown: the literal itself is the problem", async () => {
                    expect(await run({ name: "SERVICE_SECRET", value: UNKNOWN_VALUE })).to.deep.equal({
                        violations: [secretNamed("SERVICE_SECRET", "SECRET")],
                        urns: [undefined],
                    });
                });

                it("accepts a secretKeyRef whose secret is unknown", async () => {
                    expect(await run({ name: "SERVICE_SECRET", secret: UNKNOWN_VALUE })).to.deep.equal({ violations: [], urns: [] });
                });

                it("skips an unknown literal under an ordinary name", async () => {
                    expect(await run({ name: "FRONTEND_URL", value: UNKNOWN_VALUE })).to.deep.equal({ violations: [], urns: [] });
                });
            });
        });
    }

    describe("variables outside the runtime containers: build-time variables and sandbox templates", () => {
        const service = (edit: (props: Record<string, unknown>, template: Record<string, unknown>) => void): Record<string, unknown> => {
            const props = SHAPES[0].build(compliantWorkload());
            edit(props, props.template as Record<string, unknown>);
            return props;
        };

        it("rejects a secret-named build variable of a v2 service or a function, and key material in a sandbox's, never showing a value", async () => {
            const token = randomBytes(12).toString("hex");
            const key = randomBytes(32).toString("hex");
            const build = { environmentVariables: { NPM_TOKEN: token, GOOGLE_NODE_RUN_SCRIPTS: "build" } };
            const props = service((props, template) => {
                props.buildConfig = build;
                template.sandboxes = { templates: [{ image: "gcr.io/p/tool:1", envs: [{ name: "CACHE_SEED", value: key }] }] };
            });
            const result = await runResourcePolicy(cloudrunNoPlaintextSecrets, { type: SHAPES[0].type, props });
            expect(result.violations).to.deep.equal([
                "The build sets NPM_TOKEN without a secretKeyRef, but its name marks a secret (TOKEN); " +
                    "take its value from Secret Manager (or, for a mounted secret file, set its absolute path).",
                "Sandbox template #1 sets CACHE_SEED to a literal that looks like key material (a long hex string); " +
                    "store it in Secret Manager and reference it with a secretKeyRef.",
            ]);
            const fn = { ...FUNCTION_SHAPE.build(compliantWorkload()), buildConfig: build };
            expect(
                (await runResourcePolicy(cloudrunNoPlaintextSecrets, { type: FUNCTION_SHAPE.type, props: fn })).violations,
            ).to.deep.equal([
                "The build sets NPM_TOKEN without a secretKeyRef, but its name marks a secret (TOKEN); " +
                    "take its value from Secret Manager (or, for a mounted secret file, set its absolute path).",
            ]);
            expect(result.violations.join("\n")).not.to.include(token);
            expect(result.violations.join("\n")).not.to.include(key);
        });

        it("skips build variables and sandboxes not known yet during preview, without a preview error", async () => {
            const props = service((props, template) => {
                props.buildConfig = { environmentVariables: UNKNOWN_VALUE };
                template.sandboxes = UNKNOWN_VALUE;
            });
            expect(await runResourcePolicy(cloudrunNoPlaintextSecrets, { type: SHAPES[0].type, props })).to.deep.equal({
                violations: [],
                urns: [],
            });
        });
    });

    it("accepts a secret-named variable whose whole valueSource is unknown (a secret, not yet known)", async () => {
        const props = { template: { containers: [{ name: "api", envs: [{ name: "FERNET_KEY", valueSource: UNKNOWN_VALUE }] }] } };
        expect(await runResourcePolicy(cloudrunNoPlaintextSecrets, { type: SHAPES[0].type, props })).to.deep.equal({
            violations: [],
            urns: [],
        });
    });

    it("reports any hex key of 128 bits or more under any non-secret, non-digest name, never echoing it", async () => {
        const name = fc
            .stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/)
            .filter((candidate) => secretNameToken(candidate) === undefined && !isDigestName(candidate) && candidate !== "ENVIRONMENT");
        await fc.assert(
            fc.asyncProperty(name, fc.integer({ min: 16, max: 64 }), async (variable, bytes) => {
                const value = randomBytes(bytes).toString("hex");
                const props = SHAPES[0].build({ containers: [{ name: "api", envs: [{ name: variable, value }] }] });
                const result = await runResourcePolicy(cloudrunNoPlaintextSecrets, { type: SHAPES[0].type, props });
                expect(result.violations).to.deep.equal([keyLike(variable, "a long hex string")]);
                expect(result.violations.join("\n")).not.to.include(value);
            }),
            { numRuns: 200 },
        );
    });
});
