/**
 * The E2E OAuth simulation key: a bypass of OAuth that the auth service accepts only on staging.
 * The old deploy code named its secret three ways; policies recognise all of them.
 */
import { E2E_KEY_ENV_NAME, E2E_KEY_SECRET_IDS } from "../../rules/e2e-key";
import { normaliseSecretId } from "./secret-ids";

export { E2E_KEY_ENV_NAME, E2E_KEY_ENVIRONMENT, E2E_KEY_SECRET_ID, E2E_KEY_SECRET_IDS } from "../../rules/e2e-key";

/** Secret ids and variable names compare as upper case with `-` read as `_`, so every spelling of an alias matches. */
function comparable(name: string): string {
    return name.trim().toUpperCase().replace(/-/g, "_");
}

const COMPARABLE_IDS: ReadonlySet<string> = new Set(E2E_KEY_SECRET_IDS.map(comparable));

/** True when a secret reference (bare id or `projects/<p>/secrets/<id>`) names the E2E key under any of its ids. */
export function isE2eKeySecret(reference: string): boolean {
    return COMPARABLE_IDS.has(comparable(normaliseSecretId(reference)));
}

/** True when a variable name carries the E2E key: its own name, or a variable spelling of one of the secret's aliases. */
export function isE2eKeyEnvName(name: string): boolean {
    return comparable(name) === comparable(E2E_KEY_ENV_NAME) || COMPARABLE_IDS.has(comparable(name));
}

/** "E2E_OAUTH_SIMULATION_KEY, e2e-oauth-simulation-key-staging, e2e-bypass-key": for messages. */
export function describeE2eKeySecretIds(): string {
    return E2E_KEY_SECRET_IDS.join(", ");
}
