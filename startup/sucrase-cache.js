"use strict";
/**
 * The parts of startup/cached-sucrase-register.js that decide what is cached and when: the cache
 * key, the transform served from the cache or made and written, and the `.ts` loader. Apart from the
 * hook's installation, so that they can be tested in process. Plain JavaScript: it is what makes
 * TypeScript loadable.
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { threadId } = require("worker_threads");

/** The transforms of `sucrase/register/ts`. */
const OPTIONS = { transforms: ["imports", "typescript"] };
const IN_NODE_MODULES = /[\\/]node_modules[\\/]/;

/** The cache file's name (without `.js`) for one file: a hash of everything sucrase's output depends on. */
function cacheKey(sucraseVersion, filename, source) {
    return crypto
        .createHash("sha256")
        .update(`${sucraseVersion}\0${JSON.stringify(OPTIONS)}\0${filename}\0${source}`)
        .digest("hex");
}

/**
 * `transpile(source, filename)`: the JavaScript for one TypeScript file, from `cacheDir`, else
 * transformed by the sucrase `loadSucrase()` returns (called on the first miss only) and cached.
 * Without a writable cache folder it still works, transforming every time.
 */
function cachedTranspiler(cacheDir, sucraseVersion, loadSucrase) {
    let sucrase;
    let cacheWritable = true;
    return function transpile(source, filename) {
        const cached = path.join(cacheDir, `${cacheKey(sucraseVersion, filename, source)}.js`);
        try {
            return fs.readFileSync(cached, "utf8");
        } catch {
            // not cached yet
        }
        sucrase ??= loadSucrase();
        const code = sucrase.transform(source, { ...OPTIONS, filePath: filename }).code;
        if (cacheWritable) {
            try {
                fs.mkdirSync(cacheDir, { recursive: true });
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
    };
}

/** The `.ts` loader: files under node_modules go to the `.js` loader (as with `sucrase/register`), the rest are transpiled. */
function typeScriptLoader(jsLoader, transpile) {
    return function loadTypeScript(module, filename) {
        if (IN_NODE_MODULES.test(filename)) {
            return jsLoader(module, filename);
        }
        module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
    };
}

module.exports = { cacheKey, cachedTranspiler, typeScriptLoader };
