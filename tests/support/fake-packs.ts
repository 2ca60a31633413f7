/**
 * Stand-ins for a policy pack, started by check/pack-process.ts exactly as a real one (it resolves
 * `@pulumi/pulumi/cmd/run-policy-pack` from the pack folder and runs it there). The stand-in
 * run-policy-pack is a few lines of plain JavaScript that requires the pack folder, as the real one
 * does, so a fake pack is an `index.js` that behaves as the test needs: prints a port (of a server
 * the test runs in process), prints garbage, exits, or says nothing. A bare node starts in tens of
 * milliseconds, so these tests can run in process and be judged by mutation testing.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { PolicyPackError } from "../../check/policy-pack-error";

/** The fake run-policy-pack: drops the engine address, requires the pack folder (argv `.`), as run.js does. */
const RUNNER = `"use strict";
process.argv.splice(2, 1);
require(require("path").resolve(process.argv[2]));
`;

/** A folder of fake packs sharing one fake @pulumi/pulumi; `remove()` deletes it all. */
export interface FakePacks {
    readonly root: string;
    /** Writes a pack folder `name` whose index.js is `source`; returns its absolute path. */
    pack(name: string, source: string, files?: Readonly<Record<string, string>>): string;
    remove(): void;
}

export function fakePacks(): FakePacks {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "netra-fake-packs-")));
    const sdk = path.join(root, "node_modules", "@pulumi", "pulumi");
    fs.mkdirSync(path.join(sdk, "cmd", "run-policy-pack"), { recursive: true });
    fs.writeFileSync(path.join(sdk, "package.json"), JSON.stringify({ name: "@pulumi/pulumi", version: "0.0.0" }));
    fs.writeFileSync(path.join(sdk, "cmd", "run-policy-pack", "index.js"), RUNNER);
    // What check/pack-skip-typescript-preload.js patches in the real SDK (transpiling only).
    fs.writeFileSync(path.join(sdk, "tsutils.js"), "exports.loadTypeScriptCompilerOptions = () => ({});\n");
    return {
        root,
        pack(name, source, files = {}) {
            const dir = path.join(root, name);
            fs.mkdirSync(dir, { recursive: true });
            fs.writeFileSync(path.join(dir, "index.js"), source);
            for (const [file, text] of Object.entries(files)) {
                fs.writeFileSync(path.join(dir, file), text);
            }
            return dir;
        },
        remove: () => fs.rmSync(root, { recursive: true, force: true }),
    };
}

/** True while a process with this id exists. */
export function isRunning(pid: number | undefined): boolean {
    if (pid === undefined) {
        return false;
    }
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** The kind and message of the PolicyPackError `promise` rejects with; fails the test when it resolves or rejects otherwise. */
export async function failure(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
    try {
        await promise;
    } catch (error) {
        expect(error).to.be.instanceOf(PolicyPackError);
        return { kind: (error as PolicyPackError).kind, message: (error as PolicyPackError).message };
    }
    return expect.fail("expected a PolicyPackError");
}

/** A port that was free a moment ago: nothing answers there. */
export function unservedPort(): Promise<number> {
    return new Promise<number>((resolve) => {
        const server = net.createServer().listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}
