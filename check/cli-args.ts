/** What `npm run check` was asked to do. */
export interface CheckOptions {
    readonly stack: string;
    readonly preview: boolean;
    readonly json: boolean;
    readonly markdown: boolean;
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

export const USAGE = `Usage: npm run check -- --stack <name> [--preview] [--json | --markdown] [--policy-config <file>] [--program <file>]

Runs the Pulumi program offline under mocks with the config of Pulumi.<name>.yaml and checks every
resource with the policy pack in policies/, over the same gRPC protocol the Pulumi CLI uses.

  --stack <name>           stack whose Pulumi.<name>.yaml supplies the config (required)
  --preview                make outputs the cloud computes unknown, as in a first \`pulumi preview\`
  --json                   print one JSON document instead of the table
  --markdown               print a Markdown summary (for a CI job summary)
  --policy-config <file>   policy pack config; default policies/config/<name>.json when it exists
  --program <file>         TypeScript program to run instead of index.ts
  --help                   print this help

Exit codes: 0 no mandatory violation, 1 at least one mandatory violation, 2 invalid stack, config or usage.
Types are stripped, not checked, for speed: \`npm run typecheck\` (part of \`npm test\`) checks them, and
\`pulumi preview\` type-checks the program it runs.`;

const VALUE_FLAGS = ["--stack", "--policy-config", "--program"] as const;
const SWITCHES = ["--preview", "--json", "--markdown", "--help"] as const;

/** Parses `process.argv.slice(2)`; `--flag=value` and `--flag value` both work. */
export function parseCheckArgs(argv: readonly string[]): CheckOptions {
    const values: Partial<Record<(typeof VALUE_FLAGS)[number], string>> = {};
    const switches = new Set<string>();
    for (let index = 0; index < argv.length; index++) {
        const arg = argv[index];
        const [flag, inline] =
            arg.startsWith("--") && arg.includes("=")
                ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
                : [arg, undefined];
        if ((SWITCHES as readonly string[]).includes(flag) && inline === undefined) {
            switches.add(flag);
        } else if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
            const value = inline ?? argv[++index];
            if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) {
                throw new UsageError(`${flag} needs a value; see --help`);
            }
            values[flag as (typeof VALUE_FLAGS)[number]] = value;
        } else {
            throw new UsageError(`unknown argument "${arg}"; allowed: ${[...VALUE_FLAGS, ...SWITCHES].join(", ")}`);
        }
    }
    const help = switches.has("--help");
    if (!help && values["--stack"] === undefined) {
        throw new UsageError("--stack is required, e.g. `npm run check -- --stack staging`");
    }
    if (switches.has("--json") && switches.has("--markdown")) {
        throw new UsageError("--json and --markdown exclude each other; pick one");
    }
    return {
        stack: values["--stack"] ?? "",
        preview: switches.has("--preview"),
        json: switches.has("--json"),
        markdown: switches.has("--markdown"),
        policyConfig: values["--policy-config"],
        program: values["--program"],
        help,
    };
}
