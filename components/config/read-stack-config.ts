import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./parse-stack-config";
import type { ConfigSource, StackConfig } from "./types";

/** `isConfigSecret` is exported by the SDK's runtime but marked internal in its typings; `Config.getSecret` relies on it. */
const runtimeConfig = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret(key: string): boolean };

/** Pulumi hands config over as strings; structured and boolean values arrive as JSON text. */
function decodeConfigValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/**
 * Reads the running stack's config once (from the engine, or from mocks in tests and the offline check)
 * and validates it. Throws StackConfigError naming `Pulumi.<stack>.yaml` and the key.
 */
export function readStackConfig(): StackConfig {
    const namespace = pulumi.getProject();
    const stack = pulumi.getStack();
    const source: ConfigSource = { file: `Pulumi.${stack}.yaml`, namespace, stack };
    const all = pulumi.runtime.allConfig();
    const values: Record<string, unknown> = {};
    const secretKeys: string[] = [];
    for (const [fullKey, text] of Object.entries(all)) {
        if (fullKey.startsWith(`${namespace}:`)) {
            const key = fullKey.slice(namespace.length + 1);
            values[key] = decodeConfigValue(text);
            if (runtimeConfig.isConfigSecret(fullKey)) {
                secretKeys.push(key);
            }
        }
    }
    return parseStackConfig({ gcpProject: all["gcp:project"], gcpRegion: all["gcp:region"], values, secretKeys }, source);
}
