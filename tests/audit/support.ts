/** Helpers for the audit tests: scratch export files and the audit run as `npm run audit` runs it. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { npmScriptNodeArgs } from "../support/npm-script";
import { REPO_ROOT } from "../support/staging-fixture";

export { REPO_ROOT };

/** The committed fixtures, relative to the repository root (how a user names them on the command line). */
export const FIXTURES = "tests/fixtures/audit";

/** The fixture `name`, as a path relative to the repository root. */
export function fixture(name: string): string {
    return `${FIXTURES}/${name}`;
}

/** A scratch folder with the given files (objects are written as JSON, strings verbatim). */
export function scratchFiles(files: Record<string, unknown>): string {
    const dir = mkdtempSync(path.join(tmpdir(), "netra-audit-"));
    for (const [name, content] of Object.entries(files)) {
        writeFileSync(path.join(dir, name), typeof content === "string" ? content : JSON.stringify(content, null, 2));
    }
    return dir;
}

export interface CliResult {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs the audit as `npm run audit` does (the same node flags and loader as the package.json script), in the repository by default. */
export function audit(args: readonly string[], cwd = REPO_ROOT): CliResult {
    const result = spawnSync(process.execPath, [...npmScriptNodeArgs("audit"), ...args], { cwd, encoding: "utf8", timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
