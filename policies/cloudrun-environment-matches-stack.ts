/**
 * ENVIRONMENT (and any other configured environment-naming variable) holds a canonical environment
 * name equal to the stack's environment, as a plain value the policy can read. A missing variable is
 * cloudrun-required-env-vars' finding, not this policy's. Unknown values are left to the update run.
 */
import {
    canonicalEnvironment,
    describeEnvironments,
    ENVIRONMENT_VARIABLE,
    isCanonicalEnvironment,
    type EnvironmentName,
} from "../detector/environments";
import { ENV_NAME_PATTERN } from "../rules/cloudrun-env";
import { UNKNOWN } from "./lib/props";
import {
    currentStackName,
    ENVIRONMENT_CONFIG_PROPERTY,
    resolveStackEnvironment,
    undecidedEnvironmentMessage,
} from "./lib/stack-environment";
import { readConfig, stringListConfig } from "./lib/policy-config";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";
import { validateWorkloads } from "./lib/validate-workload";
import { envName, hasLiteralValue, knownEnvEntries, literalValue, secretSource, type WorkloadShape } from "./lib/workloads";

/** The policy's name. */
export const ENVIRONMENT_MATCHES_STACK_POLICY = "cloudrun-environment-matches-stack";

/** Variables checked when the config lists none. ENVIRONMENT is checked whatever the config says. */
export const DEFAULT_ENVIRONMENT_VARIABLES: readonly string[] = [ENVIRONMENT_VARIABLE];

/** Config of the policy. */
export interface EnvironmentMatchesStackConfig {
    /** The stack's environment; default: the stack name's canonical form. */
    readonly environment?: EnvironmentName;
    /** Variables that must name the stack's environment when set; ENVIRONMENT is added when missing. Default: ["ENVIRONMENT"]. */
    readonly variables?: readonly string[];
}

/**
 * What is reported for a variable naming another environment: either the variable was written by hand
 * (let the component derive it from the stack) or the stack itself says the wrong environment.
 */
export function otherEnvironmentMessage(
    containerLabel: string,
    variable: string,
    value: EnvironmentName,
    expected: EnvironmentName,
): string {
    return (
        `${containerLabel} sets ${variable} to "${value}", but this stack's environment is ${expected}; do not write it by hand: ` +
        `declare the service through NetraCloudRunService, which sets it from the stack's \`environment\` ("${expected}"), ` +
        `or, if this stack really is ${value}, set \`environment: ${value}\` in its stack file and policy config.`
    );
}

/**
 * What is reported for the right name written with surrounding spaces and/or capitals: services
 * compare the exact string. Only the name itself is shown (the value is an environment name once trimmed and lower-cased).
 */
export function notExactMessage(
    containerLabel: string,
    variable: string,
    padded: boolean,
    miscased: boolean,
    expected: EnvironmentName,
): string {
    const problems = [padded ? "has surrounding spaces" : undefined, miscased ? "must be lower case" : undefined].filter(
        (problem): problem is string => problem !== undefined,
    );
    return `${containerLabel} sets ${variable} to ${expected} in a form services do not match: it ${problems.join(" and ")}; set it to exactly "${expected}".`;
}

/**
 * What is reported for a variable whose value is not a canonical name (an alias, a typo, empty). No part of
 * the value is shown, whatever it looks like: a variable's value may be a secret (a decrypted one in a state
 * export). An alias is described by the environment it stands for.
 */
export function notCanonicalMessage(containerLabel: string, variable: string, value: string, expected: EnvironmentName): string {
    const alias = canonicalEnvironment(value);
    const shown =
        value === ""
            ? "to an empty value, which is not"
            : alias === undefined
              ? "to a value (not shown) that is not"
              : `to an alias of ${alias}, which is not`;
    return `${containerLabel} sets ${variable} ${shown} a canonical environment name (${describeEnvironments()}); set it to "${expected}".`;
}

/** What is reported for a variable whose literal value is not a string (malformed props). */
export function notStringMessage(containerLabel: string, variable: string, expected: EnvironmentName): string {
    return `${containerLabel} sets ${variable} to a value that is not a string; set it to "${expected}".`;
}

/** What is reported for a variable read from a secret. */
export function fromSecretMessage(containerLabel: string, variable: string, expected: EnvironmentName): string {
    return `${containerLabel} takes ${variable} from a secret, so its value cannot be checked; set it as a plain value, "${expected}".`;
}

/** Checks every configured variable in every container of one workload against `expected`. */
function checkWorkload(
    shape: WorkloadShape,
    props: unknown,
    variables: ReadonlySet<string>,
    expected: EnvironmentName,
    reportViolation: (message: string) => void,
): void {
    for (const { container, env } of knownEnvEntries(shape, props)) {
        const variable = envName(env);
        if (typeof variable !== "string" || !variables.has(variable)) {
            continue;
        }
        // An entry without a literal value reads as empty, as Cloud Run reads it.
        const value = hasLiteralValue(env) ? literalValue(env) : "";
        if (value === "" && secretSource(shape, env).kind !== "none") {
            reportViolation(fromSecretMessage(container.label, variable, expected));
            continue;
        }
        if (value === UNKNOWN || value === expected) {
            continue;
        }
        const folded = typeof value === "string" ? value.trim().toLowerCase() : undefined;
        if (value === undefined) {
            reportViolation(notStringMessage(container.label, variable, expected));
        } else if (folded === expected) {
            reportViolation(notExactMessage(container.label, variable, value.trim() !== value, value.trim() !== folded, expected));
        } else if (isCanonicalEnvironment(folded)) {
            reportViolation(otherEnvironmentMessage(container.label, variable, folded, expected));
        } else {
            reportViolation(notCanonicalMessage(container.label, variable, value, expected));
        }
    }
}

/** Mandatory: ENVIRONMENT is a canonical name equal to the stack's environment. */
export const cloudrunEnvironmentMatchesStack: SingleResourcePolicy = {
    name: ENVIRONMENT_MATCHES_STACK_POLICY,
    description:
        "ENVIRONMENT in every Cloud Run container is a plain, canonical environment name equal to the stack's environment, " +
        "which the policy config or the stack name decides.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            environment: ENVIRONMENT_CONFIG_PROPERTY,
            variables: {
                type: "array",
                items: { type: "string", pattern: ENV_NAME_PATTERN.source },
                uniqueItems: true,
                default: [...DEFAULT_ENVIRONMENT_VARIABLES],
                description: "Variables that, when set, must name the stack's environment. ENVIRONMENT is always checked, listed or not.",
            },
        },
    },
    validateResource: validateWorkloads((shape, args, reportViolation) => {
        const config = readConfig(args);
        const resolution = resolveStackEnvironment(config.environment, currentStackName());
        if (!resolution.decided) {
            reportViolation(undecidedEnvironmentMessage(ENVIRONMENT_MATCHES_STACK_POLICY, resolution.reason));
            return;
        }
        const variables = new Set([ENVIRONMENT_VARIABLE, ...stringListConfig(config, "variables", DEFAULT_ENVIRONMENT_VARIABLES)]);
        checkWorkload(shape, args.props, variables, resolution.environment, (message) => reportViolation(message));
    }),
};
