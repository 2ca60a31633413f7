/**
 * The policy pack host's session (check/policy-pack-host.ts) against a stand-in pack whose Analyzer
 * server runs in this process: the calls it makes, in the CLI's order and with the CLI's contents,
 * and how it words every failure. The real pack is judged by policy-pack-host.test.ts (spawned, slow);
 * these run in process, so mutation testing can judge the host by them.
 */
import * as grpc from "@grpc/grpc-js";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { expect } from "chai";
import * as path from "node:path";
import {
    MAX_ENV_STRING_BYTES,
    policyPackEnv,
    type PolicyPackContext,
    type PolicyPackSession,
    type PolicyPackStartOptions,
    startPolicyPack,
} from "../../check/policy-pack-host";
import { diagnostic, EMPTY, type FakeAnalyzer, type Handlers, policyInfo, startFakeAnalyzer } from "../support/fake-analyzer";
import { type FakePacks, failure, fakePacks, isRunning, unservedPort } from "../support/fake-packs";

const { ADVISORY, MANDATORY, DISABLED, REMEDIATE } = pb.EnforcementLevel;
const { POLICY_TYPE_RESOURCE, POLICY_TYPE_STACK, POLICY_TYPE_UNKNOWN } = pb.PolicyType;
const { POLICY_SEVERITY_HIGH, POLICY_SEVERITY_LOW, POLICY_SEVERITY_CRITICAL, POLICY_SEVERITY_MEDIUM } = pb.PolicySeverity;

const CONTEXT: PolicyPackContext = {
    stack: "fake-stack",
    project: "fake-project",
    organization: "fake-org",
    dryRun: true,
    config: { "fake:greeting": "hello", "fake:token": "secret" },
    configSecretKeys: ["fake:token"],
    tags: { team: "platform" },
};
const URN = (name: string): string => `urn:pulumi:fake-stack::fake-project::fake:index:Bucket::${name}`;
const bucket = (name: string) => ({ urn: URN(name), type: "fake:index:Bucket", properties: { name } });

/** Two resource policies and a stack policy; `owner` takes config. */
function analyzerInfo(supportsConfig = true): pb.AnalyzerInfo {
    const info = new pb.AnalyzerInfo()
        .setName("fake-pack")
        .setDisplayname("Fake pack")
        .setVersion("0.0.1")
        .setDescription("A stand-in.")
        .setSupportsconfig(supportsConfig)
        .setPoliciesList([
            policyInfo("zeta-stack", ADVISORY, POLICY_TYPE_STACK, { severity: POLICY_SEVERITY_LOW }),
            policyInfo("owner", MANDATORY, POLICY_TYPE_RESOURCE, {
                severity: POLICY_SEVERITY_HIGH,
                schema: { properties: { label: { type: "string", default: "owner" } }, required: ["label"] },
            }),
            policyInfo("beta", DISABLED, POLICY_TYPE_UNKNOWN),
        ]);
    info.getInitialconfigMap().set("beta", new pb.PolicyConfig().setEnforcementlevel(ADVISORY));
    return info;
}

/** What Configure sent: each policy's level and properties. */
function configured(request: pb.ConfigureAnalyzerRequest): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    request.getPolicyconfigMap().forEach((entry, name) => {
        result[name] = { level: entry.getEnforcementlevel(), properties: entry.getProperties()?.toJavaScript() };
    });
    return result;
}

describe("policy pack session (a stand-in pack, its Analyzer server in process)", function () {
    this.timeout(20_000);
    let packs: FakePacks;
    let server: FakeAnalyzer | undefined;
    let session: PolicyPackSession | undefined;
    let count = 0;

    before(() => {
        packs = fakePacks();
    });
    afterEach(async () => {
        await session?.close();
        await server?.close();
        session = undefined;
        server = undefined;
    });
    after(() => packs.remove());

    const BASE: Handlers = {
        getAnalyzerInfo: () => analyzerInfo(),
        configure: () => EMPTY,
        configureStack: () => new pb.AnalyzerStackConfigureResponse(),
    };

    /** Starts the server and a pack that announces its port; `yaml` is the pack's PulumiPolicy.yaml. */
    async function open(
        handlers: Handlers,
        options: PolicyPackStartOptions = {},
        yaml = "runtime: nodejs\n",
        context: PolicyPackContext = CONTEXT,
    ): Promise<{ session: PolicyPackSession; server: FakeAnalyzer; dir: string }> {
        server = await startFakeAnalyzer({ ...BASE, ...handlers });
        const dir = packs.pack(`pack-${++count}`, `console.log(${server.port});\nsetInterval(() => undefined, 1000);\n`, {
            "PulumiPolicy.yaml": yaml,
        });
        session = await startPolicyPack(dir, context, options);
        return { session, server, dir };
    }

    const methods = (): string[] => (server as FakeAnalyzer).calls.map((call) => call.method);

    it("calls Handshake, ConfigureStack, GetAnalyzerInfo and Configure in the CLI's order, with the CLI's contents", async () => {
        const { session, server, dir } = await open({ handshake: () => new pb.AnalyzerHandshakeResponse() });
        await session.ready();
        expect(methods()).to.deep.equal(["handshake", "configureStack", "getAnalyzerInfo", "configure"]);
        const handshake = server.calls[0].request as pb.AnalyzerHandshakeRequest;
        expect([handshake.getEngineAddress(), handshake.getRootDirectory(), handshake.getProgramDirectory()]).to.deep.equal([
            "127.0.0.1:0",
            dir,
            dir,
        ]);
        const stack = server.calls[1].request as pb.AnalyzerStackConfigureRequest;
        expect({
            stack: stack.getStack(),
            project: stack.getProject(),
            organization: stack.getOrganization(),
            dryRun: stack.getDryRun(),
            config: stack.getConfigMap().toObject(),
            secretKeys: stack.getConfigSecretKeysList(),
            tags: stack.getTagsMap().toObject(),
        }).to.deep.equal({
            stack: "fake-stack",
            project: "fake-project",
            organization: "fake-org",
            dryRun: true,
            config: [
                ["fake:greeting", "hello"],
                ["fake:token", "secret"],
            ],
            secretKeys: ["fake:token"],
            tags: [["team", "platform"]],
        });
        // Every policy with its default level and schema defaults, then the pack's initial config.
        expect(configured(server.calls[3].request as pb.ConfigureAnalyzerRequest)).to.deep.equal({
            "zeta-stack": { level: ADVISORY, properties: {} },
            owner: { level: MANDATORY, properties: { label: "owner" } },
            beta: { level: ADVISORY, properties: {} },
        });
    });

    it("carries on when the pack implements neither Handshake nor ConfigureStack", async () => {
        const { session, server } = await open({ configureStack: undefined });
        await session.ready();
        expect(methods()).to.deep.equal(["getAnalyzerInfo", "configure"]);
        expect(server.calls).to.have.length(2);
    });

    it("describes the pack and its policies, sorted by name, preferring PulumiPolicy.yaml's version", async () => {
        const { session } = await open({}, {}, "runtime: nodejs\nversion: 7.7.7\n");
        expect(await session.info()).to.deep.equal({
            name: "fake-pack",
            displayName: "Fake pack",
            version: "7.7.7",
            description: "A stand-in.",
            supportsConfig: true,
            policies: [
                {
                    name: "beta",
                    displayName: "beta shown",
                    description: "beta described",
                    enforcementLevel: "disabled",
                    type: "unknown",
                    severity: "",
                },
                {
                    name: "owner",
                    displayName: "owner shown",
                    description: "owner described",
                    enforcementLevel: "mandatory",
                    type: "resource",
                    severity: "high",
                    configSchema: { properties: { label: { type: "string", default: "owner" } }, required: ["label"] },
                },
                {
                    name: "zeta-stack",
                    displayName: "zeta-stack shown",
                    description: "zeta-stack described",
                    enforcementLevel: "advisory",
                    type: "stack",
                    severity: "low",
                },
            ],
            initialConfig: { beta: { enforcementLevel: "advisory" } },
        });
    });

    it("takes the pack's own version without one in PulumiPolicy.yaml, and keeps initial config properties", async () => {
        const info = analyzerInfo();
        info.getInitialconfigMap().set(
            "owner",
            new pb.PolicyConfig()
                .setEnforcementlevel(MANDATORY)
                .setProperties((await import("google-protobuf/google/protobuf/struct_pb")).Struct.fromJavaScript({ label: "team" })),
        );
        const { session, server } = await open({ getAnalyzerInfo: () => info });
        const described = await session.info();
        expect([described.version, described.initialConfig]).to.deep.equal([
            "0.0.1",
            { beta: { enforcementLevel: "advisory" }, owner: { enforcementLevel: "mandatory", properties: { label: "team" } } },
        ]);
        expect(configured(server.calls.at(-1)?.request as pb.ConfigureAnalyzerRequest).owner).to.deep.equal({
            level: MANDATORY,
            properties: { label: "team" },
        });
    });

    it("reports violations on the analyzed resource, remediate as mandatory, a missing severity as the policy's, the yaml's version", async () => {
        const { session, server } = await open(
            {
                analyze: () =>
                    new pb.AnalyzeResponse().setDiagnosticsList([
                        diagnostic("owner", REMEDIATE, "no owner", { urn: "urn:ignored" }),
                        diagnostic("zeta-stack", ADVISORY, "odd", { severity: POLICY_SEVERITY_CRITICAL }),
                        diagnostic("unknown-policy", ADVISORY, "who"),
                    ]),
            },
            {},
            "runtime: nodejs\nversion: 7.7.7\n",
        );
        expect(await session.analyze(bucket("a"))).to.deep.equal([
            {
                policy: "owner",
                packName: "fake-pack",
                packVersion: "7.7.7",
                description: "owner described",
                message: "no owner",
                enforcementLevel: "mandatory",
                severity: "high",
                urn: URN("a"),
            },
            {
                policy: "zeta-stack",
                packName: "fake-pack",
                packVersion: "7.7.7",
                description: "zeta-stack described",
                message: "odd",
                enforcementLevel: "advisory",
                severity: "critical",
                urn: URN("a"),
            },
            {
                policy: "unknown-policy",
                packName: "fake-pack",
                packVersion: "7.7.7",
                description: "unknown-policy described",
                message: "who",
                enforcementLevel: "advisory",
                severity: "",
                urn: URN("a"),
            },
        ]);
        const request = server.calls.at(-1)?.request as pb.AnalyzeRequest;
        expect([request.getUrn(), request.getType(), request.getProperties()?.toJavaScript()]).to.deep.equal([
            URN("a"),
            "fake:index:Bucket",
            { name: "a" },
        ]);
    });

    it("keeps the pack's version on a violation when PulumiPolicy.yaml has none", async () => {
        const { session } = await open({ analyze: () => new pb.AnalyzeResponse().setDiagnosticsList([diagnostic("beta", DISABLED, "m")]) });
        expect((await session.analyze(bucket("a")))[0]).to.include({ packVersion: "0.0.1", enforcementLevel: "disabled" });
    });

    /**
     * An Analyze handler that holds every call until `expected` are in flight at once (or 3 s have
     * passed, should fewer ever be sent), so the most in flight is measured however slow the machine.
     */
    function gatedAnalyze(expected: number, answer: (name: string) => pb.AnalyzeResponse) {
        let inFlight = 0;
        let most = 0;
        let open!: () => void;
        const opened = new Promise<void>((resolve) => (open = resolve));
        const analyze = async (request: pb.AnalyzeRequest): Promise<pb.AnalyzeResponse> => {
            inFlight++;
            most = Math.max(most, inFlight);
            if (inFlight === expected) {
                open();
            }
            await Promise.race([opened, new Promise((resolve) => setTimeout(resolve, 3000))]);
            const name = request.getUrn().split("::").at(-1) as string;
            // Later resources answer first.
            await new Promise((resolve) => setTimeout(resolve, 40 - Number(name) * 2));
            inFlight--;
            return answer(name);
        };
        return { analyze, most: () => most };
    }

    it("analyzes many resources at once, at most `concurrency` in flight, and returns violations in the resources' order", async () => {
        const gate = gatedAnalyze(3, (name) => new pb.AnalyzeResponse().setDiagnosticsList([diagnostic("owner", MANDATORY, name)]));
        const names = Array.from({ length: 20 }, (_, index) => String(index));
        const { session } = await open({ analyze: gate.analyze as never }, { concurrency: 3 });
        const messages = (await session.analyzeAll(names.map(bucket))).map((violation) => [violation.message, violation.urn]);
        expect(messages).to.deep.equal(names.map((name) => [name, URN(name)]));
        expect(gate.most()).to.equal(3);
    });

    it("sends 16 Analyze calls at a time by default, and none for no resources", async () => {
        const gate = gatedAnalyze(16, () => new pb.AnalyzeResponse());
        const { session } = await open({ analyze: gate.analyze as never });
        expect(await session.analyzeAll([])).to.deep.equal([]);
        expect(await session.analyzeAll(Array.from({ length: 20 }, (_, index) => bucket(String(index))))).to.deep.equal([]);
        expect(gate.most()).to.equal(16);
    });

    it("analyzes resources as they are added, booting the pack on the first, with violations in the order added", async () => {
        const gate = gatedAnalyze(2, (name) => new pb.AnalyzeResponse().setDiagnosticsList([diagnostic("owner", MANDATORY, name)]));
        const { session } = await open({ analyze: gate.analyze as never }, { concurrency: 2 });
        const stream = session.analyzeStream();
        stream.add([bucket("0")]);
        stream.add([bucket("1"), bucket("2")]);
        const violations = await stream.finish();
        expect(violations.map((violation) => [violation.message, violation.urn, violation.severity])).to.deep.equal([
            ["0", URN("0"), "high"],
            ["1", URN("1"), "high"],
            ["2", URN("2"), "high"],
        ]);
        expect(gate.most()).to.equal(2);
        expect(methods().slice(0, 3)).to.deep.equal(["configureStack", "getAnalyzerInfo", "configure"]);
    });

    it("sends one Analyze call at a time when asked for no concurrency at all", async () => {
        const gate = gatedAnalyze(1, () => new pb.AnalyzeResponse());
        const { session } = await open({ analyze: gate.analyze as never }, { concurrency: 0 });
        expect(await session.analyzeAll([bucket("0"), bucket("1"), bucket("2")])).to.deep.equal([]);
        expect(gate.most()).to.equal(1);
    });

    it("sends and receives messages over gRPC's default limit of 4 MB, as the CLI does", async () => {
        const large = "x".repeat(5 * 1024 * 1024);
        const { session, server } = await open({
            analyze: () => new pb.AnalyzeResponse().setDiagnosticsList([diagnostic("owner", MANDATORY, large)]),
        });
        const violations = await session.analyze({ urn: URN("a"), type: "fake:index:Bucket", properties: { name: large } });
        expect(violations.map((violation) => violation.message.length)).to.deep.equal([large.length]);
        const request = server.calls.at(-1)?.request as pb.AnalyzeRequest;
        expect((request.getProperties()?.toJavaScript() as { name: string }).name.length).to.equal(large.length);
    });

    it("sends every resource to AnalyzeStack, and keeps a violation's URN only when it is one of them", async () => {
        const { session, server } = await open({
            analyzeStack: () =>
                new pb.AnalyzeResponse().setDiagnosticsList([
                    diagnostic("zeta-stack", ADVISORY, "on a", { urn: URN("a"), severity: POLICY_SEVERITY_MEDIUM }),
                    diagnostic("zeta-stack", ADVISORY, "elsewhere", { urn: URN("zz") }),
                    diagnostic("zeta-stack", ADVISORY, "on the stack"),
                ]),
        });
        const violations = await session.analyzeStack([bucket("a"), bucket("b")]);
        expect(violations.map((violation) => [violation.message, violation.urn, violation.severity])).to.deep.equal([
            ["on a", URN("a"), "medium"],
            ["elsewhere", null, "low"],
            ["on the stack", null, "low"],
        ]);
        const request = server.calls.at(-1)?.request as pb.AnalyzeStackRequest;
        expect(request.getResourcesList().map((resource) => resource.getUrn())).to.deep.equal([URN("a"), URN("b")]);
    });

    it("reconfigures: `all` and each policy's entry on top of the defaults, sent after the first Configure", async () => {
        const { session, server } = await open({});
        await session.configure({ all: "advisory", owner: { enforcementLevel: "disabled", label: "team" } });
        expect(methods()).to.deep.equal(["configureStack", "getAnalyzerInfo", "configure", "configure"]);
        // "all" goes to the pack too, as the CLI sends it.
        expect(configured(server.calls[3].request as pb.ConfigureAnalyzerRequest)).to.deep.equal({
            all: { level: ADVISORY, properties: {} },
            "zeta-stack": { level: ADVISORY, properties: {} },
            owner: { level: DISABLED, properties: { label: "team" } },
            beta: { level: ADVISORY, properties: {} },
        });
    });

    it("refuses config it cannot parse, naming the pack, or the file when told it", async () => {
        const { session } = await open({});
        expect(await failure(session.configure({ owner: "loud" }))).to.deep.equal({
            kind: "config",
            message:
                'invalid policy config for pack fake-pack: parsing enforcement level for "owner": "loud" is not a valid enforcement level (allowed: advisory, mandatory, remediate, disabled)',
        });
        expect(await failure(session.configure({ owner: "loud" }, "policy.json"))).to.deep.equal({
            kind: "config",
            message:
                'policy.json (policy config of pack fake-pack): parsing enforcement level for "owner": "loud" is not a valid enforcement level (allowed: advisory, mandatory, remediate, disabled)',
        });
    });

    it("refuses config that fails a policy's schema, naming the pack and version, or the file", async () => {
        const { session } = await open({}, { policyConfig: { owner: { label: 3 } } });
        expect(await failure(session.ready())).to.deep.equal({
            kind: "config",
            message: 'validating policy config: fake-pack 0.0.1: "owner.label" is 3; allowed: a string',
        });
        expect(await failure(session.configure({ nobody: "advisory" }, "p.json"))).to.deep.equal({
            kind: "config",
            message:
                'p.json (policy config of pack fake-pack): "nobody" is not a policy of this pack; allowed: all, beta, owner, zeta-stack',
        });
    });

    it("refuses config for a pack that takes none, and sends it nothing when none is given", async () => {
        const { session, server, dir } = await open({ getAnalyzerInfo: () => analyzerInfo(false) }, {}, "runtime: nodejs\n", {
            stack: "s",
            project: "p",
            dryRun: false,
        });
        await session.ready();
        expect(methods()).to.deep.equal(["configureStack", "getAnalyzerInfo"]);
        expect(server.calls).to.have.length(2);
        // Without an organization, config, secret keys or tags, ConfigureStack carries them empty.
        const stack = server.calls[0].request as pb.AnalyzerStackConfigureRequest;
        expect([
            stack.getOrganization(),
            stack.getDryRun(),
            stack.getConfigMap().getLength(),
            stack.getConfigSecretKeysList(),
            stack.getTagsMap().getLength(),
        ]).to.deep.equal(["", false, 0, [], 0]);
        expect(await failure(session.configure({ owner: "advisory" }))).to.deep.equal({
            kind: "config",
            message: `policy pack fake-pack at "${dir}" does not support config`,
        });
        await session.configure({});
    });

    it("refuses properties for `all` without a level, as the pack cannot be told them", async () => {
        const { session } = await open({});
        expect(await failure(session.configure({ all: { label: "team" } }))).to.deep.equal({
            kind: "config",
            message: 'configuring policy pack fake-pack: invalid enforcement level "" for "all"',
        });
    });

    it("reads a config schema without properties as one with none", async () => {
        const info = analyzerInfo();
        info.getPoliciesList()[1].setConfigschema(new pb.PolicyConfigSchema());
        const { session } = await open({ getAnalyzerInfo: () => info });
        expect((await session.info()).policies.find((policy) => policy.name === "owner")?.configSchema).to.deep.equal({
            properties: {},
            required: [],
        });
    });

    it("starts the pack transpiling only, unless told to type-check as the CLI does", async () => {
        for (const typeCheck of [undefined, true]) {
            const stderr: string[] = [];
            server = await startFakeAnalyzer(BASE);
            const dir = packs.pack(
                `pack-${++count}`,
                `process.stderr.write(JSON.stringify(process.execArgv) + "\\n");\nconsole.log(${server.port});\nsetInterval(() => undefined, 1000);\n`,
                { "PulumiPolicy.yaml": "runtime: nodejs\n" },
            );
            session = await startPolicyPack(dir, CONTEXT, { typeCheck, onOutput: (_stream, line) => stderr.push(line) });
            await session.ready();
            const preloads = (JSON.parse(stderr[0]) as string[]).map((arg) => path.basename(arg));
            expect(preloads, String(typeCheck)).to.deep.equal(
                typeCheck === true
                    ? ["-r", "pack-parent-watchdog-preload.js"]
                    : ["-r", "pack-parent-watchdog-preload.js", "-r", "pack-skip-typescript-preload.js"],
            );
            await session.close();
            await server.close();
        }
    });

    it("names the start-up call that failed: Handshake, ConfigureStack, GetAnalyzerInfo or Configure", async () => {
        const boom = () => ({ code: grpc.status.INTERNAL, details: "boom" });
        const failing: [string, Handlers][] = [
            ["Handshake", { handshake: boom }],
            ["ConfigureStack", { configureStack: boom }],
            ["GetAnalyzerInfo", { getAnalyzerInfo: boom }],
            ["Configure", { configure: boom }],
        ];
        for (const [call, handlers] of failing) {
            const { session, dir } = await open(handlers);
            expect(await failure(session.ready())).to.deep.equal({ kind: "rpc", message: `policy pack "${dir}" failed ${call}: boom` });
            await session.close();
            await server?.close();
        }
    });

    it("takes only Handshake and ConfigureStack as optional: a pack without Analyze fails the call", async () => {
        const { session, dir } = await open({});
        const { kind, message } = await failure(session.analyze(bucket("a")));
        expect(kind).to.equal("rpc");
        expect(message).to.equal(`policy pack "${dir}" failed Analyze of ${URN("a")}: The server does not implement the method analyze`);
    });

    it("joins every schema error of a refused config with semicolons", async () => {
        const { session } = await open({}, { policyConfig: { owner: { label: 3 }, nobody: "advisory" } });
        expect(await failure(session.ready())).to.deep.equal({
            kind: "config",
            message:
                'validating policy config: fake-pack 0.0.1: "nobody" is not a policy of this pack; allowed: all, beta, owner, zeta-stack; "owner.label" is 3; allowed: a string',
        });
    });

    it("closes its connection to the pack's server when closed", async () => {
        const sockets = (): number => process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap").length;
        const { session } = await open({});
        const before = sockets();
        await session.ready();
        expect(sockets()).to.be.above(before);
        await session.close();
        // The socket goes as the channel closes, soon after close() returns.
        for (let waited = 0; sockets() > before && waited < 2000; waited += 20) {
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(sockets()).to.equal(before);
    });

    it("turns a failed call into one line naming the call and the first meaningful lines of the pack's error", async () => {
        const { session, dir } = await open({
            analyze: () => ({
                code: grpc.status.UNKNOWN,
                details: "Error: policy threw\n    at check (/pack/index.ts:3:9)\nline two\nline three\nline four\nline five",
            }),
        });
        expect(await failure(session.analyze(bucket("a")))).to.deep.equal({
            kind: "rpc",
            message: `policy pack "${dir}" failed Analyze of ${URN("a")}: Error: policy threw line two line three line four`,
        });
        expect(await failure(session.analyzeAll([bucket("b")]))).to.deep.equal({
            kind: "rpc",
            message: `policy pack "${dir}" failed Analyze of ${URN("b")}: Error: policy threw line two line three line four`,
        });
    });

    it("names the gRPC status when the pack's error has no details", async () => {
        const { session, dir } = await open({ analyzeStack: () => ({ code: grpc.status.INTERNAL, details: "" }) });
        const { kind, message } = await failure(session.analyzeStack([bucket("a")]));
        expect({ kind, message }).to.deep.equal({ kind: "rpc", message: `policy pack "${dir}" failed AnalyzeStack: 13 INTERNAL:` });
    });

    it("gives up on a call the pack does not answer within rpcTimeoutMs", async () => {
        const { session, dir } = await open({ analyze: () => new Promise(() => undefined) }, { rpcTimeoutMs: 300 });
        await session.ready();
        expect(await failure(session.analyze(bucket("a")))).to.deep.equal({
            kind: "timeout",
            message: `policy pack "${dir}" did not answer Analyze of ${URN("a")} in time`,
        });
    });

    it("reports a pack that dies during a call as a crash, with how it ended", async () => {
        const { session, dir } = await open({
            analyze: async () => {
                process.kill(session.pid as number, "SIGTERM");
                // As a real pack's death would: the connection drops once the process is gone.
                await new Promise((resolve) => setTimeout(resolve, 1000));
                return { code: grpc.status.UNAVAILABLE, details: "Connection dropped" };
            },
        });
        await session.ready();
        expect(await failure(session.analyze(bucket("a")))).to.deep.equal({
            kind: "crash",
            message: `policy pack "${dir}" was killed by SIGTERM during Analyze of ${URN("a")}`,
        });
    });

    it("reports a call that failed otherwise as a crash when the pack had exited by then", async () => {
        const { session, dir } = await open({
            analyze: async () => {
                process.kill(session.pid as number, "SIGTERM");
                while (isRunning(session.pid)) {
                    await new Promise((resolve) => setTimeout(resolve, 20));
                }
                await new Promise((resolve) => setTimeout(resolve, 200));
                return { code: grpc.status.INTERNAL, details: "lost" };
            },
        });
        await session.ready();
        expect(await failure(session.analyze(bucket("a")))).to.deep.equal({
            kind: "crash",
            message: `policy pack "${dir}" was killed by SIGTERM during Analyze of ${URN("a")}`,
        });
    });

    it("says a call failed as unavailable when the pack is still running after a short wait", async () => {
        const { session, dir } = await open({ analyze: () => ({ code: grpc.status.UNAVAILABLE, details: "busy" }) });
        await session.ready();
        expect(await failure(session.analyze(bucket("a")))).to.deep.equal({
            kind: "rpc",
            message: `policy pack "${dir}" failed Analyze of ${URN("a")}: busy`,
        });
        expect(isRunning(session.pid)).to.equal(true);
    });

    it("says a call was cut short by close(), and refuses every call after it", async () => {
        let called!: () => void;
        const reached = new Promise<void>((resolve) => (called = resolve));
        const { session, server, dir } = await open({
            analyze: () => {
                called();
                return new Promise(() => undefined);
            },
        });
        const pending = failure(session.analyze(bucket("a")));
        await reached;
        await session.close();
        server.forceClose(); // the pack's server goes with its process

        expect(await pending).to.deep.equal({ kind: "closed", message: `policy pack "${dir}" was closed during Analyze of ${URN("a")}` });
        expect(isRunning(session.pid)).to.equal(false);
        const used = { kind: "closed", message: `policy pack "${dir}" was used after close()` };
        expect(await failure(session.ready())).to.deep.equal(used);
        expect(await failure(session.info())).to.deep.equal(used);
        expect(await failure(session.configure({}))).to.deep.equal(used);
        expect(await failure(session.analyze(bucket("a")))).to.deep.equal(used);
        expect(await failure(session.analyzeAll([bucket("a")]))).to.deep.equal(used);
        expect(await failure(session.analyzeStack([bucket("a")]))).to.deep.equal(used);
        expect(await failure(Promise.resolve().then(() => session.analyzeStream()))).to.deep.equal(used);
    });

    it("records when the pack printed its port and when it was ready", async () => {
        const before = Date.now();
        const { session, dir } = await open({});
        expect(session.dir).to.equal(dir);
        await session.ready();
        const timings = session.timings();
        expect(Object.keys(timings).sort()).to.deep.equal(["portMs", "readyMs"]);
        expect(timings.portMs).to.be.a("number").at.least(0);
        expect(timings.readyMs)
            .to.be.a("number")
            .at.least(timings.portMs as number)
            .at.most(Date.now() - before);
    });

    /** A pack that prints a port nobody serves, writes `stderr`, and stays up. */
    async function unserved(options: PolicyPackStartOptions, stderr = ""): Promise<{ session: PolicyPackSession; dir: string }> {
        const port = await unservedPort();
        const source = `process.stderr.write(${JSON.stringify(stderr)});\nconsole.log(${port});\nsetInterval(() => undefined, 1000);\n`;
        const dir = packs.pack(`pack-${++count}`, source, { "PulumiPolicy.yaml": "runtime: nodejs\n" });
        session = await startPolicyPack(dir, CONTEXT, options);
        return { session, dir };
    }

    it("gives up connecting, as a timeout with the pack's stderr, when nothing serves the port it printed", async () => {
        const { session, dir } = await unserved({ connectTimeoutMs: 50 }, "Error: not listening\n");
        expect(await failure(session.ready())).to.deep.equal({
            kind: "timeout",
            message: `policy pack "${dir}" did not answer connect in time; stderr: Error: not listening`,
        });
        expect(isRunning(session.pid)).to.equal(true);
    });

    it("says connecting was cut short by close()", async () => {
        // Closing the channel does not end a wait for it: the try ends at its deadline and reads as closed.
        const { session, dir } = await unserved({ connectTimeoutMs: 300 });
        const pending = failure(session.ready());
        while (session.timings().portMs === undefined) {
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await session.close();
        expect(await pending).to.deep.equal({ kind: "closed", message: `policy pack "${dir}" was closed during connect` });
    });

    it("says the session was closed while starting when close() comes between the port and the first call", async () => {
        server = await startFakeAnalyzer(BASE);
        // The port and a line of the pack's own output in one write: the line reaches onOutput before the port is used.
        const dir = packs.pack(
            `pack-${++count}`,
            `process.stdout.write("${server.port}\\nhello\\n");\nsetInterval(() => undefined, 1000);\n`,
            {
                "PulumiPolicy.yaml": "runtime: nodejs\n",
            },
        );
        let closing: Promise<void> | undefined;
        const started = await startPolicyPack(dir, CONTEXT, {
            onOutput: (stream, line) => {
                if (stream === "stdout" && line === "hello") {
                    closing = started.close();
                }
            },
        });
        session = started;
        expect(await failure(started.ready())).to.deep.equal({ kind: "closed", message: `policy pack "${dir}" was closed while starting` });
        await closing;
        expect(server.calls).to.deep.equal([]);
    });

    it("surfaces a pack that fails to start from every method", async () => {
        server = await startFakeAnalyzer(BASE);
        const dir = packs.pack(`pack-${++count}`, 'process.stderr.write("Error: no\\n");\nprocess.exit(4);\n', {
            "PulumiPolicy.yaml": "runtime: nodejs\n",
        });
        session = await startPolicyPack(dir, CONTEXT);
        const started = { kind: "start", message: `policy pack "${dir}" exited with code 4 before printing its port; stderr: Error: no` };
        expect(await failure(session.ready())).to.deep.equal(started);
        // Even with nothing to analyze, a stream's answer waits for a working pack.
        expect(await failure(session.analyzeStream().finish())).to.deep.equal(started);
        expect(await failure(session.analyze(bucket("a")))).to.deep.equal(started);
        expect(session.timings()).to.deep.equal({});
    });

    it("refuses a folder without PulumiPolicy.yaml before starting anything", async () => {
        const dir = packs.pack(`pack-${++count}`, "process.exit(9);\n");
        expect(await failure(startPolicyPack(dir, CONTEXT))).to.deep.equal({
            kind: "project",
            message: `failed to load Pulumi policy project located at "${dir}": ${dir}/PulumiPolicy.yaml does not exist`,
        });
    });
});

describe("policy pack session: the pack's environment, built as the CLI's constructEnv", () => {
    it("adds PULUMI_CONFIG and the stack variables, with and without NODEJS_, leaving empty ones out", () => {
        expect(
            policyPackEnv(
                { PATH: "/bin", PULUMI_ORGANIZATION: "inherited" },
                { stack: "s", project: "", organization: "o", dryRun: true, config: { "p:k": "v" } },
            ),
        ).to.deep.equal({
            PATH: "/bin",
            PULUMI_CONFIG: '{"p:k":"v"}',
            PULUMI_NODEJS_ORGANIZATION: "o",
            PULUMI_NODEJS_STACK: "s",
            PULUMI_NODEJS_DRY_RUN: "true",
            PULUMI_ORGANIZATION: "o",
            PULUMI_STACK: "s",
            PULUMI_DRY_RUN: "true",
        });
        expect(policyPackEnv({}, { stack: "s", project: "p", dryRun: false })).to.deep.equal({
            PULUMI_NODEJS_PROJECT: "p",
            PULUMI_NODEJS_STACK: "s",
            PULUMI_NODEJS_DRY_RUN: "false",
            PULUMI_PROJECT: "p",
            PULUMI_STACK: "s",
            PULUMI_DRY_RUN: "false",
        });
    });

    it("leaves PULUMI_CONFIG out when `PULUMI_CONFIG=<json>` would pass Linux's 128 KiB limit on one string", () => {
        expect(MAX_ENV_STRING_BYTES).to.equal(131_071);
        // `PULUMI_CONFIG=` is 14 bytes and `{"k":""}` 8: a value of 131,049 bytes makes the string exactly the limit.
        const fits = { k: "x".repeat(131_049) };
        expect(policyPackEnv({}, { stack: "s", project: "p", dryRun: false, config: fits }).PULUMI_CONFIG).to.equal(JSON.stringify(fits));
        // Counted in bytes, not characters: one two-byte character more is over.
        const over = { k: `${"x".repeat(131_048)}é` };
        expect(policyPackEnv({}, { stack: "s", project: "p", dryRun: false, config: over }).PULUMI_CONFIG).to.equal(undefined);
    });
});
