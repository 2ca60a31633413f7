/**
 * `npm run detect -- [--json] [--strict] [--help]`: the detector for containers and CI steps in any language.
 * stdout carries the answer, stderr everything meant for people; never a stack trace.
 */

import { describeEnvironments } from "./environments";
import { detectEnvironment } from "./detect";
import { EnvironmentDetectionError } from "./errors";
import type { EnvironmentVariables } from "./signals";

/** Exit statuses, part of the CLI's contract. */
export const EXIT_DECIDED = 0;
export const EXIT_UNDECIDED = 2;
export const EXIT_WARNED = 3;

const USAGE = "npm run detect -- [--json] [--strict] [--help]";

const HELP = `Usage: ${USAGE}

Prints which environment this process runs in (${describeEnvironments()}) and where that came from:
explicit (ENVIRONMENT), platform (Cloud Run signals) or default (off Cloud Run).

  --json    print {"environment", "source", "signals", "warnings"} as one line of JSON
  --strict  exit ${EXIT_WARNED} when there is any warning
  --help    print this help

Warnings go to stderr. Exit status: ${EXIT_DECIDED} decided; ${EXIT_UNDECIDED} cannot decide, invalid value or usage error; \
${EXIT_WARNED} warnings under --strict.
`;

/** What one run prints and returns. */
export interface CliOutcome {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs the CLI on `args` (without node and script) and `env`, without touching the process. */
export function runDetectCli(args: readonly string[], env: EnvironmentVariables): CliOutcome {
    let json = false;
    let strict = false;
    for (const arg of args) {
        if (arg === "--help" || arg === "-h") {
            return { code: EXIT_DECIDED, stdout: HELP, stderr: "" };
        } else if (arg === "--json") {
            json = true;
        } else if (arg === "--strict") {
            strict = true;
        } else {
            const what = arg.startsWith("-") ? "unknown option" : "unexpected argument";
            return { code: EXIT_UNDECIDED, stdout: "", stderr: `detect: ${what} \`${arg}\`; usage: ${USAGE}\n` };
        }
    }
    let result;
    try {
        result = detectEnvironment(env);
    } catch (error) {
        if (error instanceof EnvironmentDetectionError) {
            return { code: EXIT_UNDECIDED, stdout: "", stderr: `detect: ${error.message}\n` };
        }
        throw error;
    }
    const { environment, source, signals, warnings } = result;
    const stdout = json ? `${JSON.stringify({ environment, source, signals, warnings })}\n` : `${environment} (${source})\n`;
    let stderr = warnings.map((warning) => `detect: warning: ${warning}\n`).join("");
    if (strict && warnings.length > 0) {
        stderr += `detect: --strict: failing on ${warnings.length} warning${warnings.length === 1 ? "" : "s"}\n`;
        return { code: EXIT_WARNED, stdout, stderr };
    }
    return { code: EXIT_DECIDED, stdout, stderr };
}

if (require.main === module) {
    let outcome: CliOutcome;
    try {
        outcome = runDetectCli(process.argv.slice(2), process.env);
    } catch (error) {
        // Not reachable by design (the detector throws only its own error); still one line, never a stack trace.
        outcome = {
            code: EXIT_UNDECIDED,
            stdout: "",
            stderr: `detect: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
        };
    }
    process.stdout.write(outcome.stdout);
    process.stderr.write(outcome.stderr);
    process.exitCode = outcome.code;
}
