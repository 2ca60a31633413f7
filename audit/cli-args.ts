/** What `npm run audit` was asked to do. */
import { REPORT_FORMAT_FLAGS, scanArgs, UsageError } from "../check/cli-args";

export { UsageError };

/** The stack whose policy config and environment apply when --stack is not given. */
export const DEFAULT_STACK = "staging";

export interface AuditOptions {
    /** Live exports, in the order given. */
    readonly from: readonly string[];
    readonly stack: string;
    /** True when --stack was given: only then are live workloads compared with what the program declares. */
    readonly compare: boolean;
    readonly json: boolean;
    readonly markdown: boolean;
    /** Print SARIF 2.1.0 (for code scanning). */
    readonly sarif: boolean;
    /** Policy pack config; default `policies/config/<stack>.json` when it exists. */
    readonly policyConfig: string | undefined;
    readonly help: boolean;
}

export const USAGE = `Usage: npm run audit -- --from <file> [--from <file> ...] [--stack <name>] [--json | --markdown | --sarif] [--policy-config <file>]

Judges live resources with the policy pack in policies/, over the same gRPC protocol and with the same
reports and exit codes as \`npm run check\`. Each --from file is recognised by its content:
  gcloud run services|jobs|worker-pools list|describe --format=json
  Cloud Run Admin API v2 JSON (projects.locations.services, jobs or workerPools, list or get)
  pulumi stack export (deployment version 3; secret values are never printed)
  gcloud secrets get-iam-policy NAME --format=json, saved as <secret-id>.secret-iam.json
  gcloud projects get-iam-policy PROJECT --format=json, saved as <project-id>.project-iam.json

  --from <file>            a live export (at least one; repeat for more)
  --stack <name>           stack whose policy config and environment apply (default ${DEFAULT_STACK}); when given,
                           Cloud Run workloads the program does not declare are flagged "not managed"
  --json                   print one JSON document instead of the table
  --markdown               print a Markdown summary (for a CI job summary)
  --sarif                  print SARIF 2.1.0 (for GitHub code scanning: upload-sarif); workloads the stack
                           does not manage are results of the rule workload-managed-by-stack
  --policy-config <file>   policy pack config; default policies/config/<name>.json when it exists
  --help                   print this help

Exit codes: 0 no mandatory violation, 1 at least one mandatory violation, 2 unreadable input, stack or usage
(with --json, --markdown or --sarif, an error document in that format on stdout too).`;

const VALUE_FLAGS = ["--from", "--stack", "--policy-config"] as const;
const SWITCHES = ["--json", "--markdown", "--sarif", "--help"] as const;

/** Parses `process.argv.slice(2)`; --from repeats, any other value flag is given at most once. */
export function parseAuditArgs(argv: readonly string[]): AuditOptions {
    const { values: scanned, switches } = scanArgs(argv, VALUE_FLAGS, SWITCHES);
    const once = (flag: (typeof VALUE_FLAGS)[number]): string | undefined => {
        const given = scanned.get(flag) ?? [];
        if (given.length > 1) {
            throw new UsageError(`${flag} is given twice; give it once`);
        }
        return given[0];
    };
    const from = scanned.get("--from") ?? [];
    const values = { "--stack": once("--stack"), "--policy-config": once("--policy-config") };
    const help = switches.has("--help");
    if (!help && from.length === 0) {
        throw new UsageError("--from is required, e.g. `npm run audit -- --from services.json`");
    }
    const formats = REPORT_FORMAT_FLAGS.filter((flag) => switches.has(flag));
    if (formats.length > 1) {
        throw new UsageError(`${formats.join(" and ")} exclude each other; pick one`);
    }
    return {
        from,
        stack: values["--stack"] ?? DEFAULT_STACK,
        compare: values["--stack"] !== undefined,
        json: switches.has("--json"),
        markdown: switches.has("--markdown"),
        sarif: switches.has("--sarif"),
        policyConfig: values["--policy-config"],
        help,
    };
}
