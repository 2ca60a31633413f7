import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/staging-fixture";

const README = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
const SCRIPTS = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

describe("README", () => {
    it("names the two commands that set up and run everything", () => {
        expect(README).to.include("npm ci && npm run check -- --stack staging");
        expect(README).to.include("npm ci && npm test");
    });

    it("shows only npm scripts that exist", () => {
        const shown = [...README.matchAll(/npm run (?:--silent )?([a-z:]+)/g)].map((match) => match[1]);
        expect(shown.length).to.be.greaterThan(5);
        for (const script of new Set(shown)) {
            expect(SCRIPTS, `npm run ${script}`).to.have.property(script);
        }
    });

    it("is what .ci/run runs: npm ci, then the test command", () => {
        const ci = readFileSync(path.join(REPO_ROOT, ".ci", "run"), "utf8");
        expect(ci.split("\n").filter((line) => line.startsWith("npm "))).to.deep.equal(["npm ci --no-audit --no-fund", "npm test"]);
    });

    it("points only at files that exist, apart from those the guide tells you to create", () => {
        const created = ["policies/config/production.json"];
        const files = [
            ...README.matchAll(/`((?:components|check|policies|detector|rules|tests|bench|\.github)\/[\w./-]+\.(?:ts|json|yml))`/g),
        ].map((match) => match[1]);
        expect(files.length).to.be.greaterThan(3);
        for (const file of files.filter((candidate) => !created.includes(candidate))) {
            expect(existsSync(path.join(REPO_ROOT, file)), file).to.equal(true);
        }
    });

    it("shows the policy pack with the config file the workflows use", () => {
        expect(README).to.include("--policy-pack policies --policy-pack-config policies/config/staging.json");
        expect(existsSync(path.join(REPO_ROOT, "policies", "config", "staging.json"))).to.equal(true);
    });
});
