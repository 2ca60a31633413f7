/**
 * Cloud Run sets PORT, K_SERVICE, K_REVISION, K_CONFIGURATION and the CLOUD_RUN_* job variables
 * itself, and a deploy that sets one of them fails; catch it before the deploy. Reads only names.
 */
import { describeReservedEnvNames, isReservedEnvName } from "../rules/cloudrun-env";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";
import { validateWorkloads } from "./lib/validate-workload";
import { envName, knownEnvEntries } from "./lib/workloads";

/** The policy's name. */
export const RESERVED_ENV_NAMES_POLICY = "cloudrun-reserved-env-names";

/** What is reported for a container that sets a reserved name. */
export function reservedNameMessage(containerLabel: string, variable: string): string {
    return (
        `${containerLabel} sets ${variable}, which Cloud Run sets itself and refuses in a deploy; ` +
        `remove it (reserved: ${describeReservedEnvNames()}).`
    );
}

/** Mandatory: no container sets a variable Cloud Run reserves. */
export const cloudrunReservedEnvNames: SingleResourcePolicy = {
    name: RESERVED_ENV_NAMES_POLICY,
    description: `No Cloud Run container sets a variable that Cloud Run reserves for itself (${describeReservedEnvNames()}).`,
    enforcementLevel: "mandatory",
    validateResource: validateWorkloads((shape, args, reportViolation) => {
        for (const { container, env } of knownEnvEntries(shape, args.props)) {
            const name = envName(env);
            if (typeof name === "string" && isReservedEnvName(name)) {
                reportViolation(reservedNameMessage(container.label, name));
            }
        }
    }),
};
