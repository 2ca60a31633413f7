/**
 * "Did you mean": the known word closest to a typo. Damerau-Levenshtein distance (a swapped pair of
 * letters counts as one edit, the commonest typo), accepted when it is at most a third of the word's
 * length (at least 1, at most 3), so `netra-platfrom` finds `netra-platform` and `qa` finds nothing.
 */

/** Optimal string alignment distance between `a` and `b`, case-insensitive. */
export function editDistance(a: string, b: string): number {
    const s = a.toLowerCase();
    const t = b.toLowerCase();
    // Three rolling rows: O(|s|·|t|) time, O(|t|) memory. Callers cut both words to a short length first.
    let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
    // Row i - 2, first read at i = 2: a swapped pair needs two characters.
    let before = previous;
    for (let i = 1; i <= s.length; i++) {
        const current = [i];
        for (let j = 1; j <= t.length; j++) {
            const cost = s[i - 1] === t[j - 1] ? 0 : 1;
            let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
            // At i = 1 or j = 1 the pair would start before a word: s[-1] and t[-1] are undefined, so no swap counts.
            if (s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
                best = Math.min(best, before[j - 2] + 1);
            }
            current.push(best);
        }
        before = previous;
        previous = current;
    }
    return previous[t.length];
}

/** Words longer than this are not typos of a config key; comparing them would only cost time. */
const MAX_COMPARED_LENGTH = 64;

/** The closest known word to `given`, or undefined when none is close enough. */
export function closestMatch(given: string, known: readonly string[]): string | undefined {
    if (given.length === 0 || given.length > MAX_COMPARED_LENGTH) {
        return undefined;
    }
    const allowed = Math.min(3, Math.max(1, Math.floor(given.length / 3)));
    let best: { word: string; distance: number } | undefined;
    for (const word of known) {
        const distance = editDistance(given, word);
        if (distance <= allowed && (best === undefined || distance < best.distance)) {
            best = { word, distance };
        }
    }
    return best?.word;
}

/** `; did you mean \`config\`?`, or nothing. */
export function didYouMean(given: string, known: readonly string[]): string {
    const match = closestMatch(given, known);
    return match === undefined ? "" : `; did you mean \`${match}\`?`;
}
