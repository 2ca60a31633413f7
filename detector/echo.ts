/**
 * Values echoed into the detector's one-line messages: cut to a bounded length and escaped, so that no value (a
 * 127 KiB `K_SERVICE`, a line break, an ANSI or OSC sequence, a zero-width or look-alike character) can stretch,
 * split, hide or forge a line. The Python twin applies the same rules (detector/python/netra_environment.py); the
 * shared vectors and the differential test hold the two together.
 */

/** Longest part of a value echoed in a message, in UTF-16 code units; a longer value is cut and ends with `...`. */
export const MAX_ECHOED_CHARS = 64;

/**
 * Longest signal value a result keeps, in UTF-16 code units, cut like an echoed value. Longer than any real one: a
 * DNS hostname has at most 253 characters, a Cloud Run name at most 63.
 */
export const MAX_SIGNAL_VALUE_CHARS = 256;

/** The marker that ends a cut value. */
export const CUT_MARKER = "...";

/** `value`, or its first `limit` UTF-16 code units followed by `...`. */
export function cut(value: string, limit: number): string {
    return value.length > limit ? `${value.slice(0, limit)}${CUT_MARKER}` : value;
}

/** Anything but printable ASCII, and the backslash that starts an escape. */
const NEEDS_ESCAPE = /[^\x20-\x5b\x5d-\x7e]/;

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x09: "\\t", 0x0a: "\\n", 0x0d: "\\r", 0x5c: "\\\\" };

/**
 * `value` as printable ASCII: tab, line feed, carriage return and backslash as `\t`, `\n`, `\r`, `\\`; every other
 * code unit outside printable ASCII as `\uXXXX` (C0 and C1 controls, DEL, U+2028/U+2029, zero-width and bidi
 * characters, look-alike letters, and each half of a surrogate pair). Nothing a terminal interprets survives.
 */
export function escapeText(value: string): string {
    if (!NEEDS_ESCAPE.test(value)) {
        return value;
    }
    let escaped = "";
    for (let index = 0; index < value.length; index += 1) {
        const code = value.charCodeAt(index);
        if (code >= 0x20 && code <= 0x7e && code !== 0x5c) {
            escaped += value[index];
        } else {
            escaped += SHORT_ESCAPES[code] ?? `\\u${code.toString(16).padStart(4, "0")}`;
        }
    }
    return escaped;
}

/** A value fit for a one-line message: cut, then escaped. */
export function echo(value: string): string {
    return escapeText(cut(value, MAX_ECHOED_CHARS));
}

/** A value in double quotes for a one-line message: cut, escaped, its own double quotes as `\"`. */
export function quote(value: string): string {
    return `"${echo(value).replace(/"/g, '\\"')}"`;
}

/** True when every code unit of `value` is ASCII (environment names are). */
export function isAscii(value: string): boolean {
    // eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included.
    return /^[\x00-\x7f]*$/.test(value);
}

/**
 * One line of JSON in printable ASCII: `JSON.stringify`, then every code unit from DEL up as `\uXXXX`, as Python's
 * `json.dumps(ensure_ascii=True)` writes it (plus DEL). The document parses to the same values, and a terminal or a
 * log shipper with another encoding sees nothing it could interpret.
 */
export function asciiJson(document: unknown): string {
    return JSON.stringify(document).replace(/[\u007f-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
