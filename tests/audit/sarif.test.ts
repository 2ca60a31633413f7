import { expect } from "chai";
import { buildAuditReport, type AuditReportResource } from "../../audit/report";
import { renderAuditSarif } from "../../audit/sarif";
import { sarifErrors } from "../check/sarif-schema";

interface SarifRun {
    tool: { driver: { name: string; version?: string; rules: { id: string; defaultConfiguration: { level: string } }[] } };
    automationDetails: { id: string };
    results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        message: { text: string };
        locations?: { physicalLocation: { artifactLocation: { uri: string } } }[];
        properties: { urn: string | null };
    }[];
    properties: { summary: Record<string, number> };
}

const URN = "urn:pulumi:staging::netra-platform::gcp:cloudrun/service:Service::";

function resource(name: string, managed: boolean | null, source: string): AuditReportResource {
    return { urn: `${URN}${name}`, type: "gcp:cloudrun/service:Service", name, parent: null, source, managed };
}

// Built in each test: code that runs outside a test counts as static for Stryker.
function reportOf(comparedWith: string | null) {
    return buildAuditReport({
        stack: "staging",
        project: "netra-platform",
        resources: [
            resource("netra-auth-service", comparedWith === null ? null : true, "live/services.json"),
            resource("netra-status-page", comparedWith === null ? null : false, "/tmp/exports/services.json"),
        ],
        violations: [
            { policy: "must", enforcementLevel: "mandatory", urn: `${URN}netra-auth-service`, message: "ENVIRONMENT is missing" },
            { policy: "grants", enforcementLevel: "mandatory", urn: null, message: "the project grants secretAccessor" },
        ],
        inputs: [{ file: "live/services.json", kind: "gcloud run services list", resources: 2 }],
        comparedWith,
        notJudged: [],
    });
}

function runOf(comparedWith: string | null): SarifRun {
    const log = renderAuditSarif(reportOf(comparedWith), {
        tool: { name: "netra-staging-policies", version: "0.3.0" },
        policies: [
            { name: "must", description: "Every container sets ENVIRONMENT.", enforcementLevel: "mandatory" },
            { name: "grants", description: "Secrets are granted per secret.", enforcementLevel: "mandatory" },
        ],
        stackFile: "Pulumi.staging.yaml",
        sourceUri: (source) => (source.startsWith("/") ? `file://${source}` : source),
    });
    expect(sarifErrors(log)).to.deep.equal([]);
    return (log as unknown as { runs: SarifRun[] }).runs[0];
}

describe("audit: SARIF", () => {
    it("names its analysis netra-audit, so a code-scanning upload never replaces the check's", () => {
        expect(runOf("Pulumi.staging.yaml").automationDetails).to.deep.equal({ id: "netra-audit/netra-platform/staging/" });
    });

    it("locates each finding in the export its resource was read from, and a stack-wide one in the stack file", () => {
        const results = runOf(null).results;
        expect(results.map((result) => [result.ruleId, result.level, result.locations])).to.deep.equal([
            ["must", "error", [{ physicalLocation: { artifactLocation: { uri: "live/services.json" } } }]],
            ["grants", "error", [{ physicalLocation: { artifactLocation: { uri: "Pulumi.staging.yaml" } } }]],
        ]);
    });

    it("adds a warning of rule workload-managed-by-stack for each workload the program does not declare", () => {
        const run = runOf("Pulumi.staging.yaml");
        expect(run.tool.driver.rules.map((rule) => [rule.id, rule.defaultConfiguration.level])).to.deep.equal([
            ["grants", "error"],
            ["must", "error"],
            ["workload-managed-by-stack", "warning"],
        ]);
        expect(run.results[2]).to.deep.equal({
            ruleId: "workload-managed-by-stack",
            ruleIndex: 2,
            level: "warning",
            message: {
                text:
                    'gcp:cloudrun/service:Service "netra-status-page" runs in the project, but the program with Pulumi.staging.yaml ' +
                    "declares no such Cloud Run service, job or worker pool; declare it in the stack (and import it) or delete it.",
            },
            locations: [{ physicalLocation: { artifactLocation: { uri: "file:///tmp/exports/services.json" } } }],
            properties: {
                urn: `${URN}netra-status-page`,
                enforcementLevel: "advisory",
                resourceType: "gcp:cloudrun/service:Service",
                resourceName: "netra-status-page",
            },
        });
        expect(run.results).to.have.length(3);
    });

    it("describes rule workload-managed-by-stack in words of its own", () => {
        const rule = runOf("Pulumi.staging.yaml").tool.driver.rules[2] as unknown;
        expect(rule).to.deep.equal({
            id: "workload-managed-by-stack",
            name: "workload-managed-by-stack",
            shortDescription: { text: "Cloud Run workload managed by the stack" },
            fullDescription: {
                text:
                    "Every Cloud Run service, job and worker pool in the project is declared by the stack's program; one that is not was " +
                    "deployed another way, and no preview or policy check sees its next change.",
            },
            defaultConfiguration: { level: "warning" },
            properties: { enforcementLevel: "advisory" },
        });
    });

    it("keeps the report's own counts: an unmanaged workload is not a policy violation", () => {
        expect(runOf("Pulumi.staging.yaml").properties.summary).to.deep.equal({ resources: 2, mandatory: 2, advisory: 0, unmanaged: 1 });
    });

    it("has neither the rule nor its results when nothing was compared (no --stack)", () => {
        const run = runOf(null);
        expect(run.tool.driver.rules.map((rule) => rule.id)).to.deep.equal(["grants", "must"]);
        expect(run.results.map((result) => result.ruleId)).to.deep.equal(["must", "grants"]);
    });
});
