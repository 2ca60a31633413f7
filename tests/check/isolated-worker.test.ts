/**
 * The main thread's side of the program's run (check/isolated-program/run-isolated.ts) against
 * stand-in workers: a few lines of JavaScript that post what the test needs (registrations, a
 * failure, an exit, silence), so every way a run can end is reached in milliseconds, with the grace
 * times shortened. The real worker is judged by isolated-program.test.ts.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Writable } from "node:stream";
import {
    CHECK_WORKER,
    type IsolatedRun,
    ProgramError,
    runProgramIsolated,
    type WorkerSetup,
} from "../../check/isolated-program/run-isolated";
import type { RecordedResource } from "../../check/run-program";
import { textOutput } from "../support/text-output";

/** What every stand-in starts with: the worker's data, a sender, and a log of its runs in the root folder. */
const PREAMBLE = `"use strict";
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { input, port, exitRequest } = workerData;
const send = (message) => port.postMessage(message);
const log = (line) => fs.appendFileSync(require("node:path").join(input.root, "runs.log"), line + "\\n");
const stayAlive = () => setInterval(() => undefined, 1000);
`;

/** The stand-ins' registrations are fakes ({ urn } only): the main thread passes registrations on without reading them. */
const urns = (resources: readonly RecordedResource[]): string[] => resources.map((recorded) => recorded.urn);

describe("isolated program: how the main thread ends a run (stand-in workers)", function () {
    this.timeout(30_000);
    let dir: string;
    let count = 0;

    beforeEach(() => {
        dir = mkdtempSync(path.join(os.tmpdir(), "netra-worker-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** A stand-in worker running `source` after the preamble, with short waits unless the test sets them. */
    function standIn(source: string, waits: Partial<Omit<WorkerSetup, "entry">> = {}): WorkerSetup {
        const entry = path.join(dir, `worker-${++count}.js`);
        writeFileSync(entry, PREAMBLE + source);
        return { entry, statusGraceMs: 50, sdkLoadLimitMs: 10_000, ...waits };
    }

    function run(
        setup: WorkerSetup,
        extra: { timeoutSeconds?: number; output?: Writable; onResources?: (resources: readonly RecordedResource[]) => void } = {},
    ): Promise<IsolatedRun> {
        return runProgramIsolated(
            {
                program: path.join(dir, "index.ts"),
                root: dir,
                project: "p",
                stack: "s",
                preview: false,
                config: {},
                secretKeys: [],
                timeoutSeconds: extra.timeoutSeconds ?? 30,
                programOutput: extra.output ?? textOutput(),
                onResources: extra.onResources,
            },
            setup,
        );
    }

    /** The message of the ProgramError a run ends with. */
    async function refusal(promise: Promise<unknown>): Promise<string> {
        try {
            await promise;
        } catch (error) {
            expect(error).to.be.instanceOf(ProgramError);
            return (error as Error).message;
        }
        return expect.fail("expected a ProgramError");
    }

    const runs = (): string[] => readFileSync(path.join(dir, "runs.log"), "utf8").trim().split("\n");

    it("returns every batch of registrations in order, tells each batch as it comes, and keeps none sent after the end", async () => {
        const setup = standIn(`log("stackTraces=" + input.stackTraces);
send({ kind: "started" });
send({ kind: "resources", resources: [{ urn: "a" }] });
send({ kind: "resources", resources: [{ urn: "b" }, { urn: "c" }] });
send({ kind: "done", invokes: [{ token: "gcp:x:y", answer: "unknown" }], loggedErrors: [] });
send({ kind: "resources", resources: [{ urn: "late" }] });
stayAlive();
`);
        const told: string[][] = [];
        const result = await run(setup, { onResources: (batch) => told.push(urns(batch)) });
        expect(urns(result.resources)).to.deep.equal(["a", "b", "c"]);
        expect(result.invokes).to.deep.equal([{ token: "gcp:x:y", answer: "unknown" }]);
        expect(told).to.deep.equal([["a"], ["b", "c"]]);
        // The first run is without stack traces (they are slow); it is the only run of a program that finished.
        expect(runs()).to.deep.equal(["stackTraces=false"]);
    });

    it("passes what the program prints to the output it is given, all of it, and nothing to this process's stdout", async () => {
        const setup = standIn(`send({ kind: "started" });
console.log("hello from the program");
// As the worker does: the outcome is sent once the output was handed to the main thread.
process.stdout.write("x".repeat(300000) + "\\n", () => send({ kind: "done", invokes: [], loggedErrors: [] }));
stayAlive();
`);
        const output = textOutput();
        const written: string[] = [];
        const write = process.stdout.write.bind(process.stdout);
        process.stdout.write = ((chunk: string | Uint8Array) => {
            written.push(chunk.toString());
            return true;
        }) as typeof process.stdout.write;
        try {
            await run(setup, { output });
        } finally {
            process.stdout.write = write;
        }
        expect(output.text).to.equal(`hello from the program\n${"x".repeat(300_000)}\n`);
        expect(written).to.deep.equal([]);
    });

    it("stops the worker when the run ends", async () => {
        const setup = standIn(`send({ kind: "started" });
send({ kind: "done", invokes: [], loggedErrors: [] });
setInterval(() => log("still running"), 5);
`);
        await run(setup);
        const afterRun = readFileSync(path.join(dir, "runs.log"), { encoding: "utf8", flag: "a+" });
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(readFileSync(path.join(dir, "runs.log"), { encoding: "utf8", flag: "a+" })).to.equal(afterRun);
    });

    it("fails a program that logged errors with pulumi.log.error, though it finished", async () => {
        const setup = standIn(`send({ kind: "started" });
send({ kind: "done", invokes: [], loggedErrors: ["first", "second"] });
stayAlive();
`);
        expect(await refusal(run(setup))).to.equal("check: the program logged 2 errors (pulumi.log.error); the first: first");
    });

    describe("a bug found without a location", () => {
        /** A stand-in whose first run fails with `boom`, and whose run with stack traces does `again`. */
        const failsTwice = (again: string): string => `log("stackTraces=" + input.stackTraces);
send({ kind: "started" });
if (!input.stackTraces) {
    console.log("first run");
    send({ kind: "failed", failure: { kind: "bug", message: "boom" }, loggedErrors: [] });
} else {
    console.log("second run");
    ${again}
}
stayAlive();
`;

        it("is run again with stack traces, its output dropped, and located when it fails the same way", async () => {
            const output = textOutput();
            const setup = standIn(
                failsTwice(
                    `send({ kind: "failed", failure: { kind: "bug", message: "boom", location: "index.ts:3:9" }, loggedErrors: [] });`,
                ),
            );
            expect(await refusal(run(setup, { output }))).to.equal("check: the program failed at index.ts:3:9: boom");
            expect(runs()).to.deep.equal(["stackTraces=false", "stackTraces=true"]);
            expect(output.text).to.equal("first run\n");
        });

        it("keeps the first failure, without a location, when the second run fails otherwise or does not fail", async () => {
            const others = [
                `send({ kind: "failed", failure: { kind: "bug", message: "another", location: "index.ts:3:9" }, loggedErrors: [] });`,
                `send({ kind: "failed", failure: { kind: "reported", message: "boom" }, loggedErrors: [] });`,
                `send({ kind: "done", invokes: [], loggedErrors: [] });`,
                `send({ kind: "exit", code: 0 });`,
            ];
            for (const again of others) {
                expect(await refusal(run(standIn(failsTwice(again))))).to.equal("check: the program failed: boom");
            }
            expect(runs()).to.have.length(8);
        });

        it("is not run again when the failure is not a bug, or already located", async () => {
            const failures = [
                `{ kind: "config", message: "services.api: bad" }`,
                `{ kind: "reported", message: "no registry" }`,
                `{ kind: "bug", message: "boom", location: "index.ts:1:1" }`,
            ];
            const lines = [];
            for (const failure of failures) {
                lines.push(
                    await refusal(
                        run(
                            standIn(
                                `log("run"); send({ kind: "started" }); send({ kind: "failed", failure: ${failure}, loggedErrors: [] }); stayAlive();`,
                            ),
                        ),
                    ),
                );
            }
            expect(lines).to.deep.equal(["services.api: bad", "no registry", "check: the program failed at index.ts:1:1: boom"]);
            expect(runs()).to.deep.equal(["run", "run", "run"]);
        });
    });

    describe("a program that called process.exit", () => {
        const EXITED = (code: number): string =>
            `check: the program called process.exit(${code}) before it finished; a Pulumi program ends by returning, and the check decides the exit code`;

        it("is told by the code it asked for, which the worker leaves in shared memory before its thread ends otherwise", async () => {
            const setup = standIn(`send({ kind: "started" });
Atomics.store(exitRequest, 1, 3);
Atomics.store(exitRequest, 0, 1);
process.exit(70);
`);
            expect(await refusal(run(setup))).to.equal(EXITED(3));
        });

        it("is told by the thread's own exit code when nothing was asked for in shared memory", async () => {
            expect(await refusal(run(standIn(`send({ kind: "started" });\nprocess.exit(5);\n`)))).to.equal(EXITED(5));
        });

        it("is told by the worker's exit message", async () => {
            expect(await refusal(run(standIn(`send({ kind: "started" });\nsend({ kind: "exit", code: 4 });\nstayAlive();\n`)))).to.equal(
                EXITED(4),
            );
        });
    });

    describe("a worker that crashed", () => {
        it("says what it threw: the message of a plain Error, the name of any other error, a value as text", async () => {
            const thrown = [`new Error("plain\\nsecond \\u001b[31mline\\u001b[0m")`, `new TypeError("bad")`, `"just text"`];
            const lines = [];
            for (const value of thrown) {
                lines.push(await refusal(run(standIn(`send({ kind: "started" });\nthrow ${value};\n`))));
            }
            expect(lines).to.deep.equal([
                "check: the program failed: plain second line",
                "check: the program failed: TypeError: bad",
                "check: the program failed: just text",
            ]);
        });
    });

    describe("a program that did not finish", () => {
        it("says what it waits for when it answers at the deadline", async () => {
            const setup = standIn(`send({ kind: "started" });
port.on("message", (message) => {
    if (message.kind === "status?") send({ kind: "status", status: { phase: "loading", waiting: [], registered: 2 } });
});
`);
            expect(await refusal(run(setup, { timeoutSeconds: 0.05 }))).to.equal(
                "check: the program did not finish within 0.05 s (raise it with --timeout <seconds>): the program's module (or its entry function) never returned; 2 resources registered",
            );
        });

        it("calls it busy when it does not answer within the status grace", async () => {
            const setup = standIn(`send({ kind: "started" });\nstayAlive();\n`);
            expect(await refusal(run(setup, { timeoutSeconds: 0.05 }))).to.equal(
                "check: the program did not finish within 0.05 s (raise it with --timeout <seconds>): it kept the CPU busy and never yielded (a loop that never ends?)",
            );
        });

        it("blames the SDK's load when the program never started within the load limit", async () => {
            const setup = standIn(`stayAlive();\n`, { sdkLoadLimitMs: 100 });
            expect(await refusal(run(setup))).to.equal(
                "check: the Pulumi SDK did not load within 0.1 s, before the program started; is the machine overloaded?",
            );
        });

        it("gives a started program --timeout seconds from its start, whatever the load limit", async () => {
            const setup = standIn(
                // Done 2 s after it started, past the 1.5 s load limit: a limit a loaded machine's worker start fits in.
                `send({ kind: "started" });\nsetTimeout(() => send({ kind: "done", invokes: [], loggedErrors: [] }), 2000);\nstayAlive();\n`,
                { sdkLoadLimitMs: 1500, statusGraceMs: 10 },
            );
            expect(urns((await run(setup, { timeoutSeconds: 4 })).resources)).to.deep.equal([]);
        });
    });

    it("gives the check's worker 5 s to say what it waits for and 120 s to load the SDK", () => {
        expect({ statusGraceMs: CHECK_WORKER.statusGraceMs, sdkLoadLimitMs: CHECK_WORKER.sdkLoadLimitMs }).to.deep.equal({
            statusGraceMs: 5000,
            sdkLoadLimitMs: 120_000,
        });
        expect(path.basename(CHECK_WORKER.entry)).to.equal("worker-entry.js");
    });
});
