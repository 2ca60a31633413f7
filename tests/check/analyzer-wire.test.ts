import { expect } from "chai";
import * as fc from "fast-check";
import {
    ARCHIVE_SIG,
    ASSET_SIG,
    normalizeWireValue,
    OUTPUT_VALUE_SIG,
    RESOURCE_SIG,
    SECRET_SIG,
    SIG_KEY,
    timeoutSeconds,
    toAnalyzeRequest,
    toAnalyzerResource,
    toPropertiesStruct,
    UNKNOWN,
    urnName,
    WireFormatError,
} from "../../check/analyzer-wire";

const URN = "urn:pulumi:fixture-stack::fixture-project::fixture:index:Bucket::data";
const PARENT = "urn:pulumi:fixture-stack::fixture-project::netra:stack:Component::core";

function secret(value: unknown): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** Plain JSON the SDK may send, without signatures or internal (`__`) keys. */
const plainJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string(),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(
            fc.string().filter((key) => !key.startsWith("__") && key !== SIG_KEY),
            tie("value"),
            { maxKeys: 4 },
        ),
    ),
})).value;

describe("analyzer wire form (what the engine sends a policy pack)", () => {
    describe("normalizeWireValue", () => {
        it("keeps secrets as secret envelopes and unknowns as the unknown sentinel", () => {
            const value = { token: secret("k"), location: UNKNOWN, nested: [secret({ a: UNKNOWN })] };
            expect(normalizeWireValue(value)).to.deep.equal(value);
        });

        it("drops undefined members and `__`-prefixed internal keys at every level, as SkipInternalKeys does", () => {
            const value = { __defaults: ["a"], a: undefined, b: { __meta: "x", c: 1, d: undefined }, e: [undefined, 2] };
            expect(normalizeWireValue(value)).to.deep.equal({ b: { c: 1 }, e: [null, 2] });
        });

        it("turns output values into their plain, secret or unknown element", () => {
            expect(normalizeWireValue({ [SIG_KEY]: OUTPUT_VALUE_SIG, value: "v", dependencies: [URN] })).to.equal("v");
            expect(normalizeWireValue({ [SIG_KEY]: OUTPUT_VALUE_SIG, dependencies: [URN] })).to.equal(UNKNOWN);
            expect(normalizeWireValue({ [SIG_KEY]: OUTPUT_VALUE_SIG, value: "v", secret: true })).to.deep.equal(secret("v"));
            expect(normalizeWireValue({ [SIG_KEY]: OUTPUT_VALUE_SIG, secret: true })).to.deep.equal(secret(UNKNOWN));
        });

        it("turns a custom resource reference into its ID (unknown while it has none) and a component's into its URN", () => {
            expect(normalizeWireValue({ [SIG_KEY]: RESOURCE_SIG, urn: URN, id: "projects/p/buckets/data" })).to.equal(
                "projects/p/buckets/data",
            );
            expect(normalizeWireValue({ [SIG_KEY]: RESOURCE_SIG, urn: URN, id: "" })).to.equal(UNKNOWN);
            expect(normalizeWireValue({ [SIG_KEY]: RESOURCE_SIG, urn: URN, id: UNKNOWN })).to.equal(UNKNOWN);
            expect(normalizeWireValue({ [SIG_KEY]: RESOURCE_SIG, urn: PARENT, packageVersion: "" })).to.equal(PARENT);
        });

        it("keeps assets and archives with their signature", () => {
            const archive = { [SIG_KEY]: ARCHIVE_SIG, assets: { "a.txt": { [SIG_KEY]: ASSET_SIG, text: "hello" } } };
            expect(normalizeWireValue(archive)).to.deep.equal(archive);
        });

        it("rejects an unrecognized signature, naming the property path", () => {
            expect(() => normalizeWireValue({ spec: { x: { [SIG_KEY]: "nope" } } })).to.throw(
                WireFormatError,
                "property spec.x has the unrecognized signature 'nope'",
            );
        });

        it("rejects values with no wire form, naming the property path", () => {
            expect(() => normalizeWireValue({ f: [() => 1] })).to.throw(
                WireFormatError,
                "property f.0 holds a function, which has no wire form",
            );
        });

        it("is idempotent", () => {
            fc.assert(
                fc.property(plainJson, (value) => {
                    const once = normalizeWireValue(value);
                    expect(normalizeWireValue(once)).to.deep.equal(once);
                }),
            );
        });
    });

    describe("toPropertiesStruct", () => {
        it("round-trips any plain JSON object through google.protobuf.Struct", () => {
            fc.assert(
                fc.property(
                    fc.dictionary(
                        fc.string().filter((key) => !key.startsWith("__") && key !== SIG_KEY),
                        plainJson,
                        { maxKeys: 5 },
                    ),
                    (properties) => {
                        expect(toPropertiesStruct(properties).toJavaScript()).to.deep.equal(normalizeWireValue(properties));
                    },
                ),
            );
        });

        it("carries the secret envelope and the unknown sentinel on the wire", () => {
            const struct = toPropertiesStruct({ token: secret("k"), location: UNKNOWN });
            expect(struct.toJavaScript()).to.deep.equal({ token: { [SIG_KEY]: SECRET_SIG, value: "k" }, location: UNKNOWN });
        });
    });

    describe("toAnalyzeRequest", () => {
        it("always sends resource options, with zero timeouts and deleteBeforeReplace undefined when none are set", () => {
            const request = toAnalyzeRequest({ urn: URN, type: "fixture:index:Bucket", properties: {} });
            expect(request.hasOptions()).to.equal(true);
            expect(request.getOptions()?.toObject()).to.deep.equal({
                protect: false,
                ignorechangesList: [],
                deletebeforereplace: false,
                deletebeforereplacedefined: false,
                additionalsecretoutputsList: [],
                aliasesList: [],
                customtimeouts: { create: 0, update: 0, pb_delete: 0, read: 0 },
                parent: "",
            });
            expect(request.getName()).to.equal("data");
            expect(request.hasProvider()).to.equal(false);
        });

        it("carries every option given, durations converted to seconds", () => {
            const request = toAnalyzeRequest({
                urn: URN,
                type: "fixture:index:Bucket",
                name: "explicit-name",
                properties: { a: 1 },
                options: {
                    protect: true,
                    ignoreChanges: ["labels"],
                    deleteBeforeReplace: false,
                    additionalSecretOutputs: ["hex"],
                    aliases: [PARENT],
                    customTimeouts: { create: "1h30m", update: 90, delete: "2.5s" },
                    parent: "ignored-because-the-resource-names-its-parent",
                },
                parent: PARENT,
                provider: {
                    urn: "urn:pulumi:fixture-stack::fixture-project::pulumi:providers:gcp::default",
                    type: "pulumi:providers:gcp",
                    properties: { project: "p" },
                },
            });
            expect(request.getOptions()?.toObject()).to.deep.equal({
                protect: true,
                ignorechangesList: ["labels"],
                deletebeforereplace: false,
                deletebeforereplacedefined: true,
                additionalsecretoutputsList: ["hex"],
                aliasesList: [PARENT],
                customtimeouts: { create: 5400, update: 90, pb_delete: 2.5, read: 0 },
                parent: PARENT,
            });
            expect(request.getName()).to.equal("explicit-name");
            expect(request.getProvider()?.getName()).to.equal("default");
            expect(request.getProvider()?.getProperties()?.toJavaScript()).to.deep.equal({ project: "p" });
        });
    });

    it("names the resource when one of its properties cannot be sent", () => {
        expect(() => toAnalyzeRequest({ urn: URN, type: "fixture:index:Bucket", properties: { spec: { f: () => 1 } } })).to.throw(
            WireFormatError,
            `cannot send ${URN} to the policy pack: property spec.f holds a function, which has no wire form`,
        );
    });

    describe("toAnalyzerResource", () => {
        it("carries parent, dependencies and non-empty property dependencies", () => {
            const resource = toAnalyzerResource({
                urn: URN,
                type: "fixture:index:Bucket",
                properties: {},
                options: { parent: PARENT },
                dependencies: [PARENT],
                propertyDependencies: { location: [PARENT], labels: [] },
            });
            expect(resource.getParent()).to.equal(PARENT);
            expect(resource.getOptions()?.getParent()).to.equal(PARENT);
            expect(resource.getDependenciesList()).to.deep.equal([PARENT]);
            const propertyDependencies = Array.from(resource.getPropertydependenciesMap().entries());
            expect(propertyDependencies.map(([key, urns]) => [key, urns.getUrnsList()])).to.deep.equal([["location", [PARENT]]]);
        });
    });

    describe("timeoutSeconds", () => {
        it("reads Go durations and plain seconds", () => {
            expect([
                timeoutSeconds("5m"),
                timeoutSeconds("1h2m3s"),
                timeoutSeconds("300ms"),
                timeoutSeconds(12),
                timeoutSeconds(""),
                timeoutSeconds(undefined),
            ]).to.deep.equal([300, 3723, 0.3, 12, 0, 0]);
        });

        it("rejects what is not a duration", () => {
            expect(() => timeoutSeconds("5 minutes", "customTimeouts.create")).to.throw(
                WireFormatError,
                'customTimeouts.create "5 minutes" is not a duration such as "90s", "5m" or "1h30m"',
            );
            expect(() => timeoutSeconds(-1, "customTimeouts.delete")).to.throw(
                WireFormatError,
                "customTimeouts.delete must be a non-negative number of seconds, got -1",
            );
        });
    });

    describe("urnName", () => {
        it("is everything after the type, even when the name holds '::'", () => {
            expect(urnName("urn:pulumi:s::p::a:b:C$x:y:Z::odd::name")).to.equal("odd::name");
        });

        it("rejects what is not a URN", () => {
            expect(() => urnName("bucket")).to.throw(
                WireFormatError,
                '"bucket" is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)',
            );
        });
    });
});
