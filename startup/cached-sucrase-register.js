"use strict";
/**
 * `require` hook for `.ts` files: sucrase strips the types (as `sucrase/register/ts` does, with the
 * same transforms), and the result is kept in node_modules/.cache/netra-sucrase, keyed by a hash of
 * the sucrase version, the file's path and its text, so an unchanged file is never transformed
 * twice. Sucrase itself loads only on a cache miss: in a fresh process its parser and its first
 * transforms cost more than loading all of the project's TypeScript from the cache.
 *
 * Sucrase keeps line numbers, so stack traces point at the right lines without the inline source
 * maps `sucrase/register` adds. Files under node_modules are left to the `.js` loader, as there.
 * Without a writable cache folder it still works, transforming every time.
 * Plain JavaScript: it is what makes TypeScript loadable.
 */
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const { threadId } = require("worker_threads");

const SUCRASE_DIR = path.dirname(require.resolve("sucrase/package.json"));
const SUCRASE_VERSION = JSON.parse(fs.readFileSync(path.join(SUCRASE_DIR, "package.json"), "utf8")).version;
const OPTIONS = { transforms: ["imports", "typescript"] };
const CACHE_DIR = path.resolve(__dirname, "..", "node_modules", ".cache", "netra-sucrase");
const IN_NODE_MODULES = /[\\/]node_modules[\\/]/;
const INSTALLED = Symbol.for("netra.cached-sucrase-register");

let sucrase;
let cacheWritable = true;

/** The JavaScript for one TypeScript file: from the cache, else transformed and cached. */
function transpile(source, filename) {
    const key = crypto
        .createHash("sha256")
        .update(`${SUCRASE_VERSION}\0${JSON.stringify(OPTIONS)}\0${filename}\0${source}`)
        .digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // not cached yet
    }
    sucrase ??= require(SUCRASE_DIR);
    const code = sucrase.transform(source, { ...OPTIONS, filePath: filename }).code;
    if (cacheWritable) {
        try {
            fs.mkdirSync(CACHE_DIR, { recursive: true });
            // Written aside, then renamed: a concurrent process (or thread: the check's program runs in
            // a worker) reads the whole file or none.
            const partial = `${cached}.${process.pid}.${threadId}.tmp`;
            fs.writeFileSync(partial, code);
            fs.renameSync(partial, cached);
        } catch {
            cacheWritable = false;
        }
    }
    return code;
}

if (!global[INSTALLED]) {
    global[INSTALLED] = true;
    const jsLoader = Module._extensions[".js"];
    Module._extensions[".ts"] = function loadTypeScript(module, filename) {
        if (IN_NODE_MODULES.test(filename)) {
            return jsLoader(module, filename);
        }
        module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
    };
}
