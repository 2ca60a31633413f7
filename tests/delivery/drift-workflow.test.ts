import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readStackFile } from "../../check/stack-file";
import { sarifErrors } from "../check/sarif-schema";
import { type Job, readWorkflow, REPO_ROOT, type Step } from "./workflows";

// Test data: what the drift job must do, spelled out.
const PULUMI_VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> })
    .dependencies["@pulumi/pulumi"];
const AUDIT_COMMAND = 'npm run --silent audit -- --stack staging --markdown "${args[@]}" | tee -a "$GITHUB_STEP_SUMMARY"';
const RUNS_AFTER_A_FAILED_PREVIEW = "${{ !cancelled() && steps.auth.outcome == 'success' }}";
const NO_ENVIRONMENT_IN = (container: string): string =>
    `Container "${container}" does not set ENVIRONMENT; every Cloud Run container must declare it explicitly, or the service guesses its environment (the WebSocket 1011 incident).`;
const NO_ENVIRONMENT = NO_ENVIRONMENT_IN("backend");
const WORKER_POOLS_EXPORT =
    'gcloud run worker-pools list --project="$GCP_PROJECT" --region="$GCP_REGION" --format=json > live/worker-pools.json.part';
const WORKER_POOLS_NOT_EXPORTED =
    "::error title=Worker pools not exported::gcloud run worker-pools list failed (its error is above); this gcloud may predate " +
    "the GA worker-pools commands (gcloud version). Update the runner's Google Cloud CLI (google-github-actions/setup-gcloud) " +
    "instead of skipping them: the audit below judges the other exports, not the worker pools.";
/** A worker pool deployed by hand, as `gcloud run worker-pools list --format=json` prints it: no ENVIRONMENT. */
const HAND_DEPLOYED_POOL = {
    apiVersion: "run.googleapis.com/v1",
    kind: "WorkerPool",
    metadata: { name: "netra-queue-staging", namespace: "123456789012", labels: { "cloud.googleapis.com/location": "us-central1" } },
    spec: {
        template: {
            spec: {
                serviceAccountName: "netra-queue-staging-run@netra-staging.iam.gserviceaccount.com",
                containers: [
                    {
                        name: "worker",
                        image: `us-docker.pkg.dev/netra-staging/app/queue@sha256:${"b".repeat(64)}`,
                        env: [{ name: "GCP_PROJECT_ID", value: "netra-staging" }],
                    },
                ],
            },
        },
    },
};

type DriftJob = Job & { env?: Record<string, string> };
interface SarifResult {
    ruleId: string;
    level: string;
    message: { text: string };
    locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
}
type DriftStep = Step & { id?: string };

describe("the drift workflow (.github/workflows/drift.yml)", () => {
    const { workflow } = readWorkflow("drift.yml");
    const job = workflow.jobs.drift as DriftJob;
    const steps = (job.steps ?? []) as DriftStep[];
    const named = (prefix: string): DriftStep => {
        const found = steps.filter((step) => step.name?.startsWith(prefix));
        expect(found, `steps named "${prefix}..."`).to.have.length(1);
        return found[0];
    };

    it("runs every day on a schedule and on manual dispatch, on nothing else", () => {
        expect(Object.keys(workflow.on).sort()).to.deep.equal(["schedule", "workflow_dispatch"]);
        const schedule = workflow.on.schedule as { cron: string }[];
        expect(schedule).to.have.length(1);
        expect(schedule[0].cron).to.match(/^\d{1,2} \d{1,2} \* \* \*$/);
    });

    it("has one job, skipped until the GCP variables are configured", () => {
        expect(Object.keys(workflow.jobs)).to.deep.equal(["drift"]);
        expect(job.if).to.equal("vars.GCP_WORKLOAD_IDENTITY_PROVIDER != ''");
    });

    it("reads the code, gets an OIDC token and writes code-scanning alerts, nothing more, and deploys to no environment", () => {
        expect(job.permissions).to.deep.equal({ contents: "read", "id-token": "write", "security-events": "write" });
        expect(job.environment).to.equal(undefined);
    });

    it("logs in with workload identity federation as the read-only preview account, never the deploy account", () => {
        expect(named("Authenticate to Google Cloud").with).to.deep.equal({
            workload_identity_provider: "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}",
            service_account: "${{ vars.GCP_PREVIEW_SERVICE_ACCOUNT }}",
        });
        expect(readWorkflow("drift.yml").text).not.to.include("GCP_DEPLOY_SERVICE_ACCOUNT");
    });

    it("refreshes and previews staging with the policy pack, failing on any change (pulumi/actions refresh, expect-no-changes)", () => {
        expect(named("Refresh, then preview").with).to.deep.equal({
            command: "preview",
            "stack-name": "staging",
            "pulumi-version": PULUMI_VERSION,
            "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
            policyPacks: "policies",
            policyPackConfigs: "policies/config/staging.json",
            refresh: true,
            "expect-no-changes": true,
        });
    });

    it("exports, then audits, after the preview, also when the preview failed", () => {
        const order = steps.map((step) => step.name ?? "");
        const preview = order.findIndex((name) => name.startsWith("Refresh, then preview"));
        const exports = order.findIndex((name) => name.startsWith("Export the live"));
        const auditStep = order.findIndex((name) => name.startsWith("Audit the live"));
        expect([preview < exports, exports < auditStep]).to.deep.equal([true, true]);
        expect([steps[exports].if, steps[auditStep].if]).to.deep.equal([RUNS_AFTER_A_FAILED_PREVIEW, RUNS_AFTER_A_FAILED_PREVIEW]);
        expect(named("Authenticate to Google Cloud").id).to.equal("auth");
    });

    it("exports services, jobs, worker pools, the project's IAM and every secret's IAM as JSON, under the names the audit recognises", () => {
        const script = named("Export the live").run ?? "";
        expect(script).to.include(WORKER_POOLS_EXPORT);
        expect(script).to.include("mv live/worker-pools.json.part live/worker-pools.json");
        expect(script).to.include(
            'gcloud run services list --project="$GCP_PROJECT" --region="$GCP_REGION" --format=json > live/services.json',
        );
        expect(script).to.include('gcloud run jobs list --project="$GCP_PROJECT" --region="$GCP_REGION" --format=json > live/jobs.json');
        expect(script).to.include('gcloud projects get-iam-policy "$GCP_PROJECT" --format=json > "live/$GCP_PROJECT.project-iam.json"');
        expect(script).to.include(
            'gcloud secrets get-iam-policy "$secret" --project="$GCP_PROJECT" --format=json > "live/$secret.secret-iam.json"',
        );
    });

    it("audits every export with Markdown to the job summary, in bash so pipefail keeps the audit's exit code", () => {
        const step = named("Audit the live");
        expect(step.shell).to.equal("bash");
        expect((step.run ?? "").trim().split("\n").pop()).to.equal(AUDIT_COMMAND);
    });

    it("uploads the audit's SARIF to code scanning under its own category, after a violation too, not after a broken audit", () => {
        const order = steps.map((step) => step.name ?? "");
        const write = order.indexOf("Write the live audit as SARIF");
        const upload = order.indexOf("Upload the audit to code scanning");
        expect([order.findIndex((name) => name.startsWith("Export the live")) < write, write < upload]).to.deep.equal([true, true]);
        expect(named("Write the live audit as SARIF")).to.deep.include({ id: "sarif", if: RUNS_AFTER_A_FAILED_PREVIEW, shell: "bash" });
        expect(named("Upload the audit to code scanning")).to.deep.include({
            if: "${{ !cancelled() && steps.sarif.outcome == 'success' }}",
            uses: "github/codeql-action/upload-sarif@v4",
            with: { sarif_file: "audit.sarif", category: "live-audit-staging" },
        });
    });

    it("names the project and region of the stack file", () => {
        const file = readStackFile(REPO_ROOT, "staging");
        expect(job.env).to.deep.equal({ GCP_PROJECT: file.config["gcp:project"], GCP_REGION: file.config["gcp:region"] });
    });

    it("has a concurrency group of its own that never cancels a run, apart from the deploy's", () => {
        expect(workflow.concurrency).to.deep.equal({ group: "drift-staging", "cancel-in-progress": false });
    });

    describe("its export and audit scripts, run with a stand-in gcloud that prints a drifted project", () => {
        let result: { status: number | null; stdout: string; stderr: string };
        let sarifStep: { status: number | null; stdout: string; stderr: string };
        let sarifLog: string;
        let summary: string;
        before(() => {
            const work = mkdtempSync(path.join(tmpdir(), "netra-drift-"));
            // The job's working directory: the checkout (linked, so the scripts' live/ lands in the scratch folder).
            // Every entry of the checkout, so a folder the project adds later is there too.
            for (const entry of readdirSync(REPO_ROOT).filter((name) => name !== ".git" && !name.startsWith(".scratch"))) {
                symlinkSync(path.join(REPO_ROOT, entry), path.join(work, entry));
            }
            const fake = path.join(work, "fake");
            mkdirSync(path.join(fake, "bin"), { recursive: true });
            const fixture = (name: string) => readFileSync(path.join(REPO_ROOT, "tests", "fixtures", "audit", name), "utf8");
            const backendSecretPolicy = JSON.stringify({
                bindings: [
                    {
                        role: "roles/secretmanager.secretAccessor",
                        members: ["serviceAccount:netra-backend-staging-run@netra-staging.iam.gserviceaccount.com"],
                    },
                ],
                etag: "BwY=",
            });
            writeFileSync(path.join(fake, "services.json"), `[${fixture("backend-describe.json")}]`);
            writeFileSync(path.join(fake, "jobs.json"), "[]");
            writeFileSync(path.join(fake, "worker-pools.json"), JSON.stringify([HAND_DEPLOYED_POOL], null, 2));
            writeFileSync(
                path.join(fake, "project.json"),
                JSON.stringify({ bindings: [{ role: "roles/owner", members: ["group:platform-admins@example.com"] }], etag: "BwY=" }),
            );
            writeFileSync(path.join(fake, "secrets.txt"), "postgres-password-staging\njwt-secret-staging\nredis-password-staging\n");
            writeFileSync(path.join(fake, "secret-policy.json"), backendSecretPolicy);
            const gcloud = path.join(fake, "bin", "gcloud");
            writeFileSync(
                gcloud,
                [
                    "#!/usr/bin/env bash",
                    'case "$1 $2" in',
                    '  "run services") cat "$FAKE/services.json" ;;',
                    '  "run jobs") cat "$FAKE/jobs.json" ;;',
                    '  "run worker-pools") cat "$FAKE/worker-pools.json" ;;',
                    '  "projects get-iam-policy") cat "$FAKE/project.json" ;;',
                    '  "secrets list") cat "$FAKE/secrets.txt" ;;',
                    '  "secrets get-iam-policy") cat "$FAKE/secret-policy.json" ;;',
                    '  *) echo "unexpected: gcloud $*" >&2; exit 64 ;;',
                    "esac",
                    "",
                ].join("\n"),
            );
            chmodSync(gcloud, 0o755);
            summary = path.join(work, "summary.md");
            writeFileSync(summary, "");
            const script = `set -e -o pipefail\n${named("Export the live").run}\n${named("Audit the live").run}`;
            const run = spawnSync("bash", ["--noprofile", "--norc", "-c", script], {
                cwd: work,
                encoding: "utf8",
                timeout: 120_000,
                env: {
                    ...process.env,
                    ...job.env,
                    PATH: `${path.join(fake, "bin")}${path.delimiter}${process.env.PATH}`,
                    FAKE: fake,
                    GITHUB_STEP_SUMMARY: summary,
                },
            });
            result = { status: run.status, stdout: run.stdout, stderr: run.stderr };
            // The SARIF step on the same exports, as the job runs it after the Markdown one.
            const sarifRun = spawnSync(
                "bash",
                ["--noprofile", "--norc", "-c", `set -e -o pipefail\n${named("Write the live audit as SARIF").run}`],
                {
                    cwd: work,
                    encoding: "utf8",
                    timeout: 120_000,
                    env: { ...process.env, ...job.env },
                },
            );
            sarifStep = { status: sarifRun.status, stdout: sarifRun.stdout, stderr: sarifRun.stderr };
            sarifLog = path.join(work, "audit.sarif");
        });

        it("passes the SARIF step on the audit's exit 1 and leaves a valid log whose alert names the service, at its export", () => {
            expect([sarifStep.status, sarifStep.stdout, sarifStep.stderr]).to.deep.equal([0, "", ""]);
            const log = JSON.parse(readFileSync(sarifLog, "utf8")) as unknown;
            expect(sarifErrors(log)).to.deep.equal([]);
            const results = (log as { runs: { results: SarifResult[] }[] }).runs[0].results;
            expect(
                results
                    .filter((entry) => entry.level === "error")
                    .map((entry) => [entry.ruleId, entry.message.text, entry.locations[0].physicalLocation.artifactLocation.uri]),
            ).to.deep.equal([
                ["cloudrun-required-env-vars", NO_ENVIRONMENT, "live/services.json"],
                ["cloudrun-required-env-vars", NO_ENVIRONMENT_IN("worker"), "live/worker-pools.json"],
            ]);
        });

        it("fails the step with the audit's exit code 1 when a deploy dropped ENVIRONMENT", () => {
            expect([result.status, result.stderr]).to.deep.equal([1, ""]);
        });

        it("names the service and the variable in the job summary and in the log", () => {
            const row = `| mandatory | \`cloudrun-required-env-vars\` | gcp:cloudrun/service:Service "netra-backend-staging" | ${NO_ENVIRONMENT} |`;
            expect(readFileSync(summary, "utf8")).to.include(row);
            expect(result.stdout).to.include(row);
        });

        it("names a worker pool deployed by hand without ENVIRONMENT, and lists it as not managed by the stack", () => {
            const pool = 'gcp:cloudrunv2/workerPool:WorkerPool "netra-queue-staging"';
            const text = readFileSync(summary, "utf8");
            expect(text).to.include(`| mandatory | \`cloudrun-required-env-vars\` | ${pool} | ${NO_ENVIRONMENT_IN("worker")} |`);
            expect(text).to.include(`| ${pool} | \`live/worker-pools.json\` |`);
        });

        it("judged every export the script wrote: services, jobs, worker pools, the project's IAM and one IAM policy per secret", () => {
            const inputs = readFileSync(summary, "utf8").split("### Inputs")[1];
            for (const file of [
                "live/services.json",
                "live/jobs.json",
                "live/worker-pools.json",
                "live/netra-staging.project-iam.json",
                "live/jwt-secret-staging.secret-iam.json",
                "live/postgres-password-staging.secret-iam.json",
                "live/redis-password-staging.secret-iam.json",
            ]) {
                expect(inputs).to.include(`| \`${file}\` |`);
            }
            expect(readFileSync(summary, "utf8")).not.to.include("### Not judged");
        });
    });

    describe("its export script, with a stand-in gcloud that has no worker-pools commands (an older Google Cloud CLI)", () => {
        let run: { status: number | null; stdout: string; stderr: string };
        let live: string;
        before(() => {
            const work = mkdtempSync(path.join(tmpdir(), "netra-drift-old-gcloud-"));
            mkdirSync(path.join(work, "bin"));
            const gcloud = path.join(work, "bin", "gcloud");
            writeFileSync(
                gcloud,
                [
                    "#!/usr/bin/env bash",
                    'case "$1 $2" in',
                    '  "run worker-pools") echo "ERROR: (gcloud.run) Invalid choice: \'worker-pools\'." >&2; exit 2 ;;',
                    '  "secrets list") echo jwt-secret-staging ;;',
                    "  *) echo '[]' ;;",
                    "esac",
                    "",
                ].join("\n"),
            );
            chmodSync(gcloud, 0o755);
            const spawned = spawnSync("bash", ["--noprofile", "--norc", "-c", `set -e -o pipefail\n${named("Export the live").run}`], {
                cwd: work,
                encoding: "utf8",
                timeout: 60_000,
                env: { ...process.env, ...job.env, PATH: `${path.join(work, "bin")}${path.delimiter}${process.env.PATH}` },
            });
            run = { status: spawned.status, stdout: spawned.stdout, stderr: spawned.stderr };
            live = path.join(work, "live");
        });

        it("fails the step with one error annotation that says why, rather than skip the worker pools", () => {
            expect(run).to.deep.equal({
                status: 1,
                stdout: `${WORKER_POOLS_NOT_EXPORTED}\n`,
                stderr: "ERROR: (gcloud.run) Invalid choice: 'worker-pools'.\n",
            });
        });

        it("has written the other exports, and no worker pools file for the audit to mistake for an empty project", () => {
            expect(readdirSync(live).sort()).to.deep.equal([
                "jobs.json",
                "jwt-secret-staging.secret-iam.json",
                "netra-staging.project-iam.json",
                "services.json",
            ]);
        });
    });
});
