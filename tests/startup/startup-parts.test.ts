/**
 * The start-up hooks' logic, in process with stand-ins for sucrase and Node's module loader: what
 * the sucrase cache keys on and when it is read, written or bypassed, and which of the SDK's requires
 * are deferred and how the stand-in behaves. Their installation in a real process is proven by
 * tests/speed/startup.test.ts (spawned).
 */
import { expect } from "chai";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

interface Sucrase {
    transform(source: string, options: { transforms: string[]; filePath: string }): { code: string };
}
type Transpile = (source: string, filename: string) => string;
type Loader = (module: { _compile(code: string, filename: string): void }, filename: string) => unknown;
const { cacheKey, cachedTranspiler, typeScriptLoader } = require("../../startup/sucrase-cache") as {
    cacheKey(version: string, filename: string, source: string): string;
    cachedTranspiler(cacheDir: string, version: string, loadSucrase: () => Sucrase): Transpile;
    typeScriptLoader(jsLoader: Loader, transpile: Transpile): Loader;
};
type Load = (this: unknown, request: string, parent: { filename?: unknown } | undefined, isMain: boolean) => unknown;
const { mayDefer, defersRequest, lazyModule, deferringLoad } = require("../../startup/lazy-module") as {
    mayDefer(from: unknown): boolean;
    defersRequest(request: string, from: unknown, filename: string): boolean;
    lazyModule<T extends object>(load: () => T): T;
    deferringLoad(
        load: Load,
        moduleApi: { _resolveFilename(request: string, parent: unknown, isMain: boolean): string; _cache: Record<string, unknown> },
    ): Load;
};

const sha256 = (text: string): string => crypto.createHash("sha256").update(text).digest("hex");

describe("start-up: the sucrase cache", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "netra-sucrase-cache-")));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** A stand-in sucrase that marks its output, and counts how often it was loaded and used. */
    function fakeSucrase(): { load: () => Sucrase; loads: () => number; calls: unknown[][] } {
        let loads = 0;
        const calls: unknown[][] = [];
        const sucrase: Sucrase = {
            transform: (source, options) => {
                calls.push([source, options]);
                return { code: `/* js */ ${source}` };
            },
        };
        return {
            load: () => {
                loads++;
                return sucrase;
            },
            loads: () => loads,
            calls,
        };
    }

    it("keys a file on sucrase's version, its transforms, its path and its text", () => {
        expect(cacheKey("3.35.1", "/a.ts", "const a = 1;")).to.equal(
            sha256('3.35.1\0{"transforms":["imports","typescript"]}\0/a.ts\0const a = 1;'),
        );
        const keys = new Set([
            cacheKey("3.35.1", "/a.ts", "x"),
            cacheKey("3.35.2", "/a.ts", "x"),
            cacheKey("3.35.1", "/b.ts", "x"),
            cacheKey("3.35.1", "/a.ts", "y"),
        ]);
        expect(keys.size).to.equal(4);
    });

    it("transforms a file it has not seen with sucrase's TypeScript transforms, and writes the result under its key", () => {
        const sucrase = fakeSucrase();
        const transpile = cachedTranspiler(path.join(dir, "cache"), "1.0.0", sucrase.load);
        expect(transpile("let a: number;", "/p/a.ts")).to.equal("/* js */ let a: number;");
        expect(sucrase.calls).to.deep.equal([["let a: number;", { transforms: ["imports", "typescript"], filePath: "/p/a.ts" }]]);
        expect(fs.readdirSync(path.join(dir, "cache"))).to.deep.equal([`${cacheKey("1.0.0", "/p/a.ts", "let a: number;")}.js`]);
        expect(fs.readFileSync(path.join(dir, "cache", `${cacheKey("1.0.0", "/p/a.ts", "let a: number;")}.js`), "utf8")).to.equal(
            "/* js */ let a: number;",
        );
    });

    it("serves a cached file without loading sucrase, and loads sucrase once for every miss after", () => {
        fs.writeFileSync(path.join(dir, `${cacheKey("1.0.0", "/p/a.ts", "A")}.js`), "from the cache");
        const sucrase = fakeSucrase();
        const transpile = cachedTranspiler(dir, "1.0.0", sucrase.load);
        expect(transpile("A", "/p/a.ts")).to.equal("from the cache");
        expect(sucrase.loads()).to.equal(0);
        expect([transpile("B", "/p/b.ts"), transpile("C", "/p/c.ts"), transpile("B", "/p/b.ts")]).to.deep.equal([
            "/* js */ B",
            "/* js */ C",
            "/* js */ B",
        ]);
        expect([sucrase.loads(), sucrase.calls.length]).to.deep.equal([1, 2]);
    });

    it("transforms a changed file again, and leaves no partial file behind", () => {
        const sucrase = fakeSucrase();
        const transpile = cachedTranspiler(dir, "1.0.0", sucrase.load);
        transpile("one", "/p/a.ts");
        expect(transpile("two", "/p/a.ts")).to.equal("/* js */ two");
        expect(fs.readdirSync(dir).sort()).to.deep.equal(
            [`${cacheKey("1.0.0", "/p/a.ts", "one")}.js`, `${cacheKey("1.0.0", "/p/a.ts", "two")}.js`].sort(),
        );
    });

    it("still transforms without a writable cache folder, and stops trying to write to it", () => {
        const blocked = path.join(dir, "blocked");
        fs.writeFileSync(blocked, "a file where the folder should be");
        const sucrase = fakeSucrase();
        const transpile = cachedTranspiler(blocked, "1.0.0", sucrase.load);
        expect(transpile("A", "/p/a.ts")).to.equal("/* js */ A");
        // The folder becomes writable: a transpiler that found it unwritable does not try again.
        fs.rmSync(blocked);
        expect(transpile("B", "/p/b.ts")).to.equal("/* js */ B");
        expect(fs.existsSync(blocked)).to.equal(false);
    });

    it("loads a TypeScript file through the transform, and leaves files under node_modules to the .js loader", () => {
        const file = path.join(dir, "module.ts");
        fs.writeFileSync(file, "export const a: number = 1;");
        const compiled: string[][] = [];
        const jsLoaded: string[] = [];
        const loader = typeScriptLoader(
            (_module, filename) => jsLoaded.push(filename),
            (source, filename) => `compiled(${typeof source === "string" ? source : "not text"}) of ${filename}`,
        );
        const module = { _compile: (code: string, filename: string) => compiled.push([code, filename]) };
        loader(module, file);
        expect(compiled).to.deep.equal([[`compiled(export const a: number = 1;) of ${file}`, file]]);
        for (const inModules of ["/p/node_modules/x/index.ts", "C:\\p\\node_modules\\x\\index.ts"]) {
            loader(module, inModules);
        }
        expect(jsLoaded).to.deep.equal(["/p/node_modules/x/index.ts", "C:\\p\\node_modules\\x\\index.ts"]);
        // Only a whole node_modules folder counts.
        for (const name of ["xnode_modules", "node_modules_extra"]) {
            const nearly = path.join(dir, name, "module.ts");
            fs.mkdirSync(path.dirname(nearly));
            fs.writeFileSync(nearly, "1");
            loader(module, nearly);
            expect(compiled.at(-1)).to.deep.equal([`compiled(1) of ${nearly}`, nearly]);
        }
        expect(jsLoaded).to.have.length(2);
    });
});

describe("start-up: the SDK's heavy modules, deferred", () => {
    const SDK = path.join("/app", "node_modules", "@pulumi", "pulumi");

    it("defers TypeScript only when the SDK's typescript-shim asks, and arborist only when its codePaths asks", () => {
        const resolved = "/resolved/index.js";
        expect(defersRequest("typescript", path.join(SDK, "typescript-shim.js"), resolved)).to.equal(true);
        expect(defersRequest("@npmcli/arborist", path.join(SDK, "runtime", "closure", "codePaths.js"), resolved)).to.equal(true);
        expect(defersRequest("typescript", path.join(SDK, "runtime", "closure", "codePaths.js"), resolved)).to.equal(false);
        expect(defersRequest("@npmcli/arborist", path.join(SDK, "typescript-shim.js"), resolved)).to.equal(false);
        expect(defersRequest("typescript", path.join("/app", "node_modules", "other", "pulumi", "typescript-shim.js"), resolved)).to.equal(
            false,
        );
        expect(defersRequest("typescript", path.join("/app", "my-pulumi", "typescript-shim.js"), resolved)).to.equal(false);
        expect(defersRequest("yaml", path.join(SDK, "typescript-shim.js"), resolved)).to.equal(false);
        expect(defersRequest("typescript", undefined, resolved)).to.equal(false);
        expect(defersRequest("typescript", 3, resolved)).to.equal(false);
    });

    it("defers the code paths' other helpers and the Automation API, each only from the SDK file that asks for it", () => {
        const codePaths = path.join(SDK, "runtime", "closure", "codePaths.js");
        const resolved = "/resolved/index.js";
        expect(["normalize-package-data", "fdir"].map((request) => defersRequest(request, codePaths, resolved))).to.deep.equal([
            true,
            true,
        ]);
        expect(defersRequest("./automation", path.join(SDK, "index.js"), resolved)).to.equal(true);
        expect(defersRequest("./automation", codePaths, resolved)).to.equal(false);
        expect(defersRequest("fdir", path.join(SDK, "index.js"), resolved)).to.equal(false);
    });

    it("defers a gcp namespace only when it resolves to that namespace's own index, never provider, utils or a file", () => {
        const gcpIndex = path.join("/app", "node_modules", "@pulumi", "gcp", "index.js");
        const gcp = (name: string) => path.join("/app", "node_modules", "@pulumi", "gcp", name);
        expect(defersRequest("./cloudrunv2", gcpIndex, gcp(path.join("cloudrunv2", "index.js")))).to.equal(true);
        expect(defersRequest("./cloudrunv2", gcpIndex, gcp(path.join("serviceaccount", "index.js")))).to.equal(false);
        expect(defersRequest("./provider", gcpIndex, gcp("provider.js"))).to.equal(false);
        expect(defersRequest("./utilities", gcpIndex, gcp("utilities.js"))).to.equal(false);
        expect(defersRequest("./Cloudrunv2", gcpIndex, gcp(path.join("Cloudrunv2", "index.js")))).to.equal(false);
        expect(defersRequest("../cloudrunv2", gcpIndex, gcp(path.join("cloudrunv2", "index.js")))).to.equal(false);
        expect(defersRequest("./cloudrunv2", gcp(path.join("cloudrunv2", "index.js")), gcp(path.join("cloudrunv2", "index.js")))).to.equal(
            false,
        );
    });

    it("resolves a require only when the file asking is one whose requires may be deferred", () => {
        expect(mayDefer(path.join(SDK, "index.js"))).to.equal(true);
        expect(mayDefer(path.join("/app", "node_modules", "@pulumi", "gcp", "index.js"))).to.equal(true);
        expect(mayDefer(path.join(SDK, "output.js"))).to.equal(false);
        expect(mayDefer(path.join("/app", "@pulumi", "pulumi", "index.js"))).to.equal(false);
        expect(mayDefer(undefined)).to.equal(false);
    });

    it("stands in for a module until it is first used, then behaves as the module", () => {
        let loads = 0;
        const real = { version: "5.9.3", nested: { a: 1 }, hidden: 2 };
        Object.defineProperty(real, "hidden", { enumerable: false, configurable: false, writable: false, value: 2 });
        const lazy = lazyModule(() => {
            loads++;
            return real;
        }) as typeof real & { __esModule: boolean; default: unknown };
        expect(lazy.__esModule).to.equal(true);
        expect(loads).to.equal(0);
        expect(lazy.version).to.equal("5.9.3");
        expect(lazy.default).to.equal(real);
        expect(["version" in lazy, "missing" in lazy]).to.deep.equal([true, false]);
        expect(Object.keys(lazy)).to.deep.equal(["version", "nested"]);
        expect(Reflect.ownKeys(lazy)).to.deep.equal(["version", "nested", "hidden"]);
        // Proxy rules need a configurable descriptor for a property the stand-in's own target lacks.
        expect(Object.getOwnPropertyDescriptor(lazy, "hidden")).to.deep.equal({
            value: 2,
            writable: false,
            enumerable: false,
            configurable: true,
        });
        expect(Object.getOwnPropertyDescriptor(lazy, "missing")).to.equal(undefined);
        lazy.version = "6";
        expect(real.version).to.equal("6");
        expect(loads).to.equal(1);
    });

    it("gives an ES module's own default export", () => {
        const lazy = lazyModule(() => ({ __esModule: true, default: "the default" })) as { default: unknown };
        expect(lazy.default).to.equal("the default");
    });

    describe("the module loader, wrapped", () => {
        const parent = { filename: path.join(SDK, "typescript-shim.js") };
        function wrapped(cache: Record<string, unknown> = {}, resolve: (request: string) => string = (request) => `/resolved/${request}`) {
            const loaded: unknown[][] = [];
            const returned: unknown[] = [];
            const load: Load = function (this: unknown, request, from, isMain) {
                loaded.push([this, request, from, isMain]);
                const module = { loaded: request };
                returned.push(module);
                return module;
            };
            const loadDeferred = deferringLoad(load, { _resolveFilename: resolve, _cache: cache });
            return { loadDeferred, loaded, returned };
        }

        it("loads every other request at once, with its own `this` and arguments", () => {
            const { loadDeferred, loaded, returned } = wrapped();
            const self = { self: true };
            const yaml = loadDeferred.call(self, "yaml", parent, false);
            const typescript = loadDeferred.call(self, "typescript", undefined, true);
            // The module itself, loaded at once: no stand-in.
            expect(loaded).to.have.length(2);
            expect([yaml === returned[0], typescript === returned[1]]).to.deep.equal([true, true]);
            expect(loaded).to.deep.equal([
                [self, "yaml", parent, false],
                [self, "typescript", undefined, true],
            ]);
        });

        it("gives a deferred request a stand-in that loads it on first use, the same one every time", () => {
            const { loadDeferred, loaded } = wrapped();
            const self = { self: true };
            const first = loadDeferred.call(self, "typescript", parent, false) as { loaded: string };
            const second = loadDeferred.call(self, "typescript", parent, false);
            expect(first).to.equal(second);
            expect(loaded).to.deep.equal([]);
            expect(first.loaded).to.equal("typescript");
            expect(loaded).to.deep.equal([[self, "typescript", parent, false]]);
        });

        it("loads at once a module already loaded, or one that does not resolve (the SDK's fallback runs)", () => {
            const cached = wrapped({ "/resolved/typescript": {} });
            const fromCache = cached.loadDeferred.call(null, "typescript", parent, false);
            expect(cached.loaded).to.have.length(1);
            expect(fromCache === cached.returned[0]).to.equal(true);
            const missing = wrapped({}, () => {
                throw new Error("Cannot find module 'typescript'");
            });
            const fallback = missing.loadDeferred.call(null, "typescript", parent, false);
            expect(missing.loaded).to.have.length(1);
            expect(fallback === missing.returned[0]).to.equal(true);
        });
    });
});
