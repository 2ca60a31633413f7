import { expect } from "chai";
import { spawn } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs `command` in the repository with exactly `env` (plus PATH and HOME), as a container or CI step would. */
function run(command: string, args: readonly string[], env: Record<string, string>): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? ROOT, ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

/** `node detector/dist/cli.js ...args`, as `npm run detect` runs it (the compiled runtime: no TypeScript hook). */
function detect(args: readonly string[], env: Record<string, string>): Promise<Run> {
    return run(process.execPath, ["detector/dist/cli.js", ...args], env);
}

const STAGING_SERVICE = { K_SERVICE: "netra-backend-staging", GCP_PROJECT_ID: "netra-staging", NODE_ENV: "production" };
const INFERRED =
    "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE, GCP_PROJECT_ID. Set ENVIRONMENT=staging on the Cloud Run service.";
const SIGNALS = {
    K_SERVICE: { value: "netra-backend-staging", environments: ["staging"] },
    GCP_PROJECT_ID: { value: "netra-staging", environments: ["staging"] },
};
const USAGE = "npm run detect -- [--json] [--strict] [--help]";

describe("npm run detect (the CLI, spawned as a user would)", function () {
    this.timeout(30_000); // each run starts node

    describe("exit 0: decided", () => {
        it("prints the environment and its source on one line", async () => {
            expect(await detect([], { ENVIRONMENT: " Stage " })).to.deep.equal({ code: 0, stdout: "staging (explicit)\n", stderr: "" });
        });

        it("prints the development default off Cloud Run, NODE_ENV notwithstanding", async () => {
            expect(await detect([], { NODE_ENV: "production" })).to.deep.equal({ code: 0, stdout: "development (default)\n", stderr: "" });
        });

        it("prints warnings on stderr, one line each, and still exits 0 without --strict", async () => {
            expect(await detect([], STAGING_SERVICE)).to.deep.equal({
                code: 0,
                stdout: "staging (platform)\n",
                stderr: `detect: warning: ${INFERRED}\n`,
            });
        });

        it("prints one line of JSON with --json", async () => {
            const expected = { environment: "staging", source: "platform", signals: SIGNALS, warnings: [INFERRED] };
            expect(await detect(["--json"], STAGING_SERVICE)).to.deep.equal({
                code: 0,
                stdout: `${JSON.stringify(expected)}\n`,
                stderr: `detect: warning: ${INFERRED}\n`,
            });
        });

        it("exits 0 under --strict when there is no warning", async () => {
            const expected = { environment: "production", source: "explicit", signals: {}, warnings: [] };
            expect(await detect(["--strict", "--json"], { ENVIRONMENT: "prod" })).to.deep.equal({
                code: 0,
                stdout: `${JSON.stringify(expected)}\n`,
                stderr: "",
            });
        });

        it("prints its help with --help", async () => {
            const { code, stdout, stderr } = await detect(["--help"], {});
            expect([code, stderr]).to.deep.equal([0, ""]);
            expect(stdout.split("\n")[0]).to.equal(`Usage: ${USAGE}`);
            expect(stdout).to.include(
                "Exit status: 0 decided; 2 cannot decide, invalid value or usage error; 3 warnings under --strict.\n",
            );
        });

        it("runs the same through the npm script", async () => {
            const expected = { environment: "staging", source: "platform", signals: SIGNALS, warnings: [INFERRED] };
            expect(await run("npm", ["run", "--silent", "detect", "--", "--json"], STAGING_SERVICE)).to.deep.equal({
                code: 0,
                stdout: `${JSON.stringify(expected)}\n`,
                stderr: `detect: warning: ${INFERRED}\n`,
            });
        });
    });

    describe("exit 2: cannot decide, invalid value, usage error", () => {
        it("refuses a Cloud Run service whose signals name no environment", async () => {
            expect(await detect(["--json"], { K_SERVICE: "netra-product-api" })).to.deep.equal({
                code: 2,
                stdout: "",
                stderr:
                    "detect: Cannot tell the environment on this Cloud Run service: `ENVIRONMENT` is not set and no signal names one " +
                    "(K_SERVICE=netra-product-api). Set ENVIRONMENT to one of: development, test, staging, production.\n",
            });
        });

        it("refuses disagreeing signals", async () => {
            expect(await detect([], { CLOUD_RUN_JOB: "netra-migrate-staging", GOOGLE_CLOUD_PROJECT: "netra-prod" })).to.deep.equal({
                code: 2,
                stdout: "",
                stderr:
                    "detect: Cannot tell the environment on this Cloud Run job: `ENVIRONMENT` is not set and the signals disagree: " +
                    "CLOUD_RUN_JOB (netra-migrate-staging) says staging; GOOGLE_CLOUD_PROJECT (netra-prod) says production. " +
                    "Set ENVIRONMENT to one of: development, test, staging, production.\n",
            });
        });

        it("refuses an unknown ENVIRONMENT, listing the allowed names", async () => {
            expect(await detect([], { ENVIRONMENT: "qa", K_SERVICE: "netra-backend-staging" })).to.deep.equal({
                code: 2,
                stdout: "",
                stderr:
                    'detect: `ENVIRONMENT` is "qa", which is not an environment name; ' +
                    "use one of: development (dev, local), test (testing), staging (stage), production (prod).\n",
            });
        });

        it("refuses an unknown option", async () => {
            expect(await detect(["--json", "--verbose"], { ENVIRONMENT: "staging" })).to.deep.equal({
                code: 2,
                stdout: "",
                stderr: `detect: unknown option \`--verbose\`; usage: ${USAGE}\n`,
            });
        });

        it("echoes an unknown argument escaped and cut, so it cannot reach the terminal raw", async () => {
            expect(await detect([`--x\u009b31m\u2028\u001b]8;;${"y".repeat(200)}`], {})).to.deep.equal({
                code: 2,
                stdout: "",
                stderr: `detect: unknown option \`--x\\u009b31m\\u2028\\u001b]8;;${"y".repeat(51)}...\`; usage: ${USAGE}\n`,
            });
        });

        it("refuses a look-alike ENVIRONMENT, saying it holds non-ASCII characters", async () => {
            expect(await detect([], { ENVIRONMENT: "\u0455taging" })).to.deep.equal({
                code: 2,
                stdout: "",
                stderr:
                    'detect: `ENVIRONMENT` is "\\u0455taging", which holds non-ASCII characters, which no environment name has; ' +
                    "use one of: development (dev, local), test (testing), staging (stage), production (prod).\n",
            });
        });

        it("refuses a positional argument", async () => {
            expect(await detect(["staging"], {})).to.deep.equal({
                code: 2,
                stdout: "",
                stderr: `detect: unexpected argument \`staging\`; usage: ${USAGE}\n`,
            });
        });
    });

    describe("exit 3: warnings under --strict", () => {
        it("fails on the warning that ENVIRONMENT is missing on Cloud Run", async () => {
            expect(await detect(["--strict"], STAGING_SERVICE)).to.deep.equal({
                code: 3,
                stdout: "staging (platform)\n",
                stderr: `detect: warning: ${INFERRED}\ndetect: --strict: failing on 1 warning\n`,
            });
        });

        it("fails on an explicit ENVIRONMENT that contradicts the signals, counting every warning", async () => {
            const env = { ENVIRONMENT: "production", ...STAGING_SERVICE };
            expect(await detect(["--json", "--strict"], env)).to.deep.equal({
                code: 3,
                stdout: `${JSON.stringify({
                    environment: "production",
                    source: "explicit",
                    signals: SIGNALS,
                    warnings: [
                        "`ENVIRONMENT` is production, but K_SERVICE (netra-backend-staging) says staging; production is kept.",
                        "`ENVIRONMENT` is production, but GCP_PROJECT_ID (netra-staging) says staging; production is kept.",
                    ],
                })}\n`,
                stderr:
                    "detect: warning: `ENVIRONMENT` is production, but K_SERVICE (netra-backend-staging) says staging; production is kept.\n" +
                    "detect: warning: `ENVIRONMENT` is production, but GCP_PROJECT_ID (netra-staging) says staging; production is kept.\n" +
                    "detect: --strict: failing on 2 warnings\n",
            });
        });
    });
});
