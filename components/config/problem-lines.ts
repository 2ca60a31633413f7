/**
 * A flood of problems (50,000 unknown keys) must not become 50,000 lines: the first few are shown,
 * the rest summarised by kind in one last line, so the output stays bounded and still says how many.
 */

/** What a problem is, for the summary line of a flood. */
export type ProblemKind = "unknown key" | "duplicate key" | "invalid value" | "unreadable text";

/** One line a user sees and the kind it is counted as. */
export interface ProblemLine {
    readonly text: string;
    readonly kind: ProblemKind;
}

/** The most problem lines shown before the rest are summarised. */
export const MAX_PROBLEM_LINES = 10;

function number(count: number): string {
    return count.toLocaleString("en-US");
}

function plural(count: number, kind: ProblemKind): string {
    return count === 1 ? kind : `${kind}s`;
}

/**
 * At most MAX_PROBLEM_LINES lines, then `<file>: and 49,990 more unknown keys.` (one kind) or
 * `<file>: and 12 more problems (10 unknown keys, 2 invalid values).` (several).
 */
export function boundedLines(file: string, problems: readonly ProblemLine[]): string[] {
    if (problems.length <= MAX_PROBLEM_LINES) {
        return problems.map((problem) => problem.text);
    }
    const rest = problems.slice(MAX_PROBLEM_LINES);
    const kinds = new Map<ProblemKind, number>();
    for (const problem of rest) {
        kinds.set(problem.kind, (kinds.get(problem.kind) ?? 0) + 1);
    }
    const summary =
        kinds.size === 1
            ? `and ${number(rest.length)} more ${plural(rest.length, rest[0].kind)}`
            : `and ${number(rest.length)} more problems (${[...kinds].map(([kind, count]) => `${number(count)} ${plural(count, kind)}`).join(", ")})`;
    return [...problems.slice(0, MAX_PROBLEM_LINES).map((problem) => problem.text), `${file}: ${summary}.`];
}
