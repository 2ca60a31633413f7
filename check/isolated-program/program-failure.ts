/**
 * Turns whatever a program threw into a ProgramFailure: one class per kind of story, and for a bug,
 * where in the program it happened (its first stack frame inside the program's files).
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type * as Pulumi from "@pulumi/pulumi";
import { StackConfigError } from "../../components/config/config-error";
import type { ProgramFailure } from "./messages";

/** The check's own folder: frames there are the runner, not the program. */
const CHECK_DIR = path.resolve(__dirname, "..");

/** A V8 stack frame: `at fn (file:line:col)` or `at file:line:col`. */
const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * The first frame of `stack` in a file of the program (not in node_modules, not Node's own, not the
 * check's), as `file:line:column` relative to `root`.
 */
export function firstProgramFrame(stack: string | undefined, root: string): string | undefined {
    if (stack === undefined) {
        return undefined;
    }
    for (const line of stack.split("\n")) {
        const match = FRAME.exec(line);
        if (match === null) {
            continue;
        }
        // An ES module's frames name a file URL (spaces and the like percent-encoded).
        const file = match[1].startsWith("file://") ? fileURLToPath(match[1]) : match[1];
        if (!path.isAbsolute(file) || file.split(path.sep).includes("node_modules") || file.startsWith(CHECK_DIR + path.sep)) {
            continue;
        }
        return `${path.relative(root, file) || file}:${match[2]}:${match[3]}`;
    }
    return undefined;
}

function messageOf(error: unknown): string {
    if (error instanceof Error) {
        const message = error.message === "" ? "(an error with no message)" : error.message;
        return error.name !== "" && error.name !== "Error" ? `${error.name}: ${message}` : message;
    }
    return `a non-error value was thrown: ${String(error)}`;
}

/** Classifies `error` (thrown by the program or rejected in it). */
export function classifyFailure(error: unknown, pulumi: typeof Pulumi, root: string): ProgramFailure {
    // By name as well as class: the program may load its own copy of the config module.
    if (error instanceof StackConfigError || (error instanceof Error && ["StackConfigError", "StackFileError"].includes(error.name))) {
        return { kind: "config", message: error.message };
    }
    if (error instanceof Error && error.name === "EngineError") {
        return { kind: "engine", message: error.message };
    }
    if (pulumi.ResourceError.isInstance(error)) {
        const resource = (error as { resource?: { __name?: string } }).resource?.__name;
        return { kind: "reported", message: error.message, ...(resource === undefined ? {} : { resource }) };
    }
    if (pulumi.RunError.isInstance(error)) {
        return { kind: "reported", message: error.message };
    }
    const location = error instanceof Error ? firstProgramFrame(error.stack, root) : undefined;
    return { kind: "bug", message: messageOf(error), ...(location === undefined ? {} : { location }) };
}
