/**
 * One line for a live export the audit cannot read: the file, the JSON path, what was there and
 * what is allowed. Values are never echoed unless they are short plain tokens (a `kind`, an
 * `apiVersion`): a malformed export may hold a secret anywhere.
 */

import { quoteText } from "../components/config/display-text";
import { escapeText } from "../check/report/escape";

/** A JSON path such as `$[0].spec.template`, built one step at a time. */
export type JsonPath = readonly (string | number)[];

/** The most characters of a JSON path a message shows (a path 256 levels deep runs to thousands). */
const MAX_PATH_CHARS = 300;

/**
 * `$`, `$[0]`, `$.deployment.resources[3].inputs["run.googleapis.com/x"]`. A key is data from the
 * file: one that is not a plain name is quoted escaped and cut (`["a\u001b[31m"]`), so it shows as it
 * is and cannot act on the terminal; the whole path is cut after MAX_PATH_CHARS characters.
 */
export function formatJsonPath(path: JsonPath): string {
    const text = path.reduce<string>(
        (text, step) =>
            typeof step === "number"
                ? `${text}[${step}]`
                : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(step)
                  ? `${text}.${step}`
                  : `${text}[${quoteText(step)}]`,
        "$",
    );
    return escapeText(text, MAX_PATH_CHARS);
}

/** Where in a file's text (1-based line and column), for a file that is not JSON. */
export interface TextPlace {
    readonly line: number;
    readonly column: number;
}

/** A live export that is not JSON, not a known document kind, or malformed at some path. */
export class AuditInputError extends Error {
    constructor(
        readonly file: string,
        readonly path: JsonPath | undefined,
        detail: string,
        /** For text that is not JSON: `file:line:column:`, as the check names a place in a stack file. */
        readonly place?: TextPlace,
    ) {
        const where = place === undefined ? "" : `:${place.line}:${place.column}`;
        super(`${file}${where}: ${path === undefined ? "" : `${formatJsonPath(path)}: `}${detail}`);
        this.name = "AuditInputError";
    }
}

/** What a value is, by its type only: a malformed export may hold a secret anywhere, so its content is never shown. */
export function describeGiven(value: unknown): string {
    if (value === undefined) {
        return "missing";
    }
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return value.length === 0 ? "an empty list" : `a list of ${value.length}`;
    }
    switch (typeof value) {
        case "string":
            return value === "" ? "an empty string" : "a string";
        case "number":
        case "boolean":
            return `a ${typeof value}`;
        default:
            return "an object";
    }
}

/** Like describeGiven, but quotes a short plain token (a `kind`, an `apiVersion`): those name document types, not data. */
export function describeToken(value: unknown): string {
    return typeof value === "string" && /^[A-Za-z0-9_./-]{1,40}$/.test(value) ? JSON.stringify(value) : describeGiven(value);
}

/** A JSON object (not null, not a list). */
export type JsonObject = Record<string, unknown>;

/** True for a JSON object. */
export function isObject(value: unknown): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads typed fields of one JSON document, failing with the file and path. */
export class DocumentReader {
    constructor(readonly file: string) {}

    fail(path: JsonPath | undefined, detail: string): never {
        throw new AuditInputError(this.file, path, detail);
    }

    /** The object at `path`, or a failure saying what was there instead. */
    object(value: unknown, path: JsonPath, what: string): JsonObject {
        return isObject(value) ? value : this.fail(path, `is ${describeGiven(value)}; expected ${what}`);
    }

    /** An optional object: undefined when absent. */
    optionalObject(value: unknown, path: JsonPath, what: string): JsonObject | undefined {
        return value === undefined || value === null ? undefined : this.object(value, path, what);
    }

    /** An optional list: [] when absent. */
    list(value: unknown, path: JsonPath, what: string): readonly unknown[] {
        if (value === undefined || value === null) {
            return [];
        }
        return Array.isArray(value) ? value : this.fail(path, `is ${describeGiven(value)}; expected a list of ${what}`);
    }

    /** A non-empty string. */
    string(value: unknown, path: JsonPath, what: string): string {
        return typeof value === "string" && value !== ""
            ? value
            : this.fail(path, `is ${describeGiven(value)}; expected ${what} (a non-empty string)`);
    }

    /** An optional string: undefined when absent. */
    optionalString(value: unknown, path: JsonPath, what: string): string | undefined {
        return value === undefined || value === null ? undefined : this.string(value, path, what);
    }

    /** A list of non-empty strings (`allowEmpty`: any strings, as a command's arguments may be ""); [] when absent. */
    stringList(value: unknown, path: JsonPath, what: string, element: string, allowEmpty = false): string[] {
        return this.list(value, path, what).map((item, index) =>
            !allowEmpty
                ? this.string(item, [...path, index], element)
                : typeof item === "string"
                  ? item
                  : this.fail([...path, index], `is ${describeGiven(item)}; expected ${element} (a string)`),
        );
    }

    /** A list of objects; [] when absent. */
    objectList(value: unknown, path: JsonPath, what: string, element: string): JsonObject[] {
        return this.list(value, path, what).map((item, index) => this.object(item, [...path, index], element));
    }

    /** An optional map of strings (labels, annotations, resource limits), each value checked: undefined when absent. */
    stringMap(value: unknown, path: JsonPath, what: string, element: string): Record<string, string> | undefined {
        const map = this.optionalObject(value, path, what);
        if (map === undefined) {
            return undefined;
        }
        for (const [key, item] of Object.entries(map)) {
            if (typeof item !== "string") {
                this.fail([...path, key], `is ${describeGiven(item)}; expected ${element} (a string)`);
            }
        }
        return map as Record<string, string>;
    }

    /** An optional boolean: undefined when absent. */
    optionalBoolean(value: unknown, path: JsonPath, what: string): boolean | undefined {
        return value === undefined || value === null || typeof value === "boolean"
            ? (value ?? undefined)
            : this.fail(path, `is ${describeGiven(value)}; expected ${what} (true or false)`);
    }

    /** An optional number: undefined when absent. */
    optionalNumber(value: unknown, path: JsonPath, what: string): number | undefined {
        return value === undefined || value === null || (typeof value === "number" && Number.isFinite(value))
            ? (value ?? undefined)
            : this.fail(path, `is ${describeGiven(value)}; expected ${what} (a number)`);
    }

    /**
     * An optional whole number, 0 or more: a JSON number, or its decimal string (proto3 JSON writes
     * int64 fields as strings, and readers accept either form for every integer); undefined when absent.
     */
    optionalCount(value: unknown, path: JsonPath, what: string): number | undefined {
        if (value === undefined || value === null) {
            return undefined;
        }
        const count = typeof value === "string" && /^(0|[1-9][0-9]*)$/.test(value) ? Number(value) : value;
        return typeof count === "number" && Number.isSafeInteger(count) && count >= 0
            ? count
            : this.fail(path, `is ${describeCount(value)}; expected ${what} (a whole number, or its decimal string)`);
    }
}

/** What was given for a count, by its kind only, as describeGiven: a number is "negative, fractional or too large". */
function describeCount(value: unknown): string {
    return typeof value === "number" ? "a number that is negative, fractional or too large" : describeGiven(value);
}
