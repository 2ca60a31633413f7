/** What `--json`, `--markdown` and `--sarif` print when the check cannot run (exit 2): the one line, in the asked format. */
import { escapeMarkdown } from "./escape";
import { renderSarifError, type SarifContext } from "./sarif";

/** The report formats of the check and the audit. */
export type ReportFormat = "human" | "json" | "markdown" | "sarif";

/** The check's JSON for exit 2: `{ "error": "<the line>", "exitCode": 2 }`, plus the stack when known. */
export function errorJson(message: string, stack?: string): Record<string, unknown> {
    return { ...(stack === undefined ? {} : { stack }), error: message, exitCode: 2 };
}

/** A Markdown job summary that says the check could not run and why. */
export function errorMarkdown(message: string, stack?: string): string {
    return [
        `## Policy check${stack === undefined ? "" : `: ${escapeMarkdown(stack)}`} ⚠️ could not run`,
        "",
        ...message.split("\n").map((line) => `${escapeMarkdown(line, 2000)}  `),
        "",
        "No resource was judged; the check exits 2.",
    ].join("\n");
}

/** The error document for `format`, or undefined for the human format (the line on stderr is all). */
export function renderErrorDocument(format: ReportFormat, message: string, tool: SarifContext["tool"], stack?: string): string | undefined {
    switch (format) {
        case "json":
            return JSON.stringify(errorJson(message, stack), null, 2);
        case "markdown":
            return errorMarkdown(message, stack);
        case "sarif":
            return JSON.stringify(renderSarifError(message, tool), null, 2);
        case "human":
            return undefined;
    }
}
