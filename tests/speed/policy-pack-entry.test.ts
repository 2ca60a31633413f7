import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { PackProcess } from "../../check/pack-process";
import { packEntryPoint } from "../../check/policy-pack-project";
import { REPO_ROOT } from "../support/staging-fixture";
import { scratchDir } from "./scratch-dir";

const PACK_DIR = path.join(REPO_ROOT, "policies");
const SKIP_TYPESCRIPT_PRELOAD = path.join(REPO_ROOT, "check", "pack-skip-typescript-preload.js");

/** Starts a pack exactly as the CLI's run-policy-pack does (no transpile-only preload) and waits for its port. */
async function portOf(dir: string): Promise<{ port: number | undefined; stderr: string[] }> {
    const pack = new PackProcess({ dir, runtimeArgs: [], env: process.env, transpileOnly: false, startTimeoutMs: 120_000 });
    try {
        return { port: await pack.port, stderr: pack.stderrTail() };
    } catch (error) {
        return { port: undefined, stderr: [(error as Error).message, ...pack.stderrTail()] };
    } finally {
        await pack.kill();
    }
}

describe("the policy pack's entry point under the CLI's run-policy-pack", () => {
    it("is the JavaScript file run-policy-pack resolves from the pack folder (package.json main)", () => {
        expect(packEntryPoint(PACK_DIR)).to.equal(path.join(PACK_DIR, "index.js"));
        const manifest = JSON.parse(readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        // The entry's loader is the pack's own dependency: an installed or published pack has it.
        expect(manifest.dependencies.sucrase).to.match(/^\d+\.\d+\.\d+$/);
    });

    it("resolves entries as Node does: main with extensions tried, then the index files", () => {
        const dir = scratchDir({ "package.json": JSON.stringify({ main: "lib/pack" }), "index.ts": "" });
        try {
            expect(packEntryPoint(dir)).to.equal(path.join(dir, "index.ts"));
            const withMain = scratchDir({ "package.json": JSON.stringify({ main: "pack" }), "pack.ts": "", "index.js": "" });
            try {
                expect(packEntryPoint(withMain)).to.equal(path.join(withMain, "pack.ts"));
            } finally {
                rmSync(withMain, { recursive: true, force: true });
            }
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("a pack with this entry whose TypeScript has a type error", () => {
        let dir: string;
        before(() => {
            dir = scratchDir({
                "package.json": JSON.stringify({ name: "typed-fixture", version: "0.0.1", main: "index.js" }),
                "PulumiPolicy.yaml": "runtime: nodejs\n",
                "index.js": readFileSync(path.join(PACK_DIR, "index.js"), "utf8"),
                "index.ts":
                    'import { PolicyPack } from "@pulumi/policy";\nconst count: number = "many";\nnew PolicyPack(`typed-${count}`, { policies: [] });\n',
            });
        });
        after(() => rmSync(dir, { recursive: true, force: true }));

        it("starts and prints its port: run-policy-pack's type-checking ts-node is turned off", async () => {
            const { port, stderr } = await portOf(dir);
            expect(stderr).to.deep.equal([]);
            expect(port).to.be.a("number").greaterThan(0);
        });

        it("fails with TS2322 when the entry is the TypeScript file itself (what run-policy-pack did before)", async () => {
            const typed = scratchDir({
                "package.json": JSON.stringify({ name: "typed-fixture", version: "0.0.1", main: "index.ts" }),
                "PulumiPolicy.yaml": "runtime: nodejs\n",
                "index.ts": readFileSync(path.join(dir, "index.ts"), "utf8"),
            });
            try {
                const { port, stderr } = await portOf(typed);
                expect(port).to.equal(undefined);
                expect(stderr.join("\n")).to.contain("error TS2322: Type 'string' is not assignable to type 'number'.");
            } finally {
                rmSync(typed, { recursive: true, force: true });
            }
        });
    });

    describe("started offline, transpiling only (check/pack-skip-typescript-preload.js)", () => {
        let dir: string;
        before(() => {
            // A pack that says, before it starts, what run-policy-pack has loaded and registered.
            dir = scratchDir({
                "package.json": JSON.stringify({ name: "loaded-fixture", version: "0.0.1", main: "index.js" }),
                "PulumiPolicy.yaml": "runtime: nodejs\n",
                "index.js":
                    'const sep = require("path").sep;\n' +
                    "const loaded = (name) => Object.keys(require.cache).some((file) => file.includes(`${sep}node_modules${sep}${name}${sep}`));\n" +
                    'const registered = process[Symbol.for("ts-node.register.instance")] !== undefined;\n' +
                    'console.error(`typescript ${loaded("typescript")}, ts-node ${loaded("ts-node")}, registered ${registered}`);\n' +
                    'new (require("@pulumi/policy").PolicyPack)("loaded-fixture", { policies: [] });\n',
            });
        });
        after(() => rmSync(dir, { recursive: true, force: true }));

        async function startupLine(transpileOnly: boolean): Promise<string[]> {
            const pack = new PackProcess({ dir, runtimeArgs: [], env: process.env, transpileOnly, startTimeoutMs: 120_000 });
            try {
                expect(await pack.port)
                    .to.be.a("number")
                    .greaterThan(0);
            } finally {
                await pack.kill(); // its stderr is read to the end once it is gone
            }
            return pack.stderrTail();
        }

        it("loads neither TypeScript nor ts-node before the pack, and registers no ts-node", async () => {
            expect(await startupLine(true)).to.deep.equal(["typescript false, ts-node false, registered false"]);
        });

        it("while run-policy-pack as the CLI starts it loads both and registers a type-checking ts-node", async () => {
            expect(await startupLine(false)).to.deep.equal(["typescript true, ts-node true, registered true"]);
        });

        /** What run-policy-pack's index.js does with the SDK's v8 hooks, in a node with `preloads`; inspector sessions counted. */
        function v8HooksAsLauncher(preloads: readonly string[]): string[] {
            const script =
                'const inspector = require("inspector"); let sessions = 0; const connect = inspector.Session.prototype.connect;' +
                "inspector.Session.prototype.connect = function () { sessions++; return connect.call(this); };" +
                'const launcher = require.resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js");' +
                'const hooks = require("module").createRequire(launcher)("../../runtime/closure/v8Hooks");' +
                "(async () => { await hooks.isInitializedAsync(); console.log(`initialized: ${sessions} session`);" +
                "await hooks.getSessionAsync(); console.log(`session asked for: ${sessions} session`); })();";
            const result = spawnSync(process.execPath, [...preloads.flatMap((file) => ["-r", file]), "-e", script], {
                cwd: PACK_DIR,
                encoding: "utf8",
            });
            expect({ status: result.status, stderr: result.stderr }).to.deep.equal({ status: 0, stderr: "" });
            return result.stdout.trim().split("\n");
        }

        it("does not wait for an inspector session before the pack loads, and opens it when one is asked for", () => {
            expect(v8HooksAsLauncher([SKIP_TYPESCRIPT_PRELOAD])).to.deep.equal(["initialized: 0 session", "session asked for: 1 session"]);
        });

        it("while run-policy-pack as the CLI starts it opens the session first", () => {
            expect(v8HooksAsLauncher([])).to.deep.equal(["initialized: 1 session", "session asked for: 1 session"]);
        });
    });

    it("starts the real pack with no preload but the watchdog", async () => {
        const { port, stderr } = await portOf(PACK_DIR);
        expect(stderr).to.deep.equal([]);
        expect(port).to.be.a("number").greaterThan(0);
    });
});
