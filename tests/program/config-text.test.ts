/**
 * The small parts every stack-config message is built from: user text shown escaped and cut, a flood
 * of problems summarised, "did you mean" for a typo, and the loader's reading of CLI config.
 */
import { expect } from "chai";
import { describeGiven, formatIssue, StackConfigError } from "../../components/config/config-error";
import { displayText, escapeText, firstControlCharacter, isForbiddenControl, quoteText } from "../../components/config/display-text";
import { boundedLines, type ProblemLine } from "../../components/config/problem-lines";
import { rawStackConfig } from "../../components/config/read-stack-config";
import { closestMatch, didYouMean, editDistance } from "../../components/config/suggest";

const SOURCE = { file: "Pulumi.staging.yaml", namespace: "netra-platform", stack: "staging" };

describe("user text in a message", () => {
    it("keeps printable ASCII as it is, from space to tilde", () => {
        expect(escapeText(" azAZ09~!")).to.equal(" azAZ09~!");
    });

    it("escapes newline, return, tab and backslash by their short names", () => {
        expect(escapeText("a\nb\rc\td\\e")).to.equal("a\\nb\\rc\\td\\\\e");
    });

    it("escapes other control characters, DEL and invisible characters by their code point", () => {
        expect(escapeText("\u0000\u001f\u007f\u00e9\u200b\uffff")).to.equal("\\u0000\\u001f\\u007f\\u00e9\\u200b\\uffff");
    });

    it("escapes a character beyond the BMP as one code point, not two halves", () => {
        expect(escapeText("ok \u{1f600} \u{10000}")).to.equal("ok \\u{1f600} \\u{10000}");
    });

    it("shows text of 64 characters whole and cuts longer text, counting characters, not UTF-16 units", () => {
        expect(displayText("a".repeat(64))).to.equal("a".repeat(64));
        expect(displayText("a".repeat(65))).to.equal(`${"a".repeat(64)}... (65 characters)`);
        expect(displayText("\u{1f600}".repeat(64))).to.equal("\\u{1f600}".repeat(64));
        expect(displayText(`${"\u{1f600}".repeat(64)}x`)).to.equal(`${"\\u{1f600}".repeat(64)}... (65 characters)`);
        expect(displayText("b".repeat(100_000))).to.equal(`${"b".repeat(64)}... (100,000 characters)`);
        expect(displayText("abcdef", 3)).to.equal("abc... (6 characters)");
    });

    it("quotes a value with its quotes escaped, cut to the length asked", () => {
        expect(quoteText('say "hi"')).to.equal('"say \\"hi\\""');
        expect(quoteText("abcdef", 4)).to.equal('"abcd... (6 characters)"');
        expect(quoteText("x".repeat(65))).to.equal(`"${"x".repeat(64)}... (65 characters)"`);
    });

    it("forbids the control characters YAML forbids: C0 but tab, LF and CR, DEL and C1", () => {
        const forbidden = Array.from({ length: 0xa2 }, (_, code) => code).filter((code) => isForbiddenControl(code));
        const expected = [
            ...Array.from({ length: 0x20 }, (_, code) => code).filter((code) => code !== 0x09 && code !== 0x0a && code !== 0x0d),
            ...Array.from({ length: 0x21 }, (_, index) => 0x7f + index),
        ];
        expect(forbidden).to.deep.equal(expected);
        expect(expected).to.have.length(29 + 33);
    });

    it("finds the first forbidden control character and names it", () => {
        expect(firstControlCharacter("ab\tc\n\u001b[31m\u0000")).to.deep.equal({ index: 5, name: "U+001B" });
        expect(firstControlCharacter("\u0085")).to.deep.equal({ index: 0, name: "U+0085" });
        expect(firstControlCharacter("fine\ttext\r\n")).to.equal(undefined);
    });
});

describe("a flood of problems", () => {
    const lines = (count: number, kind: ProblemLine["kind"]): ProblemLine[] =>
        Array.from({ length: count }, (_, index) => ({ text: `line ${index}`, kind }));

    it("shows ten problems as they are", () => {
        expect(boundedLines("f.yaml", lines(10, "unknown key"))).to.deep.equal(lines(10, "unknown key").map((line) => line.text));
    });

    it("shows ten and counts the rest of one kind in one line", () => {
        expect(boundedLines("f.yaml", lines(11, "unknown key"))).to.deep.equal([
            ...lines(10, "unknown key").map((line) => line.text),
            "f.yaml: and 1 more unknown key.",
        ]);
        expect(boundedLines("f.yaml", lines(50_000, "duplicate key")).slice(10)).to.deep.equal(["f.yaml: and 49,990 more duplicate keys."]);
    });

    it("counts the rest by kind when there are several, in the order first met", () => {
        const problems = [
            ...lines(10, "unknown key"),
            ...lines(2, "invalid value"),
            ...lines(1, "unreadable text"),
            ...lines(1200, "unknown key"),
        ];
        expect(boundedLines("f.yaml", problems).slice(10)).to.deep.equal([
            "f.yaml: and 1,203 more problems (2 invalid values, 1 unreadable text, 1,200 unknown keys).",
        ]);
    });

    it("counts the flood of a StackConfigError by its issues' kinds, an issue without one as an invalid value", () => {
        const issues = [
            ...Array.from({ length: 10 }, (_, index) => ({ path: `k${index}`, problem: "is x", kind: "unknown key" as const })),
            { path: "a", problem: "is y" },
            { path: "b", problem: "is z", kind: "unknown key" as const },
        ];
        const error = new StackConfigError(SOURCE, issues);
        expect(error.name).to.equal("StackConfigError");
        expect(error.message.split("\n").slice(9)).to.deep.equal([
            "Pulumi.staging.yaml: `netra-platform:k9` is x.",
            "Pulumi.staging.yaml: and 2 more problems (1 invalid value, 1 unknown key).",
        ]);
    });
});

describe("one problem's line", () => {
    it("puts the program's keys in its namespace and leaves a provider's key as it is", () => {
        expect(formatIssue(SOURCE, { path: "services.api.port", problem: "is 0" })).to.equal(
            "Pulumi.staging.yaml: `netra-platform:services.api.port` is 0.",
        );
        expect(formatIssue(SOURCE, { path: "gcp:project", problem: "is missing" })).to.equal(
            "Pulumi.staging.yaml: `gcp:project` is missing.",
        );
    });

    it("describes each kind of given value", () => {
        expect([undefined, null, [], {}, "a\nb", 3, false].map(describeGiven)).to.deep.equal([
            "missing",
            "empty",
            "a list",
            "a map",
            '"a\\nb"',
            "3",
            "false",
        ]);
    });
});

describe("did you mean", () => {
    it("counts insertions, deletions, substitutions and a swapped pair as one edit each, ignoring case", () => {
        expect(editDistance("port", "ports")).to.equal(1);
        expect(editDistance("ports", "port")).to.equal(1);
        expect(editDistance("port", "pert")).to.equal(1);
        expect(editDistance("netra-platfrom", "netra-platform")).to.equal(1);
        expect(editDistance("PORT", "port")).to.equal(0);
        expect(editDistance("", "abc")).to.equal(3);
        expect(editDistance("abc", "")).to.equal(3);
        expect(editDistance("ab", "ba")).to.equal(1);
        expect(editDistance("abcd", "badc")).to.equal(2);
        expect(editDistance("kitten", "sitting")).to.equal(3);
        expect(editDistance("ca", "abc")).to.equal(3);
    });

    it("suggests the closest word within a third of the typo's length, at least 1 and at most 3 edits", () => {
        const known = ["environment", "domain", "labels", "services", "e2eOAuthSimulationKey"];
        expect(closestMatch("enviroment", known)).to.equal("environment");
        expect(closestMatch("lables", known)).to.equal("labels");
        expect(closestMatch("qa", ["ab"])).to.equal(undefined);
        expect(closestMatch("ab", ["ac"])).to.equal("ac");
        expect(closestMatch("abcde", ["axyde"])).to.equal(undefined);
        expect(closestMatch("abcdef", ["axydef"])).to.equal("axydef");
        expect(closestMatch("abcdefghijklmnopqrstu", ["abcdefghijklmnopqrstuvwx"])).to.equal("abcdefghijklmnopqrstuvwx");
        expect(closestMatch("abcdefghijklmnopqrstu", ["abcdefghijklmnopqrstuvwxy"])).to.equal(undefined);
    });

    it("prefers the nearer of two candidates, and the first of two equally near", () => {
        expect(closestMatch("servicess", ["service", "services"])).to.equal("services");
        expect(closestMatch("servicex", ["services", "servicey"])).to.equal("services");
    });

    it("compares no empty word and no word longer than 64 characters", () => {
        expect(closestMatch("", ["a"])).to.equal(undefined);
        expect(closestMatch("a".repeat(64), ["a".repeat(63)])).to.equal("a".repeat(63));
        expect(closestMatch("a".repeat(65), ["a".repeat(65)])).to.equal(undefined);
    });

    it("phrases the suggestion, or says nothing", () => {
        expect(didYouMean("confg", ["config", "pulumi"])).to.equal("; did you mean `config`?");
        expect(didYouMean("zzz", ["config"])).to.equal("");
    });
});

describe("the loader's reading of CLI config", () => {
    it("takes the program's keys without their namespace, decoded from JSON where they are JSON, and the gcp keys", () => {
        const raw = rawStackConfig(
            {
                "gcp:project": "netra-staging",
                "gcp:region": "us-central1",
                "netra-platform:environment": "staging",
                "netra-platform:deletionProtection": "false",
                "netra-platform:services": '{"api":{"port":8080,"env":{"constructor":"x"}},"list":[{"a":1}],"empty":null}',
                "netra-platform:domain": "{not json",
                "netra-platformx:other": "1",
                "other:netra-platform:x": "1",
            },
            "netra-platform",
            (key) => key === "netra-platform:services",
        );
        expect(raw.gcpProject).to.equal("netra-staging");
        expect(raw.gcpRegion).to.equal("us-central1");
        expect(raw.secretKeys).to.deep.equal(["services"]);
        expect(Object.keys(raw.values)).to.deep.equal(["environment", "deletionProtection", "services", "domain"]);
        expect(raw.values.environment).to.equal("staging");
        expect(raw.values.deletionProtection).to.equal(false);
        expect(raw.values.domain).to.equal("{not json");
        const services = raw.values.services as Record<string, { env: Record<string, string> }> & { list: unknown[] };
        expect(Object.getPrototypeOf(raw.values)).to.equal(null);
        expect(Object.getPrototypeOf(services.api)).to.equal(null);
        expect(Object.getPrototypeOf(services.api.env)).to.equal(null);
        expect(services.api.env.constructor).to.equal("x");
        expect(Array.isArray(services.list)).to.equal(true);
        expect(Object.getPrototypeOf(services.list[0])).to.equal(null);
        expect((services as Record<string, unknown>).empty).to.equal(null);
    });
});
