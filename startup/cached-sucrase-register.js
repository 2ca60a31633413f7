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
 * The key, the cache and the loader are in sucrase-cache.js; this installs them once per thread.
 * Plain JavaScript: it is what makes TypeScript loadable.
 */
const fs = require("fs");
const Module = require("module");
const path = require("path");
const { cachedTranspiler, typeScriptLoader } = require("./sucrase-cache");

const SUCRASE_DIR = path.dirname(require.resolve("sucrase/package.json"));
const SUCRASE_VERSION = JSON.parse(fs.readFileSync(path.join(SUCRASE_DIR, "package.json"), "utf8")).version;
const CACHE_DIR = path.resolve(__dirname, "..", "node_modules", ".cache", "netra-sucrase");
const INSTALLED = Symbol.for("netra.cached-sucrase-register");

if (!global[INSTALLED]) {
    global[INSTALLED] = true;
    const transpile = cachedTranspiler(CACHE_DIR, SUCRASE_VERSION, () => require(SUCRASE_DIR));
    Module._extensions[".ts"] = typeScriptLoader(Module._extensions[".js"], transpile);
}
