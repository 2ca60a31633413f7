import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { type CheckReport, renderHuman, renderMarkdown } from "../../check/report";
import { npmScriptNodeArgs } from "../support/npm-script";
import { FROZEN_STAGING_DIR, REPO_ROOT } from "../support/staging-fixture";

const BROKEN_PROGRAM = path.join(REPO_ROOT, "tests", "fixtures", "programs", "service-without-environment.ts");
const UNSCOPED_PROGRAM = path.join(REPO_ROOT, "tests", "fixtures", "programs", "unscoped-secret-access.ts");

interface CliResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

/**
 * Runs the check as `npm run check` does (its node flags and loader), in `cwd`. By default in the frozen
 * staging stack (tests/fixtures/stacks/README.md) with the real index.ts, so exact counts survive stack changes.
 */
function check(args: readonly string[], cwd = FROZEN_STAGING_DIR): CliResult {
    const program = cwd === FROZEN_STAGING_DIR && !args.includes("--program") ? ["--program", path.join(REPO_ROOT, "index.ts")] : [];
    const result = spawnSync(process.execPath, [...npmScriptNodeArgs("check"), ...args, ...program], {
        cwd,
        encoding: "utf8",
        timeout: 120_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `npm run check -- <args> --json` in the frozen staging stack, spawned once per command line and shared by the
 * tests that read that run: the human table and the Markdown summary of a run are the writers' renderings of its
 * JSON report (tests/check/check-programs.test.ts checks that on spawned runs of every format).
 */
const jsonRuns = new Map<string, CliResult>();

function jsonRun(args: readonly string[]): CliResult {
    const key = JSON.stringify(args);
    const result = jsonRuns.get(key) ?? check([...args, "--json"]);
    jsonRuns.set(key, result);
    return result;
}

/** A scratch project folder holding Pulumi.yaml and the given stack files. */
function scratchProject(stacks: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), "netra-check-"));
    copyFileSync(path.join(FROZEN_STAGING_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    for (const [name, text] of Object.entries(stacks)) {
        writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
    }
    return dir;
}

const KEY_LIKE = /[0-9a-f]{64}/;

describe("npm run check (spawned as a user runs it)", () => {
    for (const preview of [false, true]) {
        it(`passes the staging stack${preview ? " in preview mode" : ""} with exit 0 and the documented JSON`, () => {
            const result = jsonRun(["--stack", "staging", ...(preview ? ["--preview"] : [])]);
            expect(result.stderr).to.equal("");
            expect(result.status).to.equal(0);
            const report = JSON.parse(result.stdout) as CheckReport;
            expect(Object.keys(report)).to.deep.equal([
                "stack",
                "project",
                "preview",
                "policyConfig",
                "resources",
                "violations",
                "invokes",
                "summary",
            ]);
            expect(report.policyConfig).to.deep.equal({ file: "policies/config/staging.json", changed: [] });
            expect(report.invokes).to.deep.equal([]);
            expect([report.stack, report.project, report.preview]).to.deep.equal(["staging", "netra-platform", preview]);
            expect(report.summary).to.deep.equal({ resources: 55, mandatory: 0, advisory: 3 });
            expect(report.resources[0]).to.deep.equal({
                urn: "urn:pulumi:staging::netra-platform::pulumi:pulumi:Stack::netra-platform-staging",
                type: "pulumi:pulumi:Stack",
                name: "netra-platform-staging",
                parent: null,
            });
            expect(new Set(report.violations.map((violation) => `${violation.policy} ${violation.enforcementLevel}`))).to.deep.equal(
                new Set(["cloudrun-images-pinned-by-digest advisory"]),
            );
            expect(result.stdout).not.to.match(KEY_LIKE);
        });
    }

    it("prints a resource table and one line per violation, and never a key", () => {
        const result = jsonRun(["--stack", "staging"]);
        expect(result.status).to.equal(0);
        const human = renderHuman(JSON.parse(result.stdout) as CheckReport);
        const lines = human.trimEnd().split("\n");
        expect(lines.slice(0, 2)).to.deep.equal(["Stack netra-platform/staging", "Policy config: policies/config/staging.json"]);
        expect(lines[3]).to.match(/^TYPE\s+NAME\s+PARENT$/);
        expect(Math.max(...lines.map((line) => line.length))).to.be.at.most(100);
        expect(lines.filter((line) => line.startsWith("ADVISORY cloudrun-images-pinned-by-digest: "))).to.have.length(3);
        expect(lines[lines.length - 1]).to.equal("55 resources, 0 mandatory violations and 3 advisory violations: passed.");
        expect(human).not.to.match(KEY_LIKE);
    });

    it("writes a Markdown summary for the CI job summary", () => {
        const result = jsonRun(["--stack", "staging", "--preview"]);
        expect(result.status).to.equal(0);
        const markdown = renderMarkdown(JSON.parse(result.stdout) as CheckReport);
        expect(markdown.split("\n").slice(0, 3)).to.deep.equal([
            "## Policy check: netra-platform/staging (preview) ✅ passed",
            "",
            "55 resources, 0 mandatory violations and 3 advisory violations.",
        ]);
        expect(markdown).to.include("| `gcp:cloudrunv2/service:Service` | 3 |");
    });

    it("fails with exit 1 on a Cloud Run service that bypasses the component and lacks ENVIRONMENT, naming the policy and the resource", () => {
        const result = check(["--stack", "staging", "--program", BROKEN_PROGRAM, "--json"]);
        expect(result.status).to.equal(1);
        const report = JSON.parse(result.stdout) as CheckReport;
        const urn = "urn:pulumi:staging::netra-platform::gcp:cloudrunv2/service:Service::legacy-backend";
        expect(
            report.violations
                .filter((violation) => violation.enforcementLevel === "mandatory")
                .map((violation) => [violation.policy, violation.urn]),
        ).to.deep.equal([
            ["cloudrun-required-env-vars", urn],
            // It also sets no runtime account (the old script's services ran as the default compute account).
            ["cloudrun-dedicated-service-account", urn],
        ]);
        const human = renderHuman(report);
        expect(human).to.match(
            /^MANDATORY cloudrun-required-env-vars: gcp:cloudrunv2\/service:Service "legacy-backend"\n {4}.*ENVIRONMENT/m,
        );
        expect(human.trimEnd().split("\n").pop()).to.match(/^2 resources, 2 mandatory violations and \d+ advisory violations?: FAILED\.$/);
    });

    for (const preview of [false, true]) {
        it(`fails with exit 1 on an ungranted secret and a project-level accessor grant${preview ? " in a preview, matched through dependencies" : ""}`, () => {
            const result = check(["--stack", "staging", "--program", UNSCOPED_PROGRAM, "--json", ...(preview ? ["--preview"] : [])]);
            expect(result.status).to.equal(1);
            const report = JSON.parse(result.stdout) as CheckReport;
            const mandatory = report.violations.filter((violation) => violation.enforcementLevel === "mandatory");
            expect(mandatory.map((violation) => [violation.policy, violation.enforcementLevel, violation.urn])).to.deep.equal([
                [
                    "secret-access-scoped-to-service-account",
                    "mandatory",
                    "urn:pulumi:staging::netra-platform::gcp:cloudrunv2/service:Service::worker",
                ],
                [
                    "secret-access-scoped-to-service-account",
                    "mandatory",
                    "urn:pulumi:staging::netra-platform::gcp:projects/iAMMember:IAMMember::everything-reader",
                ],
            ]);
            expect(mandatory[0].message).to.equal(
                'Cloud Run service "worker" reads secret "jwt-secret-staging", but no secret-level roles/secretmanager.secretAccessor grant on it names the service\'s own account, service account "worker-sa" (netra-worker-run@netra-staging.iam.gserviceaccount.com).',
            );
        });
    }

    it("exits 2 with one line when the stack file does not exist", () => {
        const result = check(["--stack", "prod"]);
        expect([result.status, result.stdout, result.stderr]).to.deep.equal([
            2,
            "",
            "Pulumi.prod.yaml: no such stack file; stacks here: staging\n",
        ]);
    });

    it("exits 2 with one line naming the file and key when the config is invalid", () => {
        const dir = scratchProject({
            broken: "config:\n  gcp:project: netra-staging\n  gcp:region: us-central1\n  netra-platform:environment: qa\n  netra-platform:domain: staging.netrasystems.ai\n  netra-platform:services:\n    api: { name: netra-api, image: 'gcr.io/p/api:1', port: 8080 }\n",
        });
        try {
            const result = check(["--stack", "broken", "--program", path.join(REPO_ROOT, "index.ts")], dir);
            expect([result.status, result.stdout, result.stderr]).to.deep.equal([
                2,
                "",
                'Pulumi.broken.yaml: `netra-platform:environment` is "qa"; allowed: development (dev, local), test (testing), staging (stage), production (prod).\n',
            ]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("exits 2 with one line, with line and column, when the stack file is not valid YAML", () => {
        const dir = scratchProject({ broken: "config:\n  gcp:project: [unclosed\n" });
        try {
            const result = check(["--stack", "broken", "--program", path.join(REPO_ROOT, "index.ts")], dir);
            expect([result.status, result.stdout, result.stderr]).to.deep.equal([
                2,
                "",
                "Pulumi.broken.yaml:3:1: is not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ]).\n",
            ]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("treats a secure config value as a secret it cannot read, not as an error, and never prints it", () => {
        const stack = stagingWith("  gcp:credentials:\n    secure: v1:c2VjdXJlLXZhbHVlLW5ldmVyLXByaW50ZWQ=\n");
        const dir = scratchProject({ staging: stack });
        try {
            const result = check(["--stack", "staging", "--program", path.join(REPO_ROOT, "index.ts")], dir);
            expect(result.stderr).to.equal("");
            expect(result.status).to.equal(0);
            expect(result.stdout).not.to.include("c2VjdXJl");
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("exits 2 naming the key when a program key holds a secure value, never printing it", () => {
        const stack = readFileSync(path.join(FROZEN_STAGING_DIR, "Pulumi.staging.yaml"), "utf8").replace(
            "  netra-platform:domain: staging.netrasystems.ai\n",
            "  netra-platform:domain:\n    secure: v1:c2VjdXJlLXZhbHVlLW5ldmVyLXByaW50ZWQ=\n",
        );
        const dir = scratchProject({ staging: stack });
        try {
            const result = check(["--stack", "staging", "--program", path.join(REPO_ROOT, "index.ts")], dir);
            expect([result.status, result.stdout, result.stderr]).to.deep.equal([
                2,
                "",
                "Pulumi.staging.yaml: `netra-platform:domain` is encrypted (`secure:`), but this program takes no secrets from config; store the value in Secret Manager and reference it under a service's `secrets`.\n",
            ]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    for (const [args, message] of [
        [[], "check: --stack is required, e.g. `npm run check -- --stack staging`\n"],
        [["--stack"], "check: --stack needs a value; see --help\n"],
        [
            ["--stack", "staging", "--verbose"],
            'check: unknown argument "--verbose"; allowed: --stack, --policy-config, --program, --timeout, --preview, --json, --markdown, --sarif, --help\n',
        ],
        [["--stack", "staging", "--json", "--markdown"], "check: --json and --markdown exclude each other; pick one\n"],
        [["--stack", "staging", "--markdown", "--sarif"], "check: --markdown and --sarif exclude each other; pick one\n"],
        [["--stack", "staging", "--timeout", "0"], 'check: --timeout is "0"; allowed: a number of seconds above 0, at most 86400\n'],
        [["--stack", "staging", "--timeout", "soon"], 'check: --timeout is "soon"; allowed: a number of seconds above 0, at most 86400\n'],
        [
            ["--stack", "staging", "--verbose\u001b[2J\n"],
            'check: unknown argument "--verbose\\u001b[2J\\n"; allowed: --stack, --policy-config, --program, --timeout, --preview, --json, --markdown, --sarif, --help\n',
        ],
        [["--stack", "staging", "--program", "missing.ts"], "check: --program: missing.ts: no such file\n"],
        [["--stack", "staging", "--policy-config", "missing.json"], "check: --policy-config: missing.json: no such file\n"],
    ] as const) {
        it(`exits 2 on usage ${JSON.stringify(args)}`, () => {
            const result = check([...args]);
            expect([result.status, result.stdout, result.stderr]).to.deep.equal([2, "", message]);
        });
    }

    it("prints its usage with --help and exit 0", () => {
        const result = check(["--help"]);
        expect(result.status).to.equal(0);
        expect(result.stdout.split("\n")[0]).to.equal(
            "Usage: npm run check -- --stack <name> [--preview] [--json | --markdown | --sarif] [--policy-config <file>] [--program <file>] [--timeout <seconds>]",
        );
    });
});

/** The staging stack file with extra lines appended under `config:`. */
function stagingWith(extra: string): string {
    return `${readFileSync(path.join(FROZEN_STAGING_DIR, "Pulumi.staging.yaml"), "utf8").trimEnd()}\n${extra}`;
}
