import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { type AuditReport, renderAuditHuman, renderAuditMarkdown } from "../../audit/report";
import { sarifErrors } from "../check/sarif-schema";
import { audit, type CliResult, fixture, REPO_ROOT, scratchFiles } from "./support";

interface SarifRun {
    automationDetails: { id: string };
    results: {
        ruleId: string;
        level: string;
        locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        properties: { resourceName?: string };
    }[];
}

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const URN = "urn:pulumi:staging::netra-platform::";
const NO_ENVIRONMENT =
    'Container "backend" does not set ENVIRONMENT; every Cloud Run container must declare it explicitly, or the service guesses its environment (the WebSocket 1011 incident).';
const PROJECT_GRANT =
    'IAMBinding "netra-staging/roles/secretmanager.secretAccessor" grants roles/secretmanager.secretAccessor on the whole project, so its members can read every secret in it; grant roles/secretmanager.secretAccessor on each secret, to the one service account that reads it, instead.';
const NOT_JUDGED =
    "no IAM policy or state export among the inputs, so no grant is known; add the IAM policy of each secret the services read (gcloud secrets get-iam-policy <id> --format=json > <id>.secret-iam.json) and the project's (<project-id>.project-iam.json)";

/** `npm run audit -- <args> --json`, spawned once per command line and shared by the tests that read that run. */
const jsonRuns = new Map<string, CliResult>();

function json(args: readonly string[]): { status: number | null; report: AuditReport; stderr: string } {
    const key = JSON.stringify(args);
    const result = jsonRuns.get(key) ?? audit([...args, "--json"]);
    jsonRuns.set(key, result);
    return { status: result.status, report: JSON.parse(result.stdout) as AuditReport, stderr: result.stderr };
}

function mandatory(report: AuditReport): [string, string | null, string][] {
    return report.violations
        .filter((violation) => violation.enforcementLevel === "mandatory")
        .map((violation) => [violation.policy, violation.urn, violation.message]);
}

function managed(report: AuditReport): Record<string, boolean | null> {
    return Object.fromEntries(report.resources.map((resource) => [resource.name, resource.managed]));
}

/** The state export fixture with the legacy variable's encrypted value replaced by a decrypted `value`. */
function stateExportWithPlaintext(variable: string, value: string): string {
    const document = JSON.parse(readFileSync(path.join(REPO_ROOT, fixture("state-export.json")), "utf8"));
    const env = document.deployment.resources[5].inputs.template.containers[0].envs[3];
    env.name = variable;
    env.value = { [SIG]: SECRET, plaintext: JSON.stringify(value) };
    return path.join(scratchFiles({ "state.json": document }), "state.json");
}

describe("npm run audit (spawned as a user runs it)", () => {
    describe("a service whose out-of-band deploy dropped ENVIRONMENT", () => {
        const args = ["--stack", "staging", "--from", fixture("backend-describe.json")];

        it("fails with exit 1 in JSON, naming the service and the variable, and knows the stack manages it", () => {
            const { status, report, stderr } = json(args);
            expect([status, stderr]).to.deep.equal([1, ""]);
            expect(Object.keys(report)).to.deep.equal([
                "stack",
                "project",
                "preview",
                "policyConfig",
                "resources",
                "violations",
                "summary",
                "inputs",
                "comparedWith",
                "notJudged",
            ]);
            expect(report.resources).to.deep.equal([
                {
                    urn: `${URN}gcp:cloudrun/service:Service::netra-backend-staging`,
                    type: "gcp:cloudrun/service:Service",
                    name: "netra-backend-staging",
                    parent: null,
                    source: "tests/fixtures/audit/backend-describe.json",
                    managed: true,
                },
            ]);
            expect(mandatory(report)).to.deep.equal([
                ["cloudrun-required-env-vars", `${URN}gcp:cloudrun/service:Service::netra-backend-staging`, NO_ENVIRONMENT],
            ]);
            expect(report.summary).to.deep.equal({ resources: 1, mandatory: 1, advisory: 1, unmanaged: 0 });
            expect(report.policyConfig).to.deep.equal({
                file: "policies/config/staging.json",
                changed: [{ policy: "secret-access-scoped-to-service-account", default: "mandatory", level: "disabled" }],
            });
            expect(report.comparedWith).to.equal("Pulumi.staging.yaml");
            expect(report.notJudged).to.deep.equal([{ policy: "secret-access-scoped-to-service-account", reason: NOT_JUDGED }]);
        });

        it("prints the inputs, then the check's table and one line per violation, the verdict last: the human writer's rendering of the JSON report", () => {
            const result = audit(args);
            expect(result.status).to.equal(1);
            // What the tests below that read a JSON run's report in human form rely on.
            expect(result.stdout).to.equal(`${renderAuditHuman(json(args).report)}\n`);
            const lines = result.stdout.trimEnd().split("\n");
            expect(lines.slice(0, 8)).to.deep.equal([
                "Audit inputs:",
                "  tests/fixtures/audit/backend-describe.json: gcloud run services describe (Knative JSON, Admin API v1), 1 resource",
                "Every Cloud Run service, job and worker pool is declared by the program with Pulumi.staging.yaml.",
                "Not judged: secret-access-scoped-to-service-account: no IAM policy or state export among the",
                "    inputs, so no grant is known; add the IAM policy of each secret the services read (gcloud",
                "    secrets get-iam-policy <id> --format=json > <id>.secret-iam.json) and the project's",
                "    (<project-id>.project-iam.json)",
                "",
            ]);
            // The check's report follows, naming the policy config and the policy the audit turned off.
            expect(lines.slice(8, 11)).to.deep.equal([
                "Stack netra-platform/staging",
                "Policy config: policies/config/staging.json",
                "    secret-access-scoped-to-service-account: mandatory in the pack, disabled here",
            ]);
            const finding = lines.indexOf('MANDATORY cloudrun-required-env-vars: gcp:cloudrun/service:Service "netra-backend-staging"');
            expect(finding).to.be.greaterThan(10);
            expect(
                lines
                    .slice(finding + 1, finding + 3)
                    .join(" ")
                    .replace(/\s+/g, " ")
                    .trim(),
            ).to.equal(NO_ENVIRONMENT);
            expect(lines[lines.length - 1]).to.equal("1 resource, 1 mandatory violation and 1 advisory violation: FAILED.");
        });

        it("writes a Markdown summary whose violation row names the service and the variable: the Markdown writer's rendering of the JSON report", () => {
            const result = audit([...args, "--markdown"]);
            expect(result.status).to.equal(1);
            expect(result.stdout).to.equal(`${renderAuditMarkdown(json(args).report)}\n`);
            expect(result.stdout.split("\n").slice(0, 3)).to.deep.equal([
                "## Policy check: netra-platform/staging ❌ failed",
                "",
                "1 resource, 1 mandatory violation and 1 advisory violation.",
            ]);
            expect(result.stdout).to.include(
                `| mandatory | \`cloudrun-required-env-vars\` | gcp:cloudrun/service:Service "netra-backend-staging" | ${NO_ENVIRONMENT} |`,
            );
            expect(result.stdout).to.include("### Not managed by this stack (0)");
        });
    });

    describe("a services list with a plaintext secret, an unmanaged compliant and an unmanaged non-compliant service", () => {
        const args = ["--stack", "staging", "--from", fixture("services-list.json")];

        it("fails on the plaintext secret and the non-compliant service, and flags both unmanaged services", () => {
            const { status, report } = json(args);
            expect(status).to.equal(1);
            expect(managed(report)).to.deep.equal({ "netra-auth-service": true, "netra-status-page": false, "netra-scratch-api": false });
            expect(mandatory(report)).to.deep.equal([
                [
                    "cloudrun-no-plaintext-secrets",
                    `${URN}gcp:cloudrun/service:Service::netra-auth-service`,
                    'Container "auth" sets JWT_SECRET_KEY without a secretKeyRef, but its name marks a secret (KEY); take its value from Secret Manager (or, for a mounted secret file, set its absolute path).',
                ],
                [
                    "cloudrun-required-env-vars",
                    `${URN}gcp:cloudrun/service:Service::netra-scratch-api`,
                    'Container "api" does not set GCP_PROJECT_ID, which the config of policy cloudrun-required-env-vars requires in every container.',
                ],
                [
                    "cloudrun-environment-matches-stack",
                    `${URN}gcp:cloudrun/service:Service::netra-scratch-api`,
                    'Container "api" sets ENVIRONMENT to "development", but this stack\'s environment is staging; do not write it by hand: ' +
                        'declare the service through NetraCloudRunService, which sets it from the stack\'s `environment` ("staging"), or, ' +
                        "if this stack really is development, set `environment: development` in its stack file and policy config.",
                ],
                [
                    "cloudrun-dedicated-service-account",
                    `${URN}gcp:cloudrun/service:Service::netra-scratch-api`,
                    "The Cloud Run (v1) service runs as 123456789012-compute@developer.gserviceaccount.com, the project's default compute " +
                        "account, which other workloads share; create a service account for this service and set " +
                        "template.spec.serviceAccountName to its email.",
                ],
            ]);
            expect(
                report.violations.filter((violation) => violation.urn === `${URN}gcp:cloudrun/service:Service::netra-status-page`),
            ).to.deep.equal([]);
            expect(report.summary.unmanaged).to.equal(2);
        });

        it("lists the unmanaged services by type, name and file in the human report and the Markdown", () => {
            // The writers' renderings of the JSON run's report, which is what the audit prints in these formats (proven
            // on the spawned human and Markdown runs of the backend above).
            const { report } = json(args);
            const human = renderAuditHuman(report).split("\n");
            const at = human.indexOf(
                "Not managed by this stack (the program with Pulumi.staging.yaml declares no such Cloud Run service, job or worker pool):",
            );
            expect(human.slice(at + 1, at + 3)).to.deep.equal([
                '  gcp:cloudrun/service:Service "netra-status-page" (tests/fixtures/audit/services-list.json)',
                '  gcp:cloudrun/service:Service "netra-scratch-api" (tests/fixtures/audit/services-list.json)',
            ]);
            const markdown = renderAuditMarkdown(report);
            expect(markdown).to.include(
                [
                    "### Not managed by this stack (2)",
                    "",
                    "| Resource | Read from |",
                    "| --- | --- |",
                    '| gcp:cloudrun/service:Service "netra-status-page" | `tests/fixtures/audit/services-list.json` |',
                    '| gcp:cloudrun/service:Service "netra-scratch-api" | `tests/fixtures/audit/services-list.json` |',
                ].join("\n"),
            );
        });

        it("passes an unmanaged service that breaks no policy, with exit 0, and still flags it", () => {
            const list = JSON.parse(readFileSync(path.join(REPO_ROOT, fixture("services-list.json")), "utf8")) as {
                metadata: { name: string };
            }[];
            const dir = scratchFiles({ "services.json": list.filter((service) => service.metadata.name === "netra-status-page") });
            const { status, report } = json(["--stack", "staging", "--from", path.join(dir, "services.json")]);
            expect([status, report.summary]).to.deep.equal([0, { resources: 1, mandatory: 0, advisory: 0, unmanaged: 1 }]);
            expect(managed(report)).to.deep.equal({ "netra-status-page": false });
        });

        it("prints a SARIF log for code scanning: its violations, both unmanaged services as warnings, each at its export", () => {
            const result = audit([...args, "--sarif"]);
            expect([result.status, result.stderr]).to.deep.equal([1, ""]);
            const log = JSON.parse(result.stdout) as unknown;
            expect(sarifErrors(log)).to.deep.equal([]);
            const run = (log as { runs: SarifRun[] }).runs[0];
            expect(run.automationDetails.id).to.equal("netra-audit/netra-platform/staging/");
            expect(run.results.map((result) => [result.ruleId, result.level, result.properties.resourceName])).to.deep.equal([
                ["cloudrun-no-plaintext-secrets", "error", "netra-auth-service"],
                ["cloudrun-images-pinned-by-digest", "warning", "netra-auth-service"],
                ["cloudrun-required-env-vars", "error", "netra-scratch-api"],
                ["cloudrun-environment-matches-stack", "error", "netra-scratch-api"],
                ["cloudrun-images-pinned-by-digest", "warning", "netra-scratch-api"],
                ["cloudrun-dedicated-service-account", "error", "netra-scratch-api"],
                ["cloudrun-private-service-ingress", "warning", "netra-scratch-api"],
                ["workload-managed-by-stack", "warning", "netra-status-page"],
                ["workload-managed-by-stack", "warning", "netra-scratch-api"],
            ]);
            expect(new Set(run.results.map((result) => result.locations[0].physicalLocation.artifactLocation.uri))).to.deep.equal(
                new Set(["tests/fixtures/audit/services-list.json"]),
            );
        });

        it("compares nothing without --stack: every resource's managed is null and the report says so", () => {
            const { status, report } = json(["--from", fixture("services-list.json")]);
            expect([status, report.comparedWith, report.summary.unmanaged]).to.deep.equal([1, null, 0]);
            expect(Object.values(managed(report))).to.deep.equal([null, null, null]);
            expect(renderAuditHuman(report)).to.include("Not compared with a program (no --stack): nothing is flagged as not managed.");
        });
    });

    describe("a job with its secret IAM and the project's IAM", () => {
        const iam = [
            fixture("postgres-password-staging.secret-iam.json"),
            fixture("postgres-ca-staging.secret-iam.json"),
            fixture("netra-staging.project-iam.json"),
        ];

        it("judges grants when IAM policies are given: the job's secrets are granted, the project-level secretAccessor is refused", () => {
            const { status, report } = json(["--from", fixture("jobs-list.json"), ...iam.flatMap((file) => ["--from", file])]);
            expect(status).to.equal(1);
            expect(report.notJudged).to.deep.equal([]);
            expect(mandatory(report)).to.deep.equal([
                [
                    "secret-access-scoped-to-service-account",
                    `${URN}gcp:projects/iAMBinding:IAMBinding::netra-staging/roles/secretmanager.secretAccessor`,
                    PROJECT_GRANT,
                ],
            ]);
        });

        it("refuses a secret the job mounts as a volume when its IAM policy grants the job nothing", () => {
            const { report } = json(["--from", fixture("jobs-list.json"), "--from", iam[0]]);
            expect(mandatory(report)).to.deep.equal([
                [
                    "secret-access-scoped-to-service-account",
                    `${URN}gcp:cloudrunv2/job:Job::netra-db-migrate`,
                    'Cloud Run job "netra-db-migrate" reads secret "postgres-ca-staging", but no secret-level roles/secretmanager.secretAccessor grant on it names the job\'s own account, netra-db-migrate-run@netra-staging.iam.gserviceaccount.com.',
                ],
            ]);
        });

        it("flags the job as not managed by this stack", () => {
            const { report } = json(["--stack", "staging", "--from", fixture("jobs-list.json")]);
            expect(managed(report)).to.deep.equal({ "netra-db-migrate": false });
        });
    });

    it("passes the Admin API v2 document of a managed service with exit 0", () => {
        const { status, report } = json(["--stack", "staging", "--from", fixture("services-v2.json")]);
        expect([status, report.summary, managed(report)]).to.deep.equal([
            0,
            { resources: 1, mandatory: 0, advisory: 1, unmanaged: 0 },
            { "netra-frontend-staging": true },
        ]);
    });

    describe("a state export holding a secret value", () => {
        it("judges its resources as in an update: the token-named variable without a secretKeyRef fails", () => {
            const { status, report } = json(["--stack", "staging", "--from", fixture("state-export.json")]);
            expect(status).to.equal(1);
            expect(mandatory(report)).to.deep.equal([
                [
                    "cloudrun-no-plaintext-secrets",
                    `${URN}netra:cloudrun:Service$gcp:cloudrunv2/service:Service::backend-service`,
                    'Container "backend" sets LEGACY_API_TOKEN without a secretKeyRef, but its name marks a secret (TOKEN); take its value from Secret Manager (or, for a mounted secret file, set its absolute path).',
                ],
            ]);
            expect(managed(report)["backend-service"]).to.equal(true);
            expect(report.notJudged).to.deep.equal([]);
        });

        it("judges a decrypted secret's value and never prints it, in any format", () => {
            const key = randomBytes(32).toString("hex");
            const file = stateExportWithPlaintext("LEGACY_SESSION", key);
            const outputs = ([[], ["--json"], ["--markdown"], ["--sarif"]] as const).map((format) =>
                audit(["--stack", "staging", "--from", file, ...format]),
            );
            expect(outputs.map((result) => result.status)).to.deep.equal([1, 1, 1, 1]);
            expect(mandatory(JSON.parse(outputs[1].stdout) as AuditReport).map(([, , message]) => message)).to.deep.equal([
                'Container "backend" sets LEGACY_SESSION to a literal that looks like key material (a long hex string); store it in Secret Manager and reference it with a secretKeyRef.',
            ]);
            for (const result of outputs) {
                expect(result.stdout + result.stderr).not.to.include(key);
                expect(result.stdout + result.stderr).not.to.include(key.slice(0, 16));
            }
        });

        it("judges a decrypted secret whose host names another environment, naming the variable, and never prints the host", () => {
            const label = `cache-${randomBytes(6).toString("hex")}`;
            const file = stateExportWithPlaintext("CACHE_HOST", `${label}.production.internal`);
            const outputs = ([[], ["--json"], ["--markdown"], ["--sarif"]] as const).map((format) =>
                audit(["--stack", "staging", "--from", file, ...format]),
            );
            expect(outputs.map((result) => result.status)).to.deep.equal([1, 1, 1, 1]);
            expect(mandatory(JSON.parse(outputs[1].stdout) as AuditReport).map(([policy, , message]) => [policy, message])).to.deep.equal([
                [
                    "cloudrun-names-match-stack-environment",
                    'Cloud Run service "backend-service": the host of CACHE_HOST in Container "backend" names production, but this ' +
                        "stack's environment is staging; use staging's (or a name that names no environment).",
                ],
            ]);
            for (const result of outputs) {
                expect(result.stdout + result.stderr).not.to.include(label);
            }
        });
    });

    it("expects the stack file's environment even when the stack is not named after one", () => {
        const dir = scratchFiles({
            "Pulumi.yaml": readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"),
            "Pulumi.eu-1.yaml": "config:\n  netra-platform:environment: prod\n",
            "index.ts": "export const declared = 0;\n",
            "services.json": [
                {
                    apiVersion: "serving.knative.dev/v1",
                    kind: "Service",
                    metadata: { name: "netra-api" },
                    spec: {
                        template: {
                            spec: {
                                containers: [
                                    {
                                        name: "api",
                                        image: "gcr.io/p/api@sha256:" + "ab".repeat(32),
                                        env: [{ name: "ENVIRONMENT", value: "staging" }],
                                    },
                                ],
                                serviceAccountName: "netra-api-run@p.iam.gserviceaccount.com",
                            },
                        },
                    },
                },
            ],
        });
        const result = audit(["--stack", "eu-1", "--from", "services.json", "--json"], dir);
        expect(result.stderr).to.equal("");
        const report = JSON.parse(result.stdout) as AuditReport;
        expect(mandatory(report)).to.deep.equal([
            [
                "cloudrun-environment-matches-stack",
                "urn:pulumi:eu-1::netra-platform::gcp:cloudrun/service:Service::netra-api",
                'Container "api" sets ENVIRONMENT to "staging", but this stack\'s environment is production; do not write it by hand: ' +
                    'declare the service through NetraCloudRunService, which sets it from the stack\'s `environment` ("production"), or, ' +
                    "if this stack really is staging, set `environment: staging` in its stack file and policy config.",
            ],
        ]);
        expect(managed(report)).to.deep.equal({ "netra-api": false });
    });

    it("applies --policy-config as the check does: a policy set to advisory no longer fails the audit", () => {
        const dir = scratchFiles({ "lenient.json": { "cloudrun-required-env-vars": "advisory" } });
        const { status, report } = json(["--policy-config", path.join(dir, "lenient.json"), "--from", fixture("backend-describe.json")]);
        expect([status, report.summary.mandatory]).to.deep.equal([0, 0]);
        expect(report.violations.map((violation) => `${violation.enforcementLevel} ${violation.policy}`)).to.deep.equal([
            "advisory cloudrun-required-env-vars",
            "advisory cloudrun-images-pinned-by-digest",
            // The given config replaces the stack's, so no service is listed as public.
            "advisory cloudrun-private-service-ingress",
        ]);
    });

    describe("usage", () => {
        for (const [args, message] of [
            [[], "audit: --from is required, e.g. `npm run audit -- --from services.json`"],
            [["--from", "a.json", "--json", "--markdown"], "audit: --json and --markdown exclude each other; pick one"],
            [["--from", "a.json", "--stack", "a", "--stack", "b"], "audit: --stack is given twice; give it once"],
            [["--from"], "audit: --from needs a value; see --help"],
            [
                ["--preview", "--from", "a.json"],
                'audit: unknown argument "--preview"; allowed: --from, --stack, --policy-config, --json, --markdown, --sarif, --help',
            ],
            [["--stack", "prod", "--from", fixture("jobs-list.json")], "Pulumi.prod.yaml: no such stack file; stacks here: staging"],
            [
                ["--policy-config", "policies/config/nowhere.json", "--from", fixture("jobs-list.json")],
                "audit: --policy-config: policies/config/nowhere.json: no such file",
            ],
        ] as const) {
            it(`exits 2 with "${message}"`, () => {
                expect(Object.values(audit(args))).to.deep.equal([2, "", `${message}\n`]);
            });
        }

        it("refuses the same live resource read twice rather than judging it twice", () => {
            const result = audit(["--from", fixture("jobs-list.json"), "--from", fixture("jobs-list.json")]);
            expect(Object.values(result)).to.deep.equal([
                2,
                "",
                'tests/fixtures/audit/jobs-list.json: holds job "netra-db-migrate", which it already holds; give each resource once\n',
            ]);
        });

        it("refuses one live service given in two export shapes (Admin API v2 and gcloud's Knative JSON)", () => {
            const knative = {
                apiVersion: "serving.knative.dev/v1",
                kind: "Service",
                metadata: { name: "netra-frontend-staging", labels: { "cloud.googleapis.com/location": "us-central1" } },
            };
            const file = path.join(scratchFiles({ "services.json": [knative] }), "services.json");
            expect(Object.values(audit(["--from", fixture("services-v2.json"), "--from", file]))).to.deep.equal([
                2,
                "",
                `${file}: holds service "netra-frontend-staging", which tests/fixtures/audit/services-v2.json already holds; give each resource once\n`,
            ]);
        });

        it("prints its help with exit 0", () => {
            const result = audit(["--help"]);
            expect(result.status).to.equal(0);
            expect(result.stdout.split("\n")[0]).to.equal(
                "Usage: npm run audit -- --from <file> [--from <file> ...] [--stack <name>] [--json | --markdown | --sarif] [--policy-config <file>]",
            );
        });
    });
});
