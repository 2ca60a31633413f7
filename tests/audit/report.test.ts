import { expect } from "chai";
import { type AuditReportResource, buildAuditReport, renderAuditHuman, renderAuditMarkdown } from "../../audit/report";

const URN = "urn:pulumi:staging::netra-platform::";

const MANAGED: AuditReportResource = {
    urn: `${URN}gcp:cloudrun/service:Service::netra-auth-service`,
    type: "gcp:cloudrun/service:Service",
    name: "netra-auth-service",
    parent: null,
    source: "services.json",
    managed: true,
};
const UNMANAGED: AuditReportResource = {
    urn: `${URN}gcp:cloudrun/service:Service::netra-scratch-api`,
    type: "gcp:cloudrun/service:Service",
    name: "netra-scratch-api",
    parent: null,
    source: "services.json",
    managed: false,
};
const GRANT: AuditReportResource = {
    urn: `${URN}gcp:projects/iAMBinding:IAMBinding::netra-staging/roles/owner`,
    type: "gcp:projects/iAMBinding:IAMBinding",
    name: "netra-staging/roles/owner",
    parent: null,
    source: "netra-staging.project-iam.json",
    managed: null,
};

function report(overrides: Partial<Parameters<typeof buildAuditReport>[0]> = {}) {
    return buildAuditReport({
        stack: "staging",
        project: "netra-platform",
        resources: [MANAGED, UNMANAGED, GRANT],
        violations: [
            {
                policy: "cloudrun-required-env-vars",
                enforcementLevel: "mandatory",
                urn: UNMANAGED.urn,
                message: "Container does not set ENVIRONMENT.",
            },
            { policy: "cloudrun-images-pinned-by-digest", enforcementLevel: "advisory", urn: MANAGED.urn, message: "Pin it." },
        ],
        inputs: [
            { file: "services.json", kind: "gcloud run services list (Knative JSON, Admin API v1)", resources: 2 },
            { file: "netra-staging.project-iam.json", kind: "IAM policy of project netra-staging", resources: 1 },
        ],
        comparedWith: "Pulumi.staging.yaml",
        notJudged: [],
        ...overrides,
    });
}

describe("audit: report", () => {
    it("counts what the check counts, plus the workloads the stack does not manage (a not-compared resource is not one)", () => {
        expect(report().summary).to.deep.equal({ resources: 3, mandatory: 1, advisory: 1, unmanaged: 1 });
        expect(report({ resources: [MANAGED, GRANT] }).summary.unmanaged).to.equal(0);
    });

    it("puts the audit's own fields after the check's, in the JSON document", () => {
        const built = report({ policyConfig: { file: null, changed: [] } });
        expect(Object.keys(built)).to.deep.equal([
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
        expect([built.preview, built.resources, built.comparedWith]).to.deep.equal([
            false,
            [MANAGED, UNMANAGED, GRANT],
            "Pulumi.staging.yaml",
        ]);
    });

    describe("human", () => {
        it("lists every input with its kind and count, then the unmanaged workloads with their file, then the check's report", () => {
            const lines = renderAuditHuman(report()).split("\n");
            expect(lines.slice(0, 6)).to.deep.equal([
                "Audit inputs:",
                "  services.json: gcloud run services list (Knative JSON, Admin API v1), 2 resources",
                "  netra-staging.project-iam.json: IAM policy of project netra-staging, 1 resource",
                "Not managed by this stack (the program with Pulumi.staging.yaml declares no such Cloud Run service, job or worker pool):",
                '  gcp:cloudrun/service:Service "netra-scratch-api" (services.json)',
                "",
            ]);
            expect(lines[6]).to.equal("Stack netra-platform/staging");
            expect(lines.at(-1)).to.equal("3 resources, 1 mandatory violation and 1 advisory violation: FAILED.");
        });

        it("says every workload is declared when none is unmanaged", () => {
            expect(renderAuditHuman(report({ resources: [MANAGED], violations: [] })).split("\n")[3]).to.equal(
                "Every Cloud Run service, job and worker pool is declared by the program with Pulumi.staging.yaml.",
            );
        });

        it("says nothing was compared without --stack, and flags nothing", () => {
            const lines = renderAuditHuman(report({ comparedWith: null, resources: [{ ...UNMANAGED, managed: null }] })).split("\n");
            expect(lines.slice(3, 5)).to.deep.equal(["Not compared with a program (no --stack): nothing is flagged as not managed.", ""]);
        });

        it("names each policy it could not judge, its reason wrapped to fit the width, indented under it", () => {
            const reason = "no IAM policy or state export among the inputs, so no grant is known";
            const lines = renderAuditHuman(report({ notJudged: [{ policy: "secret-access-scoped", reason }] }), { width: 50 }).split("\n");
            expect(lines.slice(5, 8)).to.deep.equal([
                "Not judged: secret-access-scoped: no IAM",
                "    policy or state export among the inputs, so no",
                "    grant is known",
            ]);
        });

        it("wraps at 100 columns when no width is given", () => {
            const reason = `${"word ".repeat(30)}end`;
            const lines = renderAuditHuman(report({ notJudged: [{ policy: "p", reason }] })).split("\n");
            expect(lines[5]).to.equal(`Not judged: p: ${"word ".repeat(15)}word`);
            expect(lines[5]).to.have.length(94);
            expect(lines[6]).to.equal(`    ${"word ".repeat(14)}end`);
        });

        it("escapes a live file name and resource name, which anyone could have chosen", () => {
            const rogue: AuditReportResource = { ...UNMANAGED, name: "evil\u001b[2Jname", source: "live\nfile.json" };
            const lines = renderAuditHuman(
                report({
                    resources: [rogue],
                    violations: [],
                    inputs: [{ file: "live\nfile.json", kind: "gcloud run services list", resources: 1 }],
                }),
            ).split("\n");
            expect(lines.slice(1, 5)).to.deep.equal([
                "  live\\nfile.json: gcloud run services list, 1 resource",
                "Not managed by this stack (the program with Pulumi.staging.yaml declares no such Cloud Run service, job or worker pool):",
                '  gcp:cloudrun/service:Service "evil\\u001b[2Jname" (live\\nfile.json)',
                "",
            ]);
        });
    });

    describe("Markdown", () => {
        it("adds the unmanaged workloads, then the inputs, after the check's summary", () => {
            const text = renderAuditMarkdown(report());
            expect(text.split("\n")[0]).to.equal("## Policy check: netra-platform/staging ❌ failed");
            expect(text.slice(text.indexOf("</details>"))).to.equal(
                [
                    "</details>",
                    "",
                    "### Not managed by this stack (1)",
                    "",
                    "| Resource | Read from |",
                    "| --- | --- |",
                    '| gcp:cloudrun/service:Service "netra-scratch-api" | `services.json` |',
                    "",
                    "### Inputs",
                    "",
                    "| File | Kind | Resources |",
                    "| --- | --- | --- |",
                    "| `services.json` | gcloud run services list (Knative JSON, Admin API v1) | 2 |",
                    "| `netra-staging.project-iam.json` | IAM policy of project netra-staging | 1 |",
                ].join("\n"),
            );
        });

        it("says every workload is declared, and lists what it could not judge", () => {
            const text = renderAuditMarkdown(
                report({
                    resources: [MANAGED],
                    violations: [],
                    inputs: [],
                    notJudged: [{ policy: "secret-access-scoped", reason: "no grants" }],
                }),
            );
            expect(text.slice(text.indexOf("</details>"))).to.equal(
                [
                    "</details>",
                    "",
                    "### Not managed by this stack (0)",
                    "",
                    "Every Cloud Run service, job and worker pool is declared by the program with `Pulumi.staging.yaml`.",
                    "",
                    "### Not judged",
                    "",
                    "- `secret-access-scoped`: no grants",
                    "",
                    "### Inputs",
                    "",
                    "| File | Kind | Resources |",
                    "| --- | --- | --- |",
                ].join("\n"),
            );
        });

        it("has no unmanaged section without --stack", () => {
            const text = renderAuditMarkdown(report({ comparedWith: null }));
            expect(text).not.to.include("Not managed");
            expect(text.slice(text.indexOf("</details>")).split("\n").slice(0, 3)).to.deep.equal(["</details>", "", "### Inputs"]);
        });

        it("keeps a file name or kind from breaking out of its table cell", () => {
            const text = renderAuditMarkdown(
                report({ resources: [], violations: [], inputs: [{ file: "a|b.json", kind: "x | <b>y</b>", resources: 0 }] }),
            );
            expect(text.split("\n").at(-1)).to.equal("| `a\\|b.json` | x \\| &lt;b&gt;y&lt;/b&gt; | 0 |");
        });
    });
});
