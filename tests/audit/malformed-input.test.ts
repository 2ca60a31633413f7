import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { AuditInputError, describeGiven, describeToken, formatJsonPath } from "../../audit/input-error";
import { readAuditInput } from "../../audit/read-input";
import { DOCUMENTS, scratchFiles, WORKLOADS } from "./support";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

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
        "services.json:2:3: is not JSON; expected the output of a `--format=json` command",
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
            "services.json:1:77: is not JSON; expected the output of a `--format=json` command",
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

    it("shows a key from the file escaped, quoted and cut, and a path cut after 300 characters", () => {
        expect(formatJsonPath(["labels", 'a\nb\u001b[31m"\\\u200b\u00e9'])).to.equal('$.labels["a\\nb\\u001b[31m\\"\\\\\\u200b\\u00e9"]');
        expect(formatJsonPath(["k-".repeat(35)])).to.equal(`$["${"k-".repeat(32)}... (70 characters)"]`);
        expect(formatJsonPath(Array.from({ length: 200 }, () => "ab"))).to.equal(`$${".ab".repeat(99)}.a... (301 more characters)`);
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

describe("audit: a file's bytes, read as the check reads a stack file", () => {
    /** The message for a file of these bytes, or its kind when it is read. */
    function outcome(bytes: Buffer): string {
        const dir = scratchFiles({});
        writeFileSync(path.join(dir, "live.json"), bytes);
        try {
            return readAuditInput(dir, "live.json").kind;
        } catch (error) {
            expect(error).to.be.instanceOf(AuditInputError);
            return (error as Error).message;
        }
    }
    const LIST = '{"services": []}';

    it("reads JSON after a UTF-8 byte order mark, as the Pulumi CLI reads a stack file", () => {
        expect(outcome(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LIST)]))).to.equal("Admin API v2 services list");
    });

    it("refuses UTF-16 (with or without its byte order mark) and UTF-32 in the stack reader's words", () => {
        expect(outcome(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LIST, "utf16le")]))).to.equal(
            "live.json: is UTF-16 text (it starts with the byte order mark 0xFF 0xFE); save it as UTF-8",
        );
        expect(outcome(Buffer.from(LIST, "utf16le"))).to.equal(
            "live.json: looks like UTF-16 text without a byte order mark (every other byte is NUL); save it as UTF-8",
        );
        expect(outcome(Buffer.from([0x00, 0x00, 0xfe, 0xff, 0, 0, 0, 0x7b]))).to.equal(
            "live.json: is UTF-32 text (it starts with a UTF-32 byte order mark); save it as UTF-8",
        );
    });

    it("refuses a byte that is not UTF-8, with its line and column, instead of reading it as U+FFFD", () => {
        const latin1 = Buffer.from('{"services": [],\n "x": "caf\u00e9"}', "latin1");
        expect(outcome(latin1)).to.equal("live.json:2:11: is not valid UTF-8 (byte 0xE9); save the file as UTF-8");
    });
});

describe("audit: recognising a document", () => {
    it("places the first error where the text stops being JSON, whatever text around it says", () => {
        expect(messageOf("services.json", "[")).to.equal(
            "services.json:1:2: is not JSON; expected the output of a `--format=json` command",
        );
        expect(messageOf("services.json", "xposition 99")).to.equal(
            "services.json:1:1: is not JSON; expected the output of a `--format=json` command",
        );
        expect(messageOf("services.json", '{"services": [],\n "x": position 7}')).to.equal(
            "services.json:2:7: is not JSON; expected the output of a `--format=json` command",
        );
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

    it("says which inputs hold grants: IAM policies and state exports, not Cloud Run exports", () => {
        const dir = scratchFiles({
            "list.json": [],
            "items.json": { apiVersion: "serving.knative.dev/v1", kind: "ServiceList", items: [] },
            "one.json": { apiVersion: "serving.knative.dev/v1", kind: "Service", metadata: { name: "s" } },
            "v2-list.json": { services: [] },
            "v2.json": { name: "projects/p/locations/l/services/s" },
            "state.json": { version: 3, deployment: {} },
            "k.secret-iam.json": { etag: "E" },
        });
        expect(
            ["list.json", "items.json", "one.json", "v2-list.json", "v2.json", "state.json", "k.secret-iam.json"].map(
                (file) => readAuditInput(dir, file).holdsGrants,
            ),
        ).to.deep.equal([false, false, false, false, false, true, true]);
    });

    it("reads an empty Admin API v2 list, which Google's JSON writes as {} (empty fields left out)", () => {
        const dir = scratchFiles({
            "empty.json": {},
            "none-unreachable.json": { unreachable: [] },
            "last-page.json": { services: [], nextPageToken: "" },
        });
        expect(
            ["empty.json", "none-unreachable.json", "last-page.json"].map((file) => {
                const input = readAuditInput(dir, file);
                return [input.kind, input.resources.length, input.holdsGrants];
            }),
        ).to.deep.equal([
            ["Admin API v2 list, empty (no services, jobs or worker pools)", 0, false],
            ["Admin API v2 list, empty (no services, jobs or worker pools)", 0, false],
            ["Admin API v2 services list", 0, false],
        ]);
    });

    it("refuses a list that says it is incomplete (more pages, regions not reached) instead of judging part as all", () => {
        const MORE = (what: string) =>
            `is set: the API has more pages of ${what} than this file holds, and the audit would judge this page as if it were all; ` +
            `merge every page's ${what} into one list (a list without a next page token), then audit that`;
        const UNREACHED = (regions: string, what: string) =>
            `lists ${regions} the API could not reach, whose ${what} this file does not hold; list again until no region is unreachable, or list each region on its own`;
        expect(messageOf("v2.json", { services: [], nextPageToken: "CgZuZXh0" })).to.equal(`v2.json: $.nextPageToken: ${MORE("services")}`);
        expect(messageOf("v2.json", { jobs: [], nextPageToken: "CgZuZXh0" })).to.equal(`v2.json: $.nextPageToken: ${MORE("jobs")}`);
        expect(messageOf("v2.json", { unreachable: ["europe-west1"] })).to.equal(
            `v2.json: $.unreachable: ${UNREACHED("a region", "services, jobs or worker pools")}`,
        );
        expect(messageOf("v2.json", { services: [], unreachable: ["europe-west1", "asia-east1"] })).to.equal(
            `v2.json: $.unreachable: ${UNREACHED("2 regions", "services")}`,
        );
        const serviceList = { apiVersion: "serving.knative.dev/v1", kind: "ServiceList", items: [] };
        expect(messageOf("l.json", { ...serviceList, metadata: { continue: "next" } })).to.equal(
            `l.json: $.metadata.continue: ${MORE("services")}`,
        );
        expect(
            messageOf("l.json", { ...serviceList, kind: "JobList", apiVersion: "run.googleapis.com/v1", unreachable: ["us-east1"] }),
        ).to.equal(`l.json: $.unreachable: ${UNREACHED("a region", "jobs")}`);
    });

    it("refuses a v2 list's fields of the wrong type, and an object with both lists", () => {
        expect(messageOf("v2.json", { services: 3 })).to.equal(
            "v2.json: $.services: is a number; expected a list of Cloud Run v2 Services",
        );
        expect(messageOf("v2.json", { services: [], nextPageToken: 7 })).to.equal(
            "v2.json: $.nextPageToken: is a number; expected the next page's token (a string)",
        );
        expect(messageOf("v2.json", { unreachable: "europe-west1" })).to.equal(
            "v2.json: $.unreachable: is a string; expected a list of regions",
        );
        expect(messageOf("v2.json", { services: [], jobs: [] })).to.equal(
            `v2.json: $: is an object with services, jobs, not a known document; expected ${DOCUMENTS}`,
        );
    });

    it("refuses a Knative list whose items are no list", () => {
        expect(messageOf("l.json", { apiVersion: "serving.knative.dev/v1", kind: "ServiceList", items: 3 })).to.equal(
            "l.json: $.items: is a number; expected a list of Services",
        );
        expect(messageOf("l.json", { apiVersion: "run.googleapis.com/v1", kind: "JobList", items: {} })).to.equal(
            "l.json: $.items: is an object; expected a list of Jobs",
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

    it("takes a kind of run.googleapis.com/v1 only under that apiVersion, and only as its own string, never an inherited name", () => {
        expect(messageOf("j.json", [{ apiVersion: "batch/v1", kind: "Job", metadata: { name: "j" } }])).to.equal(
            `j.json: $[0].apiVersion: is "batch/v1"; expected ${WORKLOADS}`,
        );
        expect(messageOf("j.json", [{ apiVersion: "run.googleapis.com/v1", kind: ["Job"], metadata: { name: "j" } }])).to.equal(
            `j.json: $[0].kind: is a list of 1; expected ${WORKLOADS}`,
        );
        for (const kind of ["constructor", "toString", "hasOwnProperty"]) {
            expect(messageOf("j.json", { apiVersion: "run.googleapis.com/v1", kind, metadata: { name: "j" } })).to.equal(
                `j.json: $.kind: is "${kind}"; expected ${WORKLOADS}`,
            );
        }
    });

    it("takes an object with an apiVersion but no kind for a Knative document, and names the missing kind", () => {
        expect(messageOf("j.json", { apiVersion: "serving.knative.dev/v1", metadata: { name: "j" } })).to.equal(
            `j.json: $.kind: is missing; expected ${WORKLOADS}`,
        );
    });
});

/** A document with `value` put at `path` (created along the way). */
function withValueAt(document: Record<string, unknown>, path: readonly (string | number)[], value: unknown): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
    let node: Record<string | number, unknown> = copy;
    for (const step of path.slice(0, -1)) {
        node[step] ??= typeof path[path.indexOf(step) + 1] === "number" ? [] : {};
        node = node[step] as Record<string | number, unknown>;
    }
    node[path[path.length - 1]] = value;
    return copy;
}

const SERVICE_DOC = { apiVersion: "serving.knative.dev/v1", kind: "Service", metadata: { name: "s" } };
const WORKER_POOL_DOC = { apiVersion: "run.googleapis.com/v1", kind: "WorkerPool", metadata: { name: "w" } };
const JOB_DOC = { apiVersion: "run.googleapis.com/v1", kind: "Job", metadata: { name: "j" } };
const TASK = ["spec", "template", "spec", "template", "spec"];
const STATE_RESOURCE = ["deployment", "resources", 0];
const STATE_DOC = { version: 3, deployment: { resources: [{ urn: "urn:pulumi:s::p::gcp:x/y:Z::z", type: "gcp:x/y:Z" }] } };

const CONTAINER = ["spec", "template", "spec", "containers", 0];
const V2_SERVICE = { name: "projects/p/locations/l/services/s" };
const V2_POOL = { name: "projects/p/locations/l/workerPools/w" };
const V2_JOB = { name: "projects/p/locations/l/jobs/j" };
/** What a field that takes a count is given instead (a number is one). */
const NOT_A_COUNT = "x";

/** Each field set to the wrong type (a number, or the value given last), and the one line naming its path and what it must be. */
const WRONG_FIELDS: readonly [Record<string, unknown>, readonly (string | number)[], string, unknown?][] = [
    [SERVICE_DOC, ["metadata"], "$.metadata: is a number; expected the resource's metadata"],
    [SERVICE_DOC, ["metadata", "name"], "$.metadata.name: is a number; expected the resource's name (a non-empty string)"],
    [SERVICE_DOC, ["metadata", "labels"], "$.metadata.labels: is a number; expected labels"],
    [
        SERVICE_DOC,
        ["metadata", "labels", "cloud.googleapis.com/location"],
        '$.metadata.labels["cloud.googleapis.com/location"]: is a number; expected the region (a non-empty string)',
    ],
    [SERVICE_DOC, ["metadata", "namespace"], "$.metadata.namespace: is a number; expected the project (a non-empty string)"],
    [SERVICE_DOC, ["spec"], "$.spec: is a number; expected the service's spec"],
    [SERVICE_DOC, ["spec", "template"], "$.spec.template: is a number; expected the revision template"],
    [SERVICE_DOC, ["spec", "template", "metadata"], "$.spec.template.metadata: is a number; expected the revision template's metadata"],
    [SERVICE_DOC, ["spec", "template", "spec"], "$.spec.template.spec: is a number; expected the revision spec"],
    [
        withValueAt(SERVICE_DOC, ["spec", "template", "spec"], {}),
        ["spec", "template", "metadata", "annotations"],
        "$.spec.template.metadata.annotations: is a number; expected annotations",
    ],
    [
        withValueAt(SERVICE_DOC, ["spec", "template", "spec"], {}),
        ["spec", "template", "metadata", "annotations", "run.googleapis.com/secrets"],
        '$.spec.template.metadata.annotations["run.googleapis.com/secrets"]: is a number; expected secret aliases (a non-empty string)',
    ],
    [SERVICE_DOC, ["spec", "template", "spec", "volumes"], "$.spec.template.spec.volumes: is a number; expected a list of volumes"],
    [SERVICE_DOC, ["spec", "template", "spec", "volumes", 0], "$.spec.template.spec.volumes[0]: is a number; expected a volume"],
    [
        SERVICE_DOC,
        ["spec", "template", "spec", "volumes", 0, "secret"],
        "$.spec.template.spec.volumes[0].secret: is a number; expected a secret volume",
    ],
    [
        SERVICE_DOC,
        ["spec", "template", "spec", "volumes", 0, "secret", "secretName"],
        "$.spec.template.spec.volumes[0].secret.secretName: is a number; expected the secret's name (a non-empty string)",
    ],
    [SERVICE_DOC, ["spec", "template", "spec", "containers", 0], "$.spec.template.spec.containers[0]: is a number; expected a container"],
    [
        SERVICE_DOC,
        ["spec", "template", "spec", "containers", 0, "env"],
        "$.spec.template.spec.containers[0].env: is a number; expected a list of variables",
    ],
    [
        SERVICE_DOC,
        ["spec", "template", "spec", "containers", 0, "env", 0],
        "$.spec.template.spec.containers[0].env[0]: is a number; expected a variable",
    ],
    [
        withValueAt(SERVICE_DOC, ["spec", "template", "spec", "containers", 0, "env", 0, "name"], "A"),
        ["spec", "template", "spec", "containers", 0, "env", 0, "valueFrom"],
        "$.spec.template.spec.containers[0].env[0].valueFrom: is a number; expected the variable's valueFrom",
    ],
    [
        withValueAt(SERVICE_DOC, ["spec", "template", "spec", "containers", 0, "env", 0, "name"], "A"),
        ["spec", "template", "spec", "containers", 0, "env", 0, "valueFrom", "secretKeyRef"],
        "$.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef: is a number; expected a secretKeyRef",
    ],
    [
        withValueAt(SERVICE_DOC, ["spec", "template", "spec", "containers", 0, "env", 0], {
            name: "A",
            valueFrom: { secretKeyRef: { name: "s" } },
        }),
        ["spec", "template", "spec", "containers", 0, "env", 0, "valueFrom", "secretKeyRef", "key"],
        "$.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.key: is a number; expected the secret's version (a non-empty string)",
    ],
    [JOB_DOC, ["spec"], "$.spec: is a number; expected the job's spec"],
    [JOB_DOC, ["spec", "template"], "$.spec.template: is a number; expected the execution template"],
    [JOB_DOC, ["spec", "template", "metadata"], "$.spec.template.metadata: is a number; expected the execution template's metadata"],
    [JOB_DOC, ["spec", "template", "spec"], "$.spec.template.spec: is a number; expected the execution spec"],
    [JOB_DOC, ["spec", "template", "spec", "template"], "$.spec.template.spec.template: is a number; expected the task template"],
    [JOB_DOC, TASK, "$.spec.template.spec.template.spec: is a number; expected the task spec"],
    [
        withValueAt(JOB_DOC, TASK, {}),
        ["spec", "template", "metadata", "annotations", "run.googleapis.com/secrets"],
        '$.spec.template.metadata.annotations["run.googleapis.com/secrets"]: is a number; expected secret aliases (a non-empty string)',
    ],
    [JOB_DOC, [...TASK, "containers"], "$.spec.template.spec.template.spec.containers: is a number; expected a list of containers"],
    [
        JOB_DOC,
        [...TASK, "containers", 0, "resources"],
        "$.spec.template.spec.template.spec.containers[0].resources: is a number; expected the container's resources",
    ],
    [
        withValueAt(JOB_DOC, [...TASK, "volumes", 0, "secret", "secretName"], "s"),
        [...TASK, "volumes", 0, "secret", "items"],
        "$.spec.template.spec.template.spec.volumes[0].secret.items: is a number; expected a list of items",
    ],
    [
        withValueAt(JOB_DOC, [...TASK, "volumes", 0, "secret", "secretName"], "s"),
        [...TASK, "volumes", 0, "secret", "items", 0],
        "$.spec.template.spec.template.spec.volumes[0].secret.items[0]: is a number; expected an item",
    ],
    [
        { name: "projects/p/locations/l/services/s" },
        ["template", "containers", 0, "ports"],
        "$.template.containers[0].ports: is a number; expected a list of ports",
    ],
    [{ name: "projects/p/locations/l/services/s" }, ["template"], "$.template: is a number; expected a pod template"],
    [STATE_DOC, ["deployment"], "$.deployment: is a number; expected the deployment"],
    [STATE_DOC, [...STATE_RESOURCE], "$.deployment.resources[0]: is a number; expected a resource"],
    [STATE_DOC, [...STATE_RESOURCE, "urn"], "$.deployment.resources[0].urn: is a number; expected the resource's URN (a non-empty string)"],
    [STATE_DOC, [...STATE_RESOURCE, "inputs"], "$.deployment.resources[0].inputs: is a number; expected the inputs"],
    [
        STATE_DOC,
        [...STATE_RESOURCE, "parent"],
        "$.deployment.resources[0].parent: is a number; expected the parent's URN (a non-empty string)",
    ],
    [
        STATE_DOC,
        [...STATE_RESOURCE, "propertyDependencies"],
        "$.deployment.resources[0].propertyDependencies: is a number; expected property dependencies",
    ],
    [STATE_DOC, [...STATE_RESOURCE, "customTimeouts"], "$.deployment.resources[0].customTimeouts: is a number; expected custom timeouts"],
    [STATE_DOC, [...STATE_RESOURCE, "dependencies"], "$.deployment.resources[0].dependencies: is a number; expected a list of URNs"],
    [
        STATE_DOC,
        [...STATE_RESOURCE, "ignoreChanges", 0],
        "$.deployment.resources[0].ignoreChanges[0]: is a number; expected property paths (a non-empty string)",
    ],
    [
        STATE_DOC,
        [...STATE_RESOURCE, "additionalSecretOutputs", 0],
        "$.deployment.resources[0].additionalSecretOutputs[0]: is a number; expected property names (a non-empty string)",
    ],
    [STATE_DOC, [...STATE_RESOURCE, "aliases"], "$.deployment.resources[0].aliases: is a number; expected a list of aliases"],
    [
        STATE_DOC,
        [...STATE_RESOURCE, "outputs", "a"],
        "$.deployment.resources[0].outputs.a: is a secret with neither ciphertext nor plaintext",
        { [SIG]: SECRET },
    ],
    // Every other field the mapping moves or renames, and every one the policies read.
    [SERVICE_DOC, ["metadata", "labels", "team"], "$.metadata.labels.team: is a number; expected a label's value (a string)"],
    [SERVICE_DOC, ["metadata", "annotations"], "$.metadata.annotations: is a number; expected annotations"],
    [
        SERVICE_DOC,
        ["metadata", "annotations", "run.googleapis.com/ingress"],
        '$.metadata.annotations["run.googleapis.com/ingress"]: is a number; expected an annotation\'s value (a string)',
    ],
    [
        SERVICE_DOC,
        ["spec", "template", "metadata", "labels", "team"],
        "$.spec.template.metadata.labels.team: is a number; expected a label's value (a string)",
    ],
    [
        SERVICE_DOC,
        ["spec", "template", "spec", "serviceAccountName"],
        "$.spec.template.spec.serviceAccountName: is a number; expected the runtime service account's email (a non-empty string)",
    ],
    [
        SERVICE_DOC,
        ["spec", "template", "spec", "serviceAccountName"],
        "$.spec.template.spec.serviceAccountName: is a list of 1; expected the runtime service account's email (a non-empty string)",
        ["netra-api@p.iam.gserviceaccount.com"],
    ],
    [SERVICE_DOC, ["spec", "traffic"], "$.spec.traffic: is a number; expected a list of traffic targets"],
    [SERVICE_DOC, ["spec", "traffic", 0], "$.spec.traffic[0]: is a number; expected a traffic target"],
    [
        SERVICE_DOC,
        [...CONTAINER, "name"],
        "$.spec.template.spec.containers[0].name: is a number; expected the container's name (a non-empty string)",
    ],
    [
        SERVICE_DOC,
        [...CONTAINER, "image"],
        "$.spec.template.spec.containers[0].image: is a number; expected the container's image (a non-empty string)",
    ],
    [SERVICE_DOC, [...CONTAINER, "command"], "$.spec.template.spec.containers[0].command: is a number; expected a list of command words"],
    [
        SERVICE_DOC,
        [...CONTAINER, "command", 0],
        "$.spec.template.spec.containers[0].command[0]: is a number; expected a command word (a string)",
    ],
    [SERVICE_DOC, [...CONTAINER, "args", 0], "$.spec.template.spec.containers[0].args[0]: is a number; expected an argument (a string)"],
    [SERVICE_DOC, [...CONTAINER, "envFrom", 0], "$.spec.template.spec.containers[0].envFrom[0]: is a number; expected an envFrom source"],
    [SERVICE_DOC, [...CONTAINER, "ports", 0], "$.spec.template.spec.containers[0].ports[0]: is a number; expected a port"],
    [
        SERVICE_DOC,
        [...CONTAINER, "ports", 0, "containerPort"],
        "$.spec.template.spec.containers[0].ports[0].containerPort: is a string; expected the port number (a whole number, or its decimal string)",
        NOT_A_COUNT,
    ],
    [
        SERVICE_DOC,
        [...CONTAINER, "volumeMounts", 0, "mountPath"],
        "$.spec.template.spec.containers[0].volumeMounts[0].mountPath: is a number; expected the mount path (a non-empty string)",
    ],
    [
        SERVICE_DOC,
        [...CONTAINER, "resources", "limits", "memory"],
        "$.spec.template.spec.containers[0].resources.limits.memory: is a number; expected a limit (a string)",
    ],
    [SERVICE_DOC, [...CONTAINER, "args"], "$.spec.template.spec.containers[0].args: is a number; expected a list of arguments"],
    [SERVICE_DOC, [...CONTAINER, "envFrom"], "$.spec.template.spec.containers[0].envFrom: is a number; expected a list of envFrom sources"],
    [
        SERVICE_DOC,
        [...CONTAINER, "dependsOn"],
        "$.spec.template.spec.containers[0].dependsOn: is a number; expected a list of container names",
    ],
    [
        SERVICE_DOC,
        [...CONTAINER, "volumeMounts"],
        "$.spec.template.spec.containers[0].volumeMounts: is a number; expected a list of volume mounts",
    ],
    [
        SERVICE_DOC,
        [...CONTAINER, "volumeMounts", 0],
        "$.spec.template.spec.containers[0].volumeMounts[0]: is a number; expected a volume mount",
    ],
    [
        SERVICE_DOC,
        [...CONTAINER, "volumeMounts", 0, "name"],
        "$.spec.template.spec.containers[0].volumeMounts[0].name: is a number; expected the volume's name (a non-empty string)",
    ],
    [
        SERVICE_DOC,
        [...CONTAINER, "resources", "limits"],
        "$.spec.template.spec.containers[0].resources.limits: is a number; expected resource limits",
    ],
    [
        SERVICE_DOC,
        [...CONTAINER, "resources", "requests"],
        "$.spec.template.spec.containers[0].resources.requests: is a number; expected resource requests",
    ],
    [
        SERVICE_DOC,
        [...CONTAINER, "resources", "requests", "cpu"],
        "$.spec.template.spec.containers[0].resources.requests.cpu: is a number; expected a request (a string)",
    ],
    [
        SERVICE_DOC,
        ["spec", "template", "spec", "volumes", 0, "name"],
        "$.spec.template.spec.volumes[0].name: is a number; expected the volume's name (a non-empty string)",
    ],
    [SERVICE_DOC, ["spec", "template", "metadata", "labels"], "$.spec.template.metadata.labels: is a number; expected labels"],
    [WORKER_POOL_DOC, ["spec"], "$.spec: is a number; expected the worker pool's spec"],
    [WORKER_POOL_DOC, ["spec", "template"], "$.spec.template: is a number; expected the revision template"],
    [WORKER_POOL_DOC, ["spec", "template", "metadata"], "$.spec.template.metadata: is a number; expected the revision template's metadata"],
    [
        WORKER_POOL_DOC,
        ["spec", "template", "metadata", "annotations"],
        "$.spec.template.metadata.annotations: is a number; expected annotations",
    ],
    [WORKER_POOL_DOC, ["spec", "template", "metadata", "labels"], "$.spec.template.metadata.labels: is a number; expected labels"],
    [WORKER_POOL_DOC, ["spec", "template", "spec"], "$.spec.template.spec: is a number; expected the revision spec"],
    [WORKER_POOL_DOC, ["spec", "template", "spec", "volumes"], "$.spec.template.spec.volumes: is a number; expected a list of volumes"],
    [
        SERVICE_DOC,
        ["spec", "template", "spec", "volumes", 0, "cloudSqlInstance"],
        "$.spec.template.spec.volumes[0].cloudSqlInstance: is a number; expected a Cloud SQL volume",
    ],
    [
        SERVICE_DOC,
        ["spec", "template", "spec", "volumes", 0, "cloudSqlInstance", "instances"],
        "$.spec.template.spec.volumes[0].cloudSqlInstance.instances: is a number; expected a list of Cloud SQL instances",
    ],
    [
        withValueAt(SERVICE_DOC, ["spec", "template", "spec", "volumes", 0, "secret", "secretName"], "s"),
        ["spec", "template", "spec", "volumes", 0, "secret", "items", 0, "path"],
        "$.spec.template.spec.volumes[0].secret.items[0].path: is a number; expected the file's path (a non-empty string)",
    ],
    [
        withValueAt(V2_SERVICE, ["template", "volumes", 0, "secret", "secret"], "s"),
        ["template", "volumes", 0, "secret", "items", 0, "version"],
        "$.template.volumes[0].secret.items[0].version: is a number; expected the secret's version (a non-empty string)",
    ],
    [
        withValueAt(SERVICE_DOC, ["spec", "template", "spec", "volumes", 0, "secret", "secretName"], "s"),
        ["spec", "template", "spec", "volumes", 0, "secret", "items", 0, "key"],
        "$.spec.template.spec.volumes[0].secret.items[0].key: is a number; expected the secret's version (a non-empty string)",
    ],
    [
        JOB_DOC,
        [...TASK, "serviceAccountName"],
        "$.spec.template.spec.template.spec.serviceAccountName: is a list of 2; expected the runtime service account's email (a non-empty string)",
        ["a@p.iam.gserviceaccount.com", "b@p.iam.gserviceaccount.com"],
    ],
    [
        JOB_DOC,
        [...TASK, "maxRetries"],
        "$.spec.template.spec.template.spec.maxRetries: is a string; expected the task's retries (a whole number, or its decimal string)",
        NOT_A_COUNT,
    ],
    [
        JOB_DOC,
        ["spec", "template", "spec", "parallelism"],
        "$.spec.template.spec.parallelism: is a string; expected the parallelism (a whole number, or its decimal string)",
        NOT_A_COUNT,
    ],
    [
        JOB_DOC,
        ["spec", "template", "spec", "taskCount"],
        "$.spec.template.spec.taskCount: is a string; expected the task count (a whole number, or its decimal string)",
        NOT_A_COUNT,
    ],
    [
        JOB_DOC,
        ["spec", "template", "metadata", "annotations", "a"],
        "$.spec.template.metadata.annotations.a: is a number; expected an annotation's value (a string)",
    ],
    [V2_SERVICE, ["labels", "team"], "$.labels.team: is a number; expected a label's value (a string)"],
    [
        V2_SERVICE,
        ["ingress"],
        "$.ingress: is a number; expected the ingress setting's name, such as INGRESS_TRAFFIC_INTERNAL_ONLY (a non-empty string)",
        2,
    ],
    [V2_SERVICE, ["traffic", 0], "$.traffic[0]: is a number; expected a traffic target"],
    [V2_SERVICE, ["labels"], "$.labels: is a number; expected labels"],
    [V2_SERVICE, ["annotations"], "$.annotations: is a number; expected annotations"],
    [V2_SERVICE, ["traffic"], "$.traffic: is a number; expected a list of traffic targets"],
    [V2_SERVICE, ["template", "vpcAccess"], "$.template.vpcAccess: is a number; expected the VPC access settings"],
    [V2_SERVICE, ["scaling"], "$.scaling: is a number; expected the scaling settings"],
    [
        V2_SERVICE,
        ["scaling", "minInstanceCount"],
        "$.scaling.minInstanceCount: is a string; expected the minimum instance count (a whole number, or its decimal string)",
        NOT_A_COUNT,
    ],
    [
        V2_SERVICE,
        ["scaling", "manualInstanceCount"],
        "$.scaling.manualInstanceCount: is a string; expected the manual instance count (a whole number, or its decimal string)",
        NOT_A_COUNT,
    ],
    [V2_POOL, ["instanceSplits", 0], "$.instanceSplits[0]: is a number; expected an instance split"],
    [
        V2_JOB,
        ["template", "taskCount"],
        "$.template.taskCount: is a string; expected the task count (a whole number, or its decimal string)",
        NOT_A_COUNT,
    ],
    [V2_SERVICE, ["template", "annotations", "a"], "$.template.annotations.a: is a number; expected an annotation's value (a string)"],
    [
        V2_SERVICE,
        ["template", "serviceAccount"],
        "$.template.serviceAccount: is a number; expected the runtime service account's email (a non-empty string)",
    ],
    [
        V2_SERVICE,
        ["template", "vpcAccess", "connector"],
        "$.template.vpcAccess.connector: is a number; expected the VPC connector (a non-empty string)",
    ],
    [
        V2_SERVICE,
        ["template", "timeout"],
        "$.template.timeout: is a number; expected the timeout as a duration such as 600s (a non-empty string)",
    ],
    [
        V2_SERVICE,
        ["template", "volumes", 0, "cloudSqlInstance", "instances", 0],
        "$.template.volumes[0].cloudSqlInstance.instances[0]: is a number; expected an instance (a non-empty string)",
    ],
    [
        V2_SERVICE,
        ["template", "containers", 0, "dependsOn", 0],
        "$.template.containers[0].dependsOn[0]: is a number; expected a container name (a non-empty string)",
    ],
    [
        V2_JOB,
        ["template", "parallelism"],
        "$.template.parallelism: is a string; expected the parallelism (a whole number, or its decimal string)",
        NOT_A_COUNT,
    ],
    [
        V2_JOB,
        ["template", "template", "maxRetries"],
        "$.template.template.maxRetries: is a string; expected the task's retries (a whole number, or its decimal string)",
        NOT_A_COUNT,
    ],
    [
        STATE_DOC,
        [...STATE_RESOURCE, "protect"],
        "$.deployment.resources[0].protect: is a string; expected whether the resource is protected (true or false)",
        "yes",
    ],
    [
        STATE_DOC,
        [...STATE_RESOURCE, "delete"],
        "$.deployment.resources[0].delete: is a string; expected whether the resource is marked for deletion (true or false)",
        "true",
    ],
    [
        STATE_DOC,
        [...STATE_RESOURCE, "pendingReplacement"],
        "$.deployment.resources[0].pendingReplacement: is a number; expected whether the resource awaits replacement (true or false)",
    ],
    [
        STATE_DOC,
        [...STATE_RESOURCE, "aliases", 0],
        "$.deployment.resources[0].aliases[0]: is a number; expected an alias URN (a non-empty string)",
    ],
    [
        STATE_DOC,
        [...STATE_RESOURCE, "customTimeouts", "create"],
        "$.deployment.resources[0].customTimeouts.create: is a string; expected the create timeout in seconds (a number)",
        "60",
    ],
];

describe("audit: every field of an export refuses a value of the wrong type, naming its path and what it must be", () => {
    for (const [document, path, message, value = 7] of WRONG_FIELDS) {
        it(message.slice(0, message.indexOf(": is")), () => {
            expect(messageOf("live.json", withValueAt(document, path, value))).to.equal(`live.json: ${message}`);
        });
    }
});

describe("audit: null in an optional field, as some JSON writers give an unset one, reads as absent", () => {
    it("reads null for an optional object, list, string, count, boolean and number", () => {
        const service = {
            apiVersion: "serving.knative.dev/v1",
            kind: "Service",
            metadata: { name: "s" },
            spec: { template: { metadata: null, spec: { containers: [{ image: null, env: null, ports: [{ containerPort: null }] }] } } },
        };
        const stateDocument = state({ protect: null, customTimeouts: { create: null } });
        const read = (file: string, content: unknown) => readAuditInput(scratchFiles({ [file]: content }), file).resources.length;
        expect([read("services.json", [service]), read("state.json", stateDocument)]).to.deep.equal([1, 1]);
    });
});

describe("audit: numbers in a live export", () => {
    const port = (containerPort: string) =>
        `[{"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "s"}, ` +
        `"spec": {"template": {"spec": {"containers": [{"ports": [{"containerPort": ${containerPort}}]}]}}}}]`;
    const PORT = "services.json: $[0].spec.template.spec.containers[0].ports[0].containerPort";

    it("takes a count as a whole number or its plain decimal string, nothing that only converts to one", () => {
        expect(readAuditInput(scratchFiles({ "services.json": port('"8080"') }), "services.json").resources.length).to.equal(1);
        expect(messageOf("services.json", port('"1e3"'))).to.equal(
            `${PORT}: is a string; expected the port number (a whole number, or its decimal string)`,
        );
        expect(messageOf("services.json", port('["8080"]'))).to.equal(
            `${PORT}: is a list of 1; expected the port number (a whole number, or its decimal string)`,
        );
    });

    it("refuses a timeout beyond a double's range (1e400 reads as Infinity)", () => {
        const stateText = JSON.stringify(state({ customTimeouts: { create: "@big@" } })).replace('"@big@"', "1e400");
        expect(messageOf("state.json", stateText)).to.equal(
            "state.json: $.deployment.resources[0].customTimeouts.create: is a number; expected the create timeout in seconds (a number)",
        );
    });

    it("gives its errors the name AuditInputError, not a plain Error's", () => {
        expect(() => readAuditInput(scratchFiles({ "services.json": "42" }), "services.json"))
            .to.throw(AuditInputError)
            .with.property("name", "AuditInputError");
    });
});

describe("audit: a list's own fields", () => {
    it("reads a null next page token as no more pages", () => {
        const dir = scratchFiles({ "v2.json": { services: [], nextPageToken: null } });
        expect(readAuditInput(dir, "v2.json").kind).to.equal("Admin API v2 services list");
    });

    it("refuses the v1 and v2 lists' metadata, items and unreachable regions of the wrong type, naming each", () => {
        const pools = { apiVersion: "run.googleapis.com/v1", kind: "WorkerPoolList" };
        expect([
            messageOf("l.json", { services: [], unreachable: 7 }),
            messageOf("l.json", { ...pools, metadata: 7 }),
            messageOf("l.json", { ...pools, items: 7 }),
            messageOf("l.json", { ...pools, items: [7] }),
        ]).to.deep.equal([
            "l.json: $.unreachable: is a number; expected a list of regions",
            "l.json: $.metadata: is a number; expected the list's metadata",
            "l.json: $.items: is a number; expected a list of WorkerPools",
            `l.json: $.items[0]: is a number; expected ${WORKLOADS}`,
        ]);
    });
});
