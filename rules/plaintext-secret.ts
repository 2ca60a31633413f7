/**
 * The one rule for a plain (literal) variable that the stack-config loader and the policy pack
 * `cloudrun-no-plaintext-secrets` both apply, with the same name and value, so a stack file the loader
 * accepts never fails the pack's plaintext policy and the other way round. Each side words its own
 * message from the finding; neither ever shows the value.
 */
import { KEY_LIKE_DESCRIPTIONS, keyLikeValue, plaintextSecretToken, secretNameToken } from "./cloudrun-env";
import { secretlintKind } from "./secretlint-preset";

/**
 * Words for the kind of key material `value` holds (e.g. "a Google API key"), or undefined when it
 * holds none. Two engines: the patterns of rules/cloudrun-env.ts, then secretlint's recommend preset
 * (rules/secretlint-preset.ts), asked when ours found nothing or only a long hex or base64 run, which
 * it may name more precisely (`npm_...`, `SG....`). `name`, the variable's, only exempts a hex digest
 * under a digest name (`GIT_SHA`).
 */
export function keyMaterialKind(value: string, name?: string): string | undefined {
    const own = keyLikeValue(value, name);
    if (own !== undefined && own !== "hex" && own !== "base64") {
        return KEY_LIKE_DESCRIPTIONS[own];
    }
    return secretlintKind(value) ?? (own === undefined ? undefined : KEY_LIKE_DESCRIPTIONS[own]);
}

/** Why a plain variable is a plaintext secret: its name marks one (`token`, the secret word), or its value holds key material (`kind`, in words). */
export type PlaintextFinding = { readonly by: "name"; readonly token: string } | { readonly by: "value"; readonly kind: string };

/**
 * The finding for a plain variable `name` set to `value`, or undefined when it is fine. A name that
 * marks a secret decides alone (unless the value is a mounted file's absolute path or a flag); any
 * other variable is judged by its value's form. `name` undefined: not known (a malformed or unknown
 * name in the pack); `value` undefined: not known (an unknown output during preview) or not a literal.
 */
export function plaintextFinding(name: string | undefined, value: string | undefined): PlaintextFinding | undefined {
    if (name !== undefined && secretNameToken(name) !== undefined) {
        const token = plaintextSecretToken(name, value);
        return token === undefined ? undefined : { by: "name", token };
    }
    const kind = value === undefined ? undefined : keyMaterialKind(value, name);
    return kind === undefined ? undefined : { by: "value", kind };
}
