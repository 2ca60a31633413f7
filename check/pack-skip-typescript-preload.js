"use strict";
/**
 * Preloaded (`node -r`) into a policy pack process started by check/pack-process.ts when type
 * checking is off. Before it loads the pack, `@pulumi/pulumi/cmd/run-policy-pack` loads TypeScript
 * (tsutils.js and run.js read its `version`; run.js parses the tsconfig with it) and ts-node (tsutils.js
 * reads its `VERSION`; run.js registers it, type-checking): a few hundred milliseconds on the check's
 * critical path, since the pack is ready after the program has run. Offline the pack is only
 * transpiled (by its entry, policies/index.js, or for a TypeScript entry by
 * pack-transpile-only-preload.js), so this answers those launcher files' requires of TypeScript and
 * ts-node with stand-ins that give the version from the package's package.json, make ts-node's
 * registration a no-op, and load the real module only if something else is asked of it; and it makes
 * run-policy-pack's tsconfig parsing a no-op. A copy already loaded is used as it is (ts-node's
 * registration still a no-op). Likewise run-policy-pack's index.js waits for the SDK's v8 hooks
 * (`runtime/closure/v8Hooks.js`) to open an inspector session with the debugger enabled, which only
 * serializing a function reads, and which makes every script compiled after it report itself to the
 * debugger: that wait resolves at once here, and the session opens if a function is ever serialized. The real CLI runs without it (README, "What the CLI runs, and why it
 * does not type-check"). Plain JavaScript: it runs before any TypeScript hook exists.
 */
const fs = require("fs");
const Module = require("module");
const path = require("path");

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd()] }));
/** The files of run-policy-pack that require TypeScript and ts-node before the pack loads. */
const LAUNCHER_FILES = [path.join(pulumiDir, "tsutils.js"), path.join(pulumiDir, "cmd", "run-policy-pack", "run.js")];
/** run-policy-pack's entry, and its request for the SDK's v8 hooks. */
const LAUNCHER_INDEX = path.join(pulumiDir, "cmd", "run-policy-pack", "index.js");
const V8_HOOKS_REQUEST = "../../runtime/closure/v8Hooks";
/** ts-node as tsutils.js requires it: by name, else the copy @pulumi/pulumi vendors. */
const TS_NODE_REQUESTS = ["ts-node", path.join(pulumiDir, "vendor", "ts-node@7.0.1")];

function registerNothing() {
    return undefined;
}

/** The `version` in the package.json of the package whose main file is `filename`. */
function packageVersion(filename) {
    for (let dir = path.dirname(filename); dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest)) {
            return JSON.parse(fs.readFileSync(manifest, "utf8")).version;
        }
    }
    return undefined;
}

/** A stand-in answering `answers` itself and loading the real module (`load()`) for anything else. */
function standIn(load, answers) {
    let real;
    const actual = () => (real ??= load());
    return new Proxy(
        {},
        { get: (_, key) => (Object.prototype.hasOwnProperty.call(answers, key) ? answers[key] : Reflect.get(actual(), key)) },
    );
}

// run.js parses the pack's tsconfig with TypeScript only to hand ts-node its options.
const tsutils = require(path.join(pulumiDir, "tsutils.js"));
if (typeof tsutils.loadTypeScriptCompilerOptions === "function") {
    tsutils.loadTypeScriptCompilerOptions = function noCompilerOptions() {
        return {};
    };
}

const load = Module._load;
const standIns = new Map();
Module._load = function loadLaunchersTypeScript(request, parent, isMain) {
    if (request === V8_HOOKS_REQUEST && parent && parent.filename === LAUNCHER_INDEX) {
        const hooks = load.apply(this, arguments); // loading it opens no session; asking for one does
        return standIn(() => hooks, { isInitializedAsync: () => Promise.resolve() });
    }
    const isTsNode = TS_NODE_REQUESTS.includes(request);
    if ((request !== "typescript" && !isTsNode) || !parent || !LAUNCHER_FILES.includes(parent.filename)) {
        return load.apply(this, arguments);
    }
    const filename = Module._resolveFilename(request, parent, isMain);
    if (Module._cache[filename] !== undefined) {
        const loaded = load.apply(this, arguments);
        if (isTsNode && typeof loaded.register === "function") {
            loaded.register = registerNothing;
        }
        return loaded;
    }
    if (!standIns.has(filename)) {
        const args = arguments;
        const version = packageVersion(filename);
        const answers = isTsNode ? { VERSION: version, register: registerNothing } : { version };
        standIns.set(
            filename,
            standIn(() => load.apply(this, args), answers),
        );
    }
    return standIns.get(filename);
};
