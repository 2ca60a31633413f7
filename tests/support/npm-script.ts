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
 * "<root>/check/cli.ts"]`), with relative paths made absolute so the command runs in any folder. `root` is the
 * checkout whose package.json and files to use (a copy of the repository, in the README tests).
 */
export function npmScriptNodeArgs(script: string, root = REPO_ROOT): string[] {
    const scripts = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const words = (scripts[script] ?? "").split(/\s+/).filter((word) => word !== "");
    if (words[0] !== "node" || words.some((word) => /["'$&|;<>`\\]/.test(word))) {
        throw new Error(`package.json script "${script}" is not a plain node command: ${JSON.stringify(scripts[script])}`);
    }
    return words.slice(1).map((word) => (word.startsWith("./") || /\.[cm]?[jt]s$/.test(word) ? path.resolve(root, word) : word));
}
