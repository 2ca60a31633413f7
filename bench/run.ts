/**
 * `npm run bench`: every benchmark, one after the other in this process tree, each printing a
 * Markdown table of medians and ratios. Numbers are for the issue notes, never asserted in tests.
 */
import { main as checkBench } from "./check.bench";
import { main as detectorBench } from "./detector.bench";

async function runAll(): Promise<void> {
    await checkBench();
    console.log("");
    await detectorBench();
}

runAll().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
