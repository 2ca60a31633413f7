/**
 * Cloud Run's v1 (Knative) API reads a secret of another project through an alias: the revision (or a
 * job's execution) template's annotation `run.googleapis.com/secrets` holds
 * `<alias>:projects/<project>/secrets/<id>[,...]`, and a variable's `secretKeyRef.name` or a volume's
 * `secretName` names the alias (@pulumi/gcp types/input.d.ts, cloudrun
 * ServiceTemplateSpecContainerEnvValueFromSecretKeyRef.name). The one rule for the live audit, which
 * resolves gcloud's exports, and for the policy pack's workload view, which resolves a v1 service's props.
 */

/** The annotation that maps aliases to secrets. */
export const SECRETS_ANNOTATION = "run.googleapis.com/secrets";

/** The aliases an annotation declares, and whether some entry declared none. */
export interface SecretAliases {
    /** Alias to the secret it stands for (`projects/<project>/secrets/<id>`), as written. */
    readonly aliases: ReadonlyMap<string, string>;
    /** True when a non-empty entry is not `<alias>:<secret>` (no colon, or nothing before it); such entries are left out. */
    readonly malformed: boolean;
}

/** Reads the annotation's value: comma-separated entries, each trimmed; empty entries skipped. */
export function parseSecretAliases(value: string): SecretAliases {
    const aliases = new Map<string, string>();
    let malformed = false;
    for (const entry of value.split(",").map((part) => part.trim())) {
        if (entry === "") {
            continue;
        }
        const colon = entry.indexOf(":");
        if (colon <= 0) {
            malformed = true;
            continue;
        }
        aliases.set(entry.slice(0, colon), entry.slice(colon + 1));
    }
    return { aliases, malformed };
}

/** The secret `reference` stands for: the secret its alias maps to, or the reference itself when it is no alias. */
export function resolveSecretAlias(reference: string, aliases: ReadonlyMap<string, string>): string {
    return aliases.get(reference) ?? reference;
}
