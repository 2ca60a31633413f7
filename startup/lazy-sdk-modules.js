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
 * Plain JavaScript, so that it can be required before any TypeScript hook exists.
 */
const Module = require("module");
const path = require("path");

const INSTALLED = Symbol.for("netra.lazy-sdk-modules");
/** Requests deferred, and the SDK files (relative to @pulumi/pulumi) whose requires are. */
const DEFERRED = new Map([
    ["typescript", ["typescript-shim.js"]],
    ["@npmcli/arborist", [path.join("runtime", "closure", "codePaths.js")]],
]);

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
        const parents = DEFERRED.get(request);
        const from = parent && parent.filename;
        if (
            parents !== undefined &&
            typeof from === "string" &&
            parents.some((file) => from.endsWith(`${path.sep}@pulumi${path.sep}pulumi${path.sep}${file}`))
        ) {
            let filename;
            try {
                filename = Module._resolveFilename(request, parent, isMain);
            } catch {
                return load.apply(this, arguments); // not installed: the SDK's own fallback runs
            }
            if (Module._cache[filename] !== undefined) {
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
        }
        return load.apply(this, arguments);
    };
}
