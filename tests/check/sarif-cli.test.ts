/**
 * The check's SARIF for the staging stack, end to end: the CLI spawned as CI runs it. Apart from the
 * in-process writer tests (sarif.test.ts) so that mutation testing, which cannot attribute a child
 * process's coverage, leaves these out.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { npmScriptNodeArgs } from "../support/npm-script";
import { REPO_ROOT } from "../support/staging-fixture";
import { sarifErrors } from "./sarif-schema";

interface SarifLog {
    runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
            ruleId: string;
            locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn: number } } }[];
            properties: { urn: string | null; resourceName?: string };
        }[];
    }[];
}

describe("SARIF output of the check CLI", () => {
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
