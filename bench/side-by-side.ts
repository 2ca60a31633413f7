import { median } from "./measure";

/** One thing to time: `run` resolves with the milliseconds one run took. */
export interface BenchCase {
    readonly label: string;
    /** How many timed runs (after one warm-up); slow cases may take fewer. */
    readonly runs: number;
    readonly run: () => Promise<number> | number;
}

/** The medians, in the order of the cases. */
export interface BenchResult {
    readonly label: string;
    readonly median: number;
    readonly runs: number;
}

/**
 * Times every case round-robin (A B C A B C ...), after one warm-up run each, so that a noisy
 * neighbour slows all cases alike and the ratios between them stay meaningful on a shared machine.
 */
export async function sideBySide(cases: readonly BenchCase[], log: (line: string) => void = () => undefined): Promise<BenchResult[]> {
    // One retry per run: on a machine shared with other test runs, a process can be killed under us.
    const once = async (benchCase: BenchCase): Promise<number> => {
        try {
            return await benchCase.run();
        } catch (error) {
            log(`${benchCase.label}: ${(error as Error).message.split("\n")[0]}; retrying once`);
            return benchCase.run();
        }
    };
    for (const benchCase of cases) {
        await once(benchCase);
    }
    const timings = cases.map(() => [] as number[]);
    const rounds = Math.max(...cases.map((benchCase) => benchCase.runs));
    for (let round = 0; round < rounds; round++) {
        for (const [index, benchCase] of cases.entries()) {
            if (round < benchCase.runs) {
                timings[index].push(await once(benchCase));
            }
        }
        log(`round ${round + 1}/${rounds} done`);
    }
    return cases.map((benchCase, index) => ({ label: benchCase.label, median: median(timings[index]), runs: timings[index].length }));
}
