"use strict";
/**
 * The policy pack's entry point (package.json `main`), plain JavaScript so that it starts fast under
 * the Pulumi CLI's own launcher. `@pulumi/pulumi/cmd/run-policy-pack` registers ts-node with
 * `typeCheck: true` whatever the tsconfig says (cmd/run-policy-pack/run.js), then requires the pack
 * folder, which resolves to this file. Type-checking the pack there cost seconds at every preview
 * and deploy; `npm test` (`tsc --noEmit -p tsconfig.json`) type-checks it instead, before CI
 * previews. So this file turns run-policy-pack's ts-node off through its public `enabled(false)`
 * and lets sucrase strip the types of the TypeScript files (startup/cached-sucrase-register.js,
 * cached), then loads the pack. Sucrase is a dependency of the pack (package.json).
 */
const TS_NODE_INSTANCE = Symbol.for("ts-node.register.instance");
const tsNode = process[TS_NODE_INSTANCE];
if (tsNode && typeof tsNode.enabled === "function") {
    tsNode.enabled(false); // its require hooks now pass every file through untouched
}
require("../startup/cached-sucrase-register");
// @pulumi/policy loads all of @pulumi/pulumi; the pack never serializes a function, so the parts
// only that needs (arborist; TypeScript unless run-policy-pack loaded it) load on first use.
require("../startup/lazy-sdk-modules");
require("./index.ts");
