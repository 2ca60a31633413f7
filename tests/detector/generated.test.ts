import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { compileDist, DIST_DIR } from "../../detector/build/dist";

const STALE = "stale: run `npm run build:detector` and commit the result";

// The Python block's checks are in python-constants.test.ts: this one compares compiled sources, which a mutation
// run instruments, so it stays out of stryker.config.mjs.
describe("generated files (npm run build:detector)", () => {
    it("detector/dist holds exactly the compiled runtime, up to date with the TypeScript", () => {
        const expected = compileDist();
        expect(readdirSync(DIST_DIR).sort(), STALE).to.deep.equal([...expected.keys()].sort());
        for (const [name, text] of expected) {
            expect(readFileSync(path.join(DIST_DIR, name), "utf8"), `detector/dist/${name} is ${STALE}`).to.equal(text);
        }
    });
});
