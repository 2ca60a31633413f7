/**
 * Policy configuration exactly as the Pulumi CLI builds it before calling the pack's `Configure`:
 * the `--policy-pack-config` JSON is parsed (`parsePolicyPackConfig`), then reconciled with each
 * policy's defaults and the pack's initial config and validated against each policy's config
 * schema (`ReconcilePolicyPackConfig`, pkg/resource/analyzer/config.go). Stricter than the CLI in
 * one way: a policy name or a setting the pack does not have is an error (the CLI passes it on and
 * the pack ignores it, so a typo silently turns a setting off). Every error names the key, what was
 * given and what is allowed; the host prefixes the file.
 */
import type { ValidateFunction } from "ajv";
import { ENFORCEMENT_LEVELS, type EnforcementLevel, isEnforcementLevel } from "./analyzer-wire";
import { escapeText } from "./report/escape";
import { DEFAULT_CACHE_DIR, SchemaValidators } from "./schema-validators";

/** "(allowed: advisory, mandatory, remediate, disabled)": appended to every enforcement level error. */
const ALLOWED_LEVELS = `(allowed: ${ENFORCEMENT_LEVELS.join(", ")})`;

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
            `parsing enforcement level for ${quoteKey(key)}: ${describeGiven(level)} is not a valid enforcement level; must be a string ${ALLOWED_LEVELS}`,
        );
    }
    if (!isEnforcementLevel(level)) {
        throw new PolicyConfigError(
            `parsing enforcement level for ${quoteKey(key)}: ${describeGiven(level)} is not a valid enforcement level ${ALLOWED_LEVELS}`,
        );
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
                throw new PolicyConfigError(
                    `parsing enforcement level for ${quoteKey(key)}: ${describeGiven(value)} is not a valid enforcement level ${ALLOWED_LEVELS}`,
                );
            }
            enforcementLevel = value;
        } else if (isRecord(value)) {
            const props = { ...value };
            enforcementLevel = extractEnforcementLevel(key, props);
            properties = Object.keys(props).length > 0 ? props : undefined;
        } else {
            throw new PolicyConfigError(
                `parsing ${quoteKey(key)}: ${describeGiven(value)} is not a valid value; must be a string or object (an enforcement level, or settings)`,
            );
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
    // Like the CLI, "all" itself is also applied as an entry, so Configure carries it (the pack ignores
    // unknown names): pulumi/pulumi pkg/resource/analyzer/config.go, applyConfig, whose loop over the
    // given entries does not skip "all".
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

/**
 * Text of the config as a message shows it: JSON-quoted (as the CLI's %q quotes it), cut at `max`
 * characters, and every character but printable ASCII escaped (`\u001b`, `\u200b`), so a key or a
 * value holding a newline, a terminal code or an invisible character keeps the message one honest line.
 */
function shown(rendered: string, max: number): string {
    return escapeText(rendered.length > max ? `${rendered.slice(0, max - 3)}...` : rendered, Number.POSITIVE_INFINITY);
}

/** A value as the user wrote it, cut short so a long (or secret-looking) value never floods the line. */
export function describeGiven(value: unknown): string {
    return shown(JSON.stringify(value) ?? String(value), 60);
}

/** A key or key path of the config, quoted: `"cloudrun-required-env-vars.requiredNames[2]"`. */
export function quoteKey(key: string): string {
    return shown(JSON.stringify(key), 200);
}

type Schema = Readonly<Record<string, unknown>>;

function isSchema(value: unknown): value is Schema {
    return isRecord(value);
}

/** Words for what a JSON schema accepts: "one of "development", "test"", "an array of strings matching ^[A-Z]+$", ... */
export function describeAllowed(schema: Schema): string {
    if (Array.isArray(schema.enum)) {
        return `one of ${schema.enum.map((value) => JSON.stringify(value)).join(", ")}`;
    }
    const type = typeof schema.type === "string" ? schema.type : undefined;
    const article = type === "array" || type === "object" || type === "integer" ? "an" : "a";
    let words = type === undefined ? "a value" : `${article} ${type}`;
    if (type === "array" && isSchema(schema.items)) {
        words += ` of ${describeAllowed(schema.items).replace(/^an? (\w+)/, "$1s")}`;
        if (schema.uniqueItems === true) {
            words += ", each once";
        }
    }
    if (typeof schema.pattern === "string") {
        words += ` matching ${schema.pattern}`;
    }
    if (typeof schema.minLength === "number" && schema.minLength > 0) {
        words += " (not empty)";
    }
    if (typeof schema.minimum === "number" || typeof schema.maximum === "number") {
        words += ` from ${String(schema.minimum ?? "-inf")} to ${String(schema.maximum ?? "inf")}`;
    }
    return words;
}

/** `policy.property[0]` from a policy name and an ajv instance path (`/property/0`). */
function keyPath(policy: string, instancePath: string): string {
    return instancePath
        .split("/")
        .slice(1)
        .reduce((key, segment) => (/^[0-9]+$/.test(segment) ? `${key}[${segment}]` : `${key}.${segment}`), policy);
}

/** Compiles a policy's config schema into a validator. */
export type SchemaCompiler = (schema: Record<string, unknown>) => ValidateFunction;

/**
 * A compiler that compiles each schema text once, with one ajv (schema-validators.ts: every error,
 * with the schema it broke; unknown keywords ignored, as the CLI's validator ignores them). With a
 * cache folder, validators are kept on disk across runs; without one, in memory only.
 */
export function schemaCompiler(cacheDir?: string): SchemaCompiler {
    const validators = new SchemaValidators(cacheDir);
    return (schema) => validators.get(schema);
}

/**
 * One for the process, cached on disk across runs: the pack host and the report reconcile the same
 * schemas, and loading ajv and compiling its meta-schema cost a tenth of the check's main thread.
 */
const sharedCompiler = schemaCompiler(DEFAULT_CACHE_DIR);

function validate(policies: readonly PolicyConfigTarget[], config: PolicyConfig, compile: SchemaCompiler): string[] {
    const errors: string[] = [];
    const names = new Set(policies.map((policy) => policy.name));
    for (const name of Object.keys(config)) {
        if (name !== "all" && !names.has(name)) {
            errors.push(`${quoteKey(name)} is not a policy of this pack; allowed: all, ${[...names].sort().join(", ")}`);
        }
    }
    for (const policy of policies) {
        const properties = policy.configSchema?.properties ?? {};
        // Stryker disable next-line OptionalChaining: configWithDefaults gives every policy of the pack an entry
        const given = config[policy.name]?.properties ?? {};
        for (const key of Object.keys(given).filter((key) => !Object.prototype.hasOwnProperty.call(properties, key))) {
            const allowed = ["enforcementLevel", ...Object.keys(properties)].join(", ");
            errors.push(`${quoteKey(`${policy.name}.${key}`)} is not a setting of policy ${policy.name}; allowed: ${allowed}`);
        }
        if (!policy.configSchema) {
            continue;
        }
        // `given` is always an object, so no `type`; empty `properties` and `required` check nothing.
        const check = compile({ properties, required: policy.configSchema.required ?? [] });
        // Stryker disable next-line BlockStatement: when `given` is valid, ajv reports no errors, so the loop below adds none
        if (check(given)) {
            continue;
        }
        // One line per offending value: the innermost error at each path says the most.
        const seen = new Set<string>();
        // Stryker disable next-line ArrayDeclaration: ajv sets `errors` whenever validation fails
        for (const error of check.errors ?? []) {
            if (error.keyword === "required") {
                const missing = String((error.params as { missingProperty?: unknown }).missingProperty);
                const property = properties[missing];
                errors.push(
                    `${quoteKey(`${policy.name}.${missing}`)} is required; allowed: ${isSchema(property) ? describeAllowed(property) : "a value"}`,
                );
                continue;
            }
            const key = keyPath(policy.name, error.instancePath);
            if (seen.has(key)) {
                continue;
            }
            seen.add(key);
            // Stryker disable next-line LogicalOperator,StringLiteral: with `verbose`, ajv gives every error its parentSchema
            const allowed = isSchema(error.parentSchema) ? describeAllowed(error.parentSchema) : (error.message ?? "a valid value");
            const reason = error.keyword === "uniqueItems" ? " (repeats an item)" : "";
            errors.push(`${quoteKey(key)} is ${describeGiven(error.data)}${reason}; allowed: ${allowed}`);
        }
    }
    return errors.sort();
}

/** The configuration to send, or the validation errors that stop the CLI from sending it. */
export type ReconciledPolicyConfig = { ok: true; config: PolicyConfig } | { ok: false; errors: string[] };

/**
 * Every policy with its default enforcement level and schema defaults, then the pack's initial
 * config, then the given config on top ("all" sets every policy's level), validated against each
 * policy's config schema (with the process's shared compiler unless another is given).
 */
export function reconcilePolicyConfig(
    policies: readonly PolicyConfigTarget[],
    initialConfig: PolicyConfig,
    config: PolicyConfig,
    compile: SchemaCompiler = sharedCompiler,
): ReconciledPolicyConfig {
    let result = configWithDefaults(policies);
    result = applyConfig(result, initialConfig);
    result = applyConfig(result, config);
    const errors = validate(policies, result, compile);
    return errors.length > 0 ? { ok: false, errors } : { ok: true, config: result };
}
