/**
 * The offline check's wall time, as `npm run check` users see it: the staging stack (update and
 * preview), generated stacks of 50, 200 and 500 services, and the floor of any Pulumi program, a bare
 * `require("@pulumi/pulumi")`. Medians of RUNS child processes each; prints a Markdown table.
 *
 *     npm run bench            (all benchmarks)
 *     node -r sucrase/register/ts bench/check.bench.ts
 */
import { rmSync } from "node:fs";
import * as path from "node:path";
import { writeGeneratedStack } from "./generated-stack";
import { medianOfRuns } from "./measure";

const REPO_ROOT = path.resolve(__dirname, "..");
const RUNS = 5;
const SIZES = [50, 200, 500];
// The same flags as `npm run check` (package.json), minus npm itself.
const CLI = ["--max-semi-space-size=64", "-r", require.resolve("sucrase/register/ts"), path.join(REPO_ROOT, "check", "cli.ts")];
const STAGING_POLICY_CONFIG = path.join(REPO_ROOT, "policies", "config", "staging.json");

interface Row {
    readonly what: string;
    readonly resources: number | undefined;
    readonly ms: number;
}

function resourceCount(stdout: string): number {
    return (JSON.parse(stdout) as { summary: { resources: number } }).summary.resources;
}

function format(ms: number): string {
    return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

export async function main(): Promise<void> {
    const rows: Row[] = [];
    const floor = medianOfRuns(["-e", 'require("@pulumi/pulumi")'], REPO_ROOT, RUNS);
    rows.push({ what: "floor: `node -e 'require(\"@pulumi/pulumi\")'`", resources: undefined, ms: floor.median });
    for (const preview of [false, true]) {
        const run = medianOfRuns([...CLI, "--stack", "staging", "--json", ...(preview ? ["--preview"] : [])], REPO_ROOT, RUNS);
        rows.push({ what: `check, staging${preview ? " --preview" : ""}`, resources: resourceCount(run.last.stdout), ms: run.median });
    }
    const generated: Row[] = [];
    for (const size of SIZES) {
        const dir = writeGeneratedStack(REPO_ROOT, size);
        try {
            const args = [
                ...CLI,
                "--stack",
                "staging",
                "--json",
                "--program",
                path.join(REPO_ROOT, "index.ts"),
                "--policy-config",
                STAGING_POLICY_CONFIG,
            ];
            const run = medianOfRuns(args, dir, RUNS);
            generated.push({ what: `check, ${size} generated services`, resources: resourceCount(run.last.stdout), ms: run.median });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }
    rows.push(...generated);

    console.log(`## Offline check (medians of ${RUNS} runs, ${process.version}, ${require("node:os").cpus().length} cores)\n`);
    console.log("| What | Resources | Median | Ratio to floor |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const row of rows) {
        console.log(`| ${row.what} | ${row.resources ?? ""} | ${format(row.ms)} | ${(row.ms / floor.median).toFixed(2)}x |`);
    }
    const [small, middle, large] = generated;
    const perService = (large.ms - small.ms) / (SIZES[2] - SIZES[0]);
    const predicted = small.ms + perService * (SIZES[1] - SIZES[0]);
    console.log(
        `\nPer service: ${perService.toFixed(1)} ms (${((large.ms - small.ms) / (large.resources! - small.resources!)).toFixed(2)} ms per resource). ` +
            `Linearity: the 200-service run took ${format(middle.ms)}, the line through 50 and 500 predicts ${format(predicted)} ` +
            `(${(((middle.ms - predicted) / predicted) * 100).toFixed(1)}%).`,
    );
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(error);
        process.exit(1);
    });
}
