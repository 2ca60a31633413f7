/**
 * Finds a generated suffix (signals.ts GENERATED_SUFFIX_PATTERNS) at the end of a name without running a regular
 * expression. The pattern sources stay the one truth (the Python twin compiles them with `re`); each is compiled here,
 * once, into a table of the code units allowed at each position, since such a suffix has a fixed length.
 */

/** Where `pattern` (anchored at the end) starts in `value`, or -1: what `value.search(new RegExp(pattern + "$"))` gives. */
export type SuffixFinder = (value: string) => number;

/** The ASCII code units one position accepts (a literal or a class), 1 each. */
type Position = Uint8Array;

/**
 * Positions of a pattern made only of literal ASCII characters and classes of them (`[a-z0-9]`, no negation), each
 * optionally repeated `{n}` times; undefined for any other syntax.
 */
function fixedPositions(pattern: string): Position[] | undefined {
    const positions: Position[] = [];
    let index = 0;
    while (index < pattern.length) {
        const position = new Uint8Array(128);
        const char = pattern[index];
        if (char === "[") {
            const close = pattern.indexOf("]", index + 1);
            const body = close === -1 ? "" : pattern.slice(index + 1, close);
            if (body === "" || body.startsWith("^") || /[\\[]/.test(body)) {
                return undefined;
            }
            let at = 0;
            while (at < body.length) {
                // `a-z` is a range; a `-` first or last is itself.
                const low = body.charCodeAt(at);
                const range = body[at + 1] === "-" && at + 2 < body.length;
                const high = range ? body.charCodeAt(at + 2) : low;
                // A forward range of ASCII, or one unit of it; NaN (a read past the body) is neither.
                if (!(low <= high && high <= 0x7f)) {
                    return undefined;
                }
                position.fill(1, low, high + 1);
                at += range ? 3 : 1;
            }
            index = close + 1;
        } else if (/[A-Za-z0-9_\-=:@!%&,;'"<>~`/ ]/.test(char)) {
            position[char.charCodeAt(0)] = 1;
            index += 1;
        } else {
            return undefined;
        }
        const count = /^\{([0-9]+)\}/.exec(pattern.slice(index));
        const times = count === null ? 1 : Number(count[1]);
        index += count === null ? 0 : count[0].length;
        for (let time = 0; time < times; time += 1) {
            positions.push(position);
        }
    }
    return positions;
}

/**
 * The finder of `pattern`: a scan of the fixed-length table when the syntax allows one, else the regular expression
 * itself (which a pattern only the Python twin can read would fail loudly here, at load).
 */
export function compileSuffixFinder(pattern: string): SuffixFinder {
    const positions = fixedPositions(pattern);
    if (positions === undefined) {
        const expression = new RegExp(`${pattern}$`);
        return (value) => value.search(expression);
    }
    const width = positions.length;
    const table = new Uint8Array(width * 128);
    positions.forEach((position, offset) => table.set(position, offset * 128));
    return (value) => {
        const start = value.length - width;
        if (start < 0) {
            return -1;
        }
        for (let offset = 0; offset < width; offset += 1) {
            const code = value.charCodeAt(start + offset);
            // Past the value's end code is NaN, and table[NaN] is undefined: no match either.
            if (code > 0x7f || table[offset * 128 + code] !== 1) {
                return -1;
            }
        }
        return start;
    };
}
