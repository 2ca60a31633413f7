/**
 * Least privilege for secrets: each secret a Cloud Run workload reads is granted secretAccessor on
 * that secret alone, to the workload's own service account; no secret is granted to the public or a
 * whole domain; no grant on the project, a folder or the organization reads them all.
 *
 * Matching during preview: an account email that is not known yet is matched through property
 * dependencies (the workload's `template` and the grant's `member` (or a SecretIamPolicy's `policyData`) depend on the same Account, the
 * grant's `secretId` on the Secret). When a template depends on several Accounts, a grant to any of
 * them counts. A workload whose account can be neither read nor traced to an Account in the stack is
 * skipped; the update run, where emails are known, checks it.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { secretReferences, serviceAccountOf, workloadShape, type WorkloadShape } from "./lib/workloads";
import {
    type GrantScope,
    SECRET_ACCESSOR_ROLE,
    SECRET_READING_ROLES,
    scopedSecretGrants,
    secretAccessorGrants,
    secretIdsOf,
    type SecretGrant,
    wideSecretGrants,
} from "./lib/secret-grants";
import { AccountIndex, dependenciesOf, workloadIdentity } from "./lib/service-accounts";

/** The policy's name. */
export const SECRET_ACCESS_SCOPED_POLICY = "secret-access-scoped-to-service-account";

/** What is reported for a secret the workload's own account is not granted. */
export function missingGrantMessage(shape: WorkloadShape, workload: string, secretId: string, account: string): string {
    return (
        `${shape.noun} "${workload}" reads secret "${secretId}", but no secret-level ${SECRET_ACCESSOR_ROLE} grant on it ` +
        `names the ${shape.shortNoun}'s own account, ${account}.`
    );
}

/** What is reported for a workload that reads secrets as the default compute account. */
export function defaultAccountMessage(noun: string, workload: string, secretIds: readonly string[]): string {
    return (
        `${noun} "${workload}" reads secrets (${secretIds.join(", ")}) but sets no service account, so it runs as the project's ` +
        "default compute account; give it its own account and grant each secret to that account."
    );
}

/** What is reported for a project-, folder- or organization-level grant of a role that reads every secret beneath it. */
export function projectGrantMessage(type: string, name: string, role: string, scope: GrantScope = "project"): string {
    const kind = type.split(":").pop() ?? type;
    const where = scope === "project" ? "every secret in it" : `every secret in every project under it`;
    return (
        `${kind} "${name}" grants ${role} on the whole ${scope}, so its members can read ${where}; ` +
        `grant ${SECRET_ACCESSOR_ROLE} on each secret, to the one service account that reads it, instead.`
    );
}

/** What is reported for a secret-level grant to a public or domain-wide member. */
export function wideGrantMessage(type: string, name: string, role: string, member: string): string {
    const kind = type.split(":").pop() ?? type;
    return (
        `${kind} "${name}" grants ${role} on a secret to ${member}; ` +
        "grant secret access only to the service accounts (or named people) that need it."
    );
}

/** True when some grant gives `secretId` to one of `principals`. */
/** The grants on each secret id: a workload's secrets are looked up, not scanned for (a stack holds thousands of grants). */
type GrantsBySecret = ReadonlyMap<string, readonly SecretGrant[]>;

function grantsBySecret(grants: readonly SecretGrant[]): GrantsBySecret {
    const bySecret = new Map<string, SecretGrant[]>();
    for (const grant of grants) {
        for (const secretId of grant.secretIds) {
            const list = bySecret.get(secretId);
            if (list === undefined) {
                bySecret.set(secretId, [grant]);
            } else {
                list.push(grant);
            }
        }
    }
    return bySecret;
}

function isGranted(grants: GrantsBySecret, secretId: string, principals: readonly string[]): boolean {
    return (grants.get(secretId) ?? []).some((grant) => principals.some((principal) => grant.principals.has(principal)));
}

/** Checks one workload; returns the messages to report against it. */
function checkWorkload(resource: PolicyResource, index: AccountIndex, grants: GrantsBySecret): string[] {
    const shape = workloadShape(resource.type);
    if (shape === undefined) {
        return [];
    }
    // Property dependencies are tracked per top-level property: `template`, or a function's `serviceConfig`.
    const templateDependencies = dependenciesOf(resource, shape.podTemplatePath[0]);
    const references = secretReferences(shape, resource.props);
    // A reference not known yet may be any Secret the template depends on; check those too.
    const secretIds = [...new Set([...references.ids, ...(references.incomplete ? secretIdsOf(templateDependencies) : [])])];
    if (secretIds.length === 0) {
        return [];
    }
    const identity = workloadIdentity(index, serviceAccountOf(shape, resource.props), templateDependencies);
    if (identity.kind === "default") {
        // A workload that reads a secret has a pod template (every reader above starts there), so an
        // unset account here is the default compute account, not malformed props.
        return [defaultAccountMessage(shape.noun, resource.name, secretIds)];
    }
    if (identity.kind === "unresolved") {
        return [];
    }
    const account = identity.keys.map((key) => index.describe(key)).join(" or ");
    return secretIds
        .filter((secretId) => !isGranted(grants, secretId, identity.keys))
        .map((secretId) => missingGrantMessage(shape, resource.name, secretId, account));
}

/** Mandatory stack policy: secrets are granted per secret, to the reading workload's own account, never per project. */
export const secretAccessScopedToServiceAccount: StackValidationPolicy = {
    name: SECRET_ACCESS_SCOPED_POLICY,
    description:
        `Every secret a Cloud Run service, job, worker pool or function reads is granted ${SECRET_ACCESSOR_ROLE} on that secret to the workload's own ` +
        `service account; no secret is granted to allUsers, allAuthenticatedUsers or a whole domain; and no project-, folder- or ` +
        `organization-level grant of ${SECRET_READING_ROLES.join(", ")} reads every secret beneath it (on a project, owner and editor only when held by a service account, a domain or the public).`,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const { resources } = args;
        const index = new AccountIndex(resources);
        const grants = grantsBySecret(secretAccessorGrants(index, resources));
        for (const resource of resources) {
            for (const message of checkWorkload(resource, index, grants)) {
                reportViolation(message, resource.urn);
            }
        }
        for (const { resource, role, member } of wideSecretGrants(resources)) {
            reportViolation(wideGrantMessage(resource.type, resource.name, role, member), resource.urn);
        }
        for (const { resource, role, scope } of scopedSecretGrants(resources)) {
            reportViolation(projectGrantMessage(resource.type, resource.name, role, scope), resource.urn);
        }
    },
};
