/**
 * `npm run bench`: every benchmark, one after the other in this process tree, each printing a
 * Markdown table of medians and ratios. Numbers are for the issue notes, never asserted in tests.
 * `BENCH_ONLY=<word>[,<word>...]` runs only the cases whose label holds a word (and the floor).
 */
import { main as checkBench } from "./check.bench";
import { main as detectorBench } from "./detector.bench";
import { isSelected, selectionWords } from "./select-cases";

async function runAll(): Promise<void> {
    await checkBench();
    // BENCH_ONLY (select-cases.ts) names the detector's cases by the word "detector".
    if (isSelected("detector", selectionWords(process.env.BENCH_ONLY))) {
        console.log("");
        await detectorBench();
    }
}

runAll().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
