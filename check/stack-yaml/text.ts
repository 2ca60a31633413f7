/**
 * A stack file's bytes to text, refusing what is not plain UTF-8 text instead of guessing: the Pulumi
 * CLI reads the file as UTF-8 (stripping only a UTF-8 byte order mark: pulumi/pulumi
 * sdk/go/common/workspace/loaders.go, readFileStripUTF8BOM), so a UTF-16 file, invalid bytes or a NUL
 * would reach the program mangled, and CR-only line endings make YAML read the file as one line.
 * The encoding part (decodeUtf8Text) is every file's: the JSON files the check and the audit read
 * (check/json-text.ts) are refused in the same words.
 */
import { firstControlCharacter } from "../../components/config/display-text";
import type { ProblemKind } from "../../components/config/problem-lines";

/** A problem at a character offset of the (decoded) text, or of the file as a whole. */
export interface TextProblem {
    /** Line and column (1-based) when the problem has a place. */
    readonly line?: number;
    readonly column?: number;
    readonly problem: string;
    readonly kind: ProblemKind;
}

export type DecodedText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: TextProblem };

/** A byte as `0xFE`: every byte shown (a byte order mark's, or one that breaks UTF-8) is 0x80 or more, so two digits. */
function hex(byte: number): string {
    return `0x${byte.toString(16).toUpperCase()}`;
}

/** Length of the valid UTF-8 prefix of `bytes` (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
function validUtf8Prefix(bytes: Uint8Array): number {
    let index = 0;
    // The index only moves past a whole valid sequence, so it reaches the end exactly.
    while (index !== bytes.length) {
        const first = bytes[index];
        if (first < 0x80) {
            index++;
            continue;
        }
        let length: number;
        let min: number;
        if (first >= 0xc2 && first <= 0xdf) {
            [length, min] = [2, 0x80];
        } else if (first >= 0xe0 && first <= 0xef) {
            [length, min] = [3, 0x800];
        } else if (first >= 0xf0 && first <= 0xf4) {
            [length, min] = [4, 0x10000];
        } else {
            return index;
        }
        let value = first & (0xff >> (length + 1));
        for (let next = 1; next < length; next++) {
            // Past the end this reads undefined, which is no continuation byte: a cut sequence stops here.
            const byte = bytes[index + next];
            if ((byte & 0xc0) !== 0x80) {
                return index;
            }
            value = (value << 6) | (byte & 0x3f);
        }
        if (value < min || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
            return index;
        }
        index += length;
    }
    return index;
}

/** 1-based line and column of `offset` in `text` (columns count characters, as YAML's do). */
export function positionIn(text: string, offset: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1)) {
        line++;
        lineStart = index + 1;
    }
    return { line, column: offset - lineStart + 1 };
}

/** A problem that makes the text unreadable, at a place when it has one. */
function fail(problem: string, at?: { line: number; column: number }): DecodedText {
    return { ok: false, problem: { ...at, problem, kind: "unreadable text" } };
}

/** True when `bytes` start with the UTF-8 byte order mark (EF BB BF). */
export function startsWithUtf8Bom(bytes: Uint8Array): boolean {
    return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Decodes UTF-8 (a UTF-8 byte order mark dropped), or says in one line why the bytes are not UTF-8:
 * UTF-16 or UTF-32 (by their byte order marks, or NULs between the bytes), or the first invalid byte.
 */
export function decodeUtf8Text(bytes: Uint8Array): DecodedText {
    const [a, b, c, d] = bytes;
    if ((a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) || (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00)) {
        return fail("is UTF-32 text (it starts with a UTF-32 byte order mark); save it as UTF-8");
    }
    if ((a === 0xfe && b === 0xff) || (a === 0xff && b === 0xfe)) {
        return fail(`is UTF-16 text (it starts with the byte order mark ${hex(a)} ${hex(b)}); save it as UTF-8`);
    }
    const body = startsWithUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
    if (body.length >= 4 && (body[0] === 0 || body[1] === 0) && (body[2] === 0 || body[3] === 0)) {
        return fail("looks like UTF-16 text without a byte order mark (every other byte is NUL); save it as UTF-8");
    }
    const valid = validUtf8Prefix(body);
    const prefix = Buffer.from(body.buffer, body.byteOffset, valid).toString("utf8");
    if (valid < body.length) {
        return fail(`is not valid UTF-8 (byte ${hex(body[valid])}); save the file as UTF-8`, positionIn(prefix, prefix.length));
    }
    return { ok: true, text: prefix };
}

/** Decodes a stack file, or says in one line why its bytes are not plain UTF-8 text. */
export function decodeStackText(bytes: Uint8Array): DecodedText {
    const decoded = decodeUtf8Text(bytes);
    if (!decoded.ok) {
        return decoded;
    }
    const { text } = decoded;
    const control = firstControlCharacter(text);
    if (control !== undefined) {
        return fail(`holds the control character ${control.name}; a stack file is plain text`, positionIn(text, control.index));
    }
    const lonelyCr = /\r(?!\n)/.exec(text);
    if (lonelyCr !== null) {
        return fail(
            "uses CR line endings without LF (classic Mac OS), which YAML reads as one long line; save it with LF (or CRLF) line endings",
            positionIn(text, lonelyCr.index),
        );
    }
    return { ok: true, text };
}
