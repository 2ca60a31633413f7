/**
 * Which environment the stack under analysis is. The policy config decides first (`environment` in
 * `policies/config/<stack>.json`); otherwise the stack's own name, if it is an environment name or an
 * alias. The policy SDK does not tell policies the stack; the Pulumi CLI passes it to the policy pack
 * process as PULUMI_NODEJS_STACK (and PULUMI_STACK), the same variables `pulumi.getStack()` reads.
 */
import { canonicalEnvironment, describeEnvironments, ENVIRONMENTS, type EnvironmentName } from "../../detector/environments";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** Environment variables the Pulumi CLI sets on the policy pack process, most specific first. */
export const STACK_NAME_VARIABLES: readonly string[] = ["PULUMI_NODEJS_STACK", "PULUMI_STACK"];

/** The `environment` property shared by the config schemas of policies that need the stack's environment. */
export const ENVIRONMENT_CONFIG_PROPERTY: PolicyConfigJSONSchema = {
    type: "string",
    enum: [...ENVIRONMENTS],
    description: "The stack's environment. When absent, the stack's name decides if it is an environment name or an alias.",
};

const ENVIRONMENT_LIST = describeEnvironments();
const STACK_VARIABLE_LIST = STACK_NAME_VARIABLES.join(" and ");

/** The stack's name as the CLI passed it, or undefined outside a Pulumi run. */
export function currentStackName(env: NodeJS.ProcessEnv = process.env): string | undefined {
    for (const variable of STACK_NAME_VARIABLES) {
        const value = env[variable];
        if (value !== undefined && value.trim() !== "") {
            return value.trim();
        }
    }
    return undefined;
}

/** The outcome: an environment and what decided it, or why nothing could. */
export type StackEnvironment =
    | { readonly decided: true; readonly environment: EnvironmentName; readonly source: "config" | "stack" }
    | { readonly decided: false; readonly reason: string };

/**
 * Resolves the stack's environment from the policy config's `environment` (canonical name or alias)
 * or, when the config has none, from the stack name (`staging`, `prod`, or the last segment of
 * `org/project/stack`).
 */
export function resolveStackEnvironment(configured: unknown, stackName: string | undefined): StackEnvironment {
    if (configured !== undefined && configured !== null) {
        const environment = typeof configured === "string" ? canonicalEnvironment(configured) : undefined;
        return environment === undefined
            ? {
                  decided: false,
                  reason: `the policy config sets "environment" to ${describeValue(configured)}, which is not one of ${ENVIRONMENT_LIST}`,
              }
            : { decided: true, environment, source: "config" };
    }
    if (stackName === undefined) {
        return {
            decided: false,
            reason: `the policy config sets no "environment" and the stack name is unknown (${STACK_VARIABLE_LIST} are unset)`,
        };
    }
    const lastSegment = stackName.split("/").pop() ?? stackName;
    const environment = canonicalEnvironment(lastSegment);
    return environment === undefined
        ? {
              decided: false,
              reason: `the policy config sets no "environment" and stack ${JSON.stringify(stackName)} is not named after one`,
          }
        : { decided: true, environment, source: "stack" };
}

/** The message a policy reports when the environment is undecided. */
export function undecidedEnvironmentMessage(policyName: string, reason: string): string {
    return (
        `Cannot tell which environment this stack is: ${reason}. Set "environment" (one of ${describeEnvironments()}) ` +
        `in the config of policy ${policyName}, or name the stack after its environment.`
    );
}

/** A short, safe rendering of a config value for messages. */
function describeValue(value: unknown): string {
    const rendered = JSON.stringify(value) ?? String(value);
    return rendered.length > 40 ? `${rendered.slice(0, 37)}...` : rendered;
}
