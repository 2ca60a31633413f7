/**
 * Runs policy objects the way @pulumi/policy's Analyzer server does, without a server: props go
 * through the SDK's own deserialisation and unknown-checking proxy (so preview fixtures hold unknowns
 * exactly as the engine sends them), `notApplicable` throws, and an UnknownValueError escaping a
 * policy is recorded as the "can't run during preview" downgrade the server would report.
 */
import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import type { SingleResourcePolicy } from "../../policies/lib/single-resource-policy";
import { STACK_NAME_VARIABLES } from "../../policies/lib/stack-environment";

interface SdkInternals {
    deserializeProperties(struct: Struct, proxySecrets: boolean): Record<string, unknown>;
    unknownCheckingProxy<T>(value: T): T;
    UnknownValueError: new (...args: never[]) => Error;
}

// The SDK's typings hide these (they are @internal); the server uses exactly these functions.

const deserialize = require("@pulumi/policy/deserialize") as Pick<SdkInternals, "deserializeProperties">;

const proxy = require("@pulumi/policy/proxy") as Pick<SdkInternals, "unknownCheckingProxy" | "UnknownValueError">;

/** What the engine sends for a value it does not know yet (a computed output during preview). */
export const UNKNOWN_VALUE: string = rpc.unknownValue;

/** A value marked secret, as the engine sends it. */
export function secretValue(value: unknown): Record<string, unknown> {
    return { [rpc.specialSigKey]: rpc.specialSecretSig, value };
}

/** Props as a policy sees them: serialised to a protobuf Struct, deserialised by the SDK, wrapped in its proxy. */
export function asPolicyProps(props: Record<string, unknown>): Record<string, unknown> {
    const struct = Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]);
    return proxy.unknownCheckingProxy(deserialize.deserializeProperties(struct, false));
}

/** Thrown by the harness's `notApplicable`, like the server's NotApplicableError. */
export class NotApplicable extends Error {
    constructor(readonly reason: string | undefined) {
        super(reason ?? "Policy does not apply");
    }
}

/** The outcome of running one policy on one resource or stack. */
export interface PolicyRun {
    /** Messages passed to reportViolation, in order. */
    readonly violations: string[];
    /** URNs passed with them (stack policies). */
    readonly urns: (string | undefined)[];
    /** The reason, when the policy called notApplicable. */
    readonly notApplicable?: string;
    /** The server's downgrade message, when an unknown value escaped the policy. */
    readonly previewError?: string;
}

/** One resource to validate. */
export interface ResourceInput {
    readonly type: string;
    readonly props: Record<string, unknown>;
    readonly name?: string;
    /** What getConfig returns; default {}. */
    readonly config?: Record<string, unknown>;
}

/** Calls the policy's validateResource with args built like the server builds them. */
export async function runResourcePolicy(policy: SingleResourcePolicy, input: ResourceInput): Promise<PolicyRun> {
    const violations: string[] = [];
    const urns: (string | undefined)[] = [];
    const name = input.name ?? "subject";
    const props = asPolicyProps(input.props);
    const report: ReportViolation = (message, urn) => {
        violations.push(message);
        urns.push(urn);
    };
    try {
        await policy.validateResource(
            {
                type: input.type,
                props,
                urn: urnOf(input.type, name),
                name,
                opts: NO_OPTIONS,
                stackTags: new Map<string, string>(),
                isType: () => false,
                asType: () => undefined,
                getConfig: <T extends object>() => (input.config ?? {}) as T,
                notApplicable: (reason?: string): never => {
                    throw new NotApplicable(reason);
                },
            },
            report,
        );
    } catch (error) {
        return outcomeOfThrow(error, violations, urns);
    }
    return { violations, urns };
}

/** One resource of a stack fixture; dependencies name other resources of the same fixture. */
export interface StackResourceInput {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** Resource options as the engine sends them for a resource that sets none. */
const NO_OPTIONS = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

/** The URN the harness gives a stack fixture resource. */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:staging::netra-staging::${type}::${name}`;
}

/** Builds linked PolicyResources from fixtures, as the server links parents and dependencies by URN. */
export function policyResources(inputs: readonly StackResourceInput[]): PolicyResource[] {
    const byName = new Map<string, PolicyResource>();
    const resources = inputs.map((input) => {
        const props = asPolicyProps(input.props);
        const resource: PolicyResource = {
            type: input.type,
            props,
            urn: urnOf(input.type, input.name),
            name: input.name,
            opts: NO_OPTIONS,
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        };
        byName.set(input.name, resource);
        return resource;
    });
    const lookup = (names: readonly string[]): PolicyResource[] =>
        names.map((name) => {
            const found = byName.get(name);
            if (found === undefined) {
                throw new Error(`fixture names unknown resource ${name}`);
            }
            return found;
        });
    inputs.forEach((input, position) => {
        const resource = resources[position];
        resource.parent = input.parent === undefined ? undefined : lookup([input.parent])[0];
        resource.dependencies = lookup(input.dependencies ?? []);
        resource.propertyDependencies = Object.fromEntries(
            Object.entries(input.propertyDependencies ?? {}).map(([key, names]) => [key, lookup(names)]),
        );
    });
    return resources;
}

/** Calls the policy's validateStack with args built like the server builds them. */
export async function runStackPolicy(
    policy: StackValidationPolicy,
    inputs: readonly StackResourceInput[],
    config: Record<string, unknown> = {},
): Promise<PolicyRun> {
    const violations: string[] = [];
    const urns: (string | undefined)[] = [];
    try {
        await policy.validateStack(
            {
                resources: policyResources(inputs),
                stackTags: new Map<string, string>(),
                getConfig: <T extends object>() => config as T,
                notApplicable: (reason?: string): never => {
                    throw new NotApplicable(reason);
                },
            },
            (message, urn) => {
                violations.push(message);
                urns.push(urn);
            },
        );
    } catch (error) {
        return outcomeOfThrow(error, violations, urns);
    }
    return { violations, urns };
}

/** Maps what a policy threw to the server's handling; anything else is a bug and is rethrown. */
function outcomeOfThrow(error: unknown, violations: string[], urns: (string | undefined)[]): PolicyRun {
    if (error instanceof NotApplicable) {
        return { violations, urns, notApplicable: error.reason };
    }
    if (error instanceof proxy.UnknownValueError) {
        return { violations, urns, previewError: `can't run during preview: ${error.message}` };
    }
    throw error;
}

/** Runs `body` with the stack name the CLI would pass (undefined: as if outside a Pulumi run), then restores the environment. */
export async function withStackName<T>(stack: string | undefined, body: () => Promise<T>): Promise<T> {
    const saved = STACK_NAME_VARIABLES.map((variable) => [variable, process.env[variable]] as const);
    for (const variable of STACK_NAME_VARIABLES) {
        delete process.env[variable];
    }
    if (stack !== undefined) {
        process.env[STACK_NAME_VARIABLES[0]] = stack;
    }
    try {
        return await body();
    } finally {
        for (const [variable, value] of saved) {
            if (value === undefined) {
                delete process.env[variable];
            } else {
                process.env[variable] = value;
            }
        }
    }
}
