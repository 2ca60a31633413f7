import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { type EnvironmentName } from "../../detector/environments";
import {
    allSteps,
    type Job,
    needsOf,
    readSetupAction,
    readWorkflow,
    readWorkflows,
    REPO_ROOT,
    SETUP_ACTION_REF,
    type Step,
    stepsUsing,
    type WorkflowFile,
} from "./workflows";

// Test data: the stack CI previews and deploys, and the policy pack it runs.
const STACK: EnvironmentName = "staging";
const POLICY_PACK = "policies";
const POLICY_PACK_CONFIG = `policies/config/${STACK}.json`;
const CHECKS_WORKFLOW_REF = "./.github/workflows/checks.yml";
const DEPLOY_CONCURRENCY_GROUP = "pulumi-up-staging";
const WORKLOAD_IDENTITY_PROVIDER = "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}";

/** package.json: the workspaces and the @pulumi/pulumi SDK version the program is locked to. */
const MANIFEST = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    workspaces?: string[];
    dependencies: Record<string, string>;
};

/** What every Pulumi step passes besides its command: stack, CLI version, state backend, policy pack. */
const PULUMI_STACK_INPUTS = {
    "stack-name": STACK,
    "pulumi-version": MANIFEST.dependencies["@pulumi/pulumi"],
    "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
    policyPacks: POLICY_PACK,
    policyPackConfigs: POLICY_PACK_CONFIG,
};

/** The only remote actions the workflows may use, each pinned to a major release. */
const PINNED_ACTIONS: Readonly<Record<string, string>> = {
    "actions/checkout": "v4",
    "actions/setup-node": "v4",
    "github/codeql-action/upload-sarif": "v4",
    "google-github-actions/auth": "v2",
    "pulumi/actions": "v6",
};

/** Inputs declared by pulumi/actions' action.yml (v6); a misspelt input is silently ignored by GitHub. */
const PULUMI_ACTION_INPUTS: readonly string[] = [
    "command",
    "stack-name",
    "pulumi-version",
    "pulumi-version-file",
    "work-dir",
    "comment-on-pr",
    "comment-on-pr-number",
    "comment-on-summary",
    "github-token",
    "cloud-url",
    "secrets-provider",
    "parallel",
    "message",
    "config-map",
    "expect-no-changes",
    "diff",
    "replace",
    "target",
    "target-dependents",
    "policyPacks",
    "policyPackConfigs",
    "refresh",
    "upsert",
    "remove",
    "edit-pr-comment",
    "color",
    "exclude-protected",
    "plan",
    "suppress-outputs",
    "suppress-progress",
    "always-include-summary",
];

/** Inputs declared by google-github-actions/auth's action.yml (v2). */
const GCP_AUTH_INPUTS: readonly string[] = [
    "project_id",
    "workload_identity_provider",
    "service_account",
    "audience",
    "credentials_json",
    "create_credentials_file",
    "export_environment_variables",
    "token_format",
    "delegates",
    "cleanup_credentials",
    "access_token_lifetime",
    "access_token_scopes",
    "access_token_subject",
    "retries",
    "backoff",
    "backoff_limit",
    "id_token_audience",
    "id_token_include_email",
];

/** The one step of `job` that uses `action`; fails naming the job when there is not exactly one. */
function onlyStepUsing(job: Job, action: string, where: string): Step {
    const steps = (job.steps ?? []).filter((step) => step.uses?.split("@")[0] === action);
    expect(steps, `${where}: steps using ${action}`).to.have.lengthOf(1);
    return steps[0];
}

/** The step of `job` with this name; fails naming the job when there is not exactly one. */
function stepNamed(job: Job, name: string): Step {
    const steps = (job.steps ?? []).filter((step) => step.name === name);
    expect(steps, `steps named ${name}`).to.have.lengthOf(1);
    return steps[0];
}

/** What a run step did in a scratch folder with a stand-in `npm`. */
interface StepRun {
    readonly status: number | null;
    readonly stdout: string;
    /** What the step appended to $GITHUB_OUTPUT. */
    readonly output: string;
    /** What the step appended to $GITHUB_STEP_SUMMARY. */
    readonly summary: string;
    /** Arguments of each `npm` call, in order. */
    readonly npmCalls: string[];
    /** Files the step left in its folder, by name. */
    readonly files: Record<string, string>;
}

/**
 * Runs a `run:` step as GitHub's `shell: bash` does (`bash --noprofile --norc -eo pipefail`) in a
 * scratch folder holding `files`, with an `npm` that records its arguments, prints `## <stack>` and
 * exits with `npmExit[stack]` (default 0): the step's own logic is tested, not the check.
 */
function runStep(step: Step, options: { files: string[]; env?: Record<string, string>; npmExit?: Record<string, number> }): StepRun {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netra-step-"));
    const bin = path.join(dir, ".bin");
    try {
        fs.mkdirSync(bin);
        for (const file of options.files) {
            fs.writeFileSync(path.join(dir, file), "");
        }
        const exits = Object.entries(options.npmExit ?? {})
            .map(([stack, code]) => `  ${stack}) exit ${code} ;;`)
            .join("\n");
        fs.writeFileSync(
            path.join(bin, "npm"),
            `#!/bin/bash\necho "$*" >> "${bin}/calls"\nstack="$6"\necho "## $stack"\ncase "$stack" in\n${exits}\nesac\nexit 0\n`,
            { mode: 0o755 },
        );
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run ?? ""], {
            cwd: dir,
            encoding: "utf8",
            env: {
                PATH: `${bin}:${process.env.PATH ?? ""}`,
                GITHUB_OUTPUT: path.join(bin, "output"),
                GITHUB_STEP_SUMMARY: path.join(bin, "summary"),
                ...options.env,
            },
        });
        const read = (file: string) => (fs.existsSync(path.join(bin, file)) ? fs.readFileSync(path.join(bin, file), "utf8") : "");
        const left = fs.readdirSync(dir).filter((file) => file !== ".bin" && !options.files.includes(file));
        return {
            status: result.status,
            stdout: result.stdout,
            output: read("output"),
            summary: read("summary"),
            npmCalls: read("calls")
                .split("\n")
                .filter((line) => line !== ""),
            files: Object.fromEntries(left.map((file) => [file, fs.readFileSync(path.join(dir, file), "utf8")])),
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Every job of every workflow with its file, for rules that hold everywhere. */
function allJobs(files: WorkflowFile[]): { where: string; job: Job }[] {
    return files.flatMap(({ file, workflow }) => Object.entries(workflow.jobs).map(([name, job]) => ({ where: `${file} ${name}`, job })));
}

describe("GitHub Actions workflows", () => {
    const workflows = readWorkflows();
    const pullRequest = readWorkflow("pull-request.yml").workflow;
    const main = readWorkflow("main.yml").workflow;
    const checks = readWorkflow("checks.yml").workflow;

    describe("every workflow", () => {
        it("grants no permission at the workflow level, so a job gets only what it spells out", () => {
            for (const { file, workflow } of workflows) {
                expect(workflow.permissions, file).to.deep.equal({});
            }
        });

        it("spells out permissions on every job", () => {
            for (const { where, job } of allJobs(workflows)) {
                expect(job.permissions, where).to.be.an("object");
            }
        });

        it("pins every remote action to a major release: checkout v4, setup-node v4, upload-sarif v4, auth v2, pulumi/actions v6", () => {
            const remote = [...allSteps(workflows).map(({ step }) => step.uses), ...readSetupAction().runs.steps.map((step) => step.uses)]
                .filter((uses): uses is string => uses !== undefined && !uses.startsWith("./"))
                .sort();
            const expected = Object.entries(PINNED_ACTIONS).map(([action, version]) => `${action}@${version}`);
            expect([...new Set(remote)]).to.deep.equal(expected);
        });

        it("references no secret: GCP credentials come from OIDC, settings from repository variables", () => {
            for (const { file, text } of workflows) {
                expect(text, file).to.not.match(/\$\{\{[^}]*\bsecrets\b/);
            }
            for (const { where, job } of allJobs(workflows)) {
                expect(job.secrets, `${where} passes secrets`).to.equal(undefined);
            }
        });

        it("checks out without leaving the job token in .git/config for later steps", () => {
            const checkouts = stepsUsing(workflows, "actions/checkout");
            expect(checkouts.map(({ file, job }) => `${file} ${job}`)).to.deep.equal([
                "checks.yml checks",
                "drift.yml drift",
                "main.yml deploy",
                "pull-request.yml preview",
                "pull-request.yml code-scanning",
            ]);
            for (const { step } of checkouts) {
                expect(step.with).to.deep.equal({ "persist-credentials": false });
            }
        });

        it("starts every job that has steps with checkout, then the setup action, and installs nothing elsewhere", () => {
            for (const { where, job } of allJobs(workflows).filter(({ job }) => job.steps !== undefined)) {
                const [first, second] = job.steps!.map((step) => step.uses);
                expect([first, second], where).to.deep.equal([`actions/checkout@${PINNED_ACTIONS["actions/checkout"]}`, SETUP_ACTION_REF]);
            }
            expect(stepsUsing(workflows, "actions/setup-node"), "setup-node outside the setup action").to.deep.equal([]);
            for (const { file, job, step } of allSteps(workflows)) {
                expect(step.run ?? "", `${file} ${job}`).to.not.match(/\bnpm (ci|install|i)\b/);
            }
        });
    });

    describe("the setup action", () => {
        const setup = readSetupAction();

        it("sets up Node 22 with npm's download cache", () => {
            const setupNode = setup.runs.steps.filter((step) => step.uses?.startsWith("actions/setup-node@"));
            expect(setupNode.map((step) => step.with)).to.deep.equal([{ "node-version": "22", cache: "npm" }]);
        });

        it("installs the program and the policy pack with one npm ci at the root of the npm workspace", () => {
            const runs = setup.runs.steps.filter((step) => step.run !== undefined);
            expect(runs.map(({ run, shell }) => ({ run, shell }))).to.deep.equal([{ run: "npm ci --no-audit --no-fund", shell: "bash" }]);
            expect(MANIFEST.workspaces, "package.json workspaces").to.include(POLICY_PACK);
        });
    });

    describe("the checks, shared by pull requests and main", () => {
        const job = checks.jobs.checks;

        it("is the only job of a workflow that can only be called, and hands its callers the list of stacks", () => {
            expect(checks.on).to.deep.equal({
                workflow_call: {
                    outputs: {
                        stacks: {
                            description:
                                "The repository's stacks (one per Pulumi.<stack>.yaml), as a JSON list, for callers that fan out per stack.",
                            value: "${{ jobs.checks.outputs.stacks }}",
                        },
                    },
                },
            });
            expect(Object.keys(checks.jobs)).to.deep.equal(["checks"]);
            expect(job.outputs).to.deep.equal({ stacks: "${{ steps.stacks.outputs.stacks }}" });
        });

        it("lists the stacks, runs the README's test command, then checks every stack, in that order", () => {
            expect((job.steps ?? []).filter((step) => step.run !== undefined).map((step) => step.name)).to.deep.equal([
                "List the stacks (every Pulumi.<stack>.yaml)",
                "Type check, unit tests and secret scan (npm test)",
                "Offline preview and policy check of every stack",
            ]);
            expect(stepNamed(job, "Type check, unit tests and secret scan (npm test)")).to.deep.include({ run: "npm test" });
            // shell: bash means pipefail, so the check's exit code, not tee's, decides the step.
            expect(stepNamed(job, "Offline preview and policy check of every stack").shell).to.equal("bash");
        });

        it("lists every Pulumi.<stack>.yaml as a JSON list for the callers, and no other file", () => {
            const result = runStep(stepNamed(job, "List the stacks (every Pulumi.<stack>.yaml)"), {
                files: ["Pulumi.yaml", "Pulumi.staging.yaml", "Pulumi.production.yaml", "Pulumi.production.yaml.example"],
            });
            expect([result.status, result.output]).to.deep.equal([0, 'stacks=["production","staging"]\n']);
        });

        it("refuses a stack file whose name could reach a shell or an expression", () => {
            const result = runStep(stepNamed(job, "List the stacks (every Pulumi.<stack>.yaml)"), {
                files: ["Pulumi.yaml", "Pulumi.staging.yaml", 'Pulumi.a"$(id)".yaml'],
            });
            expect(result.status).to.equal(1);
            expect(result.stdout).to.equal('::error file=Pulumi.a"$(id)".yaml::not a stack name (letters, digits, _, . and -)\n');
        });

        it("checks every stack with its policy config as a preview, copying each Markdown summary into the job summary", () => {
            const result = runStep(stepNamed(job, "Offline preview and policy check of every stack"), {
                files: ["Pulumi.yaml", "Pulumi.staging.yaml", "Pulumi.production.yaml"],
            });
            expect(result.status).to.equal(0);
            expect(result.npmCalls).to.deep.equal([
                "run --silent check -- --stack production --preview --markdown",
                "run --silent check -- --stack staging --preview --markdown",
            ]);
            expect(result.summary).to.equal("## production\n## staging\n");
        });

        it("fails the step when one stack fails, after checking all of them", () => {
            const result = runStep(stepNamed(job, "Offline preview and policy check of every stack"), {
                files: ["Pulumi.yaml", "Pulumi.a.yaml", "Pulumi.b.yaml"],
                npmExit: { a: 1 },
            });
            expect(result.status).to.equal(1);
            expect(result.npmCalls).to.have.length(2);
        });

        it("reads the repository and nothing else", () => {
            expect(job.permissions).to.deep.equal({ contents: "read" });
        });

        it("is what both workflows call first, with contents: read, no secrets and no condition, so it runs on forks too", () => {
            for (const workflow of [pullRequest, main]) {
                expect(workflow.jobs.checks).to.deep.equal({
                    name: "Checks",
                    uses: CHECKS_WORKFLOW_REF,
                    permissions: { contents: "read" },
                });
            }
            expect(job.if).to.equal(undefined);
        });

        it("has no concurrency group of its own (a called workflow would share its caller's group and deadlock)", () => {
            expect(checks.concurrency).to.equal(undefined);
            expect(job.concurrency).to.equal(undefined);
        });
    });

    describe("the pull-request workflow", () => {
        const preview = pullRequest.jobs.preview;

        it("runs on pull requests to main, never on pull_request_target (which runs fork code with the base repository's rights)", () => {
            expect(pullRequest.on).to.deep.equal({ pull_request: { branches: ["main"] } });
        });

        it("has exactly three jobs: the checks, the cloud preview and the code-scanning upload", () => {
            expect(Object.keys(pullRequest.jobs)).to.deep.equal(["checks", "preview", "code-scanning"]);
        });

        it("runs the preview job only for branches of this repository, once the GCP variables are set", () => {
            expect(preview.if).to.equal(
                "github.event.pull_request.head.repo.full_name == github.repository && vars.GCP_WORKLOAD_IDENTITY_PROVIDER != ''",
            );
        });

        it("runs the preview only after the checks pass", () => {
            expect(needsOf(preview)).to.deep.equal(["checks"]);
        });

        it("lets the preview job read the code, get an OIDC token and comment on the pull request, nothing more", () => {
            expect(preview.permissions).to.deep.equal({ contents: "read", "id-token": "write", "pull-requests": "write" });
        });

        it("logs in to GCP with workload identity federation, provider and preview service account from repository variables", () => {
            const auth = onlyStepUsing(preview, "google-github-actions/auth", "pull-request preview");
            expect(auth.with).to.deep.equal({
                workload_identity_provider: WORKLOAD_IDENTITY_PROVIDER,
                service_account: "${{ vars.GCP_PREVIEW_SERVICE_ACCOUNT }}",
            });
        });

        it("previews the stack with the policy pack and its config on the self-managed backend, commenting on the pull request", () => {
            const pulumi = onlyStepUsing(preview, "pulumi/actions", "pull-request preview");
            expect(pulumi.with).to.deep.equal({ command: "preview", ...PULUMI_STACK_INPUTS, "comment-on-pr": true });
        });

        it("cancels the previous run of the same pull request when a new commit arrives", () => {
            expect(pullRequest.concurrency).to.deep.equal({
                group: "pull-request-${{ github.event.pull_request.number }}",
                "cancel-in-progress": true,
            });
        });
    });

    describe("the code-scanning job of the pull-request workflow", () => {
        const scanning = pullRequest.jobs["code-scanning"];

        it("may only read the code besides writing security events, and shares that only with the drift check's alerts", () => {
            expect(scanning.permissions).to.deep.equal({ contents: "read", "security-events": "write" });
            const writers = allJobs(workflows).filter(({ job }) => job.permissions?.["security-events"] !== undefined);
            expect(writers.map(({ where }) => where).sort()).to.deep.equal(["drift.yml drift", "pull-request.yml code-scanning"]);
        });

        it("runs once per stack the checks listed, even when the checks found violations, but not on forks", () => {
            expect(needsOf(scanning)).to.deep.equal(["checks"]);
            expect(scanning.strategy).to.deep.equal({
                "fail-fast": false,
                matrix: { stack: "${{ fromJSON(needs.checks.outputs.stacks) }}" },
            });
            expect(scanning.if).to.equal(
                "${{ !cancelled() && needs.checks.outputs.stacks != '' && github.event.pull_request.head.repo.full_name == github.repository }}",
            );
        });

        it("uploads each stack's SARIF under a category of its own (code scanning refuses two runs of one category)", () => {
            const upload = onlyStepUsing(scanning, "github/codeql-action/upload-sarif", "pull-request code-scanning");
            expect(upload.with).to.deep.equal({ sarif_file: "check.sarif", category: "policy-check-${{ matrix.stack }}" });
        });

        it("passes the stack name through the environment, never into the script text", () => {
            const step = stepNamed(scanning, "Offline check as SARIF");
            expect(step.env).to.deep.equal({ STACK: "${{ matrix.stack }}" });
            expect(step.run).not.to.include("${{");
        });

        it("writes the check's SARIF to check.sarif and keeps it when the check finds a violation (exit 1)", () => {
            const result = runStep(stepNamed(scanning, "Offline check as SARIF"), {
                files: [],
                env: { STACK: "staging" },
                npmExit: { staging: 1 },
            });
            expect(result.status).to.equal(0);
            expect(result.npmCalls).to.deep.equal(["run --silent check -- --stack staging --preview --sarif"]);
            expect(result.files["check.sarif"]).to.equal("## staging\n");
        });

        it("fails when the check cannot run (exit 2): there is nothing to upload", () => {
            const result = runStep(stepNamed(scanning, "Offline check as SARIF"), {
                files: [],
                env: { STACK: "staging" },
                npmExit: { staging: 2 },
            });
            expect(result.status).to.equal(1);
        });
    });

    describe("the main workflow", () => {
        const deploy = main.jobs.deploy;

        it("runs on pushes to main only", () => {
            expect(main.on).to.deep.equal({ push: { branches: ["main"] } });
        });

        it("deploys only from main, only after the checks pass, in the GitHub environment named after the stack", () => {
            expect(Object.keys(main.jobs)).to.deep.equal(["checks", "deploy"]);
            expect(deploy.if).to.equal("github.ref == 'refs/heads/main'");
            expect(needsOf(deploy)).to.deep.equal(["checks"]);
            expect(deploy.environment).to.equal(STACK);
        });

        it("never runs two deployments at once and never cancels one in progress", () => {
            // A fixed group (no per-run expression) is what makes every deployment queue behind the running one.
            expect(deploy.concurrency).to.deep.equal({ group: DEPLOY_CONCURRENCY_GROUP, "cancel-in-progress": false });
            expect(main.concurrency, "a workflow-level group would also hold back the checks").to.equal(undefined);
        });

        it("shares its deployment group with no other job (a queued preview would push a waiting deployment out)", () => {
            const holders = workflows.flatMap(({ file, workflow }) => [
                ...(workflow.concurrency?.group === DEPLOY_CONCURRENCY_GROUP ? [`${file}`] : []),
                ...Object.entries(workflow.jobs)
                    .filter(([, job]) => job.concurrency?.group === DEPLOY_CONCURRENCY_GROUP)
                    .map(([name]) => `${file} ${name}`),
            ]);
            expect(holders).to.deep.equal(["main.yml deploy"]);
        });

        it("lets the deploy job read the code and get an OIDC token, nothing more", () => {
            expect(deploy.permissions).to.deep.equal({ contents: "read", "id-token": "write" });
        });

        it("logs in to GCP with workload identity federation, provider and deploy service account from variables", () => {
            const auth = onlyStepUsing(deploy, "google-github-actions/auth", "main deploy");
            expect(auth.with).to.deep.equal({
                workload_identity_provider: WORKLOAD_IDENTITY_PROVIDER,
                service_account: "${{ vars.GCP_DEPLOY_SERVICE_ACCOUNT }}",
            });
        });

        it("runs pulumi up on the stack with the policy pack and its config on the self-managed backend", () => {
            const pulumi = onlyStepUsing(deploy, "pulumi/actions", "main deploy");
            expect(pulumi.with).to.deep.equal({ command: "up", ...PULUMI_STACK_INPUTS });
        });
    });

    describe("every Pulumi step", () => {
        const pulumiSteps = stepsUsing(workflows, "pulumi/actions");

        it("runs pulumi up in main's deploy job only; everything else previews", () => {
            expect(pulumiSteps.map(({ file, job, step }) => `${file} ${job} ${step.with?.command}`)).to.deep.equal([
                "drift.yml drift preview",
                "main.yml deploy up",
                "pull-request.yml preview preview",
            ]);
        });

        it("runs the policy pack with its config, on the same stack the offline check uses", () => {
            for (const { file, job, step } of pulumiSteps) {
                const { policyPacks, policyPackConfigs } = step.with ?? {};
                expect({ policyPacks, policyPackConfigs, stack: step.with?.["stack-name"] }, `${file} ${job}`).to.deep.equal({
                    policyPacks: POLICY_PACK,
                    policyPackConfigs: POLICY_PACK_CONFIG,
                    stack: STACK,
                });
            }
        });

        it("passes pulumi/actions and google-github-actions/auth only inputs their action.yml declares", () => {
            const declared: Readonly<Record<string, readonly string[]>> = {
                "pulumi/actions": PULUMI_ACTION_INPUTS,
                "google-github-actions/auth": GCP_AUTH_INPUTS,
            };
            for (const [action, inputs] of Object.entries(declared)) {
                for (const { file, job, step } of stepsUsing(workflows, action)) {
                    const unknown = Object.keys(step.with ?? {}).filter((input) => !inputs.includes(input));
                    expect(unknown, `${file} ${job} ${action}`).to.deep.equal([]);
                }
            }
        });

        it("installs the Pulumi CLI of the version the program's @pulumi/pulumi SDK is locked to", () => {
            for (const { file, job, step } of pulumiSteps) {
                expect(step.with?.["pulumi-version"], `${file} ${job}`).to.equal(MANIFEST.dependencies["@pulumi/pulumi"]);
            }
        });

        it("names a policy pack, a policy config and a stack config that exist in the repository", () => {
            const named = [path.join(POLICY_PACK, "PulumiPolicy.yaml"), POLICY_PACK_CONFIG, `Pulumi.${STACK}.yaml`];
            expect(
                named.filter((file) => !fs.existsSync(path.join(REPO_ROOT, file))),
                "missing",
            ).to.deep.equal([]);
        });
    });
});
