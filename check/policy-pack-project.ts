/**
 * Reads a policy pack's PulumiPolicy.yaml the way the Pulumi CLI does before it starts the pack
 * (`workspace.LoadPolicyPack` in NewPolicyAnalyzer): the runtime, its options (which the CLI
 * passes to the pack as `-<key>=<value>` arguments) and the version that overrides package.json's.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PolicyPackError } from "./policy-pack-error";

/** What the CLI takes from a policy pack folder before starting it. */
export interface PolicyPackProject {
    /** Absolute path of the pack folder (the pack process's working directory). */
    readonly dir: string;
    /** The runtime name; only "nodejs" packs can be hosted here. */
    readonly runtime: string;
    /** `runtime.options`, passed to the pack as `-<key>=<value>` arguments, sorted by key. */
    readonly runtimeArgs: readonly string[];
    /** PulumiPolicy.yaml's `version`, which the CLI reports instead of the pack's own when set. */
    readonly version?: string;
    /** PulumiPolicy.yaml's `description`. */
    readonly description?: string;
}

function fail(dir: string, reason: string): never {
    throw new PolicyPackError("project", `failed to load Pulumi policy project located at "${dir}": ${reason}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Loads `<packDir>/PulumiPolicy.yaml`; throws a "project" PolicyPackError naming the file and key. */
export function loadPolicyPackProject(packDir: string): PolicyPackProject {
    const dir = path.resolve(packDir);
    const file = path.join(dir, "PulumiPolicy.yaml");
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        fail(dir, code === "ENOENT" ? `${file} does not exist` : `cannot read ${file} (${code ?? String(error)})`);
    }
    let document: unknown;
    try {
        document = parseYaml(text);
    } catch (error) {
        fail(dir, `${file} is not valid YAML: ${(error as Error).message}`);
    }
    if (!isRecord(document)) {
        fail(dir, `${file} must be a mapping with a \`runtime\` key`);
    }
    const runtime = document.runtime;
    let name: unknown = runtime;
    let options: unknown = undefined;
    if (isRecord(runtime)) {
        name = runtime.name;
        options = runtime.options;
    }
    if (typeof name !== "string" || name === "") {
        fail(dir, `${file} is missing a \`runtime\` (e.g. "runtime: nodejs")`);
    }
    if (name !== "nodejs") {
        fail(dir, `${file} has \`runtime\` "${name}"; only "nodejs" policy packs can be run offline`);
    }
    if (options !== undefined && options !== null && !isRecord(options)) {
        fail(dir, `${file} has a \`runtime.options\` that is not a mapping`);
    }
    const given = isRecord(options) ? options : {};
    // A mapping's keys, in string order.
    const runtimeArgs = Object.keys(given)
        .sort()
        .map((key) => [key, given[key] === null || given[key] === undefined ? "" : String(given[key])] as const)
        .filter(([, value]) => value !== "")
        .map(([key, value]) => `-${key}=${value}`);
    const version = document.version;
    if (version !== undefined && version !== null && typeof version !== "string") {
        fail(dir, `${file} has a \`version\` that is not a string`);
    }
    const description = document.description;
    return {
        dir,
        runtime: name,
        runtimeArgs,
        ...(typeof version === "string" && version !== "" ? { version } : {}),
        ...(typeof description === "string" ? { description } : {}),
    };
}

/**
 * The file run-policy-pack loads: it requires the pack folder (`require(path.join(cwd, "."))`,
 * cmd/run-policy-pack/run.js), so Node picks package.json `main` (extensions tried, then its
 * index), else index.js, and with ts-node registered also the TypeScript extensions. Undefined
 * when none exists (the pack then fails to start, and says so).
 */
export function packEntryPoint(packDir: string): string | undefined {
    const dir = path.resolve(packDir);
    let main: unknown;
    try {
        main = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { main?: unknown }).main;
    } catch {
        // No package.json, or not JSON: no main.
    }
    const extensions = ["", ".js", ".json", ".node", ".ts", ".tsx"];
    // Stryker disable next-line ArrayDeclaration: a made-up first candidate names no file in the pack folder
    const candidates: string[] = [];
    if (typeof main === "string" && main !== "") {
        const base = path.resolve(dir, main);
        candidates.push(
            ...extensions.map((extension) => base + extension),
            ...extensions.slice(1).map((extension) => path.join(base, `index${extension}`)),
        );
    }
    candidates.push(...extensions.slice(1).map((extension) => path.join(dir, `index${extension}`)));
    return candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}
