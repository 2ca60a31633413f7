"use strict";
/**
 * Preloaded (`node -r`) into every policy pack process started by check/pack-process.ts. The
 * pack's gRPC server keeps its process alive forever, so if the host dies without killing it (a
 * SIGTERM from a CI timeout, a crash) the pack would be left behind. The host holds the write end
 * of the pack's stdin and never writes to it; when the host goes away the pipe closes and the pack
 * exits. The pack itself never reads stdin, so its behaviour is unchanged. Plain JavaScript: it
 * runs before ts-node exists.
 */
const stdin = process.stdin;
stdin.on("end", () => process.exit(0));
stdin.on("error", () => process.exit(0));
stdin.resume();
// Unreferenced: a pack that fails at start-up must still exit on its own.
if (typeof stdin.unref === "function") {
    stdin.unref();
}
