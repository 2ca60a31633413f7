import { expect } from "chai";
import * as fc from "fast-check";
import { randomBytes } from "node:crypto";
import {
    describeReservedEnvNames,
    describeReservedEnvNamesFor,
    ENV_NAME_PATTERN,
    isAbsolutePath,
    isDigestName,
    isReservedEnvName,
    isReservedEnvNameFor,
    KEY_LIKE_DESCRIPTIONS,
    keyLikeValue,
    nameTokens,
    plaintextSecretToken,
    secretNameToken,
} from "../../rules/cloudrun-env";
import { randomText } from "./key-material-samples";

const PREFIX = fc.array(fc.constantFrom("GOOGLE", "OAUTH", "CLIENT", "JWT", "DB", "STRIPE", "SIGNING", "ID", "SERVICE", "ACCOUNT", "API"), {
    maxLength: 3,
});

describe("the shared secret rules (rules/cloudrun-env.ts)", () => {
    describe("secretNameToken: a secret word marks a secret only in a secret position", () => {
        it("reads the last word, after encodings, slots and environments", () => {
            const cases: [string, string | undefined][] = [
                ["OPENAI_API_KEY", "KEY"],
                ["JWT_SECRET_KEY", "KEY"],
                ["SECRET_KEY_BASE", "KEY"],
                ["OAUTH_HMAC_SECRET", "SECRET"],
                ["GOOGLE_OAUTH_CLIENT_SECRET_STAGING", "SECRET"],
                ["SIGNING_PASSPHRASE", "PASSPHRASE"],
                ["ENCRYPTION_KEY_B64", "KEY"],
                ["API_KEY_2", "KEY"],
                ["dbPassword", "PASSWORD"],
                ["TOKEN", "TOKEN"],
                ["TOKEN_EXPIRY_SECONDS", undefined],
                ["ID_TOKEN_AUDIENCE", undefined],
                ["CRYPTO_KEY_RING", undefined],
                ["SECRET_VOLUME_PATH", undefined],
                ["SIGNING_KEY_VERSION", undefined],
                ["SERVICE_ACCOUNT_KEY_PATH", undefined],
                ["AWS_ACCESS_KEY_ID", undefined],
                ["JWT_PUBLIC_KEY", undefined],
                ["SECURE_HEADERS_ENABLED", undefined],
            ];
            expect(cases.map(([name]) => [name, secretNameToken(name)])).to.deep.equal(cases);
        });

        it("marks any name that ends in a secret word, and none that goes on with a kind word", () => {
            const secretWord = fc.constantFrom("KEY", "SECRET", "TOKEN", "PASSWORD", "PASSPHRASE", "CREDENTIALS");
            const qualifier = fc.array(fc.constantFrom("BASE64", "PRIMARY", "STAGING", "PROD", "1", "V2"), { maxLength: 2 });
            const kind = fc.constantFrom(
                "TTL",
                "URL",
                "PATH",
                "FILE",
                "NAME",
                "ID",
                "VERSION",
                "PROJECT",
                "AUDIENCE",
                "HEADER",
                "EXPIRY",
                "ENABLED",
                "RING",
            );
            fc.assert(
                fc.property(PREFIX, secretWord, qualifier, kind, (prefix, word, qualifiers, kindWord) => {
                    expect(secretNameToken([...prefix, word, ...qualifiers].join("_"))).to.equal(word);
                    expect(secretNameToken([...prefix, word, kindWord, ...qualifiers].join("_"))).to.equal(undefined);
                }),
            );
        });
    });

    describe("plaintextSecretToken: the path of a mounted secret file is not the secret", () => {
        it("exempts an absolute path, and only that", () => {
            expect(plaintextSecretToken("GOOGLE_APPLICATION_CREDENTIALS", "/var/secrets/google/key.json")).to.equal(undefined);
            expect(plaintextSecretToken("GOOGLE_APPLICATION_CREDENTIALS", "var/secrets/key.json")).to.equal("CREDENTIALS");
            expect(plaintextSecretToken("DB_PASSWORD", "hunter2")).to.equal("PASSWORD");
            expect(plaintextSecretToken("DB_PASSWORD", undefined)).to.equal("PASSWORD");
            expect(plaintextSecretToken("DB_HOST", "hunter2")).to.equal(undefined);
        });

        it("does not take a key that starts with a slash for a path", () => {
            const key = `/${"Ab1".repeat(15)}`;
            expect(isAbsolutePath(key)).to.equal(false);
            expect(keyLikeValue(key)).to.equal("base64");
            expect(isAbsolutePath("/cloudsql/netra-staging:us-central1:pg")).to.equal(false);
            expect(isAbsolutePath("/run/secrets/master.key")).to.equal(true);
        });
    });

    describe("keyLikeValue: key material by form", () => {
        it("does not take placeholders in a URL for a password", () => {
            for (const value of [
                "postgres://app:${DB_PASSWORD}@db/app",
                "redis://:$REDIS_PASS@r:6379",
                "amqp://u:<password>@mq/",
                "https://u:%s@h/",
            ]) {
                expect(keyLikeValue(value), value).to.equal(undefined);
            }
        });

        it("takes a hex digest under a digest name for an identifier, and under any other name for a key", () => {
            const sha = "9fceb02d0ae598e95dc970b74767f19372d61af8";
            expect(keyLikeValue(sha, "GIT_COMMIT_SHA")).to.equal(undefined);
            expect(keyLikeValue(sha, "SENTRY_RELEASE")).to.equal(undefined);
            expect(keyLikeValue(sha, "UPSTREAM")).to.equal("hex");
            expect(keyLikeValue(sha)).to.equal("hex");
        });
    });
});

describe("the shared variable rules at their edges (rules/cloudrun-env.ts)", () => {
    const join = (...parts: string[]): string => parts.join("");
    const hex = (digits: number): string => randomBytes(digits).toString("hex").slice(0, digits);
    /** Random letters and digits that surely mix upper case, lower case and digits. */
    const mixed = (length: number): string => `Aa1${randomText(length - 3)}`;

    it("accepts a portable variable name, judged at both ends", () => {
        for (const name of ["ENVIRONMENT", "_PRIVATE", "a1", "X_2_Y"]) {
            expect(ENV_NAME_PATTERN.test(name), name).to.equal(true);
        }
        for (const name of ["", "1ENV", "ENV-NAME", "ENV NAME", " ENV", "ENV ", "ENV.NAME", "ÉTAT", "ENV\n"]) {
            expect(ENV_NAME_PATTERN.test(name), JSON.stringify(name)).to.equal(false);
        }
    });

    it("reserves Cloud Run's own variables and prefixes, exactly, in a single-container service", () => {
        for (const name of [
            "PORT",
            "K_SERVICE",
            "K_REVISION",
            "K_CONFIGURATION",
            "CLOUD_RUN_JOB",
            "CLOUD_RUN_TASK_INDEX",
            "X_GOOGLE_FOO",
        ]) {
            expect(isReservedEnvName(name), name).to.equal(true);
        }
        for (const name of ["PORTS", "K_SERVICE_URL", "MY_CLOUD_RUN_JOB", "X_GOOGLEFOO", "port", "CLOUDRUN_REGION"]) {
            expect(isReservedEnvName(name), name).to.equal(false);
        }
        expect(describeReservedEnvNames()).to.equal("PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*");
    });

    it("reserves PORT in the ingress container and a function, not in a sidecar; the function's own names only in a function", () => {
        expect(["ingress", "other", "function"].map((role) => isReservedEnvNameFor("PORT", role as "ingress"))).to.deep.equal([
            true,
            false,
            true,
        ]);
        expect(["ingress", "other", "function"].map((role) => isReservedEnvNameFor("FUNCTION_TARGET", role as "ingress"))).to.deep.equal([
            false,
            false,
            true,
        ]);
        expect(isReservedEnvNameFor("FUNCTION_SIGNATURE_TYPE", "function")).to.equal(true);
        expect(["ingress", "other", "function"].map((role) => isReservedEnvNameFor("K_REVISION", role as "ingress"))).to.deep.equal([
            true,
            true,
            true,
        ]);
        expect(isReservedEnvNameFor("CLOUD_RUN_EXECUTION", "other")).to.equal(true);
        expect(isReservedEnvNameFor("X_GOOGLE_X", "function")).to.equal(true);
        expect(isReservedEnvNameFor("API_URL", "function")).to.equal(false);
        expect(describeReservedEnvNamesFor("ingress")).to.equal("PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*");
        expect(describeReservedEnvNamesFor("other")).to.equal("K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*");
        expect(describeReservedEnvNamesFor("function")).to.equal(
            "PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, FUNCTION_TARGET, FUNCTION_SIGNATURE_TYPE, CLOUD_RUN_*, X_GOOGLE_*",
        );
    });

    it("splits a name into upper-case words on _, -, . and camelCase", () => {
        expect(nameTokens("dbPassword")).to.deep.equal(["DB", "PASSWORD"]);
        expect(nameTokens("api-key.v2")).to.deep.equal(["API", "KEY", "V2"]);
        expect(nameTokens("__X__Y")).to.deep.equal(["X", "Y"]);
        expect(nameTokens("oauth2Token")).to.deep.equal(["OAUTH2", "TOKEN"]);
        expect(nameTokens("HMACKey")).to.deep.equal(["HMACKEY"]);
        expect(nameTokens("")).to.deep.equal([]);
    });

    it("knows every secret word, and reads numbered slots (2, V2) but not other words after it", () => {
        const cases: [string, string | undefined][] = [
            ["KEY", "KEY"],
            ["STRIPE_APIKEY", "APIKEY"],
            ["APP_SECRET", "SECRET"],
            ["BOT_TOKEN", "TOKEN"],
            ["DB_PASSWD", "PASSWD"],
            ["SMTP_PASS", "PASS"],
            ["REDIS_PWD", "PWD"],
            ["GPG_PASSPHRASE", "PASSPHRASE"],
            ["GCP_CREDENTIAL", "CREDENTIAL"],
            ["GCP_CREDENTIALS", "CREDENTIALS"],
            ["SIGNING_PRIVATE", "PRIVATE"],
            ["WEBHOOK_HMAC", "HMAC"],
            ["TOKEN_V2", "TOKEN"],
            ["TOKEN_2", "TOKEN"],
            ["TOKEN_V", undefined],
            ["TOKEN_2X", undefined],
            ["TOKEN_X2", undefined],
            ["V2", undefined],
            ["STAGING", undefined],
            ["", undefined],
            ["PUBLIC_KEY", undefined],
            ["PUB_KEY", undefined],
            ["STRIPE_PUBLISHABLE_KEY", undefined],
            ["PUBLIC_TOKEN", "TOKEN"],
            ["PUBLIC_KEY_SECRET", "SECRET"],
            ["KEY_PUBLIC", undefined],
        ];
        expect(cases.map(([name]) => [name, secretNameToken(name)])).to.deep.equal(cases);
    });

    it("lets encodings, slots and every environment name or alias follow the secret word", () => {
        const qualifiers = ["BASE", "BASE64", "B64", "HEX", "RAW", "VALUE", "PRIMARY", "SECONDARY", "CURRENT", "PREVIOUS", "OLD", "NEW"];
        const environments = ["DEVELOPMENT", "DEV", "LOCAL", "TEST", "TESTING", "STAGING", "STAGE", "PRODUCTION", "PROD"];
        for (const word of [...qualifiers, ...environments]) {
            expect(secretNameToken(`SIGNING_KEY_${word}`), word).to.equal("KEY");
        }
        expect(secretNameToken("SIGNING_KEY_QA")).to.equal(undefined);
    });

    it("reads a name's last word as a digest or identifier word, and only the last", () => {
        const words = ["SHA", "SHA1", "SHA256", "COMMIT", "REVISION", "REV", "DIGEST", "HASH", "CHECKSUM", "FINGERPRINT", "ETAG"];
        for (const word of [...words, "VERSION", "RELEASE", "BUILD", "ID", "UUID"]) {
            expect(isDigestName(`APP_${word}`), word).to.equal(true);
        }
        expect(isDigestName("gitSha")).to.equal(true);
        expect(isDigestName("SHA_SALT")).to.equal(false);
        expect(isDigestName("")).to.equal(false);
    });

    it("takes an absolute path of plain segments for a path, and nothing else", () => {
        for (const value of ["/", "/var/secrets/", " /var/secrets/sa.json ", "/home/~user/.config/key@2.json"]) {
            expect(isAbsolutePath(value), value).to.equal(true);
        }
        for (const value of ["//host/share", "/var//x", "/var/x y", "/var/é", "var/x", "", "/var/x?y"]) {
            expect(isAbsolutePath(value), value).to.equal(false);
        }
        expect(isAbsolutePath(`/keys/${hex(32)}`)).to.equal(false);
        expect(plaintextSecretToken("SSL_KEY", `/etc/ssl/${hex(32)}`)).to.equal("KEY");
        expect(keyLikeValue(`/etc/ssl/${hex(32)}`)).to.equal(undefined);
    });

    it("takes 32 or more hex digits (with or without 0x) for a key, and no fewer or other characters", () => {
        expect(keyLikeValue(hex(32))).to.equal("hex");
        expect(keyLikeValue(`0x${hex(32)}`)).to.equal("hex");
        expect(keyLikeValue(` ${hex(40)} `)).to.equal("hex");
        expect(keyLikeValue(hex(31))).to.equal(undefined);
        expect(keyLikeValue(`${hex(32)}g`)).to.equal(undefined);
        expect(keyLikeValue(`g${hex(32)}`)).to.equal(undefined);
        expect(keyLikeValue(`0x${hex(31)}`)).to.equal(undefined);
    });

    it("takes 40 or more base64 characters mixing cases and digits, with at most two = of padding, for a key", () => {
        expect(keyLikeValue(mixed(40))).to.equal("base64");
        expect(keyLikeValue(`${mixed(40)}==`)).to.equal("base64");
        expect(keyLikeValue(`${mixed(38)}+/`)).to.equal("base64");
        expect(keyLikeValue(`${mixed(38)}_-`)).to.equal("base64");
        expect(keyLikeValue(mixed(39))).to.equal(undefined);
        expect(keyLikeValue(`${mixed(40)}===`)).to.equal(undefined);
        expect(keyLikeValue(`${mixed(20)} ${mixed(20)}`)).to.equal(undefined);
        expect(keyLikeValue(`=${mixed(40)}`)).to.equal(undefined);
        expect(keyLikeValue(`${"Xy".repeat(20)}`)).to.equal(undefined);
        expect(keyLikeValue(`${"z1".repeat(20)}`)).to.equal(undefined);
        expect(keyLikeValue(`${"Z1".repeat(20)}`)).to.equal(undefined);
    });

    it("takes a PEM private key, key or certificate block for a PEM block, and no other armour", () => {
        const block = (label: string) => `-----BEGIN ${label}-----\n${randomBytes(24).toString("base64")}\n-----END ${label}-----`;
        expect(keyLikeValue(block(["RSA", "PRIVATE", "KEY"].join(" ")))).to.equal("pem");
        expect(keyLikeValue(block("CERTIFICATE"))).to.equal("pem");
        expect(keyLikeValue(block("PUBLIC KEY"))).to.equal("pem");
        expect(keyLikeValue(block("PGP SIGNATURE"))).to.equal(undefined);
        expect(keyLikeValue("-----BEGIN certificate-----")).to.equal(undefined);
    });

    it("takes a JWT alone or after a separator for a JWT, and not one glued to other text", () => {
        const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
        const token = `${part({ alg: "HS256" })}.${part({ sub: "x" })}.${randomBytes(8).toString("base64url")}`;
        expect(keyLikeValue(token)).to.equal("jwt");
        expect(keyLikeValue(`Bearer ${token}`)).to.equal("jwt");
        expect(keyLikeValue(`jwt=${token}`)).to.equal("jwt");
        expect(keyLikeValue(`x${token} y`)).to.equal(undefined);
        expect(keyLikeValue(`${part({ alg: "HS256" })}.`)).to.equal(undefined);
        expect(keyLikeValue("eyJhbGci.eyJz.")).to.equal(undefined);
    });

    it("takes a JWT at the very start of a longer value for a JWT", () => {
        const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
        const token = `${part({ alg: "HS256" })}.${part({ sub: "x" })}.${randomBytes(8).toString("base64url")}`;
        expect(keyLikeValue(`${token} y`)).to.equal("jwt");
    });

    it("takes a whole value of three dot-separated base64url parts after an eyJ header for a JWT, whatever its payload, and only whole", () => {
        const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
        // An encrypted or compressed payload does not start with eyJ; a JWT without signature ends in its dot.
        const payload = join("Zm9v", "YmFy", "YmF6");
        const signature = join("c2ln", "bmF0", "dXJl", "LXNp", "Z24");
        expect(keyLikeValue(`${header}.${payload}.${signature}`)).to.equal("jwt");
        expect(keyLikeValue(`${header}.${payload}.`)).to.equal("jwt");
        expect(keyLikeValue(`${header}.${payload}.${signature} y`)).to.equal(undefined);
        expect(keyLikeValue(`x.${header}.${payload}.${signature}`)).to.equal(undefined);
        // At least 8 characters after eyJ, and in the payload.
        expect(keyLikeValue(`eyJa.${payload}.${signature}`)).to.equal(undefined);
        expect(keyLikeValue(`${header}.a.${signature}`)).to.equal(undefined);
        expect(keyLikeValue(`${header}.${payload.slice(0, 7)}.${signature}`)).to.equal(undefined);
    });

    it("takes a password in any URL's authority for credentials, and not a user, a port or a path", () => {
        expect(keyLikeValue(`postgres://app:${mixed(12)}@10.0.0.5:5432/app`)).to.equal("url-credentials");
        expect(keyLikeValue(`see redis://:${mixed(12)}@r:6379 now`)).to.equal("url-credentials");
        expect(keyLikeValue("postgres://app@db:5432/app")).to.equal(undefined);
        expect(keyLikeValue("https://auth.staging.netrasystems.ai:8443/callback")).to.equal(undefined);
        expect(keyLikeValue("https://h/path:with@sign")).to.equal(undefined);
        expect(keyLikeValue("https://u:p@/x")).to.equal(undefined);
        expect(keyLikeValue("1http://u:pw@h")).to.equal("url-credentials");
        expect(keyLikeValue("amqp://u:*@mq/")).to.equal(undefined);
    });

    it("knows each vendor token by its prefix and length, standing alone", () => {
        const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const google = (length: number) => join("AI", "za", randomText(length, `${alnum}_-`));
        expect(keyLikeValue(`k=${google(35)}`)).to.equal("google-api-key");
        expect(keyLikeValue(`k=${google(34)}`)).to.equal(undefined);
        expect(keyLikeValue(`k=${google(36)}`)).to.equal(undefined);
        expect(keyLikeValue(`kAIza${randomText(35)} x`)).to.equal(undefined);

        expect(keyLikeValue(`k=${join("sk", "_live_", mixed(16))}`)).to.equal("stripe-key");
        expect(keyLikeValue(`k=${join("rk", "_test_", mixed(16))}`)).to.equal("stripe-key");
        expect(keyLikeValue(`k=${join("sk", "_live_", mixed(15))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=${join("pk", "_live_", mixed(24))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=x${join("sk", "_live_", mixed(24))}`)).to.equal(undefined);

        expect(keyLikeValue(`k=${join("gh", "o_", mixed(36))}`)).to.equal("github-token");
        expect(keyLikeValue(`k=${join("gh", "u_", mixed(36))}`)).to.equal("github-token");
        expect(keyLikeValue(`k=${join("gh", "r_", mixed(36))}`)).to.equal("github-token");
        expect(keyLikeValue(`k=${join("gh", "p_", mixed(35))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=${join("gh", "x_", mixed(36))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=${join("github", "_pat_", mixed(60))}`)).to.equal("github-token");
        expect(keyLikeValue(`k=${join("github", "_pat_", mixed(59))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=x${join("gh", "p_", mixed(36))}`)).to.equal(undefined);

        for (const letter of ["a", "b", "p", "o", "s", "r", "e"]) {
            expect(keyLikeValue(`k=${join("xo", "x", letter, "-", randomText(10, "0123456789"))}`), letter).to.equal("slack-token");
        }
        expect(keyLikeValue(`k=${join("xo", "xq-", randomText(10, "0123456789"))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=${join("xo", "xb-", randomText(9, "0123456789"))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=x${join("xo", "xb-", randomText(12, "0123456789"))}`)).to.equal(undefined);

        const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        expect(keyLikeValue(`k=${join("AK", "IA", randomText(16, upper))}`)).to.equal("aws-access-key");
        expect(keyLikeValue(`k=${join("AS", "IA", randomText(16, upper))}`)).to.equal("aws-access-key");
        expect(keyLikeValue(`k=${join("AK", "IA", randomText(15, upper))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=${join("AK", "IA", randomText(17, upper))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=X${join("AK", "IA", randomText(16, upper))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=${join("AK", "IA", randomText(16, "abcdefghijklmnop"))}`)).to.equal(undefined);

        expect(keyLikeValue(`k=${join("sk", "-", mixed(32))}`)).to.equal("openai-key");
        expect(keyLikeValue(`k=${join("sk", "-svcacct-", mixed(32))}`)).to.equal("openai-key");
        expect(keyLikeValue(`k=${join("sk", "-admin-", mixed(32))}`)).to.equal("openai-key");
        expect(keyLikeValue(`k=${join("sk", "-", mixed(31))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=${join("sk", "-ant-", mixed(40))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=${join("sk", "-", randomText(40, "abcdefghij0123456789"))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=${join("sk", "-", randomText(40, "ABCDEFGHIJ0123456789"))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=${join("sk", "-", randomText(40, "ABCDEFGHIJabcdefghij"))}`)).to.equal(undefined);
        expect(keyLikeValue(`k=x${join("sk", "-", mixed(40))}`)).to.equal(undefined);
    });

    it("knows each vendor token at the very start of a value, not only after a separator", () => {
        expect(keyLikeValue(`${join("AI", "za", randomText(35))} x`)).to.equal("google-api-key");
        expect(keyLikeValue(join("sk", "_live_", mixed(16)))).to.equal("stripe-key");
        expect(keyLikeValue(join("gh", "p_", mixed(36)))).to.equal("github-token");
        expect(keyLikeValue(join("github", "_pat_", mixed(60)))).to.equal("github-token");
        expect(keyLikeValue(join("xo", "xb-", randomText(10, "0123456789")))).to.equal("slack-token");
        expect(keyLikeValue(join("AK", "IA", randomText(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")))).to.equal("aws-access-key");
        expect(keyLikeValue(join("sk", "-proj-", mixed(32)))).to.equal("openai-key");
    });

    it("describes every kind in words for messages", () => {
        expect(KEY_LIKE_DESCRIPTIONS).to.deep.equal({
            hex: "a long hex string",
            base64: "a long base64 string",
            pem: "a PEM block",
            jwt: "a JSON Web Token",
            "url-credentials": "a URL with a password",
            "google-api-key": "a Google API key",
            "stripe-key": "a Stripe secret key",
            "github-token": "a GitHub token",
            "slack-token": "a Slack token",
            "aws-access-key": "an AWS access key id",
            "openai-key": "an OpenAI API key",
        });
    });
});
