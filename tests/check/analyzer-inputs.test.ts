import { expect } from "chai";
import { mergeState, toAnalyzeInput, toAnalyzeStackInput } from "../../check/analyzer-inputs";
import { UNKNOWN } from "../../check/analyzer-wire";
import type { RecordedResource } from "../../check/run-program";

const STACK = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s";
const URN = "urn:pulumi:s::p::gcp:cloudrunv2/service:Service::api";

function recorded(overrides: Partial<RecordedResource> = {}): RecordedResource {
    return {
        urn: URN,
        type: "gcp:cloudrunv2/service:Service",
        name: "api",
        custom: true,
        parent: STACK,
        inputs: { location: "eu", template: { containers: [{ image: UNKNOWN }] } },
        outputs: { location: "eu", uri: "https://api", template: { containers: [{ image: "img@sha256:1" }] } },
        dependencies: [STACK],
        propertyDependencies: { location: [] },
        provider: "urn:pulumi:s::p::pulumi:providers:gcp::default::id",
        options: {
            protect: true,
            ignoreChanges: ["labels"],
            replaceOnChanges: [],
            deleteBeforeReplace: false,
            additionalSecretOutputs: ["uri"],
            aliases: ["urn:old"],
            importId: "",
            retainOnDelete: false,
            deletedWith: "",
            customTimeouts: { create: "5m", update: "", delete: "" },
        },
        ...overrides,
    };
}

const OPTIONS = {
    protect: true,
    ignoreChanges: ["labels"],
    deleteBeforeReplace: false,
    additionalSecretOutputs: ["uri"],
    aliases: ["urn:old"],
    customTimeouts: { create: "5m", update: "", delete: "" },
    parent: STACK,
};

describe("analyzer inputs (what Analyze and AnalyzeStack receive for a registration)", () => {
    it("gives Analyze the inputs, with identity, parent and the options the engine passes on", () => {
        expect(toAnalyzeInput(recorded())).to.deep.equal({
            urn: URN,
            type: "gcp:cloudrunv2/service:Service",
            name: "api",
            parent: STACK,
            options: OPTIONS,
            properties: { location: "eu", template: { containers: [{ image: UNKNOWN }] } },
        });
    });

    it("gives AnalyzeStack the resulting state, with dependencies and property dependencies", () => {
        expect(toAnalyzeStackInput(recorded())).to.deep.equal({
            urn: URN,
            type: "gcp:cloudrunv2/service:Service",
            name: "api",
            parent: STACK,
            options: OPTIONS,
            properties: { location: "eu", uri: "https://api", template: { containers: [{ image: "img@sha256:1" }] } },
            dependencies: [STACK],
            propertyDependencies: { location: [] },
        });
    });

    it("leaves the parent unset for the root stack", () => {
        const root = toAnalyzeInput(recorded({ urn: STACK, parent: null }));
        expect(root.parent).to.equal(undefined);
        expect(root.options?.parent).to.equal(undefined);
    });

    describe("mergeState", () => {
        it("lets outputs win and keeps inputs the cloud did not report, at any depth", () => {
            expect(mergeState({ a: 1, b: { c: UNKNOWN, d: 2 } }, { a: 3, b: { d: 4, e: 5 } })).to.deep.equal({
                a: 3,
                b: { c: UNKNOWN, d: 4, e: 5 },
            });
        });

        it("merges lists of the same length element by element, and takes the outputs' list otherwise", () => {
            expect(mergeState([{ a: UNKNOWN, b: 1 }], [{ b: 2 }])).to.deep.equal([{ a: UNKNOWN, b: 2 }]);
            expect(mergeState([{ a: 1 }, { a: 2 }], [{ b: 3 }])).to.deep.equal([{ b: 3 }]);
        });

        it("takes the inputs when there are no outputs, and the outputs when the shapes differ", () => {
            expect(mergeState({ a: 1 }, undefined)).to.deep.equal({ a: 1 });
            expect(mergeState({ a: 1 }, "x")).to.equal("x");
            expect(mergeState("x", { a: 1 })).to.deep.equal({ a: 1 });
            expect(mergeState([1], { 0: 2 })).to.deep.equal({ 0: 2 });
            expect(mergeState({ 0: 1 }, [2])).to.deep.equal([2]);
            expect(mergeState(null, { a: 1 })).to.deep.equal({ a: 1 });
            expect(mergeState({ a: 1 }, null)).to.equal(null);
            expect(mergeState(UNKNOWN, 5)).to.equal(5);
        });

        it("does not change the inputs", () => {
            const inputs = { a: { b: 1 } };
            mergeState(inputs, { a: { b: 2 } });
            expect(inputs).to.deep.equal({ a: { b: 1 } });
        });
    });
});
