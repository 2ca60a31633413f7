/**
 * No secret in plaintext: a variable whose name marks a secret (KEY, SECRET, PASSWORD, ...) must come
 * from a Secret Manager secretKeyRef, and no literal value, whatever its name, may look like key
 * material. Messages name the variable and the kind of material, never the value.
 */
import { KEY_LIKE_DESCRIPTIONS, keyLikeValue, secretNameToken } from "../rules/cloudrun-env";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";
import { validateWorkloads } from "./lib/validate-workload";
import { envName, hasLiteralValue, knownEnvEntries, literalValue, secretSource, type EnvView } from "./lib/workloads";

/** The policy's name. */
export const NO_PLAINTEXT_SECRETS_POLICY = "cloudrun-no-plaintext-secrets";

/** What is reported for a secret-named variable without a secretKeyRef. */
export function secretNameMessage(containerLabel: string, variable: string, token: string): string {
    return (
        `${containerLabel} sets ${variable} without a secretKeyRef, but its name marks a secret (${token}); ` +
        "take its value from Secret Manager."
    );
}

/** What is reported for a literal that looks like a key. `kind` comes from KEY_LIKE_DESCRIPTIONS. */
export function keyLikeMessage(containerLabel: string, variable: string, kind: string): string {
    return (
        `${containerLabel} sets ${variable} to a literal that looks like key material (${kind}); ` +
        "store it in Secret Manager and reference it with a secretKeyRef."
    );
}

/** The variable's name for messages, or its position when the name is unknown or malformed. */
function variableLabel(env: EnvView, name: unknown): string {
    return typeof name === "string" && name.length > 0 ? name : `variable #${env.index + 1}`;
}

/** Mandatory: secret-named variables come from secretKeyRef, and no literal looks like a key. */
export const cloudrunNoPlaintextSecrets: SingleResourcePolicy = {
    name: NO_PLAINTEXT_SECRETS_POLICY,
    description:
        "Cloud Run variables whose names mark a secret take their value from a Secret Manager secretKeyRef, " +
        "and no literal variable value looks like key material (a long hex or base64 string, a PEM block or a JWT).",
    enforcementLevel: "mandatory",
    validateResource: validateWorkloads((shape, args, reportViolation) => {
        for (const { container, env } of knownEnvEntries(shape, args.props)) {
            const name = envName(env);
            const token = typeof name === "string" ? secretNameToken(name) : undefined;
            if (token !== undefined) {
                if (secretSource(shape, env).kind === "none") {
                    reportViolation(secretNameMessage(container.label, variableLabel(env, name), token));
                }
                continue;
            }
            const value = hasLiteralValue(env) ? literalValue(env) : undefined;
            const kind = typeof value === "string" ? keyLikeValue(value) : undefined;
            if (kind !== undefined) {
                reportViolation(keyLikeMessage(container.label, variableLabel(env, name), KEY_LIKE_DESCRIPTIONS[kind]));
            }
        }
    }),
};
