/**
 * What Cloud Run and Netra allow in a container's environment. Shared by the stack-config
 * loader (rejects bad config before anything is created) and the policy pack (flags the same
 * mistakes in whatever a program declares), so both judge by one definition.
 */
import { ENVIRONMENT_ALIASES } from "../detector/environments";

import { CLOUD_RUN_SERVICE_VARIABLES } from "../detector/cloud-run";

/** Variables Cloud Run sets itself on services (the detector's service markers among them); a deploy that sets them fails. */
export const RESERVED_ENV_NAMES: readonly string[] = ["PORT", ...CLOUD_RUN_SERVICE_VARIABLES];

/** Prefixes Cloud Run reserves: job variables (CLOUD_RUN_JOB, CLOUD_RUN_TASK_INDEX, ...) and Google's own. */
export const RESERVED_ENV_PREFIXES: readonly string[] = ["CLOUD_RUN_", "X_GOOGLE_"];

/** Cloud Run's limit of variables per container. */
export const MAX_ENV_VARS_PER_CONTAINER = 1000;

/** Portable variable names: a letter or underscore, then letters, digits and underscores. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when Cloud Run reserves `name` (exactly, or by prefix) in a single-container service, as the stack file declares them. */
export function isReservedEnvName(name: string): boolean {
    return RESERVED_ENV_NAMES.includes(name) || RESERVED_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** "PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*": for messages. */
export function describeReservedEnvNames(): string {
    return [...RESERVED_ENV_NAMES, ...RESERVED_ENV_PREFIXES.map((prefix) => `${prefix}*`)].join(", ");
}

/** Variables Cloud Run injects into the ingress container only (the one that declares `ports`); sidecars may set them. */
export const INGRESS_ONLY_ENV_NAMES: readonly string[] = ["PORT"];

/** Variables Cloud Functions gen2 set on top of Cloud Run's (the function's entry point and signature). */
export const FUNCTION_RESERVED_ENV_NAMES: readonly string[] = ["FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE"];

/**
 * What a container is to Cloud Run: the ingress container of a service (gets PORT), another
 * container (a sidecar, or any container of a job or worker pool), or a function's container.
 */
export type ContainerRole = "ingress" | "other" | "function";

/** The names reserved in a container of `role`: exact names and prefixes (`CLOUD_RUN_`). */
function reservedNamesFor(role: ContainerRole): readonly string[] {
    const always = RESERVED_ENV_NAMES.filter((name) => !INGRESS_ONLY_ENV_NAMES.includes(name));
    if (role === "other") {
        return always;
    }
    return role === "ingress"
        ? [...INGRESS_ONLY_ENV_NAMES, ...always]
        : [...INGRESS_ONLY_ENV_NAMES, ...always, ...FUNCTION_RESERVED_ENV_NAMES];
}

/** True when Cloud Run reserves `name` in a container of `role`. */
export function isReservedEnvNameFor(name: string, role: ContainerRole): boolean {
    return reservedNamesFor(role).includes(name) || RESERVED_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** The names reserved in a container of `role`, for messages: "PORT, K_SERVICE, ..., CLOUD_RUN_*, X_GOOGLE_*". */
export function describeReservedEnvNamesFor(role: ContainerRole): string {
    return [...reservedNamesFor(role), ...RESERVED_ENV_PREFIXES.map((prefix) => `${prefix}*`)].join(", ");
}

/**
 * Words that mark a variable as holding a secret when they end its name (`*_KEY`, `*_API_KEY`,
 * `*_SECRET`, `*_TOKEN`, `*_PASSWORD`, `*_PASSPHRASE`, `*_CREDENTIALS`, `*_CREDS`, ...) or are the
 * whole name. AUTH is not one: it ends more settings than secrets (`DISABLE_AUTH=0`, `SMTP_AUTH=login`,
 * `GOOGLE_AUTH=enabled`), and a credential under such a name is still judged by its value.
 */
export const SECRET_NAME_TOKENS: readonly string[] = [
    "KEY",
    "APIKEY",
    "SECRET",
    "TOKEN",
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "PASSPHRASE",
    "CREDENTIAL",
    "CREDENTIALS",
    "CREDS",
    "PRIVATE",
    "HMAC",
];

/**
 * Secret words that also mark a secret at the end of a word run together with another
 * (`PGPASSWORD`, libpq's own variable; `ADMINPASSWORD`, `DBCREDS`, `AUTHTOKEN`, `CLIENTSECRET`). The
 * short ones count only as words of their own: `MONKEY`, `BYPASS`, `COMPASS` and `OLDPWD` (the shell's
 * previous directory) end in KEY, PASS and PWD without being secrets.
 */
export const SECRET_NAME_SUFFIXES: readonly string[] = [
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "CREDS",
];

/**
 * Words that may follow the secret word without changing what the variable holds: an encoding
 * (`SECRET_KEY_BASE64`), a slot (`API_KEY_PRIMARY`, `TOKEN_2`) or an environment
 * (`GOOGLE_OAUTH_CLIENT_SECRET_STAGING`). Any other word after it says what kind of setting the
 * variable is (`TOKEN_EXPIRY_SECONDS`, `KEY_RING`, `SECRET_VOLUME_PATH`, `SIGNING_KEY_VERSION`), so
 * the name no longer marks a secret.
 */
export const SECRET_NAME_QUALIFIERS: readonly string[] = [
    "BASE",
    "BASE64",
    "B64",
    "HEX",
    "RAW",
    "VALUE",
    "PRIMARY",
    "SECONDARY",
    "CURRENT",
    "PREVIOUS",
    "OLD",
    "NEW",
    // Every environment name and alias, as detector/environments.ts (their one owner) spells them.
    ...Object.keys(ENVIRONMENT_ALIASES).map((alias) => alias.toUpperCase()),
];

/** Words that, right before KEY, say the key is meant to be published (`JWT_PUBLIC_KEY`, `STRIPE_PUBLISHABLE_KEY`). */
const PUBLIC_KEY_WORDS: readonly string[] = ["PUBLIC", "PUBLISHABLE", "PUB"];

/** A name's words: split on `_`, `-`, `.` and camelCase boundaries, upper-cased. */
export function nameTokens(name: string): string[] {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toUpperCase()
        .split(/[^A-Z0-9]/)
        .filter((token) => token !== "");
}

/**
 * The secret word of `name` when it stands in a secret position (the whole name, or its last word
 * after any qualifiers, or the end of that word for the words of SECRET_NAME_SUFFIXES), or undefined.
 * `SECURE_HEADERS_ENABLED`, `TOKEN_EXPIRY_SECONDS`, `PASSWORD_MIN_LENGTH` and `SERVICE_ACCOUNT_KEY_PATH`
 * are not secrets by name; `OPENAI_API_KEY`, `SECRET_KEY_BASE`, `PGPASSWORD` and
 * `GOOGLE_OAUTH_CLIENT_SECRET_STAGING` are.
 */
export function secretNameToken(name: string): string | undefined {
    const tokens = nameTokens(name);
    let end = tokens.length;
    while (end > 1 && (SECRET_NAME_QUALIFIERS.includes(tokens[end - 1]) || /^V?[0-9]+$/.test(tokens[end - 1]))) {
        end -= 1;
    }
    const last = tokens[end - 1];
    if (last === undefined) {
        return undefined;
    }
    if (!SECRET_NAME_TOKENS.includes(last)) {
        return SECRET_NAME_SUFFIXES.find((word) => last.endsWith(word));
    }
    if (last === "KEY" && end >= 2 && PUBLIC_KEY_WORDS.includes(tokens[end - 2])) {
        return undefined;
    }
    return last;
}

/**
 * Last words of names whose hex value is a digest or an identifier, not a key: a commit
 * (`GIT_COMMIT_SHA`, `SOURCE_VERSION`), a release (`SENTRY_RELEASE`), an image digest, a checksum.
 */
export const DIGEST_NAME_WORDS: readonly string[] = [
    "SHA",
    "SHA1",
    "SHA256",
    "COMMIT",
    "REVISION",
    "REV",
    "DIGEST",
    "HASH",
    "CHECKSUM",
    "FINGERPRINT",
    "ETAG",
    "VERSION",
    "RELEASE",
    "BUILD",
    "ID",
    "UUID",
];

/** True when `name`'s last word says its value is a digest or an identifier (`GIT_SHA`, `BUILD_ID`). */
export function isDigestName(name: string): boolean {
    const last = nameTokens(name).pop();
    return last !== undefined && DIGEST_NAME_WORDS.includes(last);
}

/** The spellings of a switch: what `REQUIRE_TOKEN`, `ROTATE_SECRET` or `CHECK_PASSWORD` holds when it is a setting. */
const FLAG_VALUE = /^(?:true|false|yes|no|on|off|enabled|disabled|0|1)$/i;

/**
 * A value that cannot hold a secret whatever its name: the absolute path of a mounted secret file
 * (`GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json` is how Google mounts a key), a flag
 * (FLAG_VALUE), or a Google resource name (`KMS_KEY=projects/p/locations/l/keyRings/r/cryptoKeys/k`
 * names a key, it does not hold one).
 */
function holdsNoSecret(value: string): boolean {
    return isAbsolutePath(value) || FLAG_VALUE.test(value.trim()) || isResourceName(value);
}

/**
 * The secret word that makes a plain `name=value` setting a plaintext secret, or undefined: the name
 * marks a secret and the value is not one that cannot hold a secret (a mounted file's absolute path,
 * a flag). The name part of the rule in rules/plaintext-secret.ts, which the stack-config loader and
 * the policy pack share.
 */
export function plaintextSecretToken(name: string, value: string | undefined): string | undefined {
    const token = secretNameToken(name);
    return token !== undefined && (value === undefined || !holdsNoSecret(value)) ? token : undefined;
}

/** Kinds of literal value that look like key material. */
export type KeyLikeKind =
    | "hex"
    | "base64"
    | "pem"
    | "jwt"
    | "url-credentials"
    | "key-value-credential"
    | "authorization"
    | "google-api-key"
    | "stripe-key"
    | "github-token"
    | "slack-token"
    | "aws-access-key"
    | "openai-key";

const HEX_KEY = /^(?:0x)?[0-9a-fA-F]{32,}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{40,}={0,2}$/;
/**
 * A PEM block that holds a private key, plain or encrypted (`PRIVATE KEY`, `RSA PRIVATE KEY`,
 * `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE KEY`, `PGP PRIVATE KEY BLOCK`). A public key and a
 * certificate are published by design (`JWT_PUBLIC_KEY` is exempt by name for that reason).
 */
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*(?:PRIVATE|ENCRYPTED)(?: [A-Z0-9]+)*-----/;
/** A JWT anywhere in the value: `eyJ` + base64url header, payload, signature (also after `Bearer `). */
const JWT = /(?:^|[^A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;
const JWT_WHOLE = /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/;
/**
 * `scheme://user:password@host`: the password (group 1) in the authority of any URL (postgres,
 * redis, https, amqp, ...). Matched from `://`, whatever the scheme, so a long value is read once
 * (a scheme matched from every letter made a 32 KiB value cost over a second).
 */
const URL_CREDENTIALS = /:\/\/[^\s/?#@:]*:([^\s/?#@]+)@[^\s/?#]/g;
/**
 * `key=value` settings inside a value: a query string (`?sslmode=require&password=...`, JDBC's
 * `&password=` and `;password=`), a semicolon-separated connection string (ADO.NET
 * `Server=...;Password=...;`), libpq's space-separated keywords (`host=... password=...`) and
 * command-line options (`-Dapp.db.password=...`). The key (group 1) is a whole word; the value
 * (group 2) is quoted, a `{{ template }}`, or runs to the next separator (space, `;`, `&`, `,` or `#`).
 */
const KEY_VALUE_SETTING = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]+)[ \t]*=[ \t]*('(?:[^'\\]|\\.)*'|"[^"]*"|\$?\{\{[^{}]*\}\}|[^\s;&,#'"]*)/g;
/**
 * A slot that a template fills, written in place of a credential: `${NAME}` (shell, envsubst, Docker
 * Compose), `${{ name }}` and `{{ name }}` (CI and Helm, Jinja, Go templates), `{name}` and
 * `%(name)s` or `%s` (format strings), `<password>` (documentation), and a mask of asterisks. Cloud
 * Run expands none of them (the API's `value`: "Variable references are not supported in Cloud
 * Run"), so the program receives them as written, and no one writes a real password in these
 * shapes. A bare `$NAME` is not one of them: generated passwords start with `$` as well (`$abc...`),
 * and nothing would replace it, so it is read as the literal it is.
 */
const PLACEHOLDER =
    /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$?\{\{\s*[A-Za-z_][A-Za-z0-9_.]*\s*\}\}|\{[A-Za-z_][A-Za-z0-9_]*\}|%s|%\([A-Za-z_][A-Za-z0-9_]*\)s|<[A-Za-z][A-Za-z0-9 _-]*>|\*+)$/;
/** Well-known token formats, by prefix and length (the vendors' published shapes). */
const TOKEN_FORMATS: readonly (readonly [KeyLikeKind, RegExp])[] = [
    // Google API key: "AIza" + 35 characters.
    ["google-api-key", /(?:^|[^A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/],
    // Stripe secret and restricted keys, live or test.
    ["stripe-key", /(?:^|[^A-Za-z0-9])(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}/],
    // GitHub personal, OAuth, user-to-server, server-to-server, refresh and fine-grained tokens.
    ["github-token", /(?:^|[^A-Za-z0-9])(?:gh[pousr]_[0-9A-Za-z]{36,}|github_pat_[0-9A-Za-z_]{60,})/],
    // Slack bot, user, app, refresh and config tokens.
    ["slack-token", /(?:^|[^A-Za-z0-9])xox[abposre]-[0-9A-Za-z-]{10,}/],
    // AWS access key id (the secret's companion, never plain config either).
    ["aws-access-key", /(?:^|[^A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Z])/],
    // OpenAI keys: sk- (or sk-proj-, sk-svcacct-, sk-admin-) then 32+ characters mixing cases and digits (not Anthropic's sk-ant-).
    [
        "openai-key",
        /(?:^|[^A-Za-z0-9])sk-(?!ant-)(?:proj-|svcacct-|admin-)?(?=[0-9A-Za-z_-]*[A-Z])(?=[0-9A-Za-z_-]*[a-z])(?=[0-9A-Za-z_-]*[0-9])[0-9A-Za-z_-]{32,}/,
    ],
];

/** A path segment: what file and directory names are made of. */
const PATH_SEGMENT = /^[A-Za-z0-9._@~-]+$/;

/**
 * True for an absolute file path (`/var/secrets/sa.json`, `/cloudsql/...`): a place where a secret
 * is mounted, not the secret. A segment that itself looks like a key still counts as key material.
 */
export function isAbsolutePath(value: string): boolean {
    const text = value.trim();
    if (!text.startsWith("/")) {
        return false;
    }
    const segments = text.slice(1).split("/");
    if (segments[segments.length - 1] === "") {
        segments.pop();
    }
    return segments.every((segment) => PATH_SEGMENT.test(segment) && keyLikeToken(segment) === undefined);
}

/** A collection id of a Google resource name: a lower camelCase plural (`projects`, `keyRings`, `cryptoKeyVersions`). */
const COLLECTION_ID = /^[a-z]+(?:[A-Z][a-z]*)*s$/;

/**
 * True for a Google resource name (AIP-122): two or more pairs of a collection id and a resource id,
 * `projects/netra-staging/locations/us-central1/keyRings/Ring1/cryptoKeys/Key2`,
 * `projects/p/topics/AgentEvents2`. It names a resource, not a secret, though its characters are
 * base64's. A resource id that itself looks like a key makes the value no resource name.
 */
export function isResourceName(value: string): boolean {
    const segments = value.trim().split("/");
    return (
        segments.length >= 4 &&
        segments.length % 2 === 0 &&
        segments.every((segment, index) =>
            index % 2 === 0 ? COLLECTION_ID.test(segment) : PATH_SEGMENT.test(segment) && keyLikeToken(segment) === undefined,
        )
    );
}

/** A single run of characters that is a hex or base64 key by itself. */
function keyLikeToken(text: string): "hex" | "base64" | undefined {
    if (HEX_KEY.test(text)) {
        return "hex";
    }
    if (BASE64_KEY.test(text) && /[a-z]/.test(text) && /[A-Z]/.test(text) && /[0-9]/.test(text) && !readsAsWords(text)) {
        return "base64";
    }
    return undefined;
}

/**
 * True when `text` is a name of camelCase words: no `/` or `+` (a path's or standard base64's, never a name's),
 * and most of it runs of three or more lower-case letters (`NetraAuthServiceOauthHmacSecretStaging2024`, 74 %).
 * In 300,000 random base64url strings of 40 to 130 characters no such runs covered more than 59 %.
 */
function readsAsWords(text: string): boolean {
    if (/[/+]/.test(text)) {
        return false;
    }
    let covered = 0;
    for (const run of text.matchAll(/[a-z]{3,}/g)) {
        covered += run[0].length;
    }
    return covered >= 0.65 * text.length;
}

/** True when `slot` (a URL's password, a setting's value) holds a literal, not nothing or a placeholder. */
function isLiteral(slot: string): boolean {
    return slot !== "" && !PLACEHOLDER.test(slot);
}

/** True when a URL in `text` carries a literal password. */
function hasUrlPassword(text: string): boolean {
    return [...text.matchAll(URL_CREDENTIALS)].some((match) => isLiteral(match[1]));
}

/**
 * True when `text` sets a credential as `key=value`: a key that the variable-name rule takes for a
 * secret (`password`, `Pwd`, `sslpassword`, `api_key`, `access_token`, `-Dapp.db.password`) given a
 * literal that could hold one (not a placeholder, a mounted file's path or a flag).
 */
function hasKeyValueCredential(text: string): boolean {
    const settings = [...text.matchAll(KEY_VALUE_SETTING)].map((match): [string, string] => [
        match[1],
        /^(['"]).*\1$/s.test(match[2]) ? match[2].slice(1, -1) : match[2],
    ]);
    const pairs = [...text.matchAll(JSON_PAIR)].map((match): [string, string] => [match[1], match[2]]);
    return [...settings, ...pairs].some(([key, value]) => isLiteral(value) && plaintextSecretToken(key, value) !== undefined);
}

/**
 * A JSON (or flow YAML) member with a text value, `"spring.datasource.password": "..."`: the same settings written as
 * a document inside the value (`SPRING_APPLICATION_JSON`, a client's JSON config). Key (group 1) and value (group 2)
 * as written, escapes and all: a key's words and a value's literalness read the same either way.
 */
const JSON_PAIR = /"((?:[^"\\]|\\.)*)"[ \t]*:[ \t]*"((?:[^"\\]|\\.)*)"/g;

/**
 * A whole value that is an HTTP Authorization header's credentials, `Bearer <token>`, `Basic <user:password in
 * base64>`, `Token <...>`: whatever the token's form, a header that authenticates is a secret.
 */
const AUTHORIZATION = /^(?:Bearer|Basic|Token|Digest)[ \t]+(\S{8,})$/i;

/**
 * Classifies a literal value that looks like key material: a PEM private key, a URL with a password,
 * a credential set as `key=value` inside the value (a query string, a connection string, a JSON member), a JWT
 * (alone or in a header such as `Bearer eyJ...`), an Authorization header's credentials, a well-known token format (Google API key, Stripe, GitHub,
 * Slack, AWS, OpenAI), 32+ hex digits (128 bits or more), or 40+ base64 characters mixing cases and
 * digits. Ordinary config (URLs without passwords, numbers, hostnames, instance connection names,
 * absolute file paths, Google resource names, public keys and certificates, and hex digests under a
 * name such as `GIT_SHA`) is not key-like.
 */
export function keyLikeValue(value: string, name?: string): KeyLikeKind | undefined {
    const text = value.trim();
    if (PEM_PRIVATE_KEY.test(text)) {
        return "pem";
    }
    if (hasUrlPassword(text)) {
        return "url-credentials";
    }
    if (hasKeyValueCredential(text)) {
        return "key-value-credential";
    }
    if (JWT_WHOLE.test(text) || JWT.test(text)) {
        return "jwt";
    }
    const authorization = AUTHORIZATION.exec(text);
    if (authorization !== null && isLiteral(authorization[1])) {
        return "authorization";
    }
    for (const [kind, pattern] of TOKEN_FORMATS) {
        if (pattern.test(text)) {
            return kind;
        }
    }
    if (isAbsolutePath(text) || isResourceName(text)) {
        return undefined;
    }
    const token = keyLikeToken(text);
    // A commit SHA or digest under a name that says so is an identifier (hex only: a base64 run is never a digest name's value).
    return token === "hex" && name !== undefined && isDigestName(name) ? undefined : token;
}

/** Human words for each kind, for messages. */
export const KEY_LIKE_DESCRIPTIONS: Readonly<Record<KeyLikeKind, string>> = {
    hex: "a long hex string",
    base64: "a long base64 string",
    pem: "a PEM private key",
    jwt: "a JSON Web Token",
    "url-credentials": "a URL with a password",
    "key-value-credential": "a credential in a key=value setting",
    authorization: "an HTTP Authorization credential",
    "google-api-key": "a Google API key",
    "stripe-key": "a Stripe secret key",
    "github-token": "a GitHub token",
    "slack-token": "a Slack token",
    "aws-access-key": "an AWS access key id",
    "openai-key": "an OpenAI API key",
};
