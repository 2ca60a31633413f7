import { expect } from "chai";
import { isSelected, selectCases, selectionWords } from "../../bench/select-cases";

const CASES = [
    { label: "floor: `node -e 'require(\"@pulumi/pulumi\")'`" },
    { label: "check, staging" },
    { label: "check, staging --preview" },
    { label: "pack under run-policy-pack to its port, after: index.js entry, sucrase" },
    { label: "check, 500 generated services" },
];

describe("bench: BENCH_ONLY selects the cases to time", () => {
    it("reads comma-separated words, trimmed and lower-cased, and no words as no selection", () => {
        expect(selectionWords(" Staging , pack ")).to.deep.equal(["staging", "pack"]);
        expect(selectionWords("staging,,")).to.deep.equal(["staging"]);
        expect(selectionWords(undefined)).to.equal(undefined);
        expect(selectionWords("")).to.equal(undefined);
        expect(selectionWords(" , ")).to.equal(undefined);
    });

    it("keeps the floor and the cases whose label holds a word, in their order", () => {
        expect(selectCases(CASES, ["staging"]).map((benchCase) => benchCase.label)).to.deep.equal([
            "floor: `node -e 'require(\"@pulumi/pulumi\")'`",
            "check, staging",
            "check, staging --preview",
        ]);
        expect(
            selectCases(
                CASES,
                ["500 generated", "RUN-POLICY"].map((word) => word.toLowerCase()),
            ).map((c) => c.label),
        ).to.deep.equal([
            "floor: `node -e 'require(\"@pulumi/pulumi\")'`",
            "pack under run-policy-pack to its port, after: index.js entry, sucrase",
            "check, 500 generated services",
        ]);
    });

    it("keeps the floor even when no case matches, and every case without a selection", () => {
        expect(selectCases(CASES, ["nothing"]).map((benchCase) => benchCase.label)).to.deep.equal([
            "floor: `node -e 'require(\"@pulumi/pulumi\")'`",
        ]);
        expect(selectCases(CASES, undefined)).to.deep.equal(CASES);
    });

    it("matches a label case-insensitively, and everything when there is no selection", () => {
        expect(isSelected("Detector, cold call", ["detector"])).to.equal(true);
        expect(isSelected("check, staging", ["detector"])).to.equal(false);
        expect(isSelected("anything", undefined)).to.equal(true);
    });
});
