/**
 * IAM grants on secrets, read from SecretIamMember, SecretIamBinding and SecretIamPolicy resources;
 * secret-level grants (also on regional secrets) to public or domain-wide members; and project-, folder- and organization-level
 * grants of roles that read every secret beneath them.
 */
import type { PolicyResource } from "@pulumi/policy";
import { elements, field, text, UNKNOWN } from "./props";
import {
    FOLDER_IAM_BINDING,
    FOLDER_IAM_MEMBER,
    FOLDER_IAM_POLICY,
    ORGANIZATION_IAM_BINDING,
    ORGANIZATION_IAM_MEMBER,
    ORGANIZATION_IAM_POLICY,
    PROJECT_IAM_BINDING,
    PROJECT_IAM_MEMBER,
    PROJECT_IAM_POLICY,
    REGIONAL_SECRET_IAM_BINDING,
    REGIONAL_SECRET_IAM_MEMBER,
    REGIONAL_SECRET_IAM_POLICY,
    SECRET,
    SECRET_IAM_BINDING,
    SECRET_IAM_MEMBER,
    SECRET_IAM_POLICY,
} from "./resource-types";
import {
    BASIC_ROLES,
    describeWideMember,
    projectGrantReadsSecrets,
    SECRET_ACCESSOR_ROLE,
    SECRET_READING_ROLES,
} from "../../rules/secret-access";
import { normaliseSecretId } from "./secret-ids";
import { dependenciesOf, principalKeys, type AccountIndex } from "./service-accounts";

export { PROJECT_SECRET_READ_ROLES, SECRET_ACCESSOR_ROLE, SECRET_READING_ROLES } from "../../rules/secret-access";

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
            const policyData = field(resource.props, "policyData");
            if (policyData === UNKNOWN) {
                // A document built from an account's output is unknown in preview: like `member`, it grants
                // the Accounts it depends on (the update run reads the document itself).
                add(principalKeys(index, UNKNOWN, dependenciesOf(resource, "policyData")));
                continue;
            }
            for (const binding of policyBindings(policyData)) {
                if (binding.role === SECRET_ACCESSOR_ROLE) {
                    add(binding.members.map((member) => index.keyOfMember(member)));
                }
            }
        }
    }
    return grants;
}

/** Where a grant above a secret applies. */
export type GrantScope = "project" | "folder" | "organization";

/** The scope of each IAM type that grants above a secret, and whether it is a policy document. */
const SCOPED_GRANT_TYPES: Readonly<Record<string, { readonly scope: GrantScope; readonly document: boolean }>> = {
    [PROJECT_IAM_MEMBER]: { scope: "project", document: false },
    [PROJECT_IAM_BINDING]: { scope: "project", document: false },
    [PROJECT_IAM_POLICY]: { scope: "project", document: true },
    [FOLDER_IAM_MEMBER]: { scope: "folder", document: false },
    [FOLDER_IAM_BINDING]: { scope: "folder", document: false },
    [FOLDER_IAM_POLICY]: { scope: "folder", document: true },
    [ORGANIZATION_IAM_MEMBER]: { scope: "organization", document: false },
    [ORGANIZATION_IAM_BINDING]: { scope: "organization", document: false },
    [ORGANIZATION_IAM_POLICY]: { scope: "organization", document: true },
};

/** The IAM types whose grants apply to every secret beneath a project, folder or organization. */
export const SCOPED_GRANT_TYPE_TOKENS: readonly string[] = Object.keys(SCOPED_GRANT_TYPES);

/** A project-, folder- or organization-level grant of a role that reads every secret beneath it. */
export interface ScopedSecretGrant {
    readonly resource: PolicyResource;
    readonly role: string;
    readonly scope: GrantScope;
}

/**
 * Project-, folder- and organization-level IAMMember, IAMBinding and IAMPolicy grants of SECRET_READING_ROLES;
 * on a project, basic roles only to the members `projectGrantReadsSecrets` names (unknown members count).
 */
export function scopedSecretGrants(resources: readonly PolicyResource[]): ScopedSecretGrant[] {
    const found: ScopedSecretGrant[] = [];
    for (const resource of resources) {
        const kind = Object.prototype.hasOwnProperty.call(SCOPED_GRANT_TYPES, resource.type)
            ? SCOPED_GRANT_TYPES[resource.type]
            : undefined;
        if (kind === undefined) {
            continue;
        }
        // Each role with its members; undefined for a member (or a list) unknown in a preview, which counts as reading.
        let grants: { role: string; members: (string | undefined)[] | undefined }[];
        if (kind.document) {
            grants = policyBindings(field(resource.props, "policyData"));
        } else {
            const role = text(field(resource.props, "role"));
            const member = field(resource.props, "member");
            const members = member === undefined ? elements(field(resource.props, "members")) : [member];
            const listed = Array.isArray(members)
                ? members.map((each) => (typeof text(each) === "string" ? (text(each) as string) : undefined))
                : undefined;
            grants = typeof role === "string" ? [{ role, members: listed }] : [];
        }
        const roles = new Set<string>();
        for (const { role, members } of grants) {
            const reads =
                kind.scope !== "project" || !BASIC_ROLES.includes(role)
                    ? SECRET_READING_ROLES.includes(role)
                    : members === undefined || members.some((member) => member === undefined || projectGrantReadsSecrets(role, member));
            if (reads) {
                roles.add(role);
            }
        }
        for (const role of roles) {
            found.push({ resource, role, scope: kind.scope });
        }
    }
    return found;
}

/** A secret-level grant to a public or domain-wide member. */
export interface WideSecretGrant {
    readonly resource: PolicyResource;
    readonly role: string;
    /** Words for the member, e.g. "allUsers (anyone on the internet)". */
    readonly member: string;
}

/**
 * The form of each secret-level grant type, global and regional: a regional secret granted to the public is as
 * open as a global one. (Regional grants never count as a workload's grant: Cloud Run's secretKeyRef names global
 * secrets only, `{secretName}` or `projects/{project}/secrets/{secretName}`, @pulumi/gcp types/input.d.ts.)
 */
const SECRET_GRANT_FORMS: Readonly<Record<string, "member" | "binding" | "policy">> = {
    [SECRET_IAM_MEMBER]: "member",
    [SECRET_IAM_BINDING]: "binding",
    [SECRET_IAM_POLICY]: "policy",
    [REGIONAL_SECRET_IAM_MEMBER]: "member",
    [REGIONAL_SECRET_IAM_BINDING]: "binding",
    [REGIONAL_SECRET_IAM_POLICY]: "policy",
};

/** Secret-level grants (member, binding or policy document, on global or regional secrets), of any role, to allUsers, allAuthenticatedUsers or a domain. */
export function wideSecretGrants(resources: readonly PolicyResource[]): WideSecretGrant[] {
    const found: WideSecretGrant[] = [];
    for (const resource of resources) {
        const form = Object.prototype.hasOwnProperty.call(SECRET_GRANT_FORMS, resource.type)
            ? SECRET_GRANT_FORMS[resource.type]
            : undefined;
        const grants: { role: unknown; members: unknown[] }[] = [];
        if (form === "member") {
            grants.push({ role: text(field(resource.props, "role")), members: [text(field(resource.props, "member"))] });
        } else if (form === "binding") {
            const members = elements(field(resource.props, "members"));
            grants.push({ role: text(field(resource.props, "role")), members: Array.isArray(members) ? members.map(text) : [] });
        } else if (form === "policy") {
            grants.push(...policyBindings(field(resource.props, "policyData")));
        }
        for (const grant of grants) {
            const role = typeof grant.role === "string" ? grant.role : "a role";
            for (const member of grant.members) {
                const wide = typeof member === "string" ? describeWideMember(member) : undefined;
                if (wide !== undefined) {
                    found.push({ resource, role, member: wide });
                }
            }
        }
    }
    return found;
}
