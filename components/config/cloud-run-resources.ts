/**
 * A service's `cpu`, `memory` and `concurrency` as Cloud Run will judge them: each parsed, then the
 * combination checked against the one table in rules/cloudrun-limits.ts.
 */
import { cloudRunLimitProblems, CONCURRENCY_RANGE, FRACTIONAL_CPU, type ExecutionEnvironment } from "../../rules/cloudrun-limits";
import { type IssueCollector, describeTyped } from "./config-values";

/** What components/cloud-run-service.ts deploys (`EXECUTION_ENVIRONMENT_GEN2`). */
export const DEPLOYED_EXECUTION_ENVIRONMENT: ExecutionEnvironment = "gen2";

const CPU_PATTERN = /^(?:(\d+(?:\.\d+)?)|(\d+)m)$/;
const MEMORY_PATTERN = /^(\d+)(Mi|Gi)$/;

/**
 * `"4"`, `"0.5"`, `"500m"` to CPUs; refuses numbers (`cpu: 4`): CPU is text, as Cloud Run writes it.
 * The examples it suggests are whole CPUs: a fraction parses, but the second generation refuses it
 * (checkCloudRunLimits says why).
 */
export function parseCpu(issues: IssueCollector, value: unknown, path: string): { text: string; cpus: number } | undefined {
    const match = typeof value === "string" ? CPU_PATTERN.exec(value) : null;
    const cpus = match === null ? Number.NaN : match[1] !== undefined ? Number(match[1]) : Number(match[2]) / 1000;
    if (!(cpus >= FRACTIONAL_CPU.min && cpus <= 8)) {
        const quoted = typeof value === "number" ? `, quoted ("${String(value)}")` : "";
        issues.add(
            path,
            `is ${describeTyped(value)}; expected a CPU count from ${FRACTIONAL_CPU.min} to 8 such as "1", "2" or "4"${quoted}`,
        );
        return undefined;
    }
    return { text: value as string, cpus };
}

/** `"512Mi"`, `"6Gi"` to MiB. */
export function parseMemory(issues: IssueCollector, value: unknown, path: string): { text: string; mib: number } | undefined {
    const match = typeof value === "string" ? MEMORY_PATTERN.exec(value) : null;
    const mib = match === null ? Number.NaN : Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
    // The range is the limits table's to judge (it depends on the CPU and the execution environment).
    if (!(mib >= 1)) {
        issues.add(path, `is ${describeTyped(value)}; expected a size in Mi or Gi such as "512Mi" or "6Gi"`);
        return undefined;
    }
    return { text: value as string, mib };
}

/** Reports each Cloud Run limit the service's settings break, on the setting to change. */
export function checkCloudRunLimits(
    issues: IssueCollector,
    path: string,
    settings: {
        cpu: { text: string; cpus: number };
        memory: { text: string; mib: number };
        concurrency: number;
        cpuAlwaysAllocated: boolean;
    },
): void {
    const problems = cloudRunLimitProblems({
        cpu: settings.cpu.cpus,
        memoryMiB: settings.memory.mib,
        concurrency: settings.concurrency,
        cpuAlwaysAllocated: settings.cpuAlwaysAllocated,
        executionEnvironment: DEPLOYED_EXECUTION_ENVIRONMENT,
    });
    for (const problem of problems) {
        const given = problem.setting === "cpu" ? settings.cpu.text : settings.memory.text;
        issues.add(`${path}.${problem.setting}`, `is "${given}", ${problem.problem}`);
    }
}

export { CONCURRENCY_RANGE };
