/**
 * The stack file's pieces on their own: bytes to text (check/stack-yaml/text.ts), config keys and
 * their namespaces (check/stack-yaml/config-keys.ts). Each rule with its exact result.
 */
import { expect } from "chai";
import { parseConfigKey, providerConfigKeys, providerNamespaces, unreadKeyProblem } from "../../check/stack-yaml/config-keys";
import { decodeStackText, positionIn } from "../../check/stack-yaml/text";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const ascii = (text: string): number[] => [...Buffer.from(text, "latin1")];

describe("stack file text (bytes to text, as the CLI reads them)", () => {
    it("accepts UTF-8 of every length at the edges of each range", () => {
        const valid: [number[], string][] = [
            [[0x7f - 1], "~"],
            [[0xc2, 0xa0], "\u00a0"],
            [[0xdf, 0xbf], "\u07ff"],
            [[0xe0, 0xa0, 0x80], "\u0800"],
            [[0xed, 0x9f, 0xbf], "\ud7ff"],
            [[0xee, 0x80, 0x80], "\ue000"],
            [[0xef, 0xbf, 0xbd], "\ufffd"],
            [[0xf0, 0x90, 0x80, 0x80], "\u{10000}"],
            [[0xf4, 0x8f, 0xbf, 0xbf], "\u{10ffff}"],
        ];
        for (const [input, text] of valid) {
            expect(decodeStackText(bytes(...ascii("a: "), ...input)), text).to.deep.equal({ ok: true, text: `a: ${text}` });
        }
    });

    it("refuses overlong forms, surrogates, code points past U+10FFFF, stray and truncated sequences, naming the first bad byte and its place", () => {
        const invalid: [number[], string][] = [
            [[0xc0, 0x80], "0xC0"],
            [[0xc1, 0xbf], "0xC1"],
            [[0xe0, 0x9f, 0xbf], "0xE0"],
            [[0xf0, 0x8f, 0xbf, 0xbf], "0xF0"],
            [[0xed, 0xa0, 0x80], "0xED"],
            [[0xed, 0xbf, 0xbf], "0xED"],
            [[0xf4, 0x90, 0x80, 0x80], "0xF4"],
            [[0xf5, 0x80, 0x80, 0x80], "0xF5"],
            [[0x80], "0x80"],
            [[0xc3, 0x41], "0xC3"],
            [[0xe2, 0x82, 0x41], "0xE2"],
            [[0xe2, 0x82], "0xE2"],
            [[0xf0, 0x9f, 0x98], "0xF0"],
        ];
        for (const [input, byte] of invalid) {
            expect(decodeStackText(bytes(...ascii("x: 1\nab"), ...input)), byte).to.deep.equal({
                ok: false,
                problem: {
                    line: 2,
                    column: 3,
                    problem: `is not valid UTF-8 (byte ${byte}); save the file as UTF-8`,
                    kind: "unreadable text",
                },
            });
        }
        expect(decodeStackText(bytes(0xc3, 0xa9, 0xff))).to.deep.equal({
            ok: false,
            problem: { line: 1, column: 2, problem: "is not valid UTF-8 (byte 0xFF); save the file as UTF-8", kind: "unreadable text" },
        });
    });

    it("names the byte order marks of UTF-32 and UTF-16, in either byte order", () => {
        const utf32 = "is UTF-32 text (it starts with a UTF-32 byte order mark); save it as UTF-8";
        const problem = (text: string) => ({ ok: false, problem: { problem: text, kind: "unreadable text" } });
        expect(decodeStackText(bytes(0x00, 0x00, 0xfe, 0xff, 0, 0, 0, 0x61))).to.deep.equal(problem(utf32));
        expect(decodeStackText(bytes(0xff, 0xfe, 0x00, 0x00, 0x61, 0, 0, 0))).to.deep.equal(problem(utf32));
        expect(decodeStackText(bytes(0xfe, 0xff, 0x00, 0x61))).to.deep.equal(
            problem("is UTF-16 text (it starts with the byte order mark 0xFE 0xFF); save it as UTF-8"),
        );
        expect(decodeStackText(bytes(0xff, 0xfe, 0x61, 0x00))).to.deep.equal(
            problem("is UTF-16 text (it starts with the byte order mark 0xFF 0xFE); save it as UTF-8"),
        );
    });

    it("recognises UTF-16 without a byte order mark in either byte order, and a UTF-8 mark is stripped first", () => {
        const message = {
            ok: false,
            problem: {
                problem: "looks like UTF-16 text without a byte order mark (every other byte is NUL); save it as UTF-8",
                kind: "unreadable text",
            },
        };
        expect(decodeStackText(Buffer.from("ab: c", "utf16le"))).to.deep.equal(message);
        expect(decodeStackText(Buffer.from("ab: c", "utf16le").swap16())).to.deep.equal(message);
        expect(decodeStackText(bytes(0xef, 0xbb, 0xbf, 0x00, 0x61, 0x00, 0x62))).to.deep.equal(message);
        expect(decodeStackText(bytes(0xef, 0xbb, 0xbf, ...ascii("a: b")))).to.deep.equal({ ok: true, text: "a: b" });
    });

    it("reports a NUL that is not UTF-16 as a control character at its place, and a short text with a NUL too", () => {
        const nul = (line: number, column: number) => ({
            ok: false,
            problem: { line, column, problem: "holds the control character U+0000; a stack file is plain text", kind: "unreadable text" },
        });
        expect(decodeStackText(bytes(...ascii("abcd: e\nf"), 0x00))).to.deep.equal(nul(2, 2));
        expect(decodeStackText(bytes(...ascii("ab"), 0x00, ...ascii("c: d")))).to.deep.equal(nul(1, 3));
        expect(decodeStackText(bytes(0x00, 0x61, 0x62))).to.deep.equal(nul(1, 1));
        expect(decodeStackText(bytes(0x61, 0x62, 0x63, 0x00))).to.deep.equal(nul(1, 4));
    });

    it("accepts tab, LF and CRLF, and refuses a CR without LF at its place", () => {
        expect(decodeStackText(bytes(...ascii("a:\tb\r\nc: d\n")))).to.deep.equal({ ok: true, text: "a:\tb\r\nc: d\n" });
        expect(decodeStackText(bytes(...ascii("a: b\r\nc: d\re: f")))).to.deep.equal({
            ok: false,
            problem: {
                line: 2,
                column: 5,
                problem:
                    "uses CR line endings without LF (classic Mac OS), which YAML reads as one long line; save it with LF (or CRLF) line endings",
                kind: "unreadable text",
            },
        });
        expect(decodeStackText(bytes(...ascii("a: b\u007f")))).to.deep.equal({
            ok: false,
            problem: {
                line: 1,
                column: 5,
                problem: "holds the control character U+007F; a stack file is plain text",
                kind: "unreadable text",
            },
        });
    });

    it("counts lines and columns from 1, a newline ending its line", () => {
        expect(positionIn("ab\ncd\n\nef", 0)).to.deep.equal({ line: 1, column: 1 });
        expect(positionIn("ab\ncd\n\nef", 2)).to.deep.equal({ line: 1, column: 3 });
        expect(positionIn("ab\ncd\n\nef", 3)).to.deep.equal({ line: 2, column: 1 });
        expect(positionIn("ab\ncd\n\nef", 6)).to.deep.equal({ line: 3, column: 1 });
        expect(positionIn("ab\ncd\n\nef", 8)).to.deep.equal({ line: 4, column: 2 });
        expect(positionIn("", 0)).to.deep.equal({ line: 1, column: 1 });
    });
});

describe("stack file config keys (namespaces as the CLI splits them)", () => {
    it("puts a key without a namespace in the project's, and splits `namespace:name` and the old `namespace:config:name`", () => {
        expect(parseConfigKey("services", "netra-platform")).to.deep.equal({
            ok: true,
            namespace: "netra-platform",
            name: "services",
            full: "netra-platform:services",
        });
        expect(parseConfigKey("gcp:project", "p")).to.deep.equal({ ok: true, namespace: "gcp", name: "project", full: "gcp:project" });
        expect(parseConfigKey("gcp:config:project", "p")).to.deep.equal({
            ok: true,
            namespace: "gcp",
            name: "project",
            full: "gcp:project",
        });
    });

    it("refuses a key with an empty part or more than one separator", () => {
        const refused = { ok: false, problem: "is not a config key; write it as `<namespace>:<name>` (one `:`, both parts non-empty)" };
        for (const key of [":project", "gcp:", ":", "a:b:c", "a:b:config", "a:config:", ":config:b", "a:config:b:c", "a::b"]) {
            expect(parseConfigKey(key, "p"), key).to.deep.equal(refused);
        }
    });

    it("reads the provider namespaces from the project's dependencies, and each provider's keys from its SDK", () => {
        expect(providerNamespaces()).to.deep.equal(["gcp", "random"]);
        expect(providerConfigKeys("gcp")).to.include.members(["project", "region", "zone", "credentials"]);
        expect(providerConfigKeys("gcp")).not.to.include("getProject");
        expect(providerConfigKeys("random")).to.deep.equal([]);
        expect(providerConfigKeys("no-such-provider")).to.deep.equal([]);
        expect(providerConfigKeys("gcp")).to.equal(providerConfigKeys("gcp"));
    });

    it("lets the project's, the engine's and each provider's own keys through", () => {
        expect(unreadKeyProblem({ namespace: "p", name: "anything" }, "p")).to.equal(undefined);
        expect(unreadKeyProblem({ namespace: "pulumi", name: "tags" }, "p")).to.equal(undefined);
        expect(unreadKeyProblem({ namespace: "gcp", name: "project" }, "p")).to.equal(undefined);
    });

    it("says why nothing reads a key, suggesting the namespace or setting meant when one is close", () => {
        expect(unreadKeyProblem({ namespace: "gpc", name: "project" }, "p")).to.equal(
            "is in namespace `gpc` (did you mean `gcp:project`?), which neither the program nor a provider reads, so it would be dropped; namespaces read: p, gcp, random, pulumi",
        );
        expect(unreadKeyProblem({ namespace: "elsewhere", name: "x\ny" }, "p")).to.equal(
            "is in namespace `elsewhere`, which neither the program nor a provider reads, so it would be dropped; namespaces read: p, gcp, random, pulumi",
        );
        expect(unreadKeyProblem({ namespace: "pulumj", name: "x\ny" }, "p")).to.equal(
            "is in namespace `pulumj` (did you mean `pulumi:x\\ny`?), which neither the program nor a provider reads, so it would be dropped; namespaces read: p, gcp, random, pulumi",
        );
        expect(unreadKeyProblem({ namespace: "random", name: "seed" }, "p")).to.equal(
            "is not a setting of the random provider, which takes no configuration; remove it",
        );
        expect(unreadKeyProblem({ namespace: "gcp", name: "regoin" }, "p")).to.equal(
            "is not a setting of the gcp provider (did you mean `gcp:region`?), so it would be dropped; remove it or correct its spelling",
        );
        expect(unreadKeyProblem({ namespace: "gcp", name: "somethingelse" }, "p")).to.equal(
            "is not a setting of the gcp provider, so it would be dropped; remove it or correct its spelling",
        );
    });
});
