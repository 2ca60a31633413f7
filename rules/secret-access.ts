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

/**
 * Basic roles: every project has owners, so on a project they are refused only where the CIS Google
 * Cloud benchmark refuses them (1.5, no service account with admin privileges): for service accounts,
 * which a compromised workload acts as (the default compute account gets editor), and for public or
 * domain-wide members. People and groups that own a project administer it; that is not a grant to read.
 */
export const BASIC_ROLES: readonly string[] = ["roles/owner", "roles/editor"];

/** Whether a project-level grant of `role` to `member` reads secrets in this pack's sense. */
export function projectGrantReadsSecrets(role: string, member: string): boolean {
    if (!BASIC_ROLES.includes(role)) {
        return SECRET_READING_ROLES.includes(role);
    }
    const trimmed = member.trim();
    return trimmed.startsWith("serviceAccount:") || describeWideMember(trimmed) !== undefined;
}

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
