/** What the program's worker thread and the check's main thread tell each other. */
import type { InvokeAnswer } from "../offline-invokes";
import type { RecordedResource } from "../run-program";

/** What the worker needs to run the program. */
export interface WorkerInput {
    /** Absolute path of the program. */
    readonly program: string;
    /** Folder that relative file names in messages are relative to. */
    readonly root: string;
    readonly project: string;
    readonly stack: string;
    readonly preview: boolean;
    readonly config: Readonly<Record<string, string>>;
    readonly secretKeys: readonly string[];
    /** True: keep JavaScript stack traces (slow; used to locate a program's bug). */
    readonly stackTraces: boolean;
}

/** How a program failed, classified in the worker where the error's class is known. */
export type ProgramFailure =
    /** A mistake in the stack config found by the program's own validation: its message is the whole story. */
    | { readonly kind: "config"; readonly message: string }
    /** A `RunError` or `ResourceError`: the program's own words, no location wanted. */
    | { readonly kind: "reported"; readonly message: string; readonly resource?: string }
    /** Anything else thrown: a bug, located at the first frame inside the program when stacks were on. */
    | { readonly kind: "bug"; readonly message: string; readonly location?: string }
    /** Registrations the Pulumi engine refuses (a URN registered twice): its words, as `pulumi preview` prints them. */
    | { readonly kind: "engine"; readonly message: string };

/** Worker -> main. */
export type WorkerMessage =
    /** Registrations answered since the last such message, in order: the main thread analyses them while the program runs. */
    | { readonly kind: "resources"; readonly resources: RecordedResource[] }
    | {
          /** Every registration was sent before this message, in "resources" messages. */
          readonly kind: "done";
          readonly invokes: InvokeAnswer[];
          /** Messages of `pulumi.log.error` calls, in order. */
          readonly loggedErrors: string[];
      }
    | { readonly kind: "failed"; readonly failure: ProgramFailure; readonly loggedErrors: string[] }
    | { readonly kind: "status"; readonly status: ProgramStatus }
    /** The SDK is loaded and the program's own module is about to load. */
    | { readonly kind: "started" }
    /** The program called process.exit(code). */
    | { readonly kind: "exit"; readonly code: number };

/** What the program was doing, for a run that did not finish in time. */
export interface ProgramStatus {
    /** "loading": the program's module (or entry function) had not returned; "outputs": it had. */
    readonly phase: "loading" | "outputs";
    /** Resources constructed but never registered (an input never resolved), as `type "name"`. */
    readonly waiting: string[];
    readonly registered: number;
}

/** Main -> worker. */
export type MainMessage = { readonly kind: "status?" };
