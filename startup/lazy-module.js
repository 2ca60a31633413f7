"use strict";
/**
 * The parts of startup/lazy-sdk-modules.js that decide what is deferred and how: which requests, the
 * stand-in that loads a module on first use, and the `Module._load` wrapper. Apart from the hook's
 * installation, so that they can be tested in process. Plain JavaScript, so that it can be required
 * before any TypeScript hook exists.
 */
const path = require("path");

/** Requests deferred, and the SDK files (relative to @pulumi/pulumi) whose requires are. */
const DEFERRED = new Map([
    ["typescript", ["typescript-shim.js"]],
    ["@npmcli/arborist", [path.join("runtime", "closure", "codePaths.js")]],
]);

/** Whether `request`, made from the file `from`, is one of the SDK's requires to defer. */
function defersRequest(request, from) {
    const parents = DEFERRED.get(request);
    return (
        parents !== undefined &&
        typeof from === "string" &&
        // Stryker disable next-line MethodExpression: each request has one deferring file, so every() and some() agree
        parents.some((file) => from.endsWith(`${path.sep}@pulumi${path.sep}pulumi${path.sep}${file}`))
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
        if (!defersRequest(request, parent && parent.filename)) {
            return load.apply(this, arguments);
        }
        let filename;
        try {
            filename = moduleApi._resolveFilename(request, parent, isMain);
        } catch {
            return load.apply(this, arguments); // not installed: the SDK's own fallback runs
        }
        if (moduleApi._cache[filename] !== undefined) {
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

module.exports = { defersRequest, lazyModule, deferringLoad };
