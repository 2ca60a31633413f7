/**
 * The detector's hand-written fast paths read exactly as the rules they stand for: the generated-suffix finder as the
 * pattern's regular expression, the in-place tokenizer as tokens split out of the string.
 */
import { expect } from "chai";
import fc from "fast-check";
import { compileSuffixFinder } from "../../detector/generated-suffix";
import { GENERATED_SUFFIX_PATTERNS } from "../../detector/signals";
import { environmentsNamedBy, environmentsNamedIn } from "../../detector/tokens";

/** Strings built mostly of the characters suffix patterns are about, so that matches are common. */
const nearSuffixArb = fc.string({
    unit: fc.oneof(fc.constantFrom("-", "0", "4", "9", "a", "z", "A", "_", "\u0660", "\u00e9"), fc.string({ minLength: 1, maxLength: 1 })),
    maxLength: 16,
});

describe("compileSuffixFinder", () => {
    it("finds a revision's and an execution's generated suffix where the regular expression does", () => {
        const revision = compileSuffixFinder("-[0-9]{5}-[a-z0-9]{3}");
        expect(revision("netra-backend-staging-00042-abc")).to.equal(21);
        expect(revision("-00042-abc")).to.equal(0);
        expect(revision("netra-backend-staging-00042-ABC")).to.equal(-1);
        expect(revision("netra-backend-staging-0042-abc")).to.equal(-1);
        expect(revision("00042-abc")).to.equal(-1);
        const execution = compileSuffixFinder("-[a-z0-9]{5}");
        expect(execution("migrate-x7k2p")).to.equal(7);
        expect(execution("migrate-x7k2\u0660")).to.equal(-1);
    });

    it('agrees with `search(new RegExp(pattern + "$"))` on every generated-suffix pattern and other fixed ones', () => {
        const patterns = [...Object.values(GENERATED_SUFFIX_PATTERNS), "-[0-9]{2}", "[a-]{2}x", "[-a]_[0-9a-f]{3}", "ab-[A-Z]"];
        for (const pattern of patterns) {
            const find = compileSuffixFinder(pattern);
            const expression = new RegExp(`${pattern}$`);
            fc.assert(
                fc.property(nearSuffixArb, nearSuffixArb, (stem, tail) => {
                    const value = `${stem}${tail}`;
                    expect(find(value), `${pattern} on ${JSON.stringify(value)}`).to.equal(value.search(expression));
                }),
            );
        }
    });

    it("falls back to the regular expression for a syntax it does not compile", () => {
        const find = compileSuffixFinder("-[0-9]+(?:-[a-z]{3})?");
        expect(find("netra-00042")).to.equal(5);
        expect(find("netra-00042-abc")).to.equal(5);
        expect(find("netra-abc")).to.equal(-1);
    });
});

describe("environmentsNamedIn", () => {
    it("reads only the range it is given, as environmentsNamedBy reads that slice", () => {
        expect(environmentsNamedIn("https://api.staging.netrasystems.ai/prod", 8, 35)).to.deep.equal(["staging"]);
        expect(environmentsNamedIn("devstaging", 3, 10)).to.deep.equal(["staging"]);
        expect(environmentsNamedIn("prod-staging", 0, 3)).to.deep.equal([]);
        fc.assert(
            fc.property(fc.string({ maxLength: 40 }), fc.nat(), fc.nat(), (text, a, b) => {
                const start = Math.min(a, b) % (text.length + 1);
                const end = start + ((Math.max(a, b) - Math.min(a, b)) % (text.length - start + 1));
                expect(environmentsNamedIn(text, start, end)).to.deep.equal(environmentsNamedBy(text.slice(start, end)));
            }),
        );
    });

    it("splits tokens on every code unit that is not an ASCII letter or digit, non-ASCII letters included", () => {
        expect(environmentsNamedBy("staging\u00e9prod")).to.deep.equal(["staging", "production"]);
        expect(environmentsNamedBy("\u212aprod")).to.deep.equal(["production"]);
        expect(environmentsNamedBy("sta\u0261ing")).to.deep.equal([]);
        expect(environmentsNamedBy("STAGING")).to.deep.equal(["staging"]);
        expect(environmentsNamedBy("Dev1")).to.deep.equal([]);
        expect(environmentsNamedBy("production-prod-PROD")).to.deep.equal(["production"]);
    });
});
