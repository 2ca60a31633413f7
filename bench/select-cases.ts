/**
 * Which benchmark cases to run: `BENCH_ONLY` (comma-separated words, matched case-insensitively
 * against each case's label) keeps the cases named, so one part can be timed while iterating on it.
 * The floor is always kept: every ratio is to the floor measured in the same run.
 */

/** The words of a `BENCH_ONLY` value; undefined when it names none (every case runs). */
export function selectionWords(value: string | undefined): string[] | undefined {
    const words = (value ?? "")
        .split(",")
        .map((word) => word.trim().toLowerCase())
        .filter((word) => word !== "");
    return words.length === 0 ? undefined : words;
}

/** True when `label` holds one of `words`, or when there is no selection. */
export function isSelected(label: string, words: readonly string[] | undefined): boolean {
    const lower = label.toLowerCase();
    return words === undefined || words.some((word) => lower.includes(word));
}

/** The first case (the floor) and every selected one after it, in their order. */
export function selectCases<T extends { readonly label: string }>(cases: readonly T[], words: readonly string[] | undefined): T[] {
    return cases.filter((benchCase, index) => index === 0 || isSelected(benchCase.label, words));
}
