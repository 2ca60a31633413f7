/**
 * The one error type the policy pack host throws: a single line that says what failed, for which
 * pack, and what the pack last wrote on stderr.
 */
import { escapeText } from "./report/escape";

/** What went wrong while hosting a policy pack. */
export type PolicyPackErrorKind =
    /** PulumiPolicy.yaml or the pack folder is missing or invalid. */
    | "project"
    /** The pack process could not start, exited or wrote something other than a port. */
    | "start"
    /** The pack printed no port, or did not answer, within the allowed time. */
    | "timeout"
    /** The pack process exited while it was being used. */
    | "crash"
    /** The pack answered a call with an error (e.g. a policy threw). */
    | "rpc"
    /** The policy config is invalid (bad enforcement level, fails a policy's config schema). */
    | "config"
    /** The session was used after close(). */
    | "closed";

/** A policy pack failure, with a one-line message that includes the pack's stderr tail. */
export class PolicyPackError extends Error {
    constructor(
        readonly kind: PolicyPackErrorKind,
        message: string,
        /** Meaningful last lines the pack wrote on stderr (stack frames dropped). */
        readonly stderrTail: readonly string[] = [],
    ) {
        super(oneLine(stderrTail.length > 0 ? `${message}; stderr: ${stderrTail.join(" | ")}` : message));
        this.name = "PolicyPackError";
    }
}

// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\u001b\[[0-9;]*[A-Za-z]/g;
const STACK_FRAME = /^at\s|^\.\.\. \d+ more lines? matching cause stack trace/;

/**
 * Collapses ASCII whitespace (newlines included), strips terminal colour codes and escapes every other
 * character but printable ASCII (`\u001b`, `\u200b`): a message may quote a config key or the pack's
 * stderr, and must stay one visible line whatever they hold.
 */
export function oneLine(text: string): string {
    // ASCII whitespace only: a Unicode space (U+2028, U+FEFF...) is escaped, not passed off as a plain one.
    return escapeText(
        text
            .replace(ANSI_ESCAPE, "")
            .replace(/[ \t\n\r\f\v]+/g, " ")
            .trim(),
        Number.POSITIVE_INFINITY,
    );
}

/**
 * The meaningful lines of a block of text (stderr, a gRPC error's details): trimmed, colour codes
 * stripped, blank lines and JavaScript stack frames dropped; the last `max` (a tail) or the first.
 */
export function meaningfulLines(text: string, max = 6, keep: "last" | "first" = "last"): string[] {
    const lines = text
        .split(/\r?\n/)
        .map((line) => line.replace(ANSI_ESCAPE, "").trim())
        .filter((line) => line !== "" && !STACK_FRAME.test(line));
    return keep === "last" ? lines.slice(-max) : lines.slice(0, max);
}
