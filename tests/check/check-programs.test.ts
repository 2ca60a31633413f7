/**
 * Programs that hang, loop, print, log errors, exit, throw, forge names or use data sources, each
 * run through `npm run check` as a user runs it, in every report format.
 *
 * The format only picks the writer: cli.ts runs the check, takes its exit code and writes stderr the same way
 * whatever the format, then prints one writer's rendering of the one outcome. So each program is spawned once
 * (twice when it is judged: JSON for the report, SARIF whose writer also needs the pack's context) and the other
 * formats are the writers' output for that run: the error document of its stderr line (exit 2), or the human and
 * Markdown renderings of its JSON report. That premise is itself checked on spawned runs: the noisy program runs in
 * all four formats and its human and Markdown output must equal the renderings of its JSON report, and each
 * format's error document is spawned for two or more of the exit-2 programs below.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseCheckArgs } from "../../check/cli-args";
import { type CheckReport, renderErrorDocument, renderHuman, renderMarkdown } from "../../check/report";
import { runCheckWithContext } from "../../check/run-check";
import { REPO_ROOT } from "../support/staging-fixture";
import { npmScriptNodeArgs } from "../support/npm-script";
import { sarifErrors } from "./sarif-schema";

const PROGRAMS = path.join(REPO_ROOT, "tests", "fixtures", "programs");
const FORMATS = ["human", "json", "markdown", "sarif"] as const;
type Format = (typeof FORMATS)[number];

interface CliResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs the check as `npm run check` does (its node flags and loader), without waiting synchronously. */
function check(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...npmScriptNodeArgs("check"), ...args], {
            cwd: REPO_ROOT,
            env: { ...process.env, ...env },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        // Generous: only a hang reaches it.
        const timer = setTimeout(() => child.kill("SIGKILL"), 110_000);
        child.on("error", reject);
        child.on("close", (status) => {
            clearTimeout(timer);
            resolve({ status, stdout, stderr });
        });
    });
}

function formatArgs(format: Format): string[] {
    return format === "human" ? [] : [`--${format}`];
}

/** The check of `program` spawned in each of `formats`, side by side. */
async function spawnedIn<F extends Format>(
    formats: readonly F[],
    program: string,
    args: readonly string[] = [],
): Promise<Record<F, CliResult>> {
    const base = ["--stack", "staging", "--program", path.join(PROGRAMS, program), ...args];
    const results = await Promise.all(formats.map((format) => check([...base, ...formatArgs(format)])));
    return Object.fromEntries(formats.map((format, index) => [format, results[index]])) as Record<F, CliResult>;
}

/** What a run with this exit code and stderr prints to stdout in another format: `document`, or nothing. */
function sameRun(run: CliResult, document: string | undefined): CliResult {
    return { status: run.status, stderr: run.stderr, stdout: document === undefined ? "" : `${document}\n` };
}

/**
 * A program the check cannot run to the end (exit 2), spawned once in `spawned`; every other format gets the
 * error document cli.ts prints for that run's line (its own tool name and the `--stack` value).
 */
async function failedInEveryFormat(program: string, spawned: Format, args: readonly string[] = []): Promise<Record<Format, CliResult>> {
    const run = (await spawnedIn([spawned], program, args))[spawned];
    const line = run.stderr.replace(/\n$/, "");
    const document = (format: Format): CliResult =>
        format === spawned ? run : sameRun(run, renderErrorDocument(format, line, { name: "netra-offline-check" }, "staging"));
    return { human: document("human"), json: document("json"), markdown: document("markdown"), sarif: document("sarif") };
}

/**
 * A program the check judges, spawned with --json and --sarif; the human table and the Markdown summary are the
 * writers' renderings of the JSON report (at the width of a pipe, as cli.ts renders for one).
 */
async function judgedInEveryFormat(program: string, args: readonly string[] = []): Promise<Record<Format, CliResult>> {
    const { json, sarif } = await spawnedIn(["json", "sarif"], program, args);
    const report = JSON.parse(json.stdout) as CheckReport;
    return { human: sameRun(json, renderHuman(report)), json, markdown: sameRun(json, renderMarkdown(report)), sarif };
}

/** Exit 2 with exactly `line` on stderr in every format, and the asked format's error document on stdout. */
function expectExit2(results: Record<Format, CliResult>, line: string, markdownLine: string): void {
    expect([results.human.status, results.human.stdout, results.human.stderr]).to.deep.equal([2, "", `${line}\n`]);
    expect([results.json.status, results.json.stderr]).to.deep.equal([2, `${line}\n`]);
    expect(JSON.parse(results.json.stdout)).to.deep.equal({ stack: "staging", error: line, exitCode: 2 });
    expect([results.markdown.status, results.markdown.stderr]).to.deep.equal([2, `${line}\n`]);
    expect(results.markdown.stdout.split("\n")).to.deep.equal([
        "## Policy check: staging ⚠️ could not run",
        "",
        ...markdownLine.split("\n").map((text) => `${text}  `),
        "",
        "No resource was judged; the check exits 2.",
        "",
    ]);
    expect([results.sarif.status, results.sarif.stderr]).to.deep.equal([2, `${line}\n`]);
    const sarif = JSON.parse(results.sarif.stdout) as {
        runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[] }[];
    };
    expect(sarifErrors(sarif)).to.deep.equal([]);
    expect(sarif.runs[0].invocations[0].executionSuccessful).to.equal(false);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text).to.equal(line);
}

/**
 * --timeout counts from the program's first line (not the SDK's loading): long enough for a waiting
 * program to import @pulumi/gcp on a loaded machine. The cases below never finish at all.
 */
const TIMEOUT = "5";
const TIMEOUT_HEAD = `check: the program did not finish within ${TIMEOUT} s (raise it with --timeout <seconds>)`;
/** The pack's start timeout in the busy-program case (the check's default is 30 s). */
const PACK_START_MS = 12_000;
/** A program that never yields is busy whatever the deadline: a short one keeps the test cheap. */
const BUSY_TIMEOUT = "2";

describe("npm run check on programs that misbehave (spawned, every format)", function () {
    this.timeout(120_000);

    it("stops a program whose resource waits on an input that never resolves, naming the resource", async () => {
        const line = `${TIMEOUT_HEAD}: 1 resource was still waiting for an input that never resolved: gcp:cloudrunv2/service:Service "waiting-service"`;
        expectExit2(
            await failedInEveryFormat("never-resolving-input.ts", "json", ["--timeout", TIMEOUT]),
            line,
            'check: the program did not finish within 5 s (raise it with --timeout &lt;seconds&gt;): 1 resource was still waiting for an input that never resolved: gcp:cloudrunv2/service:Service "waiting-service"',
        );
    });

    it("stops a program whose stack output never resolves, saying every resource was registered", async () => {
        const line = `${TIMEOUT_HEAD}: every resource was registered, but a stack output or a promise the program started never resolved`;
        expectExit2(
            await failedInEveryFormat("never-resolving-output.ts", "markdown", ["--timeout", TIMEOUT]),
            line,
            "check: the program did not finish within 5 s (raise it with --timeout &lt;seconds&gt;): every resource was registered, but a stack output or a promise the program started never resolved",
        );
    });

    it("stops a program that never yields (an endless loop) at the deadline: the check's own timers keep running", async () => {
        const line = `check: the program did not finish within ${BUSY_TIMEOUT} s (raise it with --timeout <seconds>): it kept the CPU busy and never yielded (a loop that never ends?)`;
        expectExit2(
            await failedInEveryFormat("busy-loop.ts", "sarif", ["--timeout", BUSY_TIMEOUT]),
            line,
            "check: the program did not finish within 2 s (raise it with --timeout &lt;seconds&gt;): it kept the CPU busy and never yielded (a loop that never ends?)",
        );
    });

    it("fails a program that logged an error with pulumi.log.error, in one line without terminal codes", async () => {
        const line =
            "check: the program logged an error (pulumi.log.error): the artifact registry netra-images was not found run the bootstrap first";
        expectExit2(await failedInEveryFormat("logs-an-error.ts", "human"), line, line);
    });

    it("fails a program that calls process.exit(0), in one line", async () => {
        const line =
            "check: the program called process.exit(0) before it finished; a Pulumi program ends by returning, and the check decides the exit code";
        expectExit2(await failedInEveryFormat("exits-early.ts", "json"), line, line);
    });

    it("prints a multi-line RunError as one sanitised line per line, terminal codes dropped", async () => {
        const lines = "the stack is frozen\nfor the release\nask #platform to unfreeze it";
        expectExit2(await failedInEveryFormat("multiline-run-error.ts", "markdown"), lines, lines);
    });

    for (const preview of [false, true]) {
        it(`names the program's file, line and the error for a real bug at the top level${preview ? " (preview)" : ""}`, async () => {
            const line =
                "check: the program failed at tests/fixtures/programs/real-bug.ts:11:36: TypeError: Cannot read properties of undefined (reading 'url')";
            expectExit2(await failedInEveryFormat("real-bug.ts", preview ? "human" : "sarif", preview ? ["--preview"] : []), line, line);
        });
    }

    it("names the program's file and line for a bug inside an apply callback", async () => {
        const line =
            "check: the program failed at tests/fixtures/programs/real-bug-in-apply.ts:11:24: TypeError: Cannot read properties of undefined (reading 'url')";
        expectExit2(await failedInEveryFormat("real-bug-in-apply.ts", "json"), line, line);
        // In a preview the account's email is unknown, so the callback never runs, as in `pulumi preview`.
        const preview = await check(["--stack", "staging", "--program", path.join(PROGRAMS, "real-bug-in-apply.ts"), "--preview"]);
        expect([preview.status, preview.stderr]).to.deep.equal([0, ""]);
    });

    it("keeps what the program prints off stdout in every format: each is the writers' rendering of the one report, the output goes to stderr", async () => {
        const results = await spawnedIn(FORMATS, "noisy-output.ts");
        const printed = [
            "program says hello on console.log",
            "info: [runtime] program says hello on pulumi.log.info",
            "warning: [runtime] program warns on pulumi.log.warn",
            "program writes to process.stdout",
            "program writes to file descriptor 1",
        ];
        for (const format of FORMATS) {
            const result = results[format];
            expect(result.status, format).to.equal(0);
            expect(
                result.stderr
                    .split("\n")
                    .filter((line) => line !== "")
                    .sort(),
                format,
            ).to.deep.equal([...printed].sort());
            expect(result.stdout, format).not.to.include("program");
        }
        const report = JSON.parse(results.json.stdout) as CheckReport;
        expect(report.summary).to.deep.equal({ resources: 2, mandatory: 0, advisory: 0 });
        expect(sarifErrors(JSON.parse(results.sarif.stdout))).to.deep.equal([]);
        // What the other cases rely on: the human table and the Markdown summary are the writers' renderings of the
        // report the JSON carries, at a pipe's width.
        expect(results.human.stdout).to.equal(`${renderHuman(report)}\n`);
        expect(results.markdown.stdout).to.equal(`${renderMarkdown(report)}\n`);
        expect(results.human.stdout.split("\n").slice(0, 2)).to.deep.equal([
            "Stack netra-platform/staging",
            "Policy config: policies/config/staging.json",
        ]);
    });

    it("keeps the verdict when the program replaces process.exit: exit 1 for its mandatory violation", async () => {
        const results = await judgedInEveryFormat("replaces-exit.ts");
        for (const format of FORMATS) {
            expect([format, results[format].status, results[format].stderr]).to.deep.equal([format, 1, ""]);
        }
        const report = JSON.parse(results.json.stdout) as CheckReport;
        expect(
            report.violations.filter((violation) => violation.enforcementLevel === "mandatory").map((violation) => violation.policy),
        ).to.include("cloudrun-required-env-vars");
    });

    it("keeps the verdict when the program posts a forged outcome from its thread: exit 1 with its resources", async () => {
        const results = await judgedInEveryFormat("forges-outcome.ts");
        for (const format of FORMATS) {
            expect([format, results[format].status, results[format].stderr]).to.deep.equal([format, 1, ""]);
        }
        expect((JSON.parse(results.json.stdout) as CheckReport).resources.map((resource) => resource.name)).to.deep.equal([
            "netra-platform-staging",
            "forging-service",
        ]);
    });

    it("escapes resource names that would forge a verdict line, move the terminal or inject HTML", async () => {
        const results = await judgedInEveryFormat("hostile-names.ts");
        for (const format of FORMATS) {
            expect([format, results[format].status]).to.deep.equal([format, 1]);
        }
        const human = results.human.stdout.trimEnd().split("\n");
        expect(human.filter((line) => /^\d+ resources?, /.test(line))).to.deep.equal([
            "5 resources, 12 mandatory violations and 4 advisory violations: FAILED.",
        ]);
        expect(results.human.stdout).to.match(/^[\x20-\x7e\n]*$/);
        expect(results.human.stdout).to.include('"\\u0455taging\\u200bhidden"');
        for (const raw of ["<img", "\u001b", "\u200b", "\u0455"]) {
            expect(results.markdown.stdout).not.to.include(raw);
        }
        expect(results.markdown.stdout).to.include('"&lt;img src="x" onerror="alert(1)"&gt;\\| cell \\| \\`code\\` \\*\\*bold\\*\\*"');
        // JSON and SARIF carry the names as data, exactly as registered.
        const names = (JSON.parse(results.json.stdout) as CheckReport).resources.map((resource) => resource.name);
        expect(names).to.include("forged\n\n1 resource, 0 mandatory violations and 0 advisory violations: passed.");
        expect(sarifErrors(JSON.parse(results.sarif.stdout))).to.deep.equal([]);
    });

    it("judges a program that keeps its thread busy longer than the pack's start timeout (in process, as cli.ts runs the check)", async () => {
        // In the check's own code path (runCheckWithContext, as cli.ts calls it) with the pack's start timeout cut from 30 s to
        // PACK_START_MS and the program busy for longer: the same race as 32 s against 30 s, without burning half a minute
        // of CPU. The timeout still leaves a loaded machine ten times the pack's usual start (about 1 s idle).
        const previous = process.env.BUSY_SECONDS;
        process.env.BUSY_SECONDS = String(PACK_START_MS / 1000 + 1.5);
        try {
            const started = Date.now();
            const { report } = await runCheckWithContext(
                REPO_ROOT,
                { ...parseCheckArgs(["--stack", "staging", "--program", path.join(PROGRAMS, "busy-then-done.ts")]) },
                { startTimeoutMs: PACK_START_MS },
            );
            expect(Date.now() - started).to.be.above(PACK_START_MS);
            expect(report.summary).to.deep.equal({ resources: 2, mandatory: 0, advisory: 0 });
            expect(report.resources.map((resource) => resource.name)).to.deep.equal(["netra-platform-staging", "patient-sa"]);
        } finally {
            if (previous === undefined) {
                delete process.env.BUSY_SECONDS;
            } else {
                process.env.BUSY_SECONDS = previous;
            }
        }
    });
});

describe("npm run check on a program that uses data sources (spawned, both modes)", function () {
    this.timeout(120_000);

    for (const preview of [false, true]) {
        it(`judges it${preview ? " in preview" : ""}, answering project, client config and IAM policy offline and listing the unknown one`, async () => {
            const results = await judgedInEveryFormat("data-source-lookups.ts", preview ? ["--preview"] : []);
            for (const format of FORMATS) {
                expect([format, results[format].status, results[format].stderr]).to.deep.equal([format, 0, ""]);
            }
            const report = JSON.parse(results.json.stdout) as CheckReport;
            expect(report.invokes).to.deep.equal([
                { token: "gcp:secretmanager/getSecretVersion:getSecretVersion", answer: "unknown", count: 1 },
                { token: "gcp:organizations/getProject:getProject", answer: "stack-config", count: 1 },
                { token: "gcp:organizations/getClientConfig:getClientConfig", answer: "stack-config", count: 1 },
                { token: "gcp:organizations/getIAMPolicy:getIAMPolicy", answer: "computed", count: 1 },
            ]);
            expect(report.resources.map((resource) => resource.name)).to.deep.equal([
                "netra-platform-staging",
                "lookup-sa",
                "lookup-service",
                "lookup-invokers",
            ]);
            expect(results.human.stdout).to.include(
                "Invokes answered as unknown offline (the program saw values not yet known, as in a first preview):\n    gcp:secretmanager/getSecretVersion:getSecretVersion (1 call)\n",
            );
            expect(results.markdown.stdout).to.include(
                "Invokes answered as unknown offline (the program saw values not yet known, as in a first preview): `gcp:secretmanager/getSecretVersion:getSecretVersion` (1 call).",
            );
            const sarif = JSON.parse(results.sarif.stdout) as { runs: { properties: { invokes: unknown } }[] };
            expect(sarifErrors(sarif)).to.deep.equal([]);
            expect(sarif.runs[0].properties.invokes).to.deep.equal(report.invokes);
        });
    }
});

describe("npm run check says what judged the stack (spawned, every format)", function () {
    this.timeout(120_000);

    it("lists a changed level also when the config sets policies' properties, as the stack's own configs do", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "netra-policy-config-"));
        const file = path.join(dir, "staging-without-pinning.json");
        const staging = JSON.parse(readFileSync(path.join(REPO_ROOT, "policies", "config", "staging.json"), "utf8")) as Record<
            string,
            object
        >;
        writeFileSync(file, JSON.stringify({ ...staging, "cloudrun-images-pinned-by-digest": { enforcementLevel: "disabled" } }));
        try {
            const result = await check(["--stack", "staging", "--policy-config", file, "--json"]);
            expect([result.status, result.stderr]).to.deep.equal([0, ""]);
            expect((JSON.parse(result.stdout) as CheckReport).policyConfig).to.deep.equal({
                file,
                changed: [{ policy: "cloudrun-images-pinned-by-digest", default: "advisory", level: "disabled" }],
            });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("names the policy config and each changed level; a mandatory policy turned off shows in the Markdown summary", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "netra-policy-config-"));
        const file = path.join(dir, "lenient.json");
        writeFileSync(file, JSON.stringify({ "cloudrun-required-env-vars": "disabled" }));
        try {
            const results = await judgedInEveryFormat("service-without-environment-own-account.ts", ["--policy-config", file]);
            const changed = [{ policy: "cloudrun-required-env-vars", default: "mandatory", level: "disabled" }];
            for (const format of FORMATS) {
                expect([format, results[format].status, results[format].stderr]).to.deep.equal([format, 0, ""]);
            }
            expect((JSON.parse(results.json.stdout) as CheckReport).policyConfig).to.deep.equal({ file, changed });
            expect(results.human.stdout.split("\n").slice(1, 3)).to.deep.equal([
                `Policy config: ${file}`,
                "    cloudrun-required-env-vars: mandatory in the pack, disabled here",
            ]);
            expect(results.markdown.stdout).to.include(
                "> **⚠️ 1 mandatory policy not enforced** by this policy config: `cloudrun-required-env-vars` (disabled). Their findings cannot fail this check.",
            );
            const sarif = JSON.parse(results.sarif.stdout) as { runs: { properties: { policyConfig: unknown } }[] };
            expect(sarifErrors(sarif)).to.deep.equal([]);
            expect(sarif.runs[0].properties.policyConfig).to.deep.equal({ file, changed });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
