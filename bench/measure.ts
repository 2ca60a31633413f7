import { spawnSync } from "node:child_process";

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One measured child process. */
export interface Timed {
    readonly ms: number;
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Wall time of one child process, start to exit, as a user would see it. */
export function timeProcess(args: readonly string[], cwd: string): Timed {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.error !== undefined) {
        throw result.error;
    }
    return { ms, status: result.status, stdout: result.stdout, stderr: result.stderr };
}
