/**
 * The E2E OAuth simulation key: a bypass of OAuth that the auth service accepts only on staging.
 * The old deploy code named its secret three ways; policies recognise all of them.
 */
import { comparableName, E2E_KEY_ENV_NAME, isE2eKeySecretId } from "../../rules/e2e-key";
import { normaliseSecretId } from "./secret-ids";

export { describeE2eKeySecretIds, E2E_KEY_ENV_NAME, E2E_KEY_ENVIRONMENT, E2E_KEY_SECRET_ID, E2E_KEY_SECRET_IDS } from "../../rules/e2e-key";

/** True when a secret reference (bare id or `projects/<p>/secrets/<id>`) names the E2E key under any of its ids. */
export function isE2eKeySecret(reference: string): boolean {
    return isE2eKeySecretId(normaliseSecretId(reference));
}

/** True when a variable name carries the E2E key: its own name, or a variable spelling of one of the secret's aliases. */
export function isE2eKeyEnvName(name: string): boolean {
    return comparableName(name) === comparableName(E2E_KEY_ENV_NAME) || isE2eKeySecretId(name);
}
