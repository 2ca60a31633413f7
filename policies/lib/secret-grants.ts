/**
 * IAM grants on secrets, read from SecretIamMember, SecretIamBinding and SecretIamPolicy resources,
 * and project-level grants of roles that read every secret in a project.
 */
import type { PolicyResource } from "@pulumi/policy";
import { elements, field, text, UNKNOWN } from "./props";
import {
    PROJECT_IAM_BINDING,
    PROJECT_IAM_MEMBER,
    PROJECT_IAM_POLICY,
    SECRET,
    SECRET_IAM_BINDING,
    SECRET_IAM_MEMBER,
    SECRET_IAM_POLICY,
} from "./resource-types";
import { PROJECT_SECRET_READ_ROLES, SECRET_ACCESSOR_ROLE } from "../../rules/secret-access";
import { normaliseSecretId } from "./secret-ids";
import { dependenciesOf, principalKeys, type AccountIndex } from "./service-accounts";

export { PROJECT_SECRET_READ_ROLES, SECRET_ACCESSOR_ROLE } from "../../rules/secret-access";

/** One secret-level secretAccessor grant: which secrets, to which principal keys. */
export interface SecretGrant {
    readonly urn: string;
    readonly secretIds: ReadonlySet<string>;
    readonly principals: ReadonlySet<string>;
}

/** The known secret ids of Secret resources among `resources`. */
export function secretIdsOf(resources: readonly PolicyResource[]): string[] {
    return resources
        .filter((resource) => resource.type === SECRET)
        .map((secret) => text(field(secret.props, "secretId")))
        .filter((id): id is string => typeof id === "string")
        .map(normaliseSecretId);
}

/** The secret a grant is on: its `secretId` when known, else the Secrets that property depends on. */
function grantSecretIds(grant: PolicyResource): Set<string> {
    const secretId = text(field(grant.props, "secretId"));
    if (typeof secretId === "string") {
        return new Set([normaliseSecretId(secretId)]);
    }
    return new Set(secretId === UNKNOWN ? secretIdsOf(dependenciesOf(grant, "secretId")) : []);
}

/** An IAM policy document's bindings as (role, members) pairs; [] when unknown or unparsable. */
export function policyBindings(policyData: unknown): { role: string; members: string[] }[] {
    if (typeof policyData !== "string") {
        return [];
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(policyData);
    } catch {
        return [];
    }
    const bindings = elements(field(parsed, "bindings"));
    if (bindings === UNKNOWN || bindings === undefined) {
        return [];
    }
    return bindings.flatMap((binding) => {
        const role = text(field(binding, "role"));
        const members = elements(field(binding, "members"));
        if (typeof role !== "string") {
            return [];
        }
        const known =
            members === UNKNOWN || members === undefined ? [] : members.filter((member): member is string => typeof member === "string");
        return [{ role, members: known }];
    });
}

/** Principal keys of a SecretIamBinding's members, unknown entries resolved through `members`' dependencies. */
function bindingPrincipals(index: AccountIndex, grant: PolicyResource): string[] {
    const dependencies = dependenciesOf(grant, "members");
    const members = elements(field(grant.props, "members"));
    if (members === UNKNOWN) {
        return principalKeys(index, UNKNOWN, dependencies);
    }
    return (members ?? []).flatMap((member) => principalKeys(index, text(member), dependencies));
}

/** Every secret-level secretAccessor grant among `resources`. */
export function secretAccessorGrants(index: AccountIndex, resources: readonly PolicyResource[]): SecretGrant[] {
    const grants: SecretGrant[] = [];
    for (const resource of resources) {
        const add = (principals: readonly string[]): void => {
            grants.push({ urn: resource.urn, secretIds: grantSecretIds(resource), principals: new Set(principals) });
        };
        if (resource.type === SECRET_IAM_MEMBER || resource.type === SECRET_IAM_BINDING) {
            if (text(field(resource.props, "role")) !== SECRET_ACCESSOR_ROLE) {
                continue;
            }
            add(
                resource.type === SECRET_IAM_MEMBER
                    ? principalKeys(index, text(field(resource.props, "member")), dependenciesOf(resource, "member"))
                    : bindingPrincipals(index, resource),
            );
        } else if (resource.type === SECRET_IAM_POLICY) {
            for (const binding of policyBindings(field(resource.props, "policyData"))) {
                if (binding.role === SECRET_ACCESSOR_ROLE) {
                    add(binding.members.map((member) => index.keyOfMember(member)));
                }
            }
        }
    }
    return grants;
}

/** A project-level grant of a role that reads every secret. */
export interface ProjectSecretGrant {
    readonly resource: PolicyResource;
    readonly role: string;
}

/** Project-level IAMMember, IAMBinding and IAMPolicy grants of PROJECT_SECRET_READ_ROLES. */
export function projectSecretGrants(resources: readonly PolicyResource[]): ProjectSecretGrant[] {
    const found: ProjectSecretGrant[] = [];
    for (const resource of resources) {
        let roles: string[] = [];
        if (resource.type === PROJECT_IAM_MEMBER || resource.type === PROJECT_IAM_BINDING) {
            const role = text(field(resource.props, "role"));
            roles = typeof role === "string" ? [role] : [];
        } else if (resource.type === PROJECT_IAM_POLICY) {
            roles = policyBindings(field(resource.props, "policyData")).map((binding) => binding.role);
        }
        for (const role of new Set(roles)) {
            if (PROJECT_SECRET_READ_ROLES.includes(role)) {
                found.push({ resource, role });
            }
        }
    }
    return found;
}
