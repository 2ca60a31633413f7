/**
 * The detector's hand-written fast paths read exactly as the rules they stand for: the generated-suffix finder as the
 * pattern's regular expression, the in-place tokenizer as tokens split out of the string.
 */
import { expect } from "chai";
import fc from "fast-check";
import { compileSuffixFinder } from "../../detector/generated-suffix";
import { ABSOLUTE_URL_PATTERN, chosenLabels, chosenLabelsEnd, hostEnvironments, type HostBounds } from "../../detector/hostname";
import { GENERATED_SUFFIX_PATTERNS } from "../../detector/signals";
import { environmentsNamedBy, environmentsNamedIn, hostEnvironmentsUntil, type TokenRun } from "../../detector/tokens";

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

/** Runs `body` with `String.prototype.search` counting its calls; the count is returned. */
function countingSearches(body: () => void): number {
    const search = Object.getOwnPropertyDescriptor(String.prototype, "search");
    let calls = 0;
    Object.defineProperty(String.prototype, "search", {
        configurable: true,
        writable: true,
        value(this: string, expression: RegExp): number {
            calls += 1;
            return (search?.value as (this: string, expression: RegExp) => number).call(this, expression);
        },
    });
    try {
        body();
    } finally {
        Object.defineProperty(String.prototype, "search", search as PropertyDescriptor);
    }
    return calls;
}

/** Patterns the table reads: literals, classes, ranges, a `-` first or last, `{n}` counts. */
const TABLE_PATTERNS = [
    "-[0-9]{5}-[a-z0-9]{3}",
    "-[a-z0-9]{5}",
    "x=:@!%&,;'\"<>~`/ _-[a-]{2}",
    "[-a]_[0-9a-f]{3}",
    "ab-[A-Z]{12}",
    "[a][b-c]{1}Z9",
    "[azb]{2}",
    "x[~\u007f]",
];
/** Patterns only a regular expression reads: negated classes, escapes, quantifiers, groups, any-character, non-ASCII. */
const REGEX_PATTERNS = ["[^a-z]{2}", "\\d{3}", "a+", "[a\\]]", "(ab)", "a.b", "[a-\u00e9]", "a{2,3}", "[]a]", "a{x}", "a|b"];

describe("compileSuffixFinder's table", () => {
    it("reads a pattern of literals and classes without a regular expression", () => {
        const samples = ["netra-backend-staging-00042-abc", "x=:@!%&,;'\"<>~`/ _-a-", "b_0f9", "ab-ABCDEFGHIJKL", "abcZ9", ""];
        for (const pattern of TABLE_PATTERNS) {
            const find = compileSuffixFinder(pattern);
            expect(
                countingSearches(() => samples.forEach((sample) => find(sample))),
                pattern,
            ).to.equal(0);
        }
    });

    it("falls back to the regular expression for every other syntax, and reads as it does", () => {
        for (const pattern of REGEX_PATTERNS) {
            const find = compileSuffixFinder(pattern);
            const expression = new RegExp(`${pattern}$`);
            for (const sample of ["xx", "9z", "aa", "a\\]", "ab", "axb", "a\u00e9", "aaa", "]a", "a{x}", "b", "{2}", "123"]) {
                let found = -2;
                expect(
                    countingSearches(() => (found = find(sample))),
                    `${pattern} on ${sample}`,
                ).to.equal(1);
                expect(found, `${pattern} on ${sample}`).to.equal(sample.search(expression));
            }
        }
    });

    it("fails at load, as the regular expression does, on a pattern neither can read", () => {
        expect(() => compileSuffixFinder("-[a-z")).to.throw(SyntaxError);
        expect(() => compileSuffixFinder("[z-a]")).to.throw(SyntaxError);
        expect(() => compileSuffixFinder("{2}")).to.throw(SyntaxError);
    });

    it("agrees with the regular expression on every table pattern, on strings made of their characters", () => {
        const unit = fc.constantFrom(..."-0459azAZ_bcf=:@!%&,;'\"<>~`/ xy\u007f\u00e9\u0660");
        for (const pattern of TABLE_PATTERNS) {
            const find = compileSuffixFinder(pattern);
            const expression = new RegExp(`${pattern}$`);
            fc.assert(
                fc.property(
                    fc.string({ unit, maxLength: 24 }),
                    fc.constantFrom("", "-00042-abc", "x=:@!%&,;'\"<>~`/ _-a-", "a_0f9", "abcZ9", "zb", "x\u007f"),
                    (stem, tail) => {
                        const value = `${stem}${tail}`;
                        expect(find(value), `${pattern} on ${JSON.stringify(value)}`).to.equal(value.search(expression));
                    },
                ),
                { numRuns: 500 },
            );
        }
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
        // The last state of the automaton's table, then a unit just past the table's columns.
        expect(environmentsNamedBy("production\u0080")).to.deep.equal(["production"]);
        expect(environmentsNamedIn("x production\u0080", 2, 13)).to.deep.equal(["production"]);
    });
});

describe("hostEnvironmentsUntil", () => {
    const stops = new Uint8Array(0x80);
    stops[0x2f] = 1; // "/"
    stops[0x3a] = 1; // ":"

    it("reads tokens up to the first stop unit and says where that is and whether a capital came before", () => {
        const run: TokenRun = { end: -1, capitals: true };
        expect(hostEnvironmentsUntil("xx://dev-Stage:8/prod", 5, stops, run)).to.deep.equal(["development", "staging"]);
        expect(run).to.deep.equal({ end: 14, capitals: true });
        expect(hostEnvironmentsUntil("prod/dev", 0, stops, run)).to.deep.equal(["production"]);
        expect(run).to.deep.equal({ end: 4, capitals: false });
        expect(hostEnvironmentsUntil("a-TEST", 0, stops, run)).to.deep.equal(["test"]);
        expect(run).to.deep.equal({ end: 6, capitals: true });
        expect(hostEnvironmentsUntil("/dev", 0, stops, run)).to.deep.equal([]);
        expect(run).to.deep.equal({ end: 0, capitals: false });
        expect(hostEnvironmentsUntil("dev", 3, stops, run)).to.deep.equal([]);
        expect(run).to.deep.equal({ end: 3, capitals: false });
    });

    it("counts only ASCII capitals, and never stops at a unit from 0x80 up", () => {
        const run: TokenRun = { end: -1, capitals: true };
        expect(hostEnvironmentsUntil("\u00c9dev\u012f\u00bfprod", 0, stops, run)).to.deep.equal(["development", "production"]);
        expect(run).to.deep.equal({ end: 10, capitals: false });
        expect(hostEnvironmentsUntil("@[Z`{", 0, stops, run)).to.deep.equal([]);
        expect(run).to.deep.equal({ end: 5, capitals: true });
        expect(hostEnvironmentsUntil("@[A`{", 0, stops, run)).to.deep.equal([]);
        expect(run.capitals).to.equal(true);
        expect(hostEnvironmentsUntil("dev@[`{", 0, stops, run)).to.deep.equal(["development"]);
        expect(run.capitals).to.equal(false);
        expect(hostEnvironmentsUntil("prod-09az", 0, stops, run)).to.deep.equal(["production"]);
        expect(run).to.deep.equal({ end: 9, capitals: false });
        expect(hostEnvironmentsUntil("production\u0080/", 0, stops, run)).to.deep.equal(["production"]);
        expect(run).to.deep.equal({ end: 11, capitals: false });
    });

    it("leaves out the host's top-level label: the one after its last dot, or before a final dot", () => {
        const run: TokenRun = { end: -1, capitals: true };
        expect(hostEnvironmentsUntil("api.staging.netra.dev/prod", 0, stops, run)).to.deep.equal(["staging"]);
        expect(run).to.deep.equal({ end: 21, capitals: false });
        expect(hostEnvironmentsUntil("prod.dev.", 0, stops, run)).to.deep.equal(["production"]);
        expect(hostEnvironmentsUntil("a.b.test.", 0, stops, run)).to.deep.equal([]);
        expect(hostEnvironmentsUntil("stage.", 0, stops, run)).to.deep.equal(["staging"]);
        expect(hostEnvironmentsUntil("dev.prod.staging:8", 0, stops, run)).to.deep.equal(["development", "production"]);
        expect(hostEnvironmentsUntil("staging", 0, stops, run)).to.deep.equal(["staging"]);
        expect(hostEnvironmentsUntil(".", 0, stops, run)).to.deep.equal([]);
    });

    it("reads what environmentsNamedIn reads of the chosen labels up to the first stop, on any string", () => {
        const unit = fc.constantFrom("/", ":", "-", ".", "dev", "Prod", "STAGE", "test", "x", "7", "\u00e9", "\u212a", "@", "[", "`", "{");
        fc.assert(
            fc.property(fc.string({ unit, maxLength: 12 }), fc.nat(), (text, at) => {
                const start = at % (text.length + 1);
                const run: TokenRun = { end: -1, capitals: false };
                const environments = hostEnvironmentsUntil(text, start, stops, run);
                const stop = text.slice(start).search(/[/:]/);
                const end = stop < 0 ? text.length : start + stop;
                expect(run.end).to.equal(end);
                expect(run.capitals).to.equal(/[A-Z]/.test(text.slice(start, end)));
                expect(environments).to.deep.equal(environmentsNamedIn(text, start, chosenLabelsEnd(text, start, end)));
            }),
            { numRuns: 5_000 },
        );
    });
});

describe("chosenLabels: the labels of a host its owner chose", () => {
    it("drops the top-level label, which the registry chose", () => {
        expect(chosenLabels("api.staging.netra.dev")).to.equal("api.staging.netra");
        expect(chosenLabels("backend.svc.cluster.local")).to.equal("backend.svc.cluster");
        expect(chosenLabels("auth.test")).to.equal("auth");
    });

    it("keeps a host of one label whole, and a final dot ends no label", () => {
        expect(chosenLabels("localhost")).to.equal("localhost");
        expect(chosenLabels("staging.")).to.equal("staging");
        expect(chosenLabels("staging.netrasystems.ai.")).to.equal("staging.netrasystems");
        expect(chosenLabels("")).to.equal("");
        expect(chosenLabels(".")).to.equal("");
    });

    it("reads only inside the given bounds: a dot before them is not the host's", () => {
        expect(chosenLabelsEnd("a.b://staging", 6, 13)).to.equal(13);
        expect(chosenLabelsEnd("x://dev.test/a.b", 4, 12)).to.equal(7);
    });

    it("is the labels split at dots with the last non-empty one left out, on any host", () => {
        const unit = fc.constantFrom(".", "a", "dev", "prod", "-", "1");
        fc.assert(
            fc.property(fc.string({ unit, maxLength: 10 }), (host) => {
                const labels = (host.endsWith(".") ? host.slice(0, -1) : host).split(".");
                const chosen = labels.length === 1 ? labels : labels.slice(0, -1);
                expect(chosenLabels(host), JSON.stringify(host)).to.equal(chosen.join("."));
            }),
            { numRuns: 2_000 },
        );
    });
});

describe("hostEnvironments", () => {
    it("finds a URL's host and the environments it names, in one pass for the usual URL and by the general reading for the rest", () => {
        const bounds: HostBounds = { start: -1, end: -1, capitals: false };
        expect(hostEnvironments("https://auth.Staging.netrasystems.ai/prod", bounds)).to.deep.equal(["staging"]);
        expect(bounds).to.deep.equal({ start: 8, end: 36, capitals: true });
        expect(hostEnvironments("wss://api.dev.netra.ai?prod#test", bounds)).to.deep.equal(["development"]);
        expect(bounds).to.deep.equal({ start: 6, end: 22, capitals: false });
        expect(hostEnvironments("http://localhost:3000/prod", bounds)).to.deep.equal([]);
        expect(bounds).to.deep.equal({ start: 7, end: 16, capitals: false });
        expect(hostEnvironments("https://prod@test.netra.ai", bounds)).to.deep.equal(["test"]);
        expect(bounds).to.deep.equal({ start: 13, end: 26, capitals: false });
        expect(hostEnvironments("http://[dev::1]:8000", bounds)).to.deep.equal(["development"]);
        expect(bounds).to.deep.equal({ start: 7, end: 15, capitals: true });
    });

    it("leaves the bounds alone and answers undefined for what is not scheme://host", () => {
        const bounds: HostBounds = { start: 1, end: 2, capitals: true };
        for (const value of [
            "",
            "staging.netra.ai",
            "https://",
            "https:///staging",
            "https://host:port",
            "1https://staging",
            "https:/staging",
        ]) {
            expect(hostEnvironments(value, bounds), value).to.equal(undefined);
        }
        expect(bounds).to.deep.equal({ start: 1, end: 2, capitals: true });
    });

    it("finds exactly the host ABSOLUTE_URL_PATTERN finds, and its environments are the host's, on any string", () => {
        const pattern = new RegExp(ABSOLUTE_URL_PATTERN, "di");
        const unit = fc.constantFrom("[", "]", "@", ":", "/", "?", "#", "a", "B", "1", ".", "-", "dev", "Stage", "prod", "://", "\u00e9");
        fc.assert(
            fc.property(fc.string({ unit, maxLength: 12 }), fc.boolean(), (rest, withScheme) => {
                const url = withScheme ? `https://${rest}` : rest;
                const match = pattern.exec(url);
                const bounds: HostBounds = { start: -1, end: -1, capitals: false };
                const environments = hostEnvironments(url, bounds);
                if (match === null) {
                    expect(environments, JSON.stringify(url)).to.equal(undefined);
                    return;
                }
                const host = match[1];
                expect([bounds.start, bounds.end], JSON.stringify(url)).to.deep.equal(match.indices?.[1]);
                expect(bounds.capitals || !/[A-Z]/.test(host), JSON.stringify(url)).to.equal(true);
                expect(environments, JSON.stringify(url)).to.deep.equal(environmentsNamedBy(chosenLabels(host)));
            }),
            { numRuns: 5_000 },
        );
    });
});
