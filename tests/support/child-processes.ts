/**
 * The processes this one started and that still run (Linux's /proc), for tests that prove a run
 * leaves no pack process behind.
 */
import * as fs from "node:fs";

/** Ids of this process's running children, sorted. */
export function childProcessIds(): number[] {
    const text = fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, "utf8");
    return text
        .split(/\s+/)
        .filter((id) => id !== "")
        .map(Number)
        .sort((a, b) => a - b);
}
