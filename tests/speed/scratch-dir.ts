import { mkdtempSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/staging-fixture";

/**
 * A scratch folder inside the repository (not under node_modules, whose files sucrase leaves alone),
 * so that the programs and packs written there resolve @pulumi/pulumi, @pulumi/policy and sucrase as
 * the real ones do. The caller removes it.
 */
export function scratchDir(files: Readonly<Record<string, string>>): string {
    const dir = mkdtempSync(path.join(REPO_ROOT, ".scratch-speed-"));
    for (const [name, text] of Object.entries(files)) {
        writeFileSync(path.join(dir, name), text);
    }
    return dir;
}
