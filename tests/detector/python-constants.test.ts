import { expect } from "chai";
import { readFileSync } from "node:fs";
import {
    BEGIN_MARKER,
    END_MARKER,
    PYTHON_MODULE_PATH,
    python,
    renderPythonConstants,
    trimmedCharacters,
    withGeneratedConstants,
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

describe("python (a TypeScript value as a Python literal)", () => {
    it("writes strings as ASCII JSON, numbers as they are, a one-item array as a one-tuple", () => {
        expect(python('st\u00e4ging "x"')).to.equal('"st\\u00e4ging \\"x\\""');
        expect(python(2500)).to.equal("2500");
        expect(python(["a"])).to.equal('("a",)');
        expect(python([])).to.equal("()");
        expect(python(["a", 1])).to.equal('("a", 1)');
    });

    it("keeps a tuple of up to 100 characters on one line and puts a longer one one item a line", () => {
        const fits = ["x".repeat(46), "y".repeat(46)]; // ("x...", "y...") is 100 characters
        expect(python(fits)).to.equal(`("${"x".repeat(46)}", "${"y".repeat(46)}")`);
        const longer = ["x".repeat(47), "y".repeat(46)];
        expect(python(longer)).to.equal(`(\n    "${"x".repeat(47)}",\n    "${"y".repeat(46)}",\n)`);
    });

    it("writes an object as a dict, one key a line, and an empty one as {}", () => {
        expect(python({ dev: "development", n: [1, 2] })).to.equal('{\n    "dev": "development",\n    "n": (1, 2),\n}');
        expect(python({})).to.equal("{}");
    });
});

describe("withGeneratedConstants", () => {
    it("replaces the block between the marker lines and keeps every line around it", () => {
        const module = `import os\n\n${BEGIN_MARKER}\nOLD = 1\n${END_MARKER}\n\ndef f():\n    pass\n`;
        expect(withGeneratedConstants(module)).to.equal(`import os\n\n${renderPythonConstants()}\ndef f():\n    pass\n`);
    });

    it("replaces a block that starts the module or ends it without a line break", () => {
        expect(withGeneratedConstants(`${BEGIN_MARKER}\nOLD = 1\n${END_MARKER}\nX = 1\n`)).to.equal(`${renderPythonConstants()}X = 1\n`);
        expect(withGeneratedConstants(`import os\n${BEGIN_MARKER}\n${END_MARKER}`)).to.equal(`import os\n${renderPythonConstants()}`);
    });

    it("refuses a module without the block, or with its markers in the wrong order, naming the file and the markers", () => {
        const message = `${PYTHON_MODULE_PATH} has no generated block (lines "${BEGIN_MARKER}" ... "${END_MARKER}")`;
        expect(() => withGeneratedConstants("import os\n")).to.throw(Error, message);
        expect(() => withGeneratedConstants(`${BEGIN_MARKER}\n`)).to.throw(Error, message);
        expect(() => withGeneratedConstants(`${END_MARKER}\n`)).to.throw(Error, message);
        expect(() => withGeneratedConstants(`${END_MARKER}\n${BEGIN_MARKER}\n`)).to.throw(Error, message);
    });
});
