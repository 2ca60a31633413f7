/**
 * The program's run in a worker thread (check/isolated-program/): the one line a user sees for each
 * way a program can fail, how a thrown value is classified, and the run itself on small programs,
 * in this process (a worker thread, as `npm run check` runs it).
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StackConfigError } from "../../components/config/config-error";
import { classifyFailure } from "../../check/isolated-program/program-failure";
import {
    failureLine,
    loggedErrorsLine,
    ownWords,
    ProgramError,
    runProgramIsolated,
    timeoutLine,
} from "../../check/isolated-program/run-isolated";
import { REPO_ROOT } from "../support/staging-fixture";
import { textOutput } from "../support/text-output";

const HEAD = "check: the program did not finish within 7 s (raise it with --timeout <seconds>)";

describe("isolated program: the line for a program that did not finish", () => {
    it("blames the SDK's load when the program never started, whatever else is known", () => {
        const line = "check: the Pulumi SDK did not load within 120 s, before the program started; is the machine overloaded?";
        expect(timeoutLine(undefined, false, 7)).to.equal(line);
        expect(timeoutLine({ phase: "loading", waiting: ["a"], registered: 1 }, false, 7)).to.equal(line);
    });

    it("says a program that never answered kept the CPU busy", () => {
        expect(timeoutLine(undefined, true, 7)).to.equal(`${HEAD}: it kept the CPU busy and never yielded (a loop that never ends?)`);
    });

    it("names the one resource still waiting for an input", () => {
        expect(timeoutLine({ phase: "outputs", waiting: ['gcp:x:Y "a"'], registered: 3 }, true, 7)).to.equal(
            `${HEAD}: 1 resource was still waiting for an input that never resolved: gcp:x:Y "a"`,
        );
    });

    it("names five waiting resources, escaped and cut at 200 characters, and counts the rest", () => {
        const waiting = ["r1\u001b[2J", "r2", "r3", "r4", `r5${"x".repeat(250)}`, "r6", "r7"];
        expect(timeoutLine({ phase: "loading", waiting, registered: 0 }, true, 7)).to.equal(
            `${HEAD}: 7 resources were still waiting for an input that never resolved: r1\\u001b[2J, r2, r3, r4, r5${"x".repeat(198)}... (52 more characters), and 2 more`,
        );
        expect(timeoutLine({ phase: "loading", waiting: waiting.slice(0, 5).map((_, i) => `r${i}`), registered: 0 }, true, 7)).to.equal(
            `${HEAD}: 5 resources were still waiting for an input that never resolved: r0, r1, r2, r3, r4`,
        );
    });

    it("tells a module that never returned from outputs that never resolved", () => {
        expect(timeoutLine({ phase: "loading", waiting: [], registered: 4 }, true, 7)).to.equal(
            `${HEAD}: the program's module (or its entry function) never returned; 4 resources registered`,
        );
        expect(timeoutLine({ phase: "outputs", waiting: [], registered: 4 }, true, 7)).to.equal(
            `${HEAD}: every resource was registered, but a stack output or a promise the program started never resolved`,
        );
    });
});

describe("isolated program: the line for a program that failed", () => {
    it("gives a config or reported error in the program's own words, one visible line per line", () => {
        expect(
            failureLine({ kind: "config", message: "  services.api.cpu: too big \r\n\r\n\u001b[31mregion\u001b[0m: unknown\rlast " }),
        ).to.equal("services.api.cpu: too big\nregion: unknown\nlast");
        expect(failureLine({ kind: "reported", message: "the registry is missing" })).to.equal("the registry is missing");
    });

    it("names the resource a ResourceError was raised on, escaped", () => {
        expect(failureLine({ kind: "reported", message: "bad image", resource: "api\nsvc" })).to.equal(
            'check: the program failed on resource "api\\nsvc": bad image',
        );
        expect(failureLine({ kind: "reported", message: "bad image", resource: undefined })).to.equal("bad image");
    });

    it("shows at most 20 lines of the program's words, and counts the rest", () => {
        const lines = Array.from({ length: 23 }, (_, index) => `problem ${index + 1}`);
        expect(ownWords(lines.join("\n")).split("\n")).to.deep.equal([...lines.slice(0, 20), "and 3 more lines"]);
        expect(ownWords(lines.slice(0, 20).join("\n")).split("\n")).to.deep.equal(lines.slice(0, 20));
    });

    it("cuts a line of the program's words at 2000 characters, and says so for an empty message", () => {
        expect(ownWords("y".repeat(2001))).to.equal(`${"y".repeat(2000)}... (1 more characters)`);
        expect(ownWords(" \n \u001b[0m ")).to.equal("(an error with no message)");
        expect(failureLine({ kind: "config", message: "" })).to.equal("(an error with no message)");
    });

    it("gives a bug's place when known, escaped, and its message on one sanitised line", () => {
        expect(failureLine({ kind: "bug", message: "TypeError: x\n  at y", location: "index.ts:3:9" })).to.equal(
            "check: the program failed at index.ts:3:9: TypeError: x at y",
        );
        expect(failureLine({ kind: "bug", message: "boom" })).to.equal("check: the program failed: boom");
        expect(failureLine({ kind: "bug", message: "boom", location: `a\u0007${"b".repeat(300)}` })).to.equal(
            `check: the program failed at a\\u0007${"b".repeat(298)}... (2 more characters): boom`,
        );
    });

    it("quotes the first logged error, and counts them when there are more", () => {
        expect(loggedErrorsLine(["no \u001b[31mregistry\u001b[0m\nrun bootstrap"])).to.equal(
            "check: the program logged an error (pulumi.log.error): no registry run bootstrap",
        );
        expect(loggedErrorsLine(["first", "second", "third"])).to.equal(
            "check: the program logged 3 errors (pulumi.log.error); the first: first",
        );
    });
});

describe("isolated program: what a thrown value is", () => {
    const ROOT = REPO_ROOT;

    it("is a config mistake when it is the stack config's error, by class or by name", () => {
        // An instance of the class under another name: the class alone makes it a config mistake.
        const ours = Object.assign(Object.create(StackConfigError.prototype) as Error, { message: "services.api: bad", name: "Renamed" });
        expect(classifyFailure(ours, pulumi, ROOT)).to.deep.equal({ kind: "config", message: "services.api: bad" });
        for (const name of ["StackConfigError", "StackFileError"]) {
            const error = new Error("their copy");
            error.name = name;
            expect(classifyFailure(error, pulumi, ROOT)).to.deep.equal({ kind: "config", message: "their copy" });
        }
    });

    it("is the program's report when it is a RunError, or a ResourceError naming its resource", () => {
        expect(classifyFailure(new pulumi.RunError("stop here"), pulumi, ROOT)).to.deep.equal({ kind: "reported", message: "stop here" });
        const resource = { __name: "api-service" } as unknown as pulumi.Resource;
        expect(classifyFailure(new pulumi.ResourceError("bad image", resource), pulumi, ROOT)).to.deep.equal({
            kind: "reported",
            message: "bad image",
            resource: "api-service",
        });
        expect(classifyFailure(new pulumi.ResourceError("no resource", undefined), pulumi, ROOT)).to.deep.equal({
            kind: "reported",
            message: "no resource",
        });
    });

    it("is a bug otherwise: named unless a plain Error, located at the program's first frame when there is one", () => {
        const typeError = new TypeError("Cannot read properties of undefined (reading 'url')");
        typeError.stack = `TypeError: x\n    at Object.<anonymous> (${path.join(ROOT, "index.ts")}:7:1)`;
        expect(classifyFailure(typeError, pulumi, ROOT)).to.deep.equal({
            kind: "bug",
            message: "TypeError: Cannot read properties of undefined (reading 'url')",
            location: "index.ts:7:1",
        });
        const plain = new Error("plain");
        plain.stack = "Error: plain";
        expect(classifyFailure(plain, pulumi, ROOT)).to.deep.equal({ kind: "bug", message: "plain" });
        const unnamed = new Error("");
        unnamed.name = "";
        unnamed.stack = "";
        expect(classifyFailure(unnamed, pulumi, ROOT)).to.deep.equal({ kind: "bug", message: "(an error with no message)" });
    });

    it("is a bug that says so when something other than an error was thrown", () => {
        expect(classifyFailure("just text", pulumi, ROOT)).to.deep.equal({
            kind: "bug",
            message: "a non-error value was thrown: just text",
        });
        expect(classifyFailure(42, pulumi, ROOT)).to.deep.equal({ kind: "bug", message: "a non-error value was thrown: 42" });
        expect(classifyFailure(undefined, pulumi, ROOT)).to.deep.equal({ kind: "bug", message: "a non-error value was thrown: undefined" });
    });
});

describe("isolated program: a run in a worker thread", function () {
    this.timeout(60_000);
    const PROGRAMS = path.join(REPO_ROOT, "tests", "fixtures", "programs");
    const run = (program: string, timeoutSeconds = 30, output = textOutput()) =>
        runProgramIsolated({
            program: path.join(PROGRAMS, program),
            root: REPO_ROOT,
            project: "netra-platform",
            stack: "staging",
            preview: false,
            config: {},
            secretKeys: [],
            timeoutSeconds,
            programOutput: output,
        });
    async function refusal(promise: Promise<unknown>): Promise<string> {
        try {
            await promise;
        } catch (error) {
            expect(error).to.be.instanceOf(ProgramError);
            expect((error as Error).name).to.equal("ProgramError");
            return (error as Error).message;
        }
        return expect.fail("expected a ProgramError");
    }

    it("returns what the program registered and invoked, the root stack first", async () => {
        const output = textOutput();
        const { resources, invokes } = await run("template-v1-service.ts", 30, output);
        expect(resources[0].type).to.equal("pulumi:pulumi:Stack");
        expect(resources.length).to.be.greaterThan(1);
        expect(invokes).to.deep.equal([]);
        expect(output.text).to.equal("");
    });

    it("passes what the program prints to the output it is given, never to stdout", async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "netra-isolated-"));
        try {
            writeFileSync(path.join(dir, "prints.ts"), 'console.log("hello from the program");\nexport const done: boolean = true;\n');
            const output = textOutput();
            const { resources } = await runProgramIsolated({
                program: path.join(dir, "prints.ts"),
                root: dir,
                project: "p",
                stack: "s",
                preview: true,
                config: {},
                secretKeys: [],
                timeoutSeconds: 30,
                programOutput: output,
            });
            expect(output.text).to.equal("hello from the program\n");
            expect(resources.map((resource) => resource.urn)).to.deep.equal(["urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("fails a program that registers one URN twice with the engine's words, though the program saw only a rejected output", async () => {
        expect(await refusal(run("duplicate-urn.ts"))).to.equal(
            "check: the Pulumi engine would refuse the program: Duplicate resource URN " +
                "'urn:pulumi:staging::netra-platform::gcp:serviceaccount/account:Account::runner-sa'; try giving it a unique name",
        );
    });

    it("locates a bug by running the program again with stack traces", async () => {
        expect(await refusal(run("real-bug.ts"))).to.equal(
            "check: the program failed at tests/fixtures/programs/real-bug.ts:11:36: TypeError: Cannot read properties of undefined (reading 'url')",
        );
    });

    it("fails a program that logged an error, or called process.exit", async () => {
        expect(await refusal(run("logs-an-error.ts"))).to.equal(
            "check: the program logged an error (pulumi.log.error): the artifact registry netra-images was not found run the bootstrap first",
        );
        expect(await refusal(run("exits-early.ts"))).to.equal(
            "check: the program called process.exit(0) before it finished; a Pulumi program ends by returning, and the check decides the exit code",
        );
    });

    it("stops a program at the deadline and says what it waits for", async () => {
        expect(await refusal(run("never-resolving-output.ts", 1))).to.equal(
            "check: the program did not finish within 1 s (raise it with --timeout <seconds>): every resource was registered, but a stack output or a promise the program started never resolved",
        );
    });
});
