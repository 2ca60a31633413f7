import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";

type Yaml = Record<string, unknown>;

/** The policy config written beside the generated stack file. */
export const GENERATED_POLICY_CONFIG = "policy-config.json";

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
    // Staging's policy config with the generated services public where their templates are.
    const policyConfig = JSON.parse(readFileSync(path.join(repoRoot, "policies", "config", "staging.json"), "utf8")) as Record<
        string,
        Yaml
    >;
    const publicServices = Object.values(services)
        .filter((service) => service.allowUnauthenticated === true)
        .map((service) => service.name);
    for (const [policy, entry] of Object.entries(policyConfig)) {
        if (Array.isArray(entry.publicServices)) {
            policyConfig[policy] = { ...entry, publicServices };
        }
    }
    writeFileSync(path.join(dir, GENERATED_POLICY_CONFIG), JSON.stringify(policyConfig, null, 2));
    writeFileSync(path.join(dir, "Pulumi.staging.yaml"), YAML.stringify({ config }, { aliasDuplicateObjects: false }));
    return dir;
}
