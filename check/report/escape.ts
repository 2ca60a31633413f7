/**
 * Escaping for text the check did not write itself (resource names and types from the program,
 * messages from the pack, errors from the program): every report shows it, none lets it act.
 */

/** Longest run of untrusted text one report line carries before it is cut. */
export const MAX_TEXT_LENGTH = 500;

/**
 * Anything but printable ASCII: C0/C1 controls and DEL (newlines that forge lines, ANSI and OSC
 * sequences), invisible and bidirectional characters, and non-ASCII look-alikes ("ѕtaging").
 */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/gu;

function codePointEscape(character: string): string {
    switch (character) {
        case "\n":
            return "\\n";
        case "\r":
            return "\\r";
        case "\t":
            return "\\t";
    }
    const code = character.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * One line of visible printable ASCII: every other character written as `\n`, `\u200b`, `\u{1f600}`,
 * cut at `max` characters (of the original text).
 */
export function escapeText(text: string, max = MAX_TEXT_LENGTH): string {
    const shown = text.length <= max ? text : text.slice(0, max);
    const escaped = shown.replace(NOT_PRINTABLE_ASCII, codePointEscape);
    return text.length <= max ? escaped : `${escaped}... (${text.length - max} more characters)`;
}

/** Markdown punctuation that could start emphasis, links or code, or end a table cell (text never starts a line). */
const MARKDOWN_SPECIAL = /[\\`*_[\]|~]/g;
const HTML_SPECIAL: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Untrusted text for a Markdown document (a table cell or a paragraph): escaped as `escapeText`
 * does, HTML characters as entities (so `<image>` stays visible and `<img>` stays text), and
 * Markdown punctuation backslash-escaped.
 */
export function escapeMarkdown(text: string, max = MAX_TEXT_LENGTH): string {
    return escapeText(text, max)
        .replace(/[&<>]/g, (character) => HTML_SPECIAL[character])
        .replace(MARKDOWN_SPECIAL, (character) => `\\${character}`);
}

/** A token safe to show in a Markdown code span as it is (policy names, type tokens). */
const CODE_SAFE = /^[A-Za-z0-9:/._$@=-]+$/;

/** `text` as a code span when it is a plain token, else escaped text. */
export function markdownCode(text: string): string {
    return CODE_SAFE.test(text) && text.length <= MAX_TEXT_LENGTH ? `\`${text}\`` : escapeMarkdown(text);
}
