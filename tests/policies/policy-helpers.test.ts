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
