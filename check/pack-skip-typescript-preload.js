"use strict";
/**
 * Preloaded (`node -r`) into a policy pack process started by check/pack-process.ts when type
 * checking is off. Before it loads the pack, `@pulumi/pulumi/cmd/run-policy-pack` loads TypeScript
 * (tsutils.js and run.js read its `version`; run.js parses the tsconfig with it) and registers a
 * type-checking ts-node: a few hundred milliseconds on the check's critical path, since the pack is
 * ready after the program has run. Offline the pack is only transpiled (by its entry,
 * policies/index.js, or for a TypeScript entry by pack-transpile-only-preload.js), so this makes
 * run-policy-pack's ts-node registration and tsconfig parsing no-ops and answers its TypeScript
 * `version` from TypeScript's package.json, loading TypeScript only if something else is asked of
 * it. The real CLI runs without it (README, "What the CLI runs, and why it does not type-check").
 * Plain JavaScript: it runs before any TypeScript hook exists.
 */
const fs = require("fs");
const Module = require("module");
const path = require("path");

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd()] }));
/** The files of run-policy-pack that require TypeScript before the pack loads. */
const LAUNCHER_FILES = [path.join(pulumiDir, "tsutils.js"), path.join(pulumiDir, "cmd", "run-policy-pack", "run.js")];

function tsNodeUsedByPulumi() {
    // tsutils.js resolves ts-node from its own folder and falls back to the copy it vendors.
    try {
        return require(require.resolve("ts-node", { paths: [pulumiDir] }));
    } catch {
        const vendored = path.join(pulumiDir, "vendor", "ts-node@7.0.1");
        return fs.existsSync(vendored) ? require(vendored) : undefined;
    }
}

const tsNode = tsNodeUsedByPulumi();
if (tsNode && typeof tsNode.register === "function") {
    tsNode.register = function registerNothing() {
        return undefined;
    };
}

// run.js parses the pack's tsconfig with TypeScript only to hand ts-node its options.
const tsutils = require(path.join(pulumiDir, "tsutils.js"));
if (typeof tsutils.loadTypeScriptCompilerOptions === "function") {
    tsutils.loadTypeScriptCompilerOptions = function noCompilerOptions() {
        return {};
    };
}

const load = Module._load;
let typescript;
Module._load = function loadLaunchersTypeScript(request, parent, isMain) {
    if (request !== "typescript" || !parent || !LAUNCHER_FILES.includes(parent.filename)) {
        return load.apply(this, arguments);
    }
    const filename = Module._resolveFilename(request, parent, isMain);
    if (Module._cache[filename] !== undefined) {
        return load.apply(this, arguments);
    }
    if (typescript === undefined) {
        const args = arguments;
        let real;
        const actual = () => (real ??= load.apply(this, args));
        const { version } = JSON.parse(fs.readFileSync(path.join(path.dirname(filename), "..", "package.json"), "utf8"));
        typescript = new Proxy({}, { get: (_, key) => (key === "version" ? version : Reflect.get(actual(), key)) });
    }
    return typescript;
};
