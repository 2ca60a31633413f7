/**
 * Who may call a Cloud Run service or a function: invoker grants in their three forms (member,
 * binding, policy document) on v2 services, v1 services and gen2 functions, services that turn the
 * invoker IAM check off (no grant needed at all), and the services the stack's policy config lists as
 * public. Shared by the public-access and ingress policies.
 */
import type { PolicyResource } from "@pulumi/policy";
import { describeWideMember, PUBLIC_MEMBERS } from "../../rules/secret-access";
import { elements, field, text, UNKNOWN, type Unknown } from "./props";
import {
    CLOUD_RUN_V1_IAM_BINDING,
    CLOUD_RUN_V1_IAM_MEMBER,
    CLOUD_RUN_V1_IAM_POLICY,
    CLOUD_RUN_V2_SERVICE_IAM_BINDING,
    CLOUD_RUN_V2_SERVICE_IAM_MEMBER,
    CLOUD_RUN_V2_SERVICE_IAM_POLICY,
    FUNCTION_V2_IAM_BINDING,
    FUNCTION_V2_IAM_MEMBER,
    FUNCTION_V2_IAM_POLICY,
} from "./resource-types";
import { policyBindings } from "./secret-grants";
import { dependenciesOf } from "./service-accounts";
import { invokerCheckOff, workloadShape } from "./workloads";

/** Roles that let a member call a service or function, and nothing more. */
export const INVOKER_ROLES: readonly string[] = ["roles/run.invoker", "roles/run.servicesInvoker", "roles/cloudfunctions.invoker"];

/** The `publicServices` property shared by the config schemas of the two policies that read it. */
export const PUBLIC_SERVICES_CONFIG_PROPERTY = {
    type: "array",
    items: { type: "string", minLength: 1 },
    uniqueItems: true,
    default: [],
    description:
        "Names of the Cloud Run services and functions that the internet may call (an allUsers or allAuthenticatedUsers invoker, ingress all).",
} as const;

/** How each invoker grant type names its target and members. */
const GRANT_TYPES: Readonly<Record<string, { readonly target: string; readonly form: "member" | "binding" | "policy" }>> = {
    [CLOUD_RUN_V2_SERVICE_IAM_MEMBER]: { target: "name", form: "member" },
    [CLOUD_RUN_V2_SERVICE_IAM_BINDING]: { target: "name", form: "binding" },
    [CLOUD_RUN_V2_SERVICE_IAM_POLICY]: { target: "name", form: "policy" },
    [CLOUD_RUN_V1_IAM_MEMBER]: { target: "service", form: "member" },
    [CLOUD_RUN_V1_IAM_BINDING]: { target: "service", form: "binding" },
    [CLOUD_RUN_V1_IAM_POLICY]: { target: "service", form: "policy" },
    [FUNCTION_V2_IAM_MEMBER]: { target: "cloudFunction", form: "member" },
    [FUNCTION_V2_IAM_BINDING]: { target: "cloudFunction", form: "binding" },
    [FUNCTION_V2_IAM_POLICY]: { target: "cloudFunction", form: "policy" },
};

/** The invoker grant types this module reads. */
export const SERVICE_GRANT_TYPES: readonly string[] = Object.keys(GRANT_TYPES);

/** The short name of a service reference: `netra-api`, or the last segment of `projects/.../services/netra-api`. */
export function serviceNameOf(reference: string): string {
    const trimmed = reference.trim();
    return (trimmed.split("/").pop() ?? trimmed).toLowerCase();
}

/** A grant to the public (allUsers, allAuthenticatedUsers) on a service or function. */
export interface PublicGrant {
    readonly resource: PolicyResource;
    readonly role: string;
    /** Words for the member, e.g. "allUsers (anyone on the internet)". */
    readonly member: string;
    /** The service's short name, or undefined when it is neither known nor traceable to a workload of the stack. */
    readonly service: string | undefined;
}

/** The service a grant is on: its target property, else the name of the workload that property depends on. */
function grantTarget(resource: PolicyResource, key: string): string | undefined {
    const value: string | Unknown | undefined = text(field(resource.props, key));
    if (typeof value === "string") {
        return serviceNameOf(value);
    }
    if (value !== UNKNOWN) {
        return undefined;
    }
    const names = dependenciesOf(resource, key)
        .filter((dependency) => workloadShape(dependency.type) !== undefined)
        .map((dependency) => text(field(dependency.props, "name")))
        .filter((name): name is string => typeof name === "string");
    return names.length === 1 ? serviceNameOf(names[0]) : undefined;
}

/** (role, members) pairs of one grant resource, members as known strings. */
function grantBindings(resource: PolicyResource, form: "member" | "binding" | "policy"): { role: string; members: string[] }[] {
    if (form === "policy") {
        return policyBindings(field(resource.props, "policyData"));
    }
    const role = text(field(resource.props, "role"));
    const raw = form === "member" ? [field(resource.props, "member")] : elements(field(resource.props, "members"));
    const members = Array.isArray(raw) ? raw.filter((member): member is string => typeof member === "string") : [];
    return typeof role === "string" ? [{ role, members }] : [];
}

/** Every grant of any role to allUsers or allAuthenticatedUsers on a service or function. */
export function publicGrants(resources: readonly PolicyResource[]): PublicGrant[] {
    const found: PublicGrant[] = [];
    for (const resource of resources) {
        const kind = Object.prototype.hasOwnProperty.call(GRANT_TYPES, resource.type) ? GRANT_TYPES[resource.type] : undefined;
        if (kind === undefined) {
            continue;
        }
        for (const { role, members } of grantBindings(resource, kind.form)) {
            for (const member of members.filter((candidate) => PUBLIC_MEMBERS.includes(candidate.trim()))) {
                found.push({ resource, role, member: describeWideMember(member) ?? member, service: grantTarget(resource, kind.target) });
            }
        }
    }
    return found;
}

/** The configured public service names, lower-cased; [] when absent or malformed. */
export function publicServiceNames(config: Readonly<Record<string, unknown>>): ReadonlySet<string> {
    const value = config.publicServices;
    const names = Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
    return new Set(names.map(serviceNameOf));
}

/** A Cloud Run service that turns its invoker IAM check off: anyone who reaches it may call it, without any grant. */
export interface OpenInvokerService {
    readonly resource: PolicyResource;
    /** The service's short name: its `name`, or the resource's name (from which the provider names it) when unset. */
    readonly service: string;
    /** The setting as the props spell it, e.g. `invokerIamDisabled`. */
    readonly setting: string;
}

/** `invokerIamDisabled`, `metadata.annotations["run.googleapis.com/invoker-iam-disabled"]`: a path as code spells it. */
function spelledPath(keys: readonly string[]): string {
    return keys.map((key, index) => (/^\w+$/.test(key) ? `${index === 0 ? "" : "."}${key}` : `[${JSON.stringify(key)}]`)).join("");
}

/** Every service whose invoker IAM check is off; a service whose setting or name is not known yet is left to the update run. */
export function servicesWithoutInvokerCheck(resources: readonly PolicyResource[]): OpenInvokerService[] {
    const found: OpenInvokerService[] = [];
    for (const resource of resources) {
        const shape = workloadShape(resource.type);
        if (shape?.invokerCheckOffPath === undefined || invokerCheckOff(shape, resource.props) !== true) {
            continue;
        }
        const name = text(field(resource.props, "name"));
        if (name === UNKNOWN) {
            continue;
        }
        const service = serviceNameOf(typeof name === "string" && name.trim() !== "" ? name : resource.name);
        found.push({ resource, service, setting: spelledPath(shape.invokerCheckOffPath) });
    }
    return found;
}
