/**
 * The audit's report: the check's report (check/report.ts: same resources, violations, summary and
 * renderers) with what only a live audit knows added beside it: where each resource was read from,
 * whether the stack manages it, and which policies could not be judged from the inputs.
 */
import {
    buildReport,
    type CheckReport,
    counted,
    escapeMarkdown,
    escapeText,
    type HumanOptions,
    renderHuman,
    renderMarkdown,
    type ReportResource,
    type ReportViolation,
    wrap,
    DEFAULT_WIDTH,
} from "../check/report";

/** A resource as the audit lists it. */
export interface AuditReportResource extends ReportResource {
    /** The `--from` file it was read from. */
    readonly source: string;
    /** False: a Cloud Run workload the program does not declare. Null: not compared (not a workload, or no --stack). */
    readonly managed: boolean | null;
}

/** One `--from` file. */
export interface AuditReportInput {
    readonly file: string;
    readonly kind: string;
    readonly resources: number;
}

/** A policy the audit could not judge from its inputs. */
export interface NotJudged {
    readonly policy: string;
    readonly reason: string;
}

/** The document `--json` prints: the check's report, then the audit's own fields. */
export interface AuditReport extends CheckReport {
    readonly resources: AuditReportResource[];
    readonly summary: CheckReport["summary"] & { unmanaged: number };
    readonly inputs: AuditReportInput[];
    /** The stack file whose program the workloads were compared with; null without --stack. */
    readonly comparedWith: string | null;
    readonly notJudged: NotJudged[];
}

/** Builds the report with the check's summary counts plus the unmanaged count. */
export function buildAuditReport(base: {
    stack: string;
    project: string;
    resources: AuditReportResource[];
    violations: ReportViolation[];
    inputs: AuditReportInput[];
    comparedWith: string | null;
    notJudged: NotJudged[];
    policyConfig?: CheckReport["policyConfig"];
}): AuditReport {
    const report = buildReport({
        stack: base.stack,
        project: base.project,
        preview: false,
        policyConfig: base.policyConfig,
        resources: base.resources,
        violations: base.violations,
    });
    return {
        ...report,
        resources: base.resources,
        summary: { ...report.summary, unmanaged: base.resources.filter((resource) => resource.managed === false).length },
        inputs: base.inputs,
        comparedWith: base.comparedWith,
        notJudged: base.notJudged,
    };
}

/** Names from live exports are anyone's: escaped and cut like the check's own. */
function label(resource: AuditReportResource): string {
    return `${escapeText(resource.type)} "${escapeText(resource.name)}"`;
}

function unmanaged(report: AuditReport): AuditReportResource[] {
    return report.resources.filter((resource) => resource.managed === false);
}

/** The human report: the audit's inputs and findings, then the check's table, violations and verdict (last line). */
export function renderAuditHuman(report: AuditReport, options: HumanOptions = {}): string {
    const lines = [
        "Audit inputs:",
        ...report.inputs.map((input) => `  ${escapeText(input.file)}: ${input.kind}, ${counted(input.resources, "resource")}`),
    ];
    if (report.comparedWith === null) {
        lines.push("Not compared with a program (no --stack): nothing is flagged as not managed.");
    } else if (unmanaged(report).length === 0) {
        lines.push(`Every Cloud Run service, job and worker pool is declared by the program with ${report.comparedWith}.`);
    } else {
        lines.push(
            `Not managed by this stack (the program with ${report.comparedWith} declares no such Cloud Run service, job or worker pool):`,
        );
        lines.push(...unmanaged(report).map((resource) => `  ${label(resource)} (${escapeText(resource.source)})`));
    }
    for (const { policy, reason } of report.notJudged) {
        lines.push(
            ...wrap(`Not judged: ${policy}: ${reason}`, (options.width ?? DEFAULT_WIDTH) - 4).map((line, index) =>
                index === 0 ? line : `    ${line}`,
            ),
        );
    }
    return [...lines, "", renderHuman(report, options)].join("\n");
}

function cell(text: string): string {
    return escapeMarkdown(text);
}

/** The Markdown summary: the check's, then the unmanaged workloads, what was not judged and the inputs. */
export function renderAuditMarkdown(report: AuditReport): string {
    const lines = [renderMarkdown(report), ""];
    if (report.comparedWith !== null) {
        const list = unmanaged(report);
        lines.push(`### Not managed by this stack (${list.length})`, "");
        if (list.length === 0) {
            lines.push(`Every Cloud Run service, job and worker pool is declared by the program with \`${report.comparedWith}\`.`, "");
        } else {
            lines.push(
                "| Resource | Read from |",
                "| --- | --- |",
                ...list.map((resource) => `| ${cell(label(resource))} | \`${cell(resource.source)}\` |`),
                "",
            );
        }
    }
    if (report.notJudged.length > 0) {
        lines.push("### Not judged", "", ...report.notJudged.map(({ policy, reason }) => `- \`${policy}\`: ${cell(reason)}`), "");
    }
    lines.push("### Inputs", "", "| File | Kind | Resources |", "| --- | --- | --- |");
    lines.push(...report.inputs.map((input) => `| \`${cell(input.file)}\` | ${cell(input.kind)} | ${input.resources} |`));
    return lines.join("\n");
}
