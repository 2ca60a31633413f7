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

/** What a Knative document must be, written out as the audit says it (audit/knative.ts KNATIVE_WORKLOADS). */
export const WORKLOADS =
    "a Cloud Run Service (apiVersion serving.knative.dev/v1, kind Service), " +
    "Job or WorkerPool (apiVersion run.googleapis.com/v1, kind Job or WorkerPool)";

/** Every input the audit reads, written out as its messages list them. */
export const DOCUMENTS =
    "a gcloud run services/jobs/worker-pools list or describe (--format=json), " +
    "Cloud Run Admin API v2 services, jobs or worker pools (list or get), " +
    "a `pulumi stack export` (version 3), or an IAM policy named <secret-id>.secret-iam.json (gcloud secrets get-iam-policy) " +
    "or <project-id>.project-iam.json (gcloud projects get-iam-policy)";

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
