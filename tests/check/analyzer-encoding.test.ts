import { expect } from "chai";
import * as fc from "fast-check";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest } from "../../check/analyzer-encoding";
import {
    ARCHIVE_SIG,
    ASSET_SIG,
    type AnalyzerResourceInput,
    OUTPUT_VALUE_SIG,
    RESOURCE_SIG,
    SECRET_SIG,
    SIG_KEY,
    UNKNOWN,
    WireFormatError,
} from "../../check/analyzer-wire";
import { toAnalyzeRequest, toAnalyzerResource } from "../support/analyzer-messages";

const URN = "urn:pulumi:fixture-stack::fixture-project::fixture:index:Bucket::data";

/** Any UTF-16 code unit, lone surrogates included: google-protobuf encodes those its own way. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: anyCodeUnit, maxLength: 6 }));
/** Every double, NaN, -0 and the infinities included. */
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(Number.NaN, -0, 0, Infinity, -Infinity, 127, 128, 16384));
const key = text.filter((candidate) => !candidate.startsWith("__"));

/** Property values in the SDK's wire form: JSON plus secrets, outputs, references, assets, unknowns and undefined members. */
const wireValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.constant(undefined),
        fc.boolean(),
        number,
        text,
        fc.constant(UNKNOWN),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.oneof(key, fc.constant("__defaults")), tie("value"), { maxKeys: 4 }),
        tie("value").map((value) => ({ [SIG_KEY]: SECRET_SIG, value })),
        fc
            .record({ value: tie("value"), secret: fc.boolean() }, { requiredKeys: ["secret"] })
            .map((output) => ({ [SIG_KEY]: OUTPUT_VALUE_SIG, ...output })),
        fc.record({ urn: text, id: fc.oneof(text, fc.constant(UNKNOWN)) }, { requiredKeys: ["urn"] }).map((ref) => ({
            [SIG_KEY]: RESOURCE_SIG,
            ...ref,
        })),
        fc.record({ path: text }).map((asset) => ({ [SIG_KEY]: ASSET_SIG, ...asset })),
        fc.record({ uri: text }).map((archive) => ({ [SIG_KEY]: ARCHIVE_SIG, ...archive })),
    ),
})).value;

const properties = fc.dictionary(key, wireValue, { maxKeys: 6 });
const urn = fc.oneof(
    fc.constant(URN),
    text.map((name) => `urn:pulumi:s::p::t::${name}`),
    text, // not a URN: the name cannot be read from it
);
const duration = fc.oneof(
    fc.constant(undefined),
    fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom("", "90s", "5m", "1h30m", "2.5s", "soon", "-1s"),
    fc.constant(-1),
);
const strings = fc.array(text, { maxLength: 3 });

const options = fc.record(
    {
        protect: fc.boolean(),
        ignoreChanges: strings,
        deleteBeforeReplace: fc.boolean(),
        additionalSecretOutputs: strings,
        aliases: strings,
        customTimeouts: fc.record({ create: duration, update: duration, delete: duration }, { requiredKeys: [] }),
        parent: text,
    },
    { requiredKeys: [] },
);

const provider = fc.record({ urn, type: text, name: text, properties }, { requiredKeys: ["urn", "type"] });

const resource: fc.Arbitrary<AnalyzerResourceInput> = fc.record(
    {
        urn,
        type: text,
        name: text,
        properties,
        options,
        parent: text,
        provider,
        dependencies: strings,
        // `__proto__` is left out: as a key of google-protobuf's map it would set the map's prototype instead.
        propertyDependencies: fc.dictionary(
            key.filter((candidate) => candidate !== "__proto__"),
            strings,
            { maxKeys: 4 },
        ),
    },
    { requiredKeys: ["urn", "type", "properties"] },
);

/** What a build gives: its bytes, or the class and message of what it threw. */
function outcome(build: () => Uint8Array): { bytes: string } | { error: string } {
    try {
        return { bytes: Buffer.from(build()).toString("hex") };
    } catch (error) {
        return { error: `${(error as Error).name}: ${(error as Error).message}` };
    }
}

function googleStackRequest(resources: readonly AnalyzerResourceInput[]): Uint8Array {
    const request = new analyzerPb.AnalyzeStackRequest();
    request.setResourcesList(resources.map((entry) => toAnalyzerResource(entry)));
    return request.serializeBinary();
}

describe("analyzer request bytes, written directly", () => {
    it("an Analyze request is byte for byte google-protobuf's, or fails with the same error", () => {
        fc.assert(
            fc.property(resource, (input) => {
                expect(outcome(() => encodeAnalyzeRequest(input))).to.deep.equal(outcome(() => toAnalyzeRequest(input).serializeBinary()));
            }),
            { numRuns: 2000 },
        );
    });

    it("an AnalyzeStack request is byte for byte google-protobuf's, or fails with the same error", () => {
        fc.assert(
            fc.property(fc.array(resource, { maxLength: 5 }), (inputs) => {
                expect(outcome(() => encodeAnalyzeStackRequest(inputs))).to.deep.equal(outcome(() => googleStackRequest(inputs)));
            }),
            { numRuns: 500 },
        );
    });

    it("writes lengths of two and three bytes (a 200-character and a 20,000-character value, nested)", () => {
        const input: AnalyzerResourceInput = {
            urn: URN,
            type: "fixture:index:Bucket",
            properties: {
                short: "s".repeat(200),
                nested: { deeper: ["x".repeat(20_000), { [SIG_KEY]: SECRET_SIG, value: "y".repeat(300) }] },
            },
        };
        const bytes = encodeAnalyzeRequest(input);
        expect(Buffer.from(bytes).equals(Buffer.from(toAnalyzeRequest(input).serializeBinary()))).to.equal(true);
        const decoded = analyzerPb.AnalyzeRequest.deserializeBinary(bytes);
        expect(decoded.getProperties()?.toJavaScript()).to.deep.equal(input.properties);
        expect(decoded.getUrn()).to.equal(URN);
    });

    /** Holds the direct encoding of `properties` byte for byte to google-protobuf's. */
    function expectSameBytes(properties: Record<string, unknown>): void {
        const input: AnalyzerResourceInput = { urn: URN, type: "fixture:index:Bucket", properties };
        const bytes = Buffer.from(encodeAnalyzeRequest(input));
        expect(bytes.equals(Buffer.from(toAnalyzeRequest(input).serializeBinary()))).to.equal(true);
    }

    it("encodes text at every UTF-8 length boundary, with surrogate pairs and lone surrogates, as google-protobuf does", () => {
        // A lone surrogate sends the whole string through the code-unit encoder, where each boundary is its own branch.
        expectSameBytes({
            boundaries: "\u007f\u0080\u07ff\u0800\uffff\ud800",
            pair: "\ud83d\ude00 \udbff\udfff \ud800\udc00\udc00",
            highThenOther: "\ud800x\ud800\ud800",
        });
    });

    it("writes a field length at each varint boundary (127/128, 16,383/16,384 bytes), whatever its nesting", () => {
        for (const size of [126, 127, 128, 129, 16_370, 16_376, 16_377, 16_378, 16_379, 16_380, 16_381, 16_382, 16_383, 16_384, 16_385]) {
            expectSameBytes({ value: "v".repeat(size), nested: { list: ["n".repeat(size)] } });
        }
    });

    it("grows its buffer for a request many times larger than its first size (a 1 MB value)", () => {
        expectSameBytes({ big: "b".repeat(1_000_000), after: { small: "s" } });
    });

    it("writes the always-present empty messages: empty properties and an options message with zero timeouts", () => {
        const bytes = encodeAnalyzeRequest({ urn: "urn:pulumi:s::p::t::n", type: "t", properties: {} });
        // type "t" (0a 01 74), properties {} (12 00), urn (1a 15 ...), name "n" (22 01 6e), options { customTimeouts {} } (2a 02 3a 00)
        expect(Buffer.from(bytes).toString("hex")).to.equal(
            `0a0174` + `1200` + `1a15${Buffer.from("urn:pulumi:s::p::t::n").toString("hex")}` + `22016e` + `2a023a00`,
        );
    });

    it("names the resource when a property has no wire form, as the message builder does", () => {
        expect(() => encodeAnalyzeRequest({ urn: URN, type: "t", properties: { spec: { f: () => 1 } } })).to.throw(
            WireFormatError,
            `cannot send ${URN} to the policy pack: property spec.f holds a function, which has no wire form`,
        );
        expect(() =>
            encodeAnalyzeStackRequest([{ urn: URN, type: "t", properties: {}, options: { customTimeouts: { create: "soon" } } }]),
        ).to.throw(
            WireFormatError,
            `cannot send ${URN} to the policy pack: customTimeouts.create "soon" is not a duration such as "90s", "5m" or "1h30m"`,
        );
    });

    it("passes on an error that is not about the wire form unchanged", () => {
        const properties = {};
        Object.defineProperty(properties, "boom", {
            enumerable: true,
            get: () => {
                throw new RangeError("boom");
            },
        });
        expect(() => encodeAnalyzeRequest({ urn: URN, type: "t", properties })).to.throw(RangeError, "boom");
    });

    it("gives each request bytes of its own (the writer's buffer is reused)", () => {
        const first = encodeAnalyzeRequest({ urn: URN, type: "first", properties: { a: 1 } });
        const copy = Buffer.from(first);
        encodeAnalyzeRequest({ urn: URN, type: "second", properties: { b: "two" } });
        expect(Buffer.from(first).equals(copy)).to.equal(true);
    });
});
