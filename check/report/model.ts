import type { EnforcementLevel } from "../analyzer-wire";
import type { InvokeAnswer } from "../offline-invokes";

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

/** A policy whose level the policy config changed from the pack's default. */
export interface PolicyLevelChange {
    readonly policy: string;
    /** The pack's own level for it (GetAnalyzerInfo). */
    readonly default: EnforcementLevel;
    /** The level it was judged with. */
    readonly level: EnforcementLevel;
}

/** What judged the stack: the policy config file and what it changed. */
export interface ReportPolicyConfig {
    /** The file, relative to the project folder; null when none was used (the pack's defaults). */
    readonly file: string | null;
    /** Every policy whose level differs from the pack's default, sorted by name. */
    readonly changed: PolicyLevelChange[];
}

/** The check's result: the document `--json` prints. */
export interface CheckReport {
    readonly stack: string;
    readonly project: string;
    readonly preview: boolean;
    /** Absent in reports built before the check recorded it. */
    readonly policyConfig?: ReportPolicyConfig;
    readonly resources: ReportResource[];
    readonly violations: ReportViolation[];
    /** Provider invokes the program made and how the offline check answered them. */
    readonly invokes?: InvokeAnswer[];
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

/** "1 resource", "2 resources"; `plural` for nouns that do not just take an s ("policies"). */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
    return `${count} ${count === 1 ? noun : plural}`;
}

/** The summary sentence every format shares, without the verdict. */
export function summarySentence(report: CheckReport): string {
    const { resources, mandatory, advisory } = report.summary;
    return `${counted(resources, "resource")}, ${counted(mandatory, "mandatory violation")} and ${counted(advisory, "advisory violation")}`;
}

/** Mandatory policies the policy config turned off (or down to advisory): what a reviewer must see. */
export function weakenedMandatoryPolicies(report: CheckReport): PolicyLevelChange[] {
    // Stryker disable next-line ArrayDeclaration: an array of anything but changes filters to [] as well
    return (report.policyConfig?.changed ?? []).filter((change) => change.default === "mandatory" && change.level !== "mandatory");
}

/** Invokes the offline check could not answer (the program saw unknown values). */
export function unknownInvokes(report: CheckReport): InvokeAnswer[] {
    // Stryker disable next-line ArrayDeclaration: an array of anything but invokes filters to [] as well
    return (report.invokes ?? []).filter((invoke) => invoke.answer === "unknown");
}

function shortName(urn: string | null): string {
    return urn === null ? "(stack)" : (urn.split("::").pop() ?? urn);
}

/** The parent column: the parent's name, "(stack)" for the root. */
export function parentName(urn: string | null): string {
    return shortName(urn);
}

/** `type "name"` of the violation's resource, or "(stack)"; unescaped. */
export function resourceLabel(urn: string | null, resources: readonly ReportResource[]): string {
    const resource = resources.find((candidate) => candidate.urn === urn);
    return resource === undefined ? shortName(urn) : `${resource.type} "${resource.name}"`;
}
