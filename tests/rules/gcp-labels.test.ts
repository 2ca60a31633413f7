/**
 * Google Cloud's label rules (rules/gcp-labels.ts), judged directly: each edge of a key and a value.
 */
import { expect } from "chai";
import {
    isLabelKey,
    isLabelValue,
    LABEL_KEY_RULE,
    LABEL_VALUE_RULE,
    MAX_LABEL_LENGTH,
    MAX_LABELS_PER_RESOURCE,
} from "../../rules/gcp-labels";

describe("Google Cloud's label rules (rules/gcp-labels.ts)", () => {
    it("allows 64 labels per resource and 63 characters per key or value", () => {
        expect([MAX_LABELS_PER_RESOURCE, MAX_LABEL_LENGTH]).to.deep.equal([64, 63]);
    });

    it("describes both rules for messages", () => {
        expect(LABEL_KEY_RULE).to.equal("1 to 63 lower-case letters, digits, _ and -, starting with a letter");
        expect(LABEL_VALUE_RULE).to.equal("at most 63 lower-case letters, digits, _ and -");
    });

    describe("a key", () => {
        it("is lower-case letters, digits, _ and -, starting with a letter", () => {
            for (const key of ["team", "a", "cost-center", "cost_center", "tier2", "a-_9"]) {
                expect(isLabelKey(key), key).to.equal(true);
            }
        });

        it("may hold international lower-case or caseless letters, and start with one", () => {
            for (const key of ["équipe", "ñ", "团队", "ねこ", "عربي", "straße"]) {
                expect(isLabelKey(key), key).to.equal(true);
            }
        });

        it("does not start with a digit, _ or -", () => {
            for (const key of ["2team", "_team", "-team", "٣team"]) {
                expect(isLabelKey(key), key).to.equal(false);
            }
        });

        it("refuses upper-case letters of any script, anywhere", () => {
            for (const key of ["Team", "teaM", "tEam", "Équipe", "éQuipe", "Σ", "teamΣ"]) {
                expect(isLabelKey(key), key).to.equal(false);
            }
        });

        it("refuses any other character, at its start, middle or end", () => {
            for (const key of ["team.name", "team name", "team/x", "team:", " team", "team ", "te@m", "team\n", "😀", "team😀"]) {
                expect(isLabelKey(key), JSON.stringify(key)).to.equal(false);
            }
        });

        it("is 1 to 63 characters, counted as characters rather than UTF-16 units", () => {
            expect(isLabelKey("")).to.equal(false);
            expect(isLabelKey("k".repeat(63))).to.equal(true);
            expect(isLabelKey("k".repeat(64))).to.equal(false);
            // U+20000 is one CJK letter written with two UTF-16 units: 63 of them are 63 characters.
            expect(isLabelKey("\u{20000}".repeat(63))).to.equal(true);
            expect(isLabelKey("\u{20000}".repeat(64))).to.equal(false);
        });
    });

    describe("a value", () => {
        it("may be empty, or start with a digit, _ or -", () => {
            for (const value of ["", "x", "2026", "_a", "-a", "données", "团队", "a-b_c9"]) {
                expect(isLabelValue(value), value).to.equal(true);
            }
        });

        it("refuses upper-case letters and any other character, anywhere", () => {
            for (const value of ["Platform", "platforM", "pLatform", "a.b", "a b", " a", "a ", "a/b", "😀", "Σ"]) {
                expect(isLabelValue(value), JSON.stringify(value)).to.equal(false);
            }
        });

        it("is at most 63 characters, counted as characters rather than UTF-16 units", () => {
            expect(isLabelValue("v".repeat(63))).to.equal(true);
            expect(isLabelValue("v".repeat(64))).to.equal(false);
            expect(isLabelValue("\u{20000}".repeat(63))).to.equal(true);
            expect(isLabelValue("\u{20000}".repeat(64))).to.equal(false);
        });
    });
});
