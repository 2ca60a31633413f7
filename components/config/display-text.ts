/**
 * User text (keys, values, YAML messages) echoed in a one-line message. A key may hold a newline, an
 * ANSI or OSC sequence, a zero-width or look-alike character, or 100 KB: shown raw, any of them forges
 * or hides lines, or floods the terminal. Everything outside printable ASCII is escaped visibly and
 * long text is cut, so a message stays one honest line.
 */

/** The most characters of one piece of user text a message shows. */
export const MAX_SHOWN_CHARS = 64;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\" };

/** `\u200b` for a zero-width space, `\u{1f600}` beyond the BMP, `\n` for a newline; printable ASCII as is. */
export function escapeText(text: string): string {
    let out = "";
    for (const char of text) {
        const code = char.codePointAt(0) as number;
        if (SHORT_ESCAPES[char] !== undefined) {
            out += SHORT_ESCAPES[char];
        } else if (code >= 0x20 && code <= 0x7e) {
            out += char;
        } else if (code <= 0xffff) {
            out += `\\u${code.toString(16).padStart(4, "0")}`;
        } else {
            out += `\\u{${code.toString(16)}}`;
        }
    }
    return out;
}

/** Escaped and cut to `max` characters of the original: `abc... (100000 characters)`. */
export function displayText(text: string, max = MAX_SHOWN_CHARS): string {
    const chars = Array.from(text);
    if (chars.length <= max) {
        return escapeText(text);
    }
    return `${escapeText(chars.slice(0, max).join(""))}... (${chars.length.toLocaleString("en-US")} characters)`;
}

/** A string value for a message: `"value"`, escaped and cut, quotes inside escaped. */
export function quoteText(text: string, max = MAX_SHOWN_CHARS): string {
    return `"${displayText(text, max).replace(/"/g, '\\"')}"`;
}

/** True for the control characters YAML does not allow in a stream: C0 but tab, LF and CR; DEL; C1. */
export function isForbiddenControl(code: number): boolean {
    return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f);
}

/** The first forbidden control character of `text` as `{ index, name: "U+001B" }`, or undefined. */
export function firstControlCharacter(text: string): { index: number; name: string } | undefined {
    for (let index = 0; index < text.length; index++) {
        const code = text.charCodeAt(index);
        if (isForbiddenControl(code)) {
            return { index, name: `U+${code.toString(16).padStart(4, "0").toUpperCase()}` };
        }
    }
    return undefined;
}
