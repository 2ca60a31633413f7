/**
 * Where users wait, timed side by side against the floor of any Pulumi program (a bare
 * `require("@pulumi/pulumi")`): the offline check on staging (update and preview), the CLI path
 * (cli-path.bench.ts), and the check on generated stacks of 50, 200 and 500 services. Every case
 * runs round-robin with the floor (side-by-side.ts), so ratios hold on a shared machine; prints a
 * Markdown table of medians.
 *
 *     npm run bench            (all benchmarks)
 *     BENCH_ONLY=staging npm run bench     (the floor and the cases whose label holds "staging")
 *     node -r sucrase/register/ts bench/check.bench.ts
 */
import { rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliPathCases } from "./cli-path.bench";
import { GENERATED_POLICY_CONFIG, writeGeneratedStack } from "./generated-stack";
import { timeProcess } from "./measure";
import { isSelected, selectCases, selectionWords } from "./select-cases";
import { type BenchCase, sideBySide } from "./side-by-side";

const REPO_ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Type-checking runs take several seconds each. */
const SLOW_RUNS = Number(process.env.BENCH_SLOW_RUNS ?? 3);
const SIZES = [50, 200, 500];
// The same flags as `npm run check` (package.json), minus npm itself.
const CLI = [
    "--max-semi-space-size=64",
    "-r",
    path.join(REPO_ROOT, "startup", "cached-sucrase-register.js"),
    path.join(REPO_ROOT, "check", "cli.ts"),
];
const FLOOR = "floor: `node -e 'require(\"@pulumi/pulumi\")'`";

function format(ms: number): string {
    return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function generatedLabel(size: number): string {
    return `check, ${size} generated services`;
}

/** A check run as a case; remembers the resource count of its last run. */
function checkCase(label: string, args: readonly string[], cwd: string, counts: Map<string, number>): BenchCase {
    return {
        label,
        runs: RUNS,
        run: () => {
            const timed = timeProcess([...CLI, ...args], cwd);
            if (timed.status !== 0) {
                throw new Error(`${label}: the check exited ${timed.status}: ${timed.stderr.trim()}`);
            }
            counts.set(label, (JSON.parse(timed.stdout) as { summary: { resources: number } }).summary.resources);
            return timed.ms;
        },
    };
}

export async function main(): Promise<void> {
    const counts = new Map<string, number>();
    const words = selectionWords(process.env.BENCH_ONLY);
    const sizes = SIZES.filter((size) => isSelected(generatedLabel(size), words));
    const dirs = sizes.map((size) => writeGeneratedStack(REPO_ROOT, size));
    try {
        const generatedArgs = [
            "--stack",
            "staging",
            "--json",
            "--program",
            path.join(REPO_ROOT, "index.ts"),
            "--policy-config",
            GENERATED_POLICY_CONFIG,
        ];
        const generated = sizes.map((size, index) => checkCase(generatedLabel(size), generatedArgs, dirs[index], counts));
        const cases: BenchCase[] = selectCases(
            [
                { label: FLOOR, runs: RUNS, run: () => timeProcess(["-e", 'require("@pulumi/pulumi")'], REPO_ROOT).ms },
                checkCase("check, staging", ["--stack", "staging", "--json"], REPO_ROOT, counts),
                checkCase("check, staging --preview", ["--stack", "staging", "--json", "--preview"], REPO_ROOT, counts),
                ...cliPathCases(RUNS, SLOW_RUNS),
                ...generated,
            ],
            words,
        );
        const results = await sideBySide(cases, (line) => process.stderr.write(`bench: ${line}\n`));
        const floor = results[0].median;
        console.log(
            `## Where users wait (medians, round-robin with the floor; ${process.version}, ${os.cpus().length} cores, load average ${os
                .loadavg()
                .map((load) => load.toFixed(1))
                .join(" ")})\n`,
        );
        console.log("| What | Resources | Runs | Median | Ratio to floor |");
        console.log("| --- | ---: | ---: | ---: | ---: |");
        for (const result of results) {
            console.log(
                `| ${result.label} | ${counts.get(result.label) ?? ""} | ${result.runs} | ${format(result.median)} | ${(result.median / floor).toFixed(2)}x |`,
            );
        }
        if (sizes.length < SIZES.length) {
            return; // the line through 50 and 500 needs every size
        }
        const [small, middle, large] = SIZES.map((size) => results.find((result) => result.label === generatedLabel(size))!);
        const resourcesOf = (size: number): number => counts.get(generatedLabel(size))!;
        const perService = (large.median - small.median) / (SIZES[2] - SIZES[0]);
        const predicted = small.median + perService * (SIZES[1] - SIZES[0]);
        console.log(
            `\nPer service: ${perService.toFixed(1)} ms (${((large.median - small.median) / (resourcesOf(SIZES[2]) - resourcesOf(SIZES[0]))).toFixed(2)} ms per resource). ` +
                `Linearity: the 200-service run took ${format(middle.median)}, the line through 50 and 500 predicts ${format(predicted)} ` +
                `(${(((middle.median - predicted) / predicted) * 100).toFixed(1)}%).`,
        );
    } finally {
        for (const dir of dirs) {
            rmSync(dir, { recursive: true, force: true });
        }
    }
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(error);
        process.exit(1);
    });
}
