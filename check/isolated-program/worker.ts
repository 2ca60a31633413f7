/**
 * Runs the program under mocks inside a worker thread. The check's main thread keeps the verdict,
 * the real stdout, its exit and its timers: a program that calls process.exit, replaces it, loops
 * forever or prints ends only this thread.
 */
import fs = require("node:fs");
import { type MessagePort, workerData } from "node:worker_threads";
import * as pulumi from "@pulumi/pulumi";
import { MockCloud } from "../mock-cloud";
import { EngineError, type RecordedResource, type RegistrationWatch, runUnderMocks } from "../run-program";
import { answerUnknowableInvokesAsUnknown } from "../unknown-invokes";
import type { MainMessage, ProgramStatus, WorkerInput, WorkerMessage } from "./messages";
import { classifyFailure } from "./program-failure";

/**
 * The run's input and the private channel to the main thread. The port is taken away before the
 * program loads, so the program cannot post a forged outcome (parentPort, which it can reach, is
 * not listened to).
 */
function takeWorkerData(): { input: WorkerInput; port: MessagePort; exitRequest: Int32Array } {
    const data = workerData as { input?: WorkerInput; port?: MessagePort; exitRequest?: Int32Array };
    const { input, port, exitRequest } = data;
    if (input === undefined || port === undefined || exitRequest === undefined) {
        throw new Error("check/isolated-program/worker.ts runs only as the check's worker thread");
    }
    delete data.port;
    delete data.exitRequest;
    return { input, port, exitRequest };
}
const { input, port, exitRequest } = takeWorkerData();
const send = (message: WorkerMessage): void => port.postMessage(message);

// Taken before the program loads (it may replace them): resolve once what was printed reached the main thread.
const stdioWrites = [process.stdout, process.stderr].map(
    (stream) => stream.write.bind(stream) as (chunk: string, callback: () => void) => boolean,
);
function printed(): Promise<void> {
    return Promise.all(stdioWrites.map((write) => new Promise<void>((resolve) => write("", () => resolve())))).then(() => undefined);
}
/** Sends the run's outcome after the program's output: the main thread stops this thread on receipt. */
function sendLast(message: WorkerMessage): void {
    void printed().then(() => send(message));
}

// The SDK captures a stack trace for every promise and resource (leak diagnostics, source
// positions); offline nobody reads them, and on 500 services they cost more than a third of the run.
// A bug's location is found by running the program again with stacks on (run-isolated.ts).
Error.stackTraceLimit = input.stackTraces ? 50 : 0;
if (!input.stackTraces) {
    // Resource.callsites (resource.js) lifts the limit to Infinity to find each resource's source
    // position and stack trace, which only the CLI's display reads: a tenth of the program's time.
    (pulumi.Resource as unknown as { callsites: () => unknown[] }).callsites = () => [];
    skipPromiseDebugInfo();
}

/**
 * The SDK wraps every RPC promise in `debuggablePromise` (runtime/debuggable.js), which tracks it
 * as a leak candidate and stores an id, a context and a stack trace on it through three
 * `defineProperty` calls: slow objects and a tenth of the program thread on 500 services. Only
 * PULUMI_DEBUG_PROMISE_LEAKS prints those three, so without it the promise is tracked as the SDK
 * does and nothing is stored on it. The first call is the SDK's own, so its leak report at exit stays.
 */
function skipPromiseDebugInfo(): void {
    type Debuggable = { debugPromiseLeaks: boolean; debuggablePromise: <T>(promise: Promise<T>, context: unknown) => Promise<T> };
    type State = { getStore(): { leakCandidates: Set<Promise<unknown>> } };
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Debuggable;
    const state = require("@pulumi/pulumi/runtime/state") as State;
    if (debuggable.debugPromiseLeaks) {
        return;
    }
    const original = debuggable.debuggablePromise;
    debuggable.debuggablePromise = <T>(promise: Promise<T>, context: unknown): Promise<T> => {
        debuggable.debuggablePromise = tracked;
        return original(promise, context);
    };
    function tracked<T>(promise: Promise<T>): Promise<T> {
        const candidates = state.getStore().leakCandidates;
        candidates.add(promise);
        return promise
            .then((value) => {
                candidates.delete(promise);
                return value;
            })
            .catch((error: unknown) => {
                candidates.delete(promise);
                (error as { promise?: unknown }).promise = promise;
                throw error;
            });
    }
}

// process.stdout here already reaches the main thread, which sends it to stderr; a write straight
// to file descriptor 1 would bypass that and land in the report, so it goes to 2 instead.
const STDOUT_FD = 1;
const STDERR_FD = 2;
const fsWrites = fs as unknown as Record<"write" | "writeSync", (fd: number, ...rest: unknown[]) => unknown>;
for (const name of ["write", "writeSync"] as const) {
    const original = fsWrites[name].bind(fs);
    fsWrites[name] = (fd, ...rest) => original(fd === STDOUT_FD ? STDERR_FD : fd, ...rest);
}

/** `pulumi.log.error` makes the run fail, as the Automation API's server treats a logged error. */
const loggedErrors: string[] = [];
(pulumi.log as { error: (message: string) => Promise<void> }).error = (message: string) => {
    loggedErrors.push(String(message));
    return Promise.resolve();
};

const waiting = new Map<string, number>();
let registered = 0;
let phase: ProgramStatus["phase"] = "loading";
const label = (type: string, name: string): string => `${type} "${name}"`;
const watch: RegistrationWatch = {
    constructed: (type, name) => waiting.set(label(type, name), (waiting.get(label(type, name)) ?? 0) + 1),
    registered: (type, name) => {
        registered++;
        const key = label(type, name);
        const count = (waiting.get(key) ?? 0) - 1;
        if (count > 0) {
            waiting.set(key, count);
        } else {
            waiting.delete(key);
        }
    },
};

port.on("message", (message: MainMessage) => {
    if (message.kind === "status?") {
        send({ kind: "status", status: { phase, waiting: [...waiting.keys()], registered } });
    }
});

/** Exit code of this thread after the program called process.exit: not 0, so the SDK's leak report stays quiet. */
const EXIT_AFTER_PROGRAM_EXIT = 70;
/** Slots of the shared exit request (check/isolated-program/run-isolated.ts reads them when the thread ends). */
const EXIT_FLAG_SLOT = 0;
const EXIT_CODE_SLOT = 1;
const exitThread = process.exit.bind(process);
// Says what the program asked for before the thread ends: the main thread decides what it means.
process.exit = ((code?: number | string | null) => {
    const requested = Number(code ?? process.exitCode ?? 0);
    // Written to shared memory before the thread ends: a message posted now can be lost with the thread.
    Atomics.store(exitRequest, EXIT_CODE_SLOT, requested);
    Atomics.store(exitRequest, EXIT_FLAG_SLOT, 1);
    send({ kind: "exit", code: requested });
    return exitThread(EXIT_AFTER_PROGRAM_EXIT);
}) as typeof process.exit;

/** Registrations the engine refused: the cause of whatever the program then failed on. */
const engineErrors: string[] = [];
let settled = false;
function fail(error: unknown): void {
    if (!settled) {
        settled = true;
        const failure =
            engineErrors.length > 0
                ? classifyFailure(new EngineError(engineErrors), pulumi, input.root)
                : classifyFailure(error, pulumi, input.root);
        sendLast({ kind: "failed", failure, loggedErrors: [...loggedErrors] });
    }
}
// A failed registration inside the program surfaces as a rejected output, not as the run's rejection.
process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);

/**
 * Registrations go to the main thread in batches (a message per resource would cost more than the
 * copy) and are not kept here. A batch is sent when it is full, or at the end of this thread's turn
 * of the event loop: a program's registrations settle in promise callbacks, and a whole program can
 * run in one turn, so waiting for the turn's end alone would send everything at the end.
 */
const BATCH_SIZE = 64;
let batch: RecordedResource[] = [];
function flushBatch(): void {
    if (batch.length > 0) {
        send({ kind: "resources", resources: batch });
        batch = [];
    }
}
function recorded(resource: RecordedResource): void {
    if (batch.length === 0) {
        setImmediate(flushBatch);
    }
    batch.push(resource);
    if (batch.length >= BATCH_SIZE) {
        flushBatch();
    }
}

async function main(): Promise<void> {
    const mocks = new MockCloud({ preview: input.preview, config: input.config });
    answerUnknowableInvokesAsUnknown(pulumi, mocks.invokes);
    await runUnderMocks(
        async () => {
            send({ kind: "started" });
            const exported = require(input.program) as unknown;
            // As the language host does: a program may export an (async) entry function.
            const outputs = typeof exported === "function" ? ((await (exported as () => unknown)()) as unknown) : exported;
            phase = "outputs";
            return typeof outputs === "object" && outputs !== null ? { ...(outputs as Record<string, unknown>) } : undefined;
        },
        {
            project: input.project,
            stack: input.stack,
            preview: input.preview,
            mocks,
            config: input.config,
            secretKeys: input.secretKeys,
            watch,
            onRecorded: recorded,
            onEngineError: (message) => engineErrors.push(message),
        },
    );
    if (!settled) {
        settled = true;
        flushBatch();
        sendLast({ kind: "done", invokes: mocks.invokes.list(), loggedErrors: [...loggedErrors] });
    }
}

main().catch(fail);
