/**
 * `npm run check -- --stack <name> [--preview] [--json | --markdown] [--policy-config <file>] [--program <file>]`
 * Exit 0: no mandatory violation; 1: a mandatory violation; 2: invalid stack, config, program or usage.
 */
// First: defers what @pulumi/pulumi loads but the check never uses (TypeScript, arborist).
import "../startup/lazy-sdk-modules";
import type * as Pulumi from "@pulumi/pulumi";
import { StackConfigError } from "../components/config/config-error";
import { parseCheckArgs, USAGE, UsageError } from "./cli-args";
import { PolicyPackError } from "./policy-pack-host";
import { exitCodeOf, renderHuman, renderMarkdown } from "./report";
import { runCheck } from "./run-check";
import { StackFileError } from "./stack-file";

/** Errors that are the user's to fix: their message is the whole story, no stack trace. */
function describeFailure(error: unknown): string {
    if (error instanceof UsageError) {
        return `check: ${error.message}`;
    }
    if (error instanceof StackFileError || error instanceof StackConfigError || error instanceof PolicyPackError) {
        return error.message;
    }
    // Required lazily: loading @pulumi/pulumi up front would delay starting the policy pack.
    const { RunError } = require("@pulumi/pulumi") as typeof Pulumi;
    if (RunError.isInstance(error)) {
        return error.message;
    }
    const message = error instanceof Error ? error.message : String(error);
    return `check: the program failed: ${message.split("\n")[0]}`;
}

/** Exits once `text` is flushed: a pipe takes 64 KiB at a time, and process.exit() would cut the rest off. */
function writeAndExit(stream: NodeJS.WriteStream, text: string, code: number): void {
    stream.write(text, () => process.exit(code));
}

let failed = false;

/** Reports the first failure only: a program error also rejects the stack's outputs a second time. */
function fail(error: unknown): void {
    if (!failed) {
        failed = true;
        writeAndExit(process.stderr, `${describeFailure(error)}\n`, 2);
    }
}

async function main(argv: readonly string[]): Promise<void> {
    const options = parseCheckArgs(argv);
    if (options.help) {
        writeAndExit(process.stdout, `${USAGE}\n`, 0);
        return;
    }
    const report = await runCheck(process.cwd(), options);
    const text = options.json ? JSON.stringify(report, null, 2) : options.markdown ? renderMarkdown(report) : renderHuman(report);
    writeAndExit(process.stdout, `${text}\n`, exitCodeOf(report));
}

// A failed registration inside the program surfaces as a rejected output, not through main().
process.on("unhandledRejection", fail);
main(process.argv.slice(2)).catch(fail);
