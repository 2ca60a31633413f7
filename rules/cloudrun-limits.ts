/**
 * What Cloud Run accepts for a service's CPU, memory and concurrency, from one table. A combination
 * outside it passes every offline check yet fails at `pulumi up`, so the config loader refuses it.
 *
 * Sources (Google Cloud documentation, read 2026-12):
 * - CPU limits: https://cloud.google.com/run/docs/configuring/services/cpu
 *   ("vCPU and memory table"; fewer than 1 vCPU requires concurrency 1, CPU allocated only during
 *   request processing and the first-generation execution environment; values above 1 are whole)
 * - Memory limits: https://cloud.google.com/run/docs/configuring/services/memory-limits
 *   (minimum CPUs per memory size; at most 32 GiB; minimum 512 MiB on the second generation)
 * - Concurrency: https://cloud.google.com/run/docs/about-concurrency (default 80, at most 1000)
 * - Request timeout: https://cloud.google.com/run/docs/configuring/request-timeout (at most 60 minutes)
 */

/** The execution environments; this program deploys gen2 only (components/cloud-run-service.ts). */
export type ExecutionEnvironment = "gen1" | "gen2";

/** Memory, in MiB, that one whole CPU count allows: Google's "vCPU and memory table". */
export interface CpuRow {
    readonly cpu: number;
    readonly minMemoryMiB: number;
    readonly maxMemoryMiB: number;
}

export const CLOUD_RUN_CPU_TABLE: readonly CpuRow[] = [
    { cpu: 1, minMemoryMiB: 128, maxMemoryMiB: 4 * 1024 },
    { cpu: 2, minMemoryMiB: 128, maxMemoryMiB: 8 * 1024 },
    { cpu: 4, minMemoryMiB: 2 * 1024, maxMemoryMiB: 16 * 1024 },
    { cpu: 6, minMemoryMiB: 4 * 1024, maxMemoryMiB: 24 * 1024 },
    { cpu: 8, minMemoryMiB: 4 * 1024, maxMemoryMiB: 32 * 1024 },
];

/** Fewer than 1 CPU: the range, and the memory ceilings below 0.5 and below 1 CPU. */
export const FRACTIONAL_CPU = { min: 0.08, maxMemoryMiBBelowHalf: 512, maxMemoryMiBBelowOne: 1024 } as const;

/** The memory floor of each execution environment, in MiB. */
export const MIN_MEMORY_MIB: Readonly<Record<ExecutionEnvironment, number>> = { gen1: 128, gen2: 512 };

/** The most memory one instance can have, in MiB. */
export const MAX_MEMORY_MIB = 32 * 1024;

/** Requests one instance may serve at once. */
export const CONCURRENCY_RANGE = { min: 1, max: 1000 } as const;

/** A service's request timeout, in seconds. */
export const REQUEST_TIMEOUT_RANGE = { min: 1, max: 3600 } as const;

/** The settings the limits relate. */
export interface CloudRunResources {
    /** CPUs (0.5 for "500m"). */
    readonly cpu: number;
    readonly memoryMiB: number;
    readonly concurrency: number;
    /** CPU allocated outside requests (instance-based billing). */
    readonly cpuAlwaysAllocated: boolean;
    readonly executionEnvironment: ExecutionEnvironment;
}

/** A violated limit: which setting to change and why. */
export interface LimitProblem {
    readonly setting: "cpu" | "memory";
    /** Sentence fragment after the setting's value, e.g. `more than 1 CPU allows (at most 4Gi)`. */
    readonly problem: string;
}

/** `512Mi`, `4Gi`, `1536Mi`. */
export function formatMemory(mib: number): string {
    return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}

/** `1`, `0.5`. */
function formatCpu(cpu: number): string {
    return String(cpu);
}

/** "1, 2, 4, 6 or 8". */
export function describeWholeCpus(): string {
    const values = CLOUD_RUN_CPU_TABLE.map((row) => String(row.cpu));
    return `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
    return items.length === 1 ? items[0] : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The fewest whole CPUs whose range holds `memoryMiB`, or undefined above the maximum. */
export function minimumCpuFor(memoryMiB: number): number | undefined {
    return CLOUD_RUN_CPU_TABLE.find((row) => memoryMiB <= row.maxMemoryMiB)?.cpu;
}

/** Every limit `resources` breaks, in the order a user would fix them (CPU first). */
export function cloudRunLimitProblems(resources: CloudRunResources): LimitProblem[] {
    const { cpu, memoryMiB, concurrency, cpuAlwaysAllocated, executionEnvironment } = resources;
    const problems: LimitProblem[] = [];
    const floor = MIN_MEMORY_MIB[executionEnvironment];
    if (memoryMiB < floor) {
        problems.push({
            setting: "memory",
            problem: `below the ${formatMemory(floor)} minimum of the ${executionEnvironment === "gen2" ? "second" : "first"}-generation execution environment, which this program deploys; set at least ${formatMemory(floor)}`,
        });
    }
    if (cpu < 1) {
        const unmet: string[] = [];
        if (executionEnvironment !== "gen1") {
            unmet.push("the first-generation execution environment (this program deploys the second)");
        }
        if (concurrency !== 1) {
            unmet.push(`concurrency 1 (\`concurrency\` is ${concurrency})`);
        }
        if (cpuAlwaysAllocated) {
            unmet.push("CPU allocated only during requests (`cpuAlwaysAllocated` is true)");
        }
        if (unmet.length > 0) {
            problems.push({
                setting: "cpu",
                problem: `less than 1 CPU, which Cloud Run allows only with ${listed(unmet)}; set cpu to "1" or more`,
            });
        }
        const ceiling = cpu < 0.5 ? FRACTIONAL_CPU.maxMemoryMiBBelowHalf : FRACTIONAL_CPU.maxMemoryMiBBelowOne;
        if (memoryMiB > ceiling) {
            problems.push({
                setting: "memory",
                problem: `more than ${formatCpu(cpu)} CPU allows (at most ${formatMemory(ceiling)}); set cpu to "${minimumCpuFor(memoryMiB) ?? 8}" or memory to at most ${formatMemory(ceiling)}`,
            });
        }
        return problems;
    }
    const row = CLOUD_RUN_CPU_TABLE.find((candidate) => candidate.cpu === cpu);
    if (row === undefined) {
        // A fraction is an answer only where fractions are allowed at all: the first generation.
        const fraction = executionEnvironment === "gen1" ? " (or a fraction below 1)" : "";
        problems.push({ setting: "cpu", problem: `not a CPU count Cloud Run offers; use ${describeWholeCpus()}${fraction}` });
        return problems;
    }
    if (memoryMiB > row.maxMemoryMiB) {
        const needed = minimumCpuFor(memoryMiB);
        problems.push({
            setting: "memory",
            problem:
                needed === undefined
                    ? `more than Cloud Run's ${formatMemory(MAX_MEMORY_MIB)} maximum; set at most ${formatMemory(MAX_MEMORY_MIB)}`
                    : `more than ${formatCpu(cpu)} CPU${cpu === 1 ? "" : "s"} allow${cpu === 1 ? "s" : ""} (at most ${formatMemory(row.maxMemoryMiB)}); set cpu to "${needed}" or more, or memory to at most ${formatMemory(row.maxMemoryMiB)}`,
        });
    } else if (memoryMiB < row.minMemoryMiB && row.minMemoryMiB > floor) {
        // A row whose minimum is the floor's or lower (1 and 2 CPUs) adds nothing to the floor's problem above.
        problems.push({
            setting: "memory",
            problem: `less than ${formatCpu(cpu)} CPUs need (at least ${formatMemory(row.minMemoryMiB)}); set memory to at least ${formatMemory(row.minMemoryMiB)} or use fewer CPUs`,
        });
    }
    return problems;
}
