import { escapeText } from "./report/escape";

/** What `npm run check` was asked to do. */
export interface CheckOptions {
    readonly stack: string;
    readonly preview: boolean;
    readonly json: boolean;
    readonly markdown: boolean;
    /** Print SARIF 2.1.0 (for code scanning). */
    readonly sarif: boolean;
    /** The program's run is stopped after this many seconds (exit 2, saying what had not finished). */
    readonly timeoutSeconds: number;
    /** Policy pack config (`--policy-pack-config` format); default `policies/config/<stack>.json` when it exists. */
    readonly policyConfig: string | undefined;
    /** The program to run; default `index.ts`. */
    readonly program: string | undefined;
    readonly help: boolean;
}

/** The command line is wrong: one line saying what was given and what is allowed. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Default of --timeout: far above the ~15 s a 500-service stack takes, far below a CI job's limit. */
export const DEFAULT_TIMEOUT_SECONDS = 300;
/** Longest --timeout accepted (a day). */
const MAX_TIMEOUT_SECONDS = 86_400;

export const USAGE = `Usage: npm run check -- --stack <name> [--preview] [--json | --markdown | --sarif] [--policy-config <file>] [--program <file>] [--timeout <seconds>]

Runs the Pulumi program offline under mocks with the config of Pulumi.<name>.yaml and checks every
resource with the policy pack in policies/, over the same gRPC protocol the Pulumi CLI uses.

  --stack <name>           stack whose Pulumi.<name>.yaml supplies the config (required)
  --preview                make outputs the cloud computes unknown, as in a first \`pulumi preview\`
  --json                   print one JSON document instead of the table
  --markdown               print a Markdown summary (for a CI job summary)
  --sarif                  print SARIF 2.1.0 (for GitHub code scanning: upload-sarif)
  --policy-config <file>   policy pack config; default policies/config/<name>.json when it exists
  --program <file>         TypeScript program to run instead of index.ts
  --timeout <seconds>      stop a program still running this long after it started (default ${DEFAULT_TIMEOUT_SECONDS})
  --help                   print this help

Exit codes: 0 no mandatory violation, 1 at least one mandatory violation, 2 invalid stack, config, program
or usage (with --json, --markdown or --sarif, an error document in that format on stdout too).
The program's own output (console.log, pulumi.log) goes to stderr: stdout is the report's.
Types are stripped, not checked, for speed: \`npm run typecheck\` (part of \`npm test\`) checks them, and
\`pulumi preview\` type-checks the program it runs.`;

const VALUE_FLAGS = ["--stack", "--policy-config", "--program", "--timeout"] as const;
const SWITCHES = ["--preview", "--json", "--markdown", "--sarif", "--help"] as const;
/** The report formats of the check and the audit; at most one may be given. */
export const REPORT_FORMAT_FLAGS = ["--json", "--markdown", "--sarif"] as const;

/** The `--stack` value, for an error document's heading, when it is a plain name. */
export function stackArgument(args: readonly string[]): string | undefined {
    const index = args.indexOf("--stack");
    const value = index >= 0 ? args[index + 1] : args.find((arg) => arg.startsWith("--stack="))?.slice("--stack=".length);
    return value?.match(/^[A-Za-z0-9_.-]{1,100}$/) ? value : undefined;
}

/** The report format `argv` asks for, when it asks for exactly one (read even when the rest is wrong). */
export function requestedFormat(argv: readonly string[]): "human" | "json" | "markdown" | "sarif" {
    const asked = REPORT_FORMAT_FLAGS.filter((flag) => argv.includes(flag));
    return asked.length === 1 ? (asked[0].slice(2) as "json" | "markdown" | "sarif") : "human";
}

function parseTimeout(value: string | undefined): number {
    if (value === undefined) {
        return DEFAULT_TIMEOUT_SECONDS;
    }
    const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (!(seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS)) {
        const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
        throw new UsageError(`--timeout is ${JSON.stringify(shown)}; allowed: a number of seconds above 0, at most ${MAX_TIMEOUT_SECONDS}`);
    }
    return seconds;
}

/** The flags a command line held: each value flag's values in order, and the switches given. */
export interface ScannedArgs {
    readonly values: ReadonlyMap<string, readonly string[]>;
    readonly switches: ReadonlySet<string>;
}

/**
 * Reads `argv` against a command's flags (the check's and the audit's): `--flag=value` and
 * `--flag value` both work; a missing value or an unknown argument is a usage error, escaped and cut.
 */
export function scanArgs(argv: readonly string[], valueFlags: readonly string[], switchFlags: readonly string[]): ScannedArgs {
    const values = new Map<string, string[]>();
    const switches = new Set<string>();
    for (let index = 0; index < argv.length; index++) {
        const arg = argv[index];
        // Only a flag can hold `=`: any other argument is unknown, and its message shows it whole.
        const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        if (switchFlags.includes(flag) && inline === undefined) {
            switches.add(flag);
        } else if (valueFlags.includes(flag)) {
            const value = inline ?? argv[++index];
            if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) {
                throw new UsageError(`${flag} needs a value; see --help`);
            }
            values.set(flag, [...(values.get(flag) ?? []), value]);
        } else {
            throw new UsageError(`unknown argument "${escapeText(arg, 100)}"; allowed: ${[...valueFlags, ...switchFlags].join(", ")}`);
        }
    }
    return { values, switches };
}

/** Parses `process.argv.slice(2)`; a value flag given twice takes its last value. */
export function parseCheckArgs(argv: readonly string[]): CheckOptions {
    const scanned = scanArgs(argv, VALUE_FLAGS, SWITCHES);
    const switches = scanned.switches;
    const last = (flag: (typeof VALUE_FLAGS)[number]): string | undefined => scanned.values.get(flag)?.at(-1);
    const values = {
        "--stack": last("--stack"),
        "--timeout": last("--timeout"),
        "--policy-config": last("--policy-config"),
        "--program": last("--program"),
    };
    const help = switches.has("--help");
    if (!help && values["--stack"] === undefined) {
        throw new UsageError("--stack is required, e.g. `npm run check -- --stack staging`");
    }
    const formats = REPORT_FORMAT_FLAGS.filter((flag) => switches.has(flag));
    if (formats.length > 1) {
        throw new UsageError(`${formats.join(" and ")} exclude each other; pick one`);
    }
    return {
        stack: values["--stack"] ?? "",
        preview: switches.has("--preview"),
        json: switches.has("--json"),
        markdown: switches.has("--markdown"),
        sarif: switches.has("--sarif"),
        timeoutSeconds: parseTimeout(values["--timeout"]),
        policyConfig: values["--policy-config"],
        program: values["--program"],
        help,
    };
}
