/**
 * The typed readers the stack-config loader is built from. One rule for scalars, the same for every
 * key: a value has the YAML type its key documents, and nothing is converted on the way. A text key
 * (an `env` value, `rotation`, a secret `version`) refuses an unquoted number or boolean, an integer key
 * (`port`) refuses quoted text: what the program receives is then exactly what the user wrote, under the
 * offline check and under the Pulumi CLI alike (whose YAML reader turns `0755` into 493).
 * Maps keyed by the user are null-prototype objects: `__proto__` or `constructor` is a key like any other.
 */
import { describeGiven, type ConfigIssue } from "./config-error";
import { displayText } from "./display-text";
import type { ProblemKind } from "./problem-lines";
import { closestMatch } from "./suggest";

export type Json = Readonly<Record<string, unknown>>;

/** Collects issues while walking the raw config, so a user sees every problem in one run. */
export class IssueCollector {
    readonly issues: ConfigIssue[] = [];
    add(path: string, problem: string, kind?: ProblemKind): undefined {
        this.issues.push({ path, problem, kind });
        return undefined;
    }
}

/** A fresh map with no prototype, for keys the user chooses. */
export function userMap<T>(): Record<string, T> {
    return Object.create(null) as Record<string, T>;
}

export function isMap(value: unknown): value is Json {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `path.key` with the user's key escaped and cut (a key may hold a newline or 100 KB). */
export function child(path: string, key: string): string {
    return path === "" ? displayText(key) : `${path}.${displayText(key)}`;
}

/** The given value with its YAML type when that is the mistake: `8000 (a number)`, `true (a boolean)`. */
export function describeTyped(value: unknown): string {
    const given = describeGiven(value);
    if (typeof value === "number") {
        return `${given} (a number)`;
    }
    if (typeof value === "boolean") {
        return `${given} (a boolean)`;
    }
    return given;
}

/** Flags every key of `map` not in `allowed`, naming the closest allowed key when it looks like a typo. */
export function unknownKeys(issues: IssueCollector, map: Json, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(map)) {
        if (!allowed.includes(key)) {
            const match = closestMatch(key, allowed);
            const suggestion = match === undefined ? "" : ` (did you mean \`${match}\`?)`;
            issues.add(child(path, key), `is not a known key${suggestion}; allowed: ${allowed.join(", ")}`, "unknown key");
        }
    }
}

/** A text value matching `pattern`; a number or boolean is refused, not converted. */
export function requiredString(issues: IssueCollector, value: unknown, path: string, pattern: RegExp, allowed: string): string | undefined {
    if (typeof value !== "string" || !pattern.test(value)) {
        const quoted = typeof value === "number" || typeof value === "boolean" ? `, quoted ("${String(value)}")` : "";
        return issues.add(path, `is ${describeTyped(value)}; expected ${allowed}${quoted}`);
    }
    return value;
}

export function optionalString(
    issues: IssueCollector,
    value: unknown,
    path: string,
    pattern: RegExp,
    allowed: string,
    fallback: string,
): string | undefined {
    return value === undefined ? fallback : requiredString(issues, value, path, pattern, allowed);
}

export function optionalBoolean(issues: IssueCollector, value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined) {
        return fallback;
    }
    if (typeof value !== "boolean") {
        const unquote = value === "true" || value === "false" ? ", unquoted" : "";
        issues.add(path, `is ${describeTyped(value)}; expected true or false${unquote}`);
        return fallback;
    }
    return value;
}

export function integerIn(issues: IssueCollector, value: unknown, path: string, min: number, max: number): number | undefined {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        const unquote = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? ", unquoted" : "";
        return issues.add(path, `is ${describeGiven(value)}; expected an integer from ${min} to ${max}${unquote}`);
    }
    return value;
}

export function optionalInteger(
    issues: IssueCollector,
    value: unknown,
    path: string,
    min: number,
    max: number,
    fallback: number,
): number | undefined {
    return value === undefined ? fallback : integerIn(issues, value, path, min, max);
}

export function oneOf<T extends string>(
    issues: IssueCollector,
    value: unknown,
    path: string,
    allowed: readonly T[],
    fallback: T,
): T | undefined {
    if (value === undefined) {
        return fallback;
    }
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        return issues.add(path, `is ${describeTyped(value)}; allowed: ${allowed.join(", ")}`);
    }
    return value as T;
}

export function stringList(issues: IssueCollector, value: unknown, path: string, pattern: RegExp, allowed: string): string[] {
    return stringListEntries(issues, value, path, pattern, allowed).map(([item]) => item);
}

/** `stringList` with each valid item's index in the list as written, so later messages name the right item. */
export function stringListEntries(
    issues: IssueCollector,
    value: unknown,
    path: string,
    pattern: RegExp,
    allowed: string,
): [item: string, index: number][] {
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value)) {
        issues.add(
            path,
            `is ${describeGiven(value)}; expected a list of ${allowed}${value === null ? "; list entries under it or remove the key" : ""}`,
        );
        return [];
    }
    return value.flatMap((item, index): [string, number][] => {
        const checked = requiredString(issues, item, `${path}[${index}]`, pattern, allowed);
        return checked === undefined ? [] : [[checked, index]];
    });
}

/**
 * An optional map: undefined when absent; for `env:` written with nothing under it (YAML null) or a
 * scalar, an issue that says so (an empty `env:` is not "missing").
 */
export function optionalMap(issues: IssueCollector, value: unknown, path: string, expected: string): Json | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (value === null) {
        return issues.add(path, `is empty; expected ${expected}; list entries under it or remove the key`);
    }
    if (!isMap(value)) {
        return issues.add(path, `is ${describeGiven(value)}; expected ${expected}`);
    }
    return value;
}
