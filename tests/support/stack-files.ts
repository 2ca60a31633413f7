/**
 * Every stack of the repository, as the invariant suite judges them: each `Pulumi.<stack>.yaml`, and
 * each `Pulumi.<stack>.yaml.example` template as the stack it becomes once copied.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { CheckReport } from "../../check/report";
import { npmScriptNodeArgs } from "./npm-script";
import { REPO_ROOT } from "./staging-fixture";

/** A stack to judge: its name, the file it comes from, and the folder holding it beside a Pulumi.yaml. */
export interface RepositoryStack {
    readonly stack: string;
    /** `Pulumi.production.yaml.example` or `Pulumi.staging.yaml`. */
    readonly file: string;
    readonly template: boolean;
}

/** The stacks in `root` (the repository by default), sorted by name, templates after the real file of the same name. */
export function repositoryStacks(root = REPO_ROOT): RepositoryStack[] {
    const files = readdirSync(root);
    const stacks: RepositoryStack[] = [];
    for (const file of files.sort()) {
        const real = /^Pulumi\.(.+)\.yaml$/.exec(file);
        const template = /^Pulumi\.(.+)\.yaml\.example$/.exec(file);
        if (real !== null) {
            stacks.push({ stack: real[1], file, template: false });
        } else if (template !== null && !files.includes(`Pulumi.${template[1]}.yaml`)) {
            // A template already copied is judged as the real file; the template itself is not deployed.
            stacks.push({ stack: template[1], file, template: true });
        }
    }
    return stacks;
}

/** The outcome of `npm run check` on one stack. */
export interface CheckRun {
    readonly status: number | null;
    readonly stderr: string;
    readonly report: CheckReport | undefined;
}

/**
 * Runs the check on a repository stack as a user would (`npm run check -- --stack <name> --json`, with the
 * script's node flags and loader), a template from a scratch folder where it is copied to its real name.
 */
export function checkStack(entry: RepositoryStack, preview: boolean, root = REPO_ROOT): CheckRun {
    let cwd = root;
    let scratch: string | undefined;
    if (entry.template) {
        scratch = mkdtempSync(path.join(tmpdir(), "netra-template-"));
        copyFileSync(path.join(root, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
        copyFileSync(path.join(root, entry.file), path.join(scratch, `Pulumi.${entry.stack}.yaml`));
        cwd = scratch;
    }
    const policyConfig = path.join(root, "policies", "config", `${entry.stack}.json`);
    try {
        const result = spawnSync(
            process.execPath,
            [
                ...npmScriptNodeArgs("check", root),
                "--stack",
                entry.stack,
                "--json",
                "--program",
                path.join(root, "index.ts"),
                ...(existsSync(policyConfig) ? ["--policy-config", policyConfig] : []),
                ...(preview ? ["--preview"] : []),
            ],
            { cwd, encoding: "utf8", timeout: 120_000 },
        );
        let report: CheckReport | undefined;
        try {
            report = JSON.parse(result.stdout) as CheckReport;
        } catch {
            report = undefined;
        }
        return { status: result.status, stderr: result.stderr, report };
    } finally {
        if (scratch !== undefined) {
            rmSync(scratch, { recursive: true, force: true });
        }
    }
}
