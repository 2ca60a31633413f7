/**
 * Key material of every form the pack claims to catch, generated at run time from crypto.randomBytes:
 * no key-shaped literal is ever committed (secretlint scans the repository), and prefixes are
 * assembled from parts so the source holds no token shape either.
 */
import { randomBytes } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `length` random characters of `alphabet` (default: letters and digits). */
export function randomText(length: number, alphabet = ALPHANUMERIC): string {
    return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

/** Random letters and digits that surely mix upper case, lower case and digits. */
function mixed(length: number): string {
    return `Aa1${randomText(length - 3)}`;
}

const join = (...parts: string[]): string => parts.join("");

function jwt(): string {
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
    return `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: randomBytes(8).toString("hex"), iat: 1700000000 })}.${randomBytes(32).toString("base64url")}`;
}

function pem(): string {
    const label = ["PRIVATE", "KEY"].join(" ");
    return `-----BEGIN ${label}-----\n${randomBytes(48).toString("base64")}\n-----END ${label}-----`;
}

/** One claimed form: the words the pack's message uses for it, and a generator. */
export interface KeyMaterialForm {
    /** A short label for test titles. */
    readonly form: string;
    /** The kind as the message names it. */
    readonly kind: string;
    readonly make: () => string;
}

/** Every form, each with the kind the pack reports. */
export const KEY_MATERIAL_FORMS: readonly KeyMaterialForm[] = [
    { form: "hex key", kind: "a long hex string", make: () => randomBytes(32).toString("hex") },
    { form: "base64 key", kind: "a long base64 string", make: () => `Ab1${randomBytes(45).toString("base64")}` },
    { form: "PEM private key", kind: "a PEM private key", make: pem },
    { form: "JWT", kind: "a JSON Web Token", make: jwt },
    { form: "JWT in a Bearer header", kind: "a JSON Web Token", make: () => `Bearer ${jwt()}` },
    { form: "postgres URL with password", kind: "a URL with a password", make: () => `postgres://app:${mixed(20)}@10.0.0.5:5432/app` },
    { form: "redis URL with password only", kind: "a URL with a password", make: () => `redis://:${mixed(24)}@10.0.0.7:6379/0` },
    { form: "amqp URL with password", kind: "a URL with a password", make: () => `amqps://worker:${mixed(16)}@mq.internal:5671/jobs` },
    { form: "https URL with password", kind: "a URL with a password", make: () => `https://deploy:${mixed(18)}@git.example.com/app.git` },
    {
        form: "mongodb+srv URL with password",
        kind: "a URL with a password",
        make: () => `mongodb+srv://api:${mixed(20)}@cluster0.example.net/app`,
    },
    { form: "Google API key", kind: "a Google API key", make: () => join("AI", "za", randomText(35, `${ALPHANUMERIC}_-`)) },
    { form: "Stripe live secret key", kind: "a Stripe secret key", make: () => join("sk", "_live_", mixed(24)) },
    { form: "Stripe restricted key", kind: "a Stripe secret key", make: () => join("rk", "_live_", mixed(24)) },
    { form: "Stripe test secret key", kind: "a Stripe secret key", make: () => join("sk", "_test_", mixed(24)) },
    { form: "GitHub personal token", kind: "a GitHub token", make: () => join("gh", "p_", mixed(36)) },
    { form: "GitHub app token", kind: "a GitHub token", make: () => join("gh", "s_", mixed(36)) },
    { form: "GitHub fine-grained token", kind: "a GitHub token", make: () => join("github", "_pat_", mixed(22), "_", mixed(59)) },
    {
        form: "Slack bot token",
        kind: "a Slack token",
        make: () => join("xo", "xb-", randomText(11, "0123456789"), "-", randomText(13, "0123456789"), "-", mixed(24)),
    },
    { form: "Slack user token", kind: "a Slack token", make: () => join("xo", "xp-", randomText(11, "0123456789"), "-", mixed(32)) },
    {
        form: "AWS access key id",
        kind: "an AWS access key id",
        make: () => join("AK", "IA", randomText(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")),
    },
    { form: "OpenAI project key", kind: "an OpenAI API key", make: () => join("sk", "-proj-", mixed(64)) },
    // Forms only secretlint's preset knows (our own patterns do not claim them).
    { form: "SendGrid API key", kind: "a SendGrid API key", make: () => join("S", "G.", mixed(22), ".", mixed(43)) },
    { form: "Anthropic API key", kind: "an Anthropic API key", make: () => join("sk", "-ant-api03-", mixed(93), "AA") },
    { form: "npm access token", kind: "an npm access token", make: () => join("np", "m_", mixed(36)) },
];
