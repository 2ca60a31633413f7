import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import * as YAML from "yaml";
import { STACK_DEFAULTS, STACK_KEYS } from "../../components/config/parse-stack-config";
import { REPO_ROOT } from "../support/staging-fixture";

/** Vendored from pulumi/pulumi v3.248.0 (tests/fixtures/schemas/README.md): the repository owns what its tests read. */
const SCHEMA_PATH = path.join(REPO_ROOT, "tests", "fixtures", "schemas", "pulumi-project.schema.json");

function loadYaml(file: string): Record<string, unknown> {
    return YAML.parse(readFileSync(path.join(REPO_ROOT, file), "utf8")) as Record<string, unknown>;
}

describe("Pulumi.yaml", () => {
    const project = loadYaml("Pulumi.yaml");

    it("validates against the JSON Schema the Pulumi CLI embeds", () => {
        const ajv = new Ajv2020({ strict: false, allErrors: true });
        const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as object);
        expect(validate(project), JSON.stringify(validate.errors)).to.equal(true);
    });

    it("is a TypeScript program on the nodejs runtime", () => {
        expect(project.name).to.equal("netra-platform");
        expect(project.runtime).to.deep.equal({
            name: "nodejs",
            options: { typescript: true, packagemanager: "npm", tsconfig: "tsconfig.pulumi.json" },
        });
    });

    it("describes every declared config key", () => {
        const config = project.config as Record<string, { description?: string }>;
        for (const [key, declaration] of Object.entries(config)) {
            expect(declaration.description, key).to.be.a("string").and.match(/\.$/);
        }
    });

    it("declares every scalar key the program reads, and no key it does not read", () => {
        const declared = Object.keys(project.config as object);
        expect(declared.filter((key) => !STACK_KEYS.includes(key))).to.deep.equal([]);
        expect(STACK_KEYS.filter((key) => !declared.includes(key))).to.deep.equal(["labels", "services", "e2eOAuthSimulationKey"]);
    });

    it("declares the same defaults the program applies", () => {
        const config = project.config as Record<string, { default?: unknown }>;
        expect({ adoptExisting: config.adoptExisting.default, deletionProtection: config.deletionProtection.default }).to.deep.equal({
            ...STACK_DEFAULTS,
        });
    });

    it("sets in the staging stack only keys the project declares or the program reads", () => {
        const stack = loadYaml("Pulumi.staging.yaml").config as Record<string, unknown>;
        for (const key of Object.keys(stack)) {
            const [namespace, name] = key.split(":");
            if (namespace === "netra-platform") {
                expect(STACK_KEYS, key).to.include(name);
            } else {
                expect(["gcp:project", "gcp:region"], key).to.include(key);
            }
        }
    });
});
