/**
 * Only the services a stack means to publish may be called by anyone: an allUsers or
 * allAuthenticatedUsers invoker (member, binding or policy document) on a Cloud Run service or a
 * function, or a service that turns the invoker IAM check off (v2 `invokerIamDisabled`, v1's
 * `run.googleapis.com/invoker-iam-disabled` annotation: Google's recommended way to make a service
 * public, with no grant at all), is allowed for the names the stack's policy config lists under
 * `publicServices`, and no other role is ever granted to the public. Peers: checkov CKV_GCP_102, KICS
 * "Cloud Run service is publicly accessible".
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "./lib/policy-config";
import {
    INVOKER_ROLES,
    PUBLIC_SERVICES_CONFIG_PROPERTY,
    publicGrants,
    publicServiceNames,
    servicesWithoutInvokerCheck,
} from "./lib/public-access";

/** The policy's name. */
export const PUBLIC_ACCESS_ALLOWED_POLICY = "cloudrun-public-access-allowed";

function kindOf(type: string): string {
    return type.split(":").pop() ?? type;
}

/** What is reported for a public invoker on a service the config does not list. */
export function unlistedPublicServiceMessage(type: string, name: string, service: string, member: string): string {
    return (
        `${kindOf(type)} "${name}" lets ${member} call "${service}", which the policy config does not list as public; ` +
        `remove the grant, or add "${service}" to publicServices in the config of policy ${PUBLIC_ACCESS_ALLOWED_POLICY} if it is meant to be public.`
    );
}

/** What is reported for a service not listed as public that turns its invoker IAM check off. */
export function invokerCheckOffMessage(type: string, name: string, service: string, setting: string): string {
    return (
        `${kindOf(type)} "${name}" turns Cloud Run's invoker IAM check off (${setting}), so anyone who reaches it may call ` +
        `"${service}", which the policy config does not list as public; turn the check back on, or add "${service}" to ` +
        `publicServices in the config of policy ${PUBLIC_ACCESS_ALLOWED_POLICY} if it is meant to be public.`
    );
}

/** What is reported for a role other than invoker granted to the public. */
export function publicNonInvokerMessage(type: string, name: string, role: string, member: string): string {
    return (
        `${kindOf(type)} "${name}" grants ${role} to ${member}; the public may at most invoke a service ` +
        `(${INVOKER_ROLES.join(", ")}), never manage or read it.`
    );
}

/** Mandatory stack policy: public invokers only on the services listed as public. */
export const cloudrunPublicAccessAllowed: StackValidationPolicy = {
    name: PUBLIC_ACCESS_ALLOWED_POLICY,
    description:
        "An allUsers or allAuthenticatedUsers invoker on a Cloud Run service or function, or a service's invoker IAM check turned off, " +
        "exists only for the services the stack's policy config lists under publicServices, and the public is never granted any other role.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { publicServices: PUBLIC_SERVICES_CONFIG_PROPERTY } },
    validateStack: (args, reportViolation) => {
        const allowed = publicServiceNames(readConfig(args));
        for (const grant of publicGrants(args.resources)) {
            const { type, name, urn } = grant.resource;
            if (!INVOKER_ROLES.includes(grant.role)) {
                reportViolation(publicNonInvokerMessage(type, name, grant.role, grant.member), urn);
            } else if (grant.service !== undefined && !allowed.has(grant.service)) {
                // A service not known yet (preview, no traceable dependency) is judged by the update run.
                reportViolation(unlistedPublicServiceMessage(type, name, grant.service, grant.member), urn);
            }
        }
        for (const { resource, service, setting } of servicesWithoutInvokerCheck(args.resources)) {
            if (!allowed.has(service)) {
                reportViolation(invokerCheckOffMessage(resource.type, resource.name, service, setting), resource.urn);
            }
        }
    },
};
