// `npm run mutate [-- <area> ...] [--incremental]`: runs Stryker once per area
// of stryker.config.mjs, each with only that area's files and tests, and ends
// with one table of every area's counts (also in reports/mutation/summary.md).
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

import { summarise, summaryTable, type AreaSummary, type MutantOutcome } from "./summary";

interface MutationArea {
    readonly description: string;
    readonly mutate: readonly string[];
    readonly tests: readonly string[];
}

interface StrykerConfigModule {
    readonly default: Record<string, unknown> & { readonly mochaOptions: Record<string, unknown> };
    readonly areas: Readonly<Record<string, MutationArea>>;
}

interface StrykerModule {
    readonly Stryker: new (options: Record<string, unknown>) => { runMutationTest(): Promise<MutantOutcome[]> };
}

const ROOT = path.resolve(__dirname, "..");
const REPORTS = path.join(ROOT, "reports", "mutation");

export interface MutateRequest {
    readonly areas: readonly string[];
    readonly incremental: boolean;
}

/** Reads the arguments; an unknown one is a usage error naming what is allowed. */
export function parseMutateArgs(argv: readonly string[], known: readonly string[]): MutateRequest | string {
    const chosen: string[] = [];
    let incremental = false;
    for (const arg of argv) {
        if (arg === "--incremental") incremental = true;
        else if (known.includes(arg)) chosen.push(arg);
        else {
            const shown = JSON.stringify(arg.slice(0, 80));
            return `mutate: unknown area or option ${shown}; areas are ${known.join(", ")}; the only option is --incremental`;
        }
    }
    return { areas: chosen.length === 0 ? known : [...new Set(chosen)], incremental };
}

/** The options for one area: the shared config with this area's files, tests and report paths. */
export function areaOptions(
    base: StrykerConfigModule["default"],
    name: string,
    area: MutationArea,
    incremental: boolean,
): Record<string, unknown> {
    const folder = path.join("reports", "mutation", name);
    // Stryker reads stryker.config.mjs itself and merges these over it.
    return {
        configFile: "stryker.config.mjs",
        mutate: [...area.mutate],
        mochaOptions: { ...base.mochaOptions, spec: [...area.tests] },
        htmlReporter: { fileName: path.join(folder, "mutation.html") },
        jsonReporter: { fileName: path.join(folder, "mutation.json") },
        // Each area keeps its own incremental file, so re-running one area after
        // adding tests only tests the mutants whose code or tests changed.
        incremental,
        incrementalFile: path.join(folder, "stryker-incremental.json"),
    };
}

async function main(): Promise<number> {
    process.chdir(ROOT);
    const config = (await import(path.join(ROOT, "stryker.config.mjs"))) as StrykerConfigModule;
    const request = parseMutateArgs(process.argv.slice(2), Object.keys(config.areas));
    if (typeof request === "string") {
        process.stderr.write(`${request}\n`);
        return 2;
    }
    // Stryker 9 is an ES module whose types need node16 resolution; the shape
    // used here is declared above instead.
    const core = "@stryker-mutator/core";
    const { Stryker } = (await import(core)) as StrykerModule;
    const summaries: AreaSummary[] = [];
    for (const name of request.areas) {
        const area = config.areas[name];
        process.stdout.write(`\nmutate: ${name}: ${area.description}\n`);
        const started = Date.now();
        const results = await new Stryker(areaOptions(config.default, name, area, request.incremental)).runMutationTest();
        summaries.push(summarise(name, results, Math.round((Date.now() - started) / 1000)));
    }
    const table = summaryTable(summaries);
    mkdirSync(REPORTS, { recursive: true });
    writeFileSync(path.join(REPORTS, "summary.md"), `${table}\n`);
    process.stdout.write(`\n${table}\n\nHTML reports: reports/mutation/<area>/mutation.html\n`);
    return 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (error: unknown) => {
            // Stryker has already logged its own failure (a failing initial test run, say).
            process.stderr.write(`mutate: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exit(1);
        },
    );
}
