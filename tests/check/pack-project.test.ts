import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { meaningfulLines, oneLine, PolicyPackError } from "../../check/policy-pack-error";
import { loadPolicyPackProject, packEntryPoint } from "../../check/policy-pack-project";

/** A throw-away folder holding `files` (a name ending in "/" is a folder). */
function folder(files: Readonly<Record<string, string>>): string {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "netra-pack-project-")));
    for (const [name, text] of Object.entries(files)) {
        const file = path.join(dir, name);
        fs.mkdirSync(name.endsWith("/") ? file : path.dirname(file), { recursive: true });
        if (!name.endsWith("/")) {
            fs.writeFileSync(file, text);
        }
    }
    return dir;
}

describe("a policy pack's PulumiPolicy.yaml, read as the CLI reads it", () => {
    const made: string[] = [];
    const pack = (files: Readonly<Record<string, string>>): string => {
        const dir = folder(files);
        made.push(dir);
        return dir;
    };
    after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    /** The "project" error for `dir`, after the CLI's own prefix. */
    function refusal(dir: string): string {
        try {
            loadPolicyPackProject(dir);
        } catch (error) {
            expect(error).to.be.instanceOf(PolicyPackError);
            expect((error as PolicyPackError).kind).to.equal("project");
            const prefix = `failed to load Pulumi policy project located at "${dir}": `;
            expect((error as Error).message.startsWith(prefix), (error as Error).message).to.equal(true);
            return (error as Error).message.slice(prefix.length);
        }
        return expect.fail("expected the project to be refused");
    }

    it("reads a runtime name alone, with the description and version", () => {
        const dir = pack({ "PulumiPolicy.yaml": "runtime: nodejs\ndescription: Guards.\nversion: 1.0.0\n" });
        expect(loadPolicyPackProject(dir)).to.deep.equal({
            dir,
            runtime: "nodejs",
            runtimeArgs: [],
            version: "1.0.0",
            description: "Guards.",
        });
    });

    it("passes runtime options as -key=value, sorted by key, leaving out empty and null values", () => {
        const dir = pack({
            "PulumiPolicy.yaml":
                "runtime:\n  name: nodejs\n  options:\n    zeta: z\n    typescript: false\n    empty: ''\n    none: null\n    b: 2\n    a: x\n",
        });
        expect(loadPolicyPackProject(dir).runtimeArgs).to.deep.equal(["-a=x", "-b=2", "-typescript=false", "-zeta=z"]);
    });

    it("resolves a relative folder and takes null options, an empty version and a non-string description as absent", () => {
        const dir = pack({ "PulumiPolicy.yaml": "runtime:\n  name: nodejs\n  options: null\nversion: ''\ndescription: 3\n" });
        const relative = path.relative(process.cwd(), dir);
        expect(loadPolicyPackProject(relative)).to.deep.equal({ dir, runtime: "nodejs", runtimeArgs: [] });
        const withNullVersion = pack({ "PulumiPolicy.yaml": "runtime: nodejs\nversion: null\n" });
        expect(loadPolicyPackProject(withNullVersion)).to.deep.equal({ dir: withNullVersion, runtime: "nodejs", runtimeArgs: [] });
    });

    it("refuses a folder without the file, or a file it cannot read, naming the file", () => {
        const missing = pack({});
        expect(refusal(missing)).to.equal(`${path.join(missing, "PulumiPolicy.yaml")} does not exist`);
        const unreadable = pack({ "PulumiPolicy.yaml/": "" });
        expect(refusal(unreadable)).to.equal(`cannot read ${path.join(unreadable, "PulumiPolicy.yaml")} (EISDIR)`);
    });

    it("refuses YAML it cannot parse, with the parser's reason", () => {
        const dir = pack({ "PulumiPolicy.yaml": "runtime: [nodejs\n" });
        expect(refusal(dir)).to.match(new RegExp(`^${path.join(dir, "PulumiPolicy.yaml").replace(/[.]/g, "\\.")} is not valid YAML: \\S`));
    });

    it("refuses a document that is not a mapping", () => {
        for (const text of ["- runtime: nodejs\n", "nodejs\n", ""]) {
            const dir = pack({ "PulumiPolicy.yaml": text });
            expect(refusal(dir), text).to.equal(`${path.join(dir, "PulumiPolicy.yaml")} must be a mapping with a \`runtime\` key`);
        }
    });

    it("refuses a missing or empty runtime, in either form", () => {
        for (const text of ["description: x\n", "runtime: ''\n", "runtime:\n  name: ''\n", "runtime:\n  name: 3\n", "runtime: 3\n"]) {
            const dir = pack({ "PulumiPolicy.yaml": text });
            expect(refusal(dir), text).to.equal(`${path.join(dir, "PulumiPolicy.yaml")} is missing a \`runtime\` (e.g. "runtime: nodejs")`);
        }
    });

    it("refuses any runtime but nodejs, quoting it", () => {
        const dir = pack({ "PulumiPolicy.yaml": "runtime:\n  name: python\n" });
        expect(refusal(dir)).to.equal(
            `${path.join(dir, "PulumiPolicy.yaml")} has \`runtime\` "python"; only "nodejs" policy packs can be run offline`,
        );
    });

    it("refuses runtime options that are not a mapping, and a version that is not a string", () => {
        const options = pack({ "PulumiPolicy.yaml": "runtime:\n  name: nodejs\n  options: [a]\n" });
        expect(refusal(options)).to.equal(`${path.join(options, "PulumiPolicy.yaml")} has a \`runtime.options\` that is not a mapping`);
        const scalarOptions = pack({ "PulumiPolicy.yaml": "runtime:\n  name: nodejs\n  options: fast\n" });
        expect(refusal(scalarOptions)).to.equal(
            `${path.join(scalarOptions, "PulumiPolicy.yaml")} has a \`runtime.options\` that is not a mapping`,
        );
        const version = pack({ "PulumiPolicy.yaml": "runtime: nodejs\nversion: 2\n" });
        expect(refusal(version)).to.equal(`${path.join(version, "PulumiPolicy.yaml")} has a \`version\` that is not a string`);
    });
});

describe("a policy pack's entry point, resolved as Node resolves the folder", () => {
    const made: string[] = [];
    const entry = (files: Readonly<Record<string, string>>): string | undefined => {
        const dir = folder(files);
        made.push(dir);
        const found = packEntryPoint(dir);
        return found === undefined ? undefined : path.relative(dir, found);
    };
    after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("takes package.json main as written, else with .js, .json, .node, .ts, .tsx tried in that order", () => {
        expect(entry({ "package.json": '{"main":"pack.ts"}', "pack.ts": "", "index.js": "" })).to.equal("pack.ts");
        expect(entry({ "package.json": '{"main":"pack"}', "pack.js": "", "pack.ts": "" })).to.equal("pack.js");
        expect(entry({ "package.json": '{"main":"pack"}', "pack.json": "", "pack.ts": "" })).to.equal("pack.json");
        expect(entry({ "package.json": '{"main":"pack"}', "pack.node": "", "pack.ts": "" })).to.equal("pack.node");
        expect(entry({ "package.json": '{"main":"pack"}', "pack.ts": "", "pack.tsx": "" })).to.equal("pack.ts");
        expect(entry({ "package.json": '{"main":"pack"}', "pack.tsx": "", "index.js": "" })).to.equal("pack.tsx");
    });

    it("takes the index file of a main that is a folder before the pack's own index", () => {
        expect(entry({ "package.json": '{"main":"lib"}', "lib/index.ts": "", "index.js": "" })).to.equal(path.join("lib", "index.ts"));
        expect(entry({ "package.json": '{"main":"lib"}', "lib/index.tsx": "", "index.js": "" })).to.equal(path.join("lib", "index.tsx"));
    });

    it("falls back to index.js, then index.ts, when main is missing, empty, not a string, names nothing, or package.json is not JSON", () => {
        expect(entry({ "index.js": "", "index.ts": "" })).to.equal("index.js");
        expect(entry({ "package.json": '{"main":""}', "index.ts": "" })).to.equal("index.ts");
        expect(entry({ "package.json": '{"main":3}', "index.ts": "" })).to.equal("index.ts");
        expect(entry({ "package.json": '{"main":"lib/pack"}', "index.ts": "" })).to.equal("index.ts");
        expect(entry({ "package.json": "{main", "index.tsx": "" })).to.equal("index.tsx");
        expect(entry({ "index.json": "", "index.node": "" })).to.equal("index.json");
        expect(entry({ "index.node": "" })).to.equal("index.node");
    });

    it("never takes a file named index without an extension, in the pack or in main's folder", () => {
        expect(entry({ index: "", "index.ts": "" })).to.equal("index.ts");
        expect(entry({ "package.json": '{"main":"lib"}', "lib/index": "", "lib/index.ts": "" })).to.equal(path.join("lib", "index.ts"));
    });

    it("reads an empty main as none: never the pack folder's own name with an extension", () => {
        const dir = folder({ "package.json": '{"main":""}', "index.ts": "" });
        made.push(dir, `${dir}.js`);
        fs.writeFileSync(`${dir}.js`, "");
        expect(packEntryPoint(dir)).to.equal(path.join(dir, "index.ts"));
    });

    it("finds nothing when no candidate is a file", () => {
        expect(entry({ "package.json": '{"main":"lib"}', "lib/": "", "index.js/": "" })).to.equal(undefined);
    });
});

describe("a policy pack error", () => {
    it("is one line: the message, then the stderr tail joined by bars", () => {
        const error = new PolicyPackError("crash", 'policy pack "p" exited\nwith code 1', ["TypeError: x", "at y"]);
        expect({ name: error.name, kind: error.kind, message: error.message, tail: error.stderrTail }).to.deep.equal({
            name: "PolicyPackError",
            kind: "crash",
            message: 'policy pack "p" exited with code 1; stderr: TypeError: x | at y',
            tail: ["TypeError: x", "at y"],
        });
        expect(new PolicyPackError("closed", "used after close()").message).to.equal("used after close()");
        expect(new PolicyPackError("closed", "x").stderrTail).to.deep.equal([]);
    });

    it("collapses whitespace and drops terminal colour codes", () => {
        expect(oneLine("  \u001b[1;31mred\u001b[0m\n\t text \r\n ")).to.equal("red text");
    });

    it("escapes every other character but printable ASCII, Unicode spaces included, so the line shows what it holds", () => {
        expect(oneLine("a\u001b]0;title\u0007b \u200bc\ufeff d\u2028e \u00e9 \u{1f600}")).to.equal(
            "a\\u001b]0;title\\u0007b \\u200bc\\ufeff d\\u2028e \\u00e9 \\u{1f600}",
        );
        expect(new PolicyPackError("config", 'x.json: "evil\u001bpolicy" is not a policy').message).to.equal(
            'x.json: "evil\\u001bpolicy" is not a policy',
        );
    });

    it("keeps the meaningful lines of stderr: trimmed, uncoloured, without blanks or stack frames", () => {
        const text = [
            "\u001b[31mError: boom\u001b[39m  ",
            "    at Object.<anonymous> (/pack/index.ts:3:7)",
            "",
            "   ",
            "    ... 2 more lines matching cause stack trace ...",
            "    ... 1 more line matching cause stack trace ...",
            "    ... 12 more lines matching cause stack trace ...",
            "see ... 3 more lines matching cause stack trace",
            "caused by: at the gate",
            "attached: yes",
        ].join("\r\n");
        expect(meaningfulLines(text)).to.deep.equal([
            "Error: boom",
            "see ... 3 more lines matching cause stack trace",
            "caused by: at the gate",
            "attached: yes",
        ]);
    });

    it("keeps the last six lines, or as many as asked, from the end or from the start", () => {
        const text = ["1", "2", "3", "4", "5", "6", "7", "8"].join("\n");
        expect(meaningfulLines(text)).to.deep.equal(["3", "4", "5", "6", "7", "8"]);
        expect(meaningfulLines(text, 2)).to.deep.equal(["7", "8"]);
        expect(meaningfulLines(text, 2, "first")).to.deep.equal(["1", "2"]);
        expect(meaningfulLines(text, 2, "last")).to.deep.equal(["7", "8"]);
    });
});
