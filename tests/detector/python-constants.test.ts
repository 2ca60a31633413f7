import { expect } from "chai";
import { readFileSync } from "node:fs";
import {
    BEGIN_MARKER,
    END_MARKER,
    PYTHON_MODULE_PATH,
    renderPythonConstants,
    trimmedCharacters,
} from "../../detector/build/python-constants";

const STALE = "stale: run `npm run build:detector` and commit the result";

describe("the Python twin's generated constants (npm run build:detector)", () => {
    it("the Python module's constants block is what the TypeScript modules give", () => {
        const module = readFileSync(PYTHON_MODULE_PATH, "utf8");
        const block = module.slice(module.indexOf(BEGIN_MARKER), module.indexOf(END_MARKER) + END_MARKER.length + 1);
        expect(block, `the generated block of netra_environment.py is ${STALE}`).to.equal(renderPythonConstants());
    });

    it("spells the environment names only inside the generated block of the Python module", () => {
        const module = readFileSync(PYTHON_MODULE_PATH, "utf8");
        const outside = module.slice(0, module.indexOf(BEGIN_MARKER)) + module.slice(module.indexOf(END_MARKER));
        for (const word of ["staging", "production", "testing", "K_SERVICE", "CLOUD_RUN_JOB", "GCP_PROJECT_ID"]) {
            expect(outside.match(new RegExp(`"${word}"`, "g")) ?? [], word).to.deep.equal([]);
        }
    });

    it("gives the twin JavaScript's trim set, which is not Python's strip set", () => {
        expect([...trimmedCharacters()].map((character) => character.charCodeAt(0).toString(16))).to.deep.equal([
            "9",
            "a",
            "b",
            "c",
            "d",
            "20",
            "a0",
            "1680",
            "2000",
            "2001",
            "2002",
            "2003",
            "2004",
            "2005",
            "2006",
            "2007",
            "2008",
            "2009",
            "200a",
            "2028",
            "2029",
            "202f",
            "205f",
            "3000",
            "feff",
        ]);
    });
});
