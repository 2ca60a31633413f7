import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";

const DETECTOR = path.join(__dirname, "..", "..", "detector");

/** The module specifiers a TypeScript file imports or requires. */
function importsOf(file: string): string[] {
    const source = readFileSync(path.join(DETECTOR, file), "utf8");
    return [...source.matchAll(/(?:from\s+|require\()\s*"([^"]+)"/g)].map((match) => match[1]).sort();
}

describe("the synchronous detector's dependencies", () => {
    it("import nothing but each other and the shared names module: no I/O can reach detectEnvironment", () => {
        const allowed = [
            "./cloud-run",
            "./compiled-access",
            "./detect",
            "./echo",
            "./environments",
            "./errors",
            "./generated-suffix",
            "./hostname",
            "./signals",
            "./tokens",
        ];
        for (const file of [
            "detect.ts",
            "signals.ts",
            "errors.ts",
            "environments.ts",
            "cloud-run.ts",
            "compiled-access.ts",
            "echo.ts",
            "hostname.ts",
            "tokens.ts",
            "generated-suffix.ts",
        ]) {
            expect(
                importsOf(file).filter((specifier) => !allowed.includes(specifier)),
                file,
            ).to.deep.equal([]);
        }
    });

    it("leave the network to metadata.ts, the asynchronous variant", () => {
        expect(importsOf("metadata.ts")).to.deep.equal(["./detect", "./echo", "./errors", "./signals", "node:http"]);
    });
});
