/**
 * The stack file's bounds on output and work, each a large input: a flood of keys, 50,000 keys with a
 * duplicate, an alias bomb. Apart from stack-file.test.ts because each takes seconds (tens under
 * load): mutation testing leaves them out, as it would run them for every mutant they cover.
 */
import { expect } from "chai";
import { stackFileErrorOf } from "../support/scratch-project";

describe("stack file: bounded output and work", () => {
    it("summarises a flood of 50,000 unknown keys after ten lines", () => {
        const content = `config:\n${Array.from({ length: 50_000 }, (_, index) => `  x:k${index}: 1`).join("\n")}\n`;
        const lines = stackFileErrorOf(content).split("\n");
        expect(lines).to.have.length(11);
        expect(lines[0]).to.equal(
            "Pulumi.t.yaml:2:3: `x:k0` is in namespace `x`, which neither the program nor a provider reads, so it would be dropped; namespaces read: netra-platform, gcp, random, pulumi.",
        );
        expect(lines[10]).to.equal("Pulumi.t.yaml: and 49,990 more unknown keys.");
    });

    it("finds duplicates among 50,000 keys in linear time (finishes; the parser's own check took a minute)", function () {
        this.timeout(60_000);
        const keys = Array.from({ length: 50_000 }, (_, index) => `  x:k${index}: 1`);
        const message = stackFileErrorOf(`config:\n${[...keys, "  x:k7: 2"].join("\n")}\n`);
        expect(message.split("\n")[0]).to.equal("Pulumi.t.yaml:50002:3: `x:k7` is set twice (lines 9 and 50002); keep one.");
    });

    it("refuses an alias bomb within its node budget", () => {
        const content = `config:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 7 }, (_, index) => `  b${index}: &b${index} [${`*${index === 0 ? "a" : `b${index - 1}`}, `.repeat(10).slice(0, -2)}]`).join("\n")}\n`;
        expect(stackFileErrorOf(content)).to.equal(
            "Pulumi.t.yaml:1:1: expands to more than 500,000 YAML nodes (through aliases); write the values out.",
        );
    });
});
