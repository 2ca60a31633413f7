/**
 * `npm run check -- --stack <name> [--preview] [--json | --markdown | --sarif] [--policy-config <file>] [--program <file>] [--timeout <seconds>]`
 * Exit 0: no mandatory violation; 1: a mandatory violation; 2: invalid stack, config, program or usage.
 * The program runs in a worker thread (check/isolated-program/): stdout, the exit code and the
 * deadline stay here, where it cannot reach them.
 */
import { StackConfigError } from "../components/config/config-error";
import { parseCheckArgs, requestedFormat, stackArgument, USAGE, UsageError } from "./cli-args";
import { ProgramError, sanitiseMessage } from "./isolated-program/run-isolated";
import { PolicyPackError } from "./policy-pack-host";
import { exitCodeOf, renderErrorDocument, renderHuman, renderMarkdown, renderSarif, widthOf } from "./report";
import { runCheckWithContext } from "./run-check";
import { StackFileError } from "./stack-file";

/** The tool SARIF names when the check stopped before the pack could say its own name. */
const CHECK_TOOL = { name: "netra-offline-check" };

/** Errors that are the user's to fix: their message is the whole story, no stack trace. */
function describeFailure(error: unknown): string {
    if (error instanceof UsageError) {
        return `check: ${error.message}`;
    }
    if (
        error instanceof StackFileError ||
        error instanceof StackConfigError ||
        error instanceof PolicyPackError ||
        error instanceof ProgramError
    ) {
        return error.message;
    }
    return `check: ${sanitiseMessage(error instanceof Error ? error.message : String(error))}`;
}

/** Exits once `text` is flushed: a pipe takes 64 KiB at a time, and process.exit() would cut the rest off. */
function writeAndExit(stream: NodeJS.WriteStream, text: string, code: number): void {
    stream.write(text, () => process.exit(code));
}

let failed = false;
const argv = process.argv.slice(2);

/** Reports the first failure only: the line on stderr and, for a machine format, its error document on stdout. */
function fail(error: unknown): void {
    if (failed) {
        return;
    }
    failed = true;
    const line = describeFailure(error);
    const document = renderErrorDocument(requestedFormat(argv), line, CHECK_TOOL, stackArgument(argv));
    process.stderr.write(`${line}\n`, () => (document === undefined ? process.exit(2) : writeAndExit(process.stdout, `${document}\n`, 2)));
}

async function main(): Promise<void> {
    const options = parseCheckArgs(argv);
    if (options.help) {
        writeAndExit(process.stdout, `${USAGE}\n`, 0);
        return;
    }
    const { report, sarif } = await runCheckWithContext(process.cwd(), options);
    const text = options.json
        ? JSON.stringify(report, null, 2)
        : options.markdown
          ? renderMarkdown(report)
          : options.sarif
            ? JSON.stringify(renderSarif(report, sarif), null, 2)
            : renderHuman(report, { width: widthOf(process.stdout) });
    writeAndExit(process.stdout, `${text}\n`, exitCodeOf(report));
}

process.on("unhandledRejection", fail);
main().catch(fail);
