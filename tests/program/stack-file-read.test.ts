/**
 * readStackFile on small projects written for each rule: the project file, the stack's name, the
 * file's shape, defaults declared in Pulumi.yaml, secure values, and where each key is.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
    listStacks,
    MAX_STACK_FILE_BYTES,
    OFFLINE_SECRET_PLACEHOLDER,
    readStackFile,
    type StackFile,
    StackFileError,
} from "../../check/stack-file";

const PROJECT = "name: p\nruntime: nodejs\n";

/** A scratch project folder with the given files; removed after `use`. */
function withProject<T>(files: Record<string, string | Uint8Array>, use: (dir: string) => T): T {
    const dir = mkdtempSync(path.join(tmpdir(), "netra-stack-read-"));
    try {
        for (const [name, content] of Object.entries(files)) {
            writeFileSync(path.join(dir, name), content);
        }
        return use(dir);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

function read(stackText: string, project = PROJECT, stack = "t"): StackFile {
    return withProject({ "Pulumi.yaml": project, [`Pulumi.${stack}.yaml`]: stackText }, (dir) => readStackFile(dir, stack));
}

function errorOf(run: () => unknown): string {
    try {
        run();
    } catch (error) {
        if (error instanceof StackFileError) {
            // By name too: the program thread's failure is recognised by it after crossing the worker boundary.
            expect(error.name).to.equal("StackFileError");
            return error.message;
        }
        throw error;
    }
    throw new Error("expected a StackFileError");
}

describe("stack file reader (readStackFile)", () => {
    describe("the project and the stack's name", () => {
        it("refuses a stack name that is not letters, digits, _, . and -", () => {
            const refused: [string, string][] = [
                ["a/b", '"a/b"'],
                ["", '""'],
                [" a", '" a"'],
                ["a ", '"a "'],
                ["a\nb", '"a\\nb"'],
                ["\u00e4", '"\\u00e4"'],
            ];
            for (const [stack, shown] of refused) {
                expect(
                    errorOf(() => readStackFile(tmpdir(), stack)),
                    shown,
                ).to.equal(`--stack: ${shown} is not a stack name; allowed: letters, digits, _, . and -`);
            }
            expect(read("config: {}\n", PROJECT, "Dev_1.eu-west").stack).to.equal("Dev_1.eu-west");
        });

        it("refuses a project file without a name, with an empty or non-text name, or that is not a map", () => {
            for (const project of ["runtime: nodejs\n", 'name: ""\n', "name: 3\n", "- name\n", ""]) {
                expect(
                    errorOf(() => read("config: {}\n", project)),
                    project,
                ).to.equal("Pulumi.yaml: `name` is missing; expected the project name");
            }
        });

        it("says the project file cannot be read when it is missing or not a file", () => {
            expect(errorOf(() => withProject({}, (dir) => readStackFile(dir, "t")))).to.equal("Pulumi.yaml: cannot be read");
            const dir = mkdtempSync(path.join(tmpdir(), "netra-stack-read-"));
            try {
                mkdirSync(path.join(dir, "Pulumi.yaml"));
                expect(errorOf(() => readStackFile(dir, "t"))).to.equal("Pulumi.yaml: cannot be read");
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });

        it("says the stack file cannot be read when it is a folder", () => {
            const dir = mkdtempSync(path.join(tmpdir(), "netra-stack-read-"));
            try {
                writeFileSync(path.join(dir, "Pulumi.yaml"), PROJECT);
                mkdirSync(path.join(dir, "Pulumi.t.yaml"));
                expect(errorOf(() => readStackFile(dir, "t"))).to.equal("Pulumi.t.yaml: cannot be read");
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });

        it("lists the stacks in name order, whatever order the folder keeps them in", () => {
            const names = ["mid", "zeta", "alpha", "Beta", "dev-2", "dev", "x.y", "prod_1"];
            const files = Object.fromEntries(names.map((name) => [`Pulumi.${name}.yaml`, ""]));
            expect(withProject(files, (dir) => listStacks(dir))).to.deep.equal([
                "Beta",
                "alpha",
                "dev",
                "dev-2",
                "mid",
                "prod_1",
                "x.y",
                "zeta",
            ]);
        });

        it("lists the stacks there are when the one asked for is missing, or none", () => {
            const files = {
                "Pulumi.yaml": PROJECT,
                "Pulumi.prod.yaml": "",
                "Pulumi.dev.yml": "",
                "Pulumi.a.b.yaml": "",
                "xPulumi.c.yaml": "",
                "Pulumi.d.yaml.bak": "",
                "Pulumi..yaml": "",
                "Pulumi.e.yamll": "",
            };
            expect(errorOf(() => withProject(files, (dir) => readStackFile(dir, "staging")))).to.equal(
                "Pulumi.staging.yaml: no such stack file; stacks here: a.b, dev, prod",
            );
            expect(withProject(files, (dir) => listStacks(dir))).to.deep.equal(["a.b", "dev", "prod"]);
            expect(errorOf(() => withProject({ "Pulumi.yaml": PROJECT }, (dir) => readStackFile(dir, "staging")))).to.equal(
                "Pulumi.staging.yaml: no such stack file; stacks here: none",
            );
        });
    });

    describe("the file's shape", () => {
        it("reads an empty file, an empty config and a null environment as no config", () => {
            expect(read("").config).to.deep.equal({});
            expect(read("config:\n").config).to.deep.equal({});
            expect(read("environment:\nconfig:\n  a: x\n").config).to.deep.equal({ "p:a": "x" });
        });

        it("refuses a file that is a list or a text instead of a map", () => {
            expect(errorOf(() => read("- a\n"))).to.equal("Pulumi.t.yaml: is a list; expected a map with a `config` key");
            expect(errorOf(() => read("just text\n"))).to.equal("Pulumi.t.yaml: is a string; expected a map with a `config` key");
        });

        it("refuses a config that is not a map, at its place", () => {
            expect(errorOf(() => read("secretsprovider: passphrase\nconfig: [a]\n"))).to.equal(
                "Pulumi.t.yaml:2:1: `config` is not a map; expected `namespace:key: value` entries.",
            );
        });

        it("names an unknown top-level key with the allowed ones, suggesting only a close one", () => {
            expect(errorOf(() => read("config: {}\nvariables: {}\n"))).to.equal(
                "Pulumi.t.yaml:2:1: `variables` is not a stack file key; allowed: config, environment, secretsprovider, encryptedkey, encryptionsalt.",
            );
        });

        it("reports every problem of the file at once, in the order written", () => {
            expect(errorOf(() => read("confg: {}\nconfig:\n  a:b:c: 1\n  x:y: 2\n  b: 1\n  p:b: 2\n")).split("\n")).to.deep.equal([
                "Pulumi.t.yaml:1:1: `confg` is not a stack file key (did you mean `config`?); allowed: config, environment, secretsprovider, encryptedkey, encryptionsalt.",
                "Pulumi.t.yaml:3:3: `a:b:c` is not a config key; write it as `<namespace>:<name>` (one `:`, both parts non-empty).",
                "Pulumi.t.yaml:4:3: `x:y` is in namespace `x` (did you mean `p:y`?), which neither the program nor a provider reads, so it would be dropped; namespaces read: p, gcp, random, pulumi.",
                "Pulumi.t.yaml:6:3: `p:b` and `b` (line 5) are the same key, `p:b`, written twice; keep one.",
            ]);
        });

        it("places a problem without a key at its line and column only", () => {
            expect(errorOf(() => read("? [a]\n: 1\n"))).to.equal(
                "Pulumi.t.yaml:1:3: has a map, a list or binary data as a key; keys must be plain text.",
            );
            expect(errorOf(() => read("config:\n  a: !custom x\n"))).to.equal(
                "Pulumi.t.yaml:2:6: is ambiguous YAML (Unresolved tag: !custom); write it so that every YAML reader reads it the same.",
            );
        });

        it("shows a key outside `config` with its section, and one inside without it", () => {
            expect(errorOf(() => read('secretsprovider: "a\\u0001"\nconfig:\n  a: "b\\u0001"\n')).split("\n")).to.deep.equal([
                "Pulumi.t.yaml:1:18: `secretsprovider` holds the control character U+0001; remove it.",
                "Pulumi.t.yaml:3:6: `a` holds the control character U+0001; remove it.",
            ]);
        });

        it("reads a file of exactly the largest size, and refuses one byte more before parsing", () => {
            const head = "config:\n  a: x\n#";
            const exact = `${head}${"y".repeat(MAX_STACK_FILE_BYTES - head.length - 1)}\n`;
            expect(Buffer.byteLength(exact)).to.equal(MAX_STACK_FILE_BYTES);
            expect(read(exact).config).to.deep.equal({ "p:a": "x" });
            expect(errorOf(() => read(`${exact} `))).to.equal(
                "Pulumi.t.yaml: is 1.0 MiB; the check reads stack files up to 1 MiB; split the stack.",
            );
            expect(errorOf(() => read(`${exact}${" ".repeat(MAX_STACK_FILE_BYTES)}`))).to.equal(
                "Pulumi.t.yaml: is 2.0 MiB; the check reads stack files up to 1 MiB; split the stack.",
            );
        });

        it("refuses an implicit key longer than 1024 characters, as YAML 1.2 (and the CLI's reader) do", () => {
            const key = `p:${"k".repeat(1022)}`;
            expect(read(`config:\n  ${key}: 1\n`).config[key]).to.equal("1");
            expect(errorOf(() => read(`config:\n  ${key}k: 1\n`))).to.equal(
                "Pulumi.t.yaml:2:3: is not valid YAML (The : indicator must be at most 1024 chars after the start of an implicit block mapping key).",
            );
        });

        it("counts every problem past the tenth by its kind in the last line", () => {
            const tenUnknown = Array.from({ length: 10 }, (_, index) => `extra${index}: 1`).join("\n");
            expect(
                errorOf(() => read(`${tenUnknown}\nextra10: 1\nenvironment: [e]\nconfig: [a]\n`))
                    .split("\n")
                    .slice(10),
            ).to.deep.equal(["Pulumi.t.yaml: and 3 more problems (1 unknown key, 2 invalid values)."]);
            expect(
                errorOf(() => read(`${tenUnknown}\nconfig:\n  a::b: 1\n  a: 1\n  p:a: 2\n  gpc:x: 1\n`))
                    .split("\n")
                    .slice(10),
            ).to.deep.equal(["Pulumi.t.yaml: and 3 more problems (1 invalid value, 1 duplicate key, 1 unknown key)."]);
        });

        it("refuses a second document at its `---`, in the file's words rather than the parser's", () => {
            expect(errorOf(() => read("config:\n  p:a: 1\n---\nconfig:\n  p:b: 2\n"))).to.equal(
                "Pulumi.t.yaml:3:1: starts a second YAML document (`---`), which the Pulumi CLI would ignore; a stack file is one document: move its keys into the first.",
            );
        });

        it("gives invalid YAML the parser's first error at its place", () => {
            expect(errorOf(() => read('config:\n  a: "unclosed\n'))).to.equal(
                'Pulumi.t.yaml:3:1: is not valid YAML (Missing closing "quote).',
            );
            expect(errorOf(() => read("config:\n  a: [1, 2\n  b: 3\n"))).to.equal(
                "Pulumi.t.yaml:3:3: is not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ]).",
            );
        });
    });

    describe("values as the CLI passes them", () => {
        it("passes text as written and everything else as JSON, and applies the project's declared defaults under the stack's values", () => {
            const project = [
                PROJECT,
                "config:",
                "  region:",
                "    default: eu",
                "  size:",
                "    default: 3",
                "  gcp:zone:",
                "    default: z1",
                "  plain:",
                "    type: string",
                "  bare: text",
                "",
            ].join("\n");
            const file = read("config:\n  size: 5\n  list: [1, a, true]\n  map: {b: null}\n", project);
            expect({ ...file.config }).to.deep.equal({
                "p:region": "eu",
                "p:size": "5",
                "gcp:zone": "z1",
                "p:list": '[1,"a",true]',
                "p:map": '{"b":null}',
            });
            expect(file.secretKeys).to.deep.equal([]);
            expect(file.project).to.equal("p");
            expect(file.file).to.equal("Pulumi.t.yaml");
        });

        it("replaces a secure value anywhere inside a value by the placeholder, marking its key secret", () => {
            const cipher = "v1:c2VjcmV0LXRoYXQtbXVzdC1ub3Qtc2hvdw==";
            const file = read(
                [
                    "config:",
                    `  whole: {secure: "${cipher}"}`,
                    `  inList: [plain, {secure: "${cipher}"}]`,
                    `  inMap: {a: {secure: "${cipher}"}, b: plain}`,
                    `  firstInMap: {a: plain, b: {secure: "${cipher}"}}`,
                    "  clear: [plain, {c: d}]",
                    "",
                ].join("\n"),
            );
            const placeholder = JSON.stringify(OFFLINE_SECRET_PLACEHOLDER);
            expect({ ...file.config }).to.deep.equal({
                "p:whole": OFFLINE_SECRET_PLACEHOLDER,
                "p:inList": `["plain",${placeholder}]`,
                "p:inMap": `{"a":${placeholder},"b":"plain"}`,
                "p:firstInMap": `{"a":"plain","b":${placeholder}}`,
                "p:clear": '["plain",{"c":"d"}]',
            });
            expect(file.secretKeys).to.deep.equal(["p:whole", "p:inList", "p:inMap", "p:firstInMap"]);
            expect(OFFLINE_SECRET_PLACEHOLDER).to.equal("[secret: encrypted in the stack file, not decrypted offline]");
        });

        it("knows where each config key and setting is, with the namespace spelled out, and nothing of the other sections", () => {
            const file = read("secretsprovider: passphrase\nconfig:\n  a:\n    b: 1\n  gcp:project: x\n  p:config:c: 2\n");
            expect(Object.fromEntries(file.positions)).to.deep.equal({
                "p:a": { line: 3, column: 3 },
                "p:a.b": { line: 4, column: 5 },
                "gcp:project": { line: 5, column: 3 },
                "p:c": { line: 6, column: 3 },
            });
        });
    });

    describe("secure values never reach a message", () => {
        it("scrubs a ciphertext of 12 characters or more from every line, however the file writes it", () => {
            const long = "v1:abcdefghi";
            for (const written of [`secure: ${long}`, `secure:    "${long}"`, `secure :'${long}'`, `secure:\t${long}`]) {
                const message = errorOf(() => read(`config:\n  a: {${written}}\n  ${long}: 1\n`));
                expect(message, written).to.equal(
                    "Pulumi.t.yaml:3:3: `[secure value]` is in namespace `v1`, which neither the program nor a provider reads, so it would be dropped; namespaces read: p, gcp, random, pulumi.",
                );
            }
        });

        it("leaves a shorter value, which is not a ciphertext, in the message", () => {
            const short = "v1:abcdefgh";
            expect(errorOf(() => read(`config:\n  a: {secure: ${short}}\n  ${short}: 1\n`))).to.equal(
                "Pulumi.t.yaml:3:3: `v1:abcdefgh` is in namespace `v1`, which neither the program nor a provider reads, so it would be dropped; namespaces read: p, gcp, random, pulumi.",
            );
        });

        it("scrubs a ciphertext from a parser's warning too", () => {
            expect(errorOf(() => read("config:\n  a: {secure: !v1abcdefghijklmnop x}\n"))).to.equal(
                "Pulumi.t.yaml:2:15: is ambiguous YAML (Unresolved tag: [secure value]); write it so that every YAML reader reads it the same.",
            );
        });
    });
});
