/**
 * SARIF 2.1.0 (OASIS), the format code scanning takes (`github/codeql-action/upload-sarif`): one
 * rule per policy of the pack (GetAnalyzerInfo), one result per violation (`error` for mandatory,
 * `warning` for advisory) with the resource's URN in its properties and, where known, the place in
 * the stack file that declares the resource.
 */
import type { EnforcementLevel } from "../analyzer-wire";
import { escapeText } from "./escape";
import type { CheckReport, ReportResource } from "./model";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** A policy as GetAnalyzerInfo describes it (the part SARIF rules need). */
export interface SarifPolicy {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly displayName?: string;
}

/** A place in a repository file: a POSIX path relative to the repository root, positions 1-based. */
export interface SarifLocation {
    readonly uri: string;
    readonly line?: number;
    readonly column?: number;
}

/** What a SARIF log needs beyond the report. */
export interface SarifContext {
    /** The analysis tool: the policy pack's name and version. */
    readonly tool: { readonly name: string; readonly version?: string };
    /** Every policy of the pack, as rules (violations of a policy not listed here get a rule of their own). */
    readonly policies: readonly SarifPolicy[];
    /** Where a resource is declared, when known. */
    readonly locate?: (resource: ReportResource) => SarifLocation | undefined;
    /** Where to point a result that has no declaration (the program, for a stack-wide finding). */
    readonly fallback?: SarifLocation;
    /**
     * Which analysis this is, the first part of the run's `automationDetails.id` (default `netra-check`):
     * code scanning keeps the newest run of each id, so the audit names itself and never replaces the check.
     */
    readonly category?: string;
}

type SarifLevel = "error" | "warning" | "note" | "none";

function levelOf(level: EnforcementLevel): SarifLevel {
    return level === "mandatory" || level === "remediate" ? "error" : level === "advisory" ? "warning" : "none";
}

function physicalLocation(location: SarifLocation): Record<string, unknown> {
    return {
        physicalLocation: {
            artifactLocation: { uri: location.uri },
            ...(location.line === undefined
                ? {}
                : { region: { startLine: location.line, ...(location.column === undefined ? {} : { startColumn: location.column }) } }),
        },
    };
}

function driver(context: SarifContext, rules: readonly Record<string, unknown>[]): Record<string, unknown> {
    return { name: context.tool.name, ...(context.tool.version === undefined ? {} : { version: context.tool.version }), rules };
}

/** The report as a SARIF 2.1.0 log (one run). */
export function renderSarif(report: CheckReport, context: SarifContext): Record<string, unknown> {
    const rules: Record<string, unknown>[] = [];
    const ruleIndex = new Map<string, number>();
    const addRule = (policy: SarifPolicy): number => {
        const known = ruleIndex.get(policy.name);
        if (known !== undefined) {
            return known;
        }
        ruleIndex.set(policy.name, rules.length);
        const description = escapeText(policy.description, 2000) || escapeText(policy.name);
        rules.push({
            id: policy.name,
            name: policy.name,
            shortDescription: { text: escapeText(policy.displayName || policy.name) },
            fullDescription: { text: description },
            defaultConfiguration: { level: levelOf(policy.enforcementLevel) },
            properties: { enforcementLevel: policy.enforcementLevel },
        });
        return rules.length - 1;
    };
    [...context.policies].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).forEach(addRule);
    const byUrn = new Map(report.resources.map((resource) => [resource.urn, resource]));
    const results = report.violations.map((violation) => {
        // Stryker disable next-line ConditionalExpression: byUrn.get(null) is undefined too; the test is for the type checker
        const resource = violation.urn === null ? undefined : byUrn.get(violation.urn);
        const location = (resource === undefined ? undefined : context.locate?.(resource)) ?? context.fallback;
        const index = addRule({ name: violation.policy, description: "", enforcementLevel: violation.enforcementLevel });
        return {
            ruleId: violation.policy,
            ruleIndex: index,
            level: levelOf(violation.enforcementLevel),
            message: { text: escapeText(violation.message, 4000) || escapeText(violation.policy) },
            ...(location === undefined ? {} : { locations: [physicalLocation(location)] }),
            properties: {
                urn: violation.urn,
                enforcementLevel: violation.enforcementLevel,
                ...(resource === undefined ? {} : { resourceType: resource.type, resourceName: resource.name }),
            },
        };
    });
    return {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: { driver: driver(context, rules) },
                automationDetails: {
                    id: `${context.category ?? "netra-check"}/${report.project}/${report.stack}${report.preview ? "/preview" : ""}/`,
                },
                invocations: [{ executionSuccessful: true }],
                results,
                properties: {
                    stack: report.stack,
                    project: report.project,
                    preview: report.preview,
                    ...(report.policyConfig === undefined ? {} : { policyConfig: report.policyConfig }),
                    ...(report.invokes === undefined ? {} : { invokes: report.invokes }),
                    summary: report.summary,
                },
            },
        ],
    };
}

/** A SARIF log for a check that could not run (exit 2): no results, the reason as an error notification. */
export function renderSarifError(message: string, tool: SarifContext["tool"]): Record<string, unknown> {
    return {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: tool.name, ...(tool.version === undefined ? {} : { version: tool.version }) } },
                invocations: [
                    {
                        executionSuccessful: false,
                        exitCode: 2,
                        toolExecutionNotifications: [{ level: "error", message: { text: message } }],
                    },
                ],
                results: [],
            },
        ],
    };
}
