import { expect } from "chai";
import fc from "fast-check";
import { goYamlReadsPlainAs } from "../../check/stack-yaml/go-yaml-plain";

describe("what Go's yaml.v3 (the Pulumi CLI's reader) makes of a plain scalar the npm parser reads as text", () => {
    it("reads Go's integer literals in every base, with a sign and underscores dropped, with their value", () => {
        const cases = [
            ["0b101", "the number 5"],
            ["-0B11", "the number -3"],
            ["+0o17", "the number 15"],
            ["0O17", "the number 15"],
            ["017", "the number 15"],
            ["-017", "the number -15"],
            ["08", "the number 8"],
            ["0x1F", "the number 31"],
            ["-0X1f", "the number -31"],
            ["+0xff", "the number 255"],
            ["1_000", "the number 1000"],
            ["1__0", "the number 10"],
            ["1_", "the number 1"],
            ["+12_3", "the number 123"],
            ["-4_2", "the number -42"],
            ["9_007_199_254_740_993", "a number"],
        ];
        expect(cases.map(([text]) => [text, goYamlReadsPlainAs(text)])).to.deep.equal(cases);
    });

    it("reads a float's every part (sign, fraction, exponent), underscores dropped, as a number", () => {
        expect(["1_0.5", "-1.5_0", "+.5_0", "1.", "1.e3", "2_5e-3", "1e+1_0", "-.5E3"].map(goYamlReadsPlainAs)).to.deep.equal(
            Array(8).fill("a number"),
        );
        expect(["1e", "1e+", ".e3", "1.5.", "e3_"].map(goYamlReadsPlainAs)).to.deep.equal(Array(5).fill(undefined));
    });

    it("reads an unquoted date, alone or with a time in each layout, as a timestamp", () => {
        expect(
            [
                "2026-12-06",
                "2026-1-2",
                "2026-12-06T10:00:00Z",
                "2026-12-06t1:2:3",
                "2026-12-06 10:00:00",
                "2026-12-06  10:00:00.123",
                "2026-12-06T10:00:00+01:00",
                "2026-12-06T10:00:00.5-08:00",
            ].map(goYamlReadsPlainAs),
        ).to.deep.equal(Array(8).fill("a timestamp"));
    });

    it("reads as text a date cut short or overlong, and a time without its seconds", () => {
        expect(
            [
                "2026-12-06T10:00",
                "12026-12-06",
                "2026-123-06",
                "2026-12-061",
                "x2026-12-06",
                "2026-12-06T10:00:00+1",
                "2026-12-06T10:00:00.",
            ].map(goYamlReadsPlainAs),
        ).to.deep.equal(Array(7).fill(undefined));
    });

    it("reads as text what starts with neither a digit, a sign nor a dot, or is no number once underscores go", () => {
        expect(
            ["_1", "v1_000", "staging", "12ab", "1.2.3", "0x", "-", "+", ".", "0b2", "0o8", "3f78a1", "2026-12", "10:00", "+-1", "1-"].map(
                goYamlReadsPlainAs,
            ),
        ).to.deep.equal(Array(16).fill(undefined));
    });

    it("never calls text that starts with a letter anything but text", () => {
        fc.assert(fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.:+-]{0,20}$/), (text) => goYamlReadsPlainAs(text) === undefined));
    });

    it("calls every run of digits broken by underscores the number the digits make", () => {
        fc.assert(
            fc.property(fc.array(fc.stringMatching(/^[1-9][0-9]{0,3}$/), { minLength: 1, maxLength: 3 }), (groups) => {
                return goYamlReadsPlainAs(groups.join("_")) === `the number ${Number(groups.join(""))}`;
            }),
        );
    });
});
