"use strict";
/**
 * The parts of startup/lazy-sdk-modules.js that decide what is deferred and how: which requests (by
 * the SDK file that makes them and the file they resolve to), the stand-in that loads a module on
 * first use, and the `Module._load` wrapper. Apart from the hook's installation, so that they can be
 * tested in process. Plain JavaScript, so that it can be required before any TypeScript hook exists.
 */
const path = require("path");

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

/** Whether a require made from the file `from` may be deferred at all (checked before resolving it). */
function mayDefer(from) {
    return typeof from === "string" && RULES.some((rule) => from.endsWith(`${path.sep}node_modules${path.sep}${rule.parent}`));
}

/** Whether `request`, made from the file `from` and resolving to `filename`, is one of the SDKs' requires to defer. */
function defersRequest(request, from, filename) {
    return (
        typeof from === "string" &&
        RULES.some((rule) => from.endsWith(`${path.sep}node_modules${path.sep}${rule.parent}`) && rule.defers(request, filename))
    );
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

/**
 * `Module._load` wrapped: a deferred request gets one stand-in per resolved file, unless the module
 * is already loaded (then that copy) or does not resolve (then the SDK's own fallback runs).
 * `moduleApi` is `require("module")`: `_resolveFilename` and `_cache`.
 */
function deferringLoad(load, moduleApi) {
    const proxies = new Map();
    return function loadDeferred(request, parent, isMain) {
        const from = parent && parent.filename;
        if (!mayDefer(from)) {
            return load.apply(this, arguments);
        }
        let filename;
        try {
            filename = moduleApi._resolveFilename(request, parent, isMain);
        } catch {
            return load.apply(this, arguments); // not installed: the SDK's own fallback runs
        }
        if (moduleApi._cache[filename] !== undefined || !defersRequest(request, from, filename)) {
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

module.exports = { mayDefer, defersRequest, lazyModule, deferringLoad };
