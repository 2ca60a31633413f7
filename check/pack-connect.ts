/**
 * Waits for the pack's gRPC server as the CLI does (pluginRPCConnectionTimeout, 10 s), but a try
 * that ran out of time gets another, up to CONNECT_ATTEMPTS in all: a caller busy running a program
 * of thousands of resources starves this event loop, and a deadline can pass unheard while the pack
 * is up. Only a timeout is tried again; a pack that crashed, or a session that was closed, is final.
 */
import { PolicyPackError } from "./policy-pack-error";

/** How long the CLI waits for a plugin's gRPC channel to connect (pluginRPCConnectionTimeout). */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Tries of the connect timeout each, while each ends as a "timeout". */
export const CONNECT_ATTEMPTS = 3;

/**
 * Runs `tryOnce(timeoutMs)` until it resolves; a "timeout" PolicyPackError is tried again until
 * `attempts` tries are spent, when the last one's error is thrown. Any other error is thrown at once.
 */
export async function connectWithRetries(
    tryOnce: (timeoutMs: number) => Promise<void>,
    timeoutMs: number = CONNECT_TIMEOUT_MS,
    attempts: number = CONNECT_ATTEMPTS,
): Promise<void> {
    for (let attempt = 1; ; attempt++) {
        try {
            await tryOnce(timeoutMs);
            return;
        } catch (error) {
            const timedOut = error instanceof PolicyPackError && error.kind === "timeout";
            if (!timedOut || attempt >= attempts) {
                throw error;
            }
        }
    }
}
