/**
 * Reading resource properties that may be malformed, partial, or unknown during preview.
 *
 * The policy SDK hands policies its props wrapped in a proxy that throws `UnknownValueError` the
 * moment a policy reads a value the engine does not know yet; an uncaught throw turns the whole
 * policy into an advisory "can't run during preview". These helpers read one property at a time,
 * never throw, and turn an unknown into the `UNKNOWN` marker so a policy checks what is known and
 * skips only what is not.
 */

/** Marks a value the engine does not know yet (an output of a resource not created, during preview). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");

/** The type of `UNKNOWN`. */
export type Unknown = typeof UNKNOWN;

interface SdkUnknownSentinels {
    readonly [name: string]: unknown;
}

/**
 * The raw strings the SDK deserialises unknowns into, before its proxy wraps them. Policies only see
 * them when props reach them unproxied; recognising them too keeps such props from reading as literals.
 * The SDK keeps them internal (no typings), hence the typed require.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkProxy = require("@pulumi/policy/proxy") as SdkUnknownSentinels;
const SENTINEL_NAMES = [
    "unknownBooleanValue",
    "unknownNumberValue",
    "unknownStringValue",
    "unknownArrayValue",
    "unknownAssetValue",
    "unknownArchiveValue",
    "unknownObjectValue",
];
const UNKNOWN_SENTINELS: ReadonlySet<unknown> = new Set(
    SENTINEL_NAMES.map((name) => sdkProxy[name]).filter((value) => typeof value === "string"),
);

/**
 * `container[key]` when `container` is an object that owns `key`; `UNKNOWN` when the value is unknown
 * (or `container` itself is); `undefined` otherwise. Never throws.
 */
export function field(container: unknown, key: string | number): unknown {
    if (container === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof container !== "object" || container === null || !Object.prototype.hasOwnProperty.call(container, key)) {
        return undefined;
    }
    let value: unknown;
    try {
        value = (container as Record<string | number, unknown>)[key];
    } catch {
        // The SDK's proxy throws UnknownValueError here; a value that cannot be read is not known.
        return UNKNOWN;
    }
    return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
}

/** True when `container` is an object that owns `key`, whatever the value (known or not). Never reads the value. */
export function hasField(container: unknown, key: string): boolean {
    return typeof container === "object" && container !== null && Object.prototype.hasOwnProperty.call(container, key);
}

/** Follows `keys` from `root` with `field`: the value at the end, `UNKNOWN` once a step is unknown, or `undefined`. */
export function path(root: unknown, keys: readonly (string | number)[]): unknown {
    return keys.reduce<unknown>((value, key) => field(value, key), root);
}

/** The elements of an array (each read with `field`), `UNKNOWN` when the array is unknown, `undefined` for anything else. */
export function elements(value: unknown): readonly unknown[] | Unknown | undefined {
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    if (!Array.isArray(value)) {
        return undefined;
    }
    const length = field(value, "length");
    const count = typeof length === "number" ? length : 0;
    return Array.from({ length: count }, (_, index) => field(value, index));
}

/** A string value, `UNKNOWN`, or `undefined` for absent and non-string values. */
export function text(value: unknown): string | Unknown | undefined {
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    return typeof value === "string" ? value : undefined;
}
