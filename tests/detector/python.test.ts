import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const PYTHON_TESTS = path.join("tests", "detector", "python");

describe("the Python twin's own tests (python3 -m unittest, as the README runs them)", function () {
    this.timeout(300_000); // a pip install and some subprocesses

    it("pass: the vectors, the CLI per exit code, the metadata variant against local servers, the offline install", () => {
        const run = spawnSync("python3", ["-m", "unittest", "discover", "-s", PYTHON_TESTS, "-t", PYTHON_TESTS, "-v"], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
        });
        expect(run.error, "python3 must be on PATH").to.equal(undefined);
        const report = run.stderr;
        expect(run.status, report).to.equal(0);
        expect(report, report).to.match(/\nOK\n$/);
        const ran = Number(/^Ran (\d+) tests? /m.exec(report)?.[1]);
        expect(ran, report).to.be.at.least(26);
        expect(report).to.include("test_every_vector (test_vectors.VectorTest");
    });
});
