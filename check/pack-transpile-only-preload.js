"use strict";
/**
 * Preloaded (`node -r`) into a policy pack process started by check/pack-process.ts when type
 * checking is off and the pack's entry is a TypeScript file (test fixtures, packs other than this
 * repository's, whose policies/index.js entry does the same itself, under the real CLI too).
 * `@pulumi/pulumi/cmd/run-policy-pack` registers ts-node with `typeCheck: true` (which overrides
 * TS_NODE_TRANSPILE_ONLY); pack-skip-typescript-preload.js, preloaded first, makes that a no-op,
 * and this registers sucrase instead (a fraction of ts-node's start-up and per-file cost), without
 * changing the entry point the Pulumi CLI runs. Plain JavaScript: it runs before any TypeScript
 * hook exists.
 */
require(require.resolve("sucrase/register/ts", { paths: [__dirname] }));
