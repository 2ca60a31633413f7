/**
 * How secrets are read: the one role the program grants (per secret, per account) and the policy pack
 * looks for, so both agree on what "access to a secret" means.
 */

/** Lets an account read a secret's payload. */
export const SECRET_ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";

/**
 * Roles that read every secret beneath where they are granted (a project, a folder, an organization):
 * secretAccessor and Secret Manager admin directly; owner and editor through the secrets' own
 * permissions and by acting as any service account that reads them. The policy pack refuses them there.
 */
export const SECRET_READING_ROLES: readonly string[] = [SECRET_ACCESSOR_ROLE, "roles/secretmanager.admin", "roles/owner", "roles/editor"];

/** The roles refused on a project (the same list as on folders and organizations). */
export const PROJECT_SECRET_READ_ROLES: readonly string[] = SECRET_READING_ROLES;

/** IAM members that stand for everyone, or for a whole domain: never a secret's reader. */
export const PUBLIC_MEMBERS: readonly string[] = ["allUsers", "allAuthenticatedUsers"];

/** Words for a public or domain-wide member, or undefined for a member that names one principal. */
export function describeWideMember(member: string): string | undefined {
    const trimmed = member.trim();
    if (trimmed === "allUsers") {
        return "allUsers (anyone on the internet)";
    }
    if (trimmed === "allAuthenticatedUsers") {
        return "allAuthenticatedUsers (any signed-in Google account)";
    }
    if (trimmed.startsWith("domain:")) {
        return `${trimmed} (every account of the domain)`;
    }
    return undefined;
}
