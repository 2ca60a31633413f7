/**
 * What `npm run detect` does, as a pure function of its arguments and environment (cli.ts is the process around it).
 * stdout carries the answer, stderr everything meant for people, one line per message; never a stack trace.
 */

import { detectEnvironment } from "./detect";
import { asciiJson, echo } from "./echo";
import { describeEnvironments } from "./environments";
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
            return { code: EXIT_UNDECIDED, stdout: "", stderr: `detect: ${what} \`${echo(arg)}\`; usage: ${USAGE}\n` };
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
    const stdout = json ? `${asciiJson({ environment, source, signals, warnings })}\n` : `${environment} (${source})\n`;
    let stderr = warnings.map((warning) => `detect: warning: ${warning}\n`).join("");
    if (strict && warnings.length > 0) {
        stderr += `detect: --strict: failing on ${warnings.length} warning${warnings.length === 1 ? "" : "s"}\n`;
        return { code: EXIT_WARNED, stdout, stderr };
    }
    return { code: EXIT_DECIDED, stdout, stderr };
}
