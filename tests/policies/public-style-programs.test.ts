/**
 * Programs written the way public examples write them (Google's multi-container samples, the
 * pulumi/templates v1 service, the pulumi-gcp function example), run through `npm run check` as a
 * user runs it, in an update and in a first preview.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { CheckReport } from "../../check/report";
import { npmScriptNodeArgs } from "../support/npm-script";

const REPO_ROOT = path.join(__dirname, "..", "..");
const program = (name: string): string => path.join("tests", "fixtures", "programs", `${name}.ts`);

/** `npm run check -- --stack staging --program <file> --json [--preview]`, spawned as npm runs it. */
function check(file: string, preview: boolean): { status: number | null; report: CheckReport | undefined; stderr: string } {
    const args = [...npmScriptNodeArgs("check"), "--stack", "staging", "--program", file, "--json"];
    const result = spawnSync(process.execPath, [...args, ...(preview ? ["--preview"] : [])], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        timeout: 120_000,
    });
    return {
        status: result.status,
        report: result.stdout === "" ? undefined : (JSON.parse(result.stdout) as CheckReport),
        stderr: result.stderr,
    };
}

const violations = (report: CheckReport | undefined): [string, string, string][] =>
    (report?.violations ?? []).map((violation) => [violation.enforcementLevel, violation.policy, violation.message]);

const unpinned = (container: string, image: string): [string, string, string] => [
    "advisory",
    "cloudrun-images-pinned-by-digest",
    `${container} uses image "${image}", which is not pinned by digest; deploy <image>@sha256:<digest> so every revision runs the image that was built and reviewed.`,
];

describe("public-style programs through npm run check", function () {
    this.timeout(240_000);

    for (const preview of [false, true]) {
        const mode = preview ? "in a first preview" : "in an update";

        it(`passes a multi-container service whose sidecars set PORT and whose account has no project, ${mode}`, () => {
            const result = check(program("multi-container-service"), preview);
            expect(result.stderr).to.equal("");
            expect(result.status).to.equal(0);
            expect(result.report?.summary).to.deep.equal({ resources: 4, mandatory: 0, advisory: 3 });
            expect(violations(result.report)).to.deep.equal([
                unpinned('Container "proxy"', "us-docker.pkg.dev/cloudrun/container/nginx:latest"),
                unpinned('Container "app"', "us-docker.pkg.dev/cloudrun/container/hello:latest"),
                unpinned(
                    'Container "otel-collector"',
                    "us-docker.pkg.dev/cloud-ops-agents-artifacts/cloud-run-gmp-sidecar/cloud-run-gmp-sidecar:1.1.1",
                ),
            ]);
        });

        it(`runs a template-style v1 service that exports statuses[0].url, and passes it, ${mode}`, () => {
            const result = check(program("template-v1-service"), preview);
            expect(result.stderr).to.equal("");
            expect(result.status).to.equal(0);
            expect(result.report?.summary).to.deep.equal({ resources: 4, mandatory: 0, advisory: 1 });
            expect(violations(result.report)).to.deep.equal([
                unpinned("Container #1", "gcr.io/netra-staging/netra-frontend-staging:latest"),
            ]);
        });

        it(`refuses a public gen2 function without ENVIRONMENT or an account of its own, ${mode}`, () => {
            const result = check(program("public-function-default-account"), preview);
            expect(result.stderr).to.equal("");
            expect(result.status).to.equal(1);
            expect(violations(result.report)).to.deep.equal([
                [
                    "mandatory",
                    "cloudrun-required-env-vars",
                    "The function does not set ENVIRONMENT; every Cloud Run container must declare it explicitly, or the service guesses " +
                        "its environment (the WebSocket 1011 incident).",
                ],
                [
                    "mandatory",
                    "cloudrun-dedicated-service-account",
                    "The Cloud Function (gen2) sets no serviceConfig.serviceAccountEmail, so it runs as the project's default compute account, " +
                        "which every unconfigured workload shares; create a service account for this function and set " +
                        "serviceConfig.serviceAccountEmail to its email.",
                ],
                [
                    "advisory",
                    "cloudrun-private-service-ingress",
                    'The Cloud Function (gen2) "netra-webhook" accepts traffic from the internet (serviceConfig.ingressSettings is all or ' +
                        "unset) but the policy config does not list it under publicServices; restrict serviceConfig.ingressSettings to " +
                        "internal traffic, or list it if it is meant to be public.",
                ],
                [
                    "mandatory",
                    "cloudrun-public-access-allowed",
                    'FunctionIamMember "webhook-invoker" lets allUsers (anyone on the internet) call "netra-webhook", which the policy config ' +
                        'does not list as public; remove the grant, or add "netra-webhook" to publicServices in the config of policy ' +
                        "cloudrun-public-access-allowed if it is meant to be public.",
                ],
            ]);
        });
    }

    it("stops with exit 2 and one line naming the file, the key, the value and what is allowed for a bad policy config", () => {
        const args = [...npmScriptNodeArgs("check"), "--stack", "staging", "--policy-config"];
        const result = spawnSync(process.execPath, [...args, path.join("tests", "fixtures", "policy-config", "unknown-policy.json")], {
            cwd: REPO_ROOT,
            encoding: "utf8",
            timeout: 120_000,
        });
        expect(result.status).to.equal(2);
        expect(result.stdout).to.equal("");
        expect(result.stderr).to.equal(
            "tests/fixtures/policy-config/unknown-policy.json (policy config of pack netra-staging-policies): " +
                '"cloudrun-public-access-allowed.publicServices" is "netra-frontend-staging"; allowed: an array of strings (not empty), each once; ' +
                '"cloudrun-requried-env-vars" is not a policy of this pack; allowed: all, cloudrun-dedicated-service-account, ' +
                "cloudrun-environment-matches-stack, cloudrun-images-pinned-by-digest, cloudrun-names-match-stack-environment, cloudrun-no-plaintext-secrets, " +
                "cloudrun-private-service-ingress, cloudrun-public-access-allowed, cloudrun-required-env-vars, cloudrun-reserved-env-names, " +
                "e2e-key-only-on-staging, secret-access-scoped-to-service-account, secret-version-survives-rotation\n",
        );
    });
});
