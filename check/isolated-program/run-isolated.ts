/**
 * Runs the program in a worker thread of the check's own process (no second process: a worker
 * starts in tens of milliseconds and shares the module cache on disk). The main thread keeps what
 * the verdict depends on: the real stdout and process.exit (a program cannot reach either), its
 * timers (a program that never finishes, or never yields, is stopped at the deadline) and the pack's
 * start timer (a busy program no longer starves it).
 */
import * as path from "node:path";
import { Writable } from "node:stream";
import { MessageChannel, Worker } from "node:worker_threads";
import type { InvokeAnswer } from "../offline-invokes";
import { escapeText } from "../report/escape";
import type { RecordedResource } from "../run-program";
import type { ProgramFailure, ProgramStatus, WorkerInput, WorkerMessage } from "./messages";

/** The worker thread's code and how long it may take where the check waits on it. */
export interface WorkerSetup {
    /** The worker thread's entry file. */
    readonly entry: string;
    /** After the deadline, how long the worker has to say what it is waiting for before it counts as busy. */
    readonly statusGraceMs: number;
    /**
     * How long the worker may take to load the Pulumi SDK before the program starts. The check's own
     * cost, not the program's: --timeout counts from the program's first line, so a loaded machine does
     * not eat into it.
     */
    readonly sdkLoadLimitMs: number;
}

/** The check's worker. Tests run stand-ins (a few lines that post what the test needs) with short waits. */
export const CHECK_WORKER: WorkerSetup = {
    entry: path.join(__dirname, "worker-entry.js"),
    statusGraceMs: 5000,
    sdkLoadLimitMs: 120_000,
};
/** How many waiting resources a timeout line names. */
const WAITING_SHOWN = 5;

/** The program failed, exited or did not finish: `message` is the one line the user sees. */
export class ProgramError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProgramError";
    }
}

/** How to run the program. */
export interface IsolatedRunOptions extends Omit<WorkerInput, "stackTraces"> {
    /** Deadline of the program's run (the `--timeout` option), in seconds. */
    readonly timeoutSeconds: number;
    /** Receives what the program prints (console.log, pulumi.log.info): never the report's stdout. */
    readonly programOutput?: NodeJS.WritableStream;
    /**
     * Receives registrations while the program still runs, in registration order, so that they can be
     * analysed meanwhile; a run that then fails, exits or times out returns none of them.
     */
    readonly onResources?: (resources: readonly RecordedResource[]) => void;
}

/** What a finished program registered and invoked. */
export interface IsolatedRun {
    readonly resources: RecordedResource[];
    readonly invokes: InvokeAnswer[];
}

type Outcome =
    | (Extract<WorkerMessage, { kind: "done" | "failed" }> & { readonly resources: RecordedResource[] })
    | { readonly kind: "exited"; readonly code: number }
    | { readonly kind: "crashed"; readonly message: string }
    /** `started`: whether the program's own code had begun (else the SDK was still loading). */
    | { readonly kind: "timeout"; readonly status: ProgramStatus | undefined; readonly started: boolean };

// eslint-disable-next-line no-control-regex
const TERMINAL_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?)/g;

/** A message the program wrote, as one visible line: colour and other terminal codes dropped, lines joined. */
export function sanitiseMessage(text: string): string {
    return escapeText(
        text
            .replace(TERMINAL_SEQUENCE, "")
            .replace(/\s*[\r\n]\s*/g, " ")
            .trim(),
    );
}

function runWorker(
    setup: WorkerSetup,
    input: WorkerInput,
    timeoutMs: number,
    output: NodeJS.WritableStream,
    onResources: (resources: readonly RecordedResource[]) => void = () => undefined,
): Promise<Outcome> {
    // A private channel: the program can reach the worker's parentPort, never this port.
    const channel = new MessageChannel();
    // Where the worker writes the code a program passed to process.exit: [asked (0 or 1), code].
    const exitRequest = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const worker = new Worker(setup.entry, {
        workerData: { input, port: channel.port2, exitRequest },
        transferList: [channel.port2],
        stdout: true,
    });
    worker.stdout.on("data", (chunk: Buffer) => output.write(chunk));
    // One timer runs at a time: the SDK's load limit, then the program's deadline, then the status grace.
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const resources: RecordedResource[] = [];
    const outcome = new Promise<Outcome>((resolveOutcome) => {
        const resolve = (value: Outcome): void => {
            settled = true;
            resolveOutcome(value);
        };
        const deadline = (): void => {
            channel.port1.postMessage({ kind: "status?" });
            timer = setTimeout(() => resolve({ kind: "timeout", status: undefined, started: true }), setup.statusGraceMs);
        };
        channel.port1.on("message", (message: WorkerMessage) => {
            if (message.kind === "resources") {
                if (!settled) {
                    for (const resource of message.resources) {
                        resources.push(resource);
                    }
                    onResources(message.resources);
                }
                return;
            }
            if (message.kind === "started") {
                clearTimeout(timer);
                timer = setTimeout(deadline, timeoutMs);
                return;
            }
            // "status" answers the deadline's question, which is asked only once the program started.
            resolve(
                message.kind === "status"
                    ? { kind: "timeout", status: message.status, started: true }
                    : message.kind === "exit"
                      ? { kind: "exited", code: message.code }
                      : { ...message, resources },
            );
        });
        worker.on("error", (error: unknown) => {
            const message = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
            resolve({ kind: "crashed", message });
        });
        worker.on("exit", (code) =>
            resolve({ kind: "exited", code: Atomics.load(exitRequest, 0) === 1 ? Atomics.load(exitRequest, 1) : code }),
        );
        timer = setTimeout(() => resolve({ kind: "timeout", status: undefined, started: false }), setup.sdkLoadLimitMs);
    });
    return outcome.finally(async () => {
        clearTimeout(timer);
        channel.port1.close();
        // Resolves once the thread is gone, and Node ends its stdout first: everything it printed has been written.
        await worker.terminate();
    });
}

function seconds(value: number): string {
    return `${value} s`;
}

/** The one line for a program stopped at the deadline: what it was doing, or that the SDK never loaded. */
export function timeoutLine(
    status: ProgramStatus | undefined,
    started: boolean,
    timeoutSeconds: number,
    sdkLoadLimitMs: number = CHECK_WORKER.sdkLoadLimitMs,
): string {
    const head = `check: the program did not finish within ${seconds(timeoutSeconds)} (raise it with --timeout <seconds>)`;
    if (!started) {
        return `check: the Pulumi SDK did not load within ${sdkLoadLimitMs / 1000} s, before the program started; is the machine overloaded?`;
    }
    if (status === undefined) {
        return `${head}: it kept the CPU busy and never yielded (a loop that never ends?)`;
    }
    if (status.waiting.length > 0) {
        const shown = status.waiting.slice(0, WAITING_SHOWN).map((name) => escapeText(name, 200));
        const more = status.waiting.length > WAITING_SHOWN ? `, and ${status.waiting.length - WAITING_SHOWN} more` : "";
        const count = status.waiting.length === 1 ? "1 resource was" : `${status.waiting.length} resources were`;
        return `${head}: ${count} still waiting for an input that never resolved: ${shown.join(", ")}${more}`;
    }
    return status.phase === "loading"
        ? `${head}: the program's module (or its entry function) never returned; ${status.registered} resources registered`
        : `${head}: every resource was registered, but a stack output or a promise the program started never resolved`;
}

/** Most lines a program's own error message is shown with (one per problem, as config errors are). */
const MAX_MESSAGE_LINES = 20;

/** A message of the program's own words: one visible line per line it wrote, terminal codes dropped. */
export function ownWords(message: string): string {
    const lines = message
        .replace(TERMINAL_SEQUENCE, "")
        .split(/\r?\n|\r/)
        .map((line) => line.trim())
        .filter((line) => line !== "")
        .map((line) => escapeText(line, 2000));
    const more = lines.length > MAX_MESSAGE_LINES ? [`and ${lines.length - MAX_MESSAGE_LINES} more lines`] : [];
    return [...lines.slice(0, MAX_MESSAGE_LINES), ...more].join("\n") || "(an error with no message)";
}

/** The one line (or one per problem, for the program's own words) for a failed program. */
export function failureLine(failure: ProgramFailure): string {
    switch (failure.kind) {
        case "config":
        case "reported":
            // A RunError is how a program reports a problem it found (index.ts reports config mistakes so),
            // and the user's to fix: its words are the whole story, one line per problem, no location.
            return "resource" in failure && failure.resource !== undefined
                ? `check: the program failed on resource "${escapeText(failure.resource, 200)}": ${ownWords(failure.message)}`
                : ownWords(failure.message);
        case "engine":
            return `check: the Pulumi engine would refuse the program: ${sanitiseMessage(failure.message)}`;
        case "bug":
            return `check: the program failed${failure.location === undefined ? "" : ` at ${escapeText(failure.location, 300)}`}: ${sanitiseMessage(failure.message)}`;
    }
}

/** The line for a program that logged errors with pulumi.log.error: the first of them, and how many. */
export function loggedErrorsLine(errors: readonly string[]): string {
    return errors.length === 1
        ? `check: the program logged an error (pulumi.log.error): ${sanitiseMessage(errors[0])}`
        : `check: the program logged ${errors.length} errors (pulumi.log.error); the first: ${sanitiseMessage(errors[0])}`;
}

/**
 * Runs the program under mocks in a worker and returns what it registered, or throws a
 * ProgramError whose message is the one line to print: a failure (at the program's file and line
 * for a bug), a logged error, an exit, or what had not finished at the deadline.
 */
export async function runProgramIsolated(options: IsolatedRunOptions, setup: WorkerSetup = CHECK_WORKER): Promise<IsolatedRun> {
    const { timeoutSeconds, programOutput = process.stderr, onResources, ...base } = options;
    const timeoutMs = timeoutSeconds * 1000;
    const outcome = await runWorker(setup, { ...base, stackTraces: false }, timeoutMs, programOutput, onResources);
    switch (outcome.kind) {
        case "done":
            if (outcome.loggedErrors.length > 0) {
                throw new ProgramError(loggedErrorsLine(outcome.loggedErrors));
            }
            return { resources: outcome.resources, invokes: outcome.invokes };
        case "failed": {
            let failure = outcome.failure;
            if (failure.kind === "bug" && failure.location === undefined) {
                // Stacks were off for speed: run again with them on to find where the program broke.
                const again = await runWorker(setup, { ...base, stackTraces: true }, timeoutMs, devNull);
                if (again.kind === "failed" && again.failure.kind === "bug" && again.failure.message === failure.message) {
                    failure = again.failure;
                }
            }
            throw new ProgramError(failureLine(failure));
        }
        case "exited":
            throw new ProgramError(
                `check: the program called process.exit(${outcome.code}) before it finished; a Pulumi program ends by returning, and the check decides the exit code`,
            );
        case "crashed":
            throw new ProgramError(`check: the program failed: ${sanitiseMessage(outcome.message)}`);
        case "timeout":
            throw new ProgramError(timeoutLine(outcome.status, outcome.started, timeoutSeconds, setup.sdkLoadLimitMs));
    }
}

/** Output of the second (locating) run: the user saw the first run's already. */
const devNull = new Writable({ write: (_chunk, _encoding, callback) => callback() });
