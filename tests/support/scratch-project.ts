import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readStackFile, StackFileError, type StackFile } from "../../check/stack-file";
import { FROZEN_STAGING_DIR } from "./staging-fixture";

/** Reads a stack file given as text or bytes from a scratch project beside the frozen Pulumi.yaml. */
export function readScratchStack(content: string | Uint8Array, stack = "t"): StackFile {
    const dir = mkdtempSync(path.join(tmpdir(), "netra-stack-"));
    try {
        copyFileSync(path.join(FROZEN_STAGING_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), content);
        return readStackFile(dir, stack);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The StackFileError message for `content`, or a failure when it is accepted. */
export function stackFileErrorOf(content: string | Uint8Array): string {
    try {
        readScratchStack(content);
    } catch (error) {
        if (error instanceof StackFileError) {
            return error.message;
        }
        throw error;
    }
    throw new Error("expected the stack file to be refused");
}
