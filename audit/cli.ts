/**
 * `npm run audit -- --from <file> [--from <file> ...] [--stack <name>] [--json | --markdown | --sarif] [--policy-config <file>]`
 * Exit 0: no mandatory violation; 1: a mandatory violation; 2: unreadable input, invalid stack or usage.
 */
import type * as Pulumi from "@pulumi/pulumi";
import { StackConfigError } from "../components/config/config-error";
import { PolicyPackError } from "../check/policy-pack-host";
import { requestedFormat, stackArgument } from "../check/cli-args";
import { sanitiseMessage } from "../check/isolated-program/run-isolated";
import { exitCodeOf, renderErrorDocument, widthOf } from "../check/report";
import { StackFileError } from "../check/stack-file";
import { parseAuditArgs, USAGE, UsageError } from "./cli-args";
import { AuditInputError } from "./input-error";
import { renderAuditHuman, renderAuditMarkdown } from "./report";
import { runAuditWithContext } from "./run-audit";
import { renderAuditSarif } from "./sarif";

/** Errors that are the user's to fix: their message is the whole story, no stack trace. */
function describeFailure(error: unknown): string {
    if (error instanceof UsageError) {
        return `audit: ${error.message}`;
    }
    if (
        error instanceof AuditInputError ||
        error instanceof StackFileError ||
        error instanceof StackConfigError ||
        error instanceof PolicyPackError
    ) {
        return error.message;
    }
    // Required lazily, as in the check: loading @pulumi/pulumi up front would delay the pack.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { RunError } = require("@pulumi/pulumi") as typeof Pulumi;
    if (RunError.isInstance(error)) {
        return error.message;
    }
    const message = error instanceof Error ? error.message : String(error);
    return `audit: failed: ${sanitiseMessage(message.split("\n")[0])}`;
}

/** Exits once `text` is flushed (a pipe takes 64 KiB at a time). */
function writeAndExit(stream: NodeJS.WriteStream, text: string, code: number): void {
    stream.write(text, () => process.exit(code));
}

let failed = false;
const argv = process.argv.slice(2);

/** The audit's tool, as an error document names it. */
const AUDIT_TOOL = { name: "netra-live-audit" };

/** Reports the first failure only: the line on stderr and, for --json or --markdown, its error document on stdout. */
function fail(error: unknown): void {
    if (failed) {
        return;
    }
    failed = true;
    const line = describeFailure(error);
    const document = renderErrorDocument(requestedFormat(argv), line, AUDIT_TOOL, stackArgument(argv));
    process.stderr.write(`${line}\n`, () => (document === undefined ? process.exit(2) : writeAndExit(process.stdout, `${document}\n`, 2)));
}

async function main(): Promise<void> {
    const options = parseAuditArgs(argv);
    if (options.help) {
        writeAndExit(process.stdout, `${USAGE}\n`, 0);
        return;
    }
    const { report, sarif } = await runAuditWithContext(process.cwd(), options);
    const text = options.json
        ? JSON.stringify(report, null, 2)
        : options.markdown
          ? renderAuditMarkdown(report)
          : options.sarif
            ? JSON.stringify(renderAuditSarif(report, sarif), null, 2)
            : renderAuditHuman(report, { width: widthOf(process.stdout) });
    writeAndExit(process.stdout, `${text}\n`, exitCodeOf(report));
}

// A failed registration inside the program surfaces as a rejected output, not through main().
process.on("unhandledRejection", fail);
main().catch(fail);
