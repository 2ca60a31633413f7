import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { buildReport, renderSarif, renderSarifError } from "../../check/report";
import { declaringKeyPath, StackKeyLocator } from "../../check/stack-locations";
import { npmScriptNodeArgs } from "../support/npm-script";
import { REPO_ROOT } from "../support/staging-fixture";
import { sarifErrors } from "./sarif-schema";

interface SarifLog {
    version: string;
    runs: {
        tool: {
            driver: { name: string; rules: { id: string; defaultConfiguration: { level: string }; fullDescription: { text: string } }[] };
        };
        results: {
            ruleId: string;
            level: string;
            message: { text: string };
            locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn: number } } }[];
            properties: { urn: string | null; resourceName?: string };
        }[];
        invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { message: { text: string } }[] }[];
    }[];
}

const STACK_TEXT = [
    "config:",
    "  gcp:project: netra-staging",
    "  netra-platform:services:",
    "    backend:",
    "      name: netra-backend-staging",
    "    'auth':",
    "      name: netra-auth-service",
    "  e2eOAuthSimulationKey:",
    "    consumers: [auth]",
    "",
].join("\n");

describe("SARIF output", () => {
    describe("stack file locations", () => {
        const locator = StackKeyLocator.fromText(STACK_TEXT, "netra-platform");

        it("finds a service key's line and column, written with its namespace or quoted", () => {
            expect(locator.locate(["services", "backend"])).to.deep.equal({ line: 4, column: 5 });
            expect(locator.locate(["services", "auth"])).to.deep.equal({ line: 6, column: 5 });
        });

        it("finds a key written without the project's namespace", () => {
            expect(locator.locate(["e2eOAuthSimulationKey"])).to.deep.equal({ line: 8, column: 3 });
        });

        it("locates nothing for a key the file does not have, or a file that does not parse", () => {
            expect(locator.locate(["services", "frontend"])).to.equal(undefined);
            expect(StackKeyLocator.fromText("config: [unclosed\n", "netra-platform").locate(["services"])).to.equal(undefined);
        });

        it("takes a resource's declaring key from its nearest component built from the stack file", () => {
            const stack = { urn: "urn:s", type: "pulumi:pulumi:Stack", name: "s", parent: null };
            const component = { urn: "urn:c", type: "netra:cloudrun:Service", name: "backend", parent: "urn:s" };
            const service = { urn: "urn:r", type: "gcp:cloudrunv2/service:Service", name: "backend-service", parent: "urn:c" };
            const loose = { urn: "urn:l", type: "gcp:cloudrunv2/service:Service", name: "legacy", parent: "urn:s" };
            const byUrn = new Map([stack, component, service, loose].map((resource) => [resource.urn, resource]));
            expect(declaringKeyPath(service, byUrn)).to.deep.equal(["services", "backend"]);
            expect(declaringKeyPath(loose, byUrn)).to.equal(undefined);
        });
    });

    it("renders a valid SARIF 2.1.0 log: one rule per policy, error for mandatory, warning for advisory, the URN in properties", () => {
        const urn = "urn:pulumi:staging::netra-platform::gcp:cloudrunv2/service:Service::api";
        const report = buildReport({
            stack: "staging",
            project: "netra-platform",
            preview: false,
            resources: [{ urn, type: "gcp:cloudrunv2/service:Service", name: "api\n\u001b[31m", parent: null }],
            violations: [
                { policy: "must", enforcementLevel: "mandatory", urn, message: "no <ENVIRONMENT>\nset" },
                { policy: "should", enforcementLevel: "advisory", urn: null, message: "pin images" },
            ],
        });
        const log = renderSarif(report, {
            tool: { name: "netra-staging-policies", version: "0.1.0" },
            policies: [
                { name: "should", description: "Images are pinned.", enforcementLevel: "advisory" },
                { name: "must", description: "ENVIRONMENT is set.", enforcementLevel: "mandatory" },
                { name: "off", description: "Turned off.", enforcementLevel: "disabled" },
            ],
            locate: () => ({ uri: "Pulumi.staging.yaml", line: 4, column: 5 }),
            fallback: { uri: "index.ts" },
        }) as unknown as SarifLog;
        expect(sarifErrors(log)).to.deep.equal([]);
        const run = log.runs[0];
        expect(run.tool.driver.rules.map((rule) => [rule.id, rule.defaultConfiguration.level, rule.fullDescription.text])).to.deep.equal([
            ["must", "error", "ENVIRONMENT is set."],
            ["off", "none", "Turned off."],
            ["should", "warning", "Images are pinned."],
        ]);
        expect(run.results.map((result) => [result.ruleId, result.level, result.message.text, result.properties.urn])).to.deep.equal([
            ["must", "error", "no <ENVIRONMENT>\\nset", urn],
            ["should", "warning", "pin images", null],
        ]);
        expect(run.results.map((result) => result.locations)).to.deep.equal([
            [{ physicalLocation: { artifactLocation: { uri: "Pulumi.staging.yaml" }, region: { startLine: 4, startColumn: 5 } } }],
            [{ physicalLocation: { artifactLocation: { uri: "index.ts" } } }],
        ]);
    });

    it("renders a valid log for a check that could not run, with the reason", () => {
        const log = renderSarifError("Pulumi.prod.yaml: no such stack file; stacks here: staging", { name: "netra-offline-check" });
        expect(sarifErrors(log)).to.deep.equal([]);
        const invocation = (log as unknown as SarifLog).runs[0].invocations[0];
        expect(invocation.executionSuccessful).to.equal(false);
        expect(invocation.toolExecutionNotifications?.[0].message.text).to.equal(
            "Pulumi.prod.yaml: no such stack file; stacks here: staging",
        );
    });

    for (const preview of [false, true]) {
        it(`prints a valid log for the staging stack${preview ? " in preview" : ""}, each service's findings at its key in Pulumi.staging.yaml`, () => {
            const result = spawnSync(
                process.execPath,
                [...npmScriptNodeArgs("check"), "--stack", "staging", "--sarif", ...(preview ? ["--preview"] : [])],
                { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 },
            );
            expect([result.status, result.stderr]).to.deep.equal([0, ""]);
            const log = JSON.parse(result.stdout) as SarifLog;
            expect(sarifErrors(log)).to.deep.equal([]);
            const run = log.runs[0];
            const ruleIds = run.tool.driver.rules.map((rule) => rule.id);
            expect(ruleIds).to.include.members(["cloudrun-required-env-vars", "cloudrun-images-pinned-by-digest"]);
            expect(run.results.every((result) => ruleIds.includes(result.ruleId))).to.equal(true);
            const stackLines = readFileSync(path.join(REPO_ROOT, "Pulumi.staging.yaml"), "utf8").split("\n");
            for (const result of run.results) {
                const location = result.locations?.[0].physicalLocation;
                expect(location?.artifactLocation.uri).to.equal("Pulumi.staging.yaml");
                // Staging's resources are all built from a service key (their names start with it) or the E2E key.
                const region = location?.region;
                expect(region, result.properties.urn ?? "").not.to.equal(undefined);
                const key = /^([A-Za-z0-9_-]+):$/.exec(stackLines[(region?.startLine ?? 0) - 1].slice((region?.startColumn ?? 1) - 1))?.[1];
                expect(`${result.properties.resourceName ?? ""}`.startsWith(`${key}-`), `${result.properties.urn} at ${key}`).to.equal(
                    true,
                );
            }
        });
    }
});
