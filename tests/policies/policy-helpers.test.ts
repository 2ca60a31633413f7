import { expect } from "chai";
import * as fc from "fast-check";
import { ENVIRONMENTS } from "../../detector/environments";
import { describeE2eKeySecretIds, isE2eKeyEnvName, isE2eKeySecret } from "../../policies/lib/e2e-key";
import { elements, field, hasField, path, text, UNKNOWN } from "../../policies/lib/props";
import { normaliseSecretId } from "../../policies/lib/secret-ids";
import { currentStackName, resolveStackEnvironment } from "../../policies/lib/stack-environment";
import { asPolicyProps, UNKNOWN_VALUE } from "./harness";

describe("policy helpers", () => {
    describe("reading props (lib/props)", () => {
        const props = asPolicyProps({ a: { b: [1, UNKNOWN_VALUE, { c: "x" }] }, u: UNKNOWN_VALUE, s: "text" });

        it("reads known values through the SDK's proxy", () => {
            expect(text(field(props, "s"))).to.equal("text");
            expect(text(path(props, ["a", "b", 2, "c"]))).to.equal("x");
        });

        it("turns an unknown into UNKNOWN instead of throwing, and keeps it UNKNOWN down the path", () => {
            expect(field(props, "u")).to.equal(UNKNOWN);
            expect(path(props, ["u", "deeper", 0])).to.equal(UNKNOWN);
            const list = elements(path(props, ["a", "b"]));
            expect(Array.isArray(list) && list.slice(0, 2)).to.deep.equal([1, UNKNOWN]);
            expect(elements(field(props, "u"))).to.equal(UNKNOWN);
        });

        it("reads the raw sentinel as UNKNOWN too, when props arrive unproxied", () => {
            expect(field({ u: UNKNOWN_VALUE }, "u")).to.equal(UNKNOWN);
        });

        it("reads only own properties, of objects only", () => {
            expect(field({}, "constructor")).to.equal(undefined);
            expect(field("string", "length")).to.equal(undefined);
            expect(field(null, "x")).to.equal(undefined);
            expect(elements({ length: 3 })).to.equal(undefined);
        });

        it("tells presence without reading the value", () => {
            expect(hasField(props, "u")).to.equal(true);
            expect(hasField(props, "missing")).to.equal(false);
        });
    });

    describe("normaliseSecretId", () => {
        it("reduces resource names to ids and leaves bare ids alone", () => {
            expect(normaliseSecretId("jwt-secret-staging")).to.equal("jwt-secret-staging");
            expect(normaliseSecretId("projects/netra-staging/secrets/jwt-secret-staging")).to.equal("jwt-secret-staging");
            expect(normaliseSecretId("projects/123/secrets/jwt-secret-staging/versions/latest")).to.equal("jwt-secret-staging");
            expect(normaliseSecretId("projects/netra-prod/locations/us-central1/secrets/jwt-secret/versions/2")).to.equal("jwt-secret");
            expect(normaliseSecretId("projects/netra-prod/locations/us-central1/secrets/jwt-secret")).to.equal("jwt-secret");
            expect(normaliseSecretId("projects/p/locations/secrets/jwt-secret")).to.equal("projects/p/locations/secrets/jwt-secret");
            expect(normaliseSecretId(" padded ")).to.equal("padded");
        });

        it("is idempotent", () => {
            fc.assert(
                fc.property(fc.string(), (reference) => normaliseSecretId(normaliseSecretId(reference)) === normaliseSecretId(reference)),
            );
        });
    });

    describe("the E2E key's names", () => {
        it("recognises every old secret id, bare or as a resource name, in any case and with - or _", () => {
            const spellings = [
                "E2E_OAUTH_SIMULATION_KEY",
                "e2e-oauth-simulation-key-staging",
                "e2e-bypass-key",
                "projects/p/secrets/E2E_OAUTH_SIMULATION_KEY",
                "E2E-BYPASS-KEY",
            ];
            for (const id of [...spellings, "e2e-oauth-simulation-key"]) {
                expect(isE2eKeySecret(id), id).to.equal(true);
            }
            for (const id of ["e2e-test-results", "oauth-hmac-secret-staging", "projects/p/secrets/e2e-bypass-key-old"]) {
                expect(isE2eKeySecret(id), id).to.equal(false);
            }
            expect(describeE2eKeySecretIds()).to.equal("E2E_OAUTH_SIMULATION_KEY, e2e-oauth-simulation-key-staging, e2e-bypass-key");
        });

        it("recognises the variable and variable spellings of the aliases only", () => {
            expect(["E2E_OAUTH_SIMULATION_KEY", "E2E_BYPASS_KEY", "E2E_OAUTH_SIMULATION_KEY_STAGING"].every(isE2eKeyEnvName)).to.equal(
                true,
            );
            expect(["E2E_TESTS_ENABLED", "OAUTH_HMAC_SECRET"].some(isE2eKeyEnvName)).to.equal(false);
        });
    });

    describe("the stack's environment", () => {
        it("reads the stack name the CLI passes, preferring PULUMI_NODEJS_STACK", () => {
            expect(currentStackName({ PULUMI_NODEJS_STACK: "staging", PULUMI_STACK: "other" })).to.equal("staging");
            expect(currentStackName({ PULUMI_STACK: "prod" })).to.equal("prod");
            expect(currentStackName({ PULUMI_NODEJS_STACK: " " })).to.equal(undefined);
            expect(currentStackName({})).to.equal(undefined);
        });

        it("takes the config first, then the stack name's canonical form", () => {
            expect(resolveStackEnvironment("staging", "production")).to.deep.equal({
                decided: true,
                environment: "staging",
                source: "config",
            });
            expect(resolveStackEnvironment(undefined, "prod")).to.deep.equal({ decided: true, environment: "production", source: "stack" });
            expect(resolveStackEnvironment(null, "acme/netra/dev")).to.deep.equal({
                decided: true,
                environment: "development",
                source: "stack",
            });
        });

        it("decides nothing from a config value that is not an environment, even when the stack name would", () => {
            expect(resolveStackEnvironment(42, "staging")).to.deep.equal({
                decided: false,
                reason: 'the policy config sets "environment" to 42, which is not one of development, test, staging, production',
            });
        });

        it("decides every canonical stack name as itself", () => {
            for (const environment of ENVIRONMENTS) {
                expect(resolveStackEnvironment(undefined, environment)).to.deep.equal({ decided: true, environment, source: "stack" });
            }
        });
    });
});

describe("policy helpers: reading props at their edges (lib/props)", () => {
    it("reads each raw unknown the SDK deserialises to, of every type, as UNKNOWN", () => {
        // The SDK's own sentinels (node_modules/@pulumi/policy/proxy.js), written out.
        const sentinels = {
            boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
            number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
            string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
            asset: "030794c1-ac77-496b-92df-f27374a8bd58",
            archive: "e48ece36-62e2-4504-bad9-02848725956a",
            object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
        };
        for (const [kind, sentinel] of Object.entries(sentinels)) {
            expect(field({ value: sentinel }, "value"), kind).to.equal(UNKNOWN);
        }
    });

    it("reads an own property whose value is undefined, null or any other string as itself", () => {
        expect(field({ value: undefined }, "value")).to.equal(undefined);
        expect(field({ value: null }, "value")).to.equal(null);
        expect(field({ value: "04da6b54" }, "value")).to.equal("04da6b54");
        expect(field(UNKNOWN, "value")).to.equal(UNKNOWN);
    });

    it("reads a value whose getter throws as UNKNOWN, as the SDK's proxy throws for an unknown", () => {
        const throwing = Object.defineProperty({}, "value", {
            enumerable: true,
            get: () => {
                throw new Error("unknown");
            },
        });
        expect(field(throwing, "value")).to.equal(UNKNOWN);
        expect(hasField(throwing, "value")).to.equal(true);
    });

    it("reads an array whose length cannot be read as empty", () => {
        const unreadableLength = new Proxy(["a"], {
            get: (target, key) => {
                if (key === "length") {
                    throw new Error("unknown");
                }
                return Reflect.get(target, key) as unknown;
            },
        });
        expect(elements(unreadableLength)).to.deep.equal([]);
        expect(elements(["a", UNKNOWN_VALUE])).to.deep.equal(["a", UNKNOWN]);
        expect(elements("abc")).to.equal(undefined);
    });

    it("reads text as a string, UNKNOWN, or nothing for other values", () => {
        expect(text("")).to.equal("");
        expect(text(UNKNOWN)).to.equal(UNKNOWN);
        expect([3, null, undefined, ["a"], { a: 1 }].map(text)).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
        expect(hasField(null, "x")).to.equal(false);
        expect(hasField("text", "length")).to.equal(false);
        expect(path({ a: { b: 1 } }, [])).to.deep.equal({ a: { b: 1 } });
    });
});

describe("policy helpers: the stack's environment at its edges (lib/stack-environment)", () => {
    it("trims the stack name the CLI passes and falls through an empty PULUMI_NODEJS_STACK to PULUMI_STACK", () => {
        expect(currentStackName({ PULUMI_NODEJS_STACK: " staging " })).to.equal("staging");
        expect(currentStackName({ PULUMI_NODEJS_STACK: "", PULUMI_STACK: "prod" })).to.equal("prod");
    });

    it("reads an alias in the config as its environment", () => {
        expect(resolveStackEnvironment("prod", undefined)).to.deep.equal({ decided: true, environment: "production", source: "config" });
    });

    it("says why nothing decides: a config value that is no environment, shown short, or a stack name that is none", () => {
        expect(resolveStackEnvironment("qa", "staging")).to.deep.equal({
            decided: false,
            reason: 'the policy config sets "environment" to "qa", which is not one of development, test, staging, production',
        });
        expect(resolveStackEnvironment("x".repeat(60), "staging")).to.deep.equal({
            decided: false,
            reason: `the policy config sets "environment" to "${"x".repeat(36)}..., which is not one of development, test, staging, production`,
        });
        expect(resolveStackEnvironment("y".repeat(38), "staging")).to.deep.equal({
            decided: false,
            reason: `the policy config sets "environment" to "${"y".repeat(38)}", which is not one of development, test, staging, production`,
        });
        expect(resolveStackEnvironment(() => "staging", "staging")).to.deep.include({ decided: false });
        expect(resolveStackEnvironment(undefined, undefined)).to.deep.equal({
            decided: false,
            reason: 'the policy config sets no "environment" and the stack name is unknown (PULUMI_NODEJS_STACK and PULUMI_STACK are unset)',
        });
        expect(resolveStackEnvironment(undefined, "acme/netra/feature-x")).to.deep.equal({
            decided: false,
            reason: 'the policy config sets no "environment" and stack "acme/netra/feature-x" is not named after one',
        });
    });
});

describe("policy helpers: reading a policy's config defensively (lib/policy-config)", () => {
    it("reads whatever getConfig returns as a record, and anything that is not an object as empty", async () => {
        const { readConfig } = await import("../../policies/lib/policy-config");
        const args = (config: unknown) => ({ getConfig: <T extends object>() => config as T });
        expect(readConfig(args({ environment: "staging" }))).to.deep.equal({ environment: "staging" });
        for (const config of [undefined, null, "staging", 3]) {
            expect(readConfig(args(config)), String(config)).to.deep.equal({});
        }
    });

    it("takes a list of strings as given, and the fallback for anything else", async () => {
        const { stringListConfig } = await import("../../policies/lib/policy-config");
        const fallback = ["ENVIRONMENT"];
        expect(stringListConfig({ names: ["A", "B"] }, "names", fallback)).to.deep.equal(["A", "B"]);
        expect(stringListConfig({ names: [] }, "names", fallback)).to.deep.equal([]);
        expect(stringListConfig({ names: ["A", 3] }, "names", fallback)).to.equal(fallback);
        expect(stringListConfig({ names: "A" }, "names", fallback)).to.equal(fallback);
        expect(stringListConfig({}, "names", fallback)).to.equal(fallback);
    });
});
