/**
 * The stack file's pieces on their own: bytes to text (check/stack-yaml/text.ts), config keys and
 * their namespaces (check/stack-yaml/config-keys.ts), the YAML tree (check/stack-yaml/tree.ts). Each
 * rule with its exact result.
 */
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Document, LineCounter, parseDocument } from "yaml";
import {
    declaredConfigKeys,
    parseConfigKey,
    providerConfigKeyReader,
    providerConfigKeys,
    providerNamespaces,
    providerNamespacesIn,
    readProviderConfigKeys,
    unreadKeyProblem,
} from "../../check/stack-yaml/config-keys";
import { decodeStackText, positionIn } from "../../check/stack-yaml/text";
import { SECURE, walkDocument } from "../../check/stack-yaml/tree";

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

    it("takes a byte order mark only whole: with any one of its bytes changed, the bytes are read as UTF-8", () => {
        const notUtf8 = (byte: string, column: number) => ({
            ok: false,
            problem: { line: 1, column, problem: `is not valid UTF-8 (byte ${byte}); save the file as UTF-8`, kind: "unreadable text" },
        });
        const utf16le = {
            ok: false,
            problem: {
                problem: "is UTF-16 text (it starts with the byte order mark 0xFF 0xFE); save it as UTF-8",
                kind: "unreadable text",
            },
        };
        const nearMisses: [number[], unknown][] = [
            // UTF-32 big-endian is 00 00 FE FF.
            [[0x61, 0x00, 0xfe, 0xff], notUtf8("0xFE", 3)],
            [[0x00, 0x61, 0xfe, 0xff], notUtf8("0xFE", 3)],
            [[0x00, 0x00, 0x61, 0xff], notUtf8("0xFF", 4)],
            [[0x00, 0x00, 0xfe, 0x61], notUtf8("0xFE", 3)],
            // UTF-32 little-endian is FF FE 00 00; its first two bytes alone are UTF-16's mark.
            [[0x61, 0xfe, 0x00, 0x00], notUtf8("0xFE", 2)],
            [[0xff, 0x61, 0x00, 0x00], notUtf8("0xFF", 1)],
            [[0xff, 0xfe, 0x61, 0x00], utf16le],
            [[0xff, 0xfe, 0x00, 0x61], utf16le],
            // UTF-16 is FE FF or FF FE.
            [[0x61, 0xff], notUtf8("0xFF", 2)],
            [[0xfe, 0x61], notUtf8("0xFE", 1)],
            [[0x61, 0xfe], notUtf8("0xFE", 2)],
            [[0xff, 0x61], notUtf8("0xFF", 1)],
            // UTF-8's own mark, EF BB BF, is stripped only whole.
            [[0x61, 0xbb, 0xbf], notUtf8("0xBB", 2)],
            [[0xef, 0x61, 0xbf], notUtf8("0xEF", 1)],
            [[0xef, 0xbb, 0x61], notUtf8("0xEF", 1)],
        ];
        for (const [input, expected] of nearMisses) {
            expect(decodeStackText(bytes(...input)), input.map((byte) => byte.toString(16)).join(" ")).to.deep.equal(expected);
        }
    });

    it("refuses every byte that cannot start a sequence (0x80 to 0xC1, 0xF5 to 0xFF), whatever follows it", () => {
        const refused = [
            ...Array.from({ length: 0xc2 - 0x80 }, (_, i) => 0x80 + i),
            ...Array.from({ length: 0x100 - 0xf5 }, (_, i) => 0xf5 + i),
        ];
        for (const lead of refused) {
            // Continuation bytes after it that would make a valid two-, three- or four-byte sequence of a real lead byte.
            const shown = `0x${lead.toString(16).toUpperCase()}`;
            expect(decodeStackText(bytes(...ascii("a: "), lead, 0x90, 0x80, 0x80)), shown).to.deep.equal({
                ok: false,
                problem: {
                    line: 1,
                    column: 4,
                    problem: `is not valid UTF-8 (byte ${shown}); save the file as UTF-8`,
                    kind: "unreadable text",
                },
            });
        }
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
        // Fewer than four bytes are never taken for UTF-16, nor is a NUL in the first pair alone.
        expect(decodeStackText(bytes(0x61, 0x00, 0x00))).to.deep.equal(nul(1, 2));
        expect(decodeStackText(bytes(0x00, 0x61, 0x62, 0x63))).to.deep.equal(nul(1, 1));
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
        expect(parseConfigKey("gcp:config", "p")).to.deep.equal({ ok: true, namespace: "gcp", name: "config", full: "gcp:config" });
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

    it("takes the `@pulumi/<name>` packages but the SDK itself as provider namespaces", () => {
        expect(
            providerNamespacesIn(["@pulumi/gcp", "@pulumi/pulumi", "yaml", "not@pulumi/x", "@pulumi-x/y", "@pulumi/random"]),
        ).to.deep.equal(["gcp", "random"]);
    });

    it("reads a provider's keys from the constants its declarations export at the start of a line", () => {
        const declarations = [
            "export declare const project: string | undefined;",
            "export declare const a1_b: string | undefined;",
            "export declare function getProject(): string;",
            "// export declare const commented: string;",
            "    export declare const indented: string;",
            "export declare const zone: string | undefined;",
        ].join("\n");
        expect(declaredConfigKeys(declarations)).to.deep.equal(["project", "a1_b", "zone"]);
    });

    describe("a provider package's keys, as installed", () => {
        let root: string;
        const provider = (name: string, vars?: string): void => {
            const folder = path.join(root, "node_modules", "@pulumi", name);
            mkdirSync(path.join(folder, "config"), { recursive: true });
            writeFileSync(path.join(folder, "package.json"), JSON.stringify({ name: `@pulumi/${name}` }));
            if (vars !== undefined) {
                writeFileSync(path.join(folder, "config", "vars.d.ts"), vars);
            }
        };
        beforeEach(() => {
            root = mkdtempSync(path.join(tmpdir(), "netra-providers-"));
        });
        afterEach(() => rmSync(root, { recursive: true, force: true }));

        it("reads the package below the given folder; none for a package without a config module or not installed", () => {
            provider("fake", "export declare const region: string;\nexport declare const zone: string;\n");
            provider("plain");
            expect(readProviderConfigKeys("fake", root)).to.deep.equal(["region", "zone"]);
            expect(readProviderConfigKeys("plain", root)).to.deep.equal([]);
            expect(readProviderConfigKeys("absent", root)).to.deep.equal([]);
        });

        it("reads each provider once per reader, however often it is asked", () => {
            provider("fake", "export declare const region: string;\n");
            const reader = providerConfigKeyReader(root);
            const first = reader("fake");
            expect(first).to.deep.equal(["region"]);
            expect(reader("absent")).to.deep.equal([]);
            provider("fake", "export declare const zone: string;\n");
            provider("absent", "export declare const late: string;\n");
            expect(reader("fake")).to.equal(first);
            expect(reader("absent")).to.deep.equal([]);
            expect(providerConfigKeyReader(root)("fake")).to.deep.equal(["zone"]);
        });
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

/** Walks `text` as the stack file reader does: its values, problems (with lines) and key offsets. */
function walked(text: string, maxNodes?: number) {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, strict: true });
    const tree = walkDocument(doc, (offset) => lines.linePos(offset).line, maxNodes);
    return { value: tree.value, problems: tree.problems, keys: Object.fromEntries(tree.keyOffsets) };
}

describe("stack file YAML tree (values as the CLI reads them)", () => {
    it("expands aliases, keeps lists and nested maps, and records where each key is", () => {
        expect(walked("a: &x 1\nb: *x\nc:\n  - d: 1\n")).to.deep.equal({
            value: { a: 1, b: 1, c: [{ d: 1 }] },
            problems: [],
            keys: { a: 0, b: 8, c: 14, "c[0].d": 21 },
        });
        expect(walked("").value).to.equal(null);
        expect(walked("- 1\n- b\n").value).to.deep.equal([1, "b"]);
    });

    it("reads a key written as a number, a boolean or null as the text it was written as", () => {
        expect(walked("1: a\ntrue: b\n0x1: c\n~: d\n").value).to.deep.equal({ 1: "a", true: "b", "0x1": "c", "~": "d" });
    });

    it("accepts plain numbers and booleans written canonically, and refuses any other spelling, naming the value read", () => {
        const tree = walked("a: [1.5, 0x10, .inf, -0, true, ~, null, 1e3, '0755', +1, 12]\n");
        expect(tree.value).to.deep.equal({ a: [1.5, 16, Infinity, -0, true, null, null, 1000, "0755", 1, 12] });
        expect(tree.problems).to.deep.equal([
            {
                offset: 9,
                key: "a[1]",
                problem: 'is 0x10 unquoted, which YAML reads as the number 16, not as written; quote it ("0x10") to keep the text',
                kind: "invalid value",
            },
            {
                offset: 15,
                key: "a[2]",
                problem: 'is .inf unquoted, which YAML reads as the number Infinity, not as written; quote it (".inf") to keep the text',
                kind: "invalid value",
            },
            {
                offset: 21,
                key: "a[3]",
                problem: 'is -0 unquoted, which YAML reads as the number 0, not as written; quote it ("-0") to keep the text',
                kind: "invalid value",
            },
            {
                offset: 40,
                key: "a[7]",
                problem: 'is 1e3 unquoted, which YAML reads as the number 1000, not as written; quote it ("1e3") to keep the text',
                kind: "invalid value",
            },
            {
                offset: 53,
                key: "a[9]",
                problem: 'is +1 unquoted, which YAML reads as the number 1, not as written; quote it ("+1") to keep the text',
                kind: "invalid value",
            },
        ]);
    });

    it("refuses plain text that the CLI's YAML reader (Go's yaml.v3) reads as a number or a timestamp, and keeps quoted text", () => {
        const tree = walked("a: [0b101, 1_000, -0x1F, 2026-12-06, v1_000, '0b101', \"1_000\", 12ab, !!str 0b11]\n");
        expect(tree.value).to.deep.equal({ a: ["0b101", "1_000", "-0x1F", "2026-12-06", "v1_000", "0b101", "1_000", "12ab", "0b11"] });
        expect(tree.problems).to.deep.equal([
            {
                offset: 4,
                key: "a[0]",
                problem:
                    "is 0b101 unquoted, which the Pulumi CLI's YAML reader (Go's yaml.v3) reads as the number 5, not as written; quote it (\"0b101\") to keep the text",
                kind: "invalid value",
            },
            {
                offset: 11,
                key: "a[1]",
                problem:
                    "is 1_000 unquoted, which the Pulumi CLI's YAML reader (Go's yaml.v3) reads as the number 1000, not as written; quote it (\"1_000\") to keep the text",
                kind: "invalid value",
            },
            {
                offset: 18,
                key: "a[2]",
                problem:
                    "is -0x1F unquoted, which the Pulumi CLI's YAML reader (Go's yaml.v3) reads as the number -31, not as written; quote it (\"-0x1F\") to keep the text",
                kind: "invalid value",
            },
            {
                offset: 25,
                key: "a[3]",
                problem:
                    "is 2026-12-06 unquoted, which the Pulumi CLI's YAML reader (Go's yaml.v3) reads as a timestamp, not as written; quote it (\"2026-12-06\") to keep the text",
                kind: "invalid value",
            },
        ]);
    });

    it("never shows a misread value the plaintext rule would refuse: a secret's name, or key material by its form", () => {
        const hex = `0x${randomBytes(32).toString("hex")}`;
        const tree = walked(
            `env:\n  DB_PASSWORD: 0755\n  REDIS_PASSWORD: 1_234\n  PIN_TOKEN: !!int '0755'\n  SIGNING_SECRET: True\n  WALLET_SIGNER: ${hex}\n` +
                `  API_TOKEN: 2026-12-06\nTOP_SECRET: 0x1F\n`,
        );
        expect(tree.problems.map(({ key, problem }) => [key, problem])).to.deep.equal([
            [
                "env.DB_PASSWORD",
                "is written unquoted (value not shown: it may be a secret), and YAML reads it as a number, not as written; quote it to keep the text",
            ],
            [
                "env.REDIS_PASSWORD",
                "is written unquoted (value not shown: it may be a secret), and the Pulumi CLI's YAML reader (Go's yaml.v3) reads it as a number, not as written; quote it to keep the text",
            ],
            [
                "env.PIN_TOKEN",
                "is written with the tag !!int (value not shown: it may be a secret), and YAML reads it as a number, not as written; drop the tag to keep the text",
            ],
            // A switch's spelling is no secret, whatever the name: shown as any other.
            ["env.SIGNING_SECRET", 'is True unquoted, which YAML reads as true; write true, or quote it ("True") to keep the text'],
            [
                "env.WALLET_SIGNER",
                "is written unquoted (value not shown: it may be a secret), and YAML reads it as a number, not as written; quote it to keep the text",
            ],
            [
                "env.API_TOKEN",
                "is written unquoted (value not shown: it may be a secret), and the Pulumi CLI's YAML reader (Go's yaml.v3) reads it as a timestamp, not as written; quote it to keep the text",
            ],
            [
                "TOP_SECRET",
                "is written unquoted (value not shown: it may be a secret), and YAML reads it as a number, not as written; quote it to keep the text",
            ],
        ]);
        expect(JSON.stringify(tree.problems)).not.to.include(hex.slice(2, 18));
    });

    it("refuses a merge key, which the CLI's reader would apply and this one would not, and reads on", () => {
        expect(walked("base: &b\n  x: 1\nuse:\n  <<: *b\n  y: 2\nquoted:\n  '<<': 3\n")).to.deep.equal({
            value: { base: { x: 1 }, use: { y: 2 }, quoted: { "<<": 3 } },
            problems: [
                {
                    offset: 23,
                    key: "use.<<",
                    problem: "is a YAML merge key, which this check does not apply; write the merged keys out",
                    kind: "invalid value",
                },
            ],
            keys: { base: 0, "base.x": 11, use: 16, "use.y": 32, quoted: 37, "quoted.<<": 47 },
        });
    });

    it("refuses binary data, a control character in a value or a key, and a complex key, reading on", () => {
        expect(walked("a: !!binary aGVsbG8=\n").problems).to.deep.equal([
            { offset: 12, key: "a", problem: "is binary data (`!!binary`); write the value as text", kind: "invalid value" },
        ]);
        expect(walked('a: "x\\u0001"\n').problems).to.deep.equal([
            { offset: 3, key: "a", problem: "holds the control character U+0001; remove it", kind: "invalid value" },
        ]);
        expect(walked('"a\\u0001": 1\nb: 2\n')).to.deep.equal({
            value: { b: 2 },
            problems: [
                { offset: 0, key: "a\\u0001", problem: "holds the control character U+0001 in its name; remove it", kind: "invalid value" },
            ],
            keys: { b: 13 },
        });
        expect(walked("? [a]\n: 1\nb: 2\n")).to.deep.equal({
            value: { b: 2 },
            problems: [
                {
                    offset: 2,
                    key: undefined,
                    problem: "has a map, a list or binary data as a key; keys must be plain text",
                    kind: "invalid value",
                },
            ],
            keys: { b: 10 },
        });
        expect(walked("c:\n  ? {x: 1}\n  : 1\n").problems).to.deep.equal([
            {
                offset: 7,
                key: "c",
                problem: "has a map, a list or binary data as a key; keys must be plain text",
                kind: "invalid value",
            },
        ]);
    });

    it("names a key set twice with both of its lines, keeping the first", () => {
        expect(walked("a:\n  b: 1\n  b: 2\n")).to.deep.equal({
            value: { a: { b: 1 } },
            problems: [{ offset: 12, key: "a.b", problem: "is set twice (lines 2 and 3); keep one", kind: "duplicate key" }],
            keys: { a: 0, "a.b": 5 },
        });
    });

    it("marks `{ secure: <text> }` alone as a secret, and any other map with a secure key as a map", () => {
        const tree = walked("s: {secure: v1:abc}\nt: {secure: 1}\nu: {secure: x, other: y}\nv: {secure: [x]}\nw: {other: v1:abc}\n");
        expect(tree.value).to.deep.equal({
            s: SECURE,
            t: { secure: 1 },
            u: { secure: "x", other: "y" },
            v: { secure: ["x"] },
            w: { other: "v1:abc" },
        });
    });

    it("reads 32 levels of nesting and refuses the 33rd, naming its path", () => {
        expect(walked(`x: ${"[".repeat(32)}${"]".repeat(32)}\n`).problems).to.deep.equal([]);
        expect(walked(`x: ${"[".repeat(33)}${"]".repeat(33)}\n`).problems).to.deep.equal([
            {
                offset: 35,
                key: `x${"[0]".repeat(32)}`,
                problem: "nests deeper than 32 levels; a stack file is not that deep",
                kind: "invalid value",
            },
        ]);
        expect(walked(`${"[".repeat(34)}${"]".repeat(34)}\n`).problems).to.deep.equal([
            {
                offset: 33,
                key: "[0]".repeat(33),
                problem: "nests deeper than 32 levels; a stack file is not that deep",
                kind: "invalid value",
            },
        ]);
    });

    it("refuses an alias to an anchor not defined before it (the CLI's reader does), reading it as null", () => {
        expect(walked("a: *x\nb: &x 1\nc: *x\n")).to.deep.equal({
            value: { a: null, b: 1, c: 1 },
            problems: [
                {
                    offset: 3,
                    key: "a",
                    problem: "refers to the anchor `x`, which is not defined before it; define `&x` above it",
                    kind: "invalid value",
                },
            ],
            keys: { a: 0, b: 6, c: 14 },
        });
    });

    it("refuses a key that is binary data, as it does a map or a list", () => {
        expect(walked("? !!binary aGVsbG8=\n: 1\nb: 2\n")).to.deep.equal({
            value: { b: 2 },
            problems: [
                {
                    offset: 11,
                    key: undefined,
                    problem: "has a map, a list or binary data as a key; keys must be plain text",
                    kind: "invalid value",
                },
            ],
            keys: { b: 24 },
        });
    });

    it("refuses the pairs of `!!omap` and `!!pairs`, naming the list they are in", () => {
        for (const tag of ["!!omap", "!!pairs"]) {
            expect(walked(`a: ${tag} [x: 1]\n`), tag).to.deep.equal({
                value: { a: [null] },
                // A pair has no place of its own in the parsed tree.
                problems: [{ offset: 0, key: "a[0]", problem: "is a YAML construct this check cannot read", kind: "invalid value" }],
                keys: { a: 0 },
            });
        }
    });

    it("stops at its node budget with one problem, counting every node an alias expands to", () => {
        // a's map, list and two items, b's alias, list and two items: 8 nodes, then c's 9th.
        const text = "a: &x [1, 2]\nb: *x\nc: 3\n";
        expect(walked(text, 9)).to.deep.equal({ value: { a: [1, 2], b: [1, 2], c: 3 }, problems: [], keys: { a: 0, b: 13, c: 19 } });
        const over = (limit: number) => ({
            offset: 0,
            key: undefined,
            problem: `expands to more than ${limit} YAML nodes (through aliases); write the values out`,
            kind: "invalid value",
        });
        expect(walked(text, 8)).to.deep.equal({
            value: { a: [1, 2], b: [1, 2], c: null },
            problems: [over(8)],
            keys: { a: 0, b: 13, c: 19 },
        });
        expect(walked(text, 5)).to.deep.equal({
            value: { a: [1, 2], b: null, c: null },
            problems: [over(5)],
            keys: { a: 0, b: 13, c: 19 },
        });
        expect(walked(text, 1234).problems).to.deep.equal([]);
        expect(walked(`a: [${"1, ".repeat(1233)}1]\n`, 1234).problems).to.deep.equal([
            { ...over(1234), problem: "expands to more than 1,234 YAML nodes (through aliases); write the values out" },
        ]);
    });

    it("walks a document built in code (no places: every offset 0), its keys by their values", () => {
        const tree = walkDocument(new Document({ k: ["x\u0001", 1], 2: true }), () => 1);
        expect(tree.value).to.deep.equal({ 2: true, k: ["x\u0001", 1] });
        expect(tree.problems).to.deep.equal([
            { offset: 0, key: "k[0]", problem: "holds the control character U+0001; remove it", kind: "invalid value" },
        ]);
        expect(Object.fromEntries(tree.keyOffsets)).to.deep.equal({ 2: 0, k: 0 });
    });

    it("counts an alias as one more level", () => {
        const deep = `a: &a ${"[".repeat(32)}${"]".repeat(32)}\nb: *a\n`;
        expect(walked(deep).problems.map((problem) => problem.key)).to.deep.equal([`b${"[0]".repeat(31)}`]);
    });
});
