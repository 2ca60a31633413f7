/**
 * The audit's own steps (audit/run-audit.ts), in process: the policy config it sends, each resource's
 * URN and the refusal of one read twice, what Analyze and AnalyzeStack get, and the stack's
 * environment given to the policies that take one.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type AnalyzerResourceInput, type PolicyInfo, PolicyPackError } from "../../check/policy-pack-host";
import type { StackFile } from "../../check/stack-file";
import type { AuditedResource, AuditInput } from "../../audit/audited-resource";
import { AuditInputError } from "../../audit/input-error";
import { runAudit, runAuditWithContext, toAnalyzerInput, withLevel, withStackEnvironment, withUrns } from "../../audit/run-audit";
import type { AuditOptions } from "../../audit/cli-args";
import { POLICY_PACK_DIR } from "../../check/run-check";
import { readStackFile } from "../../check/stack-file";
import { fakePackInfo, fakeStarter } from "../support/fake-session";
import { REPO_ROOT } from "../support/staging-fixture";

const FILE: StackFile = {
    project: "netra-platform",
    stack: "staging",
    file: "Pulumi.staging.yaml",
    config: { "netra-platform:environment": " Stage " },
    secretKeys: [],
    positions: new Map(),
};

const service = (name: string, location: string | undefined, extra: Partial<AuditedResource> = {}): AuditedResource => ({
    type: "gcp:cloudrunv2/service:Service",
    name,
    inputs: { name },
    source: "live.json",
    workload: { kind: "service", name, location },
    ...extra,
});
const input = (file: string, resources: AuditedResource[]): AuditInput => ({ file, kind: "k", resources, holdsGrants: false });

function refusal(action: () => unknown): string {
    try {
        action();
    } catch (error) {
        expect(error).to.be.instanceOf(AuditInputError);
        return (error as Error).message;
    }
    return expect.fail("expected an AuditInputError");
}

describe("the audit's policy config: one policy's level set", () => {
    it("sets the level of a policy given by name or not at all, and keeps the others", () => {
        expect(withLevel(undefined, "p", "disabled")).to.deep.equal({ p: "disabled" });
        expect(withLevel({ p: "mandatory", q: "advisory" }, "p", "disabled")).to.deep.equal({ p: "disabled", q: "advisory" });
    });

    it("keeps a policy's settings when its entry is an object", () => {
        expect(withLevel({ p: { enforcementLevel: "mandatory", environment: "staging" } }, "p", "disabled")).to.deep.equal({
            p: { enforcementLevel: "disabled", environment: "staging" },
        });
    });
});

describe("the audit's resources and their URNs", () => {
    it("keeps a state export's URN, and gives a live resource the URN of the stack, project, type and name", () => {
        const withUrn = service("api", "us-central1", { urn: "urn:given" });
        expect(withUrns([input("a.json", [withUrn, service("web", "us-central1")])], FILE)).to.deep.equal([
            { resource: withUrn, urn: "urn:given" },
            { resource: service("web", "us-central1"), urn: "urn:pulumi:staging::netra-platform::gcp:cloudrunv2/service:Service::web" },
        ]);
    });

    it("refuses a resource read twice in one file, or again in another, naming both", () => {
        expect(refusal(() => withUrns([input("a.json", [service("api", "r"), service("api", "r")])], FILE))).to.equal(
            'a.json: holds service "api", which it already holds; give each resource once',
        );
        expect(refusal(() => withUrns([input("a.json", [service("api", "r")]), input("b.json", [service("api", "r")])], FILE))).to.equal(
            'b.json: holds service "api", which a.json already holds; give each resource once',
        );
    });

    it("refuses the same live workload in both export shapes, by kind, region and name", () => {
        const knative = service("api", "us-central1", { type: "gcp:cloudrun/service:Service" });
        expect(refusal(() => withUrns([input("v1.json", [knative]), input("v2.json", [service("api", "us-central1")])], FILE))).to.equal(
            'v2.json: holds service "api", which v1.json already holds; give each resource once',
        );
        // Another region, another kind or a region left out is another workload.
        const others = [
            service("api", "europe-west1", { type: "other:index:One" }),
            service("api", undefined, { type: "other:index:Two" }),
            {
                ...service("api", "us-central1", { type: "other:index:Three" }),
                workload: { kind: "job" as const, name: "api", location: "us-central1" },
            },
        ];
        expect(withUrns([input("v1.json", [knative, ...others])], FILE)).to.have.length(4);
    });

    it("shows a duplicate's name and type escaped and cut, so a name from the file cannot forge lines or colour the terminal", () => {
        const hostile = `netra-status\n\u001b[32mall inputs read: 0 violations\u001b[0m ${"x".repeat(300)}`;
        expect(refusal(() => withUrns([input("a.json", [service(hostile, "r"), service(hostile, "r")])], FILE))).to.equal(
            `a.json: holds service "netra-status\\n\\u001b[32mall inputs read: 0 violations\\u001b[0m xxxxxxxxxxxx... (352 characters)", which it already holds; give each resource once`,
        );
        const bucket: AuditedResource = { type: "gcp:x\u202ey:Z", name: 'say "hi"', urn: "urn:b", inputs: {}, source: "s.json" };
        expect(refusal(() => withUrns([input("s.json", [bucket, bucket])], FILE))).to.equal(
            's.json: holds gcp:x\\u202ey:Z "say \\"hi\\"", which it already holds; give each resource once',
        );
    });

    it("names a duplicate without a workload by its type", () => {
        const bucket: AuditedResource = { type: "gcp:storage/bucket:Bucket", name: "b", urn: "urn:b", inputs: {}, source: "s.json" };
        expect(refusal(() => withUrns([input("s.json", [bucket, bucket])], FILE))).to.equal(
            's.json: holds gcp:storage/bucket:Bucket "b", which it already holds; give each resource once',
        );
    });

    it("keeps every resource of a state export, each under its own URN", () => {
        const bucket = (urn: string): AuditedResource => ({
            type: "gcp:storage/bucket:Bucket",
            name: "b",
            urn,
            inputs: {},
            source: "s.json",
        });
        expect(withUrns([input("s.json", [bucket("urn:one"), bucket("urn:two")])], FILE).map((entry) => entry.urn)).to.deep.equal([
            "urn:one",
            "urn:two",
        ]);
    });

    it("takes an empty region for none when it keys a live workload", () => {
        const unplaced = service("api", undefined, { type: "other:index:Unplaced" });
        expect(refusal(() => withUrns([input("a.json", [unplaced]), input("b.json", [service("api", "")])], FILE))).to.equal(
            'b.json: holds service "api", which a.json already holds; give each resource once',
        );
    });

    it("does not key a state export's workload by its live identity: its URN is its identity", () => {
        const fromState = service("api", "us-central1", {
            urn: "urn:pulumi:staging::netra-platform::gcp:cloudrunv2/service:Service::api-state",
        });
        expect(withUrns([input("state.json", [fromState]), input("live.json", [service("api", "us-central1")])], FILE)).to.have.length(2);
    });
});

describe("what the audit sends the pack for a resource", () => {
    const resource: AuditedResource = {
        type: "t",
        name: "n",
        inputs: { a: 1 },
        state: { a: 1, b: 2 },
        source: "s.json",
        extra: { parent: "urn:parent", dependencies: ["urn:d"], propertyDependencies: { a: ["urn:d"] }, options: { protect: true } },
    };

    it("gives Analyze the inputs, without dependencies", () => {
        expect(toAnalyzerInput({ resource, urn: "urn:x" }, false)).to.deep.equal({
            parent: "urn:parent",
            dependencies: undefined,
            propertyDependencies: undefined,
            options: { protect: true },
            urn: "urn:x",
            type: "t",
            name: "n",
            properties: { a: 1 },
        });
    });

    it("gives AnalyzeStack the state with dependencies, or the inputs when there is no state", () => {
        expect(toAnalyzerInput({ resource, urn: "urn:x" }, true)).to.deep.equal({
            parent: "urn:parent",
            dependencies: ["urn:d"],
            propertyDependencies: { a: ["urn:d"] },
            options: { protect: true },
            urn: "urn:x",
            type: "t",
            name: "n",
            properties: { a: 1, b: 2 },
        });
        expect(toAnalyzerInput({ resource: { type: "t", name: "n", inputs: { a: 1 }, source: "s" }, urn: "urn:y" }, true)).to.deep.equal({
            options: {},
            urn: "urn:y",
            type: "t",
            name: "n",
            properties: { a: 1 },
        });
    });
});

describe("the stack's environment, given to the policies that take one", () => {
    const policy = (name: string, environment: boolean): PolicyInfo => ({
        name,
        displayName: name,
        description: "",
        enforcementLevel: "mandatory",
        type: "resource",
        severity: "",
        ...(environment ? { configSchema: { properties: { environment: { type: "string" } }, required: [] } } : {}),
    });

    it("sets the canonical environment on every such policy whose config does not set one, keeping its level and settings", () => {
        const policies = [policy("a", true), policy("b", true), policy("c", true), policy("d", true), policy("plain", false)];
        const given = {
            a: "advisory",
            b: { enforcementLevel: "disabled", size: 1 },
            c: { environment: "production" },
            plain: "advisory",
            other: 1,
        };
        expect(withStackEnvironment(policies, given, FILE)).to.deep.equal({
            a: { enforcementLevel: "advisory", environment: "staging" },
            b: { enforcementLevel: "disabled", size: 1, environment: "staging" },
            c: { environment: "production" },
            d: { environment: "staging" },
            plain: "advisory",
            other: 1,
        });
        expect(given.a).to.equal("advisory");
    });

    it("starts from an empty config when there is none", () => {
        expect(withStackEnvironment([policy("a", true)], undefined, FILE)).to.deep.equal({ a: { environment: "staging" } });
        expect(withStackEnvironment([policy("a", true)], null, FILE)).to.deep.equal({ a: { environment: "staging" } });
    });

    it("gives the config itself back when every such policy sets its own, or none takes one", () => {
        const given = { a: { environment: "production" } };
        expect(withStackEnvironment([policy("a", true), policy("plain", false)], given, FILE)).to.equal(given);
    });

    it("gives the config itself back when the stack has no environment, or one it does not know", () => {
        const configs: Record<string, string>[] = [{}, { "netra-platform:environment": "moon" }, { "other:environment": "staging" }];
        for (const config of configs) {
            const given = {};
            expect(withStackEnvironment([policy("a", true)], given, { ...FILE, config })).to.equal(given);
        }
    });
});

describe("the audit's steps around the pack (a stand-in session)", function () {
    this.timeout(60_000);
    const SERVICES = path.join("tests", "fixtures", "audit", "services-v2.json");
    const STATE = path.join("tests", "fixtures", "audit", "state-export.json");
    /** The state export's Cloud Run service: its state has a URI its inputs do not, and it depends on two resources. */
    const BACKEND = "urn:pulumi:staging::netra-platform::netra:cloudrun:Service$gcp:cloudrunv2/service:Service::backend-service";
    const BACKEND_DEPENDENCIES = [
        "urn:pulumi:staging::netra-platform::netra:cloudrun:Service$gcp:secretmanager/secretIamMember:SecretIamMember::backend-access-jwt-secret-staging",
        "urn:pulumi:staging::netra-platform::netra:cloudrun:Service$gcp:serviceaccount/account:Account::backend-sa",
    ];
    const options = (from: string[], compare: boolean): AuditOptions => ({
        from,
        stack: "staging",
        compare,
        json: true,
        markdown: false,
        sarif: false,
        policyConfig: undefined,
        help: false,
    });
    const info = fakePackInfo([
        { name: "p-one", displayName: "P one", description: "d", enforcementLevel: "advisory", type: "resource", severity: "low" },
    ]);
    const violation = (urn: string | null, message: string) => ({
        policy: "p-one",
        packName: "fake-pack",
        packVersion: "1.2.3",
        description: "d",
        message,
        enforcementLevel: "advisory" as const,
        severity: "low" as const,
        urn,
    });

    it("starts the pack for the stack (the offline organization, not a preview) with its policy config, sends inputs then state, and closes it", async () => {
        const { start, log } = fakeStarter({
            info,
            analyze: (resource) => [violation(resource.urn, `on ${resource.name}`)],
            analyzeStack: () => [violation(null, "on the stack")],
        });
        const { report, sarif } = await runAuditWithContext(REPO_ROOT, options([SERVICES, STATE], false), start);
        const file = readStackFile(REPO_ROOT, "staging");
        const policyConfig = JSON.parse(fs.readFileSync(path.join(POLICY_PACK_DIR, "config", "staging.json"), "utf8")) as unknown;
        // The state export holds grants: the grant policy is judged, its config untouched.
        expect(log.started).to.deep.equal({
            packDir: POLICY_PACK_DIR,
            context: {
                stack: "staging",
                project: "netra-platform",
                organization: "organization",
                dryRun: false,
                config: file.config,
                configSecretKeys: file.secretKeys,
            },
            options: { policyConfig, policyConfigFile: "policies/config/staging.json" },
        });
        // No configure: the config as given is the one judged with.
        expect(log.calls.map(([call]) => call)).to.deep.equal(["info", "analyzeAll", "analyzeStack", "close"]);
        const [, analyzed] = log.calls[1] as [string, AnalyzerResourceInput[]];
        const [, stacked] = log.calls[2] as [string, AnalyzerResourceInput[]];
        expect(analyzed.map((resource) => resource.urn)).to.deep.equal(stacked.map((resource) => resource.urn));
        // Analyze gets the inputs without dependencies; AnalyzeStack the state with them.
        const sentFor = (resources: AnalyzerResourceInput[]) => {
            const sent = resources.find((resource) => resource.urn === BACKEND);
            return [sent?.properties?.uri, sent?.dependencies];
        };
        expect(sentFor(analyzed)).to.deep.equal([undefined, undefined]);
        expect(sentFor(stacked)).to.deep.equal(["https://netra-backend-staging-abcdefghij-uc.a.run.app", BACKEND_DEPENDENCIES]);
        expect(report.notJudged).to.deep.equal([]);
        expect(report.violations).to.deep.equal([
            ...analyzed.map((resource) => ({
                policy: "p-one",
                enforcementLevel: "advisory",
                urn: resource.urn,
                message: `on ${resource.name}`,
            })),
            { policy: "p-one", enforcementLevel: "advisory", urn: null, message: "on the stack" },
        ]);
        // Not compared: no resource is called managed or not.
        expect([report.comparedWith, report.resources.map((resource) => resource.managed)]).to.deep.equal([
            null,
            [null, null, null, null, null, null],
        ]);
        expect({ tool: sarif.tool, policies: sarif.policies, stackFile: sarif.stackFile }).to.deep.equal({
            tool: { name: "fake-pack", version: "1.2.3" },
            policies: info.policies,
            stackFile: "Pulumi.staging.yaml",
        });
        expect([sarif.sourceUri(SERVICES), sarif.sourceUri(path.join(REPO_ROOT, "index.ts"))]).to.deep.equal([
            "tests/fixtures/audit/services-v2.json",
            "index.ts",
        ]);
    });

    it("gives the pack no policy config, and reports none, for a stack the pack has no config for", async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "netra-audit-"));
        try {
            fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: tiny\nruntime: nodejs\n");
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config: {}\n");
            fs.copyFileSync(path.join(REPO_ROOT, SERVICES), path.join(root, "services.json"));
            const { start, log } = fakeStarter({ info });
            const { report } = await runAuditWithContext(root, { ...options(["services.json"], false), stack: "dev" }, start);
            // Started with the config as given (none), so the host validates that; then, as no input holds
            // grants, the grant policy alone is set to disabled.
            expect(log.started?.options).to.deep.equal({ policyConfig: undefined, policyConfigFile: undefined });
            expect(log.calls.filter(([call]) => call === "configure")).to.deep.equal([
                ["configure", { policyConfig: { "secret-access-scoped-to-service-account": "disabled" }, file: undefined }],
            ]);
            expect(report.policyConfig?.file).to.equal(null);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("compares live workloads with the program's, and says nothing of a resource that is not one", async () => {
        const { start } = fakeStarter({ info });
        const { report } = await runAuditWithContext(REPO_ROOT, options([SERVICES, STATE], true), start);
        expect(report.comparedWith).to.equal("Pulumi.staging.yaml");
        // The program declares both Cloud Run services; nothing else is a workload.
        expect(report.resources.map((resource) => [resource.name, resource.managed])).to.deep.equal([
            ["netra-frontend-staging", true],
            ["netra-platform-staging", null],
            ["backend", null],
            ["backend-sa", null],
            ["backend-access-jwt-secret-staging", null],
            ["backend-service", true],
        ]);
    });
});

describe("the audit, one whole run in process (the real pack)", function () {
    this.timeout(120_000);

    it("refuses an invalid policy config in the host's words though no input holds grants (it was made a map first)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netra-audit-config-"));
        try {
            const configs: [string, unknown, string][] = [
                ["list.json", [], "policy config must be a JSON object mapping policy names to a level or an object"],
                [
                    "entry.json",
                    { "secret-access-scoped-to-service-account": 5 },
                    'parsing "secret-access-scoped-to-service-account": 5 is not a valid value; must be a string or object (an enforcement level, or settings)',
                ],
            ];
            for (const [name, content, reason] of configs) {
                const file = path.join(dir, name);
                fs.writeFileSync(file, JSON.stringify(content));
                const run = runAudit(REPO_ROOT, {
                    from: [path.join("tests", "fixtures", "audit", "services-v2.json")],
                    stack: "staging",
                    compare: false,
                    json: true,
                    markdown: false,
                    sarif: false,
                    policyConfig: file,
                    help: false,
                });
                const error = await run.then(
                    () => expect.fail(`${name} was taken`),
                    (rejected: unknown) => rejected,
                );
                expect(error).to.be.instanceOf(PolicyPackError);
                expect((error as Error).message).to.equal(`${file} (policy config of pack netra-staging-policies): ${reason}`);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("judges every live resource with the stack's policy config, and turns the grant policy off without grants", async () => {
        const from = path.join("tests", "fixtures", "audit", "services-v2.json");
        const report = await runAudit(REPO_ROOT, {
            from: [from],
            stack: "staging",
            // Not --stack: declaredWorkloads requires index.ts, which another test file in the same mocha worker may have loaded.
            compare: false,
            json: true,
            markdown: false,
            sarif: false,
            policyConfig: undefined,
            help: false,
        });
        const urn = "urn:pulumi:staging::netra-platform::gcp:cloudrunv2/service:Service::netra-frontend-staging";
        expect(report).to.deep.equal({
            stack: "staging",
            project: "netra-platform",
            preview: false,
            policyConfig: {
                file: "policies/config/staging.json",
                changed: [{ policy: "secret-access-scoped-to-service-account", default: "mandatory", level: "disabled" }],
            },
            resources: [
                { urn, type: "gcp:cloudrunv2/service:Service", name: "netra-frontend-staging", parent: null, source: from, managed: null },
            ],
            violations: [
                {
                    policy: "cloudrun-images-pinned-by-digest",
                    enforcementLevel: "advisory",
                    urn,
                    message:
                        'Container "frontend" uses image "gcr.io/netra-staging/netra-frontend-staging:latest", which is not pinned by digest; deploy <image>@sha256:<digest> so every revision runs the image that was built and reviewed.',
                },
            ],
            summary: { resources: 1, mandatory: 0, advisory: 1, unmanaged: 0 },
            inputs: [{ file: from, kind: "Admin API v2 services list", resources: 1 }],
            comparedWith: null,
            notJudged: [
                {
                    policy: "secret-access-scoped-to-service-account",
                    reason: "no IAM policy or state export among the inputs, so no grant is known; add the IAM policy of each secret the services read (gcloud secrets get-iam-policy <id> --format=json > <id>.secret-iam.json) and the project's (<project-id>.project-iam.json)",
                },
            ],
        });
    });
});
