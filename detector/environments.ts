/**
 * The one place that spells Netra's environment names and their aliases.
 * Components, policies, the config loader and the runtime detector import from here;
 * nothing else may hard-code an environment name.
 */

/** Canonical environment names, in promotion order. */
export const ENVIRONMENTS = ["development", "test", "staging", "production"] as const;

/** A canonical environment name. */
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/**
 * Named access to each canonical name, so code that means one environment (the E2E key's, the one
 * where it is refused) refers to it through this module and a typo fails to compile.
 */
export const Environment: { readonly [Name in EnvironmentName]: Name } = Object.freeze({
    development: "development",
    test: "test",
    staging: "staging",
    production: "production",
});

/** The variable every Netra service reads to learn its environment. */
export const ENVIRONMENT_VARIABLE = "ENVIRONMENT";

/** Every accepted spelling (lower case) mapped to its canonical name. */
export const ENVIRONMENT_ALIASES: Readonly<Record<string, EnvironmentName>> = Object.freeze({
    development: "development",
    dev: "development",
    local: "development",
    test: "test",
    testing: "test",
    staging: "staging",
    stage: "staging",
    production: "production",
    prod: "production",
});

/** True when `value` is exactly a canonical name (no alias, no case folding). */
export function isCanonicalEnvironment(value: unknown): value is EnvironmentName {
    return (ENVIRONMENTS as readonly unknown[]).includes(value);
}

/**
 * Maps a spelling to its canonical name: trimmed, case-insensitive, aliases accepted.
 * Returns undefined for anything unknown (callers decide how to report it).
 */
export function canonicalEnvironment(value: string): EnvironmentName | undefined {
    const key = value.trim().toLowerCase();
    return Object.prototype.hasOwnProperty.call(ENVIRONMENT_ALIASES, key) ? ENVIRONMENT_ALIASES[key] : undefined;
}

/** "development, test, staging, production": for error messages. */
export function describeEnvironments(): string {
    return ENVIRONMENTS.join(", ");
}

/** "development (dev, local), test (testing), ...": for error messages that accept aliases (every name has one). */
export function describeEnvironmentsWithAliases(): string {
    return ENVIRONMENTS.map((name) => {
        const aliases = Object.keys(ENVIRONMENT_ALIASES).filter((alias) => alias !== name && ENVIRONMENT_ALIASES[alias] === name);
        return `${name} (${aliases.join(", ")})`;
    }).join(", ");
}
