/**
 * Who a workload runs as and who a grant names, as comparable principal keys. During preview a
 * service account's email is unknown, so a value that is not known yet falls back to the resources
 * the property depends on: a service's `template` and a grant's `member` both depend on the Account.
 */
import type { PolicyResource } from "@pulumi/policy";
import { field, text, UNKNOWN, type Unknown } from "./props";
import { SERVICE_ACCOUNT } from "./resource-types";

/** Domain suffix of user-managed service account emails. */
export const SERVICE_ACCOUNT_EMAIL_DOMAIN = ".iam.gserviceaccount.com";

/** The resources `resource`'s property `key` depends on (empty when none or malformed). */
export function dependenciesOf(resource: PolicyResource, key: string): readonly PolicyResource[] {
    const dependencies: unknown = resource.propertyDependencies?.[key];
    return Array.isArray(dependencies) ? dependencies : [];
}

/** The Accounts among `resources`. */
function accountsAmong(resources: readonly PolicyResource[]): PolicyResource[] {
    return resources.filter((resource) => resource.type === SERVICE_ACCOUNT);
}

/** An Account's email when known: its `email` output, or `<accountId>@<project>.iam.gserviceaccount.com` from its inputs. */
export function accountEmail(account: PolicyResource): string | undefined {
    const email = text(field(account.props, "email"));
    if (typeof email === "string" && email.includes("@")) {
        return email.toLowerCase();
    }
    const accountId = text(field(account.props, "accountId"));
    const project = text(field(account.props, "project"));
    return typeof accountId === "string" && typeof project === "string"
        ? `${accountId}@${project}${SERVICE_ACCOUNT_EMAIL_DOMAIN}`.toLowerCase()
        : undefined;
}

/** The service accounts of a stack, for resolving emails to Account resources. */
export class AccountIndex {
    private readonly byUrn: ReadonlyMap<string, PolicyResource>;
    /** Accounts by their known email, and those without one by their accountId: a lookup per email, not a scan. */
    private readonly byEmail = new Map<string, PolicyResource[]>();
    private readonly byAccountId = new Map<string, PolicyResource[]>();

    constructor(resources: readonly PolicyResource[]) {
        const accounts = accountsAmong(resources);
        this.byUrn = new Map(accounts.map((account) => [account.urn, account]));
        const add = (map: Map<string, PolicyResource[]>, key: string, account: PolicyResource) => {
            const list = map.get(key);
            if (list === undefined) {
                map.set(key, [account]);
            } else {
                list.push(account);
            }
        };
        for (const account of accounts) {
            const known = accountEmail(account);
            const accountId = text(field(account.props, "accountId"));
            if (known !== undefined) {
                add(this.byEmail, known, account);
            } else if (typeof accountId === "string") {
                add(this.byAccountId, accountId.toLowerCase(), account);
            }
        }
    }

    /**
     * The one Account `email` belongs to, or undefined when none or several could: an Account whose email is
     * known matches only that email; one without (no project yet) matches by its accountId.
     */
    resolve(email: string): PolicyResource | undefined {
        const normalised = email.trim().toLowerCase();
        const [local] = normalised.split("@");
        const candidates = [...(this.byEmail.get(normalised) ?? []), ...(this.byAccountId.get(local) ?? [])];
        return candidates.length === 1 ? candidates[0] : undefined;
    }

    /** Words for a principal key in messages: `service account "backend-sa"`, an email, or the member string. */
    describe(key: string): string {
        if (key.startsWith(URN_KEY)) {
            const account = this.byUrn.get(key.slice(URN_KEY.length));
            const email = account === undefined ? undefined : accountEmail(account);
            const name = account === undefined ? key.slice(URN_KEY.length) : account.name;
            return email === undefined ? `service account "${name}"` : `service account "${name}" (${email})`;
        }
        return key.slice(key.indexOf(":") + 1);
    }

    /** The key of a service account email: its Account's URN when the stack declares it, else the email. */
    keyOfEmail(email: string): string {
        const account = this.resolve(email);
        return account === undefined ? `${EMAIL_KEY}${email.trim().toLowerCase()}` : `${URN_KEY}${account.urn}`;
    }

    /** The key of an IAM member string (`serviceAccount:<email>`, `user:<email>`, `allUsers`, ...). */
    keyOfMember(member: string): string {
        const prefix = "serviceAccount:";
        return member.startsWith(prefix) ? this.keyOfEmail(member.slice(prefix.length)) : `${MEMBER_KEY}${member}`;
    }
}

const URN_KEY = "urn:";
const EMAIL_KEY = "email:";
const MEMBER_KEY = "member:";

/** The key of an Account resource. */
export function accountKey(account: PolicyResource): string {
    return `${URN_KEY}${account.urn}`;
}

/**
 * Principal keys of a member-like value: the value's own key when known; when unknown, the Accounts the
 * property depends on (none when the value comes from elsewhere, which then matches nothing).
 */
export function principalKeys(index: AccountIndex, value: string | Unknown | undefined, dependencies: readonly PolicyResource[]): string[] {
    if (typeof value === "string") {
        return [index.keyOfMember(value)];
    }
    return value === UNKNOWN ? accountsAmong(dependencies).map(accountKey) : [];
}

/** Who a workload runs as. */
export type WorkloadIdentity =
    { readonly kind: "default" } | { readonly kind: "unresolved" } | { readonly kind: "accounts"; readonly keys: readonly string[] };

/** Resolves a workload's account value (an email, `UNKNOWN`, or unset) with the Accounts its template depends on. */
export function workloadIdentity(
    index: AccountIndex,
    account: string | Unknown | undefined,
    templateDependencies: readonly PolicyResource[],
): WorkloadIdentity {
    if (account === undefined) {
        return { kind: "default" };
    }
    if (typeof account === "string") {
        return { kind: "accounts", keys: [index.keyOfEmail(account)] };
    }
    const keys = accountsAmong(templateDependencies).map(accountKey);
    return keys.length === 0 ? { kind: "unresolved" } : { kind: "accounts", keys };
}
