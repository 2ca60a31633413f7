/**
 * Running a program as the Pulumi CLI's Node language host does (language-host/), in process: what
 * it reads from Pulumi.yaml, the arguments and variables it builds, the mock monitor's answers over
 * gRPC, and one run of a tiny JavaScript program under cmd/run. The staging program under cmd/run,
 * type-checking and not, is proven by tests/speed/language-host.test.ts (seconds a run).
 */
import * as grpc from "@grpc/grpc-js";
import type * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as resourceGrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import { expect } from "chai";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { rmSync } from "node:fs";
import * as path from "node:path";
import { MockCloud } from "../../check/mock-cloud";
import { type MockMonitorServer, startMockMonitor } from "../../language-host/mock-monitor-server";
import { languageHostCommand, readProjectFile, runAsLanguageHost, splitNodeArgs } from "../../language-host/run-as-language-host";
import { scratchDir } from "../speed/scratch-dir";

const STACK_FILE = "config:\n  demo:greeting: hello\n  demo:nested:\n    a: 1\n  gcp:region: here\n  demo:token:\n    secure: AAAA\n";

describe("language host: Pulumi.yaml as the CLI hands it over", () => {
    const made: string[] = [];
    const project = (yaml: string): string => {
        const dir = scratchDir({ "Pulumi.yaml": yaml });
        made.push(dir);
        return dir;
    };
    after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

    it("reads the name, main and the runtime options the Node host reads, each only with its own type", () => {
        const dir = project(
            "name: demo\nmain: src/\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    tsconfig: tsconfig.cli.json\n    nodeargs: --max-old-space-size=512\n    packagemanager: npm\n",
        );
        expect(readProjectFile(dir)).to.deep.equal({
            name: "demo",
            main: "src/",
            options: { typescript: false, tsconfig: "tsconfig.cli.json", nodeargs: "--max-old-space-size=512" },
        });
        const wrongTypes = project(
            "name: demo\nmain: 3\nruntime:\n  name: nodejs\n  options:\n    typescript: 'false'\n    tsconfig: 1\n    nodeargs: [a]\n",
        );
        expect(readProjectFile(wrongTypes)).to.deep.equal({ name: "demo", options: {} });
    });

    it("has no options for a runtime given by name alone, or options that are not a map", () => {
        expect(readProjectFile(project("name: demo\nruntime: nodejs\n"))).to.deep.equal({ name: "demo", options: {} });
        expect(readProjectFile(project("name: demo\nruntime:\n  name: nodejs\n"))).to.deep.equal({ name: "demo", options: {} });
        expect(readProjectFile(project("name: demo\nruntime:\n  name: nodejs\n  options: [1]\n"))).to.deep.equal({
            name: "demo",
            options: {},
        });
    });

    it("refuses a file without a string name, naming the file", () => {
        for (const yaml of ["runtime: nodejs\n", "name: 3\n", "- name: demo\n", ""]) {
            const dir = project(yaml);
            expect(() => readProjectFile(dir), yaml).to.throw(`${path.join(dir, "Pulumi.yaml")}: \`name\` must be a string`);
        }
    });
});

describe("language host: nodeargs split as shlex splits them", () => {
    it("splits on any whitespace and keeps quoted spaces, either quote", () => {
        expect(splitNodeArgs(" -r\tsucrase/register/ts\n--title \"a b\" 'c d' ")).to.deep.equal([
            "-r",
            "sucrase/register/ts",
            "--title",
            "a b",
            "c d",
        ]);
        expect(splitNodeArgs("")).to.deep.equal([]);
        expect(splitNodeArgs("   ")).to.deep.equal([]);
    });

    it("joins quoted parts to the word around them, and keeps an empty quoted word", () => {
        expect(splitNodeArgs(`a"b c"d ''`)).to.deep.equal(["ab cd", ""]);
        expect(splitNodeArgs(`"x"'y'`)).to.deep.equal(["xy"]);
    });

    it("escapes with a backslash outside quotes and inside double quotes, never inside single quotes", () => {
        expect(splitNodeArgs('e\\ f \\"g')).to.deep.equal(["e f", '"g']);
        expect(splitNodeArgs('"a\\"b"')).to.deep.equal(['a"b']);
        expect(splitNodeArgs("'a\\b'")).to.deep.equal(["a\\b"]);
        // A backslash at the very end escapes nothing and is kept.
        expect(splitNodeArgs("a\\")).to.deep.equal(["a\\"]);
    });

    it("refuses an unclosed quote, naming it and the text", () => {
        expect(() => splitNodeArgs('--title "a')).to.throw('nodeargs: unclosed " in "--title "a"');
        expect(() => splitNodeArgs("'a")).to.throw(`nodeargs: unclosed ' in "'a"`);
        expect(() => splitNodeArgs('"a\\')).to.throw('nodeargs: unclosed " in ""a\\"');
    });
});

describe("language host: the command it runs", () => {
    let dir: string;
    before(() => {
        dir = scratchDir({
            "Pulumi.yaml":
                "name: demo\nmain: app/\nruntime:\n  name: nodejs\n  options:\n    tsconfig: tsconfig.cli.json\n    nodeargs: -r ./hook.js --no-warnings\n",
            "Pulumi.dev.yaml": STACK_FILE,
        });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("runs nodeargs, then cmd/run resolved from the project, with every argument the host passes", () => {
        const { args, project } = languageHostCommand({ projectDir: dir, stack: "dev", preview: true, parallel: 4 }, "127.0.0.1:9");
        expect(project).to.equal("demo");
        expect(args).to.deep.equal([
            "-r",
            "./hook.js",
            "--no-warnings",
            require.resolve("@pulumi/pulumi/cmd/run", { paths: [dir] }),
            "--monitor",
            "127.0.0.1:9",
            "--organization",
            "organization",
            "--project",
            "demo",
            "--root-directory",
            dir,
            "--stack",
            "dev",
            "--pwd",
            dir,
            "--dry-run",
            "--parallel",
            "4",
            "app/",
        ]);
    });

    it("leaves --dry-run out of an update, runs 16 in parallel by default, and resolves a relative project folder", () => {
        const { args } = languageHostCommand({ projectDir: path.relative(process.cwd(), dir), stack: "dev", preview: false }, "m");
        expect(args.slice(-9)).to.deep.equal(["--root-directory", dir, "--stack", "dev", "--pwd", dir, "--parallel", "16", "app/"]);
        expect(args).to.not.include("--dry-run");
    });

    it("passes the config as <namespace>:config:<name>, the secret keys, TypeScript on and the tsconfig, over the CLI's environment", () => {
        const { env } = languageHostCommand(
            { projectDir: dir, stack: "dev", preview: true, baseEnv: { PATH: "/bin", PULUMI_CONFIG: "stale" } },
            "m",
        );
        expect(env).to.deep.equal({
            PATH: "/bin",
            PULUMI_CONFIG: JSON.stringify({
                "demo:config:greeting": "hello",
                "demo:config:nested": '{"a":1}',
                "gcp:config:region": "here",
                "demo:config:token":
                    env.PULUMI_CONFIG === undefined ? "" : (JSON.parse(env.PULUMI_CONFIG) as Record<string, string>)["demo:config:token"],
            }),
            PULUMI_CONFIG_SECRET_KEYS: '["demo:token"]',
            PULUMI_NODEJS_TYPESCRIPT: "true",
            PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.cli.json",
        });
        expect(Object.keys(JSON.parse(env.PULUMI_CONFIG as string) as object)).to.deep.equal([
            "demo:config:greeting",
            "demo:config:nested",
            "gcp:config:region",
            "demo:config:token",
        ]);
    });

    it("takes replaced runtime options: TypeScript off and an empty tsconfig set nothing, no nodeargs adds nothing, main defaults to the folder", () => {
        const bare = scratchDir({ "Pulumi.yaml": "name: demo\nruntime: nodejs\n", "Pulumi.dev.yaml": "config: {}\n" });
        try {
            const { env, args } = languageHostCommand(
                { projectDir: bare, stack: "dev", preview: true, baseEnv: {}, runtimeOptions: { typescript: false, tsconfig: "" } },
                "m",
            );
            expect(env).to.deep.equal({ PULUMI_CONFIG: "{}", PULUMI_CONFIG_SECRET_KEYS: "[]" });
            expect(args[0]).to.equal(require.resolve("@pulumi/pulumi/cmd/run", { paths: [bare] }));
            expect(args.at(-1)).to.equal(".");
            const typed = languageHostCommand({ projectDir: bare, stack: "dev", preview: true, baseEnv: {} }, "m");
            expect(typed.env).to.deep.equal({ PULUMI_CONFIG: "{}", PULUMI_CONFIG_SECRET_KEYS: "[]", PULUMI_NODEJS_TYPESCRIPT: "true" });
        } finally {
            rmSync(bare, { recursive: true, force: true });
        }
    });
});

describe("language host: the mock monitor, over gRPC", function () {
    this.timeout(20_000);
    let monitor: MockMonitorServer;
    let client: resourceGrpc.ResourceMonitorClient;
    before(async () => {
        monitor = await startMockMonitor(
            new MockCloud({ strict: true, knownTypes: ["pulumi:pulumi:Stack", "demo:index:Thing"] }),
            "dev",
            "demo",
        );
        client = new resourceGrpc.ResourceMonitorClient(monitor.address, grpc.credentials.createInsecure());
    });
    after(async () => {
        client.close();
        await monitor.close();
    });

    const unary = <T>(call: (callback: (error: grpc.ServiceError | null, response: T) => void) => void): Promise<T> =>
        new Promise((resolve, reject) => call((error, response) => (error ? reject(error) : resolve(response))));
    const register = (type: string, name: string, parent: string, custom: boolean, inputs: Record<string, unknown> = {}) =>
        unary<resourcePb.RegisterResourceResponse>((done) =>
            client.registerResource(
                new resourcePb.RegisterResourceRequest()
                    .setType(type)
                    .setName(name)
                    .setParent(parent)
                    .setCustom(custom)
                    .setObject(Struct.fromJavaScript(inputs as Parameters<typeof Struct.fromJavaScript>[0])),
                done,
            ),
        );

    it("listens on a local port", () => {
        expect(monitor.address).to.match(/^127\.0\.0\.1:[1-9][0-9]*$/);
    });

    it("supports every feature but Output values as inputs, as the SDK's own mock monitor", async () => {
        const supports = async (id: string) =>
            (
                await unary<resourcePb.SupportsFeatureResponse>((done) =>
                    client.supportsFeature(new resourcePb.SupportsFeatureRequest().setId(id), done),
                )
            ).getHassupport();
        expect([await supports("outputValues"), await supports("secrets"), await supports("resourceReferences")]).to.deep.equal([
            false,
            true,
            true,
        ]);
    });

    it("builds URNs as the engine does, answers with the mock cloud's id and state, and records each registration", async () => {
        const stack = await register("pulumi:pulumi:Stack", "demo-dev", "", false);
        expect([stack.getUrn(), stack.getId()]).to.deep.equal(["urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev", ""]);
        const thing = await register("demo:index:Thing", "t", stack.getUrn(), true, { size: 2 });
        expect([thing.getUrn(), thing.getId(), thing.getObject()?.toJavaScript()]).to.deep.equal([
            "urn:pulumi:dev::demo::demo:index:Thing::t",
            "t-id",
            { size: 2 },
        ]);
        const group = await register("demo:index:Thing", "g", "", false);
        const child = await register("demo:index:Thing", "c", group.getUrn(), true);
        expect(child.getUrn()).to.equal("urn:pulumi:dev::demo::demo:index:Thing$demo:index:Thing::c");
        expect(monitor.resources.slice(0, 2)).to.deep.equal([
            {
                urn: "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev",
                type: "pulumi:pulumi:Stack",
                name: "demo-dev",
                parent: "",
                custom: false,
                inputs: {},
            },
            {
                urn: "urn:pulumi:dev::demo::demo:index:Thing::t",
                type: "demo:index:Thing",
                name: "t",
                parent: stack.getUrn(),
                custom: true,
                inputs: { size: 2 },
            },
        ]);
    });

    it("fails a registration the mock cloud refuses with its message, after recording it", async () => {
        const before = monitor.resources.length;
        try {
            await register("demo:index:Unknown", "u", "", true);
            expect.fail("expected the registration to fail");
        } catch (error) {
            expect([(error as grpc.ServiceError).code, (error as grpc.ServiceError).details]).to.deep.equal([
                grpc.status.UNKNOWN,
                'Unexpected resource demo:index:Unknown "u": the mock cloud does not know this type.',
            ]);
        }
        expect(monitor.resources.length).to.equal(before + 1);
    });

    it("answers an invoke with the mock cloud's answer, or its refusal", async () => {
        try {
            await unary<providerPb.InvokeResponse>((done) =>
                client.invoke(
                    new resourcePb.ResourceInvokeRequest().setTok("demo:index:getThing").setArgs(Struct.fromJavaScript({ a: 1 })),
                    done,
                ),
            );
            expect.fail("expected the invoke to fail");
        } catch (error) {
            expect([(error as grpc.ServiceError).code, (error as grpc.ServiceError).details]).to.deep.equal([
                grpc.status.UNKNOWN,
                "Unexpected invoke demo:index:getThing: Netra's program makes no provider calls.",
            ]);
        }
        const lenient = await startMockMonitor(new MockCloud({ config: { "gcp:project": "p1" } }), "dev", "demo");
        const other = new resourceGrpc.ResourceMonitorClient(lenient.address, grpc.credentials.createInsecure());
        try {
            const answer = await unary<providerPb.InvokeResponse>((done) =>
                other.invoke(
                    new resourcePb.ResourceInvokeRequest()
                        .setTok("gcp:organizations/getProject:getProject")
                        .setArgs(Struct.fromJavaScript({})),
                    done,
                ),
            );
            expect(answer.getReturn()?.toJavaScript()).to.deep.include({ id: "projects/p1", projectId: "p1" });
            const empty = await unary<providerPb.InvokeResponse>((done) =>
                other.invoke(new resourcePb.ResourceInvokeRequest().setTok("demo:index:getThing"), done),
            );
            expect(empty.getReturn()?.toJavaScript()).to.deep.equal({});
        } finally {
            other.close();
            await lenient.close();
        }
        // Closed, it answers no one.
        const late = new resourceGrpc.ResourceMonitorClient(lenient.address, grpc.credentials.createInsecure());
        try {
            const refused = await unary<resourcePb.SupportsFeatureResponse>((done) =>
                late.supportsFeature(
                    new resourcePb.SupportsFeatureRequest().setId("secrets"),
                    new grpc.Metadata(),
                    { deadline: Date.now() + 2000 },
                    done,
                ),
            ).then(
                () => undefined,
                (error: grpc.ServiceError) => error.code,
            );
            expect(refused).to.be.oneOf([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]);
        } finally {
            late.close();
        }
    });

    it("keeps the outputs a program registers, by URN, and answers the shutdown signal", async () => {
        await unary<Empty>((done) =>
            client.registerResourceOutputs(
                new resourcePb.RegisterResourceOutputsRequest().setUrn("urn:x").setOutputs(Struct.fromJavaScript({ url: "https://x" })),
                done,
            ),
        );
        await unary<Empty>((done) => client.registerResourceOutputs(new resourcePb.RegisterResourceOutputsRequest().setUrn("urn:y"), done));
        expect([...monitor.outputs]).to.deep.equal([
            ["urn:x", { url: "https://x" }],
            ["urn:y", {}],
        ]);
        expect(await unary<Empty>((done) => client.signalAndWaitForShutdown(new Empty(), done))).to.be.an.instanceOf(Empty);
    });
});

describe("language host: a run under cmd/run", function () {
    this.timeout(120_000);
    let dir: string;
    before(() => {
        dir = scratchDir({
            "Pulumi.yaml": "name: demo\nmain: index.js\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
            "Pulumi.dev.yaml": "config:\n  demo:greeting: hello\n",
            "index.js":
                'const pulumi = require("@pulumi/pulumi");\n' +
                'const greeting = new pulumi.Config().require("greeting");\n' +
                'class Thing extends pulumi.CustomResource { constructor(name, args) { super("demo:index:Thing", name, args); } }\n' +
                "const thing = new Thing(`t-${pulumi.runtime.isDryRun() ? 'preview' : 'update'}`, { greeting });\n" +
                "thing.id.apply((id) => console.log(`id ${id}`));\n" +
                'console.log("program ran");\nconsole.error("program warns");\n' +
                // As the host gives it: no stdin, so reading it ends at once (a pipe left open would never end).
                'process.stdin.on("data", () => undefined).on("end", () => console.log("stdin ended"));\n',
        });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("runs the program to its exit against the mock monitor, with the stack's config, and returns what it registered and printed", async () => {
        const started = process.hrtime.bigint();
        const result = await runAsLanguageHost({ projectDir: dir, stack: "dev", preview: true, baseEnv: { PATH: process.env.PATH } });
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        // In a preview the mock cloud leaves the id unknown, so the program's apply on it never runs.
        expect({ code: result.code, signal: result.signal, stderr: result.stderr, stdout: result.stdout }).to.deep.equal({
            code: 0,
            signal: null,
            stderr: "program warns\n",
            stdout: "program ran\nstdin ended\n",
        });
        expect(result.resources.map((resource) => [resource.urn, resource.inputs])).to.deep.equal([
            ["urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev", {}],
            ["urn:pulumi:dev::demo::demo:index:Thing::t-preview", { greeting: "hello" }],
        ]);
        // Milliseconds from spawn to exit: within the time the whole call took.
        expect(result.ms).to.be.a("number").greaterThan(0).and.at.most(wallMs);
    });
});
