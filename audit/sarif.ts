/**
 * The audit as SARIF 2.1.0: the check's log (check/report/sarif.ts) under its own category, each
 * result located in the export its resource was read from, and every workload the stack does not
 * manage as a result of one more rule, so the drift check's code-scanning alerts name those too.
 */
import { renderSarif, type ReportViolation, type SarifContext, type SarifPolicy } from "../check/report";
import type { AuditReport } from "./report";

/** The rule of the unmanaged workloads: advisory, like the report, where they fail nothing by themselves. */
export const NOT_MANAGED_RULE: SarifPolicy = {
    name: "workload-managed-by-stack",
    displayName: "Cloud Run workload managed by the stack",
    description:
        "Every Cloud Run service, job and worker pool in the project is declared by the stack's program; one that is not was deployed " +
        "another way, and no preview or policy check sees its next change.",
    enforcementLevel: "advisory",
};

/** What the audit's SARIF needs beyond the report. */
export interface AuditSarifContext {
    /** The pack's name and version, and its policies (GetAnalyzerInfo). */
    readonly tool: SarifContext["tool"];
    readonly policies: readonly SarifPolicy[];
    /** The stack file, relative to the repository: where a finding without a resource points. */
    readonly stackFile: string;
    /** A `--from` file as a result's location (relative to the repository where it is inside it). */
    readonly sourceUri: (source: string) => string;
}

/** The finding for a workload the program does not declare. */
function notManaged(report: AuditReport): ReportViolation[] {
    return report.resources
        .filter((resource) => resource.managed === false)
        .map((resource) => ({
            policy: NOT_MANAGED_RULE.name,
            enforcementLevel: NOT_MANAGED_RULE.enforcementLevel,
            urn: resource.urn,
            message:
                `${resource.type} "${resource.name}" runs in the project, but the program with ${report.comparedWith} declares ` +
                "no such Cloud Run service, job or worker pool; declare it in the stack (and import it) or delete it.",
        }));
}

/** The audit's report as a SARIF 2.1.0 log (one run, category `netra-audit`). */
export function renderAuditSarif(report: AuditReport, context: AuditSarifContext): Record<string, unknown> {
    const sources = new Map(report.resources.map((resource) => [resource.urn, resource.source]));
    const compared = report.comparedWith !== null;
    return renderSarif(
        { ...report, violations: [...report.violations, ...notManaged(report)] },
        {
            tool: context.tool,
            policies: compared ? [...context.policies, NOT_MANAGED_RULE] : context.policies,
            category: "netra-audit",
            locate: (resource) => {
                const source = sources.get(resource.urn);
                return source === undefined ? undefined : { uri: context.sourceUri(source) };
            },
            fallback: { uri: context.stackFile },
        },
    );
}
