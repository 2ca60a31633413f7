import { expect } from "chai";
import fc from "fast-check";
import {
    buildReport,
    type CheckReport,
    errorJson,
    errorMarkdown,
    escapeMarkdown,
    escapeText,
    counted,
    exitCodeOf,
    renderErrorDocument,
    renderHuman,
    renderMarkdown,
    summarySentence,
    widthOf,
    wrap,
} from "../../check/report";
import { markdownCode } from "../../check/report/escape";
import { parentName, resourceLabel, unknownInvokes, weakenedMandatoryPolicies } from "../../check/report/model";

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

const RICH_STACK = "urn:pulumi:staging::netra-platform::pulumi:pulumi:Stack::netra-platform-staging";
const RICH_COMPONENT = "urn:pulumi:staging::netra-platform::netra:cloudrun:Service::api";
const RICH_SERVICE = "urn:pulumi:staging::netra-platform::netra:cloudrun:Service$gcp:cloudrunv2/service:Service::api-service";
const RICH_ACCOUNT = "urn:pulumi:staging::netra-platform::gcp:serviceaccount/account:Account::api-sa";

/** A preview with every part a report can have: changed levels, three kinds of violation, invokes. */
function richReport(): CheckReport {
    return buildReport({
        stack: "staging",
        project: "netra-platform",
        preview: true,
        policyConfig: {
            file: null,
            changed: [
                { policy: "cloudrun-required-env-vars", default: "mandatory", level: "advisory" },
                { policy: "cloudrun-images-pinned-by-digest", default: "advisory", level: "mandatory" },
                { policy: "secret-version-survives-rotation", default: "mandatory", level: "disabled" },
            ],
        },
        resources: [
            { urn: RICH_STACK, type: "pulumi:pulumi:Stack", name: "netra-platform-staging", parent: null },
            { urn: RICH_COMPONENT, type: "netra:cloudrun:Service", name: "api", parent: RICH_STACK },
            { urn: RICH_SERVICE, type: "gcp:cloudrunv2/service:Service", name: "api-service", parent: RICH_COMPONENT },
            { urn: RICH_ACCOUNT, type: "gcp:serviceaccount/account:Account", name: "api-sa", parent: RICH_COMPONENT },
        ],
        violations: [
            {
                policy: "cloudrun-images-pinned-by-digest",
                enforcementLevel: "mandatory",
                urn: RICH_SERVICE,
                message: "image is not pinned by digest",
            },
            { policy: "cloudrun-required-env-vars", enforcementLevel: "advisory", urn: null, message: "ENVIRONMENT is missing" },
            { policy: "fix-it", enforcementLevel: "remediate", urn: "urn:pulumi:staging::netra-platform::x:y:Z::gone", message: "" },
        ],
        invokes: [
            { token: "gcp:secretmanager/getSecretVersion:getSecretVersion", answer: "unknown", count: 1 },
            { token: "gcp:organizations/getProject:getProject", answer: "stack-config", count: 3 },
            { token: "gcp:x/y:z", answer: "unknown", count: 2 },
        ],
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
        it("gives JSON without a stack when none is known", () => {
            expect(errorJson("check: --stack is required")).to.deep.equal({ error: "check: --stack is required", exitCode: 2 });
        });

        it("gives Markdown without a stack heading when none is known, one paragraph line per line of the reason", () => {
            expect(errorMarkdown("first\nsecond *x*").split("\n")).to.deep.equal([
                "## Policy check ⚠️ could not run",
                "",
                "first  ",
                "second \\*x\\*  ",
                "",
                "No resource was judged; the check exits 2.",
            ]);
            expect(errorMarkdown(`${"y".repeat(2001)}`).split("\n")[2]).to.equal(`${"y".repeat(2000)}... (1 more characters)  `);
        });

        it("renders the error document in the format asked for, and none for the human format", () => {
            const tool = { name: "netra-offline-check", version: "1.0.0" };
            expect(renderErrorDocument("human", "bad", tool, "staging")).to.equal(undefined);
            expect(renderErrorDocument("json", "bad", tool, "staging")).to.equal(
                '{\n  "stack": "staging",\n  "error": "bad",\n  "exitCode": 2\n}',
            );
            expect(renderErrorDocument("markdown", "bad", tool)).to.equal(
                "## Policy check ⚠️ could not run\n\nbad  \n\nNo resource was judged; the check exits 2.",
            );
            expect(JSON.parse(renderErrorDocument("sarif", "bad", tool) ?? "")).to.deep.equal({
                $schema: "https://json.schemastore.org/sarif-2.1.0.json",
                version: "2.1.0",
                runs: [
                    {
                        tool: { driver: { name: "netra-offline-check", version: "1.0.0" } },
                        invocations: [
                            {
                                executionSuccessful: false,
                                exitCode: 2,
                                toolExecutionNotifications: [{ level: "error", message: { text: "bad" } }],
                            },
                        ],
                        results: [],
                    },
                ],
            });
            expect(renderErrorDocument("sarif", "bad", tool)).to.match(/^\{\n {2}"\$schema"/);
        });
    });
    describe("report model", () => {
        it("counts mandatory and advisory violations only, and fails on a mandatory one", () => {
            const report = richReport();
            expect(report.summary).to.deep.equal({ resources: 4, mandatory: 1, advisory: 1 });
            expect(exitCodeOf(report)).to.equal(1);
            const advisoryOnly = buildReport({ ...report, violations: report.violations.slice(1) });
            expect(advisoryOnly.summary).to.deep.equal({ resources: 4, mandatory: 0, advisory: 1 });
            expect(exitCodeOf(advisoryOnly)).to.equal(0);
        });

        it("counts nouns in the singular for one and in the given plural otherwise", () => {
            expect(counted(0, "call")).to.equal("0 calls");
            expect(counted(1, "call")).to.equal("1 call");
            expect(counted(2, "policy", "policies")).to.equal("2 policies");
            expect(counted(1, "policy", "policies")).to.equal("1 policy");
            expect(summarySentence(richReport())).to.equal("4 resources, 1 mandatory violation and 1 advisory violation");
        });

        it("names the mandatory policies a config weakened, not those it raised or kept", () => {
            const report = reportWith("api", "m", {
                policyConfig: {
                    file: "p.json",
                    changed: [
                        { policy: "a", default: "mandatory", level: "advisory" },
                        { policy: "b", default: "advisory", level: "mandatory" },
                        { policy: "c", default: "mandatory", level: "mandatory" },
                        { policy: "d", default: "advisory", level: "disabled" },
                        { policy: "e", default: "mandatory", level: "disabled" },
                    ],
                },
            });
            expect(weakenedMandatoryPolicies(report).map((change) => change.policy)).to.deep.equal(["a", "e"]);
            expect(weakenedMandatoryPolicies(reportWith("api", "m", { policyConfig: undefined }))).to.deep.equal([]);
            expect(unknownInvokes(reportWith("api", "m"))).to.deep.equal([]);
        });

        it("labels a resource by type and name, an unlisted URN by its name part, and the stack as (stack)", () => {
            const resources = richReport().resources;
            expect(resourceLabel(RICH_SERVICE, resources)).to.equal('gcp:cloudrunv2/service:Service "api-service"');
            expect(resourceLabel("urn:pulumi:s::p::t::gone", resources)).to.equal("gone");
            expect(resourceLabel("not-a-urn", resources)).to.equal("not-a-urn");
            expect(resourceLabel(null, resources)).to.equal("(stack)");
            expect(parentName(RICH_COMPONENT)).to.equal("api");
            expect(parentName(null)).to.equal("(stack)");
        });
    });

    describe("human report, whole", () => {
        it("lays out the config, the table, each violation, the unknown invokes, the weakened policies and the verdict", () => {
            expect(renderHuman(richReport()).split("\n")).to.deep.equal([
                "Stack netra-platform/staging (preview: cloud-computed values unknown)",
                "Policy config: none (the pack's defaults)",
                "    cloudrun-required-env-vars: mandatory in the pack, advisory here",
                "    cloudrun-images-pinned-by-digest: advisory in the pack, mandatory here",
                "    secret-version-survives-rotation: mandatory in the pack, disabled here",
                "",
                "TYPE                                NAME                    PARENT",
                "pulumi:pulumi:Stack                 netra-platform-staging  (stack)",
                "netra:cloudrun:Service              api                     netra-platform-staging",
                "gcp:cloudrunv2/service:Service      api-service             api",
                "gcp:serviceaccount/account:Account  api-sa                  api",
                "",
                'MANDATORY cloudrun-images-pinned-by-digest: gcp:cloudrunv2/service:Service "api-service"',
                "    image is not pinned by digest",
                "ADVISORY cloudrun-required-env-vars: (stack)",
                "    ENVIRONMENT is missing",
                "REMEDIATE fix-it: gone",
                "",
                "Invokes answered as unknown offline (the program saw values not yet known, as in a first preview):",
                "    gcp:secretmanager/getSecretVersion:getSecretVersion (1 call)",
                "    gcp:x/y:z (2 calls)",
                "",
                "Mandatory policies not enforced by this policy config: cloudrun-required-env-vars (advisory),",
                "secret-version-survives-rotation (disabled).",
                "",
                "4 resources, 1 mandatory violation and 1 advisory violation: FAILED.",
            ]);
        });

        it("keeps to 40 columns however narrow the terminal, cutting table cells (not below 8) with ...", () => {
            expect(renderHuman(richReport(), { width: 10 }).split("\n")).to.deep.equal([
                "Stack netra-platform/staging (preview:",
                "cloud-computed values unknown)",
                "Policy config: none (the pack's",
                "defaults)",
                "    cloudrun-required-env-vars:",
                "    mandatory in the pack, advisory here",
                "    cloudrun-images-pinned-by-digest:",
                "    advisory in the pack, mandatory here",
                "    secret-version-survives-rotation:",
                "    mandatory in the pack, disabled here",
                "",
                "TYPE          NAME          PARENT",
                "pulumi:pu...  netra-pla...  (stack)",
                "netra:clo...  api           netra-pla...",
                "gcp:cloud...  api-service   api",
                "gcp:servi...  api-sa        api",
                "",
                "MANDATORY",
                "    cloudrun-images-pinned-by-digest:",
                "    gcp:cloudrunv2/service:Service",
                '    "api-service"',
                "    image is not pinned by digest",
                "ADVISORY cloudrun-required-env-vars:",
                "    (stack)",
                "    ENVIRONMENT is missing",
                "REMEDIATE fix-it: gone",
                "",
                "Invokes answered as unknown offline (the",
                "program saw values not yet known, as in",
                "a first preview):",
                "    gcp:secretmanager/getSecretVersion:g",
                "    etSecretVersion (1 call)",
                "    gcp:x/y:z (2 calls)",
                "",
                "Mandatory policies not enforced by this",
                "policy config:",
                "cloudrun-required-env-vars (advisory),",
                "secret-version-survives-rotation",
                "(disabled).",
                "",
                "4 resources, 1 mandatory violation and 1",
                "advisory violation: FAILED.",
            ]);
        });

        it("says so when nothing is violated, and leaves out what the report does not have", () => {
            const clean = buildReport({
                stack: "dev",
                project: "p",
                preview: false,
                resources: [{ urn: RICH_STACK, type: "pulumi:pulumi:Stack", name: "p-dev", parent: null }],
                violations: [],
            });
            expect(renderHuman(clean).split("\n")).to.deep.equal([
                "Stack p/dev",
                "",
                "TYPE                 NAME   PARENT",
                "pulumi:pulumi:Stack  p-dev  (stack)",
                "",
                "No policy violations.",
                "",
                "1 resource, 0 mandatory violations and 0 advisory violations: passed.",
            ]);
        });

        it("wraps at exactly the width: a word that fits at the end stays on the line", () => {
            expect(wrap("ab cd", 5)).to.deep.equal(["ab cd"]);
            expect(wrap("ab cde", 5)).to.deep.equal(["ab", "cde"]);
            expect(wrap("abcde", 5)).to.deep.equal(["abcde"]);
            expect(wrap("abcdef", 5)).to.deep.equal(["abcde", "f"]);
            expect(wrap("  a   b  ", 5)).to.deep.equal(["a b"]);
            expect(wrap("", 5)).to.deep.equal([]);
        });

        it("keeps a table that fits the width exactly as it is", () => {
            const report = buildReport({
                stack: "dev",
                project: "p",
                preview: false,
                resources: [{ urn: "urn:pulumi:dev::p::t::n", type: "t".repeat(19), name: "n".repeat(10), parent: null }],
                violations: [],
            });
            expect(renderHuman(report, { width: 40 }).split("\n")[3]).to.equal(`${"t".repeat(19)}  ${"n".repeat(10)}  (stack)`);
            expect(renderHuman(report, { width: 39 }).split("\n")[3]).to.equal(`${"t".repeat(19)}  ${"n".repeat(10)}  (stack)`);
        });

        it("takes the terminal's width only from a terminal that reports a positive number of columns", () => {
            expect(widthOf({ isTTY: true, columns: 0 })).to.equal(100);
            expect(widthOf({ isTTY: true })).to.equal(100);
            expect(widthOf({ columns: 72 })).to.equal(100);
            expect(widthOf({ isTTY: true, columns: 1 })).to.equal(1);
        });
    });

    describe("Markdown summary, whole", () => {
        it("gives the verdict, the config and its changes, the violations, the unknown invokes and the resources by type", () => {
            expect(renderMarkdown(richReport()).split("\n")).to.deep.equal([
                "## Policy check: netra-platform/staging (preview) ❌ failed",
                "",
                "4 resources, 1 mandatory violation and 1 advisory violation.",
                "",
                "Judged with policy config none (the pack's defaults).",
                "",
                "> **⚠️ 2 mandatory policies not enforced** by this policy config: `cloudrun-required-env-vars` (advisory), `secret-version-survives-rotation` (disabled). Their findings cannot fail this check.",
                "",
                "| Policy | Pack default | Level here |",
                "| --- | --- | --- |",
                "| `cloudrun-required-env-vars` | mandatory | advisory |",
                "| `cloudrun-images-pinned-by-digest` | advisory | mandatory |",
                "| `secret-version-survives-rotation` | mandatory | disabled |",
                "",
                "| Level | Policy | Resource | Message |",
                "| --- | --- | --- | --- |",
                '| mandatory | `cloudrun-images-pinned-by-digest` | gcp:cloudrunv2/service:Service "api-service" | image is not pinned by digest |',
                "| advisory | `cloudrun-required-env-vars` | (stack) | ENVIRONMENT is missing |",
                "| remediate | `fix-it` | gone |  |",
                "",
                "Invokes answered as unknown offline (the program saw values not yet known, as in a first preview): `gcp:secretmanager/getSecretVersion:getSecretVersion` (1 call), `gcp:x/y:z` (2 calls).",
                "",
                "<details><summary>Resources by type</summary>",
                "",
                "| Type | Count |",
                "| --- | --- |",
                "| `gcp:cloudrunv2/service:Service` | 1 |",
                "| `gcp:serviceaccount/account:Account` | 1 |",
                "| `netra:cloudrun:Service` | 1 |",
                "| `pulumi:pulumi:Stack` | 1 |",
                "",
                "</details>",
            ]);
        });

        it("passes a clean stack, counts resources of one type together, and leaves out what the report does not have", () => {
            const b = "urn:pulumi:dev::p::gcp:x:B::b";
            const clean = buildReport({
                stack: "dev",
                project: "p",
                preview: false,
                policyConfig: { file: "policies/config/dev.json", changed: [] },
                resources: [
                    { urn: "urn:pulumi:dev::p::gcp:x:B::b1", type: "gcp:x:B", name: "b1", parent: null },
                    { urn: "urn:pulumi:dev::p::gcp:x:A::a", type: "gcp:x:A", name: "a", parent: null },
                    { urn: b, type: "gcp:x:B", name: "b", parent: null },
                    { urn: "urn:pulumi:dev::p::gcp:x:C::c", type: "gcp:x:C", name: "c", parent: null },
                ],
                violations: [],
                invokes: [{ token: "gcp:organizations/getProject:getProject", answer: "stack-config", count: 1 }],
            });
            expect(renderMarkdown(clean).split("\n")).to.deep.equal([
                "## Policy check: p/dev ✅ passed",
                "",
                "4 resources, 0 mandatory violations and 0 advisory violations.",
                "",
                "Judged with policy config `policies/config/dev.json`.",
                "",
                "<details><summary>Resources by type</summary>",
                "",
                "| Type | Count |",
                "| --- | --- |",
                "| `gcp:x:A` | 1 |",
                "| `gcp:x:B` | 2 |",
                "| `gcp:x:C` | 1 |",
                "",
                "</details>",
            ]);
            expect(
                renderMarkdown(buildReport({ ...clean, policyConfig: undefined }))
                    .split("\n")
                    .slice(0, 5),
            ).to.deep.equal([
                "## Policy check: p/dev ✅ passed",
                "",
                "4 resources, 0 mandatory violations and 0 advisory violations.",
                "",
                "<details><summary>Resources by type</summary>",
            ]);
        });
    });

    describe("code spans in Markdown", () => {
        it("writes a plain token as code, and anything else (or a token too long) as escaped text", () => {
            expect(markdownCode("gcp:cloudrunv2/service:Service")).to.equal("`gcp:cloudrunv2/service:Service`");
            expect(markdownCode("a.b_c$d@e=f-1")).to.equal("`a.b_c$d@e=f-1`");
            expect(markdownCode("a`b")).to.equal("a\\`b");
            expect(markdownCode("a b")).to.equal("a b");
            expect(markdownCode(" a")).to.equal(" a");
            expect(markdownCode("a ")).to.equal("a ");
            expect(markdownCode("")).to.equal("");
            expect(markdownCode("x".repeat(500))).to.equal(`\`${"x".repeat(500)}\``);
            expect(markdownCode("x".repeat(501))).to.equal(`${"x".repeat(500)}... (1 more characters)`);
        });

        it("escapes each Markdown special character and each HTML one", () => {
            expect(escapeMarkdown("\\ ` * _ [ ] | ~ & < > # + ! ( )")).to.equal(
                "\\\\ \\` \\* \\_ \\[ \\] \\| \\~ &amp; &lt; &gt; # + ! ( )",
            );
        });
    });

    describe("escaping, at its edges", () => {
        it("keeps printable ASCII from space to tilde, and writes DEL and the C0 controls as code points", () => {
            expect(escapeText(" ~azAZ09")).to.equal(" ~azAZ09");
            expect(escapeText("\u007f\u001f\u0000\u00a0")).to.equal("\\u007f\\u001f\\u0000\\u00a0");
            expect(escapeText("\u{10000}")).to.equal("\\u{10000}");
            expect(escapeText("\uffff")).to.equal("\\uffff");
        });

        it("cuts only text longer than the limit, and at the limit a caller gives", () => {
            expect(escapeText("x".repeat(500))).to.equal("x".repeat(500));
            expect(escapeText("x".repeat(501))).to.equal(`${"x".repeat(500)}... (1 more characters)`);
            expect(escapeText("abcdef", 3)).to.equal("abc... (3 more characters)");
            expect(escapeText("a\nb", 2)).to.equal("a\\n... (1 more characters)");
            expect(escapeMarkdown("a*bcdef", 3)).to.equal("a\\*b... (4 more characters)");
        });
    });
});
