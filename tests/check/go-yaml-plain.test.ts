import { expect } from "chai";
import fc from "fast-check";
import { goYamlReadsPlainAs } from "../../check/stack-yaml/go-yaml-plain";

describe("what Go's yaml.v3 (the Pulumi CLI's reader) makes of a plain scalar the npm parser reads as text", () => {
    it("reads Go's integer literals, underscores dropped, with their value", () => {
        expect(
            ["0b101", "-0b11", "+0o17", "017", "0x1F", "-0X1f", "1_000", "1__0", "1_", "+12_3"].map((text) => [
                text,
                goYamlReadsPlainAs(text),
            ]),
        ).to.deep.equal([
            ["0b101", "the number 5"],
            ["-0b11", "the number -3"],
            ["+0o17", "the number 15"],
            ["017", "the number 15"],
            ["0x1F", "the number 31"],
            ["-0X1f", "the number -31"],
            ["1_000", "the number 1000"],
            ["1__0", "the number 10"],
            ["1_", "the number 1"],
            ["+12_3", "the number 123"],
        ]);
    });

    it("reads floats with underscores as numbers, and dates with or without a time as timestamps", () => {
        expect(
            ["1_0.5", "1.5_0", "2026-12-06", "2026-1-2", "2026-12-06T10:00:00Z", "2026-12-06 10:00:00"].map(goYamlReadsPlainAs),
        ).to.deep.equal(["a number", "a number", "a timestamp", "a timestamp", "a timestamp", "a timestamp"]);
    });

    it("reads as text what starts with neither a digit, a sign nor a dot, or is no number once underscores go", () => {
        expect(
            ["_1", "v1_000", "staging", "12ab", "1.2.3", "0x", "-", "+", ".", "0b2", "3f78a1", "2026-12", "10:00"].map(goYamlReadsPlainAs),
        ).to.deep.equal(Array(13).fill(undefined));
    });

    it("never calls text that starts with a letter anything but text", () => {
        fc.assert(fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.:+-]{0,20}$/), (text) => goYamlReadsPlainAs(text) === undefined));
    });

    it("calls every run of digits broken by underscores a number, whatever the underscores", () => {
        fc.assert(
            fc.property(fc.array(fc.stringMatching(/^[1-9][0-9]{0,5}$/), { minLength: 1, maxLength: 4 }), (groups) => {
                const text = groups.join("_");
                return (
                    goYamlReadsPlainAs(text) === `the number ${Number(groups.join(""))}` || !Number.isSafeInteger(Number(groups.join("")))
                );
            }),
        );
    });
});
