import { expect } from "chai";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SECRET_SIG, SIG_KEY, UNKNOWN, WireFormatError } from "../../check/analyzer-wire";
import { parsePort } from "../../check/pack-process";
import {
    type AnalyzerResourceInput,
    policyPackEnv,
    type PolicyPackContext,
    PolicyPackError,
    type PolicyPackErrorKind,
    type PolicyPackSession,
    type PolicyViolation,
    startPolicyPack,
} from "../../check/policy-pack-host";
import { loadPolicyPackProject } from "../../check/policy-pack-project";
import { PACK_NAME, policies as realPolicies } from "../../policies/policy-list";
import { isRunning } from "../support/fake-packs";

const ROOT = path.join(__dirname, "..", "..");
const PACKS = path.join(ROOT, "tests", "fixtures", "packs");
const BASIC = path.join(PACKS, "basic");
const PACK = "fixture-basic";

const CONTEXT: PolicyPackContext = {
    stack: "fixture-stack",
    project: "fixture-project",
    organization: "fixture-org",
    dryRun: true,
    config: { "fixture:greeting": "hello" },
    tags: { team: "platform" },
};

const BUCKET = "fixture:index:Bucket";
const PROBE = "fixture:index:Probe";
const urn = (type: string, name: string): string => `urn:pulumi:fixture-stack::fixture-project::${type}::${name}`;
const COMPONENT_URN = urn("fixture:index:Component", "core");
const PROVIDER_URN = urn("pulumi:providers:fixture", "default");

const DESCRIPTIONS = {
    owner: "Every bucket carries an owner label.",
    location: "Buckets live in an allowed location.",
    oneBucket: "A stack holds at most one bucket.",
    probeResource: "Echoes what a probe resource looked like to the pack.",
    probeStack: "Echoes the resource graph the pack received.",
};

function bucket(name: string, properties: Record<string, unknown>, extra: Partial<AnalyzerResourceInput> = {}): AnalyzerResourceInput {
    return { urn: urn(BUCKET, name), type: BUCKET, properties, ...extra };
}

/** A violation of the fixture pack, as @pulumi/policy words it: description, newline, message. */
function violation(
    policy: string,
    level: "advisory" | "mandatory",
    description: string,
    detail: string,
    at: string | null,
): PolicyViolation {
    return {
        policy,
        packName: PACK,
        packVersion: "1.2.3",
        description,
        message: detail === "" ? description : `${description}\n${detail}`,
        enforcementLevel: level,
        severity: "",
        urn: at,
    };
}

/** The JSON a probe policy echoed (the part of its message after the description). */
function echoed(found: PolicyViolation | undefined): unknown {
    expect(found, "the probe policy reported nothing").to.not.equal(undefined);
    return JSON.parse((found as PolicyViolation).message.slice(found!.description.length + 1));
}

async function rejection(promise: Promise<unknown>): Promise<PolicyPackError> {
    try {
        await promise;
    } catch (error) {
        expect(error).to.be.instanceOf(PolicyPackError);
        return error as PolicyPackError;
    }
    expect.fail("expected a PolicyPackError");
}

function expectError(error: PolicyPackError, kind: PolicyPackErrorKind, message: string): void {
    expect({ kind: error.kind, message: error.message }).to.deep.equal({ kind, message });
}

/** A throw-away pack folder outside the repository that still resolves the repository's node_modules. */
function temporaryPack(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netra-pack-"));
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, name), text);
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

describe("policy pack host (the real pack process over the Analyzer gRPC protocol)", function () {
    this.timeout(60_000); // each pack start is a node process with ts-node and @pulumi/policy

    describe("with the fixture pack running", () => {
        let pack: PolicyPackSession;

        before(async () => {
            pack = await startPolicyPack(BASIC, CONTEXT);
            await pack.ready();
        });

        after(async () => {
            await pack?.close();
        });

        it("lists the pack's policies, sorted, with their levels, types and config schema (GetAnalyzerInfo)", async () => {
            const resource = (name: string, description: string, enforcementLevel: string): object => ({
                name,
                displayName: "",
                description,
                enforcementLevel,
                type: "resource",
                severity: "",
            });
            expect(await pack.info()).to.deep.equal({
                name: PACK,
                displayName: "",
                version: "1.2.3",
                description: "",
                supportsConfig: true,
                policies: [
                    {
                        ...resource("bucket-location-allowed", DESCRIPTIONS.location, "advisory"),
                        configSchema: {
                            properties: { allowedLocations: { type: "array", items: { type: "string" }, default: ["europe-west1"] } },
                            required: [],
                        },
                    },
                    resource("bucket-requires-owner-label", DESCRIPTIONS.owner, "mandatory"),
                    resource("fails-on-request", "Throws, hangs or ends the pack process when asked to by the resource type.", "advisory"),
                    resource("probe-resource", DESCRIPTIONS.probeResource, "advisory"),
                    { ...resource("probe-stack", DESCRIPTIONS.probeStack, "advisory"), type: "stack" },
                    { ...resource("stack-at-most-one-bucket", DESCRIPTIONS.oneBucket, "mandatory"), type: "stack" },
                ],
                initialConfig: {},
            });
        });

        it("reports a mandatory violation on the analyzed resource's URN", async () => {
            const found = await pack.analyze(bucket("data", { location: "europe-west1", labels: {} }));
            expect(found).to.deep.equal([
                violation(
                    "bucket-requires-owner-label",
                    "mandatory",
                    DESCRIPTIONS.owner,
                    "Bucket `data` has no `owner` label.",
                    urn(BUCKET, "data"),
                ),
            ]);
        });

        it("reports nothing for a compliant resource", async () => {
            expect(await pack.analyze(bucket("data", { location: "europe-west1", labels: { owner: "platform" } }))).to.deep.equal([]);
        });

        it("applies a config-schema default the CLI fills in (allowedLocations) when no policy config is given", async () => {
            const found = await pack.analyze(bucket("data", { location: "us-east1", labels: { owner: "platform" } }));
            expect(found).to.deep.equal([
                violation(
                    "bucket-location-allowed",
                    "advisory",
                    DESCRIPTIONS.location,
                    "Location `us-east1` is not one of europe-west1.",
                    urn(BUCKET, "data"),
                ),
            ]);
        });

        it("delivers unknown properties as unknowns: a policy reading one becomes an advisory 'can't run during preview'", async () => {
            const found = await pack.analyze(bucket("data", { location: UNKNOWN, labels: UNKNOWN }));
            const preview = (policy: string, property: string): PolicyViolation => ({
                ...violation(
                    policy,
                    "advisory",
                    policy === "bucket-location-allowed" ? DESCRIPTIONS.location : DESCRIPTIONS.owner,
                    "",
                    urn(BUCKET, "data"),
                ),
                message: `can't run policy '${policy}' from policy pack '${PACK}@v1.2.3' during preview: string value at .${property} can't be known during preview`,
            });
            expect(found).to.deep.equal([preview("bucket-requires-owner-label", "labels"), preview("bucket-location-allowed", "location")]);
        });

        it("delivers resource options, provider, secrets, stack, project, organization, dry run, config and stack tags as the CLI does", async () => {
            const token = crypto.randomBytes(16).toString("hex");
            const alias = urn(PROBE, "old-probe");
            const found = await pack.analyze({
                urn: urn(PROBE, "probe"),
                type: PROBE,
                properties: {
                    plain: "visible",
                    nested: { list: [1, null, true] },
                    token: { [SIG_KEY]: SECRET_SIG, value: token },
                    __internal: "dropped",
                },
                options: {
                    protect: true,
                    ignoreChanges: ["labels"],
                    deleteBeforeReplace: true,
                    additionalSecretOutputs: ["token"],
                    aliases: [alias],
                    customTimeouts: { create: "5m" },
                },
                parent: COMPONENT_URN,
                provider: { urn: PROVIDER_URN, type: "pulumi:providers:fixture", properties: { region: "europe-west1" } },
            });
            expect(found.map((v) => [v.policy, v.urn])).to.deep.equal([["probe-resource", urn(PROBE, "probe")]]);
            expect(echoed(found[0])).to.deep.equal({
                type: PROBE,
                urn: urn(PROBE, "probe"),
                name: "probe",
                opts: {
                    protect: true,
                    ignoreChanges: ["labels"],
                    deleteBeforeReplace: true,
                    additionalSecretOutputs: ["token"],
                    aliases: [alias],
                    customTimeouts: { createSeconds: 300, updateSeconds: 0, deleteSeconds: 0 },
                    parent: COMPONENT_URN,
                },
                provider: { type: "pulumi:providers:fixture", urn: PROVIDER_URN, name: "default" },
                plain: "visible",
                nested: { list: [1, null, true] },
                // The pack unwraps the secret envelope: the policy reads the plain value, not an object.
                tokenSha256: crypto.createHash("sha256").update(token).digest("hex"),
                tokenType: "string",
                keys: ["nested", "plain", "token"],
                stack: "fixture-stack",
                project: "fixture-project",
                organization: "fixture-org",
                dryRun: true,
                config: "hello",
                stackTags: { team: "platform" },
                policyConfig: {},
            });
        });

        it("analyzes many resources concurrently and returns their violations in the order of the resources", async () => {
            const names = Array.from({ length: 24 }, (_, i) => `bucket-${String(i).padStart(2, "0")}`);
            const found = await pack.analyzeAll(
                names.map((name, i) => bucket(name, { location: "europe-west1", labels: i % 3 === 0 ? {} : { owner: "x" } })),
            );
            expect(found.map((v) => v.urn)).to.deep.equal(names.filter((_, i) => i % 3 === 0).map((name) => urn(BUCKET, name)));
        });

        it("delivers parent, dependencies and property dependencies to stack policies, and keeps only URNs of analyzed resources", async () => {
            const first = urn(BUCKET, "first");
            const second = urn(BUCKET, "second");
            const probe = urn(PROBE, "probe");
            const found = await pack.analyzeStack([
                { urn: COMPONENT_URN, type: "fixture:index:Component", properties: {} },
                bucket("first", { location: "europe-west1" }, { parent: COMPONENT_URN }),
                bucket("second", { location: "europe-west1" }, { parent: COMPONENT_URN, dependencies: [first] }),
                {
                    urn: probe,
                    type: PROBE,
                    properties: { plain: "visible" },
                    options: { protect: true },
                    parent: COMPONENT_URN,
                    dependencies: [first, second],
                    propertyDependencies: { plain: [second], unused: [] },
                },
            ]);
            expect(found.map((v) => ({ ...v, message: v.policy === "probe-stack" ? "(echo)" : v.message }))).to.deep.equal([
                violation("stack-at-most-one-bucket", "mandatory", DESCRIPTIONS.oneBucket, "The stack holds 2 buckets.", second),
                { ...violation("probe-stack", "advisory", DESCRIPTIONS.probeStack, "", null), message: "(echo)" },
            ]);
            const node = (
                at: string,
                parent: string | null,
                dependencies: string[],
                propertyDependencies: object,
                protect = false,
            ): object => ({
                urn: at,
                parent,
                dependencies,
                propertyDependencies,
                protect,
                optsParent: parent,
            });
            expect(echoed(found[1])).to.deep.equal([
                node(COMPONENT_URN, null, [], {}),
                node(first, COMPONENT_URN, [], {}),
                node(second, COMPONENT_URN, [first], {}),
                node(probe, COMPONENT_URN, [first, second], { plain: [second] }, true),
            ]);
        });

        describe("policy config", () => {
            afterEach(async () => {
                await pack.configure({});
            });

            it("sends levels and properties to the policies (Configure) and lets a policy be disabled", async () => {
                await pack.configure({
                    "bucket-location-allowed": { enforcementLevel: "mandatory", allowedLocations: ["us-east1"] },
                    "bucket-requires-owner-label": "disabled",
                });
                expect(await pack.analyze(bucket("data", { location: "us-east1", labels: {} }))).to.deep.equal([]);
                expect(await pack.analyze(bucket("data", { location: "europe-west1", labels: {} }))).to.deep.equal([
                    violation(
                        "bucket-location-allowed",
                        "mandatory",
                        DESCRIPTIONS.location,
                        "Location `europe-west1` is not one of us-east1.",
                        urn(BUCKET, "data"),
                    ),
                ]);
            });

            it("rejects config that fails a policy's config schema, naming the pack, the policy and the property", async () => {
                expectError(
                    await rejection(pack.configure({ "bucket-location-allowed": { allowedLocations: "us-east1" } })),
                    "config",
                    `validating policy config: ${PACK} 1.2.3: "bucket-location-allowed.allowedLocations" is "us-east1"; allowed: an array of strings`,
                );
            });

            it("rejects an invalid enforcement level with the CLI's message", async () => {
                expectError(
                    await rejection(pack.configure({ "bucket-location-allowed": "loud" })),
                    "config",
                    `invalid policy config for pack ${PACK}: parsing enforcement level for "bucket-location-allowed": "loud" is not a valid enforcement level ` +
                        "(allowed: advisory, mandatory, remediate, disabled)",
                );
            });

            it("refuses config for a policy the pack does not have, listing the ones it has", async () => {
                expectError(
                    await rejection(pack.configure({ "no-such-policy": { x: 1 } })),
                    "config",
                    `validating policy config: ${PACK} 1.2.3: "no-such-policy" is not a policy of this pack; allowed: all, ` +
                        "bucket-location-allowed, bucket-requires-owner-label, fails-on-request, probe-resource, probe-stack, stack-at-most-one-bucket",
                );
            });

            it("names the file the config came from, when the host is told it", async () => {
                expectError(
                    await rejection(pack.configure({ "bucket-location-allowed": { allowedLocation: ["us-east1"] } }, "config/dev.json")),
                    "config",
                    `config/dev.json (policy config of pack ${PACK}): "bucket-location-allowed.allowedLocation" is not a setting of policy ` +
                        "bucket-location-allowed; allowed: enforcementLevel, allowedLocations",
                );
            });
        });

        it("turns a policy that throws into a one-line rpc error naming the policy and the resource", async () => {
            const at = urn("fixture:index:Explode", "boom");
            expectError(
                await rejection(pack.analyze({ urn: at, type: "fixture:index:Explode", properties: {} })),
                "rpc",
                `policy pack "${BASIC}" failed Analyze of ${at}: Error validating resource with policy 'fails-on-request' ` +
                    `from policy pack '${PACK}@v1.2.3': Error: explode on purpose`,
            );
        });
    });

    describe("failures", () => {
        describe("of a running pack", () => {
            let pack: PolicyPackSession;

            before(async () => {
                pack = await startPolicyPack(BASIC, CONTEXT, { rpcTimeoutMs: 3000 });
                await pack.ready();
            });

            after(async () => {
                await pack?.close();
            });

            it("rejects a resource that cannot be put on the wire before calling the pack", async () => {
                const at = urn(BUCKET, "odd");
                try {
                    await pack.analyze(bucket("odd", { when: new Date(0) }));
                    expect.fail("expected a WireFormatError");
                } catch (error) {
                    expect(error).to.be.instanceOf(WireFormatError);
                    expect((error as Error).message).to.equal(
                        `cannot send ${at} to the policy pack: property when holds a Date, which has no wire form`,
                    );
                }
            });

            it("gives up on a call the pack does not answer within rpcTimeoutMs", async () => {
                const at = urn("fixture:index:Hang", "forever");
                const started = Date.now();
                expectError(
                    await rejection(pack.analyze({ urn: at, type: "fixture:index:Hang", properties: {} })),
                    "timeout",
                    `policy pack "${BASIC}" did not answer Analyze of ${at} in time`,
                );
                expect(Date.now() - started).to.be.below(15_000);
            });

            it("reports a pack that exits during Analyze as a crash with its exit code and stderr, and leaves no process", async () => {
                const at = urn("fixture:index:Exit", "bye");
                expectError(
                    await rejection(pack.analyze({ urn: at, type: "fixture:index:Exit", properties: {} })),
                    "crash",
                    `policy pack "${BASIC}" exited with code 3 during Analyze of ${at}; stderr: exiting on purpose`,
                );
                await pack.close();
                expect(isRunning(pack.pid)).to.equal(false);
            });
        });

        it("reports a pack that throws at start-up, with the error from its stderr, quickly and without a process left", async () => {
            const dir = path.join(PACKS, "throws-at-start");
            const started = Date.now();
            const pack = await startPolicyPack(dir, CONTEXT);
            const error = await rejection(pack.ready());
            expect(Date.now() - started).to.be.below(20_000);
            expect(error.kind).to.equal("start");
            expect(error.message).to.equal(
                `policy pack "${dir}" exited with code 32 before printing its port; stderr: ` +
                    `error: [runtime] Running program '${dir}' failed with an unhandled exception: | Error: fixture pack fails on purpose at start-up`,
            );
            expect(isRunning(pack.pid)).to.equal(false);
            await pack.close();
        });

        it("kills a pack that prints no port within startTimeoutMs and says so", async () => {
            const dir = path.join(PACKS, "silent");
            const started = Date.now();
            const pack = await startPolicyPack(dir, CONTEXT, { startTimeoutMs: 1500 });
            expectError(
                await rejection(pack.analyze(bucket("data", {}))),
                "timeout",
                `policy pack "${dir}" printed no port within 1500 ms`,
            );
            expect(Date.now() - started).to.be.below(15_000);
            expect(isRunning(pack.pid)).to.equal(false);
            await pack.close();
        });

        it("kills a pack whose first stdout line is not a port and quotes that line", async () => {
            const dir = temporaryPack({
                "package.json": JSON.stringify({ name: "chatty-fixture", version: "0.0.1", main: "index.ts" }),
                "PulumiPolicy.yaml": "runtime: nodejs\n",
                "index.ts": 'console.log("listening on 8080");\nsetInterval(() => undefined, 60_000);\n',
            });
            try {
                const pack = await startPolicyPack(dir, CONTEXT);
                expectError(
                    await rejection(pack.ready()),
                    "start",
                    `policy pack "${dir}" wrote an invalid port to stdout: could not parse port: "listening on 8080"`,
                );
                expect(isRunning(pack.pid)).to.equal(false);
                await pack.close();
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("rejects a folder without PulumiPolicy.yaml before starting anything, as the CLI does", async () => {
            const dir = path.join(PACKS, "no-such-pack");
            expectError(
                await rejection(startPolicyPack(dir, CONTEXT)),
                "project",
                `failed to load Pulumi policy project located at "${dir}": ${path.join(dir, "PulumiPolicy.yaml")} does not exist`,
            );
        });

        it("kills a pack that is closed while it starts, and refuses calls after close()", async () => {
            const pack = await startPolicyPack(BASIC, CONTEXT);
            await pack.close();
            expect(isRunning(pack.pid)).to.equal(false);
            expectError(await rejection(pack.ready()), "closed", `policy pack "${BASIC}" was used after close()`);
            expectError(await rejection(pack.analyze(bucket("data", {}))), "closed", `policy pack "${BASIC}" was used after close()`);
            await pack.close();
        });
    });

    describe("TypeScript", () => {
        const typeErrorPack = {
            "package.json": JSON.stringify({ name: "typed-fixture", version: "0.0.1", main: "index.ts" }),
            "PulumiPolicy.yaml": "runtime: nodejs\n",
            "index.ts":
                'import { PolicyPack } from "@pulumi/policy";\nconst count: number = "many";\nnew PolicyPack("typed-fixture", { policies: [] });\n',
        };
        let dir: string;

        before(() => {
            dir = temporaryPack(typeErrorPack);
        });

        after(() => {
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("type-checks the pack at start-up like the CLI's run-policy-pack when typeCheck is on", async () => {
            const pack = await startPolicyPack(dir, CONTEXT, { typeCheck: true });
            try {
                const error = await rejection(pack.ready());
                expect(error.kind).to.equal("start");
                expect(error.message).to.contain("error TS2322: Type 'string' is not assignable to type 'number'.");
            } finally {
                await pack.close();
            }
        });

        it("only transpiles by default (npm run typecheck checks the pack), so the same pack starts", async () => {
            const pack = await startPolicyPack(dir, CONTEXT);
            try {
                expect((await pack.info()).name).to.equal("typed-fixture");
            } finally {
                await pack.close();
            }
        });
    });

    describe("the real pack in policies/", () => {
        it("serves every policy of policy-list.ts with its level (GetAnalyzerInfo)", async () => {
            const pack = await startPolicyPack(path.join(ROOT, "policies"), {
                stack: "fixture-stack",
                project: "fixture-project",
                dryRun: true,
                config: {},
            });
            try {
                const info = await pack.info();
                const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "package.json"), "utf8")) as { version: string };
                expect({ name: info.name, version: info.version }).to.deep.equal({ name: PACK_NAME, version: manifest.version });
                expect(info.policies.map((p) => [p.name, p.enforcementLevel])).to.deep.equal(
                    realPolicies
                        .map((p) => [p.name, p.enforcementLevel ?? "advisory"])
                        .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
                );
            } finally {
                await pack.close();
            }
        });
    });

    describe("how the pack is started", () => {
        it("gives the pack the CLI's environment: PULUMI_CONFIG and the PULUMI_NODEJS_ / PULUMI_ stack variables", () => {
            const env = policyPackEnv(
                { PATH: "/bin", PULUMI_STACK: "inherited" },
                { stack: "s", project: "p", dryRun: false, config: { "p:k": "v" } },
            );
            expect(env).to.deep.equal({
                PATH: "/bin",
                PULUMI_CONFIG: '{"p:k":"v"}',
                PULUMI_NODEJS_PROJECT: "p",
                PULUMI_NODEJS_STACK: "s",
                PULUMI_NODEJS_DRY_RUN: "false",
                PULUMI_PROJECT: "p",
                PULUMI_STACK: "s",
                PULUMI_DRY_RUN: "false",
            });
        });

        it("passes PulumiPolicy.yaml's runtime options as sorted -key=value arguments and prefers its version", () => {
            const dir = temporaryPack({
                "PulumiPolicy.yaml":
                    "runtime:\n  name: nodejs\n  options:\n    typescript: false\n    empty: ''\n    b: 2\nversion: 9.9.9\n",
            });
            try {
                expect(loadPolicyPackProject(dir)).to.deep.equal({
                    dir,
                    runtime: "nodejs",
                    runtimeArgs: ["-b=2", "-typescript=false"],
                    version: "9.9.9",
                });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("refuses a pack whose runtime is not nodejs, naming the file and the key", () => {
            const dir = temporaryPack({ "PulumiPolicy.yaml": "runtime: python\n" });
            try {
                expect(() => loadPolicyPackProject(dir)).to.throw(
                    PolicyPackError,
                    `failed to load Pulumi policy project located at "${dir}": ${path.join(dir, "PulumiPolicy.yaml")} has \`runtime\` "python"; only "nodejs" policy packs can be run offline`,
                );
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("reads the port from the first stdout line as the CLI does", () => {
            expect([parsePort("43215"), parsePort(" 8080\r")]).to.deep.equal([43215, 8080]);
            expect(() => parsePort("listening on 8080")).to.throw('could not parse port: "listening on 8080"');
            expect(() => parsePort("70000")).to.throw("invalid port number: 70000");
        });
    });
});
