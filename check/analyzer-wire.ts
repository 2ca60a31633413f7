/**
 * The Analyzer protocol's values in the check: resources read from the Pulumi SDK's wire form (what
 * `serializeProperties` produces and a resource monitor receives in RegisterResource) as the engine
 * re-marshals them for a policy pack, and the protocol's enums as names. analyzer-encoding.ts writes
 * the requests from these.
 *
 * The reading follows the engine's `MarshalProperties(props, {KeepUnknowns, KeepSecrets,
 * SkipInternalKeys})` in sdk/go/common/resource/plugin/rpc.go and `marshalResourceOptions` in
 * analyzer_plugin.go, so the pack sees exactly what `pulumi preview --policy-pack` would give it.
 */
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

/** The key under which the wire form marks special values (secrets, assets, references...). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a secret: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Signature of an asset. */
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
/** Signature of an archive. */
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
/** Signature of a resource reference: `{ [SIG_KEY]: RESOURCE_SIG, urn, id?, packageVersion? }`. */
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** Signature of an output value: `{ [SIG_KEY]: OUTPUT_VALUE_SIG, value?, secret?, dependencies? }`. */
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
/** The string the SDK and the engine send for a value that is not known yet (a preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The deepest nesting a property value may have: levels of objects and lists below a resource's
 * properties (for a live export, below the document's root). Real values are shallow: Cloud Run's and
 * IAM's API objects nest about a dozen levels, and the deepest state export seen here about twenty.
 * Every step that carries a value to the pack recurses (this normalisation, the request encoder, the
 * pack's protobuf and Struct readers, three messages a level), and 3,000 levels overflowed the stack
 * here with "Maximum call stack size exceeded" and no place. 256 is ten times any real value and far
 * below that: deeper values are refused, naming their path, before any of those steps runs.
 */
export const MAX_VALUE_DEPTH = 256;

/** A JSON value as it travels inside a google.protobuf.Struct. */
export type WireValue = null | boolean | number | string | WireValue[] | { [key: string]: WireValue };
/** A property map in wire form. */
export type WireObject = { [key: string]: WireValue };

/** Enforcement levels of the Analyzer protocol, spelled as the CLI and @pulumi/policy spell them. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
/** Every enforcement level, in the protocol's order of its enum values' names. */
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * Custom timeouts as numbers of seconds (what the engine sends) or Go duration strings such as
 * "5m" or "1h30m" (what the Node.js SDK puts in a RegisterResource request).
 */
export interface CustomTimeoutsInput {
    create?: number | string;
    update?: number | string;
    delete?: number | string;
}

/** Resource options, as the engine passes them to `Analyze` (AnalyzerResourceOptions). */
export interface AnalyzerResourceOptionsInput {
    /** Default false. */
    protect?: boolean;
    /** Default []. */
    ignoreChanges?: readonly string[];
    /** Undefined means "not set" (deleteBeforeReplaceDefined=false on the wire). */
    deleteBeforeReplace?: boolean;
    /** Default []. */
    additionalSecretOutputs?: readonly string[];
    /** Alias URNs. Default []. */
    aliases?: readonly string[];
    /** Default: all zero (no custom timeouts). */
    customTimeouts?: CustomTimeoutsInput;
    /** Parent URN; `AnalyzerResourceInput.parent` wins when both are given. */
    parent?: string;
}

/** The provider of a resource, as the engine describes it to a pack (its inputs as properties). */
export interface AnalyzerProviderInput {
    urn: string;
    type: string;
    /** Default: the name part of `urn`. */
    name?: string;
    /** The provider's inputs in wire form. Default {}. */
    properties?: Record<string, unknown>;
}

/** One registered resource, as the check collected it from the program run under mocks. */
export interface AnalyzerResourceInput {
    urn: string;
    /** The type token, e.g. "gcp:cloudrunv2/service:Service". */
    type: string;
    /** Default: the name part of `urn` (the engine sends `URN.Name()`). */
    name?: string;
    /** Inputs (for `analyze`) or outputs (for `analyzeStack`) in wire form, with sig markers. */
    properties: Record<string, unknown>;
    /** Default: no options set; an options message is always sent, as the CLI does. */
    options?: AnalyzerResourceOptionsInput;
    /** Parent URN. */
    parent?: string;
    provider?: AnalyzerProviderInput;
    /** URNs this resource depends on (AnalyzeStack only). */
    dependencies?: readonly string[];
    /** Per-property dependencies (AnalyzeStack only); empty lists are dropped as the engine does. */
    propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** A property value the converter cannot put on the wire (a function, an unknown signature...). */
export class WireFormatError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "WireFormatError";
    }
}

/** A JSON-like object: what serializeProperties and Struct produce (no Date, Map, class instance...). */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return false;
    }
    const prototype = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
}

function describeType(value: unknown): string {
    const name = typeof value === "object" && value !== null ? (value as { constructor?: { name?: string } }).constructor?.name : undefined;
    return name ? `a ${name}` : `a ${typeof value}`;
}

function describePath(path: readonly string[]): string {
    return path.length === 0 ? "(root)" : path.join(".");
}

/**
 * Normalizes one wire-form value the way the engine re-marshals it for an analyzer:
 * internal keys (`__*`) and undefined members are dropped, output values become their plain,
 * secret or unknown value, resource references become their ID (unknown while it is not known)
 * or, for components, their URN. Secrets, unknowns, assets and archives are kept.
 */
export function normalizeWireValue(value: unknown, path: readonly string[] = []): WireValue | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") {
        return value;
    }
    if (path.length >= MAX_VALUE_DEPTH) {
        // Refused before the next level's call: the recursion stays MAX_VALUE_DEPTH frames deep at most.
        throw new WireFormatError(
            `property ${describePath(path.slice(0, 6))}... nests deeper than ${MAX_VALUE_DEPTH} levels, which no resource property does`,
        );
    }
    if (Array.isArray(value)) {
        // The SDK sends null for undefined array elements; Struct cannot hold undefined.
        return value.map((element, index) => normalizeWireValue(element, [...path, String(index)]) ?? null);
    }
    if (!isPlainRecord(value)) {
        throw new WireFormatError(`property ${describePath(path)} holds ${describeType(value)}, which has no wire form`);
    }
    const sig = value[SIG_KEY];
    if (sig === undefined) {
        return normalizeWireObject(value, path);
    }
    switch (sig) {
        case SECRET_SIG:
            return { [SIG_KEY]: SECRET_SIG, value: normalizeWireValue(value.value, [...path, "value"]) ?? null };
        case OUTPUT_VALUE_SIG: {
            // Without KeepOutputValues the engine sends the element: unknown when not known, secret when secret.
            const element = "value" in value ? (normalizeWireValue(value.value, [...path, "value"]) ?? null) : UNKNOWN;
            return value.secret === true ? { [SIG_KEY]: SECRET_SIG, value: element } : element;
        }
        case RESOURCE_SIG: {
            // Without KeepResources the engine sends a custom resource's ID, a component's URN.
            if ("id" in value) {
                return value.id === "" || value.id === UNKNOWN || value.id === undefined ? UNKNOWN : String(value.id);
            }
            if (typeof value.urn !== "string") {
                throw new WireFormatError(`property ${describePath(path)} is a resource reference without a urn`);
            }
            return value.urn;
        }
        case ASSET_SIG:
        case ARCHIVE_SIG:
            return normalizeWireObject(value, path);
        default:
            throw new WireFormatError(`property ${describePath(path)} has the unrecognized signature '${String(sig)}'`);
    }
}

function normalizeWireObject(value: Record<string, unknown>, path: readonly string[]): WireObject {
    const result: WireObject = {};
    for (const key of Object.keys(value)) {
        // SkipInternalKeys: the engine never shows `__`-prefixed keys (e.g. `__defaults`) to analyzers.
        if (key.startsWith("__")) {
            continue;
        }
        const normalized = normalizeWireValue(value[key], [...path, key]);
        if (normalized !== undefined) {
            result[key] = normalized;
        }
    }
    return result;
}

/** Normalizes a property map (see `normalizeWireValue`); throws when it is not a plain object. */
export function normalizeProperties(properties: Record<string, unknown>): WireObject {
    if (!isPlainRecord(properties)) {
        throw new WireFormatError("resource properties must be an object");
    }
    return normalizeWireObject(properties, []);
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
    ns: 1e-9,
    us: 1e-6,
    µs: 1e-6,
    ms: 1e-3,
    s: 1,
    m: 60,
    h: 3600,
};

/**
 * Converts a custom timeout to seconds: numbers are seconds already, strings are Go durations
 * ("5m", "1h30m", "2.5s"), which the engine parses with time.ParseDuration. "" means unset (0).
 */
export function timeoutSeconds(value: number | string | undefined, what = "custom timeout"): number {
    if (value === undefined || value === "") {
        return 0;
    }
    if (typeof value === "number") {
        if (!Number.isFinite(value) || value < 0) {
            throw new WireFormatError(`${what} must be a non-negative number of seconds, got ${value}`);
        }
        return value;
    }
    const pattern = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
    let seconds = 0;
    let consumed = 0;
    for (let match = pattern.exec(value); match !== null; match = pattern.exec(value)) {
        seconds += Number(match[1]) * DURATION_UNITS[match[2]];
        consumed = pattern.lastIndex;
    }
    if (consumed !== value.length || consumed === 0) {
        throw new WireFormatError(`${what} "${value}" is not a duration such as "90s", "5m" or "1h30m"`);
    }
    return seconds;
}

/** The name part of a URN (`URN.Name()` in the engine): everything after the type. */
export function urnName(urn: string): string {
    const parts = urn.split("::");
    if (!urn.startsWith("urn:pulumi:") || parts.length < 4) {
        throw new WireFormatError(`"${urn}" is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`);
    }
    return parts.slice(3).join("::");
}

/** Maps the protocol's enum to its name. */
export function enforcementLevelName(level: analyzerPb.EnforcementLevel): EnforcementLevel {
    switch (level) {
        case analyzerPb.EnforcementLevel.ADVISORY:
            return "advisory";
        case analyzerPb.EnforcementLevel.MANDATORY:
            return "mandatory";
        case analyzerPb.EnforcementLevel.REMEDIATE:
            return "remediate";
        case analyzerPb.EnforcementLevel.DISABLED:
            return "disabled";
        default:
            throw new WireFormatError(`invalid enforcement level ${String(level)}`);
    }
}

/** Maps an enforcement level name to the protocol's enum. */
export function enforcementLevelValue(level: EnforcementLevel): analyzerPb.EnforcementLevel {
    switch (level) {
        case "advisory":
            return analyzerPb.EnforcementLevel.ADVISORY;
        case "mandatory":
            return analyzerPb.EnforcementLevel.MANDATORY;
        case "remediate":
            return analyzerPb.EnforcementLevel.REMEDIATE;
        case "disabled":
            return analyzerPb.EnforcementLevel.DISABLED;
    }
}

/** True when `value` is one of the four enforcement levels. */
export function isEnforcementLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** Severity of a policy or a violation; "" when the pack did not say. */
export type PolicySeverity = "" | "low" | "medium" | "high" | "critical";

/** Maps the protocol's severity enum to its name. */
export function severityName(severity: analyzerPb.PolicySeverity): PolicySeverity {
    switch (severity) {
        case analyzerPb.PolicySeverity.POLICY_SEVERITY_LOW:
            return "low";
        case analyzerPb.PolicySeverity.POLICY_SEVERITY_MEDIUM:
            return "medium";
        case analyzerPb.PolicySeverity.POLICY_SEVERITY_HIGH:
            return "high";
        case analyzerPb.PolicySeverity.POLICY_SEVERITY_CRITICAL:
            return "critical";
        default:
            return "";
    }
}
