"use strict";
/**
 * Preloaded (`node -r`) into a policy pack process started by check/pack-process.ts when type
 * checking is off. `@pulumi/pulumi/cmd/run-policy-pack` registers ts-node with `typeCheck: true`,
 * which overrides TS_NODE_TRANSPILE_ONLY, so the only way to skip type checking without changing
 * the entry point the Pulumi CLI runs is to flip that one option when run-policy-pack calls
 * `register`. Every other option (target, module, the pack's tsconfig.json) stays as the CLI sets it.
 * `npm run typecheck` checks the pack instead. Plain JavaScript: it runs before ts-node exists.
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

const tsNode = tsNodeUsedByPulumi();
if (tsNode && typeof tsNode.register === "function") {
    const register = tsNode.register;
    tsNode.register = function registerTranspileOnly(options) {
        return register.call(this, { ...options, typeCheck: false, transpileOnly: true });
    };
}
