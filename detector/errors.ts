/**
 * The one error type the detector throws. Callers (and the CLI) branch on `code`, never on the message.
 */

/**
 * Why the environment could not be decided.
 * - `invalid-value`: `ENVIRONMENT` is set to something that is not an environment name or alias.
 * - `no-signal`: on Cloud Run, `ENVIRONMENT` is unset and no signal names an environment.
 * - `conflicting-signals`: on Cloud Run, `ENVIRONMENT` is unset and the signals name different environments.
 */
export type DetectionErrorCode = "invalid-value" | "no-signal" | "conflicting-signals";

/** Thrown when the detector cannot give one answer; the message is one line, fit for a log or a terminal. */
export class EnvironmentDetectionError extends Error {
    /** What went wrong, for code that reacts to it. */
    public readonly code: DetectionErrorCode;

    constructor(code: DetectionErrorCode, message: string) {
        super(message);
        this.name = "EnvironmentDetectionError";
        this.code = code;
    }
}
