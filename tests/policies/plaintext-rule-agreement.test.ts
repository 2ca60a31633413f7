/**
 * The stack-config loader and the pack's `cloudrun-no-plaintext-secrets` judge a plain variable by one
 * rule (rules/plaintext-secret.ts): a stack file the loader accepts never fails the policy, a variable
 * the policy flags is refused by the loader, and both name the same reason (the secret word, or the kind
 * of key material). Held over generated names and values; every credential is generated at run time.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { StackConfigError } from "../../components/config/config-error";
import { parseStackConfig } from "../../components/config/parse-stack-config";
import { cloudrunNoPlaintextSecrets } from "../../policies/cloudrun-no-plaintext-secrets";
import { STAGING_SOURCE } from "../support/staging-fixture";
import { compliantContainer, compliantWorkload, SHAPES, withEnv } from "./fixtures";
import { runResourcePolicy } from "./harness";
import { KEY_MATERIAL_FORMS } from "./key-material-samples";

/** Why a side refused the variable: `name:<word>` or `value:<kind>`; undefined when it accepted it. */
type Verdict = string | undefined;

/** The loader's verdict on one plain variable of an otherwise valid stack. */
function loaderVerdict(name: string, value: string): Verdict {
    try {
        parseStackConfig(
            {
                gcpProject: "netra-staging",
                gcpRegion: "us-central1",
                values: {
                    environment: "staging",
                    domain: "staging.netrasystems.ai",
                    services: { api: { name: "netra-api", image: "gcr.io/p/api:1", port: 8080, env: { [name]: value } } },
                },
            },
            STAGING_SOURCE,
        );
        return undefined;
    } catch (error) {
        expect(error).to.be.instanceOf(StackConfigError);
        const message = (error as StackConfigError).message;
        expect(message).not.to.include(value);
        const byName = /names a secret \(contains ([A-Z]+)\)/.exec(message);
        const byValue = /looks like a key \((.+), value not shown\)/.exec(message);
        if (byName === null && byValue === null) {
            throw new Error(`the loader refused for another reason: ${message}`);
        }
        return byName !== null ? `name:${byName[1]}` : `value:${byValue?.[1]}`;
    }
}

/** The pack's verdict on the same variable, set as a literal on a v2 service. */
async function packVerdict(name: string, value: string): Promise<Verdict> {
    const props = SHAPES[0].build(compliantWorkload({ containers: [withEnv(compliantContainer("api"), { name, value })] }));
    const { violations } = await runResourcePolicy(cloudrunNoPlaintextSecrets, { type: SHAPES[0].type, props });
    expect(violations.length).to.be.at.most(1);
    if (violations.length === 0) {
        return undefined;
    }
    expect(violations[0]).not.to.include(value);
    const byName = /its name marks a secret \(([A-Z]+)\)/.exec(violations[0]);
    const byValue = /looks like key material \((.+)\); store it/.exec(violations[0]);
    return byName !== null ? `name:${byName[1]}` : `value:${byValue?.[1]}`;
}

/** Words a variable name is made of: secret words, run-together credentials, settings, digests, qualifiers. */
const NAME = fc
    .tuple(
        fc.array(fc.constantFrom("DB", "REDIS", "GIT", "GOOGLE", "APP", "SENTRY", "JWT", "STRIPE", "MAIL", "CACHE", "KMS"), {
            maxLength: 2,
        }),
        fc.constantFrom(
            "PASSWORD",
            "PGPASSWORD",
            "ADMINPASSWORD",
            "CREDS",
            "AUTH",
            "KEY",
            "PUBLIC_KEY",
            "API_KEY",
            "TOKEN",
            "SECRET",
            "CREDENTIALS",
            "URL",
            "DSN",
            "HOST",
            "ID",
            "SHA",
            "COMMIT_SHA",
            "RELEASE",
            "TOPIC",
            "KEY_NAME",
            "PASSWORD_MIN_LENGTH",
            "MAX_TOKENS",
            "BYPASS",
            "MATERIAL",
        ),
        fc.constantFrom("", "_STAGING", "_2"),
    )
    .map(([prefix, word, suffix]) => `${[...prefix, word].join("_")}${suffix}`);

const password = (): string => randomBytes(9).toString("base64url");

/** Values of every kind either side judges, each generated afresh. */
const VALUE = fc.constantFrom<() => string>(
    ...KEY_MATERIAL_FORMS.map((form) => form.make),
    () => randomBytes(20).toString("hex"),
    () => password(),
    () => `$${password()}`,
    () => "true",
    () => "changeme",
    () => "/var/secrets/google/key.json",
    () => `/etc/ssl/${randomBytes(16).toString("hex")}`,
    () => "projects/netra-staging/locations/us-central1/keyRings/Ring1/cryptoKeys/Key2",
    () => "projects/netra-staging/topics/AgentEvents2",
    () => "https://api.staging.netrasystems.ai",
    () => "postgres://app:${DB_PASSWORD}@10.0.0.5:5432/app",
    () => `redis://default:$${password()}@10.0.0.7:6379/0`,
    () => `postgres://db.staging.netrasystems.ai/app?sslmode=require&password=${password()}`,
    () => `Server=db;Database=app;User Id=app;Password=${password()};`,
    () => `host=db dbname=app user=app password=${password()}`,
    () => "host=db dbname=app user=app sslmode=require",
    () => generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString(),
    () => "netra-staging:us-central1:staging-shared-postgres",
    () => "HS256",
);

describe("the loader and the pack judge a plain variable alike (rules/plaintext-secret.ts)", () => {
    it("accept and refuse the same variables, for the same reason (property)", async () => {
        await fc.assert(
            fc.asyncProperty(NAME, VALUE, async (name, make) => {
                const value = make();
                const loader = loaderVerdict(name, value);
                const pack = await packVerdict(name, value);
                expect({ name, loader }, `${name}=${value.slice(0, 6)}...`).to.deep.equal({ name, loader: pack });
            }),
            { numRuns: 300 },
        );
    });

    it("agree on the cases they once disagreed on", async () => {
        const npm = KEY_MATERIAL_FORMS.find((form) => form.form === "npm access token")?.make() ?? "";
        const sendgrid = KEY_MATERIAL_FORMS.find((form) => form.form === "SendGrid API key")?.make() ?? "";
        const cases: [string, string, Verdict][] = [
            ["GIT_COMMIT_SHA", randomBytes(20).toString("hex"), undefined],
            ["GOOGLE_APPLICATION_CREDENTIALS", "/var/secrets/google/key.json", undefined],
            ["NPM_REGISTRY", npm, "value:an npm access token"],
            ["MAIL_DELIVERY", sendgrid, "value:a SendGrid API key"],
        ];
        for (const [name, value, verdict] of cases) {
            expect([name, loaderVerdict(name, value), await packVerdict(name, value)]).to.deep.equal([name, verdict, verdict]);
        }
    });
});
