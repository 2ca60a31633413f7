import { expect } from "chai";

import { areaOptions, parseMutateArgs } from "../../mutation/run";
import { summarise, summaryTable } from "../../mutation/summary";

const AREAS = ["detector", "stack-config"];

describe("npm run mutate: arguments", () => {
    it("runs every area when none is named", () => {
        expect(parseMutateArgs([], AREAS)).to.deep.equal({ areas: ["detector", "stack-config"], incremental: false });
    });

    it("runs only the named areas, once each, and passes --incremental on", () => {
        expect(parseMutateArgs(["stack-config", "--incremental", "stack-config"], AREAS)).to.deep.equal({
            areas: ["stack-config"],
            incremental: true,
        });
    });

    it("refuses an unknown area, naming what is allowed", () => {
        expect(parseMutateArgs(["detectr"], AREAS)).to.equal(
            'mutate: unknown area or option "detectr"; areas are detector, stack-config; the only option is --incremental',
        );
    });

    it("gives each area its own files, tests, reports and incremental file", () => {
        const options = areaOptions(
            { mochaOptions: { extension: ["ts"], spec: ["tests/all.test.ts"] } },
            "detector",
            { description: "d", mutate: ["detector/*.ts"], tests: ["tests/detector/a.test.ts"] },
            true,
        );
        expect(options).to.deep.equal({
            configFile: "stryker.config.mjs",
            mutate: ["detector/*.ts"],
            mochaOptions: { extension: ["ts"], spec: ["tests/detector/a.test.ts"] },
            htmlReporter: { fileName: "reports/mutation/detector/mutation.html" },
            jsonReporter: { fileName: "reports/mutation/detector/mutation.json" },
            incremental: true,
            incrementalFile: "reports/mutation/detector/stryker-incremental.json",
        });
    });
});

describe("npm run mutate: the summary", () => {
    const statuses = ["Killed", "Killed", "Timeout", "Survived", "NoCoverage", "Ignored", "CompileError"];

    it("counts a timeout as killed and leaves equivalent and broken mutants out of the score", () => {
        expect(
            summarise(
                "audit",
                statuses.map((status) => ({ status })),
                75,
            ),
        ).to.deep.equal({
            area: "audit",
            mutants: 7,
            killed: 3,
            survived: 1,
            noCoverage: 1,
            equivalent: 1,
            errors: 1,
            score: 60,
            seconds: 75,
        });
    });

    it("rounds the score down, so 94.99 % never reads as 95 %", () => {
        const results = [...Array<string>(1899).fill("Killed"), ...Array<string>(101).fill("Survived")];
        expect(
            summarise(
                "a",
                results.map((status) => ({ status })),
                1,
            ).score,
        ).to.equal(94.9);
    });

    it("has no score for an area with nothing to judge", () => {
        expect(summarise("empty", [{ status: "Ignored" }], 0).score).to.equal(null);
    });

    it("writes one Markdown row per area", () => {
        const table = summaryTable([
            summarise(
                "audit",
                statuses.map((status) => ({ status })),
                75,
            ),
            summarise("empty", [], 9),
        ]);
        expect(table).to.equal(
            [
                "| area | mutants | killed | survived | no coverage | equivalent | errors | score | time |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                "| audit | 7 | 3 | 1 | 1 | 1 | 1 | 60.0 % | 1 min 15 s |",
                "| empty | 0 | 0 | 0 | 0 | 0 | 0 | n/a | 9 s |",
            ].join("\n"),
        );
    });
});

describe("stryker.config.mjs", () => {
    it("names only source files and tests that exist, so a renamed file cannot drop out of its area", async () => {
        const { existsSync } = await import("node:fs");
        const path = await import("node:path");
        const root = path.resolve(__dirname, "..", "..");
        const config = (await import(path.join(root, "stryker.config.mjs"))) as {
            areas: Record<string, { mutate: string[]; tests: string[] }>;
        };
        const missing = Object.entries(config.areas).flatMap(([name, area]) =>
            [...area.mutate, ...area.tests]
                .map((entry) => entry.replace(/^!/, ""))
                // A glob names its folder; the folder must exist.
                .map((entry) => (entry.includes("*") ? path.dirname(entry) : entry))
                .filter((entry) => !existsSync(path.join(root, entry)))
                .map((entry) => `${name}: ${entry}`),
        );
        expect(missing).to.deep.equal([]);
    });
});

describe("stryker.config.mjs: what the areas cover", () => {
    /**
     * Files in the folders below that no area mutates, each with why. Anything else added to these
     * folders must join an area.
     */
    const NOT_MUTATED: Readonly<Record<string, string>> = {
        "policies/index.ts": "the pack's entry: every test of the pack runs it",
        "policies/policy-list.ts": "the pack's list of policies: every test of the pack runs it",
        "policies/lib/single-resource-policy.ts": "types only",
        "policies/index.js": "the pack's JavaScript entry: it runs only inside a pack process started by run-policy-pack",
        "check/report.ts": "re-exports only",
        "check/isolated-program/messages.ts": "types only",
        "check/isolated-program/worker.ts":
            "runs only inside the program's worker thread, whose copy of the code Stryker's in-process runner never switches to a mutant",
        "check/isolated-program/worker-entry.js": "the worker thread's entry (registers the loaders, requires worker.ts)",
        "check/pack-parent-watchdog-preload.js": "preloaded into the pack process only (node -r)",
        "check/pack-skip-typescript-preload.js": "preloaded into the pack process only (node -r)",
        "check/pack-transpile-only-preload.js": "preloaded into the pack process only (node -r)",
        "check/cli.ts": "the CLI's entry: arguments to runCheckWithContext, the report to stdout, the exit code; judged spawned",
        "audit/cli.ts": "the CLI's entry: arguments to runAudit, the report to stdout, the exit code; judged spawned",
        "startup/cached-sucrase-register.js":
            "installs sucrase-cache.js's loader into Node's module loader, once; proven in a fresh process by tests/speed/startup.test.ts",
        "startup/lazy-sdk-modules.js":
            "installs lazy-module.js's wrapper into Node's module loader, once; proven in a fresh process by tests/speed/startup.test.ts",
    };
    const FOLDERS = [
        "policies",
        "policies/lib",
        "rules",
        "components",
        "components/config",
        "check",
        "check/isolated-program",
        "check/report",
        "check/stack-yaml",
        "audit",
        "startup",
        "language-host",
    ];

    /** The area globs' own meaning: a path, or a folder with `*` inside one name; `!` takes a file out of its own area. */
    function covered(file: string, areas: readonly (readonly string[])[]): boolean {
        const matches = (pattern: string): boolean => {
            const expression = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*");
            return new RegExp(`^${expression}$`).test(file);
        };
        return areas.some(
            (patterns) =>
                patterns.some((p) => !p.startsWith("!") && matches(p)) && !patterns.some((p) => p.startsWith("!") && matches(p.slice(1))),
        );
    }

    it("puts every source file of policies/, rules/, components/, check/, audit/, startup/ and language-host/ in an area, or says why not", async () => {
        const { readdirSync } = await import("node:fs");
        const path = await import("node:path");
        const root = path.resolve(__dirname, "..", "..");
        const config = (await import(path.join(root, "stryker.config.mjs"))) as { areas: Record<string, { mutate: string[] }> };
        const areas = Object.values(config.areas).map((area) => area.mutate);
        const sources = FOLDERS.flatMap((folder) =>
            readdirSync(path.join(root, folder))
                .filter((name) => /\.(ts|js)$/.test(name))
                .map((name) => `${folder}/${name}`),
        );
        expect(sources.filter((file) => !(file in NOT_MUTATED) && !covered(file, areas))).to.deep.equal([]);
        // An exception that names a file no longer there, or one an area now mutates, is stale.
        expect(Object.keys(NOT_MUTATED).filter((file) => !sources.includes(file) || covered(file, areas))).to.deep.equal([]);
    });

    it("reads a folder glob as one folder, and a negation as taken out of its own area only", () => {
        expect(covered("audit/knative.ts", [["audit/*.ts", "!audit/cli.ts"]])).to.equal(true);
        expect(covered("audit/cli.ts", [["audit/*.ts", "!audit/cli.ts"]])).to.equal(false);
        expect(covered("audit/run-audit.ts", [["audit/*.ts", "!audit/run-audit.ts"], ["audit/run-audit.ts"]])).to.equal(true);
        expect(covered("audit/sub/x.ts", [["audit/*.ts"]])).to.equal(false);
        expect(covered("rules/e2e-keyXts", [["rules/e2e-key.ts"]])).to.equal(false);
    });
});
