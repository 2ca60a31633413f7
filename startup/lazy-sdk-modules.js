"use strict";
/**
 * Makes two of @pulumi/pulumi's heaviest dependencies load when first used instead of when the SDK
 * loads. `require("@pulumi/pulumi")` loads `runtime/closure/*` eagerly, and with it TypeScript (for
 * parsing functions it may serialize, via `typescript-shim.js`) and @npmcli/arborist (for the code
 * paths of a serialized function, `codePaths.js`): about two thirds of the time of the bare require.
 * Neither the program, the offline check nor the policy pack serializes a function, so neither
 * module is needed; where one is, it loads on its first property access and behaves as before.
 *
 * Only requires made by those SDK files are deferred, only when the module resolves, and never when
 * it is already loaded (the CLI's run-policy-pack loads TypeScript itself: then that copy is used).
 * What is deferred, and how, is in lazy-module.js; this installs it once per thread.
 * Plain JavaScript, so that it can be required before any TypeScript hook exists.
 */
const Module = require("module");
const { deferringLoad } = require("./lazy-module");

const INSTALLED = Symbol.for("netra.lazy-sdk-modules");

if (!global[INSTALLED]) {
    global[INSTALLED] = true;
    Module._load = deferringLoad(Module._load, Module);
}
