import { expect } from "chai";
import * as path from "node:path";
import { firstProgramFrame } from "../../check/isolated-program/program-failure";
import { sanitiseMessage } from "../../check/isolated-program/run-isolated";
import { REPO_ROOT } from "../support/staging-fixture";

describe("a failing program's one line", () => {
    it("names the first stack frame inside the program, skipping node_modules, Node's own and the check's frames", () => {
        const stack = [
            "TypeError: Cannot read properties of undefined (reading 'url')",
            `    at Object.get (${path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "output.js")}:10:5)`,
            "    at node:internal/modules/cjs/loader:1554:14",
            `    at runUnderMocks (${path.join(REPO_ROOT, "check", "run-program.ts")}:150:9)`,
            `    at lookup (${path.join(REPO_ROOT, "components", "cloud-run-service.ts")}:42:17)`,
            `    at Object.<anonymous> (${path.join(REPO_ROOT, "index.ts")}:7:1)`,
        ].join("\n");
        expect(firstProgramFrame(stack, REPO_ROOT)).to.equal("components/cloud-run-service.ts:42:17");
    });

    it("reads frames without a function name and file URLs", () => {
        expect(firstProgramFrame(`Error: x\n    at file://${path.join(REPO_ROOT, "index.ts")}:3:9`, REPO_ROOT)).to.equal("index.ts:3:9");
        expect(
            firstProgramFrame(`Error: x\n    at run (file://${path.join(REPO_ROOT, "my%20stack", "index.mjs")}:4:2)`, REPO_ROOT),
        ).to.equal("my stack/index.mjs:4:2");
    });

    it("reads only frames, never a message line that mentions a place", () => {
        const stack = `Error: look at ${path.join(REPO_ROOT, "other.ts")}:1:2\n    at Object.<anonymous> (${path.join(REPO_ROOT, "index.ts")}:7:1)`;
        expect(firstProgramFrame(stack, REPO_ROOT)).to.equal("index.ts:7:1");
    });

    it("takes a frame's last line and column, whatever colons and numbers its folder names hold", () => {
        expect(firstProgramFrame(`Error: x\n    at main (${path.join(REPO_ROOT, "build:1:2", "index.ts")}:7:1)`, REPO_ROOT)).to.equal(
            "build:1:2/index.ts:7:1",
        );
    });

    it("names no place when the stack has no frame in the program (stack traces were off)", () => {
        expect(firstProgramFrame("TypeError: Cannot read properties of undefined (reading 'url')", REPO_ROOT)).to.equal(undefined);
        expect(firstProgramFrame(undefined, REPO_ROOT)).to.equal(undefined);
    });

    it("turns a message into one visible line: terminal codes dropped, lines joined, the rest escaped", () => {
        expect(sanitiseMessage("\u001b[1;31mfrozen\u001b[0m\nfor the release\r\n\u001b]0;title\u0007ask\u200b #platform\u0000")).to.equal(
            "frozen for the release ask\\u200b #platform\\u0000",
        );
    });

    it("drops a title sequence that never ends to the end of the message, and spaces around it", () => {
        expect(sanitiseMessage("  \n boom \u001b]0;half a title")).to.equal("boom");
    });
});
