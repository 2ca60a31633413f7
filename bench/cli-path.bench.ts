/**
 * What CI's `pulumi preview` / `pulumi up` start, timed offline: the program as the CLI's Node.js
 * language host runs it (cmd/run, against a mock monitor; language-host/), and the policy pack as
 * the CLI's run-policy-pack starts it, to its port. "Before" is the CLI's default (ts-node
 * type-checking), "after" is this repository's setting (tsconfig.pulumi.json with noCheck; the
 * pack's JavaScript entry).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { runAsLanguageHost } from "../language-host/run-as-language-host";
import type { BenchCase } from "./side-by-side";

const REPO_ROOT = path.resolve(__dirname, "..");
const PACK_DIR = path.join(REPO_ROOT, "policies");

/** Milliseconds from spawning run-policy-pack (as the CLI does, no preload) to the port line on stdout. */
export function packStartMs(entry: "." | "index.ts"): Promise<number> {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
    const started = process.hrtime.bigint();
    return new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [runner, "127.0.0.1:0", entry], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        child.stdout.once("data", () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            child.kill("SIGKILL");
            resolve(ms);
        });
        child.once("exit", (code) => reject(new Error(`run-policy-pack ${entry} exited with ${code} before its port: ${stderr.trim()}`)));
    });
}

async function programMs(typeCheck: boolean): Promise<number> {
    const result = await runAsLanguageHost({
        projectDir: REPO_ROOT,
        stack: "staging",
        preview: true,
        // Before: the project without `tsconfig`, so cmd/run reads tsconfig.json, which has no noCheck.
        ...(typeCheck ? { runtimeOptions: { typescript: true } } : {}),
    });
    if (result.code !== 0) {
        throw new Error(`the program exited with ${result.code} under cmd/run: ${result.stderr.trim()}`);
    }
    return result.ms;
}

/** The four CLI-path cases; the type-checking ones take `slowRuns` runs. */
export function cliPathCases(runs: number, slowRuns: number): BenchCase[] {
    return [
        { label: "program under cmd/run, before: ts-node type-checks (tsconfig.json)", runs: slowRuns, run: () => programMs(true) },
        { label: "program under cmd/run, after: transpile-only (tsconfig.pulumi.json, noCheck)", runs, run: () => programMs(false) },
        {
            label: "pack under run-policy-pack to its port, before: index.ts, type-checked",
            runs: slowRuns,
            run: () => packStartMs("index.ts"),
        },
        { label: "pack under run-policy-pack to its port, after: index.js entry, sucrase", runs, run: () => packStartMs(".") },
    ];
}
