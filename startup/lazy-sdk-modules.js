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
 * Only requires made by the files named below are deferred, only when the module resolves, and never
 * when it is already loaded (the CLI's run-policy-pack loads TypeScript itself: then that copy is used).
 * Plain JavaScript, so that it can be required before any TypeScript hook exists.
 */
const Module = require("module");
const path = require("path");

const INSTALLED = Symbol.for("netra.lazy-sdk-modules");
const CODE_PATHS = path.join("@pulumi", "pulumi", "runtime", "closure", "codePaths.js");
/** A namespace of @pulumi/gcp's index: a folder of its own (`./cloudrunv2` is `cloudrunv2/index.js`). */
const GCP_NAMESPACE = /^\.\/[a-z0-9]+$/;

/**
 * Which requires are deferred: made from the file `parent` (below node_modules), for a request that
 * `defers` accepts, given the file it resolves to.
 */
const RULES = [
    { parent: path.join("@pulumi", "pulumi", "typescript-shim.js"), defers: (request) => request === "typescript" },
    {
        parent: CODE_PATHS,
        defers: (request) => request === "@npmcli/arborist" || request === "normalize-package-data" || request === "fdir",
    },
    { parent: path.join("@pulumi", "pulumi", "index.js"), defers: (request) => request === "./automation" },
    {
        parent: path.join("@pulumi", "gcp", "index.js"),
        // Not `./provider`, `./utils` (their exports are copied at once) or `./utilities` (used at once).
        defers: (request, filename) =>
            GCP_NAMESPACE.test(request) && filename.endsWith(`${path.sep}${request.slice(2)}${path.sep}index.js`),
    },
];

/** The rule for a require of `request` (resolving to `filename`) made from `from`, if any. */
function ruleFor(request, from, filename) {
    return RULES.find((rule) => from.endsWith(`${path.sep}node_modules${path.sep}${rule.parent}`) && rule.defers(request, filename));
}

/**
 * A stand-in for a CommonJS module that loads it on first use. It says `__esModule`, so that the
 * SDK's `__importStar` keeps it instead of copying (and so loading) every export; `default` is then
 * the module itself, as `__importStar` would have made it.
 */
function lazyModule(load) {
    let real;
    const target = () => (real ??= load());
    return new Proxy(
        {},
        {
            get(_, key) {
                if (key === "__esModule") {
                    return true;
                }
                const value = target();
                return key === "default" && !value.__esModule ? value : Reflect.get(value, key);
            },
            has: (_, key) => key in target(),
            ownKeys: () => Reflect.ownKeys(target()),
            getOwnPropertyDescriptor(_, key) {
                const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
                return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
            },
            set: (_, key, value) => Reflect.set(target(), key, value),
        },
    );
}

if (!global[INSTALLED]) {
    global[INSTALLED] = true;
    const load = Module._load;
    const proxies = new Map();
    Module._load = function loadDeferred(request, parent, isMain) {
        const from = parent && parent.filename;
        if (typeof from !== "string" || !RULES.some((rule) => from.endsWith(rule.parent))) {
            return load.apply(this, arguments);
        }
        let filename;
        try {
            filename = Module._resolveFilename(request, parent, isMain);
        } catch {
            return load.apply(this, arguments); // not installed: the SDK's own fallback runs
        }
        if (Module._cache[filename] !== undefined || ruleFor(request, from, filename) === undefined) {
            return load.apply(this, arguments);
        }
        const args = arguments;
        if (!proxies.has(filename)) {
            proxies.set(
                filename,
                lazyModule(() => load.apply(this, args)),
            );
        }
        return proxies.get(filename);
    };
}
