import { quoteText } from "./display-text";
import { boundedLines, type ProblemKind } from "./problem-lines";
import type { ConfigSource } from "./types";

/** One problem in a stack file: which key, what was given, what is allowed. */
export interface ConfigIssue {
    /** Dotted key path below the namespace, e.g. `services.backend.port`; user keys in it already escaped and cut. */
    readonly path: string;
    /** Full sentence fragment, e.g. `is "abc"; expected an integer from 1 to 65535`. */
    readonly problem: string;
    /** What the problem counts as when a flood is summarised. Default: invalid value. */
    readonly kind?: ProblemKind;
}

/** Formats one issue as the single line a user sees. */
export function formatIssue(source: ConfigSource, issue: ConfigIssue): string {
    const key = issue.path.includes(":") ? issue.path : `${source.namespace}:${issue.path}`;
    return `${source.file}: \`${key}\` ${issue.problem}.`;
}

/**
 * The stack file is invalid. Thrown before any resource is created; one line per problem (a flood is
 * summarised), so the check CLI and `pulumi up` can print it without a stack trace.
 */
export class StackConfigError extends Error {
    constructor(
        readonly source: ConfigSource,
        readonly issues: readonly ConfigIssue[],
    ) {
        super(
            boundedLines(
                source.file,
                issues.map((issue) => ({ text: formatIssue(source, issue), kind: issue.kind ?? "invalid value" })),
            ).join("\n"),
        );
        this.name = "StackConfigError";
    }
}

/** Renders a given value for a message: strings quoted, escaped and cut, structures named. */
export function describeGiven(value: unknown): string {
    if (value === undefined) {
        return "missing";
    }
    if (value === null) {
        return "empty";
    }
    if (Array.isArray(value)) {
        return "a list";
    }
    if (typeof value === "object") {
        return "a map";
    }
    if (typeof value === "string") {
        return quoteText(value);
    }
    return String(value);
}
