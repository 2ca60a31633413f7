import { expect } from "chai";
import fc from "fast-check";
import {
    buildReport,
    type CheckReport,
    errorJson,
    errorMarkdown,
    escapeMarkdown,
    escapeText,
    renderHuman,
    renderMarkdown,
    widthOf,
    wrap,
} from "../../check/report";

const STACK_URN = "urn:pulumi:staging::netra-platform::pulumi:pulumi:Stack::netra-platform-staging";
const SERVICE_URN = "urn:pulumi:staging::netra-platform::gcp:cloudrunv2/service:Service::api";

/** A report with the given resource name and violation message (the parts a program or pack chooses). */
function reportWith(name: string, message: string, extra: Partial<CheckReport> = {}): CheckReport {
    return buildReport({
        stack: "staging",
        project: "netra-platform",
        preview: false,
        policyConfig: { file: "policies/config/staging.json", changed: [] },
        resources: [
            { urn: STACK_URN, type: "pulumi:pulumi:Stack", name: "netra-platform-staging", parent: null },
            { urn: SERVICE_URN, type: "gcp:cloudrunv2/service:Service", name, parent: STACK_URN },
        ],
        violations: [{ policy: "cloudrun-required-env-vars", enforcementLevel: "mandatory", urn: SERVICE_URN, message }],
        ...extra,
    });
}

const FORGED_VERDICT = "1 resource, 0 mandatory violations and 0 advisory violations: passed.";

describe("report writers", () => {
    describe("escaping", () => {
        it("writes control, invisible and look-alike characters visibly, and cuts long text saying how much", () => {
            expect(escapeText("a\nb\r\tc\u001b[31m\u200b\u0455\u{1f600}\u0085\u2028")).to.equal(
                "a\\nb\\r\\tc\\u001b[31m\\u200b\\u0455\\u{1f600}\\u0085\\u2028",
            );
            expect(escapeText("x".repeat(600))).to.equal(`${"x".repeat(500)}... (100 more characters)`);
        });

        it("keeps HTML and Markdown as text in the Markdown summary", () => {
            expect(escapeMarkdown('deploy <image>@sha256:<digest> | `x` *y* [l](u) & <img src="z">')).to.equal(
                'deploy &lt;image&gt;@sha256:&lt;digest&gt; \\| \\`x\\` \\*y\\* \\[l\\](u) &amp; &lt;img src="z"&gt;',
            );
        });

        it("gives one line of printable ASCII for any text (property)", () => {
            fc.assert(
                fc.property(fc.string({ unit: "binary" }), (text) => {
                    expect(escapeText(text)).to.match(/^[\x20-\x7e]*$/);
                    expect(escapeMarkdown(text)).to.match(/^[\x20-\x7e]*$/);
                    expect(escapeMarkdown(text)).not.to.match(/<|(?<!\\)\|/);
                }),
            );
        });
    });

    describe("human table", () => {
        it("never lets a resource name start a line or forge the verdict", () => {
            const text = renderHuman(reportWith(`api\n\n${FORGED_VERDICT}\u001b[2K`, "no ENVIRONMENT"));
            const lines = text.split("\n");
            expect(lines.filter((line) => line.includes(FORGED_VERDICT))).to.deep.equal([]);
            expect(lines.some((line) => /^\s*1 resource, 0 mandatory/.test(line))).to.equal(false);
            expect(text).not.to.include("\u001b");
            expect(lines[lines.length - 1]).to.equal("2 resources, 1 mandatory violation and 0 advisory violations: FAILED.");
        });

        it("fits 100 columns when not a terminal, and the terminal's width when it is one", () => {
            expect(widthOf({ isTTY: false, columns: 300 })).to.equal(100);
            expect(widthOf({})).to.equal(100);
            expect(widthOf({ isTTY: true, columns: 72 })).to.equal(72);
            const long = "word ".repeat(80).trim();
            for (const width of [100, 72]) {
                const lines = renderHuman(reportWith("a".repeat(150), long), { width }).split("\n");
                expect(Math.max(...lines.map((line) => line.length))).to.be.at.most(width);
            }
        });

        it("wraps a long message under its row, indented", () => {
            const lines = renderHuman(reportWith("api", "word ".repeat(40).trim()), { width: 80 }).split("\n");
            const head = lines.indexOf('MANDATORY cloudrun-required-env-vars: gcp:cloudrunv2/service:Service "api"');
            expect(head).to.be.greaterThan(0);
            expect(lines.slice(head + 1, head + 4)).to.deep.equal([
                `    ${"word ".repeat(15).trim()}`,
                `    ${"word ".repeat(15).trim()}`,
                `    ${"word ".repeat(10).trim()}`,
            ]);
        });

        it("cuts a word longer than the line into pieces", () => {
            expect(wrap(`ab ${"x".repeat(12)} cd`, 5)).to.deep.equal(["ab", "xxxxx", "xxxxx", "xx cd"]);
        });

        it("counts in the singular for one", () => {
            const one = buildReport({
                stack: "staging",
                project: "p",
                preview: false,
                resources: [{ urn: STACK_URN, type: "pulumi:pulumi:Stack", name: "s", parent: null }],
                violations: [{ policy: "x", enforcementLevel: "advisory", urn: null, message: "m" }],
            });
            expect(renderHuman(one).split("\n").pop()).to.equal("1 resource, 0 mandatory violations and 1 advisory violation: passed.");
        });

        it("names the policy config and each policy whose level it changed", () => {
            const text = renderHuman(
                reportWith("api", "m", {
                    policyConfig: {
                        file: "policies/config/lenient.json",
                        changed: [{ policy: "cloudrun-required-env-vars", default: "mandatory", level: "disabled" }],
                    },
                }),
            );
            expect(text.split("\n").slice(1, 3)).to.deep.equal([
                "Policy config: policies/config/lenient.json",
                "    cloudrun-required-env-vars: mandatory in the pack, disabled here",
            ]);
            expect(text).to.include("Mandatory policies not enforced by this policy config: cloudrun-required-env-vars (disabled).");
        });

        it("lists the invokes answered as unknown", () => {
            const text = renderHuman(
                reportWith("api", "m", {
                    invokes: [
                        { token: "gcp:organizations/getProject:getProject", answer: "stack-config", count: 1 },
                        { token: "gcp:secretmanager/getSecretVersion:getSecretVersion", answer: "unknown", count: 2 },
                    ],
                }),
            );
            expect(text).to.include(
                "Invokes answered as unknown offline (the program saw values not yet known, as in a first preview):\n    gcp:secretmanager/getSecretVersion:getSecretVersion (2 calls)\n",
            );
            expect(text).not.to.include("getProject");
        });
    });

    describe("Markdown summary", () => {
        it("escapes HTML and table syntax in names and messages", () => {
            const text = renderMarkdown(reportWith('<img src=x onerror="alert(1)">|x', "deploy <image>@sha256:<digest>"));
            expect(text).to.include(
                '| mandatory | `cloudrun-required-env-vars` | gcp:cloudrunv2/service:Service "&lt;img src=x onerror="alert(1)"&gt;\\|x" | deploy &lt;image&gt;@sha256:&lt;digest&gt; |',
            );
            expect(text).not.to.include("<img");
        });

        it("shows a mandatory policy the config turned off, near the top, where a reviewer sees it", () => {
            const lines = renderMarkdown(
                reportWith("api", "m", {
                    policyConfig: {
                        file: "policies/config/lenient.json",
                        changed: [
                            { policy: "cloudrun-required-env-vars", default: "mandatory", level: "disabled" },
                            { policy: "secret-version-survives-rotation", default: "advisory", level: "mandatory" },
                        ],
                    },
                }),
            ).split("\n");
            expect(lines.slice(0, 13)).to.deep.equal([
                "## Policy check: netra-platform/staging ❌ failed",
                "",
                "2 resources, 1 mandatory violation and 0 advisory violations.",
                "",
                "Judged with policy config `policies/config/lenient.json`.",
                "",
                "> **⚠️ 1 mandatory policy not enforced** by this policy config: `cloudrun-required-env-vars` (disabled). Their findings cannot fail this check.",
                "",
                "| Policy | Pack default | Level here |",
                "| --- | --- | --- |",
                "| `cloudrun-required-env-vars` | mandatory | disabled |",
                "| `secret-version-survives-rotation` | advisory | mandatory |",
                "",
            ]);
        });
    });

    describe("error documents (exit 2)", () => {
        it("gives JSON with the line and the exit code", () => {
            expect(errorJson("check: --stack is required", "staging")).to.deep.equal({
                stack: "staging",
                error: "check: --stack is required",
                exitCode: 2,
            });
        });

        it("gives Markdown that says the check could not run and why, escaped", () => {
            expect(errorMarkdown("Pulumi.staging.yaml: `x` is <bad>", "staging").split("\n")).to.deep.equal([
                "## Policy check: staging ⚠️ could not run",
                "",
                "Pulumi.staging.yaml: \\`x\\` is &lt;bad&gt;  ",
                "",
                "No resource was judged; the check exits 2.",
            ]);
        });
    });
});
