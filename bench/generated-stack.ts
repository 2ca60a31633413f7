import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";

type Yaml = Record<string, unknown>;

/**
 * Writes a scratch project whose staging stack holds `count` services, cycled from the real staging
 * services (backend, auth, frontend) with unique names, so the check's per-service cost can be measured
 * on realistic services. Returns the folder; the caller removes it.
 */
export function writeGeneratedStack(repoRoot: string, count: number): string {
    const staging = YAML.parse(readFileSync(path.join(repoRoot, "Pulumi.staging.yaml"), "utf8")) as { config: Yaml };
    const templates = Object.values(staging.config["netra-platform:services"] as Record<string, Yaml>);
    const services: Record<string, Yaml> = {};
    for (let index = 0; index < count; index++) {
        const name = `svc-${String(index).padStart(4, "0")}`;
        services[name] = { ...templates[index % templates.length], name: `netra-${name}`, serviceAccountId: `netra-${name}-run` };
    }
    const e2e = staging.config["netra-platform:e2eOAuthSimulationKey"] as Yaml;
    const config = {
        ...staging.config,
        "netra-platform:services": services,
        "netra-platform:e2eOAuthSimulationKey": {
            ...e2e,
            consumers: Object.keys(services).filter((_, index) => index % templates.length === 1),
        },
    };
    const dir = mkdtempSync(path.join(tmpdir(), `netra-bench-${count}-`));
    copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    writeFileSync(path.join(dir, "Pulumi.staging.yaml"), YAML.stringify({ config }, { aliasDuplicateObjects: false }));
    return dir;
}
