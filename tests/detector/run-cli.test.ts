/**
 * What `npm run detect` prints and returns, in process (detector/run-cli.ts): the spawned CLI tests
 * (cli.test.ts) prove the process around it; these state each rule of the arguments, outputs and exit codes.
 */
import { expect } from "chai";
import { EXIT_DECIDED, EXIT_UNDECIDED, EXIT_WARNED, runDetectCli } from "../../detector/run-cli";

const USAGE = "npm run detect -- [--json] [--strict] [--help]";
const HELP = `Usage: ${USAGE}

Prints which environment this process runs in (development, test, staging, production) and where that came from:
explicit (ENVIRONMENT), platform (Cloud Run signals) or default (off Cloud Run).

  --json    print {"environment", "source", "signals", "warnings"} as one line of JSON
  --strict  exit 3 when there is any warning
  --help    print this help

Warnings go to stderr. Exit status: 0 decided; 2 cannot decide, invalid value or usage error; 3 warnings under --strict.
`;

const STAGING_SERVICE = { K_SERVICE: "netra-backend-staging", NODE_ENV: "production" };
const INFERRED = "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE. Set ENVIRONMENT=staging on the Cloud Run service.";

describe("runDetectCli (npm run detect, in process)", () => {
    it("exits 0, 2 and 3", () => {
        expect([EXIT_DECIDED, EXIT_UNDECIDED, EXIT_WARNED]).to.deep.equal([0, 2, 3]);
    });

    it("prints its whole help with --help or -h, whatever else is given, before any detection", () => {
        for (const args of [["--help"], ["-h"], ["--json", "--help"], ["--help", "--nonsense"]]) {
            expect(runDetectCli(args, { ENVIRONMENT: "qa" }), args.join(" ")).to.deep.equal({ code: 0, stdout: HELP, stderr: "" });
        }
    });

    it("prints the environment and its source on one line", () => {
        expect(runDetectCli([], { ENVIRONMENT: "prod" })).to.deep.equal({ code: 0, stdout: "production (explicit)\n", stderr: "" });
        expect(runDetectCli([], {})).to.deep.equal({ code: 0, stdout: "development (default)\n", stderr: "" });
    });

    it("prints each warning on stderr, and still exits 0 without --strict", () => {
        expect(runDetectCli([], STAGING_SERVICE)).to.deep.equal({
            code: 0,
            stdout: "staging (platform)\n",
            stderr: `detect: warning: ${INFERRED}\n`,
        });
    });

    it("prints one line of JSON in printable ASCII with --json: environment, source, signals and warnings, never the platform", () => {
        expect(runDetectCli(["--json"], { K_SERVICE: "netra-staging-café" })).to.deep.equal({
            code: 0,
            stdout:
                '{"environment":"staging","source":"platform","signals":{"K_SERVICE":{"value":"netra-staging-caf\\u00e9",' +
                '"environments":["staging"]}},"warnings":["`ENVIRONMENT` is not set; staging was inferred from K_SERVICE. ' +
                'Set ENVIRONMENT=staging on the Cloud Run service."]}\n',
            stderr: "detect: warning: `ENVIRONMENT` is not set; staging was inferred from K_SERVICE. Set ENVIRONMENT=staging on the Cloud Run service.\n",
        });
    });

    it("exits 0 under --strict when there is no warning", () => {
        expect(runDetectCli(["--strict"], { ENVIRONMENT: "stage" })).to.deep.equal({ code: 0, stdout: "staging (explicit)\n", stderr: "" });
    });

    it("exits 3 under --strict on one warning, and counts them in the plural", () => {
        expect(runDetectCli(["--strict"], STAGING_SERVICE)).to.deep.equal({
            code: 3,
            stdout: "staging (platform)\n",
            stderr: `detect: warning: ${INFERRED}\ndetect: --strict: failing on 1 warning\n`,
        });
        const contradicted = runDetectCli(["--strict"], {
            ENVIRONMENT: "test",
            K_SERVICE: "netra-api-staging",
            GCP_PROJECT_ID: "netra-prod",
        });
        expect(contradicted).to.deep.equal({
            code: 3,
            stdout: "test (explicit)\n",
            stderr:
                "detect: warning: `ENVIRONMENT` is test, but K_SERVICE (netra-api-staging) says staging; test is kept.\n" +
                "detect: warning: `ENVIRONMENT` is test, but GCP_PROJECT_ID (netra-prod) says production; test is kept.\n" +
                "detect: --strict: failing on 2 warnings\n",
        });
    });

    it("exits 2 with the detector's one line when it cannot decide, printing nothing on stdout", () => {
        expect(runDetectCli(["--json"], { K_SERVICE: "netra-product-api" })).to.deep.equal({
            code: 2,
            stdout: "",
            stderr:
                "detect: Cannot tell the environment on this Cloud Run service: `ENVIRONMENT` is not set and no signal names one " +
                "(K_SERVICE=netra-product-api). Set ENVIRONMENT to one of: development, test, staging, production.\n",
        });
    });

    it("lets an error that is not the detector's through, so a bug is never reported as an undecided environment", () => {
        const broken = new Proxy<Record<string, string>>(
            {},
            {
                get() {
                    throw new TypeError("the environment cannot be read");
                },
            },
        );
        expect(() => runDetectCli([], broken)).to.throw(TypeError, "the environment cannot be read");
    });

    it("exits 2 on an unknown option or a positional argument, echoing it escaped and cut", () => {
        expect(runDetectCli(["--json", "--verbose"], {})).to.deep.equal({
            code: 2,
            stdout: "",
            stderr: `detect: unknown option \`--verbose\`; usage: ${USAGE}\n`,
        });
        expect(runDetectCli(["staging"], {})).to.deep.equal({
            code: 2,
            stdout: "",
            stderr: `detect: unexpected argument \`staging\`; usage: ${USAGE}\n`,
        });
        expect(runDetectCli([`-\n${"z".repeat(80)}`], {})).to.deep.equal({
            code: 2,
            stdout: "",
            stderr: `detect: unknown option \`-\\n${"z".repeat(62)}...\`; usage: ${USAGE}\n`,
        });
    });
});
