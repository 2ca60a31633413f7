import { expect } from "chai";
import * as fc from "fast-check";
import { isAbsolutePath, keyLikeValue, plaintextSecretToken, secretNameToken } from "../../rules/cloudrun-env";

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
