import { expect } from "chai";
import * as fc from "fast-check";
import { ENFORCEMENT_LEVELS } from "../../check/analyzer-wire";
import { parsePolicyConfig, PolicyConfigError, type PolicyConfigTarget, reconcilePolicyConfig } from "../../check/policy-config";

const POLICIES: PolicyConfigTarget[] = [
    { name: "requires-label", enforcementLevel: "mandatory" },
    {
        name: "allowed-locations",
        enforcementLevel: "advisory",
        configSchema: {
            properties: { locations: { type: "array", items: { type: "string" }, default: ["europe-west1"] }, strict: { type: "boolean" } },
            required: ["locations"],
        },
    },
];

describe("policy config (as the Pulumi CLI builds it for Configure)", () => {
    describe("parsePolicyConfig (a --policy-pack-config file)", () => {
        it("reads a level string or an object of properties with an optional level", () => {
            expect(parsePolicyConfig({ a: "disabled", b: { enforcementLevel: "mandatory", x: 1 }, c: { y: [1] } })).to.deep.equal({
                a: { enforcementLevel: "disabled" },
                b: { enforcementLevel: "mandatory", properties: { x: 1 } },
                c: { properties: { y: [1] } },
            });
        });

        it("drops entries with neither a level nor properties, and treats no file as no config", () => {
            expect(parsePolicyConfig({ a: {} })).to.deep.equal({});
            expect(parsePolicyConfig(undefined)).to.deep.equal({});
        });

        it("accepts exactly the four enforcement levels", () => {
            fc.assert(
                fc.property(fc.oneof(fc.constantFrom(...ENFORCEMENT_LEVELS), fc.string()), (level) => {
                    const valid = (ENFORCEMENT_LEVELS as readonly string[]).includes(level);
                    const parse = (): unknown => parsePolicyConfig({ p: level });
                    if (valid) {
                        expect(parse()).to.deep.equal({ p: { enforcementLevel: level } });
                    } else {
                        expect(parse).to.throw(
                            PolicyConfigError,
                            `parsing enforcement level for "p": "${level}" is not a valid enforcement level (allowed: advisory, mandatory, remediate, disabled)`,
                        );
                    }
                }),
            );
        });

        it("rejects a level that is not a string, and a value that is neither string nor object, with the CLI's messages", () => {
            expect(() => parsePolicyConfig({ p: { enforcementLevel: 1 } })).to.throw(
                PolicyConfigError,
                'parsing enforcement level for "p": 1 is not a valid enforcement level; must be a string (allowed: advisory, mandatory, remediate, disabled)',
            );
            expect(() => parsePolicyConfig({ p: 3 })).to.throw(
                PolicyConfigError,
                'parsing "p": 3 is not a valid value; must be a string or object (an enforcement level, or settings)',
            );
            expect(() => parsePolicyConfig(["p"])).to.throw(
                PolicyConfigError,
                "policy config must be a JSON object mapping policy names to a level or an object",
            );
        });
    });

    describe("reconcilePolicyConfig", () => {
        it("gives every policy its default level and its schema defaults when no config is given", () => {
            expect(reconcilePolicyConfig(POLICIES, {}, {})).to.deep.equal({
                ok: true,
                config: {
                    "requires-label": { enforcementLevel: "mandatory" },
                    "allowed-locations": { enforcementLevel: "advisory", properties: { locations: ["europe-west1"] } },
                },
            });
        });

        it("lets `all` set every policy's level, then applies per-policy levels and properties over defaults", () => {
            const given = parsePolicyConfig({ all: "advisory", "allowed-locations": { enforcementLevel: "mandatory", strict: true } });
            expect(reconcilePolicyConfig(POLICIES, {}, given)).to.deep.equal({
                ok: true,
                config: {
                    "requires-label": { enforcementLevel: "advisory" },
                    "allowed-locations": { enforcementLevel: "mandatory", properties: { locations: ["europe-west1"], strict: true } },
                    all: { enforcementLevel: "advisory" },
                },
            });
        });

        it("applies the pack's initial config before the given config", () => {
            const initial = { "requires-label": { enforcementLevel: "disabled" as const } };
            const given = parsePolicyConfig({ "allowed-locations": { locations: ["us-east1"] } });
            expect(reconcilePolicyConfig(POLICIES, initial, given)).to.deep.equal({
                ok: true,
                config: {
                    "requires-label": { enforcementLevel: "disabled" },
                    "allowed-locations": { enforcementLevel: "advisory", properties: { locations: ["us-east1"] } },
                },
            });
        });

        it("reports every schema violation, sorted and named after its policy", () => {
            const given = parsePolicyConfig({ "allowed-locations": { locations: "us-east1", strict: "yes" } });
            expect(reconcilePolicyConfig(POLICIES, {}, given)).to.deep.equal({
                ok: false,
                errors: [
                    '"allowed-locations.locations" is "us-east1"; allowed: an array of strings',
                    '"allowed-locations.strict" is "yes"; allowed: a boolean',
                ],
            });
        });

        it("refuses a policy the pack does not have (a typo would otherwise pass silently), listing the ones it has", () => {
            expect(
                reconcilePolicyConfig(POLICIES, {}, parsePolicyConfig({ "allowed-location": "mandatory", all: "advisory" })),
            ).to.deep.equal({
                ok: false,
                errors: ['"allowed-location" is not a policy of this pack; allowed: all, allowed-locations, requires-label'],
            });
        });

        it("refuses a setting a policy does not have, listing the ones it has", () => {
            expect(
                reconcilePolicyConfig(
                    POLICIES,
                    {},
                    parsePolicyConfig({ "requires-label": { label: "owner" }, "allowed-locations": { location: "x" } }),
                ),
            ).to.deep.equal({
                ok: false,
                errors: [
                    '"allowed-locations.location" is not a setting of policy allowed-locations; allowed: enforcementLevel, locations, strict',
                    '"requires-label.label" is not a setting of policy requires-label; allowed: enforcementLevel',
                ],
            });
        });

        it("says what was given and what is allowed for enums, patterns, item types and required settings, cutting long values", () => {
            const policies: PolicyConfigTarget[] = [
                {
                    name: "env",
                    enforcementLevel: "mandatory",
                    configSchema: {
                        properties: {
                            environment: { type: "string", enum: ["staging", "production"] },
                            names: { type: "array", items: { type: "string", pattern: "^[A-Z]+$" }, uniqueItems: true },
                            region: { type: "string" },
                        },
                        required: ["region"],
                    },
                },
            ];
            const long = "x".repeat(80);
            expect(
                reconcilePolicyConfig(policies, {}, parsePolicyConfig({ env: { environment: "stage", names: ["ok", long] } })),
            ).to.deep.equal({
                ok: false,
                errors: [
                    '"env.environment" is "stage"; allowed: one of "staging", "production"',
                    `"env.names[0]" is "ok"; allowed: a string matching ^[A-Z]+$`,
                    `"env.names[1]" is "${"x".repeat(56)}...; allowed: a string matching ^[A-Z]+$`,
                    '"env.region" is required; allowed: a string',
                ],
            });
        });
    });
});
