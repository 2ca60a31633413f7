/**
 * Policy configuration exactly as the Pulumi CLI builds it before calling the pack's `Configure`:
 * the `--policy-pack-config` JSON is parsed (`parsePolicyPackConfig`), then reconciled with each
 * policy's defaults and the pack's initial config and validated against each policy's config
 * schema (`ReconcilePolicyPackConfig`, pkg/resource/analyzer/config.go).
 */
import type Ajv from "ajv";
import { type EnforcementLevel, isEnforcementLevel } from "./analyzer-wire";

/** One policy's configuration: an enforcement level and/or properties. */
export interface PolicyConfigEntry {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** Policy name (or "all") to its configuration. */
export type PolicyConfig = Record<string, PolicyConfigEntry>;

/** The part of a policy's metadata that reconciliation needs. */
export interface PolicyConfigTarget {
    readonly name: string;
    readonly enforcementLevel: EnforcementLevel;
    /** JSON schema of the policy's config properties, if it has any. */
    readonly configSchema?: { readonly properties?: Record<string, Record<string, unknown>>; readonly required?: readonly string[] };
}

/** A policy config file or object that cannot be parsed. */
export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function extractEnforcementLevel(key: string, props: Record<string, unknown>): EnforcementLevel | undefined {
    if (!("enforcementLevel" in props)) {
        return undefined;
    }
    const level = props.enforcementLevel;
    delete props.enforcementLevel;
    if (typeof level !== "string") {
        throw new PolicyConfigError(
            `parsing enforcement level for "${key}": ${JSON.stringify(level)} is not a valid enforcement level; must be a string`,
        );
    }
    if (!isEnforcementLevel(level)) {
        throw new PolicyConfigError(`parsing enforcement level for "${key}": "${level}" is not a valid enforcement level`);
    }
    return level;
}

/**
 * Parses policy config as the CLI parses a `--policy-pack-config` file: each key maps to an
 * enforcement level string or to an object of properties that may hold `enforcementLevel`.
 * Entries with neither are dropped. `undefined` (no file) gives {}.
 */
export function parsePolicyConfig(input: unknown): PolicyConfig {
    if (input === undefined || input === null) {
        return {};
    }
    if (!isRecord(input)) {
        throw new PolicyConfigError("policy config must be a JSON object mapping policy names to a level or an object");
    }
    const result: PolicyConfig = {};
    for (const [key, value] of Object.entries(input)) {
        let enforcementLevel: EnforcementLevel | undefined;
        let properties: Record<string, unknown> | undefined;
        if (typeof value === "string") {
            if (!isEnforcementLevel(value)) {
                throw new PolicyConfigError(`parsing enforcement level for "${key}": "${value}" is not a valid enforcement level`);
            }
            enforcementLevel = value;
        } else if (isRecord(value)) {
            const props = { ...value };
            enforcementLevel = extractEnforcementLevel(key, props);
            properties = Object.keys(props).length > 0 ? props : undefined;
        } else {
            throw new PolicyConfigError(`parsing "${key}": ${JSON.stringify(value)} is not a valid value; must be a string or object`);
        }
        if (enforcementLevel === undefined && properties === undefined) {
            continue;
        }
        result[key] = { ...(enforcementLevel ? { enforcementLevel } : {}), ...(properties ? { properties } : {}) };
    }
    return result;
}

function configWithDefaults(policies: readonly PolicyConfigTarget[]): PolicyConfig {
    const result: PolicyConfig = {};
    for (const policy of policies) {
        let properties: Record<string, unknown> | undefined;
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if (isRecord(schema) && "default" in schema) {
                properties = { ...properties, [key]: schema.default };
            }
        }
        result[policy.name] = { enforcementLevel: policy.enforcementLevel, ...(properties ? { properties } : {}) };
    }
    return result;
}

function applyConfig(result: PolicyConfig, config: PolicyConfig): PolicyConfig {
    const all = config.all;
    if (all?.enforcementLevel) {
        for (const [name, entry] of Object.entries(result)) {
            result[name] = { ...entry, enforcementLevel: all.enforcementLevel };
        }
    }
    // Like the CLI, "all" itself is also applied as an entry (the pack ignores unknown names).
    for (const [name, given] of Object.entries(config)) {
        const current = result[name] ?? {};
        const properties =
            given.properties && Object.keys(given.properties).length > 0
                ? { ...current.properties, ...given.properties }
                : current.properties;
        const enforcementLevel = given.enforcementLevel ?? current.enforcementLevel;
        result[name] = { ...(enforcementLevel ? { enforcementLevel } : {}), ...(properties ? { properties } : {}) };
    }
    return result;
}

/** Loaded on first use: most runs validate nothing, and ajv costs tens of milliseconds to load. */
function loadAjv(): typeof Ajv {
    return (require("ajv") as { default: typeof Ajv }).default;
}

function validate(policies: readonly PolicyConfigTarget[], config: PolicyConfig): string[] {
    const errors: string[] = [];
    let ajv: Ajv | undefined;
    for (const policy of policies) {
        if (!policy.configSchema) {
            continue;
        }
        ajv ??= new (loadAjv())({ allErrors: true, strict: false });
        const schema: Record<string, unknown> = { type: "object" };
        if (policy.configSchema.properties && Object.keys(policy.configSchema.properties).length > 0) {
            schema.properties = policy.configSchema.properties;
        }
        if (policy.configSchema.required && policy.configSchema.required.length > 0) {
            schema.required = policy.configSchema.required;
        }
        const check = ajv.compile(schema);
        if (!check(config[policy.name]?.properties ?? {})) {
            for (const error of check.errors ?? []) {
                const where = error.instancePath === "" ? "" : `${error.instancePath.slice(1).replace(/\//g, ".")}: `;
                errors.push(`${policy.name}: ${where}${error.message ?? "is invalid"}`);
            }
        }
    }
    return errors.sort();
}

/** The configuration to send, or the validation errors that stop the CLI from sending it. */
export type ReconciledPolicyConfig = { ok: true; config: PolicyConfig } | { ok: false; errors: string[] };

/**
 * Every policy with its default enforcement level and schema defaults, then the pack's initial
 * config, then the given config on top ("all" sets every policy's level), validated against each
 * policy's config schema.
 */
export function reconcilePolicyConfig(
    policies: readonly PolicyConfigTarget[],
    initialConfig: PolicyConfig,
    config: PolicyConfig,
): ReconciledPolicyConfig {
    let result = configWithDefaults(policies);
    result = applyConfig(result, initialConfig);
    result = applyConfig(result, config);
    const errors = validate(policies, result);
    return errors.length > 0 ? { ok: false, errors } : { ok: true, config: result };
}
