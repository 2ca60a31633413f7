/**
 * How long `detectEnvironment` takes per call, beside gcp-metadata's `getGCPResidency()` and `isAvailable()`,
 * in one run on one machine. Prints a Markdown table of medians and ratios.
 *
 *     npm run bench      (or: npx ts-node --transpile-only bench/detector.bench.ts)
 *
 * Target: at most 1 microsecond per `detectEnvironment` call, warm and cold (values new to the process), no I/O;
 * CPython figures for the Python twin come from bench/detector-python.bench.py. gcp-metadata is the comparison because
 * client libraries call it at start-up for the same question ("am I on Google Cloud?").
 */

import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import * as gcpMetadata from "gcp-metadata";
import type { detectEnvironment as DetectEnvironment } from "../detector/detect";
import type { EnvironmentVariables } from "../detector/signals";

/**
 * The compiled runtime in detector/dist, as services run it (`npm run build:detector`), not the TypeScript through the
 * bench's loader: sucrase rewrites `??` and `||=` into helper calls that production code never makes.
 */
const { detectEnvironment } = require("../detector/dist/detect.js") as { detectEnvironment: typeof DetectEnvironment };

/** Runs per measurement; the median is reported. */
const RUNS = 7;
/** Calls per run for the sub-microsecond rows. */
const FAST_CALLS = 100_000;
/** Calls per run for gcp-metadata's uncached residency probe (file reads, network interfaces: tens of microseconds). */
const PROBE_CALLS = 1_000;
/**
 * `isAvailable()` with its cache reset probes the network: about 70 ms here, up to its 3 s timeout where the
 * metadata address swallows packets. Five calls, one per run, bound that to 15 s at worst.
 * METADATA_SERVER_DETECTION is deliberately left alone: set to `none` or `assume-present` it skips the very probe measured.
 */
const PROBE_RUNS = 5;
/**
 * The cold row: every call gets an environment whose values no earlier call in this process has seen (so the memo of
 * each variable's last value never answers), made in batches of COLD_BATCH just before the batch is timed, as
 * `process.env` makes its strings when they are read. Cycling through a fixed set (4096 before) reused each value
 * about 24 times per run and timed reads of a 2 MB set no longer in the CPU's caches.
 */
const COLD_CALLS = 20_480;
const COLD_BATCH = 64;
/** The budget per call. */
const TARGET_NS = 1000;

/** The staging backend's Cloud Run variables (reference/netra-staging.md), as the detector sees them at start-up. */
const CLOUD_RUN_BACKEND: EnvironmentVariables = {
    K_SERVICE: "netra-backend-staging",
    K_REVISION: "netra-backend-staging-00042-abc",
    K_CONFIGURATION: "netra-backend-staging",
    GCP_PROJECT_ID: "netra-staging",
    AUTH_SERVICE_URL: "https://auth.staging.netrasystems.ai",
    FRONTEND_URL: "https://staging.netrasystems.ai",
    NODE_ENV: "production",
    PORT: "8000",
    PYTHONUNBUFFERED: "1",
};
const EXPLICIT_ON_CLOUD_RUN: EnvironmentVariables = { ...CLOUD_RUN_BACKEND, ENVIRONMENT: "staging" };
const LOCAL: EnvironmentVariables = { HOME: "/home/dev", PATH: "/usr/local/bin:/usr/bin", SHELL: "/bin/bash", NODE_ENV: "development" };

/** One row of the table. */
interface Measurement {
    readonly label: string;
    readonly medianNs: number;
    readonly runs: number;
    readonly callsPerRun: number;
}

/** Keeps results alive so no call can be optimised away. */
let sink: unknown;

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nanoseconds per call: one warm-up run, then the median of `runs` timed runs. */
function measure(label: string, call: () => unknown, callsPerRun: number, runs = RUNS): Measurement {
    const perCall: number[] = [];
    for (let run = -1; run < runs; run += 1) {
        const started = process.hrtime.bigint();
        for (let index = 0; index < callsPerRun; index += 1) {
            sink = call();
        }
        const elapsed = Number(process.hrtime.bigint() - started);
        if (run >= 0) {
            perCall.push(elapsed / callsPerRun);
        }
    }
    return { label, medianNs: median(perCall), runs, callsPerRun };
}

/** As `measure`, awaiting each call; `beforeEach` runs outside the timing. */
async function measureAsync(
    label: string,
    call: () => Promise<unknown>,
    callsPerRun: number,
    runs: number,
    beforeEach = (): void => {},
): Promise<Measurement> {
    const perCall: number[] = [];
    for (let run = 0; run < runs; run += 1) {
        let elapsed = 0n;
        for (let index = 0; index < callsPerRun; index += 1) {
            beforeEach();
            const started = process.hrtime.bigint();
            sink = await call();
            elapsed += process.hrtime.bigint() - started;
        }
        perCall.push(Number(elapsed) / callsPerRun);
    }
    return { label, medianNs: median(perCall), runs, callsPerRun };
}

/** How many cold environments were made so far: each gets values of its own. */
let coldMade = 0;

/**
 * `count` environments like the Cloud Run one whose values the process has never seen, so none is remembered. Passed
 * through JSON so the values are flat strings, as the operating system's are: a template literal makes a rope, which a
 * real environment never holds and which costs a scan its first flattening.
 */
function coldEnvironments(count: number): EnvironmentVariables[] {
    return JSON.parse(JSON.stringify(coldTemplates(count))) as EnvironmentVariables[];
}

function coldTemplates(count: number): EnvironmentVariables[] {
    return Array.from({ length: count }, (_, offset) => coldMade + offset).map((index) => ({
        ...CLOUD_RUN_BACKEND,
        K_SERVICE: `netra-backend-${index}-staging`,
        K_REVISION: `netra-backend-${index}-staging-00042-abc`,
        K_CONFIGURATION: `netra-backend-${index}-staging`,
        GCP_PROJECT_ID: `netra-staging-${index}`,
        AUTH_SERVICE_URL: `https://auth-${index}.staging.netrasystems.ai`,
        FRONTEND_URL: `https://app-${index}.staging.netrasystems.ai`,
    }));
}

/** Nanoseconds per call on never-seen values: one warm-up run, then the median of RUNS; only the calls are timed. */
function measureCold(label: string): Measurement {
    const perCall: number[] = [];
    for (let run = -1; run < RUNS; run += 1) {
        let elapsed = 0n;
        for (let done = 0; done < COLD_CALLS; done += COLD_BATCH) {
            const batch = coldEnvironments(COLD_BATCH);
            coldMade += COLD_BATCH;
            const started = process.hrtime.bigint();
            for (let index = 0; index < COLD_BATCH; index += 1) {
                sink = detectEnvironment(batch[index]);
            }
            elapsed += process.hrtime.bigint() - started;
        }
        if (run >= 0) {
            perCall.push(Number(elapsed) / COLD_CALLS);
        }
    }
    return { label, medianNs: median(perCall), runs: RUNS, callsPerRun: COLD_CALLS };
}

function formatDuration(ns: number): string {
    if (ns < 10_000) {
        return `${ns.toFixed(0)} ns`;
    }
    if (ns < 1_000_000) {
        return `${(ns / 1000).toFixed(1)} µs`;
    }
    return `${(ns / 1_000_000).toFixed(2)} ms`;
}

function formatRatio(ratio: number): string {
    if (ratio >= 100) {
        return `${Math.round(ratio).toLocaleString("en-US")}×`;
    }
    return ratio >= 0.1 ? `${ratio.toFixed(2)}×` : `${ratio.toPrecision(1)}×`;
}

/** The Markdown table, each row's ratio against `baseline`. */
export function markdownTable(rows: readonly Measurement[], baseline: Measurement): string {
    const lines = [
        `| Call | Median per call | Runs × calls | Ratio to ${baseline.label} |`,
        "|---|---:|---:|---:|",
        ...rows.map(
            (row) =>
                `| ${row.label} | ${formatDuration(row.medianNs)} | ${row.runs} × ${row.callsPerRun.toLocaleString("en-US")} | ` +
                `${formatRatio(row.medianNs / baseline.medianNs)} |`,
        ),
    ];
    return lines.join("\n");
}

/** The detector on the representative environments, warm and cold, and on this process's real `process.env`. */
function measureDetector(): Record<"explicit" | "cloudRun" | "local" | "cold" | "processEnv", Measurement> {
    return {
        explicit: measure(
            "`detectEnvironment`: explicit ENVIRONMENT, Cloud Run signals read",
            () => detectEnvironment(EXPLICIT_ON_CLOUD_RUN),
            FAST_CALLS,
        ),
        cloudRun: measure("`detectEnvironment`: Cloud Run, agreeing signals", () => detectEnvironment(CLOUD_RUN_BACKEND), FAST_CALLS),
        local: measure("`detectEnvironment`: local default", () => detectEnvironment(LOCAL), FAST_CALLS),
        cold: measureCold("`detectEnvironment`: Cloud Run, values new to the process (every call)"),
        processEnv: measure("`detectEnvironment(process.env)`: this shell's environment", () => detectEnvironment(process.env), FAST_CALLS),
    };
}

/** gcp-metadata's answers to "am I on Google Cloud?", cached and first-time. */
async function measureGcpMetadata(): Promise<{ rows: Measurement[]; available: boolean; lookupWarnings: number }> {
    const residencyCached = measure("gcp-metadata `getGCPResidency()` (cached)", () => gcpMetadata.getGCPResidency(), FAST_CALLS);
    const residencyProbe = measure(
        "gcp-metadata `getGCPResidency()` first call (`setGCPResidency()` re-probes)",
        () => gcpMetadata.setGCPResidency(),
        PROBE_CALLS,
    );
    // isAvailable() reports an unreachable server through process.emitWarning; count those instead of printing them mid-table.
    let lookupWarnings = 0;
    const emitWarning = process.emitWarning;
    process.emitWarning = ((): void => {
        lookupWarnings += 1;
    }) as typeof process.emitWarning;
    try {
        const probe = await measureAsync(
            "gcp-metadata `isAvailable()` first call (cache reset)",
            () => gcpMetadata.isAvailable(),
            1,
            PROBE_RUNS,
            () => gcpMetadata.resetIsAvailableCache(),
        );
        const available = await gcpMetadata.isAvailable();
        const cached = await measureAsync("gcp-metadata `isAvailable()` (cached answer)", () => gcpMetadata.isAvailable(), 1_000, RUNS);
        return { rows: [residencyCached, residencyProbe, probe, cached], available, lookupWarnings };
    } finally {
        process.emitWarning = emitWarning;
    }
}

/** CPython's figures from bench/detector-python.bench.py, microseconds per call by case, or why there are none. */
function measurePython(): Record<string, number | string> | string {
    const script = path.join(__dirname, "detector-python.bench.py");
    const run = spawnSync("python3", [script], { encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
    if (run.status !== 0) {
        return `python3 ${path.relative(process.cwd(), script)} failed: ${(run.error?.message ?? run.stderr).trim().split("\n").pop()}`;
    }
    return JSON.parse(run.stdout) as Record<string, number | string>;
}

/** Runs every measurement and prints the table with its notes. */
export async function main(): Promise<void> {
    const started = Date.now();
    const detector = measureDetector();
    const gcp = await measureGcpMetadata();
    const python = measurePython();
    void sink;

    const representative = [detector.explicit, detector.cloudRun, detector.local];
    const slowest = Math.max(...representative.map((row) => row.medianNs), detector.cold.medianNs);
    const cpus = os.cpus();
    console.log("## detectEnvironment vs gcp-metadata\n");
    console.log(
        `Node ${process.version}, ${cpus[0]?.model ?? "unknown CPU"} (${cpus.length} cores); medians of ${RUNS} runs (${PROBE_RUNS} for the network probe).\n`,
    );
    console.log(markdownTable([...representative, detector.cold, detector.processEnv, ...gcp.rows], detector.cloudRun));
    console.log("");
    console.log(
        `- Target, at most ${TARGET_NS} ns per call, warm and cold: ${slowest <= TARGET_NS ? "met" : "NOT met"} ` +
            `(slowest ${formatDuration(slowest)}); no I/O on the synchronous path.`,
    );
    console.log(
        `- Values new to the process (cold: six new values, ${formatDuration(detector.cold.medianNs)}) are read by an allocation-free ` +
            "tokenizer; each variable's last value is remembered, so later calls skip the reading.",
    );
    console.log(
        `- \`process.env\` is a host object: each of the detector's 19 reads crosses into C++ (${formatDuration(detector.processEnv.medianNs)} a call here), ` +
            "the same for any code that reads it.",
    );
    console.log(
        `- \`isAvailable()\` answered ${gcp.available} (no metadata server here) and emitted ${gcp.lookupWarnings} MetadataLookupWarning(s); ` +
            "METADATA_SERVER_DETECTION was not set, so the probe measured is the one services pay.",
    );
    console.log("");
    console.log("### The Python twin (`detect_environment`, CPython)\n");
    if (typeof python === "string") {
        console.log(`- not measured: ${python}`);
    } else {
        const node: Record<string, Measurement> = {
            explicit: detector.explicit,
            platform: detector.cloudRun,
            default: detector.local,
            cold: detector.cold,
        };
        console.log(`| Case | CPython ${python.python} per call | Node per call | CPython / Node |`);
        console.log("|---|---:|---:|---:|");
        for (const [name, row] of Object.entries(node)) {
            const microseconds = python[name] as number;
            console.log(
                `| ${name} | ${microseconds.toFixed(1)} µs | ${formatDuration(row.medianNs)} | ${formatRatio((microseconds * 1000) / row.medianNs)} |`,
            );
        }
        console.log(
            `| \`os.environ\` / \`process.env\` | ${(python["os.environ"] as number).toFixed(1)} µs | ${formatDuration(detector.processEnv.medianNs)} | |`,
        );
    }
    console.log(`- Whole benchmark: ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(`detector.bench: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
    });
}
