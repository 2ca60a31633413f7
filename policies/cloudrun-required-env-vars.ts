/**
 * Every container of every Cloud Run workload declares the required variables, ENVIRONMENT always:
 * a deploy path that left ENVIRONMENT out made the backend guess its environment (WebSocket 1011).
 * Reads only variable names, which are known during preview.
 */
import { ENV_NAME_PATTERN } from "../rules/cloudrun-env";
import { ENVIRONMENT_VARIABLE } from "../detector/environments";
import { containersOf, knownEnvNames } from "./lib/workloads";
import { UNKNOWN } from "./lib/props";
import { readConfig, stringListConfig } from "./lib/policy-config";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";
import { validateWorkloads } from "./lib/validate-workload";

/** The policy's name. */
export const REQUIRED_ENV_VARS_POLICY = "cloudrun-required-env-vars";

/** Required names when the config sets none. ENVIRONMENT is required whatever the config says. */
export const DEFAULT_REQUIRED_NAMES: readonly string[] = [ENVIRONMENT_VARIABLE];

/** Config of the policy. */
export interface RequiredEnvVarsConfig {
    /** Variables every container must declare; ENVIRONMENT is added when missing. Default: ["ENVIRONMENT"]. */
    readonly requiredNames?: readonly string[];
}

/** The names to require: ENVIRONMENT first, then the configured ones, without repeats. */
export function requiredNames(config: Readonly<Record<string, unknown>>): readonly string[] {
    return [...new Set([ENVIRONMENT_VARIABLE, ...stringListConfig(config, "requiredNames", DEFAULT_REQUIRED_NAMES)])];
}

/** What is reported for a container that does not declare `name`. */
export function missingVariableMessage(containerLabel: string, name: string): string {
    return name === ENVIRONMENT_VARIABLE
        ? `${containerLabel} does not set ${name}; every Cloud Run container must declare it explicitly, or the service guesses ` +
              "its environment (the WebSocket 1011 incident)."
        : `${containerLabel} does not set ${name}, which the config of policy ${REQUIRED_ENV_VARS_POLICY} requires in every container.`;
}

/** What is reported for a workload without containers. */
export function noContainersMessage(noun: string, containersPath: string, names: readonly string[]): string {
    return `The ${noun} declares no containers at ${containersPath}, so nothing sets ${names.join(", ")}.`;
}

/** Mandatory: every container declares the configured variable names (default ENVIRONMENT). */
export const cloudrunRequiredEnvVars: SingleResourcePolicy = {
    name: REQUIRED_ENV_VARS_POLICY,
    description:
        "Every container of a Cloud Run service, job, worker pool or function declares ENVIRONMENT and the other variables the stack's policy config requires.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requiredNames: {
                type: "array",
                items: { type: "string", pattern: ENV_NAME_PATTERN.source },
                uniqueItems: true,
                default: [...DEFAULT_REQUIRED_NAMES],
                description: "Variables every container must declare. ENVIRONMENT is always required, listed or not.",
            },
        },
    },
    validateResource: validateWorkloads((shape, args, reportViolation) => {
        const names = requiredNames(readConfig(args));
        const list = containersOf(shape, args.props);
        if (list.state === "unknown") {
            return;
        }
        if (list.state === "missing") {
            reportViolation(noContainersMessage(shape.noun, list.path, names));
            return;
        }
        for (const container of list.containers) {
            const declared = knownEnvNames(container);
            if (declared === UNKNOWN) {
                // A name not known yet could be the required one; the update run checks it.
                continue;
            }
            for (const name of names.filter((required) => !declared.has(required))) {
                reportViolation(missingVariableMessage(container.label, name));
            }
        }
    }),
};
