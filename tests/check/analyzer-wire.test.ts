import { expect } from "chai";
import * as fc from "fast-check";
import type { EnforcementLevel as EnforcementLevelEnum } from "@pulumi/pulumi/proto/analyzer_pb";
import {
    ARCHIVE_SIG,
    ASSET_SIG,
    enforcementLevelName,
    enforcementLevelValue,
    isEnforcementLevel,
    normalizeWireValue,
    OUTPUT_VALUE_SIG,
    RESOURCE_SIG,
    SECRET_SIG,
    severityName,
    SIG_KEY,
    timeoutSeconds,
    UNKNOWN,
    urnName,
    WireFormatError,
} from "../../check/analyzer-wire";
import { toAnalyzeRequest, toAnalyzerResource, toPropertiesStruct } from "../support/analyzer-messages";
import { jsonTrees } from "../support/json-trees";

const URN = "urn:pulumi:fixture-stack::fixture-project::fixture:index:Bucket::data";
const PARENT = "urn:pulumi:fixture-stack::fixture-project::netra:stack:Component::core";

function secret(value: unknown): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** Plain JSON the SDK may send, without signatures or internal (`__`) keys. */
const plainJson = jsonTrees(
    fc.string().filter((key) => !key.startsWith("__") && key !== SIG_KEY),
    { secrets: false },
);

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
    describe("enforcement levels and severities (protocol enums)", () => {
        it("names each enforcement level by its protocol number, and refuses a number the protocol does not have", () => {
            expect([0, 1, 2, 3].map((level) => enforcementLevelName(level))).to.deep.equal([
                "advisory",
                "mandatory",
                "disabled",
                "remediate",
            ]);
            expect(() => enforcementLevelName(9 as EnforcementLevelEnum)).to.throw(WireFormatError, "invalid enforcement level 9");
        });

        it("gives each enforcement level name its protocol number", () => {
            expect((["advisory", "mandatory", "disabled", "remediate"] as const).map(enforcementLevelValue)).to.deep.equal([0, 1, 2, 3]);
        });

        it("knows exactly the four enforcement level names", () => {
            expect(["advisory", "mandatory", "remediate", "disabled"].map(isEnforcementLevel)).to.deep.equal([true, true, true, true]);
            expect(["", "Mandatory", "warn", 1, null, undefined].map(isEnforcementLevel)).to.deep.equal([
                false,
                false,
                false,
                false,
                false,
                false,
            ]);
        });

        it("names each severity by its protocol number, and none for unspecified or unknown", () => {
            expect([0, 1, 2, 3, 4, 7].map((severity) => severityName(severity))).to.deep.equal([
                "",
                "low",
                "medium",
                "high",
                "critical",
                "",
            ]);
        });
    });

    describe("signatures (the SDK's magic strings)", () => {
        it("uses the SDK's own signature values (@pulumi/pulumi/runtime/rpc)", () => {
            const rpc = require("@pulumi/pulumi/runtime/rpc") as Record<string, unknown>;
            expect([SIG_KEY, SECRET_SIG, ASSET_SIG, ARCHIVE_SIG, RESOURCE_SIG, OUTPUT_VALUE_SIG, UNKNOWN]).to.deep.equal(
                [
                    "specialSigKey",
                    "specialSecretSig",
                    "specialAssetSig",
                    "specialArchiveSig",
                    "specialResourceSig",
                    "specialOutputValueSig",
                    "unknownValue",
                ].map((name) => rpc[name]),
            );
            expect({ SIG_KEY, SECRET_SIG, ASSET_SIG, ARCHIVE_SIG, RESOURCE_SIG, OUTPUT_VALUE_SIG, UNKNOWN }).to.deep.equal({
                SIG_KEY: "4dabf18193072939515e22adb298388d",
                SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270",
                ASSET_SIG: "c44067f5952c0a294b673a41bacd8c17",
                ARCHIVE_SIG: "0def7320c3a5731c473e5ecbe6d01bc7",
                RESOURCE_SIG: "5cf8f73096256a8f31e491e813e4eb8e",
                OUTPUT_VALUE_SIG: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
                UNKNOWN: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            });
        });
    });

    describe("values with no wire form", () => {
        it("names the class of an object that is not plain, and the type of anything else", () => {
            expect(() => normalizeWireValue({ at: new Date(0) })).to.throw(
                WireFormatError,
                "property at holds a Date, which has no wire form",
            );
            expect(() => normalizeWireValue({ m: new Map() })).to.throw(WireFormatError, "property m holds a Map, which has no wire form");
            expect(() => normalizeWireValue({ n: 1n })).to.throw(WireFormatError, "property n holds a bigint, which has no wire form");
            expect(() => normalizeWireValue({ s: Symbol("x") })).to.throw(
                WireFormatError,
                "property s holds a symbol, which has no wire form",
            );
            const nameless = Object.create({ constructor: { name: "" } }) as object;
            expect(() => normalizeWireValue({ o: nameless })).to.throw(
                WireFormatError,
                "property o holds a object, which has no wire form",
            );
            expect(() => normalizeWireValue(new Date(0))).to.throw(WireFormatError, "property (root) holds a Date, which has no wire form");
        });

        it("refuses a value nested deeper than 256 levels, naming where it starts, before the recursion can overflow", () => {
            const nested = (levels: number): unknown => {
                let value: unknown = "leaf";
                for (let level = 0; level < levels; level++) {
                    value = level % 2 === 0 ? [value] : { k: value };
                }
                return value;
            };
            // 256 levels of lists and objects (the outermost a list when the count is odd): the deepest at depth 255.
            expect(() => normalizeWireValue(nested(256))).not.to.throw();
            expect(() => normalizeWireValue(nested(257))).to.throw(
                WireFormatError,
                "property 0.k.0.k.0.k... nests deeper than 256 levels, which no resource property does",
            );
            expect(() => normalizeWireValue(nested(100_000))).to.throw(WireFormatError, "nests deeper than 256 levels");
        });

        it("accepts an object without a prototype as plain", () => {
            const bare = Object.create(null) as Record<string, unknown>;
            bare.a = 1;
            expect(normalizeWireValue({ bare })).to.deep.equal({ bare: { a: 1 } });
        });

        it("refuses properties that are not an object", () => {
            for (const properties of [null, [], "x", new Date(0)]) {
                expect(() => toPropertiesStruct(properties as unknown as Record<string, unknown>)).to.throw(
                    WireFormatError,
                    "resource properties must be an object",
                );
            }
        });

        it("sends null for an undefined list element, a secret's missing value and an output value's missing element", () => {
            expect(normalizeWireValue([1, undefined])).to.deep.equal([1, null]);
            expect(normalizeWireValue({ [SIG_KEY]: SECRET_SIG })).to.deep.equal({ [SIG_KEY]: SECRET_SIG, value: null });
            expect(normalizeWireValue({ [SIG_KEY]: OUTPUT_VALUE_SIG, value: undefined })).to.equal(null);
            expect(normalizeWireValue({ [SIG_KEY]: OUTPUT_VALUE_SIG, value: undefined, secret: true })).to.deep.equal({
                [SIG_KEY]: SECRET_SIG,
                value: null,
            });
        });

        it("names the path inside a secret and an output value, and refuses a component reference without a urn", () => {
            expect(() => normalizeWireValue({ a: { [SIG_KEY]: SECRET_SIG, value: [new Map()] } })).to.throw(
                WireFormatError,
                "property a.value.0 holds a Map, which has no wire form",
            );
            expect(() => normalizeWireValue({ b: { [SIG_KEY]: OUTPUT_VALUE_SIG, value: { c: new Map() } } })).to.throw(
                WireFormatError,
                "property b.value.c holds a Map, which has no wire form",
            );
            expect(() => normalizeWireValue({ r: { [SIG_KEY]: RESOURCE_SIG } })).to.throw(
                WireFormatError,
                "property r is a resource reference without a urn",
            );
            expect(normalizeWireValue({ [SIG_KEY]: RESOURCE_SIG, id: 42 })).to.equal("42");
            expect(normalizeWireValue({ [SIG_KEY]: RESOURCE_SIG, id: undefined, urn: URN })).to.equal(UNKNOWN);
        });
    });

    describe("durations, at their edges", () => {
        it("reads every unit, decimals with or without a leading digit, and zero", () => {
            expect(
                ["1ns", "1us", "1µs", "1ms", "1s", "1m", "1h", "1.5s", ".5s", "2.s", "0s", 0].map((value) => timeoutSeconds(value)),
            ).to.deep.equal([1e-9, 1e-6, 1e-6, 1e-3, 1, 60, 3600, 1.5, 0.5, 2, 0, 0]);
            expect(timeoutSeconds("1.25h")).to.equal(4500);
            expect(timeoutSeconds(".25m")).to.equal(15);
        });

        it("refuses a duration with anything left over, without a unit, or not finite", () => {
            for (const value of ["5", "5m ", " 5m", "m", "5x", "5m5", ".s", "-5s"]) {
                expect(() => timeoutSeconds(value), value).to.throw(
                    WireFormatError,
                    `custom timeout "${value}" is not a duration such as "90s", "5m" or "1h30m"`,
                );
            }
            expect(() => timeoutSeconds(Number.POSITIVE_INFINITY)).to.throw(
                WireFormatError,
                "custom timeout must be a non-negative number of seconds, got Infinity",
            );
            expect(() => timeoutSeconds(Number.NaN)).to.throw(
                WireFormatError,
                "custom timeout must be a non-negative number of seconds, got NaN",
            );
        });

        it("names which of the three custom timeouts is wrong", () => {
            for (const which of ["create", "update", "delete"] as const) {
                expect(
                    () => toAnalyzeRequest({ urn: URN, type: "t", properties: {}, options: { customTimeouts: { [which]: "soon" } } }),
                    which,
                ).to.throw(
                    WireFormatError,
                    `cannot send ${URN} to the policy pack: customTimeouts.${which} "soon" is not a duration such as "90s", "5m" or "1h30m"`,
                );
            }
        });
    });

    describe("URNs, at their edges", () => {
        it("refuses a URN of another scheme or with fewer than four parts", () => {
            for (const urn of ["urn:pulumix:s::p::t::n", "xurn:pulumi:s::p::t::n", "urn:pulumi:s::p::t", ""]) {
                expect(() => urnName(urn), urn).to.throw(
                    WireFormatError,
                    `"${urn}" is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`,
                );
            }
            expect(urnName("urn:pulumi:s::p::t::")).to.equal("");
        });
    });

    describe("resource messages, at their edges", () => {
        it("takes the parent from the options when the resource names none, and the resource's own over the options'", () => {
            const fromOptions = toAnalyzerResource({ urn: URN, type: "t", properties: {}, options: { parent: PARENT } });
            expect([fromOptions.getParent(), fromOptions.getOptions()?.getParent()]).to.deep.equal([PARENT, PARENT]);
            const own = toAnalyzerResource({ urn: URN, type: "t", properties: {}, parent: PARENT, options: { parent: "urn:other" } });
            expect([own.getParent(), own.getOptions()?.getParent()]).to.deep.equal([PARENT, PARENT]);
            const none = toAnalyzerResource({ urn: URN, type: "t", properties: {} });
            expect([none.getParent(), none.getOptions()?.getParent(), none.getDependenciesList()]).to.deep.equal(["", "", []]);
        });

        it("sends a provider with its name from its URN unless given, and its inputs", () => {
            const provider = {
                urn: "urn:pulumi:s::p::pulumi:providers:gcp::default",
                type: "pulumi:providers:gcp",
                properties: { project: "x" },
            };
            const request = toAnalyzeRequest({ urn: URN, type: "t", properties: {}, provider });
            expect([
                request.getProvider()?.getName(),
                request.getProvider()?.getType(),
                request.getProvider()?.getProperties()?.toJavaScript(),
            ]).to.deep.equal(["default", "pulumi:providers:gcp", { project: "x" }]);
            const named = toAnalyzeRequest({
                urn: URN,
                type: "t",
                properties: {},
                provider: { ...provider, name: "mine", properties: undefined },
            });
            expect([named.getProvider()?.getName(), named.getProvider()?.getProperties()?.toJavaScript()]).to.deep.equal(["mine", {}]);
            expect(toAnalyzeRequest({ urn: URN, type: "t", properties: {} }).hasProvider()).to.equal(false);
        });

        it("passes on an error that is not about the wire form as it is", () => {
            const properties = {};
            Object.defineProperty(properties, "boom", {
                enumerable: true,
                get() {
                    throw new RangeError("boom");
                },
            });
            expect(() => toAnalyzeRequest({ urn: URN, type: "t", properties })).to.throw(RangeError, "boom");
        });
    });
});
