import { expect } from "chai";
import * as os from "node:os";
import * as path from "node:path";
import { describeExit, killLivePacks, packArguments, PackProcess, type PackProcessOptions, parsePort } from "../../check/pack-process";
import { type FakePacks, failure, fakePacks, isRunning } from "../support/fake-packs";

const CHECK_DIR = path.join(__dirname, "..", "..", "check");
const WATCHDOG = path.join(CHECK_DIR, "pack-parent-watchdog-preload.js");
const SKIP_TYPESCRIPT = path.join(CHECK_DIR, "pack-skip-typescript-preload.js");
const TRANSPILE_ONLY = path.join(CHECK_DIR, "pack-transpile-only-preload.js");

/** A pack that never ends by itself (its gRPC server would keep it alive). */
const STAY = "setInterval(() => undefined, 1000);\n";

describe("pack process: the command line", () => {
    it("always preloads the watchdog, then runs run-policy-pack with the offline engine address, the folder and the runtime options", () => {
        expect(
            packArguments({ transpileOnly: false, runtimeArgs: ["-a=1", "-b=2"] }, "/sdk/run-policy-pack", "/pack/index.ts"),
        ).to.deep.equal(["-r", WATCHDOG, "/sdk/run-policy-pack", "127.0.0.1:0", ".", "-a=1", "-b=2"]);
    });

    it("transpiling only, skips run-policy-pack's TypeScript, and gives a TypeScript entry sucrase", () => {
        const args = (entry: string | undefined): string[] => packArguments({ transpileOnly: true, runtimeArgs: [] }, "/r", entry);
        expect(args("/pack/index.js")).to.deep.equal(["-r", WATCHDOG, "-r", SKIP_TYPESCRIPT, "/r", "127.0.0.1:0", "."]);
        expect(args(undefined)).to.deep.equal(["-r", WATCHDOG, "-r", SKIP_TYPESCRIPT, "/r", "127.0.0.1:0", "."]);
        for (const entry of ["/pack/index.ts", "/pack/index.tsx", "/pack/index.mts", "/pack/index.cts"]) {
            expect(args(entry), entry).to.deep.equal([
                "-r",
                WATCHDOG,
                "-r",
                SKIP_TYPESCRIPT,
                "-r",
                TRANSPILE_ONLY,
                "/r",
                "127.0.0.1:0",
                ".",
            ]);
        }
        // Only the extension counts: a name that merely ends in "ts", or a .ts folder, is not TypeScript.
        for (const entry of ["/pack/reports", "/pack/index.ts.js", "/pack/indexts"]) {
            expect(args(entry), entry).to.deep.equal(["-r", WATCHDOG, "-r", SKIP_TYPESCRIPT, "/r", "127.0.0.1:0", "."]);
        }
    });
});

describe("pack process: the port line, as the CLI's parsePort reads it", () => {
    it("takes a whole decimal number, spaces and a carriage return around it, and a sign", () => {
        expect([parsePort("43215"), parsePort(" 8080\r"), parsePort("+80"), parsePort("1"), parsePort("65535")]).to.deep.equal([
            43215, 8080, 80, 1, 65535,
        ]);
    });

    it("refuses anything else in the line, at either end, quoting it trimmed", () => {
        expect(() => parsePort("listening on 8080")).to.throw('could not parse port: "listening on 8080"');
        expect(() => parsePort(" 8080x ")).to.throw('could not parse port: "8080x"');
        expect(() => parsePort("x8080")).to.throw('could not parse port: "x8080"');
        expect(() => parsePort("80 80")).to.throw('could not parse port: "80 80"');
        expect(() => parsePort("")).to.throw('could not parse port: ""');
    });

    it("refuses a number that is no TCP port", () => {
        expect(() => parsePort("0")).to.throw("invalid port number: 0");
        expect(() => parsePort("-1")).to.throw("invalid port number: -1");
        expect(() => parsePort("65536")).to.throw("invalid port number: 65536");
    });

    it("describes an exit by its signal when it has one, else by its code", () => {
        expect(describeExit({ code: 2, signal: null })).to.equal("exited with code 2");
        expect(describeExit({ code: null, signal: "SIGKILL" })).to.equal("was killed by SIGKILL");
        expect(describeExit({ code: 0, signal: null })).to.equal("exited with code 0");
    });
});

describe("pack process: a running pack (stand-in packs, started as the CLI starts one)", function () {
    this.timeout(20_000);
    let packs: FakePacks;
    const started: PackProcess[] = [];

    before(() => {
        packs = fakePacks();
    });
    afterEach(async () => {
        await Promise.all(started.splice(0).map((pack) => pack.kill()));
    });
    after(() => packs.remove());

    function start(dir: string, extra: Partial<PackProcessOptions> = {}): PackProcess {
        const pack = new PackProcess({ dir, runtimeArgs: [], env: process.env, transpileOnly: false, startTimeoutMs: 10_000, ...extra });
        started.push(pack);
        return pack;
    }

    it("resolves the port of the first stdout line, then hands on every later line of stdout and stderr", async () => {
        const dir = packs.pack(
            "talkative",
            'process.stdout.write("4242\\nfirst\\nsecond ");\n' +
                "setTimeout(() => {\n" +
                '    process.stdout.write("part\\nlast without newline");\n' +
                '    process.stderr.write("warn one\\r\\nwarn two\\ntail");\n' +
                "    setTimeout(() => process.exit(0), 50);\n" +
                "}, 50);\n",
        );
        const lines: Record<"stdout" | "stderr", string[]> = { stdout: [], stderr: [] };
        const pack = start(dir, { onOutput: (stream, line) => lines[stream].push(line) });
        expect(await pack.port).to.equal(4242);
        expect(await pack.exited).to.deep.equal({ code: 0, signal: null });
        expect(pack.exit).to.deep.equal({ code: 0, signal: null });
        expect(lines).to.deep.equal({
            stdout: ["first", "second part", "last without newline"],
            stderr: ["warn one", "warn two", "tail"],
        });
        expect(pack.stderrTail()).to.deep.equal(["warn one", "warn two", "tail"]);
    });

    it("runs in the pack folder with the environment and runtime options it is given", async () => {
        const dir = packs.pack(
            "echo",
            'console.log("4243");\nconsole.log(JSON.stringify({ cwd: process.cwd(), argv: process.argv.slice(2), marker: process.env.FAKE_MARKER }));\n' +
                STAY,
        );
        const lines: string[] = [];
        const pack = start(dir, {
            runtimeArgs: ["-a=1"],
            env: { PATH: process.env.PATH, FAKE_MARKER: "m" },
            onOutput: (_stream, line) => lines.push(line),
        });
        expect(await pack.port).to.equal(4243);
        while (lines.length === 0) {
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
        // The stand-in run-policy-pack dropped the engine address, as the real one does.
        expect(JSON.parse(lines[0])).to.deep.equal({ cwd: dir, argv: [".", "-a=1"], marker: "m" });
        expect(pack.exit).to.equal(undefined);
        expect(isRunning(pack.pid)).to.equal(true);
    });

    it("fails to start when the pack exits before printing its port, with its stderr's last meaningful lines", async () => {
        const dir = packs.pack(
            "throws",
            'process.stderr.write("\\u001b[31mError: boom\\u001b[0m\\n    at Object.<anonymous> (index.js:1:1)\\n\\n");\nprocess.exit(3);\n',
        );
        const pack = start(dir);
        expect(await failure(pack.port)).to.deep.equal({
            kind: "start",
            message: `policy pack "${dir}" exited with code 3 before printing its port; stderr: Error: boom`,
        });
    });

    it("quotes what the pack wrote instead of a port when it exits without a newline", async () => {
        const dir = packs.pack("partial", 'process.stdout.write("  listening ");\nprocess.exit(1);\n');
        expect(await failure(start(dir).port)).to.deep.equal({
            kind: "start",
            message: `policy pack "${dir}" exited with code 1 after writing "listening" instead of a port`,
        });
    });

    it("says a pack that wrote only blanks exited before printing its port", async () => {
        const dir = packs.pack("blank", 'process.stdout.write("   ");\nprocess.exit(1);\n');
        expect(await failure(start(dir).port)).to.deep.equal({
            kind: "start",
            message: `policy pack "${dir}" exited with code 1 before printing its port`,
        });
    });

    it("reads the pack's own output without a listener, and hands on no empty line after the last newline", async () => {
        const quiet = packs.pack("quiet", 'process.stdout.write("4250\\nmore\\nrest");\nsetTimeout(() => process.exit(0), 50);\n');
        const unheard = start(quiet);
        expect(await unheard.port).to.equal(4250);
        expect(await unheard.exited).to.deep.equal({ code: 0, signal: null });
        const lines: string[] = [];
        const ended = packs.pack("ended", 'process.stdout.write("4251\\none\\n");\nsetTimeout(() => process.exit(0), 50);\n');
        const heard = start(ended, { onOutput: (_stream, line) => lines.push(line) });
        expect(await heard.port).to.equal(4251);
        await heard.exited;
        expect(lines).to.deep.equal(["one"]);
    });

    it("names the signal that killed a pack before its port", async () => {
        const dir = packs.pack("signalled", 'process.kill(process.pid, "SIGTERM");\n' + STAY);
        expect(await failure(start(dir).port)).to.deep.equal({
            kind: "start",
            message: `policy pack "${dir}" was killed by SIGTERM before printing its port`,
        });
    });

    it("kills a pack whose first line is not a port, and quotes the line", async () => {
        const dir = packs.pack("garbage", 'process.stderr.write("loading\\n");\nconsole.log("hello");\n' + STAY);
        const pack = start(dir);
        expect(await failure(pack.port)).to.deep.equal({
            kind: "start",
            message: `policy pack "${dir}" wrote an invalid port to stdout: could not parse port: "hello"; stderr: loading`,
        });
        expect(pack.exit).to.deep.equal({ code: null, signal: "SIGKILL" });
        expect(isRunning(pack.pid)).to.equal(false);
    });

    it("kills a pack that prints no port within the start timeout and says so, with its stderr", async () => {
        const dir = packs.pack("silent", 'process.stderr.write("still loading\\n");\n' + STAY);
        const pack = start(dir, { startTimeoutMs: 3000 });
        expect(await failure(pack.port)).to.deep.equal({
            kind: "timeout",
            message: `policy pack "${dir}" printed no port within 3000 ms; stderr: still loading`,
        });
        expect(pack.exit).to.deep.equal({ code: null, signal: "SIGKILL" });
        expect(isRunning(pack.pid)).to.equal(false);
    });

    it("takes a port the pack printed in time though this process was too busy to read it before the start timeout", async () => {
        const dir = packs.pack("prompt", 'console.log("4247");\n' + STAY);
        const pack = start(dir, { startTimeoutMs: 50 });
        // Busy well past the timeout while the pack prints its port: the timer and the port are both due at once.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
        expect(await pack.port).to.equal(4247);
        // Long enough for a kill, had one been sent, to be seen.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect([pack.exit, isRunning(pack.pid)]).to.deep.equal([undefined, true]);
    });

    it("keeps the last 200 lines of stderr, and shows the last 6 by default", async () => {
        const dir = packs.pack(
            "chatty",
            'for (let i = 1; i <= 250; i++) process.stderr.write(`line ${i}\\n`);\nprocess.stdout.write("4244\\n");\n' + STAY,
        );
        const pack = start(dir);
        expect(await pack.port).to.equal(4244);
        await pack.kill();
        expect(pack.stderrTail()).to.deep.equal(["line 245", "line 246", "line 247", "line 248", "line 249", "line 250"]);
        const kept = pack.stderrTail(1000);
        expect([kept.length, kept[0], kept[199]]).to.deep.equal([200, "line 51", "line 250"]);
    });

    it("is killed with SIGKILL, once, however often kill() is called", async () => {
        const dir = packs.pack("steady", 'console.log("4245");\n' + STAY);
        const pack = start(dir);
        expect(await pack.port).to.equal(4245);
        await Promise.all([pack.kill(), pack.kill()]);
        await pack.kill();
        expect(pack.exit).to.deep.equal({ code: null, signal: "SIGKILL" });
        expect(isRunning(pack.pid)).to.equal(false);
    });

    it("reports the exit even while a process it started holds its output open", async () => {
        const dir = packs.pack(
            "leaves-a-child",
            'const child = require("child_process").spawn(process.execPath, ["-e", "setTimeout(() => undefined, 30000)"], { stdio: "inherit" });\n' +
                'console.log("4246");\nprocess.stderr.write(`${child.pid}\\n`);\nsetTimeout(() => process.exit(5), 100);\n',
        );
        const pack = start(dir);
        expect(await pack.port).to.equal(4246);
        try {
            expect(await pack.exited).to.deep.equal({ code: 5, signal: null });
        } finally {
            process.kill(Number(pack.stderrTail()[0]), "SIGKILL");
        }
    });

    it("kills every pack still running when this process exits (its exit hook, there once while a pack runs)", async () => {
        const hooks = (): number => process.listeners("exit").filter((listener) => listener === killLivePacks).length;
        expect(hooks()).to.equal(0);
        const first = start(packs.pack("first", 'console.log("4247");\n' + STAY));
        const second = start(packs.pack("second", 'console.log("4248");\n' + STAY));
        expect([await first.port, await second.port]).to.deep.equal([4247, 4248]);
        expect(hooks()).to.equal(1);
        await first.kill();
        expect(hooks()).to.equal(1);
        killLivePacks();
        expect(await second.exited).to.deep.equal({ code: null, signal: "SIGKILL" });
        expect(hooks()).to.equal(0);
    });

    it("says the dependencies are missing when run-policy-pack cannot be resolved from the folder", async () => {
        const dir = path.join(os.tmpdir(), "netra-pack-without-node-modules");
        expect(await failure(Promise.resolve().then(() => start(dir)))).to.deep.equal({
            kind: "start",
            message: `it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${dir}"`,
        });
    });

    it("fails to start, with Node's reason, when the process cannot be spawned", async () => {
        const dir = path.join(packs.root, "no-such-folder");
        const pack = start(dir);
        expect(await failure(pack.port)).to.deep.equal({
            kind: "start",
            message: `policy pack "${dir}" could not be started: spawn ${process.execPath} ENOENT`,
        });
        expect(await pack.exited).to.deep.equal({ code: null, signal: null });
        expect(pack.pid).to.equal(undefined);
        // Node reports a close with an errno too, after the error: the first word stands.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(pack.exit).to.deep.equal({ code: null, signal: null });
    });
});
