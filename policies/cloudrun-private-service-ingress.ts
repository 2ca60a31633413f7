/**
 * A service that the stack does not publish should not take traffic from the whole internet: ingress
 * `all` (the default of every shape) on a Cloud Run service or function that the policy config does
 * not list under `publicServices` is worth a look. Advisory: an internal service behind IAM is still
 * protected, but `internal` or `internal-and-cloud-load-balancing` also keeps it off the internet.
 */
import { field, text } from "./lib/props";
import { readConfig } from "./lib/policy-config";
import { PUBLIC_SERVICES_CONFIG_PROPERTY, publicServiceNames, serviceNameOf } from "./lib/public-access";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";
import { validateWorkloads } from "./lib/validate-workload";
import { hasIngress, ingressOf, type IngressShape } from "./lib/workloads";

/** The policy's name. */
export const PRIVATE_SERVICE_INGRESS_POLICY = "cloudrun-private-service-ingress";

/** What is reported for ingress all on a service not listed as public. */
export function openIngressMessage(shape: IngressShape, service: string): string {
    const setting = shape.ingressPath.join(".");
    return (
        `The ${shape.noun} "${service}" accepts traffic from the internet (${setting} is all or unset) but the policy config does ` +
        `not list it under publicServices; restrict ${setting} to internal traffic, or list it if it is meant to be public.`
    );
}

/** Advisory: ingress all only on services listed as public. */
export const cloudrunPrivateServiceIngress: SingleResourcePolicy = {
    name: PRIVATE_SERVICE_INGRESS_POLICY,
    description:
        "A Cloud Run service or function that the stack's policy config does not list under publicServices restricts its ingress " +
        "to internal traffic (or internal and Cloud Load Balancing).",
    enforcementLevel: "advisory",
    configSchema: { properties: { publicServices: PUBLIC_SERVICES_CONFIG_PROPERTY } },
    validateResource: validateWorkloads((shape, args, reportViolation) => {
        if (!hasIngress(shape)) {
            return;
        }
        const name = text(field(args.props, "name"));
        if (typeof name !== "string" || ingressOf(shape, args.props) !== "all") {
            return;
        }
        if (!publicServiceNames(readConfig(args)).has(serviceNameOf(name))) {
            reportViolation(openIngressMessage(shape, name));
        }
    }),
};
