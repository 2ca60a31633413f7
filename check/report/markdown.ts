/** The Markdown summary (a CI job summary, `$GITHUB_STEP_SUMMARY`): untrusted text can neither format nor inject HTML. */
import { escapeMarkdown, markdownCode } from "./escape";
import { type CheckReport, counted, resourceLabel, summarySentence, unknownInvokes, weakenedMandatoryPolicies } from "./model";

function policyConfigLines(report: CheckReport): string[] {
    if (report.policyConfig === undefined) {
        return [];
    }
    const { file, changed } = report.policyConfig;
    const lines = [`Judged with policy config ${file === null ? "none (the pack's defaults)" : markdownCode(file)}.`, ""];
    const weakened = weakenedMandatoryPolicies(report);
    if (weakened.length > 0) {
        lines.push(
            `> **⚠️ ${counted(weakened.length, "mandatory policy", "mandatory policies")} not enforced** by this policy config: ${weakened
                .map((change) => `${markdownCode(change.policy)} (${change.level})`)
                .join(", ")}. Their findings cannot fail this check.`,
            "",
        );
    }
    if (changed.length > 0) {
        lines.push("| Policy | Pack default | Level here |", "| --- | --- | --- |");
        for (const change of changed) {
            lines.push(`| ${markdownCode(change.policy)} | ${change.default} | ${change.level} |`);
        }
        lines.push("");
    }
    return lines;
}

/** A Markdown summary for a CI job summary (`$GITHUB_STEP_SUMMARY`). */
export function renderMarkdown(report: CheckReport): string {
    const verdict = report.summary.mandatory > 0 ? "❌ failed" : "✅ passed";
    const lines = [
        `## Policy check: ${escapeMarkdown(report.project)}/${escapeMarkdown(report.stack)}${report.preview ? " (preview)" : ""} ${verdict}`,
        "",
        `${summarySentence(report)}.`,
        "",
        ...policyConfigLines(report),
    ];
    if (report.violations.length > 0) {
        lines.push("| Level | Policy | Resource | Message |", "| --- | --- | --- | --- |");
        for (const violation of report.violations) {
            lines.push(
                `| ${violation.enforcementLevel} | ${markdownCode(violation.policy)} | ${escapeMarkdown(resourceLabel(violation.urn, report.resources))} | ${escapeMarkdown(violation.message, 2000)} |`,
            );
        }
        lines.push("");
    }
    const unknown = unknownInvokes(report);
    if (unknown.length > 0) {
        lines.push(
            `Invokes answered as unknown offline (the program saw values not yet known, as in a first preview): ${unknown
                .map((invoke) => `${markdownCode(invoke.token)} (${counted(invoke.count, "call")})`)
                .join(", ")}.`,
            "",
        );
    }
    const byType = new Map<string, number>();
    for (const resource of report.resources) {
        byType.set(resource.type, (byType.get(resource.type) ?? 0) + 1);
    }
    lines.push("<details><summary>Resources by type</summary>", "", "| Type | Count |", "| --- | --- |");
    for (const [type, count] of [...byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        lines.push(`| ${markdownCode(type)} | ${count} |`);
    }
    lines.push("", "</details>");
    return lines.join("\n");
}
