/**
 * How secrets are read: the one role the program grants (per secret, per account) and the policy pack
 * looks for, so both agree on what "access to a secret" means.
 */

/** Lets an account read a secret's payload. */
export const SECRET_ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";

/** Roles that read every secret when granted on the project; the policy pack refuses them there. */
export const PROJECT_SECRET_READ_ROLES: readonly string[] = [SECRET_ACCESSOR_ROLE, "roles/secretmanager.admin"];
