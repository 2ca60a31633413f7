/**
 * JSON-schema validators for policy config, compiled by ajv once per schema and kept on disk as
 * ajv's standalone code, so that a run whose schemas have not changed loads neither ajv nor its
 * compiler: loading ajv, compiling its meta-schema and the policies' schemas cost more of the
 * check's main thread than anything but module loading.
 *
 * A file's name is a hash of ajv's version, its options, this cache's format and the schema's text:
 * a changed schema (or ajv) gets a new file, never an old validator. A file starts with the hash of
 * the code after it; one that does not match (cut short, edited) is compiled again and rewritten.
 * Without a writable cache folder, every schema is compiled in memory, as before. Files are written
 * aside and renamed, so that a concurrent run reads a whole file or none.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { threadId } from "node:worker_threads";
import type Ajv from "ajv";
import type { ValidateFunction } from "ajv";

/** The repository's cache folder, beside sucrase's (startup/cached-sucrase-register.js). */
export const DEFAULT_CACHE_DIR = path.resolve(__dirname, "..", "node_modules", ".cache", "netra-ajv");

/**
 * ajv's options: every error, schemas from policies as they are, each error with its schema and
 * data; and the code kept, for the cache. Part of every cache key, so one object serves both.
 */
const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true, code: { source: true } } as const;
/** Changes when the form of a cached file does. */
const CACHE_FORMAT = "1";

type Schema = Record<string, unknown>;

function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/** The version of the installed ajv, read from its package.json (cheaper than loading ajv). */
function installedAjvVersion(): string {
    return (JSON.parse(readFileSync(require.resolve("ajv/package.json"), "utf8")) as { version: string }).version;
}

/** The name of a schema's cached validator: a hash of everything its code depends on. */
export function cacheKey(ajvVersion: string, schemaText: string): string {
    return sha256(`${CACHE_FORMAT}\0${ajvVersion}\0${JSON.stringify(AJV_OPTIONS)}\0${schemaText}`);
}

/** A cached file's text: the hash of the code on the first line, then the code. */
export function cacheFileText(code: string): string {
    return `// ${sha256(code)}\n${code}`;
}

/** The code in a cached file's text; throws when the text does not match its hash (cut short, edited). */
export function codeOf(text: string): string {
    const newline = text.indexOf("\n");
    const code = text.slice(newline + 1);
    // No newline at all needs no test of its own: the "first line" is then the text less its last
    // character, which cannot hold the hash of the whole text.
    if (text.slice(0, newline) !== `// ${sha256(code)}`) {
        throw new Error("the cached validator does not match its hash");
    }
    return code;
}

/** Runs ajv's standalone code (a CommonJS module) and returns the validator it exports. */
function evaluate(code: string): ValidateFunction | undefined {
    // Stryker disable next-line ObjectLiteral: ajv's standalone code assigns module.exports itself
    const module = { exports: {} as unknown };
    // The code requires only ajv's runtime helpers (ajv/dist/runtime/*), resolved from here.
    new Function("module", "exports", "require", code)(module, module.exports, require);
    return typeof module.exports === "function" ? (module.exports as ValidateFunction) : undefined;
}

/** Validators by schema, from memory, else from the cache folder, else compiled (and cached). */
export class SchemaValidators {
    private readonly memory = new Map<string, ValidateFunction>();
    private ajv: Ajv | undefined;
    private ajvVersion: string | undefined;

    /**
     * `cacheDir` undefined: compile in memory only. No default: a default parameter would also take
     * an explicit `undefined`, and so read and write the repository's cache.
     */
    constructor(private readonly cacheDir: string | undefined) {}

    /** The validator of `schema`. */
    get(schema: Schema): ValidateFunction {
        const text = JSON.stringify(schema);
        let validator = this.memory.get(text);
        if (validator === undefined) {
            validator = this.fromCache(text) ?? this.compile(schema, text);
            this.memory.set(text, validator);
        }
        return validator;
    }

    private fileFor(cacheDir: string, text: string): string {
        this.ajvVersion ??= installedAjvVersion();
        return path.join(cacheDir, `${cacheKey(this.ajvVersion, text)}.js`);
    }

    private fromCache(text: string): ValidateFunction | undefined {
        if (this.cacheDir === undefined) {
            return undefined;
        }
        const file = this.fileFor(this.cacheDir, text);
        try {
            return evaluate(codeOf(readFileSync(file, "utf8")));
        } catch {
            // Not cached yet, cut short, edited or not runnable: compiled again.
        }
        return undefined;
    }

    private compile(schema: Schema, text: string): ValidateFunction {
        // Loaded on first use: a run whose validators are all cached never needs ajv.
        const { default: AjvClass } = require("ajv") as { default: typeof Ajv };
        // One ajv for all: a new instance compiles its meta-schema first.
        this.ajv ??= new AjvClass(AJV_OPTIONS);
        const validator = this.ajv.compile(schema);
        if (this.cacheDir !== undefined) {
            this.write(this.fileFor(this.cacheDir, text), this.ajv, validator);
        }
        // Unregistered again, so a later schema with the same $id compiles as it would in an ajv of its own.
        this.ajv.removeSchema(schema);
        return validator;
    }

    /** Writes a validator's file; a failure (read-only checkout, full disk) leaves the run compiling in memory. */
    private write(file: string, ajv: Ajv, validator: ValidateFunction): void {
        try {
            const { default: standaloneCode } = require("ajv/dist/standalone") as {
                default: (ajv: Ajv, validate: ValidateFunction) => string;
            };
            mkdirSync(path.dirname(file), { recursive: true });
            const partial = `${file}.${process.pid}.${threadId}.tmp`;
            writeFileSync(partial, cacheFileText(standaloneCode(ajv, validator)));
            renameSync(partial, file);
        } catch {
            // Each later schema tries again: a handful of schemas, each a failed mkdir at most.
        }
    }
}
