/**
 * Runs a Pulumi program the way the CLI's Node.js language host does, against a mock monitor: the
 * same script (`@pulumi/pulumi/cmd/run`, resolved from the program's folder), arguments, environment
 * variables and Pulumi.yaml runtime options. Read from pulumi/pulumi
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go:
 * - `parseOptions`: runtime options `typescript` (default true), `tsconfig`, `nodeargs`;
 * - `execRuntime`: env = the CLI's environment + PULUMI_CONFIG + PULUMI_CONFIG_SECRET_KEYS, then
 *   PULUMI_NODEJS_TYPESCRIPT=true when `typescript`, PULUMI_NODEJS_TSCONFIG_PATH=<tsconfig> when set;
 *   argv = shlex(nodeargs) then `constructArguments`;
 * - `constructArguments`: <run path> --monitor --engine --sync --organization --project
 *   --root-directory --stack --pwd [--dry-run] --parallel --tracing <entry point> (empty ones left out);
 * - `constructConfig`: keys `<namespace>:<name>` passed as `<namespace>:config:<name>`.
 * cmd/run then reads PULUMI_NODEJS_TYPESCRIPT, PULUMI_NODEJS_TSCONFIG_PATH and
 * PULUMI_NODEJS_TRANSPILE_ONLY, and registers ts-node with `transpileOnly` = the tsconfig's
 * `noCheck` unless that variable is set (node_modules/@pulumi/pulumi/cmd/run/run.js).
 *
 * Offline there is no engine (`--engine` is left out, so the SDK logs to stderr) and no synchronous
 * invoke pipes (`--sync`, only for invokes the program does not make).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { MockCloud } from "../check/mock-cloud";
import { readStackFile } from "../check/stack-file";
import { type MonitoredResource, startMockMonitor } from "./mock-monitor-server";

/** Pulumi.yaml `runtime.options` the Node.js language host reads. */
export interface NodeRuntimeOptions {
    readonly typescript?: boolean;
    readonly tsconfig?: string;
    readonly nodeargs?: string;
}

/** What to run. */
export interface LanguageHostRun {
    /** The project folder (Pulumi.yaml, Pulumi.<stack>.yaml). */
    readonly projectDir: string;
    readonly stack: string;
    readonly preview: boolean;
    /** Replaces Pulumi.yaml's runtime options (to measure another setting); default: the file's. */
    readonly runtimeOptions?: NodeRuntimeOptions;
    /** The CLI's own environment, inherited by the program. Default: this process's. */
    readonly baseEnv?: NodeJS.ProcessEnv;
    /** `--parallel`; the CLI's default is 16 here (any positive number behaves the same under mocks). */
    readonly parallel?: number;
}

/** How the program ended and what it registered. */
export interface LanguageHostResult {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly resources: readonly MonitoredResource[];
    /** Spawn to exit, in milliseconds. */
    readonly ms: number;
}

interface ProjectFile {
    readonly name: string;
    readonly main?: string;
    readonly options: NodeRuntimeOptions;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Pulumi.yaml's name, `main` and `runtime.options`, as the CLI hands them to the language host. */
export function readProjectFile(projectDir: string): ProjectFile {
    const file = path.join(projectDir, "Pulumi.yaml");
    const document: unknown = parseYaml(readFileSync(file, "utf8"));
    if (!isRecord(document) || typeof document.name !== "string") {
        throw new Error(`${file}: \`name\` must be a string`);
    }
    const runtime = document.runtime;
    const options = isRecord(runtime) && isRecord(runtime.options) ? runtime.options : {};
    return {
        name: document.name,
        ...(typeof document.main === "string" ? { main: document.main } : {}),
        options: {
            ...(typeof options.typescript === "boolean" ? { typescript: options.typescript } : {}),
            ...(typeof options.tsconfig === "string" ? { tsconfig: options.tsconfig } : {}),
            ...(typeof options.nodeargs === "string" ? { nodeargs: options.nodeargs } : {}),
        },
    };
}

/** Splits `nodeargs` like github.com/google/shlex: whitespace-separated words, quotes group, backslash escapes. */
export function splitNodeArgs(text: string): string[] {
    const words: string[] = [];
    let word: string | undefined;
    let quote: '"' | "'" | undefined;
    for (let index = 0; index < text.length; index++) {
        const char = text[index];
        if (quote !== undefined) {
            if (char === quote) {
                quote = undefined;
                // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: a backslash last inside an open quote ends in the unclosed-quote error, whatever the word holds
            } else if (char === "\\" && quote === '"' && index + 1 < text.length) {
                word += text[++index];
            } else {
                word += char;
            }
        } else if (/\s/.test(char)) {
            if (word !== undefined) {
                words.push(word);
                word = undefined;
            }
        } else if (char === '"' || char === "'") {
            quote = char;
            word ??= "";
        } else if (char === "\\" && index + 1 < text.length) {
            word = (word ?? "") + text[++index];
        } else {
            word = (word ?? "") + char;
        }
    }
    if (quote !== undefined) {
        throw new Error(`nodeargs: unclosed ${quote} in "${text}"`);
    }
    if (word !== undefined) {
        words.push(word);
    }
    return words;
}

/** The environment and argv the language host would give node for this run. */
export function languageHostCommand(
    run: LanguageHostRun,
    monitorAddress: string,
): { readonly args: string[]; readonly env: NodeJS.ProcessEnv; readonly project: string } {
    const projectDir = path.resolve(run.projectDir);
    const projectFile = readProjectFile(projectDir);
    const options = run.runtimeOptions ?? projectFile.options;
    const stackFile = readStackFile(projectDir, run.stack);
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(stackFile.config)) {
        const colon = key.indexOf(":");
        config[`${key.slice(0, colon)}:config:${key.slice(colon + 1)}`] = value;
    }
    const env: NodeJS.ProcessEnv = {
        ...(run.baseEnv ?? process.env),
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(stackFile.secretKeys),
    };
    if (options.typescript ?? true) {
        env.PULUMI_NODEJS_TYPESCRIPT = "true";
    }
    if (options.tsconfig !== undefined && options.tsconfig !== "") {
        env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
    }
    const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [projectDir] });
    const args = [
        ...splitNodeArgs(options.nodeargs ?? ""),
        runPath,
        "--monitor",
        monitorAddress,
        "--organization",
        "organization",
        "--project",
        stackFile.project,
        "--root-directory",
        projectDir,
        "--stack",
        stackFile.stack,
        "--pwd",
        projectDir,
        ...(run.preview ? ["--dry-run"] : []),
        "--parallel",
        String(run.parallel ?? 16),
        projectFile.main ?? ".",
    ];
    return { args, env, project: stackFile.project };
}

/** Runs the program to its exit against a mock monitor backed by MockCloud. */
export async function runAsLanguageHost(run: LanguageHostRun): Promise<LanguageHostResult> {
    const stackFile = readStackFile(path.resolve(run.projectDir), run.stack);
    const monitor = await startMockMonitor(new MockCloud({ preview: run.preview }), stackFile.stack, stackFile.project);
    try {
        const { args, env } = languageHostCommand(run, monitor.address);
        const started = process.hrtime.bigint();
        // The host does not set a working directory: cmd/run changes to --pwd itself.
        const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        // Stryker disable next-line StringLiteral: Node reads an empty encoding as utf8
        child.stdout.setEncoding("utf8");
        // Stryker disable next-line StringLiteral: Node reads an empty encoding as utf8
        child.stderr.setEncoding("utf8");
        child.stdout.on("data", (chunk: string) => (stdout += chunk));
        child.stderr.on("data", (chunk: string) => (stderr += chunk));
        const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
            child.once("error", reject);
            child.once("close", (code, signal) => resolve({ code, signal }));
        });
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        return { ...exit, stdout, stderr, resources: [...monitor.resources], ms };
    } finally {
        await monitor.close();
    }
}
