/**
 * Loads secretlint's preset, the second engine of the plaintext rule (rules/plaintext-secret.ts,
 * rules/secretlint-preset.ts), shortly after the pack starts: late enough for the gRPC server to bind
 * and print its port first (start-up stays as fast), early enough to be done long before the first
 * Analyze, which comes after the program has run (the CLI and the check start the pack alongside the
 * program). Without it the first literal value would pay the load.
 */
import { presetScanners } from "../../rules/secretlint-preset";

/** How long after the pack module loads the preset is loaded. */
const WARM_UP_DELAY_MS = 100;

// Stryker disable next-line BlockStatement: the warm-up is speed only; the first use loads the preset itself
setTimeout(() => {
    // Stryker disable next-line BlockStatement: as above
    try {
        presetScanners();
    } catch {
        // Loaded again on first use, where a failure is reported with the value's policy.
    }
}, WARM_UP_DELAY_MS).unref();
