/**
 * Cloud Run sets PORT (in the ingress container only), K_SERVICE, K_REVISION, K_CONFIGURATION and the
 * CLOUD_RUN_* job variables itself, and a deploy that sets one of them fails; catch it before the
 * deploy. PORT is free in sidecars (Google's own multi-container samples set it there) and in jobs
 * and worker pools, which take no requests. Reads only names (and whether a container declares ports).
 */
import {
    type ContainerRole,
    describeReservedEnvNamesFor,
    FUNCTION_RESERVED_ENV_NAMES,
    INGRESS_ONLY_ENV_NAMES,
    isReservedEnvNameFor,
} from "../rules/cloudrun-env";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";
import { validateWorkloads } from "./lib/validate-workload";
import {
    containersOf,
    envName,
    envsOf,
    isIngressContainer,
    type ContainerView,
    type WorkloadShape,
    type ContainerList,
} from "./lib/workloads";
import { UNKNOWN } from "./lib/props";

/** The policy's name. */
export const RESERVED_ENV_NAMES_POLICY = "cloudrun-reserved-env-names";

/** What is reported for a container that sets a reserved name; the list is what its role reserves. */
export function reservedNameMessage(containerLabel: string, variable: string, role: ContainerRole): string {
    return (
        `${containerLabel} sets ${variable}, which Cloud Run sets itself and refuses in a deploy; ` +
        `remove it (reserved: ${describeReservedEnvNamesFor(role)}).`
    );
}

/** The role of one container of a workload. */
function roleOf(shape: WorkloadShape, list: ContainerList, container: ContainerView): ContainerRole {
    if (shape.layout === "function") {
        // Stryker disable next-line StringLiteral: reservedNamesFor reads every role but "ingress" and "other" as a function's
        return "function";
    }
    return isIngressContainer(shape, list, container) ? "ingress" : "other";
}

/** Mandatory: no container sets a variable Cloud Run reserves for a container of its role. */
export const cloudrunReservedEnvNames: SingleResourcePolicy = {
    name: RESERVED_ENV_NAMES_POLICY,
    description:
        `No Cloud Run container sets a variable that Cloud Run reserves for itself (${describeReservedEnvNamesFor("other")}; ` +
        `also ${INGRESS_ONLY_ENV_NAMES.join(", ")} in the container that takes a service's requests, and ` +
        `${FUNCTION_RESERVED_ENV_NAMES.join(", ")} in a function).`,
    enforcementLevel: "mandatory",
    validateResource: validateWorkloads((shape, args, reportViolation) => {
        const list = containersOf(shape, args.props);
        if (list.state !== "present") {
            return;
        }
        for (const container of list.containers) {
            const envs = envsOf(container);
            if (envs === UNKNOWN) {
                continue;
            }
            const role = roleOf(shape, list, container);
            for (const env of envs) {
                const name = envName(env);
                if (typeof name === "string" && isReservedEnvNameFor(name, role)) {
                    reportViolation(reservedNameMessage(container.label, name, role));
                }
            }
        }
    }),
};
