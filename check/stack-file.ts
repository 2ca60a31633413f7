import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";

/** Placeholder for a `secure:` value: it cannot be decrypted offline, so the program sees a secret it cannot read. */
export const OFFLINE_SECRET_PLACEHOLDER = "[secret: encrypted in the stack file, not decrypted offline]";

/** A stack's config as the Pulumi CLI would hand it to the program. */
export interface StackFile {
    /** Pulumi project name (from Pulumi.yaml). */
    readonly project: string;
    readonly stack: string;
    /** The stack file's name, for messages. */
    readonly file: string;
    /** `namespace:key` -> value as the CLI passes it (strings verbatim, everything else as JSON). */
    readonly config: Record<string, string>;
    /** Keys holding `secure:` values (replaced by a placeholder offline). */
    readonly secretKeys: string[];
}

/** The project or stack file is missing or malformed: one line naming the file and key. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

type YamlMap = Record<string, unknown>;

function isMap(value: unknown): value is YamlMap {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseYamlFile(file: string, display: string): unknown {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch {
        throw new StackFileError(`${display}: cannot be read`);
    }
    try {
        return YAML.parse(text, { prettyErrors: false });
    } catch (error) {
        const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
        throw new StackFileError(`${display}: is not valid YAML (${detail})`);
    }
}

/** True for `{ secure: "v1:..." }`, the CLI's encrypted config value. */
function isSecure(value: unknown): boolean {
    return isMap(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

/** Replaces every `secure:` value (also nested) by the placeholder; reports whether any was found. */
function stripSecure(value: unknown): { value: unknown; secret: boolean } {
    if (isSecure(value)) {
        return { value: OFFLINE_SECRET_PLACEHOLDER, secret: true };
    }
    if (Array.isArray(value)) {
        const items = value.map(stripSecure);
        return { value: items.map((item) => item.value), secret: items.some((item) => item.secret) };
    }
    if (isMap(value)) {
        const entries = Object.entries(value).map(([key, item]) => [key, stripSecure(item)] as const);
        return {
            value: Object.fromEntries(entries.map(([key, item]) => [key, item.value])),
            secret: entries.some(([, item]) => item.secret),
        };
    }
    return { value, secret: false };
}

function encode(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** Lists `Pulumi.<stack>.yaml` stacks in a folder, for the "no such stack" message. */
function listStacks(dir: string): string[] {
    return readdirSync(dir)
        .map((name) => /^Pulumi\.(.+)\.ya?ml$/.exec(name)?.[1])
        .filter((name): name is string => name !== undefined)
        .sort();
}

/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` from `dir` as the CLI would: namespaced keys,
 * project-declared defaults applied, structured values as JSON, secure values as secret placeholders.
 */
export function readStackFile(dir: string, stack: string): StackFile {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new StackFileError(`--stack: "${stack}" is not a stack name; allowed: letters, digits, _, . and -`);
    }
    const projectDoc = parseYamlFile(path.join(dir, "Pulumi.yaml"), "Pulumi.yaml");
    if (!isMap(projectDoc) || typeof projectDoc.name !== "string" || projectDoc.name === "") {
        throw new StackFileError("Pulumi.yaml: `name` is missing; expected the project name");
    }
    const project = projectDoc.name;
    const file = `Pulumi.${stack}.yaml`;
    const stackPath = path.join(dir, file);
    if (!existsSync(stackPath)) {
        const stacks = listStacks(dir);
        throw new StackFileError(`${file}: no such stack file; stacks here: ${stacks.join(", ") || "none"}`);
    }
    const stackDoc = parseYamlFile(stackPath, file);
    const raw = stackDoc === null || stackDoc === undefined ? {} : stackDoc;
    if (!isMap(raw)) {
        throw new StackFileError(`${file}: is a ${Array.isArray(raw) ? "list" : typeof raw}; expected a map with a \`config\` key`);
    }
    const configDoc = raw.config ?? {};
    if (!isMap(configDoc)) {
        throw new StackFileError(`${file}: \`config\` is not a map; expected \`namespace:key: value\` entries`);
    }

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const declarations = isMap(projectDoc.config) ? projectDoc.config : {};
    for (const [key, declaration] of Object.entries(declarations)) {
        const fullKey = key.includes(":") ? key : `${project}:${key}`;
        if (isMap(declaration) && declaration.default !== undefined) {
            config[fullKey] = encode(declaration.default);
        }
    }
    for (const [key, value] of Object.entries(configDoc)) {
        const fullKey = key.includes(":") ? key : `${project}:${key}`;
        const stripped = stripSecure(value);
        config[fullKey] = encode(stripped.value);
        if (stripped.secret) {
            secretKeys.push(fullKey);
        }
    }
    return { project, stack, file, config, secretKeys };
}
