/**
 * What Cloud Run and Netra allow in a container's environment. Shared by the stack-config
 * loader (rejects bad config before anything is created) and the policy pack (flags the same
 * mistakes in whatever a program declares), so both judge by one definition.
 */

import { CLOUD_RUN_SERVICE_VARIABLES } from "../detector/cloud-run";

/** Variables Cloud Run sets itself on services (the detector's service markers among them); a deploy that sets them fails. */
export const RESERVED_ENV_NAMES: readonly string[] = ["PORT", ...CLOUD_RUN_SERVICE_VARIABLES];

/** Prefixes Cloud Run reserves: job variables (CLOUD_RUN_JOB, CLOUD_RUN_TASK_INDEX, ...) and Google's own. */
export const RESERVED_ENV_PREFIXES: readonly string[] = ["CLOUD_RUN_", "X_GOOGLE_"];

/** Cloud Run's limit of variables per container. */
export const MAX_ENV_VARS_PER_CONTAINER = 1000;

/** Portable variable names: a letter or underscore, then letters, digits and underscores. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Name tokens (split on `_`) that mark a variable as holding a secret. */
export const SECRET_NAME_TOKENS: readonly string[] = [
    "KEY",
    "APIKEY",
    "SECRET",
    "TOKEN",
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "CREDENTIAL",
    "CREDENTIALS",
    "PRIVATE",
    "HMAC",
];

/** True when Cloud Run reserves `name` (exactly, or by prefix). */
export function isReservedEnvName(name: string): boolean {
    return RESERVED_ENV_NAMES.includes(name) || RESERVED_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** "PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*": for messages. */
export function describeReservedEnvNames(): string {
    return [...RESERVED_ENV_NAMES, ...RESERVED_ENV_PREFIXES.map((prefix) => `${prefix}*`)].join(", ");
}

/** The token of `name` that marks it as a secret, or undefined. `SECURE_HEADERS_ENABLED` is not one. */
export function secretNameToken(name: string): string | undefined {
    return name
        .toUpperCase()
        .split("_")
        .find((token) => SECRET_NAME_TOKENS.includes(token));
}

/** Kinds of literal value that look like key material. */
export type KeyLikeKind = "hex" | "base64" | "pem" | "jwt";

const HEX_KEY = /^(?:0x)?[0-9a-fA-F]{32,}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{40,}={0,2}$/;
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]*(?:PRIVATE KEY|CERTIFICATE|KEY)-----/;
const JWT = /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/;

/**
 * Classifies a literal value that looks like a key: 32+ hex digits (128 bits or more),
 * 40+ base64 characters mixing cases and digits, a PEM block, or a JWT.
 * Ordinary config (URLs, numbers, hostnames, instance connection names) is not key-like.
 */
export function keyLikeValue(value: string): KeyLikeKind | undefined {
    const text = value.trim();
    if (PEM_BLOCK.test(text)) {
        return "pem";
    }
    if (HEX_KEY.test(text)) {
        return "hex";
    }
    if (JWT.test(text)) {
        return "jwt";
    }
    if (BASE64_KEY.test(text) && /[a-z]/.test(text) && /[A-Z]/.test(text) && /[0-9]/.test(text)) {
        return "base64";
    }
    return undefined;
}

/** Human words for each kind, for messages. */
export const KEY_LIKE_DESCRIPTIONS: Readonly<Record<KeyLikeKind, string>> = {
    hex: "a long hex string",
    base64: "a long base64 string",
    pem: "a PEM block",
    jwt: "a JSON Web Token",
};
