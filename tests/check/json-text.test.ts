/**
 * JSON text to a value, or the place of its first error (check/json-text.ts): the place never comes
 * from V8's message, whose quoted text may say anything, and the scan agrees with JSON.parse.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { jsonErrorOffset, parseJsonText } from "../../check/json-text";

/** Characters JSON is made of, and a few it refuses, so random text is often almost JSON. */
const ALMOST_JSON = fc
    .array(fc.constantFrom(...'{}[],:"\\ \n\ttfnrue0123456789-+.eEabu\u0001\u00e9\ud83d'.split("")), { maxLength: 30 })
    .map((characters) => characters.join(""));

/** V8's own position, where its message gives one (at its end: the quoted text before it may hold anything). */
function v8Position(text: string): number | undefined {
    try {
        JSON.parse(text);
    } catch (error) {
        const match = / at position (\d+)(?: \(line \d+ column \d+\))?$/.exec((error as Error).message);
        return match === null ? undefined : Number(match[1]);
    }
    return undefined;
}

describe("JSON text and the place of its first error", () => {
    it("parses JSON text", () => {
        expect(parseJsonText(' {"a": [1, true, null, "x"]} ')).to.deep.equal({ ok: true, value: { a: [1, true, null, "x"] } });
    });

    it("places an error where the text stops being JSON, not where the quoted text says", () => {
        expect(parseJsonText("xposition 99")).to.deep.equal({ ok: false, line: 1, column: 1 });
        expect(parseJsonText('{\n  "a": 1,\n  "b": position 3\n}')).to.deep.equal({ ok: false, line: 3, column: 8 });
        expect(parseJsonText("[1,\n]")).to.deep.equal({ ok: false, line: 2, column: 1 });
    });

    it("places each kind of error at the character that breaks the text", () => {
        const cases: [string, number][] = [
            ["", 0],
            ["  ", 2],
            ["[1,2", 4],
            ['{"a":1,}', 7],
            ['{"a" 1}', 5],
            ['{"a":1 "b":2}', 7],
            ['"\\x"', 2],
            ['"\\u12g4"', 5],
            ['"a\nb"', 2],
            ['"open', 5],
            ["[1] x", 4],
            ["-01", 2],
            ["-", 1],
            ["1.", 2],
            ["1e+", 3],
            ["tru", 3],
            ["nul!", 3],
            ["[,1]", 1],
            ["{,}", 1],
        ];
        expect(cases.map(([text]) => jsonErrorOffset(text))).to.deep.equal(cases.map(([, offset]) => offset));
    });

    it("finds no error in any JSON text", () => {
        fc.assert(
            fc.property(fc.json(), (text) => jsonErrorOffset(text) === undefined),
            { numRuns: 2000 },
        );
    });

    it("agrees with JSON.parse on which text is JSON, and with V8 on the place wherever V8 gives one", () => {
        fc.assert(
            fc.property(ALMOST_JSON, (text) => {
                let valid = true;
                try {
                    JSON.parse(text);
                } catch {
                    valid = false;
                }
                const offset = jsonErrorOffset(text);
                const v8 = v8Position(text);
                return (offset === undefined) === valid && (v8 === undefined || v8 === offset);
            }),
            { numRuns: 20_000 },
        );
    });

    it("scans nesting of any depth without recursion", () => {
        const depth = 100_000;
        expect(jsonErrorOffset(`${"[".repeat(depth)}${"]".repeat(depth - 1)}`)).to.equal(2 * depth - 1);
        expect(jsonErrorOffset(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`)).to.equal(undefined);
    });
});
