/**
 * A rotation replaces a secret version; with deletionPolicy DELETE (the provider's default) the old
 * version is destroyed, so a bad rotation cannot be rolled back. DISABLE (or ABANDON, PREVENT) keeps it.
 */
import { notApplicable } from "./lib/not-applicable";
import { field, text } from "./lib/props";
import { REGIONAL_SECRET_VERSION, SECRET_VERSION } from "./lib/resource-types";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";

/** The policy's name. */
export const SECRET_VERSION_SURVIVES_ROTATION_POLICY = "secret-version-survives-rotation";

/** What is reported for an explicit DELETE. */
export function deletePolicyMessage(value: string): string {
    return (
        `deletionPolicy is ${JSON.stringify(value)}, so replacing this version on a rotation destroys the old one; ` +
        `set deletionPolicy to "DISABLE" so a rotation can be undone.`
    );
}

/** What is reported when deletionPolicy is unset. */
export const DEFAULT_DELETE_POLICY_MESSAGE =
    'deletionPolicy is unset and defaults to "DELETE", so replacing this version on a rotation destroys the old one; ' +
    'set deletionPolicy to "DISABLE" so a rotation can be undone.';

/** Advisory: secret versions are disabled, not destroyed, when replaced. */
export const secretVersionSurvivesRotation: SingleResourcePolicy = {
    name: SECRET_VERSION_SURVIVES_ROTATION_POLICY,
    description:
        "Secret Manager secret versions (global or regional) set a deletionPolicy other than DELETE, so the version a rotation replaces stays recoverable.",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        // A regional version's deletionPolicy defaults to DELETE too (@pulumi/gcp secretmanager/regionalSecretVersion.d.ts).
        if (args.type !== SECRET_VERSION && args.type !== REGIONAL_SECRET_VERSION) {
            return notApplicable(args, `Policy only applies to resources of type '${SECRET_VERSION}' or '${REGIONAL_SECRET_VERSION}'`);
        }
        const raw = field(args.props, "deletionPolicy");
        // An unknown value (preview) is neither unset nor a string, so nothing below reports it.
        const value = text(raw);
        if (raw === undefined || raw === null || value === "") {
            reportViolation(DEFAULT_DELETE_POLICY_MESSAGE);
        } else if (typeof value === "string" && value.trim().toUpperCase() === "DELETE") {
            reportViolation(deletePolicyMessage(value));
        }
    },
};
