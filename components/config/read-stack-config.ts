import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./parse-stack-config";
import type { ConfigSource, StackConfig } from "./types";

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
    for (const [fullKey, text] of Object.entries(all)) {
        if (fullKey.startsWith(`${namespace}:`)) {
            values[fullKey.slice(namespace.length + 1)] = decodeConfigValue(text);
        }
    }
    return parseStackConfig({ gcpProject: all["gcp:project"], gcpRegion: all["gcp:region"], values }, source);
}
