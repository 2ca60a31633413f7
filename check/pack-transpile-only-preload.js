"use strict";
/**
 * Preloaded (`node -r`) into a policy pack process started by check/pack-process.ts when type
 * checking is off and the pack's entry is a TypeScript file (test fixtures, packs other than this
 * repository's, whose policies/index.js entry does the same itself, under the real CLI too).
 * `@pulumi/pulumi/cmd/run-policy-pack` registers ts-node with `typeCheck: true` (which overrides
 * TS_NODE_TRANSPILE_ONLY). Without changing the entry point the Pulumi CLI runs, this swaps the
 * transpiler: sucrase strips the types (a fraction of ts-node's start-up and per-file cost), and
 * run-policy-pack's ts-node registration becomes a no-op. Plain JavaScript: it runs before any
 * TypeScript hook exists.
 */
const fs = require("fs");
const path = require("path");

function tsNodeUsedByPulumi() {
    // tsutils.js resolves ts-node from its own folder and falls back to the copy it vendors.
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd()] }));
    try {
        return require(require.resolve("ts-node", { paths: [pulumiDir] }));
    } catch {
        const vendored = path.join(pulumiDir, "vendor", "ts-node@7.0.1");
        return fs.existsSync(vendored) ? require(vendored) : undefined;
    }
}

require(require.resolve("sucrase/register/ts", { paths: [__dirname] }));
const tsNode = tsNodeUsedByPulumi();
if (tsNode && typeof tsNode.register === "function") {
    tsNode.register = function registerNothing() {
        return undefined;
    };
}
