/**
 * No secret in plaintext: a variable whose name marks a secret (its last word is KEY, SECRET, TOKEN,
 * PASSWORD, PASSPHRASE, CREDENTIALS, ...) must come from a Secret Manager secretKeyRef, unless its
 * value is the absolute path of a mounted secret file; and no literal value, whatever its name, may
 * hold key material (judged by form: rules/cloudrun-env.ts, then secretlint's recommend preset).
 * The rule is rules/plaintext-secret.ts, which the stack-config loader applies to the stack file too.
 * Messages name the variable and the kind of material, never the value.
 */
import { plaintextFinding } from "../rules/plaintext-secret";
import "./lib/key-material";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";
import { validateWorkloads } from "./lib/validate-workload";
import { carriedEnvEntries, envName, hasLiteralValue, literalValue, secretSource, type EnvView } from "./lib/workloads";

/** The policy's name. */
export const NO_PLAINTEXT_SECRETS_POLICY = "cloudrun-no-plaintext-secrets";

/** What is reported for a secret-named variable without a secretKeyRef. */
export function secretNameMessage(containerLabel: string, variable: string, token: string): string {
    return (
        `${containerLabel} sets ${variable} without a secretKeyRef, but its name marks a secret (${token}); ` +
        "take its value from Secret Manager (or, for a mounted secret file, set its absolute path)."
    );
}

/** What is reported for a literal that holds key material; `kind` is a description such as "a Google API key". */
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

/** Mandatory: secret-named variables come from secretKeyRef, and no literal holds key material. */
export const cloudrunNoPlaintextSecrets: SingleResourcePolicy = {
    name: NO_PLAINTEXT_SECRETS_POLICY,
    description:
        "Cloud Run variables whose names mark a secret take their value from a Secret Manager secretKeyRef (or name a mounted " +
        "file by its absolute path), and no literal variable value holds key material (a password in a URL or a key=value " +
        "setting, a token of a known format, a private key, a JWT, a long hex or base64 string).",
    enforcementLevel: "mandatory",
    validateResource: validateWorkloads((shape, args, reportViolation) => {
        for (const { container, env } of carriedEnvEntries(shape, args.props)) {
            const name = envName(env);
            const value = hasLiteralValue(env) ? literalValue(env) : undefined;
            // An unknown literal (preview) cannot be a known path: the name alone decides then.
            const finding = plaintextFinding(typeof name === "string" ? name : undefined, typeof value === "string" ? value : undefined);
            if (finding?.by === "name" && secretSource(shape, env).kind === "none") {
                reportViolation(secretNameMessage(container.label, variableLabel(env, name), finding.token));
            } else if (finding?.by === "value") {
                reportViolation(keyLikeMessage(container.label, variableLabel(env, name), finding.kind));
            }
        }
    }),
};
