import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { displayText, quoteText } from "../components/config/display-text";
import { boundedLines, type ProblemKind, type ProblemLine } from "../components/config/problem-lines";
import { closestMatch } from "../components/config/suggest";
import { parseConfigKey, STACK_FILE_KEYS, unreadKeyProblem } from "./stack-yaml/config-keys";
import { decodeStackText } from "./stack-yaml/text";
import { SECURE, walkDocument } from "./stack-yaml/tree";

/** Placeholder for a `secure:` value: it cannot be decrypted offline, so the program sees a secret it cannot read. */
export const OFFLINE_SECRET_PLACEHOLDER = "[secret: encrypted in the stack file, not decrypted offline]";

/**
 * The largest stack file the check reads: 1 MiB, room for the 500 services a stack may declare
 * (components/config/parse-stack-config.ts, MAX_SERVICES; 400 staging-like services take 540 KiB).
 * Beyond it the file is refused with one line before it is parsed, so parsing stays bounded.
 */
export const MAX_STACK_FILE_BYTES = 1024 * 1024;

/** Where a key was written: 1-based line and column, as the YAML parser counts them. */
export interface KeyPosition {
    readonly line: number;
    readonly column: number;
}

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
    /**
     * Where each key is written, by its path below `config` with the namespace spelled out
     * (`netra-platform:services.backend.image`): for reports that point at the line (SARIF).
     */
    readonly positions: ReadonlyMap<string, KeyPosition>;
}

/** The project or stack file is missing or malformed: one line per problem, naming the file, the place and the key. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** A problem with its place, before formatting. */
interface PlacedProblem {
    readonly line?: number;
    readonly column?: number;
    readonly key?: string;
    readonly problem: string;
    readonly kind: ProblemKind;
}

/** `Pulumi.staging.yaml:12:5: \`netra-platform:services.api.port\` is ...` */
function formatProblem(file: string, problem: PlacedProblem): string {
    const place = problem.line === undefined ? file : `${file}:${problem.line}:${problem.column ?? 1}`;
    const key = problem.key === undefined ? "" : `\`${problem.key}\` `;
    return `${place}: ${key}${problem.problem}.`;
}

/**
 * Ciphertexts of `secure:` values, found in the raw text so they can be scrubbed from any message, even
 * one from a file too broken to parse (a secure value must never be printed, not even in part).
 */
function secureTexts(text: string): string[] {
    // At least 12 characters: a ciphertext (`v1:` and base64), not a word like `true` that a key named `secure` might hold.
    return [...text.matchAll(/secure\s*:\s*["']?([^\s"'{}[\],]+)/g)].map((match) => match[1]).filter((value) => value.length >= 12);
}

/** For a problem that quotes no text of the file (a decoding problem): there is nothing to scrub. */
// Stryker disable next-line ArrayDeclaration: a message that quotes no text of the file holds no secure value to scrub
const NOTHING_TO_SCRUB: readonly string[] = [];

function fail(file: string, problems: readonly PlacedProblem[], secrets: readonly string[]): never {
    const lines: ProblemLine[] = problems.map((problem) => ({ text: formatProblem(file, problem), kind: problem.kind }));
    let message = boundedLines(file, lines).join("\n");
    for (const secret of secrets) {
        message = message.split(secret).join("[secure value]");
    }
    throw new StackFileError(message);
}

/** A parsed YAML file: its values (null-prototype maps) and where each key is. */
interface ParsedYaml {
    readonly value: unknown;
    readonly positions: Map<string, KeyPosition>;
    readonly secrets: readonly string[];
}

/** Reads, decodes and parses one YAML file, refusing (with line and column) anything ambiguous. */
function readYamlFile(file: string, display: string): ParsedYaml {
    let bytes: Buffer;
    try {
        // Its size first: a file over the limit is refused before it is read.
        const size = statSync(file).size;
        if (size > MAX_STACK_FILE_BYTES) {
            throw new StackFileError(
                `${display}: is ${(size / 1024 / 1024).toFixed(1)} MiB; the check reads stack files up to ${MAX_STACK_FILE_BYTES / 1024 / 1024} MiB; split the stack.`,
            );
        }
        bytes = readFileSync(file);
    } catch (error) {
        throw error instanceof StackFileError ? error : new StackFileError(`${display}: cannot be read`);
    }
    const decoded = decodeStackText(bytes);
    if (!decoded.ok) {
        fail(display, [decoded.problem], NOTHING_TO_SCRUB);
    }
    const text = decoded.text;
    const secrets = secureTexts(text);
    const lineCounter = new LineCounter();
    // uniqueKeys: false because the parser's own duplicate check is quadratic; the walk below is linear.
    // Warnings (an unresolved tag) stay in doc.warnings: parseDocument logs nothing, whatever its logLevel.
    const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true });
    const at = (offset: number) => {
        const { line, col } = lineCounter.linePos(offset);
        return { line, column: col };
    };
    if (doc.errors.length > 0) {
        // The first error is the one to fix; the ones after it usually follow from it.
        const error = doc.errors[0];
        // Stryker disable next-line StringLiteral: a YAML error is reported alone, and a kind only counts the problems past the tenth
        const kind: ProblemKind = "invalid value";
        // The parser's own words for a second document name its API; the CLI's reader (yaml.v3 Unmarshal) would read the
        // first document and drop the rest unseen.
        const problem =
            error.code === "MULTIPLE_DOCS"
                ? "starts a second YAML document (`---`), which the Pulumi CLI would ignore; a stack file is one document: move its keys into the first"
                : `is not valid YAML (${displayText(error.message, 160)})`;
        fail(display, [{ ...at(error.pos[0]), problem, kind }], secrets);
    }
    const problems: PlacedProblem[] = doc.warnings.map((warning) => ({
        ...at(warning.pos[0]),
        problem: `is ambiguous YAML (${displayText(warning.message, 160)}); write it so that every YAML reader reads it the same`,
        kind: "invalid value" as const,
    }));
    const tree = walkDocument(doc, (offset) => at(offset).line);
    problems.push(
        ...tree.problems.map((problem) => ({
            ...at(problem.offset),
            // Keys below `config:` are shown as the user wrote them, without the section name.
            key: problem.key?.startsWith("config.") ? problem.key.slice("config.".length) : problem.key,
            problem: problem.problem,
            kind: problem.kind,
        })),
    );
    if (problems.length > 0) {
        fail(display, problems, secrets);
    }
    const positions = new Map<string, KeyPosition>();
    for (const [key, offset] of tree.keyOffsets) {
        positions.set(key, at(offset));
    }
    return { value: tree.value, positions, secrets };
}

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Replaces every `secure:` value (also nested) by the placeholder; reports whether any was found. */
function stripSecure(value: unknown): { value: unknown; secret: boolean } {
    if (value === SECURE) {
        return { value: OFFLINE_SECRET_PLACEHOLDER, secret: true };
    }
    if (Array.isArray(value)) {
        const items = value.map(stripSecure);
        return { value: items.map((item) => item.value), secret: items.some((item) => item.secret) };
    }
    if (isMap(value)) {
        const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        let secret = false;
        for (const [key, item] of Object.entries(value)) {
            const stripped = stripSecure(item);
            out[key] = stripped.value;
            secret ||= stripped.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

/** As the CLI passes config to a program: strings verbatim, everything else as JSON (config/object.go, MarshalString). */
function encode(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** Lists `Pulumi.<stack>.yaml` stacks in a folder, for the "no such stack" message. */
export function listStacks(dir: string): string[] {
    return readdirSync(dir)
        .map((name) => /^Pulumi\.(.+)\.ya?ml$/.exec(name)?.[1])
        .filter((name): name is string => name !== undefined)
        .sort();
}

/** Checks the stack file's own keys and its `config:` keys; returns the config map and where its keys are. */
function readConfigSection(display: string, project: string, parsed: ParsedYaml): Record<string, unknown> {
    const problems: PlacedProblem[] = [];
    const raw = parsed.value === null ? Object.create(null) : parsed.value;
    if (!isMap(raw)) {
        throw new StackFileError(`${display}: is a ${Array.isArray(raw) ? "list" : typeof raw}; expected a map with a \`config\` key`);
    }
    for (const key of Object.keys(raw)) {
        if (!STACK_FILE_KEYS.includes(key)) {
            const match = closestMatch(key, STACK_FILE_KEYS);
            problems.push({
                ...parsed.positions.get(displayText(key)),
                key: displayText(key),
                problem: `is not a stack file key${match === undefined ? "" : ` (did you mean \`${match}\`?)`}; allowed: ${STACK_FILE_KEYS.join(", ")}`,
                kind: "unknown key",
            });
        }
    }
    if (raw.environment !== undefined && raw.environment !== null) {
        problems.push({
            ...parsed.positions.get("environment"),
            key: "environment",
            problem: "imports Pulumi ESC environments, which the offline check cannot open; keep the stack's config in `config`",
            kind: "invalid value",
        });
    }
    const configDoc = raw.config ?? Object.create(null);
    if (!isMap(configDoc)) {
        problems.push({
            ...parsed.positions.get("config"),
            key: "config",
            problem: "is not a map; expected `namespace:key: value` entries",
            kind: "invalid value",
        });
    }
    const config: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const written = new Map<string, string>();
    for (const [key, value] of Object.entries(isMap(configDoc) ? configDoc : {})) {
        const shown = displayText(key);
        const place = parsed.positions.get(`config.${shown}`);
        const parsedKey = parseConfigKey(key, project);
        if (!parsedKey.ok) {
            problems.push({ ...place, key: shown, problem: parsedKey.problem, kind: "invalid value" });
            continue;
        }
        const other = written.get(parsedKey.full);
        if (other !== undefined) {
            // Every key the walk kept has its position (readYamlFile records each one).
            const first = parsed.positions.get(`config.${displayText(other)}`)!;
            problems.push({
                ...place,
                key: shown,
                problem: `and \`${displayText(other)}\` (line ${first.line}) are the same key, \`${displayText(parsedKey.full)}\`, written twice; keep one`,
                kind: "duplicate key",
            });
            continue;
        }
        written.set(parsedKey.full, key);
        const unread = unreadKeyProblem(parsedKey, project);
        if (unread !== undefined) {
            problems.push({ ...place, key: shown, problem: unread, kind: "unknown key" });
            continue;
        }
        config[parsedKey.full] = value;
    }
    if (problems.length > 0) {
        fail(display, problems, parsed.secrets);
    }
    return config;
}

/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` from `dir` as the CLI would: namespaced keys,
 * project-declared defaults applied, structured values as JSON, secure values as secret placeholders.
 * Refuses, one line per problem with line and column, what the CLI would read differently from what
 * is written or silently drop.
 */
export function readStackFile(dir: string, stack: string): StackFile {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new StackFileError(`--stack: ${quoteText(stack)} is not a stack name; allowed: letters, digits, _, . and -`);
    }
    const projectDoc = readYamlFile(path.join(dir, "Pulumi.yaml"), "Pulumi.yaml").value;
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
    const parsed = readYamlFile(stackPath, file);
    const configDoc = readConfigSection(file, project, parsed);

    const config: Record<string, string> = Object.create(null) as Record<string, string>;
    const secretKeys: string[] = [];
    const declarations = isMap(projectDoc.config) ? projectDoc.config : {};
    for (const [key, declaration] of Object.entries(declarations)) {
        const fullKey = key.includes(":") ? key : `${project}:${key}`;
        if (isMap(declaration) && declaration.default !== undefined) {
            config[fullKey] = encode(declaration.default);
        }
    }
    for (const [fullKey, value] of Object.entries(configDoc)) {
        const stripped = stripSecure(value);
        config[fullKey] = encode(stripped.value);
        if (stripped.secret) {
            secretKeys.push(fullKey);
        }
    }
    const positions = new Map<string, KeyPosition>();
    for (const [key, position] of parsed.positions) {
        if (key.startsWith("config.")) {
            const [first, ...rest] = key.slice("config.".length).split(".");
            const parsedKey = parseConfigKey(first, project);
            positions.set([parsedKey.ok ? parsedKey.full : first, ...rest].join("."), position);
        }
    }
    return { project, stack, file, config, secretKeys, positions };
}
