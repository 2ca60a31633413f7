/**
 * JSON text to its value, or the line and column of its first error. V8's message is not used for
 * the place: it quotes the text around the error (which may be a secret), and in that form it gives
 * no position, so a regex over it finds "position 99" in the quoted text instead. The place is found
 * by scanning the text as RFC 8259 reads it; the scan runs only once JSON.parse has refused the text,
 * and holds no recursion, so no nesting can overflow it.
 */
import { positionIn } from "./stack-yaml/text";

/** The value, or where the text stops being JSON. */
export type ParsedJson =
    { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly line: number; readonly column: number };

const WHITESPACE = /[ \t\n\r]*/y;
const SHORT_ESCAPES = '"\\/bfnrt';
const LITERALS: Readonly<Record<string, string>> = { t: "true", f: "false", n: "null" };

const isDigit = (character: string | undefined): boolean => character !== undefined && character >= "0" && character <= "9";
const isHex = (character: string | undefined): boolean => character !== undefined && /^[0-9a-fA-F]$/.test(character);

/**
 * The offset of the first character of `text` that RFC 8259 does not allow where it stands (the
 * text's length when the text ends early), or undefined when the text is one JSON value.
 */
export function jsonErrorOffset(text: string): number | undefined {
    let at = 0;
    /** The closing bracket of each array or object the scan is inside, innermost last. */
    const closers: string[] = [];
    const skipWhitespace = (): void => {
        WHITESPACE.lastIndex = at;
        WHITESPACE.exec(text);
        at = WHITESPACE.lastIndex;
    };
    /** Moves past a string; false (at the offending character) when there is none. */
    const string = (): boolean => {
        if (text[at] !== '"') {
            return false;
        }
        at++;
        for (;;) {
            if (at >= text.length) {
                return false;
            }
            const code = text.charCodeAt(at);
            if (code === 0x22) {
                at++;
                return true;
            }
            if (code < 0x20) {
                return false;
            }
            if (code !== 0x5c) {
                at++;
                continue;
            }
            // A backslash: the error is at the character after it that breaks the escape.
            at++;
            const escaped = text[at];
            if (escaped === undefined || !(SHORT_ESCAPES.includes(escaped) || escaped === "u")) {
                return false;
            }
            at++;
            if (escaped === "u") {
                for (const end = at + 4; at < end; at++) {
                    if (!isHex(text[at])) {
                        return false;
                    }
                }
            }
        }
    };
    /** Moves past digits; false (at the first character) when there is none. */
    const digits = (): boolean => {
        if (!isDigit(text[at])) {
            return false;
        }
        while (isDigit(text[at])) {
            at++;
        }
        return true;
    };
    /** Moves past a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; false at the first character that breaks it. */
    const number = (): boolean => {
        if (text[at] === "-") {
            at++;
        }
        if (text[at] === "0") {
            at++;
        } else if (!digits()) {
            return false;
        }
        if (text[at] === ".") {
            at++;
            if (!digits()) {
                return false;
            }
        }
        if (text[at] === "e" || text[at] === "E") {
            at++;
            if (text[at] === "+" || text[at] === "-") {
                at++;
            }
            return digits();
        }
        return true;
    };
    /** Moves past a string, number, true, false or null; false when there is none. */
    const scalar = (): boolean => {
        if (text[at] === '"') {
            return string();
        }
        const literal = LITERALS[text[at]];
        if (literal === undefined) {
            return number();
        }
        for (const character of literal) {
            if (text[at] !== character) {
                return false;
            }
            at++;
        }
        return true;
    };
    /** Moves past `"key" :`; false when it is not there. */
    const key = (): boolean => {
        skipWhitespace();
        if (!string()) {
            return false;
        }
        skipWhitespace();
        if (text[at] !== ":") {
            return false;
        }
        at++;
        return true;
    };
    for (;;) {
        // A value is expected here.
        skipWhitespace();
        const opener = text[at];
        if (opener === "[" || opener === "{") {
            at++;
            skipWhitespace();
            const closer = opener === "[" ? "]" : "}";
            if (text[at] !== closer) {
                closers.push(closer);
                if (closer === "}" && !key()) {
                    return at;
                }
                continue;
            }
            at++;
        } else if (!scalar()) {
            return at;
        }
        // A value has ended: a comma, a closing bracket or the end of the text follows.
        for (;;) {
            skipWhitespace();
            if (closers.length === 0) {
                return at === text.length ? undefined : at;
            }
            const closer = closers[closers.length - 1];
            if (text[at] === closer) {
                at++;
                closers.pop();
                continue;
            }
            if (text[at] !== ",") {
                return at;
            }
            at++;
            if (closer === "}" && !key()) {
                return at;
            }
            break;
        }
    }
}

/** Parses JSON text; when it is not JSON, the 1-based line and column of its first error. */
export function parseJsonText(text: string): ParsedJson {
    try {
        return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
        // JSON.parse refused the text, so the scan finds an error (the property tests hold the two to agree).
        const offset = jsonErrorOffset(text) ?? text.length;
        return { ok: false, ...positionIn(text, offset) };
    }
}
