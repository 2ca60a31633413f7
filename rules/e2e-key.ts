/**
 * Facts about the E2E OAuth simulation key, shared by the program (which creates and mounts it) and
 * the policy pack (which refuses it anywhere else). The auth service accepts the key only on staging.
 */
import { Environment, type EnvironmentName } from "../detector/environments";

/** The one environment the key may exist on. */
export const E2E_KEY_ENVIRONMENT: EnvironmentName = Environment.staging;

/** The secret id the operators' runbook reads (`gcloud secrets versions access latest --secret=...`). */
export const E2E_KEY_SECRET_ID = "E2E_OAUTH_SIMULATION_KEY";

/** The variable the auth service reads the key from. */
export const E2E_KEY_ENV_NAME = "E2E_OAUTH_SIMULATION_KEY";

/** Every secret id the key has had: the kept one first, then the old code's aliases. */
export const E2E_KEY_SECRET_IDS: readonly string[] = [E2E_KEY_SECRET_ID, "e2e-oauth-simulation-key-staging", "e2e-bypass-key"];

/**
 * Secret ids and variable names compare as upper case with every run of `-` and `_` read as one `_`, and none at
 * either end, so every spelling of an alias matches: the same spellings the program's resource names fold together
 * (components/resource-labels.ts `nameSlug`), so no spelling of the key can take its grant's name either.
 */
export function comparableName(name: string): string {
    return name.trim().toUpperCase().replace(/[-_]+/g, "_").replace(/^_|_$/g, "");
}

/** "E2E_OAUTH_SIMULATION_KEY, e2e-oauth-simulation-key-staging, e2e-bypass-key": for messages. */
export function describeE2eKeySecretIds(): string {
    return E2E_KEY_SECRET_IDS.join(", ");
}

const COMPARABLE_IDS: ReadonlySet<string> = new Set(E2E_KEY_SECRET_IDS.map(comparableName));

/** True when a bare secret id names the E2E key under any of its ids and spellings. */
export function isE2eKeySecretId(secretId: string): boolean {
    return COMPARABLE_IDS.has(comparableName(secretId));
}
