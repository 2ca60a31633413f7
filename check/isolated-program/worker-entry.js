"use strict";
/**
 * Entry of the worker thread that runs the program (check/isolated-program/run-isolated.ts). A
 * worker inherits `node -r sucrase/register/ts` from `npm run check`, but not a require hook that a
 * test runner registered in-process: register one when `.ts` files are not loadable yet. Plain
 * JavaScript: nothing can compile TypeScript before this file runs.
 */
// First: defers what @pulumi/pulumi loads but the program never uses (TypeScript, arborist).
require("../../startup/lazy-sdk-modules");
if (require.extensions[".ts"] === undefined) {
    require("../../startup/cached-sucrase-register");
}
require("./worker.ts");
