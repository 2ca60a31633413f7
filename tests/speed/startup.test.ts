import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/staging-fixture";
import { scratchDir } from "./scratch-dir";

const LAZY = path.join(REPO_ROOT, "startup", "lazy-sdk-modules.js");
const CACHED_SUCRASE = path.join(REPO_ROOT, "startup", "cached-sucrase-register.js");
const CACHE_DIR = path.join(REPO_ROOT, "node_modules", ".cache", "netra-sucrase");

/**
 * Runs `script` in a fresh node with `preloads`; returns its stdout lines. Stderr must stay empty but
 * for Node's warnings when `warnings` (serializing a function touches deprecated builtins).
 */
function node(preloads: readonly string[], script: string, warnings = false): string[] {
    const result = spawnSync(process.execPath, [...preloads.flatMap((file) => ["-r", file]), "-e", script], {
        cwd: REPO_ROOT,
        encoding: "utf8",
    });
    const stderr = warnings
        ? result.stderr.split("\n").filter((line) => !/^\(node:\d+\) (\[DEP\d+\] )?\w*Warning: |^\(Use `node --trace-|^$/.test(line))
        : [result.stderr];
    expect({ status: result.status, stderr }).to.deep.equal({ status: 0, stderr: warnings ? [] : [""] });
    return result.stdout.trim().split("\n");
}

/** Prints how many files of TypeScript and of arborist are loaded. */
const LOADED =
    'const loaded = (name) => Object.keys(require.cache).some((file) => file.includes(`${require("path").sep}node_modules${require("path").sep}${name}${require("path").sep}`));' +
    'const report = (when) => console.log(`${when}: typescript ${loaded("typescript")}, arborist ${loaded(require("path").join("@npmcli", "arborist"))}`);';

describe("start-up: @pulumi/pulumi's unused heavy parts load on first use", () => {
    it("loads neither TypeScript nor arborist with the SDK, and both when a function is serialized and its code paths computed", () => {
        const lines = node(
            [LAZY],
            `${LOADED} const pulumi = require("@pulumi/pulumi"); report("sdk loaded");` +
                '(async () => { const s = await pulumi.runtime.serializeFunction(function add(a) { return a + 1; }); console.log(s.text.includes("a + 1"));' +
                'report("function serialized"); const paths = await pulumi.runtime.computeCodePaths({ extraIncludePackages: ["yaml"] });' +
                'console.log([...paths.keys()].some((p) => p.endsWith(require("path").join("node_modules", "yaml")))); report("code paths computed"); })();',
            true,
        );
        expect(lines).to.deep.equal([
            "sdk loaded: typescript false, arborist false",
            "true",
            "function serialized: typescript true, arborist false",
            "true",
            "code paths computed: typescript true, arborist true",
        ]);
    });

    it("uses the copy already loaded (as run-policy-pack loads TypeScript before the pack)", () => {
        const lines = node(
            [LAZY],
            `${LOADED} const ts = require("typescript"); const pulumi = require("@pulumi/pulumi"); report("sdk loaded");`,
        );
        expect(lines).to.deep.equal(["sdk loaded: typescript true, arborist false"]);
    });

    it("without it, the bare SDK loads both (what the floor of the benchmarks pays)", () => {
        expect(node([], `${LOADED} require("@pulumi/pulumi"); report("sdk loaded");`)).to.deep.equal([
            "sdk loaded: typescript true, arborist true",
        ]);
    });
});

/** Prints which of @pulumi/pulumi's deferred dependencies are loaded, by package or SDK folder. */
const PARTS =
    'const sep = require("path").sep; const has = (part) => Object.keys(require.cache).some((file) => file.includes(part.split("/").join(sep)));' +
    'const parts = (when) => console.log(`${when}: ${["/@pulumi/pulumi/automation/", "/execa/", "/normalize-package-data/", "/fdir/"].filter(has).join(" ") || "none"}`);';

describe("start-up: @pulumi/pulumi's Automation API and code-path helpers load on first use", () => {
    it("loads neither the Automation API (with execa) nor normalize-package-data and fdir with the SDK", () => {
        expect(node([LAZY], `${PARTS} require("@pulumi/pulumi"); parts("sdk loaded");`)).to.deep.equal(["sdk loaded: none"]);
    });

    it("loads the Automation API, with execa, on its first use, and it works as before", () => {
        const lines = node(
            [LAZY],
            `${PARTS} const pulumi = require("@pulumi/pulumi"); parts("sdk loaded");` +
                "console.log(typeof pulumi.automation.LocalWorkspace.create, pulumi.automation.fullyQualifiedStackName('org', 'proj', 'dev'));" +
                'parts("automation used");',
        );
        expect(lines).to.deep.equal(["sdk loaded: none", "function org/proj/dev", "automation used: /@pulumi/pulumi/automation/ /execa/"]);
    });

    it("loads normalize-package-data and fdir when code paths are computed", () => {
        const lines = node(
            [LAZY],
            `${PARTS} const pulumi = require("@pulumi/pulumi");` +
                '(async () => { const paths = await pulumi.runtime.computeCodePaths({ extraIncludePackages: ["yaml"] });' +
                'console.log([...paths.keys()].some((p) => p.endsWith(require("path").join("node_modules", "yaml")))); parts("code paths computed"); })();',
            true,
        );
        expect(lines).to.deep.equal(["true", "code paths computed: /normalize-package-data/ /fdir/"]);
    });

    it("without it, the bare SDK loads all of them (what the floor of the benchmarks pays)", () => {
        expect(node([], `${PARTS} require("@pulumi/pulumi"); parts("sdk loaded");`)).to.deep.equal([
            "sdk loaded: /@pulumi/pulumi/automation/ /execa/ /normalize-package-data/ /fdir/",
        ]);
    });
});

/** Prints the @pulumi/gcp namespaces loaded (folders whose index.js is in the module cache), sorted. */
const GCP_NAMESPACES =
    'const path = require("path"); const gcpDir = path.dirname(require.resolve("@pulumi/gcp/package.json"));' +
    'const namespaces = (when) => console.log(`${when}: ${Object.keys(require.cache).filter((file) => path.dirname(path.dirname(file)) === gcpDir && path.basename(file) === "index.js").map((file) => path.basename(path.dirname(file))).sort().join(" ") || "none"}`);';

describe("start-up: @pulumi/gcp's namespaces load on first use", () => {
    it("loads no namespace with the package, only each one the program uses, and its resources work as before", () => {
        const lines = node(
            [LAZY],
            `${GCP_NAMESPACES} const gcp = require("@pulumi/gcp"); namespaces("gcp loaded");` +
                'console.log(typeof gcp.Provider, typeof gcp.cloudrunv2.Service, gcp.cloudrunv2.Service.isInstance({}), "Account" in gcp.serviceaccount);' +
                'namespaces("two used"); console.log(Object.keys(gcp).includes("workstations"));',
        );
        expect(lines).to.deep.equal(["gcp loaded: none", "function function false true", "two used: cloudrunv2 serviceaccount", "true"]);
    });

    it("registers a namespace's resource modules with the SDK when it is first used, as its index does", () => {
        const lines = node(
            [LAZY],
            'const gcp = require("@pulumi/gcp"); const rpc = require("@pulumi/pulumi/runtime/rpc");' +
                'const registered = () => rpc.getResourceModule("gcp", "cloudrunv2/service", undefined) !== undefined;' +
                "console.log(registered()); void gcp.cloudrunv2.Service; console.log(registered());",
        );
        expect(lines).to.deep.equal(["false", "true"]);
    });

    it("without it, the package loads every namespace (what the program paid before)", () => {
        const lines = node([], `${GCP_NAMESPACES} require("@pulumi/gcp"); namespaces("gcp loaded");`);
        expect(lines).to.have.length(1);
        expect(lines[0].split(" ")).to.include.members(["accessapproval", "cloudrunv2", "serviceaccount", "workstations"]);
    });
});

describe("start-up: sucrase's output is cached", () => {
    let dir: string;
    before(() => {
        dir = scratchDir({
            "module.ts": 'const greeting: string = "hello";\nexport const shout = (name: string): string => `${greeting}, ${name}!`;\n',
        });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const load = `console.log(require(${JSON.stringify(path.join("MODULE_DIR", "module.ts"))}).shout("cache"));`;
    const cached = (): string[] =>
        readdirSync(CACHE_DIR).filter((file) => readFileSync(path.join(CACHE_DIR, file), "utf8").includes("MARK_"));

    it("strips the types, writes the result once, and serves the cached file next time", () => {
        const file = path.join(dir, "module.ts");
        writeFileSync(file, readFileSync(file, "utf8").replace('"hello"', '"MARK_one"'));
        const script = load.replace("MODULE_DIR", dir);
        expect(node([CACHED_SUCRASE], script)).to.deep.equal(["MARK_one, cache!"]);
        const entries = readdirSync(CACHE_DIR).filter((entry) => readFileSync(path.join(CACHE_DIR, entry), "utf8").includes("MARK_one"));
        expect(entries).to.have.length(1);
        expect(readFileSync(path.join(CACHE_DIR, entries[0]), "utf8")).to.contain('const greeting = "MARK_one";');
        // The second process finds the cached file: proven by editing the cache entry and seeing the edit.
        writeFileSync(
            path.join(CACHE_DIR, entries[0]),
            readFileSync(path.join(CACHE_DIR, entries[0]), "utf8").replace("MARK_one", "MARK_from_cache"),
        );
        expect(node([CACHED_SUCRASE], script)).to.deep.equal(["MARK_from_cache, cache!"]);
        rmSync(path.join(CACHE_DIR, entries[0]));
    });

    it("transforms a changed file again instead of serving the old result", () => {
        const file = path.join(dir, "module.ts");
        const script = load.replace("MODULE_DIR", dir);
        writeFileSync(file, readFileSync(file, "utf8").replace(/"MARK_[a-z]+"|"hello"/, '"MARK_two"'));
        expect(node([CACHED_SUCRASE], script)).to.deep.equal(["MARK_two, cache!"]);
        writeFileSync(file, readFileSync(file, "utf8").replace('"MARK_two"', '"MARK_three"'));
        expect(node([CACHED_SUCRASE], script)).to.deep.equal(["MARK_three, cache!"]);
        for (const entry of cached()) {
            rmSync(path.join(CACHE_DIR, entry));
        }
    });
});
