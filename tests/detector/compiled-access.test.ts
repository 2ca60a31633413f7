/**
 * The compiled property reads and writes of the detector read and write exactly as a loop over the names would, compile
 * only identifiers into code, and fall back to the loop where code generation is disabled.
 */
import { expect } from "chai";
import fc from "fast-check";
import { compileBuilder, compileReader } from "../../detector/compiled-access";

const NAMES = ["ENVIRONMENT", "K_SERVICE", "_X9"];

/** Runs `body` with the global `Function` constructor replaced by `replacement`; returns how often it was called. */
function withFunction(replacement: (...args: string[]) => unknown, body: () => void): number {
    const original = globalThis.Function;
    let calls = 0;
    globalThis.Function = function (...args: string[]) {
        calls += 1;
        return replacement(...args);
    } as unknown as FunctionConstructor;
    try {
        body();
    } finally {
        globalThis.Function = original;
    }
    return calls;
}

/** The arguments of every `new Function` that `body` makes (each still compiled). */
function compiledSources(body: () => void): string[][] {
    const original = globalThis.Function;
    const seen: string[][] = [];
    withFunction((...args) => {
        seen.push(args);
        return new original(...args);
    }, body);
    return seen;
}

const refuseCodeGeneration = (): never => {
    throw new EvalError("Code generation from strings disallowed for this context");
};

describe("compileReader", () => {
    it("reads every name in order, undefined where absent, and nothing else", () => {
        const read = compileReader<string>(NAMES);
        expect(read({ K_SERVICE: "api", OTHER: "x", ENVIRONMENT: "staging" })).to.deep.equal(["staging", "api", undefined]);
        expect(read({})).to.deep.equal([undefined, undefined, undefined]);
        expect(compileReader<string>([])({ A: "a" })).to.deep.equal([]);
    });

    it("compiles a list of upper-case identifiers into one function of plain property reads", () => {
        expect(compiledSources(() => compileReader<string>(NAMES))).to.deep.equal([
            ["record", '"use strict"; return [record["ENVIRONMENT"], record["K_SERVICE"], record["_X9"]];'],
        ]);
    });

    it("never puts a name that is not an upper-case identifier into code, and reads it all the same", () => {
        for (const names of [["K_SERVICE", 'X"]; globalThis.injected = 1; ["'], ["k_service"], ["9X"], ["A-B"], ["X Y"], ["Ä"]]) {
            let read: ReturnType<typeof compileReader<string>> | undefined;
            expect(
                withFunction(refuseCodeGeneration, () => (read = compileReader<string>(names))),
                names.join(),
            ).to.equal(0);
            const record = Object.fromEntries(names.map((name, index) => [name, `v${index}`]));
            expect(read?.(record)).to.deep.equal(names.map((_, index) => `v${index}`));
        }
        expect((globalThis as { injected?: number }).injected).to.equal(undefined);
    });

    it("falls back to a loop, reading the same, where code generation is disabled", () => {
        let read: ReturnType<typeof compileReader<string>> | undefined;
        expect(withFunction(refuseCodeGeneration, () => (read = compileReader<string>(NAMES)))).to.equal(1);
        expect(read?.({ _X9: "9", ENVIRONMENT: "dev" })).to.deep.equal(["dev", undefined, "9"]);
    });
});

describe("compileBuilder", () => {
    it("builds a record of the defined slots only, keys in the order of the names", () => {
        const build = compileBuilder<string>(NAMES);
        const record = build(["staging", undefined, "x"]);
        expect(record).to.deep.equal({ ENVIRONMENT: "staging", _X9: "x" });
        expect(Object.keys(build([undefined, "b", "a"]))).to.deep.equal(["K_SERVICE", "_X9"]);
        expect(build([undefined, undefined, undefined])).to.deep.equal({});
        expect(build(["", undefined, undefined])).to.deep.equal({ ENVIRONMENT: "" });
    });

    it("compiles a list of upper-case identifiers into one function of plain property stores", () => {
        expect(compiledSources(() => compileBuilder<string>(["A", "B"]))).to.deep.equal([
            [
                "slots",
                '"use strict"; const record = {}; if (slots[0] !== undefined) record["A"] = slots[0]; ' +
                    'if (slots[1] !== undefined) record["B"] = slots[1]; return record;',
            ],
        ]);
    });

    it("gives a fresh record on every call", () => {
        const build = compileBuilder<string>(NAMES);
        const first = build(["a", undefined, undefined]);
        expect(build(["a", undefined, undefined])).to.not.equal(first);
    });

    it("builds the same through the loop, for names that are not identifiers and where code generation is disabled", () => {
        const names = ["ENVIRONMENT", "k-service", "_X9"];
        const compiled = compileBuilder<string>(NAMES);
        fc.assert(
            fc.property(fc.array(fc.option(fc.string(), { nil: undefined }), { minLength: 3, maxLength: 3 }), (slots) => {
                let disabled: ReturnType<typeof compileBuilder<string>> | undefined;
                expect(withFunction(refuseCodeGeneration, () => (disabled = compileBuilder<string>(NAMES)))).to.equal(1);
                let quoted: ReturnType<typeof compileBuilder<string>> | undefined;
                expect(withFunction(refuseCodeGeneration, () => (quoted = compileBuilder<string>(names)))).to.equal(0);
                const expected = compiled(slots);
                expect(disabled?.(slots)).to.deep.equal(expected);
                expect(Object.keys(disabled?.(slots) ?? {})).to.deep.equal(Object.keys(expected));
                const renamed = Object.fromEntries(
                    Object.entries(expected).map(([key, value]) => [key === "K_SERVICE" ? "k-service" : key, value]),
                );
                expect(quoted?.(slots)).to.deep.equal(renamed);
                expect(Object.keys(quoted?.(slots) ?? {})).to.deep.equal(Object.keys(renamed));
            }),
            { numRuns: 200 },
        );
    });
});
