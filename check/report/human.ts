/** The human report: fits its terminal (100 columns when not a terminal), every untrusted text escaped. */
import { escapeText } from "./escape";
import { type CheckReport, counted, parentName, resourceLabel, summarySentence, unknownInvokes, weakenedMandatoryPolicies } from "./model";

/** Width when stdout is not a terminal (a CI log, a pipe). */
export const DEFAULT_WIDTH = 100;
/** Narrowest layout the report keeps to, whatever the terminal says. */
const MIN_WIDTH = 40;
const INDENT = "    ";

/** How to lay the report out. */
export interface HumanOptions {
    /** Columns available; default DEFAULT_WIDTH. */
    readonly width?: number;
}

/** The width to render for `stream`: its columns when it is a terminal, else DEFAULT_WIDTH. */
export function widthOf(stream: { isTTY?: boolean; columns?: number }): number {
    return stream.isTTY === true && typeof stream.columns === "number" && stream.columns > 0 ? stream.columns : DEFAULT_WIDTH;
}

function clip(text: string, width: number): string {
    return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 3))}...`;
}

/** Words of `text` in lines of at most `width` (a longer word is cut into pieces). */
export function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    let line = "";
    for (let word of text.split(" ").filter((part) => part !== "")) {
        // Stryker disable next-line EqualityOperator: a word exactly as long as the line is alone on its line either way (nothing fits beside it)
        while (word.length > width) {
            if (line !== "") {
                lines.push(line);
                line = "";
            }
            lines.push(word.slice(0, width));
            word = word.slice(width);
        }
        if (line === "") {
            line = word;
        } else if (line.length + 1 + word.length <= width) {
            line += ` ${word}`;
        } else {
            lines.push(line);
            line = word;
        }
    }
    if (line !== "") {
        lines.push(line);
    }
    return lines;
}

/** Column widths that fit `width` with two spaces between columns: the widest column gives way first. */
function fitColumns(natural: number[], width: number): number[] {
    const widths = [...natural];
    const gaps = 2 * (widths.length - 1);
    while (widths.reduce((sum, value) => sum + value, 0) + gaps > width) {
        const widest = widths.indexOf(Math.max(...widths));
        // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: unreachable for the report's three columns at 40 columns or more (3 x 8 + 4 < 40); it bounds the loop for a narrower layout
        if (widths[widest] <= 8) {
            break;
        }
        widths[widest]--;
    }
    return widths;
}

function table(rows: readonly string[][], width: number): string[] {
    const natural = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    const widths = fitColumns(natural, width);
    return rows.map((row) =>
        row
            .map((cell, column) => clip(cell, widths[column]).padEnd(widths[column]))
            .join("  ")
            // The padding that ends a row is dropped.
            .trimEnd(),
    );
}

/** The human report: the stack, what judged it, a table of resources, each violation, then the verdict. */
export function renderHuman(report: CheckReport, options: HumanOptions = {}): string {
    const width = Math.max(MIN_WIDTH, options.width ?? DEFAULT_WIDTH);
    const say = (text: string): string[] => wrap(text, width);
    const sayIndented = (text: string): string[] => wrap(text, width - INDENT.length).map((line) => INDENT + line);
    const lines = say(
        `Stack ${escapeText(report.project)}/${escapeText(report.stack)}${report.preview ? " (preview: cloud-computed values unknown)" : ""}`,
    );
    if (report.policyConfig !== undefined) {
        const { file, changed } = report.policyConfig;
        lines.push(...say(`Policy config: ${file === null ? "none (the pack's defaults)" : escapeText(file)}`));
        for (const change of changed) {
            lines.push(...sayIndented(`${escapeText(change.policy)}: ${change.default} in the pack, ${change.level} here`));
        }
    }
    lines.push("");
    lines.push(
        ...table(
            [
                ["TYPE", "NAME", "PARENT"],
                ...report.resources.map((resource) => [
                    escapeText(resource.type),
                    escapeText(resource.name),
                    escapeText(parentName(resource.parent)),
                ]),
            ],
            width,
        ),
    );
    lines.push("");
    if (report.violations.length === 0) {
        lines.push("No policy violations.");
    }
    for (const violation of report.violations) {
        const head = `${violation.enforcementLevel.toUpperCase()} ${escapeText(violation.policy)}: ${escapeText(resourceLabel(violation.urn, report.resources))}`;
        // Only the head's first line starts at the margin: no text from the program or pack can start a line there.
        const [first, ...rest] = wrap(head, width);
        lines.push(
            first,
            ...[...wrap(rest.join(" "), width - INDENT.length), ...wrap(escapeText(violation.message, 2000), width - INDENT.length)].map(
                (line) => INDENT + line,
            ),
        );
    }
    const unknown = unknownInvokes(report);
    if (unknown.length > 0) {
        lines.push("", ...say("Invokes answered as unknown offline (the program saw values not yet known, as in a first preview):"));
        for (const invoke of unknown) {
            lines.push(...sayIndented(`${escapeText(invoke.token)} (${counted(invoke.count, "call")})`));
        }
    }
    const weakened = weakenedMandatoryPolicies(report);
    if (weakened.length > 0) {
        lines.push(
            "",
            ...say(
                `Mandatory policies not enforced by this policy config: ${weakened.map((change) => `${escapeText(change.policy)} (${change.level})`).join(", ")}.`,
            ),
        );
    }
    lines.push("", ...say(`${summarySentence(report)}: ${report.summary.mandatory > 0 ? "FAILED" : "passed"}.`));
    return lines.join("\n");
}
