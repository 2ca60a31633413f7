import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./parse-stack-config";
import type { ConfigSource, RawStackConfig, StackConfig } from "./types";

/** `isConfigSecret` is exported by the SDK's runtime but marked internal in its typings; `Config.getSecret` relies on it. */
const runtimeConfig = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret(key: string): boolean };

/**
 * Pulumi hands config over as strings; structured and boolean values arrive as JSON text. Maps are
 * rebuilt without a prototype, so a user's `constructor` or `toString` key is data, never a method.
 */
function decodeConfigValue(text: string): unknown {
    try {
        return JSON.parse(text, (_key, value: unknown) =>
            typeof value === "object" && value !== null && !Array.isArray(value) ? Object.assign(Object.create(null), value) : value,
        );
    } catch {
        return text;
    }
}

/**
 * The raw config of the program's namespace from config as the CLI passes it (`namespace:key` -> text).
 * Pure, so the loader's contract can be tested on any input without the runtime.
 */
export function rawStackConfig(
    all: Readonly<Record<string, string>>,
    namespace: string,
    isSecret: (fullKey: string) => boolean,
): RawStackConfig {
    // Keyed by the user's keys: a null prototype keeps `__proto__` a key (a plain object would swallow it).
    const values = Object.create(null) as Record<string, unknown>;
    const secretKeys: string[] = [];
    for (const [fullKey, text] of Object.entries(all)) {
        if (fullKey.startsWith(`${namespace}:`)) {
            const key = fullKey.slice(namespace.length + 1);
            values[key] = decodeConfigValue(text);
            if (isSecret(fullKey)) {
                secretKeys.push(key);
            }
        }
    }
    return { gcpProject: all["gcp:project"], gcpRegion: all["gcp:region"], values, secretKeys };
}

/**
 * Reads the running stack's config once (from the engine, or from mocks in tests and the offline check)
 * and validates it. Throws StackConfigError naming `Pulumi.<stack>.yaml` and the key.
 */
export function readStackConfig(): StackConfig {
    const namespace = pulumi.getProject();
    const stack = pulumi.getStack();
    const source: ConfigSource = { file: `Pulumi.${stack}.yaml`, namespace, stack };
    return parseStackConfig(
        rawStackConfig(pulumi.runtime.allConfig(), namespace, (key) => runtimeConfig.isConfigSecret(key)),
        source,
    );
}
