// Counts one area's mutant results the way Stryker's own score does: a
// timeout counts as killed, an ignored mutant (a `// Stryker disable` with its
// reason, kept for mutants that cannot change behaviour) counts as neither.

export interface MutantOutcome {
    readonly status: string;
}

export interface AreaSummary {
    readonly area: string;
    readonly mutants: number;
    readonly killed: number;
    readonly survived: number;
    readonly noCoverage: number;
    readonly equivalent: number;
    readonly errors: number;
    /** Percent of detected mutants among those that could be detected; null when none could. */
    readonly score: number | null;
    readonly seconds: number;
}

export function summarise(area: string, results: readonly MutantOutcome[], seconds: number): AreaSummary {
    const count = (...statuses: string[]): number => results.filter((result) => statuses.includes(result.status)).length;
    const killed = count("Killed", "Timeout");
    const survived = count("Survived");
    const noCoverage = count("NoCoverage");
    const judged = killed + survived + noCoverage;
    return {
        area,
        mutants: results.length,
        killed,
        survived,
        noCoverage,
        equivalent: count("Ignored"),
        errors: count("CompileError", "RuntimeError"),
        score: judged === 0 ? null : Math.floor((killed / judged) * 1000) / 10,
        seconds,
    };
}

const COLUMNS = ["area", "mutants", "killed", "survived", "no coverage", "equivalent", "errors", "score", "time"];

function duration(seconds: number): string {
    const minutes = Math.floor(seconds / 60);
    return minutes === 0 ? `${seconds} s` : `${minutes} min ${seconds % 60} s`;
}

/** A Markdown table, one row per area, as the issue note quotes it. */
export function summaryTable(summaries: readonly AreaSummary[]): string {
    const rows = summaries.map((s) => [
        s.area,
        String(s.mutants),
        String(s.killed),
        String(s.survived),
        String(s.noCoverage),
        String(s.equivalent),
        String(s.errors),
        s.score === null ? "n/a" : `${s.score.toFixed(1)} %`,
        duration(s.seconds),
    ]);
    const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
    return [line(COLUMNS), line(COLUMNS.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}
