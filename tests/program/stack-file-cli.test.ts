/**
 * The stack file's problems as a user meets them: `npm run check` spawned in a scratch project, exit
 * code and stderr exactly, nothing else on either stream.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { npmScriptNodeArgs } from "../support/npm-script";
import { FROZEN_STAGING_DIR, REPO_ROOT } from "../support/staging-fixture";

const STAGING = readFileSync(path.join(FROZEN_STAGING_DIR, "Pulumi.staging.yaml"), "utf8");

function checkIn(stackText: string, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
    const dir = mkdtempSync(path.join(tmpdir(), "netra-cli-"));
    try {
        copyFileSync(path.join(FROZEN_STAGING_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        writeFileSync(path.join(dir, "Pulumi.t.yaml"), stackText);
        const result = spawnSync(
            process.execPath,
            [
                ...npmScriptNodeArgs("check"),
                "--stack",
                "t",
                "--program",
                path.join(REPO_ROOT, "index.ts"),
                "--policy-config",
                path.join(REPO_ROOT, "policies", "config", "staging.json"),
                ...args,
            ],
            { cwd: dir, encoding: "utf8", timeout: 120_000 },
        );
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The frozen staging stack without its E2E key. */
function withoutE2eKey(): string {
    const start = STAGING.indexOf("  netra-platform:e2eOAuthSimulationKey:\n");
    const end = STAGING.indexOf("  netra-platform:services:\n");
    expect([start, end].every((index) => index > 0)).to.equal(true);
    return STAGING.slice(0, start) + STAGING.slice(end);
}

describe("npm run check on stack file problems (spawned as a user runs it)", () => {
    it("prints no `[runtime] Undefined value` warning for a stack without the E2E key: nothing undefined is exported", () => {
        const result = checkIn(withoutE2eKey(), ["--json"]);
        expect([result.status, result.stderr]).to.deep.equal([0, ""]);
        expect((JSON.parse(result.stdout) as { summary: { mandatory: number } }).summary.mandatory).to.equal(0);
    });

    it("reports a YAML warning as one line of the file's problems, not as a Node warning", () => {
        const result = checkIn(STAGING.replace("team: platform", "team: !custom platform"));
        expect([result.status, result.stdout, result.stderr]).to.deep.equal([
            2,
            "",
            "Pulumi.t.yaml:11:11: is ambiguous YAML (Unresolved tag: !custom); write it so that every YAML reader reads it the same.\n",
        ]);
    });

    it("names a misspelt namespace with exit 2 instead of dropping the setting with exit 0", () => {
        const result = checkIn(STAGING.replace("netra-platform:e2eOAuthSimulationKey", "netra-plaform:e2eOAuthSimulationKey"));
        expect([result.status, result.stdout, result.stderr]).to.deep.equal([
            2,
            "",
            "Pulumi.t.yaml:12:3: `netra-plaform:e2eOAuthSimulationKey` is in namespace `netra-plaform` (did you mean `netra-platform:e2eOAuthSimulationKey`?), which neither the program nor a provider reads, so it would be dropped; namespaces read: netra-platform, gcp, random, pulumi.\n",
        ]);
    });

    it("prints a key with a zero-width space and a newline escaped, on one line", () => {
        const result = checkIn(STAGING.replace("    backend:\n", '    "back\\u200bend\\n":\n'));
        expect([result.status, result.stdout, result.stderr]).to.deep.equal([
            2,
            "",
            "Pulumi.t.yaml: `netra-platform:services.back\\u200bend\\n` is not a valid service key; allowed: lower-case letters, digits and -, starting with a letter and ending with a letter or digit, at most 30 characters.\n",
        ]);
    });
});
