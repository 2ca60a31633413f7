import { expect } from "chai";
import * as fc from "fast-check";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import {
    describeReservedEnvNames,
    describeReservedEnvNamesFor,
    ENV_NAME_PATTERN,
    isAbsolutePath,
    isDigestName,
    isReservedEnvName,
    isReservedEnvNameFor,
    isResourceName,
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

        it("reads a long secret word run together with another (PGPASSWORD), and a short one only as a word of its own", () => {
            const cases: [string, string | undefined][] = [
                ["PGPASSWORD", "PASSWORD"],
                ["ADMINPASSWORD", "PASSWORD"],
                ["adminpassword", "PASSWORD"],
                ["PGPASSWORD_STAGING", "PASSWORD"],
                ["MYSQLPASSWD", "PASSWD"],
                ["GPGPASSPHRASE", "PASSPHRASE"],
                ["CLIENTSECRET", "SECRET"],
                ["AUTHTOKEN", "TOKEN"],
                ["OPENAIAPIKEY", "APIKEY"],
                ["DBCREDENTIALS", "CREDENTIALS"],
                ["DB_CREDS", "CREDS"],
                ["dbCreds", "CREDS"],
                ["DBCREDS", "CREDS"],
                // Run together, the short words end ordinary words: a monkey, a bypass, the shell's previous directory, OAuth.
                ["MONKEY", undefined],
                ["HOTKEY_ENABLED", undefined],
                ["BYPASS", undefined],
                ["BYPASS_CACHE", undefined],
                ["COMPASS", undefined],
                ["OLDPWD", undefined],
                ["OAUTH", undefined],
                ["NEXTAUTH_URL", undefined],
                // Settings named after a secret, as the staging reference and the README name them.
                ["PASSWORD_MIN_LENGTH", undefined],
                ["PASSWORD_RESET_URL", undefined],
                ["OAUTH_TOKEN_URL", undefined],
                ["GOOGLE_CLIENT_ID", undefined],
                ["AUTH_SERVICE_ENABLED", undefined],
                ["AUTH_MODE", undefined],
                // AUTH ends more settings than secrets: a switch, a mechanism, a provider.
                ["DISABLE_AUTH", undefined],
                ["SMTP_AUTH", undefined],
                ["GOOGLE_AUTH", undefined],
                ["REDISCLI_AUTH", undefined],
                ["MAX_TOKENS", undefined],
                ["OPENAI_MAX_TOKENS", undefined],
                ["TOKENIZER_PATH", undefined],
                ["KEYSPACE", undefined],
            ];
            expect(cases.map(([name]) => [name, secretNameToken(name)])).to.deep.equal(cases);
        });

        it("marks any word that ends in a long secret word, and no word that ends in a short one", () => {
            const head = fc.stringMatching(/^[A-Z]{1,8}$/);
            fc.assert(
                fc.property(
                    PREFIX,
                    head,
                    fc.constantFrom("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "CREDS"),
                    (prefix, word, secret) => {
                        expect(secretNameToken([...prefix, `${word}${secret}`].join("_"))).to.equal(secret);
                    },
                ),
            );
            fc.assert(
                fc.property(PREFIX, head, fc.constantFrom("KEY", "PASS", "PWD", "PRIVATE", "HMAC"), (prefix, word, short) => {
                    // APIKEY is a secret word of its own (STRIPE_APIKEY, OPENAIAPIKEY).
                    fc.pre(!`${word}${short}`.endsWith("APIKEY"));
                    expect(secretNameToken([...prefix, `${word}${short}`].join("_"))).to.equal(undefined);
                }),
            );
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

        it("exempts a switch's spellings (true, yes, on, enabled, 1 and their opposites, any case), and nothing else that short", () => {
            const switches = ["true", " False ", "TRUE", "yes", "No", "on", "OFF", "enabled", "Disabled", "0", "1"];
            expect(switches.map((value) => plaintextSecretToken("REQUIRE_TOKEN", value))).to.deep.equal(Array(11).fill(undefined));
            expect(plaintextSecretToken("REQUIRE_TOKEN", "truex")).to.equal("TOKEN");
            expect(plaintextSecretToken("REQUIRE_TOKEN", "2")).to.equal("TOKEN");
            expect(plaintextSecretToken("DB_PASSWORD", randomBytes(9).toString("base64url"))).to.equal("PASSWORD");
        });

        it("exempts a Google resource name under a key's name: it names a key, it does not hold one", () => {
            expect(plaintextSecretToken("KMS_KEY", "projects/netra-staging/locations/global/keyRings/app/cryptoKeys/session")).to.equal(
                undefined,
            );
            expect(plaintextSecretToken("KMS_KEY", "projects/netra-staging")).to.equal("KEY");
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
        it("does not take a template's placeholder in a URL for a password", () => {
            for (const value of [
                "postgres://app:${DB_PASSWORD}@db/app",
                "postgres://app:${{ secrets.DB_PASSWORD }}@db/app",
                "postgres://app:{{ db_password }}@db/app",
                "postgres://app:{password}@db/app",
                "amqp://u:<password>@mq/",
                "amqp://u:<your password>@mq/",
                "https://u:%s@h/",
                "https://u:%(password)s@h/",
                "amqp://u:****@mq/",
            ]) {
                expect(keyLikeValue(value), value).to.equal(undefined);
            }
        });

        it("takes a password that starts with $ for a password: Cloud Run expands no variable in a value", () => {
            // The API's `value`: "Variable references are not supported in Cloud Run"; the program gets `$...` as written.
            const password = `$${randomBytes(9).toString("base64url")}`;
            expect(keyLikeValue(`redis://default:${password}@10.0.0.7:6379/0`)).to.equal("url-credentials");
            expect(keyLikeValue("redis://:$REDIS_PASS@r:6379")).to.equal("url-credentials");
            expect(keyLikeValue("postgres://app:pre${DB_PASSWORD}@db/app")).to.equal("url-credentials");
            expect(keyLikeValue(`postgres://app:%40${randomBytes(9).toString("base64url")}@db/app`)).to.equal("url-credentials");
        });

        it("takes any URL with a literal password for credentials, after one with a placeholder too", () => {
            const password = randomBytes(9).toString("base64url");
            expect(keyLikeValue("postgres://app:${DB_PASSWORD}@db/app " + `redis://:${password}@r:6379`)).to.equal("url-credentials");
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

    it("takes a PEM block of a private key, plain or encrypted, for a private key, and no public armour", () => {
        const block = (...words: string[]) => {
            const label = words.join(" ");
            return `-----BEGIN ${label}-----\n${randomBytes(24).toString("base64")}\n-----END ${label}-----`;
        };
        for (const words of [
            ["PRIVATE", "KEY"],
            ["RSA", "PRIVATE", "KEY"],
            ["EC", "PRIVATE", "KEY"],
            ["ENCRYPTED", "PRIVATE", "KEY"],
            ["OPENSSH", "PRIVATE", "KEY"],
            ["PGP", "PRIVATE", "KEY", "BLOCK"],
            ["SSH2", "ENCRYPTED", "PRIVATE", "KEY"],
        ]) {
            expect(keyLikeValue(block(...words)), words.join(" ")).to.equal("pem");
        }
        // Certificates and public keys are published by design (a name such as JWT_PUBLIC_KEY is exempt for that reason);
        // until this rule said so, a certificate was reported as a PEM block.
        for (const words of [
            ["PUBLIC", "KEY"],
            ["RSA", "PUBLIC", "KEY"],
            ["CERTIFICATE"],
            ["CERTIFICATE", "REQUEST"],
            ["X509", "CRL"],
            ["PGP", "PUBLIC", "KEY", "BLOCK"],
            ["PGP", "SIGNATURE"],
        ]) {
            expect(keyLikeValue(block(...words)), words.join(" ")).to.equal(undefined);
        }
        expect(keyLikeValue(`-----BEGIN ${["private", "key"].join(" ")}-----`)).to.equal(undefined);
    });

    it("takes a key pair's private half for a private key, encrypted or not, and its public half for nothing, on one line too", () => {
        const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
        const pub = publicKey.export({ type: "spki", format: "pem" }).toString();
        const plain = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
        const encrypted = privateKey
            .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: randomBytes(12).toString("hex") })
            .toString();
        expect(keyLikeValue(pub)).to.equal(undefined);
        expect(keyLikeValue(pub.replace(/\n/g, "\\n"))).to.equal(undefined);
        expect(keyLikeValue(plain)).to.equal("pem");
        expect(keyLikeValue(plain.replace(/\n/g, "\\n"))).to.equal("pem");
        expect(keyLikeValue(encrypted)).to.equal("pem");
    });

    it("does not take a Google resource name for base64, unless one of its ids is a key itself", () => {
        for (const value of [
            "projects/netra-staging/locations/us-central1/keyRings/Ring1/cryptoKeys/Key2",
            "projects/netra-staging/locations/us-central1/keyRings/Ring1/cryptoKeys/Key2/cryptoKeyVersions/7",
            "projects/netra-staging/topics/AgentEvents2",
            "projects/netra-staging/secrets/JwtSigningKey2/versions/3",
        ]) {
            expect(keyLikeValue(value), value).to.equal(undefined);
        }
        expect(keyLikeValue(`projects/netra-staging/topics/${mixed(40)}`)).to.equal("base64");
        // Not pairs of a lower camelCase plural collection and an id: base64 as before.
        expect(isResourceName("Projects/netra-staging/topics/AgentEvents2")).to.equal(false);
        expect(isResourceName("project/netra-staging/topics/AgentEvents2")).to.equal(false);
        expect(isResourceName("projects/netra-staging/topics")).to.equal(false);
        expect(isResourceName("projects/netra-staging")).to.equal(false);
        expect(isResourceName("projects//topics/AgentEvents2")).to.equal(false);
        expect(isResourceName("projects/netra staging/topics/AgentEvents2")).to.equal(false);
        expect(isResourceName("key2Rings/r/topics/t")).to.equal(false);
        expect(isResourceName(" projects/netra-staging/topics/AgentEvents2 ")).to.equal(true);
    });

    it("reads no resource name built of collections and short ids as a key (property)", () => {
        const collection = fc
            .tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.array(fc.stringMatching(/^[A-Z][a-z]{0,6}$/), { maxLength: 2 }))
            .map(([first, rest]) => `${first}${rest.join("")}s`);
        const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,38}$/);
        fc.assert(
            fc.property(fc.array(fc.tuple(collection, id), { minLength: 2, maxLength: 5 }), (pairs) => {
                const name = pairs.flat().join("/");
                expect(keyLikeValue(name), name).to.equal(undefined);
            }),
        );
    });

    it("still takes any base64 key of 40 characters or more for a key, standard or url-safe, alone or as a resource's id (property)", () => {
        fc.assert(
            fc.property(fc.integer({ min: 28, max: 96 }), fc.constantFrom<BufferEncoding>("base64", "base64url"), (bytes, encoding) => {
                // "Ab1" makes sure the key mixes cases and digits; the rest is random. Every vendor prefix the rule knows
                // starts after a separator with a lower-case letter (`-ghp_`, `_xoxb-`, `-sk-`): such a pair becomes "A", so
                // that a random run never spells a GitHub or Slack token by chance (about once in 100,000 ids) and is
                // reported as that vendor's, which is also a key. `-` and `_` before anything else stay.
                const random = (size: number, as: BufferEncoding) =>
                    randomBytes(size)
                        .toString(as)
                        .replace(/[-_](?=[a-z])/g, "A");
                const key = `Ab1${random(bytes, encoding)}`;
                expect(keyLikeValue(key)).to.equal("base64");
                const id = `Ab1${random(bytes, "base64url")}`;
                expect(keyLikeValue(`projects/netra-staging/secrets/${id}`)).to.equal("base64");
            }),
            { numRuns: 300 },
        );
    });

    it("takes a credential set as key=value in a query string, a connection string or libpq's keywords", () => {
        const password = () => randomBytes(9).toString("base64url");
        for (const value of [
            `postgres://db.staging.netrasystems.ai/app?sslmode=require&password=${password()}`,
            `jdbc:postgresql://db.staging.netrasystems.ai:5432/app?user=app&password=${password()}`,
            `jdbc:sqlserver://db.staging.netrasystems.ai:1433;databaseName=app;user=app;password=${password()};`,
            `Server=db.staging.netrasystems.ai;Database=app;User Id=app;Password=${password()};`,
            `Server=db;Database=app;Uid=app;Pwd=${password()}`,
            `Server=db; Password = ${password()} ;`,
            `host=db.staging.netrasystems.ai dbname=app user=app password=${password()}`,
            `host=db password='${password()} ${password()}'`,
            `host=db sslpassword=${password()}`,
            `-Dapp.db.password=${password()} -Xmx512m`,
            `https://api.example.com/v1?api_key=${password()}`,
            `wss://realtime.example.com/socket?access_token=${password()}`,
            `amqp://broker.staging.netrasystems.ai/app?auth_token=${password()}`,
            `{"spring.datasource.password": "${password()}"}`,
            `{"db": {"user": "app", "api_key":"${password()}"}}`,
            `password=$${password()}`,
        ]) {
            expect(keyLikeValue(value), value.replace(/=.*/, "=...")).to.equal("key-value-credential");
        }
    });

    it("does not take a placeholder, an empty value, a flag, a file or a setting named like a secret for a key=value credential", () => {
        for (const value of [
            "postgres://db/app?sslmode=require&password=${DB_PASSWORD}",
            "Server=db;User Id=app;Password=<password>;",
            "host=db user=app password=%s",
            "host=db user=app password=%(password)s",
            "host=db user=app password={{ db_password }}",
            "host=db user=app password=",
            "host=db user=app password='' port=5432",
            "Server=db;Password=;",
            "Server=db;Password=****;",
            "mongodb://db/app?authSource=admin&authMechanism=SCRAM-SHA-256",
            "https://idp.example.com/authorize?response_type=code&token_ttl=300&client_id=web",
            "service.name=api,deployment.environment=staging",
            "auth=true,sso=false",
            "host=db sslmode=verify-full sslkey=/etc/ssl/client.key",
            "https://verify.example.com/?public_key=AgentEvents2",
            "password_min_length=12",
        ]) {
            expect(keyLikeValue(value), value).to.equal(undefined);
        }
    });

    it("takes any secret-named key given a literal, in each key=value form, and no setting's key (property)", () => {
        const secretKey = fc.constantFrom(
            "password",
            "Password",
            "PWD",
            "passwd",
            "sslpassword",
            "api_key",
            "apiKey",
            "access_token",
            "client_secret",
        );
        const settingKey = fc.constantFrom(
            "user",
            "host",
            "dbname",
            "sslmode",
            "authSource",
            "token_ttl",
            "client_id",
            "password_min_length",
        );
        const form = fc.constantFrom(
            (key: string, value: string) => `postgres://db.internal:5432/app?sslmode=require&${key}=${value}`,
            (key: string, value: string) => `Server=db.internal;Database=app;${key}=${value};`,
            (key: string, value: string) => `host=db.internal dbname=app ${key}=${value}`,
        );
        fc.assert(
            fc.property(secretKey, settingKey, form, fc.integer({ min: 6, max: 24 }), (secret, setting, write, bytes) => {
                // A human-length password: too short for any form of its own, so only the key can tell.
                const value = randomBytes(bytes).toString("base64url").slice(0, 16);
                expect(keyLikeValue(write(secret, value)), secret).to.equal("key-value-credential");
                expect(keyLikeValue(write(setting, value)), setting).to.equal(undefined);
            }),
            { numRuns: 300 },
        );
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
            pem: "a PEM private key",
            jwt: "a JSON Web Token",
            "url-credentials": "a URL with a password",
            authorization: "an HTTP Authorization credential",
            "key-value-credential": "a credential in a key=value setting",
            "google-api-key": "a Google API key",
            "stripe-key": "a Stripe secret key",
            "github-token": "a GitHub token",
            "slack-token": "a Slack token",
            "aws-access-key": "an AWS access key id",
            "openai-key": "an OpenAI API key",
        });
    });
});
