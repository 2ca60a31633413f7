import type { EnforcementLevel } from "./analyzer-wire";

/** A resource as the report lists it: identity only, never inputs (they may hold secrets). */
export interface ReportResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
}

/** One policy violation. */
export interface ReportViolation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly urn: string | null;
    readonly message: string;
}

/** The check's result: the document `--json` prints. */
export interface CheckReport {
    readonly stack: string;
    readonly project: string;
    readonly preview: boolean;
    readonly resources: ReportResource[];
    readonly violations: ReportViolation[];
    readonly summary: { resources: number; mandatory: number; advisory: number };
}

/** Builds the report and its summary counts. */
export function buildReport(base: Omit<CheckReport, "summary">): CheckReport {
    const count = (level: EnforcementLevel) => base.violations.filter((violation) => violation.enforcementLevel === level).length;
    return { ...base, summary: { resources: base.resources.length, mandatory: count("mandatory"), advisory: count("advisory") } };
}

/** Exit code of the check: 1 when anything mandatory failed. */
export function exitCodeOf(report: CheckReport): 0 | 1 {
    return report.summary.mandatory > 0 ? 1 : 0;
}

function shortName(urn: string | null): string {
    return urn === null ? "(stack)" : (urn.split("::").pop() ?? urn);
}

function resourceLabel(urn: string | null, resources: readonly ReportResource[]): string {
    const resource = resources.find((candidate) => candidate.urn === urn);
    return resource === undefined ? shortName(urn) : `${resource.type} "${resource.name}"`;
}

function table(rows: readonly string[][]): string[] {
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    return rows.map((row) =>
        row
            .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
            .join("  ")
            .trimEnd(),
    );
}

/** The human report: a table of resources, then one line per violation, then the verdict. */
export function renderHuman(report: CheckReport): string {
    const lines = [`Stack ${report.project}/${report.stack}${report.preview ? " (preview: cloud-computed values unknown)" : ""}`, ""];
    lines.push(
        ...table([
            ["TYPE", "NAME", "PARENT"],
            ...report.resources.map((resource) => [resource.type, resource.name, shortName(resource.parent)]),
        ]),
    );
    lines.push("");
    if (report.violations.length === 0) {
        lines.push("No policy violations.");
    }
    for (const violation of report.violations) {
        lines.push(
            `${violation.enforcementLevel.toUpperCase()} ${violation.policy}: ${resourceLabel(violation.urn, report.resources)}: ${violation.message}`,
        );
    }
    const { resources, mandatory, advisory } = report.summary;
    lines.push(
        "",
        `${resources} resources, ${mandatory} mandatory and ${advisory} advisory violations: ${mandatory > 0 ? "FAILED" : "passed"}.`,
    );
    return lines.join("\n");
}

function escapeCell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A Markdown summary for a CI job summary (`$GITHUB_STEP_SUMMARY`). */
export function renderMarkdown(report: CheckReport): string {
    const { resources, mandatory, advisory } = report.summary;
    const verdict = mandatory > 0 ? "❌ failed" : "✅ passed";
    const lines = [
        `## Policy check: ${report.project}/${report.stack}${report.preview ? " (preview)" : ""} ${verdict}`,
        "",
        `${resources} resources, ${mandatory} mandatory and ${advisory} advisory violations.`,
        "",
    ];
    if (report.violations.length > 0) {
        lines.push("| Level | Policy | Resource | Message |", "| --- | --- | --- | --- |");
        for (const violation of report.violations) {
            lines.push(
                `| ${violation.enforcementLevel} | \`${violation.policy}\` | ${escapeCell(resourceLabel(violation.urn, report.resources))} | ${escapeCell(violation.message)} |`,
            );
        }
        lines.push("");
    }
    const byType = new Map<string, number>();
    for (const resource of report.resources) {
        byType.set(resource.type, (byType.get(resource.type) ?? 0) + 1);
    }
    lines.push("<details><summary>Resources by type</summary>", "", "| Type | Count |", "| --- | --- |");
    for (const [type, count] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`| \`${type}\` | ${count} |`);
    }
    lines.push("", "</details>");
    return lines.join("\n");
}
