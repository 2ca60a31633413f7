import { expect } from "chai";
import { buildReport, renderSarif, renderSarifError } from "../../check/report";
import { declaringKeyPath, StackKeyLocator } from "../../check/stack-locations";
import { sarifErrors } from "./sarif-schema";

interface SarifLog {
    version: string;
    runs: {
        tool: {
            driver: { name: string; rules: { id: string; defaultConfiguration: { level: string }; fullDescription: { text: string } }[] };
        };
        results: {
            ruleId: string;
            level: string;
            message: { text: string };
            locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn: number } } }[];
            properties: { urn: string | null; resourceName?: string };
        }[];
        invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { message: { text: string } }[] }[];
    }[];
}

const STACK_TEXT = [
    "config:",
    "  gcp:project: netra-staging",
    "  netra-platform:services:",
    "    backend:",
    "      name: netra-backend-staging",
    "    'auth':",
    "      name: netra-auth-service",
    "  e2eOAuthSimulationKey:",
    "    consumers: [auth]",
    "",
].join("\n");

describe("SARIF output", () => {
    describe("stack file locations", () => {
        const locator = StackKeyLocator.fromText(STACK_TEXT, "netra-platform");

        it("finds a service key's line and column, written with its namespace or quoted", () => {
            expect(locator.locate(["services", "backend"])).to.deep.equal({ line: 4, column: 5 });
            expect(locator.locate(["services", "auth"])).to.deep.equal({ line: 6, column: 5 });
        });

        it("finds a key written without the project's namespace", () => {
            expect(locator.locate(["e2eOAuthSimulationKey"])).to.deep.equal({ line: 8, column: 3 });
        });

        it("locates nothing for a key the file does not have, or a file that does not parse", () => {
            expect(locator.locate(["services", "frontend"])).to.equal(undefined);
            expect(StackKeyLocator.fromText("config: [unclosed\n", "netra-platform").locate(["services"])).to.equal(undefined);
        });

        it("takes a resource's declaring key from its nearest component built from the stack file", () => {
            const stack = { urn: "urn:s", type: "pulumi:pulumi:Stack", name: "s", parent: null };
            const component = { urn: "urn:c", type: "netra:cloudrun:Service", name: "backend", parent: "urn:s" };
            const service = { urn: "urn:r", type: "gcp:cloudrunv2/service:Service", name: "backend-service", parent: "urn:c" };
            const loose = { urn: "urn:l", type: "gcp:cloudrunv2/service:Service", name: "legacy", parent: "urn:s" };
            const byUrn = new Map([stack, component, service, loose].map((resource) => [resource.urn, resource]));
            expect(declaringKeyPath(service, byUrn)).to.deep.equal(["services", "backend"]);
            expect(declaringKeyPath(loose, byUrn)).to.equal(undefined);
        });
    });

    it("renders a valid SARIF 2.1.0 log: one rule per policy, error for mandatory, warning for advisory, the URN in properties", () => {
        const urn = "urn:pulumi:staging::netra-platform::gcp:cloudrunv2/service:Service::api";
        const report = buildReport({
            stack: "staging",
            project: "netra-platform",
            preview: false,
            resources: [{ urn, type: "gcp:cloudrunv2/service:Service", name: "api\n\u001b[31m", parent: null }],
            violations: [
                { policy: "must", enforcementLevel: "mandatory", urn, message: "no <ENVIRONMENT>\nset" },
                { policy: "should", enforcementLevel: "advisory", urn: null, message: "pin images" },
            ],
        });
        const log = renderSarif(report, {
            tool: { name: "netra-staging-policies", version: "0.1.0" },
            policies: [
                { name: "should", description: "Images are pinned.", enforcementLevel: "advisory" },
                { name: "must", description: "ENVIRONMENT is set.", enforcementLevel: "mandatory" },
                { name: "off", description: "Turned off.", enforcementLevel: "disabled" },
            ],
            locate: () => ({ uri: "Pulumi.staging.yaml", line: 4, column: 5 }),
            fallback: { uri: "index.ts" },
        }) as unknown as SarifLog;
        expect(sarifErrors(log)).to.deep.equal([]);
        const run = log.runs[0];
        expect(run.tool.driver.rules.map((rule) => [rule.id, rule.defaultConfiguration.level, rule.fullDescription.text])).to.deep.equal([
            ["must", "error", "ENVIRONMENT is set."],
            ["off", "none", "Turned off."],
            ["should", "warning", "Images are pinned."],
        ]);
        expect(run.results.map((result) => [result.ruleId, result.level, result.message.text, result.properties.urn])).to.deep.equal([
            ["must", "error", "no <ENVIRONMENT>\\nset", urn],
            ["should", "warning", "pin images", null],
        ]);
        expect(run.results.map((result) => result.locations)).to.deep.equal([
            [{ physicalLocation: { artifactLocation: { uri: "Pulumi.staging.yaml" }, region: { startLine: 4, startColumn: 5 } } }],
            [{ physicalLocation: { artifactLocation: { uri: "index.ts" } } }],
        ]);
    });

    it("renders a valid log for a check that could not run, with the reason", () => {
        const log = renderSarifError("Pulumi.prod.yaml: no such stack file; stacks here: staging", { name: "netra-offline-check" });
        expect(sarifErrors(log)).to.deep.equal([]);
        const invocation = (log as unknown as SarifLog).runs[0].invocations[0];
        expect(invocation.executionSuccessful).to.equal(false);
        expect(invocation.toolExecutionNotifications?.[0].message.text).to.equal(
            "Pulumi.prod.yaml: no such stack file; stacks here: staging",
        );
    });
    describe("stack file locations, at their edges", () => {
        const locator = StackKeyLocator.fromText(STACK_TEXT, "netra-platform");

        it("locates nothing for an empty path, a path below a missing key, or a file without config", () => {
            expect(locator.locate([])).to.equal(undefined);
            expect(locator.locate(["nothing", "below"])).to.equal(undefined);
            expect(locator.locate(["services", "backend", "name", "deeper"])).to.equal(undefined);
            expect(StackKeyLocator.fromText("secretsprovider: passphrase\n", "netra-platform").locate(["services"])).to.equal(undefined);
            expect(StackKeyLocator.fromText("config: [a, b]\n", "netra-platform").locate(["services"])).to.equal(undefined);
        });

        it("finds a nested setting and a key the file spells with the namespace", () => {
            expect(locator.locate(["services", "backend", "name"])).to.deep.equal({ line: 5, column: 7 });
            expect(locator.locate(["project"])).to.equal(undefined);
            expect(StackKeyLocator.fromText(STACK_TEXT, "gcp").locate(["project"])).to.deep.equal({ line: 2, column: 3 });
        });

        it("takes the E2E key's children to its stack-file key, and stops at a parent cycle or an unknown parent", () => {
            const key = { urn: "urn:k", type: "netra:secrets:E2eOAuthSimulationKey", name: "e2e", parent: null };
            const secret = { urn: "urn:v", type: "gcp:secretmanager/secret:Secret", name: "e2e-secret", parent: "urn:k" };
            const a = { urn: "urn:a", type: "x:y:A", name: "a", parent: "urn:b" };
            const b = { urn: "urn:b", type: "x:y:B", name: "b", parent: "urn:a" };
            const orphan = { urn: "urn:o", type: "x:y:O", name: "o", parent: "urn:missing" };
            const inherited = { urn: "urn:t", type: "toString", name: "t", parent: null };
            const byUrn = new Map([key, secret, a, b, orphan, inherited].map((resource) => [resource.urn, resource]));
            expect(declaringKeyPath(secret, byUrn)).to.deep.equal(["e2eOAuthSimulationKey"]);
            expect(declaringKeyPath(key, byUrn)).to.deep.equal(["e2eOAuthSimulationKey"]);
            expect(declaringKeyPath(a, byUrn)).to.equal(undefined);
            expect(declaringKeyPath(orphan, byUrn)).to.equal(undefined);
            expect(declaringKeyPath(inherited, byUrn)).to.equal(undefined);
        });
    });

    describe("the log, whole", () => {
        const SERVICE = "urn:pulumi:staging::netra-platform::netra:cloudrun:Service$gcp:cloudrunv2/service:Service::api-service";
        const GONE = "urn:pulumi:staging::netra-platform::x:y:Z::gone";
        // Built in each test, not here: code that runs outside a test counts as static for Stryker.
        const reportOf = () =>
            buildReport({
                stack: "staging",
                project: "netra-platform",
                preview: true,
                policyConfig: { file: null, changed: [{ policy: "must", default: "mandatory", level: "advisory" }] },
                resources: [{ urn: SERVICE, type: "gcp:cloudrunv2/service:Service", name: "api-service", parent: null }],
                violations: [
                    { policy: "pinned", enforcementLevel: "mandatory", urn: SERVICE, message: "image is not pinned by digest" },
                    { policy: "must", enforcementLevel: "advisory", urn: null, message: "ENVIRONMENT is missing" },
                    { policy: "fix-it", enforcementLevel: "remediate", urn: GONE, message: "" },
                    { policy: "fix-it", enforcementLevel: "remediate", urn: GONE, message: "again" },
                ],
                invokes: [{ token: "gcp:x/y:z", answer: "unknown", count: 2 }],
            });
        const logOf = () =>
            renderSarif(reportOf(), {
                tool: { name: "netra-staging-policies", version: "1.2.3" },
                policies: [
                    { name: "pinned", description: "", enforcementLevel: "advisory" },
                    {
                        name: "must",
                        description: "Every service sets ENVIRONMENT.",
                        enforcementLevel: "mandatory",
                        displayName: "Required env vars",
                    },
                    { name: "must", description: "A second listing of the same policy.", enforcementLevel: "advisory" },
                ],
                locate: (resource) => (resource.name === "api-service" ? { uri: "Pulumi.staging.yaml", line: 20, column: 5 } : undefined),
            }) as { runs: Record<string, unknown>[] };

        it("lists each policy once, sorted, then a rule for a policy only a violation names", () => {
            const log = logOf();
            expect(log.runs[0].tool).to.deep.equal({
                driver: {
                    name: "netra-staging-policies",
                    version: "1.2.3",
                    rules: [
                        {
                            id: "must",
                            name: "must",
                            shortDescription: { text: "Required env vars" },
                            fullDescription: { text: "Every service sets ENVIRONMENT." },
                            defaultConfiguration: { level: "error" },
                            properties: { enforcementLevel: "mandatory" },
                        },
                        {
                            id: "pinned",
                            name: "pinned",
                            shortDescription: { text: "pinned" },
                            fullDescription: { text: "pinned" },
                            defaultConfiguration: { level: "warning" },
                            properties: { enforcementLevel: "advisory" },
                        },
                        {
                            id: "fix-it",
                            name: "fix-it",
                            shortDescription: { text: "fix-it" },
                            fullDescription: { text: "fix-it" },
                            defaultConfiguration: { level: "error" },
                            properties: { enforcementLevel: "remediate" },
                        },
                    ],
                },
            });
        });

        it("gives each result its rule's index, its level, its message (the policy's name when empty) and its place when known", () => {
            const log = logOf();
            expect(log.runs[0].results).to.deep.equal([
                {
                    ruleId: "pinned",
                    ruleIndex: 1,
                    level: "error",
                    message: { text: "image is not pinned by digest" },
                    locations: [
                        {
                            physicalLocation: {
                                artifactLocation: { uri: "Pulumi.staging.yaml" },
                                region: { startLine: 20, startColumn: 5 },
                            },
                        },
                    ],
                    properties: {
                        urn: SERVICE,
                        enforcementLevel: "mandatory",
                        resourceType: "gcp:cloudrunv2/service:Service",
                        resourceName: "api-service",
                    },
                },
                {
                    ruleId: "must",
                    ruleIndex: 0,
                    level: "warning",
                    message: { text: "ENVIRONMENT is missing" },
                    properties: { urn: null, enforcementLevel: "advisory" },
                },
                {
                    ruleId: "fix-it",
                    ruleIndex: 2,
                    level: "error",
                    message: { text: "fix-it" },
                    properties: { urn: GONE, enforcementLevel: "remediate" },
                },
                {
                    ruleId: "fix-it",
                    ruleIndex: 2,
                    level: "error",
                    message: { text: "again" },
                    properties: { urn: GONE, enforcementLevel: "remediate" },
                },
            ]);
        });

        it("names the run after the project, stack and preview, and carries the report's config, invokes and summary", () => {
            const log = logOf();
            const run = log.runs[0];
            expect(run.automationDetails).to.deep.equal({ id: "netra-check/netra-platform/staging/preview/" });
            expect(run.invocations).to.deep.equal([{ executionSuccessful: true }]);
            expect(run.properties).to.deep.equal({
                stack: "staging",
                project: "netra-platform",
                preview: true,
                policyConfig: { file: null, changed: [{ policy: "must", default: "mandatory", level: "advisory" }] },
                invokes: [{ token: "gcp:x/y:z", answer: "unknown", count: 2 }],
                summary: { resources: 1, mandatory: 1, advisory: 1 },
            });
            expect(log).to.include({ $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0" });
            expect(sarifErrors(log)).to.deep.equal([]);
        });

        it("leaves out what is not known: the tool's version, the config and invokes, a column, a place", () => {
            const report = reportOf();
            const plain = renderSarif(buildReport({ ...report, preview: false, policyConfig: undefined, invokes: undefined }), {
                tool: { name: "t" },
                policies: [{ name: "off", description: "Turned off.", enforcementLevel: "disabled" }],
            }) as { runs: Record<string, unknown>[] };
            const run = plain.runs[0] as { tool: { driver: Record<string, unknown> }; results: Record<string, unknown>[] } & Record<
                string,
                unknown
            >;
            expect(Object.keys(run.tool.driver)).to.deep.equal(["name", "rules"]);
            expect(run.automationDetails).to.deep.equal({ id: "netra-check/netra-platform/staging/" });
            expect(run.properties).to.deep.equal({
                stack: "staging",
                project: "netra-platform",
                preview: false,
                summary: { resources: 1, mandatory: 1, advisory: 1 },
            });
            expect(run.results.map((result) => Object.keys(result))).to.deep.equal(
                Array.from({ length: 4 }, () => ["ruleId", "ruleIndex", "level", "message", "properties"]),
            );
            const lineOnly = renderSarif(report, {
                tool: { name: "t" },
                policies: [],
                locate: () => undefined,
                fallback: { uri: "index.ts", line: 3 },
            }) as {
                runs: { results: { locations: unknown }[] }[];
            };
            expect(lineOnly.runs[0].results[0].locations).to.deep.equal([
                { physicalLocation: { artifactLocation: { uri: "index.ts" }, region: { startLine: 3 } } },
            ]);
        });
    });
});
