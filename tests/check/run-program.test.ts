/**
 * What the worker thread does around the program, run here in process: the registrations recorded
 * at the monitor as the engine would see them, the watch that says what still waits, and invokes the
 * check cannot answer made unknown.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { MockCloud } from "../../check/mock-cloud";
import { InvokeLog } from "../../check/offline-invokes";
import { EngineError, recordRegistration, type RegisterRequest, type RegisterResponse, runUnderMocks } from "../../check/run-program";
import { answerUnknowableInvokesAsUnknown } from "../../check/unknown-invokes";

/** Concrete resource classes (the SDK's are abstract in their types). */
class Bucket extends pulumi.CustomResource {
    constructor(name: string, inputs: pulumi.Inputs, options?: pulumi.CustomResourceOptions) {
        super("fake:index:Bucket", name, inputs, options);
    }
}
class Group extends pulumi.ComponentResource {
    constructor(name: string) {
        super("fake:index:Group", name, {}, {});
    }
}
/** The SDK's own reading of secret config keys (runtime/config.js), which its types do not export. */
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

const NO_OPTIONS = {
    protect: false,
    ignoreChanges: [],
    replaceOnChanges: [],
    deleteBeforeReplace: false,
    additionalSecretOutputs: [],
    aliases: [],
    importId: "",
    retainOnDelete: false,
    deletedWith: "",
    customTimeouts: { create: "", update: "", delete: "" },
};
const STACK = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s";
const GROUP = "urn:pulumi:s::p::fake:index:Group::g";
const A = "urn:pulumi:s::p::fake:index:Group$fake:index:Bucket::a";

describe("the program's run under mocks, recorded at the monitor", function () {
    this.timeout(30_000);

    it("refuses every second registration of a URN as the engine does, after the run, in registration order", async () => {
        const refused: string[] = [];
        let thrown: unknown;
        try {
            await runUnderMocks(
                async () => {
                    const group = new Group("g");
                    new Bucket("a", {}, { parent: group });
                    new Bucket("a", {}, { parent: group });
                    // Another parent of the same type gives the same URN: a URN names the parent's type, not its name.
                    new Bucket("a", {}, { parent: new Group("h") });
                    new Bucket("b", {});
                    new Bucket("b", {});
                    return undefined;
                },
                {
                    project: "p",
                    stack: "s",
                    preview: false,
                    mocks: new MockCloud(),
                    config: {},
                    onEngineError: (message) => refused.push(message),
                },
            );
        } catch (error) {
            thrown = error;
        }
        const a = `Duplicate resource URN '${A}'; try giving it a unique name`;
        const b = "Duplicate resource URN 'urn:pulumi:s::p::fake:index:Bucket::b'; try giving it a unique name";
        // Registration order, not construction order: a child registers once its parent's URN is known.
        expect(refused).to.deep.equal([b, a, a]);
        expect(thrown).to.be.instanceOf(EngineError);
        expect([(thrown as EngineError).name, (thrown as EngineError).message, (thrown as EngineError).errors]).to.deep.equal([
            "EngineError",
            `${b} (and 2 more)`,
            [b, a, a],
        ]);
    });

    it("records every registration in order: URNs without the root stack's type, parents, inputs, outputs, dependencies and options", async () => {
        const events: string[] = [];
        const run = await runUnderMocks(
            async () => {
                const group = new Group("g");
                const a = new Bucket("a", { name: "a-bucket" }, { parent: group });
                const b = new Bucket(
                    "b",
                    { name: "b", source: a.id, secret: pulumi.secret("s") },
                    {
                        protect: true,
                        ignoreChanges: ["x"],
                        replaceOnChanges: ["y"],
                        deleteBeforeReplace: true,
                        additionalSecretOutputs: ["z"],
                        retainOnDelete: true,
                        deletedWith: a,
                        customTimeouts: { create: "1m", update: "2m", delete: "3m" },
                        dependsOn: [a],
                    },
                );
                new Bucket("read", {}, { id: "existing" });
                return {
                    bucket: b.urn,
                    config: new pulumi.Config("p").require("k"),
                    secret: new pulumi.Config("p").requireSecret("secret"),
                };
            },
            {
                project: "p",
                stack: "s",
                preview: false,
                mocks: new MockCloud(),
                config: { "p:k": "v", "p:secret": "hidden" },
                secretKeys: ["p:secret"],
                watch: {
                    constructed: (type, name) => events.push(`constructed ${type} ${name}`),
                    registered: (type, name) => events.push(`registered ${type} ${name}`),
                },
            },
        );
        expect(run.resources.map((resource) => [resource.urn, resource.parent, resource.custom])).to.deep.equal([
            [STACK, null, false],
            [GROUP, STACK, false],
            [A, GROUP, true],
            ["urn:pulumi:s::p::fake:index:Bucket::b", STACK, true],
        ]);
        expect(run.resources[3]).to.deep.equal({
            urn: "urn:pulumi:s::p::fake:index:Bucket::b",
            type: "fake:index:Bucket",
            name: "b",
            custom: true,
            parent: STACK,
            inputs: {
                name: "b",
                secret: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s" },
                source: "a-id",
            },
            outputs: {
                name: "b",
                secret: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s" },
                source: "a-id",
            },
            dependencies: [A],
            propertyDependencies: { name: [], secret: [], source: [A] },
            provider: "",
            options: {
                protect: true,
                ignoreChanges: ["x"],
                replaceOnChanges: ["y"],
                deleteBeforeReplace: true,
                additionalSecretOutputs: ["z"],
                aliases: [],
                importId: "",
                retainOnDelete: true,
                deletedWith: A,
                customTimeouts: { create: "1m", update: "2m", delete: "3m" },
            },
        });
        expect(run.resources[0]).to.deep.equal({
            urn: STACK,
            type: "pulumi:pulumi:Stack",
            name: "p-s",
            custom: false,
            parent: null,
            inputs: {},
            outputs: {},
            dependencies: [],
            propertyDependencies: {},
            provider: "",
            options: NO_OPTIONS,
        });
        expect(run.outputs).to.deep.equal({ bucket: "urn:pulumi:s::p::fake:index:Bucket::b", config: "v", secret: "hidden" });
        expect([isConfigSecret("p:secret"), isConfigSecret("p:k")]).to.deep.equal([true, false]);
        // Each resource is seen at construction (the stack itself is there before the watch) and when it
        // reaches the monitor; the read resource reaches it as a read and is not recorded as a registration.
        expect(events).to.deep.equal([
            "constructed fake:index:Group g",
            "constructed fake:index:Bucket a",
            "constructed fake:index:Bucket b",
            "constructed fake:index:Bucket read",
            "registered pulumi:pulumi:Stack p-s",
            "registered fake:index:Bucket read",
            "registered fake:index:Group g",
            "registered fake:index:Bucket a",
            "registered fake:index:Bucket b",
        ]);
        expect(run.resources.map((resource) => resource.name)).to.not.include("read");
    });

    it("runs without a watch, in a preview, reading a resource as well", async () => {
        const run = await runUnderMocks(
            async () => {
                new Bucket("ok", { name: "ok" });
                const read = new Bucket("read", {}, { id: "existing" });
                return { read: read.id };
            },
            { project: "p", stack: "s", preview: true, mocks: new MockCloud({ preview: true }), config: {} },
        );
        expect(run.resources.map((resource) => resource.urn)).to.deep.equal([STACK, "urn:pulumi:s::p::fake:index:Bucket::ok"]);
        expect(run.outputs).to.deep.equal({ read: "existing" });
    });
});

describe("the program's run under mocks: what is not recorded", function () {
    this.timeout(30_000);

    it("records no registration the monitor failed, and records the rest", async () => {
        class FailingCloud extends MockCloud {
            newResource(args: Parameters<MockCloud["newResource"]>[0]): ReturnType<MockCloud["newResource"]> {
                if (args.name === "bad") {
                    throw new Error("the mock refuses bad");
                }
                return super.newResource(args);
            }
        }
        const recorded: string[] = [];
        // The failure reaches the program as a rejected output (the worker reports it from there), not as the run's.
        await runUnderMocks(
            async () => {
                new Bucket("good", { name: "good" });
                new Bucket("bad", { name: "bad" });
                return undefined;
            },
            {
                project: "p",
                stack: "s",
                preview: false,
                mocks: new FailingCloud(),
                config: {},
                onRecorded: (resource) => recorded.push(resource.name),
            },
        );
        expect(recorded).to.deep.equal(["p-s", "good"]);
    });
});

describe("one registration as the engine sees it", () => {
    const list = (): string[] => [];
    const request = (over: Partial<RegisterRequest>): RegisterRequest => ({
        getType: () => "fake:index:Bucket",
        getName: () => "b",
        getParent: () => "",
        getCustom: () => true,
        getObject: () => undefined,
        getProtect: () => false,
        getDependenciesList: list,
        getProvider: () => "",
        getPropertydependenciesMap: () => ({ forEach: () => undefined }),
        getDeletebeforereplace: () => false,
        getIgnorechangesList: list,
        getReplaceonchangesList: list,
        getAdditionalsecretoutputsList: list,
        getAliasurnsList: list,
        getImportid: () => "",
        getRetainondelete: () => false,
        getDeletedwith: () => "",
        getCustomtimeouts: () => undefined,
        ...over,
    });
    const response: RegisterResponse = { getUrn: () => "urn:b", getObject: () => undefined };

    it("reads inputs, state and timeouts the request leaves unset as empty, and no parent as null", () => {
        expect(recordRegistration(request({}), response)).to.deep.equal({
            urn: "urn:b",
            type: "fake:index:Bucket",
            name: "b",
            custom: true,
            parent: null,
            inputs: {},
            outputs: {},
            dependencies: [],
            propertyDependencies: {},
            provider: "",
            options: { ...NO_OPTIONS, customTimeouts: undefined },
        });
    });
});

describe("invokes the check cannot answer, made unknown", () => {
    type Invoke = (token: string, ...rest: unknown[]) => unknown;
    function fakeSdk(): { sdk: typeof pulumi; calls: unknown[][]; runtime: Record<string, Invoke | number> } {
        const calls: unknown[][] = [];
        const runtime: Record<string, Invoke | number> = {
            invokeOutput: (token, ...rest) => {
                calls.push(["invokeOutput", token, ...rest]);
                return "answered";
            },
            invokeSingleOutput: (token, ...rest) => {
                calls.push(["invokeSingleOutput", token, ...rest]);
                return "answered once";
            },
            invoke: 3,
        };
        const sdk = { runtime, output: (value: unknown) => ({ unknownOutput: value }), unknown: "UNKNOWN" } as unknown as typeof pulumi;
        return { sdk, calls, runtime };
    }

    it("passes the invokes it answers to the SDK, with every argument", () => {
        const { sdk, calls, runtime } = fakeSdk();
        const log = new InvokeLog();
        answerUnknowableInvokesAsUnknown(sdk, log);
        const token = "gcp:organizations/getProject:getProject";
        expect((runtime.invokeOutput as Invoke)(token, { projectId: "x" }, { async: true })).to.equal("answered");
        expect((runtime.invokeSingleOutput as Invoke)(token, {})).to.equal("answered once");
        expect(calls).to.deep.equal([
            ["invokeOutput", token, { projectId: "x" }, { async: true }],
            ["invokeSingleOutput", token, {}],
        ]);
        expect(log.list()).to.deep.equal([]);
    });

    it("answers any other invoke with an unknown output, and logs it as unknown", () => {
        const { sdk, calls, runtime } = fakeSdk();
        const log = new InvokeLog();
        answerUnknowableInvokesAsUnknown(sdk, log);
        const token = "gcp:secretmanager/getSecretVersion:getSecretVersion";
        expect((runtime.invokeOutput as Invoke)(token, {})).to.deep.equal({ unknownOutput: "UNKNOWN" });
        expect((runtime.invokeSingleOutput as Invoke)(token, {})).to.deep.equal({ unknownOutput: "UNKNOWN" });
        expect(calls).to.deep.equal([]);
        expect(log.list()).to.deep.equal([{ token, answer: "unknown", count: 2 }]);
        expect(runtime.invoke).to.equal(3);
    });

    it("leaves an SDK without those functions as it is", () => {
        const sdk = { runtime: { invokeOutput: "not a function" } } as unknown as typeof pulumi;
        answerUnknowableInvokesAsUnknown(sdk, new InvokeLog());
        expect(sdk.runtime).to.deep.equal({ invokeOutput: "not a function" });
    });
});
