/**
 * Starts a Node.js policy pack the way the Pulumi CLI does and reads the port it announces.
 *
 * The CLI runs the `pulumi-analyzer-policy` script with the pack folder as working directory and
 * the arguments `<engine address> . [-<option>=<value>...]`; the script resolves
 * `@pulumi/pulumi/cmd/run-policy-pack` from that folder and runs it with `node`. run-policy-pack
 * drops the engine address, registers ts-node and requires the pack (package.json `main`), whose
 * `new PolicyPack()` starts a gRPC server and prints its port as the first line of stdout. The CLI
 * reads that line, parses it as a port and dials 127.0.0.1:<port> (plugin.go `newPlugin`).
 */
import { type ChildProcessWithoutNullStreams, spawn } from "child_process";
import * as path from "path";
import { meaningfulLines, PolicyPackError } from "./policy-pack-error";
import { packEntryPoint } from "./policy-pack-project";

/**
 * What the CLI passes where its engine's address goes. There is no engine offline; run-policy-pack
 * discards the argument (`argv._.shift()`) and nothing in the pack reads it.
 */
export const OFFLINE_ENGINE_ADDRESS = "127.0.0.1:0";

const WATCHDOG_PRELOAD = path.join(__dirname, "pack-parent-watchdog-preload.js");
const TRANSPILE_ONLY_PRELOAD = path.join(__dirname, "pack-transpile-only-preload.js");
const SKIP_TYPESCRIPT_PRELOAD = path.join(__dirname, "pack-skip-typescript-preload.js");
const STDERR_LINES_KEPT = 200;
/** How long to wait for the pack's output to drain after it exited. */
const EXIT_DRAIN_MS = 1000;

/** How to start one pack process. */
export interface PackProcessOptions {
    /** Absolute pack folder: the process's working directory, as with the CLI. */
    readonly dir: string;
    /** `-<key>=<value>` arguments from PulumiPolicy.yaml's runtime options. */
    readonly runtimeArgs: readonly string[];
    /** The full environment of the pack process. */
    readonly env: NodeJS.ProcessEnv;
    /**
     * False: start the pack exactly as the CLI does (run-policy-pack type-checks a TypeScript entry).
     * True: only transpile (see the preloads); run-policy-pack's TypeScript is not loaded.
     */
    readonly transpileOnly: boolean;
    /** How long the pack may take to print its port. */
    readonly startTimeoutMs: number;
    /** Receives every line the pack writes after its port (stdout) and on stderr. */
    readonly onOutput?: (stream: "stdout" | "stderr", line: string) => void;
}

/** How a pack process ended. */
export interface PackExit {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
}

/** Children still running, killed when this process exits so none is left behind. */
const liveChildren = new Set<ChildProcessWithoutNullStreams>();

/** Kills every pack still running (SIGKILL needs no cooperation); what this process's "exit" hook runs. */
export function killLivePacks(): void {
    for (const child of liveChildren) {
        child.kill("SIGKILL");
    }
}

/** Keeps a child to kill at exit; the exit hook is there while one is kept (synchronous on purpose: "exit" handlers cannot wait). */
function keep(child: ChildProcessWithoutNullStreams): void {
    if (liveChildren.size === 0) {
        process.on("exit", killLivePacks);
    }
    liveChildren.add(child);
}

function release(child: ChildProcessWithoutNullStreams): void {
    liveChildren.delete(child);
    if (liveChildren.size === 0) {
        process.off("exit", killLivePacks);
    }
}

/**
 * The node arguments that start the pack: the preloads, run-policy-pack, the engine address, the
 * pack folder (".") and the runtime options. The watchdog always: without it a pack outlives a host
 * killed by a CI timeout. Transpiling only: run-policy-pack's TypeScript and type-checking ts-node
 * are skipped (they delay the pack's port, on the check's critical path), and a TypeScript entry
 * (test fixtures, other packs) gets sucrase; a JavaScript entry like policies/index.js strips types itself.
 */
export function packArguments(
    options: Pick<PackProcessOptions, "runtimeArgs" | "transpileOnly">,
    runner: string,
    entryPoint: string | undefined,
): string[] {
    // Stryker disable next-line StringLiteral: no entry reads as a name without a TypeScript extension, which any text is
    const typeScriptEntry = /\.[cm]?tsx?$/.test(entryPoint ?? "");
    const preloads = [
        "-r",
        WATCHDOG_PRELOAD,
        ...(options.transpileOnly ? ["-r", SKIP_TYPESCRIPT_PRELOAD] : []),
        ...(options.transpileOnly && typeScriptEntry ? ["-r", TRANSPILE_ONLY_PRELOAD] : []),
    ];
    return [...preloads, runner, OFFLINE_ENGINE_ADDRESS, ".", ...options.runtimeArgs];
}

/** Parses the pack's first stdout line as the CLI's `parsePort` does. */
export function parsePort(line: string): number {
    const text = line.trim();
    if (!/^[+-]?\d+$/.test(text)) {
        throw new Error(`could not parse port: "${text}"`);
    }
    const port = Number(text);
    if (port <= 0 || port > 65535) {
        throw new Error(`invalid port number: ${port}`);
    }
    return port;
}

/** Describes an exit for humans: "exited with code 1" / "was killed by SIGKILL". */
export function describeExit(exit: PackExit): string {
    return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** A running (or finished) policy pack process. */
export class PackProcess {
    /** Resolves with the announced port; rejects with a "start" or "timeout" PolicyPackError. */
    readonly port: Promise<number>;
    /** Resolves when the process has exited and its output has been read. */
    readonly exited: Promise<PackExit>;
    /** Its stdin, stdout and stderr are pipes: never null, even when the process could not be started. */
    private readonly child: ChildProcessWithoutNullStreams;
    private readonly stderrLines: string[] = [];
    private exitInfo: PackExit | undefined;

    constructor(private readonly options: PackProcessOptions) {
        let runner: string;
        try {
            // What `pulumi-analyzer-policy` does: resolve run-policy-pack from the pack folder.
            runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [options.dir] });
        } catch {
            throw new PolicyPackError(
                "start",
                `it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${options.dir}"`,
            );
        }
        // Node's default stdio: a pipe for each of stdin, stdout and stderr.
        this.child = spawn(process.execPath, packArguments(options, runner, packEntryPoint(options.dir)), {
            cwd: options.dir,
            env: options.env,
        });
        keep(this.child);
        // We never write to the pack's stdin (it only tells the watchdog we are alive).
        this.child.stdin.on("error", () => undefined);
        this.exited = new Promise<PackExit>((resolve) => {
            const done = (exit: PackExit): void => {
                if (this.exitInfo === undefined) {
                    release(this.child);
                    this.exitInfo = exit;
                    resolve(exit);
                }
            };
            // "close" comes once stdout and stderr are drained too; should something else hold the
            // pipes open, the exit itself is enough after a short wait.
            this.child.once("close", (code, signal) => done({ code, signal }));
            this.child.once("exit", (code, signal) => setTimeout(() => done({ code, signal }), EXIT_DRAIN_MS).unref());
            // Only a process that never started reports an error here: one that did is only ever sent SIGKILL.
            this.child.once("error", () => done({ code: null, signal: null }));
        });
        this.readStderr();
        this.port = this.readPort();
        // A caller that never asks for the port must not see an unhandled rejection.
        this.port.catch(() => undefined);
    }

    /** The process id (for tests that check nothing is left behind). */
    get pid(): number | undefined {
        return this.child.pid;
    }

    /** How the process ended, once it has. */
    get exit(): PackExit | undefined {
        return this.exitInfo;
    }

    /** The last meaningful lines the pack wrote on stderr. */
    stderrTail(max = 6): string[] {
        return meaningfulLines(this.stderrLines.join("\n"), max);
    }

    /**
     * Kills the process (SIGKILL, as the CLI does) and waits until it is gone. Idempotent: Node sends
     * nothing to a process it has seen exit, and a second SIGKILL to a dying one changes nothing.
     */
    async kill(): Promise<void> {
        this.child.kill("SIGKILL");
        await this.exited;
    }

    private readStderr(): void {
        let partial = "";
        // Stryker disable next-line StringLiteral: Node reads an empty encoding name as utf8
        this.child.stderr.setEncoding("utf8");
        this.child.stderr.on("data", (chunk: string) => {
            const lines = (partial + chunk).split(/\r?\n/);
            partial = lines.pop() as string; // split gives at least one piece: the rest after the last newline
            for (const line of lines) {
                this.keepStderrLine(line);
            }
        });
        this.child.stderr.on("end", () => {
            if (partial !== "") {
                this.keepStderrLine(partial);
            }
        });
    }

    private keepStderrLine(line: string): void {
        this.stderrLines.push(line);
        if (this.stderrLines.length > STDERR_LINES_KEPT) {
            this.stderrLines.shift();
        }
        this.options.onOutput?.("stderr", line);
    }

    private readPort(): Promise<number> {
        const { dir, startTimeoutMs } = this.options;
        return new Promise<number>((resolve, reject) => {
            let buffered = "";
            let settled = false;
            let failing = false;
            const stdout = this.child.stdout;
            // The first outcome stands: a settled promise ignores the rest.
            const settle = (outcome: { port: number } | { error: PolicyPackError }): void => {
                settled = true;
                clearTimeout(timer);
                if ("port" in outcome) {
                    resolve(outcome.port);
                } else {
                    reject(outcome.error);
                }
            };
            // Kill the process, then fail: once it is gone the stderr tail is complete.
            const failAfterKill = (kind: "start" | "timeout", message: string): void => {
                failing = true;
                stdout.off("data", onData); // being killed: a late port must not be used
                void this.kill().then(() => settle({ error: new PolicyPackError(kind, message, this.stderrTail()) }));
            };
            // Decided only after the next poll for I/O: when this process was busy for longer than the
            // timeout (a long program run starves the event loop), timers run before the pack's
            // already written port is read, and the pack must not be killed for our own delay.
            const timer = setTimeout(
                () =>
                    setImmediate(() => {
                        if (!settled) {
                            failAfterKill("timeout", `policy pack "${dir}" printed no port within ${startTimeoutMs} ms`);
                        }
                    }),
                startTimeoutMs,
            );
            this.child.once("error", (error) => {
                settle({ error: new PolicyPackError("start", `policy pack "${dir}" could not be started: ${error.message}`) });
            });
            const onData = (chunk: string): void => {
                buffered += chunk;
                const newline = buffered.indexOf("\n");
                if (newline < 0) {
                    return;
                }
                stdout.off("data", onData);
                const first = buffered.slice(0, newline);
                this.forwardStdout(buffered.slice(newline + 1));
                try {
                    settle({ port: parsePort(first) });
                } catch (error) {
                    failAfterKill("start", `policy pack "${dir}" wrote an invalid port to stdout: ${(error as Error).message}`);
                }
            };
            // Stryker disable next-line StringLiteral: Node reads an empty encoding name as utf8
            stdout.setEncoding("utf8");
            stdout.on("data", onData);
            void this.exited.then((exit) => {
                if (failing) {
                    return;
                }
                const when = buffered.trim() === "" ? "before printing its port" : `after writing "${buffered.trim()}" instead of a port`;
                settle({ error: new PolicyPackError("start", `policy pack "${dir}" ${describeExit(exit)} ${when}`, this.stderrTail()) });
            });
        });
    }

    /** After the port line, stdout is the pack's own output (console.log in policies). */
    private forwardStdout(rest: string): void {
        let partial = rest;
        const emit = (): void => {
            const lines = partial.split(/\r?\n/);
            partial = lines.pop() as string; // split gives at least one piece: the rest after the last newline
            for (const line of lines) {
                this.options.onOutput?.("stdout", line);
            }
        };
        emit();
        this.child.stdout.on("data", (chunk: string) => {
            partial += chunk;
            emit();
        });
        this.child.stdout.on("end", () => {
            if (partial !== "") {
                this.options.onOutput?.("stdout", partial);
            }
        });
    }
}
