import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { AuditInputError } from "../../audit/input-error";
import { readAuditInput } from "../../audit/read-input";
import { fixture, REPO_ROOT, scratchFiles } from "./support";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SERVICE_URN = "urn:pulumi:staging::netra-platform::netra:cloudrun:Service$gcp:cloudrunv2/service:Service::backend-service";

type Env = { name: string; value?: unknown };

function envsOf(inputs: Record<string, unknown>): Env[] {
    return (inputs.template as { containers: { envs: Env[] }[] }).containers[0].envs;
}

describe("audit: pulumi stack export (deployment version 3)", () => {
    // Read in each test, not when the file loads: Stryker counts code run outside a test as covered by every test.
    let input: ReturnType<typeof readAuditInput>;
    beforeEach(() => {
        input = readAuditInput(REPO_ROOT, fixture("state-export.json"));
    });

    it("judges every resource an update would, skipping providers and resources marked for deletion", () => {
        expect(input.kind).to.equal("pulumi stack export (deployment version 3)");
        expect(input.resources.map((resource) => `${resource.type} ${resource.name}`)).to.deep.equal([
            "pulumi:pulumi:Stack netra-platform-staging",
            "netra:cloudrun:Service backend",
            "gcp:serviceaccount/account:Account backend-sa",
            "gcp:secretmanager/secretIamMember:SecretIamMember backend-access-jwt-secret-staging",
            "gcp:cloudrunv2/service:Service backend-service",
        ]);
    });

    it("keeps each resource's URN, parent, dependencies and options, and reads the Cloud Run name from its inputs", () => {
        const service = input.resources.find((resource) => resource.urn === SERVICE_URN)!;
        expect(service.workload).to.deep.equal({ kind: "service", name: "netra-backend-staging", location: "us-central1" });
        expect(service.extra?.parent).to.equal("urn:pulumi:staging::netra-platform::netra:cloudrun:Service::backend");
        expect(service.extra?.propertyDependencies).to.deep.equal({
            template: ["urn:pulumi:staging::netra-platform::netra:cloudrun:Service$gcp:serviceaccount/account:Account::backend-sa"],
        });
        expect(service.extra?.options?.ignoreChanges).to.deep.equal(["client", "clientVersion"]);
    });

    it("sends an encrypted secret to the pack as a secret whose value is unknown", () => {
        const service = input.resources.find((resource) => resource.urn === SERVICE_URN)!;
        expect(envsOf(service.inputs)[3]).to.deep.equal({ name: "LEGACY_API_TOKEN", value: { [SIG]: SECRET, value: UNKNOWN } });
    });

    it("sends a decrypted secret (--show-secrets) as a secret with its value", () => {
        const key = randomBytes(32).toString("hex");
        const document = JSON.parse(readFileSync(path.join(REPO_ROOT, fixture("state-export.json")), "utf8"));
        const envs = envsOf(document.deployment.resources[5].inputs);
        envs[3].value = { [SIG]: SECRET, plaintext: JSON.stringify(key) };
        const dir = scratchFiles({ "state.json": document });
        const service = readAuditInput(dir, "state.json").resources.find((resource) => resource.urn === SERVICE_URN)!;
        expect(envsOf(service.inputs)[3]).to.deep.equal({ name: "LEGACY_API_TOKEN", value: { [SIG]: SECRET, value: key } });
    });
});

describe("audit: a state export's resources, field by field", () => {
    const URN_OF = (type: string, name: string) => `urn:pulumi:staging::netra-platform::${type}::${name}`;
    function readState(resources: unknown[]) {
        const dir = scratchFiles({ "state.json": { version: 3, deployment: { manifest: {}, resources } } });
        return readAuditInput(dir, "state.json");
    }

    it("carries a resource's parent, dependencies, options and timeouts over as the engine sends them", () => {
        const parent = URN_OF("netra:cloudrun:Service", "api");
        const job = {
            urn: URN_OF("gcp:cloudrunv2/job:Job", "migrate"),
            type: "gcp:cloudrunv2/job:Job",
            inputs: { name: "netra-migrate", location: "us-central1" },
            outputs: { uid: "u" },
            parent,
            protect: true,
            dependencies: [parent],
            propertyDependencies: { name: [parent] },
            ignoreChanges: ["client"],
            additionalSecretOutputs: ["etag"],
            aliases: ["urn:pulumi:staging::netra-platform::gcp:cloudrunv2/job:Job::old"],
            customTimeouts: { create: 60, delete: 30.5 },
        };
        const [resource] = readState([job]).resources;
        expect(resource.state).to.deep.equal({ name: "netra-migrate", location: "us-central1", uid: "u" });
        expect(resource.workload).to.deep.equal({ kind: "job", name: "netra-migrate", location: "us-central1" });
        expect(resource.extra).to.deep.equal({
            parent,
            dependencies: [parent],
            propertyDependencies: { name: [parent] },
            options: {
                protect: true,
                ignoreChanges: ["client"],
                additionalSecretOutputs: ["etag"],
                aliases: ["urn:pulumi:staging::netra-platform::gcp:cloudrunv2/job:Job::old"],
                customTimeouts: { create: 60, update: undefined, delete: 30.5 },
                parent,
            },
        });
    });

    it("reads a resource with nothing but its URN and type: no inputs, no options, no workload", () => {
        const [resource] = readState([{ urn: URN_OF("gcp:x/y:Z", "z"), type: "gcp:x/y:Z" }]).resources;
        expect([resource.name, resource.inputs, resource.workload]).to.deep.equal(["z", {}, undefined]);
        expect(resource.extra).to.deep.equal({
            parent: undefined,
            dependencies: [],
            propertyDependencies: {},
            options: {
                protect: false,
                ignoreChanges: [],
                additionalSecretOutputs: [],
                aliases: [],
                customTimeouts: undefined,
                parent: undefined,
            },
        });
    });

    it("names no workload for a Cloud Run service whose inputs give no name or a name that is no string, and no region when they give none or no string", () => {
        const type = "gcp:cloudrunv2/service:Service";
        const bucket = "gcp:storage/bucket:Bucket";
        const resources = readState([
            { urn: URN_OF(type, "a"), type, inputs: {} },
            { urn: URN_OF(type, "b"), type, inputs: { name: "netra-b" } },
            { urn: URN_OF(type, "c"), type, inputs: { name: 7 } },
            { urn: URN_OF(type, "d"), type, inputs: { name: "netra-d", location: 7 } },
            { urn: URN_OF(bucket, "e"), type: bucket, inputs: { name: "netra-e", location: "EU" } },
        ]).resources;
        expect(resources.map((resource) => resource.workload)).to.deep.equal([
            undefined,
            { kind: "service", name: "netra-b", location: undefined },
            undefined,
            { kind: "service", name: "netra-d", location: undefined },
            undefined,
        ]);
    });

    it("names each Cloud Run workload by the kind Cloud Run lists it as: a worker pool, a job, and a gen2 function as the service of its name", () => {
        const resources = readState(
            [
                "gcp:cloudrunv2/workerPool:WorkerPool",
                "gcp:cloudrunv2/job:Job",
                "gcp:cloudfunctionsv2/function:Function",
                "gcp:cloudrun/service:Service",
            ].map((type) => ({ urn: URN_OF(type, "w"), type, inputs: { name: "netra-w", location: "us-central1" } })),
        ).resources;
        expect(resources.map((resource) => resource.workload?.kind)).to.deep.equal(["worker pool", "job", "service", "service"]);
    });

    it("skips providers and resources pending deletion or replacement, and judges the rest", () => {
        const type = "gcp:x/y:Z";
        const names = readState([
            { urn: URN_OF("pulumi:providers:gcp", "default"), type: "pulumi:providers:gcp" },
            { urn: URN_OF(type, "deleted"), type, delete: true },
            { urn: URN_OF(type, "replaced"), type, pendingReplacement: true },
            { urn: URN_OF(type, "kept"), type, delete: false, pendingReplacement: false },
        ]).resources.map((resource) => resource.name);
        expect(names).to.deep.equal(["kept"]);
    });

    it("keeps assets, archives and resource references, and secrets nested in lists, as the pack knows them", () => {
        const asset = { [SIG]: "c44067f5952c0a294b673a41bacd8c17", text: "x" };
        const archive = { [SIG]: "0def7320c3a5731c473e5ecbe6d01bc7", assets: {} };
        const reference = { [SIG]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "u" };
        const [resource] = readState([
            {
                urn: URN_OF("gcp:x/y:Z", "z"),
                type: "gcp:x/y:Z",
                inputs: {
                    asset,
                    archive,
                    reference,
                    list: [{ [SIG]: SECRET, ciphertext: "AAAA" }, "plain"],
                    nested: { secret: { [SIG]: SECRET, value: "v" } },
                },
            },
        ]).resources;
        expect(resource.inputs).to.deep.equal({
            asset,
            archive,
            reference,
            list: [{ [SIG]: SECRET, value: UNKNOWN }, "plain"],
            nested: { secret: { [SIG]: SECRET, value: "v" } },
        });
    });

    it("decodes a decrypted secret's JSON plaintext, objects included", () => {
        const [resource] = readState([
            { urn: URN_OF("gcp:x/y:Z", "z"), type: "gcp:x/y:Z", inputs: { a: { [SIG]: SECRET, plaintext: JSON.stringify({ k: [1] }) } } },
        ]).resources;
        expect(resource.inputs).to.deep.equal({ a: { [SIG]: SECRET, value: { k: [1] } } });
    });

    for (const [name, document, message] of [
        [
            "a version that is no number",
            { version: "3", deployment: {} },
            "state.json: $.version: is a string; expected 3, as `pulumi stack export` writes it",
        ],
        ["a missing deployment", { version: 3, deployment: null }, "state.json: $.deployment: is null; expected the deployment"],
        [
            "a URN that is no Pulumi URN",
            { version: 3, deployment: { resources: [{ urn: "backend", type: "gcp:x/y:Z" }] } },
            "state.json: $.deployment.resources[0].urn: is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)",
        ],
        [
            "a resource without a type",
            { version: 3, deployment: { resources: [{ urn: "urn:pulumi:s::p::t::n" }] } },
            "state.json: $.deployment.resources[0].type: is missing; expected the resource's type (a non-empty string)",
        ],
        [
            "a dependency that is no URN string",
            { version: 3, deployment: { resources: [{ urn: "urn:pulumi:s::p::t::n", type: "t", dependencies: [3] }] } },
            "state.json: $.deployment.resources[0].dependencies[0]: is a number; expected URNs (a non-empty string)",
        ],
        [
            "property dependencies that are no list",
            { version: 3, deployment: { resources: [{ urn: "urn:pulumi:s::p::t::n", type: "t", propertyDependencies: { a: "u" } }] } },
            "state.json: $.deployment.resources[0].propertyDependencies.a: is a string; expected a list of URNs",
        ],
        [
            "outputs that are no object",
            { version: 3, deployment: { resources: [{ urn: "urn:pulumi:s::p::t::n", type: "t", outputs: [] }] } },
            "state.json: $.deployment.resources[0].outputs: is an empty list; expected the outputs",
        ],
    ] as const) {
        it(`refuses ${name}`, () => {
            const dir = scratchFiles({ "state.json": document });
            expect(() => readAuditInput(dir, "state.json"))
                .to.throw(AuditInputError)
                .with.property("message", message);
        });
    }
});

describe("audit: a state export's secrets, where they stand", () => {
    function messageOf(inputs: unknown): string {
        const urn = "urn:pulumi:staging::netra-platform::gcp:storage/bucket:Bucket::b";
        const dir = scratchFiles({
            "state.json": { version: 3, deployment: { resources: [{ urn, type: "gcp:storage/bucket:Bucket", inputs }] } },
        });
        try {
            readAuditInput(dir, "state.json");
        } catch (error) {
            expect(error).to.be.instanceOf(AuditInputError);
            return (error as Error).message;
        }
        return "read";
    }
    const BROKEN = "is a secret with neither ciphertext nor plaintext";

    it("names the path of a broken secret inside a list, a decrypted plaintext, or a secret's value", () => {
        expect([
            messageOf({ a: [1, { [SIG]: SECRET }] }),
            messageOf({ a: { [SIG]: SECRET, plaintext: JSON.stringify({ x: { [SIG]: SECRET } }) } }),
            messageOf({ a: { [SIG]: SECRET, value: { x: { [SIG]: SECRET } } } }),
        ]).to.deep.equal([
            `state.json: $.deployment.resources[0].inputs.a[1]: ${BROKEN}`,
            `state.json: $.deployment.resources[0].inputs.a.plaintext.x: ${BROKEN}`,
            `state.json: $.deployment.resources[0].inputs.a.value.x: ${BROKEN}`,
        ]);
    });

    it("refuses an update timeout that is no number, naming it", () => {
        const urn = "urn:pulumi:staging::netra-platform::gcp:storage/bucket:Bucket::b";
        const document = {
            version: 3,
            deployment: { resources: [{ urn, type: "gcp:storage/bucket:Bucket", customTimeouts: { update: "60" } }] },
        };
        expect(() => readAuditInput(scratchFiles({ "state.json": document }), "state.json"))
            .to.throw(AuditInputError)
            .with.property(
                "message",
                "state.json: $.deployment.resources[0].customTimeouts.update: is a string; expected the update timeout in seconds (a number)",
            );
    });
});
