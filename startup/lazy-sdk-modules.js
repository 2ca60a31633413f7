"use strict";
/**
 * Makes the heaviest parts of the Pulumi SDKs that the offline check, its program and the policy
 * pack never use load when first used instead of when the SDK loads:
 * - `require("@pulumi/pulumi")` loads `runtime/closure/*` eagerly, and with it TypeScript (for
 *   parsing functions it may serialize, via `typescript-shim.js`), and @npmcli/arborist,
 *   normalize-package-data and fdir (for the code paths of a serialized function, `codePaths.js`);
 *   and it loads the Automation API (`automation/`, with execa, tmp and js-yaml). Together about
 *   three quarters of the time of the bare require.
 * - `require("@pulumi/gcp")` loads the index of each of its 150 namespaces (`cloudrunv2`, ...); a
 *   program uses a handful.
 * Neither the program, the offline check nor the policy pack serializes a function or drives the
 * Automation API; where one is used, it loads on its first property access and behaves as before.
 *
 * Only requires made by the files lazy-module.js names are deferred, only when the module resolves,
 * and never when it is already loaded (the CLI's run-policy-pack loads TypeScript itself: then that
 * copy is used). What is deferred, and how, is in lazy-module.js; this installs it once per thread.
 * Plain JavaScript, so that it can be required before any TypeScript hook exists.
 */
const Module = require("module");
const { deferringLoad } = require("./lazy-module");

const INSTALLED = Symbol.for("netra.lazy-sdk-modules");

if (!global[INSTALLED]) {
    global[INSTALLED] = true;
    Module._load = deferringLoad(Module._load, Module);
}
