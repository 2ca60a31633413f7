import type { ConfigSource } from "./types";

/** One problem in a stack file: which key, what was given, what is allowed. */
export interface ConfigIssue {
    /** Dotted key path below the namespace, e.g. `services.backend.port`. */
    readonly path: string;
    /** Full sentence fragment, e.g. `is "abc"; expected an integer from 1 to 65535`. */
    readonly problem: string;
}

/** Formats one issue as the single line a user sees. */
export function formatIssue(source: ConfigSource, issue: ConfigIssue): string {
    const key = issue.path.includes(":") ? issue.path : `${source.namespace}:${issue.path}`;
    return `${source.file}: \`${key}\` ${issue.problem}.`;
}

/**
 * The stack file is invalid. Thrown before any resource is created; one line per problem,
 * so the check CLI and `pulumi up` can print it without a stack trace.
 */
export class StackConfigError extends Error {
    constructor(
        readonly source: ConfigSource,
        readonly issues: readonly ConfigIssue[],
    ) {
        super(issues.map((issue) => formatIssue(source, issue)).join("\n"));
        this.name = "StackConfigError";
    }
}

/** Renders a given value for a message: strings quoted, structures named, never long. */
export function describeGiven(value: unknown): string {
    if (value === undefined || value === null) {
        return "missing";
    }
    if (Array.isArray(value)) {
        return "a list";
    }
    if (typeof value === "object") {
        return "a map";
    }
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
}
