import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { AuditInputError, describeGiven, describeToken, formatJsonPath } from "../../audit/input-error";
import { readAuditInput } from "../../audit/read-input";
import { scratchFiles } from "./support";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const WORKLOADS =
    "a Cloud Run Service (apiVersion serving.knative.dev/v1, kind Service) or Job (apiVersion run.googleapis.com/v1, kind Job)";
const DOCUMENTS =
    "a gcloud run services/jobs list or describe (--format=json), Cloud Run Admin API v2 services or jobs (list or get), " +
    "a `pulumi stack export` (version 3), or an IAM policy named <secret-id>.secret-iam.json (gcloud secrets get-iam-policy) " +
    "or <project-id>.project-iam.json (gcloud projects get-iam-policy)";

function service(spec: unknown): Record<string, unknown> {
    return { apiVersion: "serving.knative.dev/v1", kind: "Service", metadata: { name: "netra-api" }, spec: { template: { spec } } };
}

function state(resource: Record<string, unknown>): Record<string, unknown> {
    return {
        version: 3,
        deployment: { resources: [{ urn: "urn:pulumi:staging::netra-platform::gcp:x/y:Z::z", type: "gcp:x/y:Z", ...resource }] },
    };
}

/** File name, content, and the one line the audit must give. */
const CASES: readonly [string, unknown, string][] = [
    [
        "services.json",
        '[{"apiVersion": "serving.knative.dev/v1",\n  kind: "Service"}]',
        "services.json: is not JSON (line 2, column 3); expected the output of a `--format=json` command",
    ],
    ["services.json", "  \n", "services.json: is empty; expected the JSON output of a `--format=json` command"],
    ["services.json", 42, `services.json: $: is a number; expected ${DOCUMENTS}`],
    [
        "services.json",
        { hello: "world", items: 3 },
        `services.json: $: is an object with hello, items, not a known document; expected ${DOCUMENTS}`,
    ],
    [
        "revision.json",
        { apiVersion: "serving.knative.dev/v1", kind: "Revision", metadata: { name: "r" } },
        `revision.json: $.kind: is "Revision"; expected ${WORKLOADS}`,
    ],
    ["services.json", ["netra-api", "netra-web"], `services.json: $[0]: is a string; expected ${WORKLOADS}`],
    [
        "services.json",
        [{ bindings: [], etag: "BwY=" }],
        `services.json: $[0]: is an object without apiVersion and kind; expected ${WORKLOADS}`,
    ],
    [
        "services.json",
        [service({}), { apiVersion: "serving.knative.dev/v1", kind: "Route" }],
        `services.json: $[1].kind: is "Route"; expected ${WORKLOADS}`,
    ],
    [
        "services.json",
        [{ apiVersion: "apps/v1", kind: "Deployment" }],
        `services.json: $[0].apiVersion: is "apps/v1"; expected ${WORKLOADS}`,
    ],
    [
        "jobs.json",
        { apiVersion: "run.googleapis.com/v1", kind: "Job", metadata: {} },
        "jobs.json: $.metadata.name: is missing; expected the resource's name (a non-empty string)",
    ],
    [
        "services.json",
        [service({ containers: { api: {} } })],
        "services.json: $[0].spec.template.spec.containers: is an object; expected a list of containers",
    ],
    [
        "services.json",
        [service({ containers: [{ env: [{ name: "A", value: 7 }] }] })],
        "services.json: $[0].spec.template.spec.containers[0].env[0].value: is a number; expected the variable's value (a string)",
    ],
    [
        "services.json",
        [service({ containers: [{ env: [{ value: "x" }] }] })],
        "services.json: $[0].spec.template.spec.containers[0].env[0].name: is missing; expected the variable's name (a non-empty string)",
    ],
    [
        "services.json",
        [service({ containers: [{ env: [{ name: "A", valueFrom: { secretKeyRef: { key: "latest" } } }] }] })],
        "services.json: $[0].spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name: is missing; expected the secret's name (a non-empty string)",
    ],
    [
        "v2.json",
        { services: [{ name: "projects/p/locations/l/jobs/j" }] },
        "v2.json: $.services[0].name: is not a service name; expected projects/<project>/locations/<region>/services/<name>",
    ],
    ["v2.json", { jobs: ["netra-migrate"] }, "v2.json: $.jobs[0]: is a string; expected a Cloud Run v2 Job"],
    ["state.json", { version: 2, deployment: {} }, "state.json: $.version: is 2; expected 3, as `pulumi stack export` writes it"],
    [
        "state.json",
        { version: 3, deployment: { resources: {} } },
        "state.json: $.deployment.resources: is an object; expected a list of resources",
    ],
    [
        "state.json",
        state({ inputs: { a: { [SIG]: "deadbeef" } } }),
        `state.json: $.deployment.resources[0].inputs.a["${SIG}"]: is not a known signature; expected a secret, an asset, an archive or a resource reference`,
    ],
    [
        "state.json",
        state({ inputs: { a: { [SIG]: SECRET } } }),
        "state.json: $.deployment.resources[0].inputs.a: is a secret with neither ciphertext nor plaintext",
    ],
    [
        "policy.json",
        { bindings: [{ role: "roles/owner", members: ["user:ops@example.com"] }], etag: "BwY=" },
        "policy.json: $: is an IAM policy, which does not say what it is on; name the file <secret-id>.secret-iam.json (gcloud secrets get-iam-policy) or <project-id>.project-iam.json (gcloud projects get-iam-policy)",
    ],
    [
        "netra-test.project-iam.json",
        { bindings: [{ role: "roles/owner", members: "user:ops@example.com" }], etag: "BwY=" },
        "netra-test.project-iam.json: $.bindings[0].members: is a string; expected a list of members",
    ],
];

function messageOf(file: string, content: unknown): string {
    const dir = scratchFiles({ [file]: content });
    try {
        readAuditInput(dir, file);
    } catch (error) {
        expect(error).to.be.instanceOf(AuditInputError);
        return (error as Error).message;
    }
    throw new Error(`${file} was read without an error`);
}

describe("audit: malformed input gets one line naming the file and the JSON path", () => {
    for (const [file, content, message] of CASES) {
        it(`refuses ${message.slice(file.length + 2, file.length + 80)}...`, () => {
            expect(messageOf(file, content)).to.equal(message);
        });
    }

    it("never shows a value from the file, even when the value is the problem", () => {
        const key = randomBytes(32).toString("hex");
        const messages = [
            messageOf("services.json", [service({ containers: [{ env: [{ name: "API_KEY", value: { key } }] }] })]),
            messageOf("state.json", state({ inputs: { a: { [SIG]: SECRET, plaintext: `not json ${key}` } } })),
            messageOf("services.json", `[{"name": "${key}"`),
            messageOf("services.json", { [key]: key }),
        ];
        expect(messages).to.deep.equal([
            "services.json: $[0].spec.template.spec.containers[0].env[0].value: is an object; expected the variable's value (a string)",
            "state.json: $.deployment.resources[0].inputs.a.plaintext: is a secret whose plaintext is not JSON-encoded, as `pulumi stack export --show-secrets` writes it",
            "services.json: is not JSON (line 1, column 77); expected the output of a `--format=json` command",
            `services.json: $: is an object, not a known document; expected ${DOCUMENTS}`,
        ]);
    });
});

describe("audit: how a message names a path and a value", () => {
    it("writes a JSON path with dots for plain keys, brackets for indexes and quoted keys for the rest", () => {
        expect(formatJsonPath([])).to.equal("$");
        expect(formatJsonPath(["deployment", "resources", 3, "inputs", "run.googleapis.com/x", "_a$1", "1a", "a-b", ""])).to.equal(
            '$.deployment.resources[3].inputs["run.googleapis.com/x"]._a$1["1a"]["a-b"][""]',
        );
    });

    it("describes a value by its type only", () => {
        expect([undefined, null, [], [1, 2], "", "s3cret", 0, true, {}].map((value) => describeGiven(value))).to.deep.equal([
            "missing",
            "null",
            "an empty list",
            "a list of 2",
            "an empty string",
            "a string",
            "a number",
            "a boolean",
            "an object",
        ]);
    });

    it("quotes only a short token made of name characters, whole", () => {
        expect(describeToken("serving.knative.dev/v1")).to.equal('"serving.knative.dev/v1"');
        expect(describeToken("a".repeat(40))).to.equal(`"${"a".repeat(40)}"`);
        for (const value of ["a".repeat(41), "", "has space", "Revision!", "!Revision", 7]) {
            expect(describeToken(value), String(value)).to.equal(describeGiven(value));
        }
    });
});

describe("audit: recognising a document", () => {
    it("says it is not JSON without a place when the parser gives none", () => {
        expect(messageOf("services.json", "[")).to.equal("services.json: is not JSON; expected the output of a `--format=json` command");
    });

    it("names a file it cannot read", () => {
        const dir = scratchFiles({});
        expect(() => readAuditInput(dir, "gone.json"))
            .to.throw(AuditInputError)
            .with.property("message", "gone.json: cannot be read (no such file, or not a file)");
        expect(() => readAuditInput(dir, "."))
            .to.throw(AuditInputError)
            .with.property("message", ".: cannot be read (no such file, or not a file)");
    });

    it("names at most five of an unknown object's word-like keys", () => {
        expect(messageOf("x.json", { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, "run.googleapis.com/x": 7, _y: 8 })).to.equal(
            `x.json: $: is an object with a, b, c, d, e, ..., not a known document; expected ${DOCUMENTS}`,
        );
        expect(messageOf("x.json", { a: 1, b: 2, c: 3, d: 4, e: 5 })).to.equal(
            `x.json: $: is an object with a, b, c, d, e, not a known document; expected ${DOCUMENTS}`,
        );
        expect(messageOf("x.json", { ["k".repeat(24)]: 1, ["l".repeat(25)]: 2, a1: 3, 1: 4 })).to.equal(
            `x.json: $: is an object with ${"k".repeat(24)}, not a known document; expected ${DOCUMENTS}`,
        );
    });

    it("tells a state export (version and deployment) from an object with only one of them", () => {
        expect(messageOf("x.json", { version: 3 })).to.equal(
            `x.json: $: is an object with version, not a known document; expected ${DOCUMENTS}`,
        );
        expect(messageOf("x.json", { deployment: {} })).to.equal(
            `x.json: $: is an object with deployment, not a known document; expected ${DOCUMENTS}`,
        );
    });

    it("names a list of jobs by what it holds", () => {
        const job = { apiVersion: "run.googleapis.com/v1", kind: "Job", metadata: { name: "j" } };
        const dir = scratchFiles({ "jobs.json": [job] });
        expect(readAuditInput(dir, "jobs.json").kind).to.equal("gcloud run jobs list (Knative JSON, Admin API v1)");
    });

    it("refuses a Knative document of another kind under a known apiVersion, and an unknown apiVersion, naming the field", () => {
        expect(messageOf("j.json", { apiVersion: "run.googleapis.com/v1", kind: "Execution" })).to.equal(
            `j.json: $.kind: is "Execution"; expected ${WORKLOADS}`,
        );
        expect(messageOf("j.json", { kind: "Service" })).to.equal(`j.json: $.apiVersion: is missing; expected ${WORKLOADS}`);
        expect(messageOf("j.json", [{ kind: "Job", apiVersion: "serving.knative.dev/v1" }])).to.equal(
            `j.json: $[0].kind: is "Job"; expected ${WORKLOADS}`,
        );
    });
});
