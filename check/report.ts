/**
 * The check's report and its writers (human, JSON, Markdown, SARIF), shared with the audit. The
 * writers live in check/report/; this module keeps the names callers already import.
 */
export {
    buildReport,
    counted,
    exitCodeOf,
    summarySentence,
    type CheckReport,
    type PolicyLevelChange,
    type ReportPolicyConfig,
    type ReportResource,
    type ReportViolation,
} from "./report/model";
export { escapeMarkdown, escapeText } from "./report/escape";
export { DEFAULT_WIDTH, renderHuman, widthOf, wrap, type HumanOptions } from "./report/human";
export { renderMarkdown } from "./report/markdown";
export { renderSarif, renderSarifError, SARIF_SCHEMA, type SarifContext, type SarifLocation, type SarifPolicy } from "./report/sarif";
export { errorJson, errorMarkdown, renderErrorDocument, type ReportFormat } from "./report/error-document";
