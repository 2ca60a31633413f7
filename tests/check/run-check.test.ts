/**
 * The offline check's own steps (check/run-check.ts), in process: which files it reads and how it
 * names them, the policy config's file and levels, the report's violations and SARIF locations, and
 * one whole run (the real pack, the program in a worker thread) to prove they are wired together.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCheckArgs, UsageError } from "../../check/cli-args";
import type { PolicyPackInfo, PolicyViolation } from "../../check/policy-pack-host";
import {
    levelChanges,
    POLICY_PACK_DIR,
    policyConfigFile,
    readPolicyConfig,
    relativeName,
    resolveProgram,
    runCheckWithContext,
    sarifContext,
    toReportViolation,
} from "../../check/run-check";
import { readStackFile, StackFileError } from "../../check/stack-file";
import { childProcessIds } from "../support/child-processes";
import { fakePackInfo, fakeStarter } from "../support/fake-session";
import { REPO_ROOT } from "../support/staging-fixture";

const OUTSIDE = fs.realpathSync(os.tmpdir());

function thrown(action: () => unknown): Error {
    try {
        action();
    } catch (error) {
        return error as Error;
    }
    return expect.fail("expected an error");
}

describe("the check's files and their names", () => {
    it("applies this repository's pack, whatever folder is checked", () => {
        expect(POLICY_PACK_DIR).to.equal(path.join(REPO_ROOT, "policies"));
    });

    it("names a file relative to the checked folder with forward slashes, else to the repository, else in full", () => {
        const root = path.join(REPO_ROOT, "tests", "fixtures");
        expect(relativeName(root, path.join(root, "stacks", "a.yaml"))).to.equal("stacks/a.yaml");
        expect(relativeName(root, path.join(REPO_ROOT, "policies", "config", "staging.json"))).to.equal("policies/config/staging.json");
        expect(relativeName(root, path.join(OUTSIDE, "x.json"))).to.equal(path.join(OUTSIDE, "x.json"));
        expect(relativeName(root, root)).to.equal("");
        expect(relativeName(root, path.join(root, "..hidden.json"))).to.equal("..hidden.json");
        expect(relativeName(root, path.join(root, "..config", "p.json"))).to.equal("..config/p.json");
        expect(relativeName(root, path.dirname(root))).to.equal("tests");
    });

    it("takes --policy-config from the checked folder, and refuses one that does not exist", () => {
        expect(policyConfigFile(REPO_ROOT, { stack: "staging", policyConfig: "policies/config/production.json" })).to.equal(
            path.join(REPO_ROOT, "policies", "config", "production.json"),
        );
        const error = thrown(() => policyConfigFile(REPO_ROOT, { stack: "staging", policyConfig: "nope.json" }));
        expect([error instanceof UsageError, error.message]).to.deep.equal([true, "--policy-config: nope.json: no such file"]);
    });

    it("refuses a folder as --policy-config, saying it is one and what is expected", () => {
        const error = thrown(() => policyConfigFile(REPO_ROOT, { stack: "staging", policyConfig: "policies/config" }));
        expect([error instanceof UsageError, error.message]).to.deep.equal([
            true,
            "--policy-config: policies/config: is a folder; expected a policy config file (JSON)",
        ]);
    });

    it("falls back to the pack's config for the stack, or none when the pack has none", () => {
        expect(policyConfigFile(OUTSIDE, { stack: "staging", policyConfig: undefined })).to.equal(
            path.join(REPO_ROOT, "policies", "config", "staging.json"),
        );
        expect(policyConfigFile(REPO_ROOT, { stack: "dev", policyConfig: undefined })).to.equal(undefined);
    });

    describe("the policy config's text", () => {
        let dir: string;
        const write = (name: string, content: string | Buffer): string => {
            fs.writeFileSync(path.join(dir, name), content);
            return path.join(dir, name);
        };
        const refusal = (file: string): string => {
            const error = thrown(() => readPolicyConfig(dir, file));
            expect(error).to.be.instanceOf(StackFileError);
            return error.message;
        };
        before(() => {
            dir = fs.mkdtempSync(path.join(OUTSIDE, "netra-run-check-"));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("is read as JSON, and nothing is read without a file", () => {
            expect(readPolicyConfig(dir, write("good.json", '{"all": "advisory"}'))).to.deep.equal({ all: "advisory" });
            expect(readPolicyConfig(dir, undefined)).to.equal(undefined);
        });

        it("is the user's to fix when it is not JSON: the file and the place named, no text of the file quoted", () => {
            const NOT_JSON = "is not valid JSON; expected a JSON object mapping policy names to a level or to settings";
            expect(refusal(write("bad.json", "{all"))).to.equal(`bad.json:1:2: ${NOT_JSON}`);
            expect(refusal(write("ansi.json", '{"x": \u001b[31mRED\u001b[0m}'))).to.equal(`ansi.json:1:7: ${NOT_JSON}`);
            expect(refusal(write("comma.json", '{"all": "advisory",\n}'))).to.equal(`comma.json:2:1: ${NOT_JSON}`);
        });

        it("refuses a UTF-8 byte order mark, which the CLI's JSON reader refuses, and what is not UTF-8, as a stack file's", () => {
            expect(refusal(write("bom.json", Buffer.from('\ufeff{"all": "advisory"}')))).to.equal(
                "bom.json: starts with a UTF-8 byte order mark, which the Pulumi CLI's JSON reader refuses; save the file without one",
            );
            expect(refusal(write("utf16.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("{}", "utf16le")])))).to.equal(
                "utf16.json: is UTF-16 text (it starts with the byte order mark 0xFF 0xFE); save it as UTF-8",
            );
            expect(refusal(write("latin1.json", Buffer.from('{"all":\n "\u00e9"}', "latin1")))).to.equal(
                "latin1.json:2:3: is not valid UTF-8 (byte 0xE9); save the file as UTF-8",
            );
        });
    });

    it("runs index.ts of the checked folder unless --program names another, and refuses a missing one", () => {
        expect(resolveProgram(REPO_ROOT, parseCheckArgs(["--stack", "staging"]))).to.equal(path.join(REPO_ROOT, "index.ts"));
        expect(resolveProgram(REPO_ROOT, parseCheckArgs(["--stack", "staging", "--program", "components/cloud-run-service.ts"]))).to.equal(
            path.join(REPO_ROOT, "components", "cloud-run-service.ts"),
        );
        const missing = thrown(() => resolveProgram(REPO_ROOT, parseCheckArgs(["--stack", "staging", "--program", "gone.ts"])));
        expect([missing instanceof UsageError, missing.message]).to.deep.equal([true, "--program: gone.ts: no such file"]);
        const noIndex = thrown(() => resolveProgram(OUTSIDE, parseCheckArgs(["--stack", "staging"])));
        expect(noIndex.message).to.equal("--program: index.ts: no such file");
    });

    it("refuses a folder as --program (a usage error, not a program that fails at startup)", () => {
        const folder = thrown(() => resolveProgram(REPO_ROOT, parseCheckArgs(["--stack", "staging", "--program", "check"])));
        expect([folder instanceof UsageError, folder.message]).to.deep.equal([
            true,
            "--program: check: is a folder; expected the program's TypeScript file (such as index.ts)",
        ]);
    });
});

describe("the check's report of the pack's answers", () => {
    const violation = (message: string): PolicyViolation => ({
        policy: "p",
        packName: "pack",
        packVersion: "1",
        description: "The rule.",
        message,
        enforcementLevel: "advisory",
        severity: "",
        urn: null,
    });

    it("keeps the policy's own words: the description the pack puts first is dropped, and lines are joined", () => {
        expect(toReportViolation(violation("The rule.\nContainer #1 breaks it;\n   fix it"))).to.deep.equal({
            policy: "p",
            enforcementLevel: "advisory",
            urn: null,
            message: "Container #1 breaks it; fix it",
        });
        expect(toReportViolation(violation("The rule. And more")).message).to.equal("The rule. And more");
        expect(toReportViolation(violation("The rule.")).message).to.equal("The rule.");
    });

    const INFO: PolicyPackInfo = {
        name: "pack",
        displayName: "Pack",
        version: "1",
        description: "",
        supportsConfig: true,
        policies: [
            { name: "a", displayName: "", description: "", enforcementLevel: "mandatory", type: "resource", severity: "" },
            { name: "b", displayName: "", description: "", enforcementLevel: "advisory", type: "resource", severity: "" },
            {
                name: "c",
                displayName: "",
                description: "",
                enforcementLevel: "advisory",
                type: "resource",
                severity: "",
                configSchema: { properties: { size: { type: "number" } }, required: [] },
            },
        ],
        initialConfig: {},
    };

    it("lists each policy whose level the config changed, `all` first and then each entry, against the pack's default", () => {
        expect(levelChanges(INFO, { all: "disabled", b: "mandatory", c: { size: 3 } })).to.deep.equal([
            { policy: "a", default: "mandatory", level: "disabled" },
            { policy: "b", default: "advisory", level: "mandatory" },
            { policy: "c", default: "advisory", level: "disabled" },
        ]);
        expect(levelChanges(INFO, { a: "mandatory", c: { size: 3 } })).to.deep.equal([]);
        expect(levelChanges(INFO, undefined)).to.deep.equal([]);
    });

    it("lists nothing for a config the host refused (it fails a schema)", () => {
        expect(levelChanges(INFO, { a: "advisory", c: { size: "big" } })).to.deep.equal([]);
    });

    it("locates a resource at the stack-file key of the component that declares it, else at the program", () => {
        const stack = "urn:pulumi:staging::netra-platform::pulumi:pulumi:Stack::netra-platform-staging";
        const component = "urn:pulumi:staging::netra-platform::netra:cloudrun:Service::backend";
        const resources = [
            { urn: stack, type: "pulumi:pulumi:Stack", name: "netra-platform-staging", parent: null },
            { urn: component, type: "netra:cloudrun:Service", name: "backend", parent: stack },
            {
                urn: `${component}$gcp:cloudrunv2/service:Service::backend`,
                type: "gcp:cloudrunv2/service:Service",
                name: "backend",
                parent: component,
            },
            { urn: `${component}$gcp:x:Y::gone`, type: "netra:cloudrun:Service", name: "not-in-the-file", parent: stack },
        ];
        const context = sarifContext(
            REPO_ROOT,
            "Pulumi.staging.yaml",
            "netra-platform",
            path.join(REPO_ROOT, "index.ts"),
            { ...INFO, name: "n", version: "v" },
            resources,
        );
        expect([context.tool, context.fallback, context.policies]).to.deep.equal([
            { name: "n", version: "v" },
            { uri: "index.ts" },
            INFO.policies,
        ]);
        const backendLine = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.staging.yaml"), "utf8").split("\n").indexOf("    backend:") + 1;
        expect(context.locate!(resources[2])).to.deep.equal({ uri: "Pulumi.staging.yaml", line: backendLine, column: 5 });
        expect(context.locate!(resources[0])).to.equal(undefined);
        expect(context.locate!(resources[3])).to.equal(undefined);
    });
});

describe("the check's steps around the pack (a stand-in session, the program in a worker thread)", function () {
    this.timeout(60_000);
    const info = fakePackInfo([]);

    it("starts the pack for the stack, in the offline organization, with the policy config and the file it came from", async () => {
        const { start, log } = fakeStarter({ info });
        const program = path.join(REPO_ROOT, "tests", "fixtures", "programs", "service-without-environment.ts");
        const { report } = await runCheckWithContext(
            REPO_ROOT,
            parseCheckArgs(["--stack", "staging", "--program", program, "--preview"]),
            { startTimeoutMs: 1234 },
            start,
        );
        const file = readStackFile(REPO_ROOT, "staging");
        expect(log.started).to.deep.equal({
            packDir: POLICY_PACK_DIR,
            context: {
                stack: "staging",
                project: "netra-platform",
                organization: "organization",
                dryRun: true,
                config: file.config,
                configSecretKeys: file.secretKeys,
            },
            options: {
                startTimeoutMs: 1234,
                policyConfig: JSON.parse(fs.readFileSync(path.join(POLICY_PACK_DIR, "config", "staging.json"), "utf8")) as unknown,
                policyConfigFile: "policies/config/staging.json",
            },
        });
        expect(log.calls.map(([call]) => call)).to.deep.equal(["analyzeStream", "analyzeStack", "info", "close"]);
        expect(report.policyConfig).to.deep.equal({ file: "policies/config/staging.json", changed: [] });
    });

    it("gives the pack no policy config, and reports none, for a stack the pack has no config for", async () => {
        const root = fs.mkdtempSync(path.join(OUTSIDE, "netra-check-"));
        try {
            fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: tiny\nruntime: nodejs\n");
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config: {}\n");
            fs.writeFileSync(path.join(root, "index.ts"), "export const ok: boolean = true;\n");
            const { start, log } = fakeStarter({ info });
            const { report } = await runCheckWithContext(root, parseCheckArgs(["--stack", "dev"]), {}, start);
            expect(log.started?.options).to.deep.equal({ policyConfig: undefined, policyConfigFile: undefined });
            expect(report.policyConfig).to.deep.equal({ file: null, changed: [] });
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});

describe("the check, one whole run in process (the real pack, the program in a worker thread)", function () {
    this.timeout(120_000);

    it("judges the program with the stack's config and policy config, reports every violation on its resource, and stops the pack", async () => {
        const program = path.join(REPO_ROOT, "tests", "fixtures", "programs", "service-without-environment.ts");
        const children = childProcessIds();
        const { report, sarif } = await runCheckWithContext(REPO_ROOT, parseCheckArgs(["--stack", "staging", "--program", program]));
        expect(childProcessIds()).to.deep.equal(children);
        const service = "urn:pulumi:staging::netra-platform::gcp:cloudrunv2/service:Service::legacy-backend";
        expect({ stack: report.stack, project: report.project, preview: report.preview, policyConfig: report.policyConfig }).to.deep.equal({
            stack: "staging",
            project: "netra-platform",
            preview: false,
            policyConfig: { file: "policies/config/staging.json", changed: [] },
        });
        expect(report.resources).to.deep.equal([
            {
                urn: "urn:pulumi:staging::netra-platform::pulumi:pulumi:Stack::netra-platform-staging",
                type: "pulumi:pulumi:Stack",
                name: "netra-platform-staging",
                parent: null,
            },
            {
                urn: service,
                type: "gcp:cloudrunv2/service:Service",
                name: "legacy-backend",
                parent: "urn:pulumi:staging::netra-platform::pulumi:pulumi:Stack::netra-platform-staging",
            },
        ]);
        expect(report.violations.map((found) => [found.policy, found.enforcementLevel, found.urn])).to.deep.equal([
            ["cloudrun-required-env-vars", "mandatory", service],
            ["cloudrun-images-pinned-by-digest", "advisory", service],
            ["cloudrun-dedicated-service-account", "mandatory", service],
        ]);
        expect(report.violations[0].message).to.equal(
            "Container #1 does not set ENVIRONMENT; every Cloud Run container must declare it explicitly, or the service guesses its environment (the WebSocket 1011 incident).",
        );
        expect([report.invokes, report.summary]).to.deep.equal([[], { resources: 2, mandatory: 2, advisory: 1 }]);
        expect([sarif.tool.name, sarif.fallback]).to.deep.equal([
            "netra-staging-policies",
            { uri: "tests/fixtures/programs/service-without-environment.ts" },
        ]);
        expect(sarif.locate!(report.resources[1])).to.equal(undefined);
    });
});
