/**
 * The command of a `node ...` script in package.json, for tests that run a CLI as a user runs it: `npm run check`
 * spawned as node with the script's own flags and loader (npm itself adds only its start-up), read from package.json
 * so a test never drifts from the script.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./staging-fixture";

/**
 * The arguments after `node` of `npm run <script>` (`["--max-semi-space-size=64", "-r", "<root>/startup/...js",
 * "<root>/check/cli.ts"]`), with relative paths made absolute so the command runs in any folder.
 */
export function npmScriptNodeArgs(script: string): string[] {
    const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const words = (scripts[script] ?? "").split(/\s+/).filter((word) => word !== "");
    if (words[0] !== "node" || words.some((word) => /["'$&|;<>`\\]/.test(word))) {
        throw new Error(`package.json script "${script}" is not a plain node command: ${JSON.stringify(scripts[script])}`);
    }
    return words.slice(1).map((word) => (word.startsWith("./") || /\.[cm]?[jt]s$/.test(word) ? path.resolve(REPO_ROOT, word) : word));
}
