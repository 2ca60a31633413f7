import { expect } from "chai";
import * as fc from "fast-check";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import {
    type DeserializeModule,
    type PropertiesStruct,
    readPropertiesOnce,
    readSdkPropertiesOnce,
} from "../../policies/lib/read-properties-once";
import { jsonTrees } from "../support/json-trees";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The SDK's own deserializeProperties, as the pack's server calls it (taken before any wrapping). */
const sdkDeserialize = (require("@pulumi/policy/deserialize") as DeserializeModule).deserializeProperties;

/** A fresh module object over the SDK's function, so each test wraps its own. */
function sdkModule(): DeserializeModule {
    return { deserializeProperties: sdkDeserialize };
}

/** A Struct that counts how often its value is read. */
function countingStruct(value: Record<string, unknown>): PropertiesStruct & { reads: number } {
    const struct = Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
    const counting = {
        reads: 0,
        toJavaScript: () => {
            counting.reads++;
            return struct.toJavaScript() as Record<string, unknown>;
        },
    };
    return counting;
}

const PROPS = {
    name: "netra-backend-staging",
    template: { containers: [{ envs: [{ name: "ENVIRONMENT", value: "staging" }] }] },
    token: { [SIG_KEY]: SECRET_SIG, value: "not-a-real-token" },
};
const DESERIALISED = {
    name: "netra-backend-staging",
    template: { containers: [{ envs: [{ name: "ENVIRONMENT", value: "staging" }] }] },
    token: "not-a-real-token",
};

/** JSON with secrets at any depth, as an Analyze request's properties hold them. */
const wireJson = jsonTrees(
    fc.string().filter((key) => key !== SIG_KEY && key !== "__proto__"),
    { secrets: true },
);

describe("the pack reads each request's properties once for all its policies", () => {
    it("reads a Struct's value once however many policies deserialise it", () => {
        const module = readPropertiesOnce(sdkModule());
        const struct = countingStruct(PROPS);
        for (let policy = 0; policy < 12; policy++) {
            expect(module.deserializeProperties(struct, false)).to.deep.equal(DESERIALISED);
        }
        expect(struct.reads).to.equal(1);
    });

    it("gives each policy props of its own: what one policy changes, the next does not see", () => {
        const module = readPropertiesOnce(sdkModule());
        const struct = countingStruct(PROPS);
        const first = module.deserializeProperties(struct, false) as typeof DESERIALISED;
        first.template.containers[0].envs[0].value = "production";
        first.name = "changed";
        const second = module.deserializeProperties(struct, false);
        expect(second).to.deep.equal(DESERIALISED);
        expect(second.template).not.to.equal(first.template);
    });

    it("reads each Struct separately: another request's properties are its own", () => {
        const module = readPropertiesOnce(sdkModule());
        const first = countingStruct({ name: "first" });
        const second = countingStruct({ name: "second" });
        expect(module.deserializeProperties(first, false)).to.deep.equal({ name: "first" });
        expect(module.deserializeProperties(second, false)).to.deep.equal({ name: "second" });
        expect([first.reads, second.reads]).to.deep.equal([1, 1]);
    });

    it("wraps a module once, however often it is asked to", () => {
        const module = readPropertiesOnce(sdkModule());
        const wrapped = module.deserializeProperties;
        expect(readPropertiesOnce(module).deserializeProperties).to.equal(wrapped);
        const struct = countingStruct(PROPS);
        module.deserializeProperties(struct, false);
        module.deserializeProperties(struct, false);
        expect(struct.reads).to.equal(1);
    });

    it("wraps the very module the SDK's server calls (@pulumi/policy/deserialize)", () => {
        const wrapped = readSdkPropertiesOnce();
        const server = require("@pulumi/policy/deserialize") as DeserializeModule;
        expect(wrapped).to.equal(server);
        const struct = countingStruct(PROPS);
        expect(server.deserializeProperties(struct, false)).to.deep.equal(DESERIALISED);
        expect(server.deserializeProperties(struct, false)).to.deep.equal(DESERIALISED);
        expect(struct.reads).to.equal(1);
    });

    it("deserialises any properties exactly as the SDK does, with secrets kept or unwrapped", () => {
        fc.assert(
            fc.property(fc.dictionary(fc.string(), wireJson, { maxKeys: 5 }), fc.boolean(), (properties, proxySecrets) => {
                const module = readPropertiesOnce(sdkModule());
                const struct = Struct.fromJavaScript(properties as Parameters<typeof Struct.fromJavaScript>[0]);
                const expected = sdkDeserialize(struct, proxySecrets);
                expect(module.deserializeProperties(struct, proxySecrets)).to.deep.equal(expected);
                expect(module.deserializeProperties(struct, proxySecrets)).to.deep.equal(expected);
            }),
            { numRuns: 300 },
        );
    });
});
