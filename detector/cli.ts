/**
 * `npm run detect -- [--json] [--strict] [--help]` (or `node detector/dist/cli.js`): the detector for containers and
 * CI steps in any language. stdout carries the answer, stderr everything meant for people; exit 0, 2 or 3, never a
 * stack trace. This entry point imports nothing at load time, so even a broken install (a file of the detector
 * missing) ends with one line and exit 2 instead of Node's module-not-found trace and exit 1.
 */

/** The exit status for "cannot decide", repeated here because run-cli.ts may be the file that is missing. */
const EXIT_UNDECIDED = 2;

async function main(): Promise<void> {
    let outcome: { readonly code: number; readonly stdout: string; readonly stderr: string };
    try {
        const { runDetectCli } = await import("./run-cli");
        outcome = runDetectCli(process.argv.slice(2), process.env);
    } catch (error) {
        // A missing or broken detector file, or a bug: still one line, never a stack trace.
        const reason = error instanceof Error ? error.message : String(error);
        const firstLine = reason
            .split("\n")[0]
            .slice(0, 200)
            .replace(/[^\x20-\x7e]/g, "?");
        outcome = { code: EXIT_UNDECIDED, stdout: "", stderr: `detect: internal error: ${firstLine}\n` };
    }
    process.stdout.write(outcome.stdout);
    process.stderr.write(outcome.stderr);
    process.exitCode = outcome.code;
}

void main();
