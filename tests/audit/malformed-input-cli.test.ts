import { expect } from "chai";
import * as path from "node:path";
import { audit, scratchFiles } from "./support";

describe("npm run audit on malformed input (spawned as a user runs it)", () => {
    for (const [name, content, expected] of [
        [
            "not JSON",
            "gcloud: ERROR: (gcloud.run.services.list) You do not currently have an active account selected.",
            ":1:1: is not JSON",
        ],
        ["an unknown document kind", { apiVersion: "serving.knative.dev/v1", kind: "Configuration" }, ': $.kind: is "Configuration"'],
        ["a list of the wrong things", [{ bindings: [] }], ": $[0]: is an object without apiVersion and kind"],
        // It overflowed the stack: "audit: failed: Maximum call stack size exceeded", no file, no path.
        [
            "nesting 100,000 levels deep",
            `[{"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "a", "annotations": {"x": ${"[".repeat(100_000)}${"]".repeat(100_000)}}}}]`,
            ": $[0].metadata.annotations.x[0][0][0]",
        ],
    ] as const) {
        it(`exits 2 with one line on stderr, and the asked format's error document on stdout, for ${name}`, () => {
            const dir = scratchFiles({ "live.json": content });
            const file = path.join(dir, "live.json");
            const results = [[], ["--json"], ["--markdown"]].map((format) => audit(["--from", file, ...format]));
            for (const result of results) {
                expect(result.status).to.equal(2);
                expect(result.stderr.split("\n")).to.have.length(2);
                expect(result.stderr.startsWith(`${file}${expected}`), result.stderr).to.equal(true);
            }
            const [human, json, markdown] = results;
            const line = human.stderr.trimEnd();
            expect(human.stdout).to.equal("");
            expect(JSON.parse(json.stdout)).to.deep.include({ error: line, exitCode: 2 });
            expect(markdown.stdout.split("\n").slice(0, 2)).to.deep.equal(["## Policy check ⚠️ could not run", ""]);
            expect(markdown.stdout).to.include("No resource was judged; the check exits 2.");
        });
    }

    it("reads no file after a bad one and starts no pack: a missing file exits 2 naming it", () => {
        const result = audit(["--from", "tests/fixtures/audit/no-such-export.json"]);
        expect([result.status, result.stdout, result.stderr]).to.deep.equal([
            2,
            "",
            "tests/fixtures/audit/no-such-export.json: cannot be read (no such file, or not a file)\n",
        ]);
    });
});
