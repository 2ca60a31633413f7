/**
 * Reading a policy's config defensively: the Pulumi CLI validates it against the policy's configSchema
 * and fills in defaults, but other hosts (the offline check) may not, so policies never trust its shape.
 */

/** The config object a policy received, as a plain record (never throws, whatever `getConfig` returns). */
export function readConfig(args: { getConfig<T extends object>(): T }): Readonly<Record<string, unknown>> {
    const config: unknown = args.getConfig<Record<string, unknown>>();
    return typeof config === "object" && config !== null ? (config as Record<string, unknown>) : {};
}

/** A string-array config property, or `fallback` when it is absent or malformed. */
export function stringListConfig(config: Readonly<Record<string, unknown>>, key: string, fallback: readonly string[]): readonly string[] {
    const value = config[key];
    return Array.isArray(value) && value.every((item) => typeof item === "string") ? (value as string[]) : fallback;
}
