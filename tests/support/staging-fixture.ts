import * as path from "node:path";
import { readStackFile, type StackFile } from "../../check/stack-file";
import type { ConfigSource, RawStackConfig } from "../../components/config/types";

/** The repository root, where Pulumi.yaml and the stack files live. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * A frozen copy of Pulumi.yaml and Pulumi.staging.yaml (tests/fixtures/stacks/README.md): the inventory
 * tests pin exact resources against it, so adding a service or a stack to the real files breaks none of them.
 */
export const FROZEN_STAGING_DIR = path.join(REPO_ROOT, "tests", "fixtures", "stacks", "frozen-staging");

/** The frozen staging stack file as the CLI would pass it. */
export function stagingStackFile(): StackFile {
    return readStackFile(FROZEN_STAGING_DIR, "staging");
}

export const STAGING_SOURCE: ConfigSource = { file: "Pulumi.staging.yaml", namespace: "netra-platform", stack: "staging" };

/** Mutable program values (keys without namespace), decoded like the program decodes them. */
export type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures are edited freely

/** Decoded staging values plus gcp keys; each call returns a fresh deep copy to edit. */
export function stagingRaw(): { gcpProject: unknown; gcpRegion: unknown; values: Values } {
    const file = stagingStackFile();
    const values: Values = {};
    for (const [key, text] of Object.entries(file.config)) {
        if (key.startsWith("netra-platform:")) {
            let value: unknown;
            try {
                value = JSON.parse(text);
            } catch {
                value = text;
            }
            values[key.slice("netra-platform:".length)] = value;
        }
    }
    return { gcpProject: file.config["gcp:project"], gcpRegion: file.config["gcp:region"], values };
}

/** Encodes edited values back into CLI config form (`namespace:key` -> string). */
export function toCliConfig(raw: RawStackConfig): Record<string, string> {
    const config: Record<string, string> = {};
    if (raw.gcpProject !== undefined) {
        config["gcp:project"] = String(raw.gcpProject);
    }
    if (raw.gcpRegion !== undefined) {
        config["gcp:region"] = String(raw.gcpRegion);
    }
    for (const [key, value] of Object.entries(raw.values)) {
        config[`netra-platform:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}
