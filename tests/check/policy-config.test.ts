import { expect } from "chai";
import * as fc from "fast-check";
import { ENFORCEMENT_LEVELS } from "../../check/analyzer-wire";
import {
    describeAllowed,
    describeGiven,
    parsePolicyConfig,
    PolicyConfigError,
    type PolicyConfigTarget,
    reconcilePolicyConfig,
    schemaCompiler,
} from "../../check/policy-config";

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
            // Printable ASCII without quotes or backslashes, up to 50 characters: shown as written (escaping has its own test).
            const plain = fc.stringMatching(/^[ !#-[\]-~]{0,50}$/);
            fc.assert(
                fc.property(fc.oneof(fc.constantFrom(...ENFORCEMENT_LEVELS), plain), (level) => {
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

    describe("keys and values in messages", () => {
        it("are JSON-quoted with every character but printable ASCII escaped, so a message stays one visible line", () => {
            expect(() => parsePolicyConfig({ "evil\npolicy\u001b[31m": "loud" })).to.throw(
                PolicyConfigError,
                'parsing enforcement level for "evil\\npolicy\\u001b[31m": "loud" is not a valid enforcement level (allowed: advisory, mandatory, remediate, disabled)',
            );
            expect(() => parsePolicyConfig({ p: "\u200bmandatory\ufeff" })).to.throw(
                PolicyConfigError,
                'parsing enforcement level for "p": "\\u200bmandatory\\ufeff" is not a valid enforcement level (allowed: advisory, mandatory, remediate, disabled)',
            );
            expect(() => parsePolicyConfig({ p: { enforcementLevel: ["\u2028"] } })).to.throw(
                PolicyConfigError,
                'parsing enforcement level for "p": ["\\u2028"] is not a valid enforcement level; must be a string (allowed: advisory, mandatory, remediate, disabled)',
            );
            const given = parsePolicyConfig({
                "allowed-locations": { locations: ["us\u001b[2J", "\u00e9u"], "x\ty": 1 },
                "t\u00e9st": "advisory",
            });
            expect(reconcilePolicyConfig(POLICIES, {}, given)).to.deep.equal({
                ok: false,
                errors: [
                    '"allowed-locations.x\\ty" is not a setting of policy allowed-locations; allowed: enforcementLevel, locations, strict',
                    '"t\\u00e9st" is not a policy of this pack; allowed: all, allowed-locations, requires-label',
                ],
            });
        });

        it("cut a long value after 60 characters and a long key after 200, escaping what is shown", () => {
            expect(describeGiven("\u200b".repeat(100))).to.equal(`"${"\\u200b".repeat(56)}...`);
            expect(() => parsePolicyConfig({ ["k".repeat(300)]: 3 })).to.throw(
                PolicyConfigError,
                `parsing "${"k".repeat(196)}...: 3 is not a valid value; must be a string or object (an enforcement level, or settings)`,
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
    describe("words for what a schema allows (describeAllowed)", () => {
        it("names the type with its article, or any value when the type is not one name", () => {
            expect(
                [
                    { type: "string" },
                    { type: "integer" },
                    { type: "object" },
                    { type: "array" },
                    { type: "boolean" },
                    {},
                    { type: ["string", "null"] },
                ].map(describeAllowed),
            ).to.deep.equal(["a string", "an integer", "an object", "an array", "a boolean", "a value", "a value"]);
        });

        it("lists an enum's values as JSON", () => {
            expect(describeAllowed({ type: "string", enum: ["a", 1, null] })).to.equal('one of "a", 1, null');
        });

        it("describes an array's items in the plural, once each when unique", () => {
            expect(describeAllowed({ type: "array", items: { type: "integer" } })).to.equal("an array of integers");
            expect(describeAllowed({ type: "array", items: { type: "string", pattern: "^[a-z]+$" }, uniqueItems: true })).to.equal(
                "an array of strings matching ^[a-z]+$, each once",
            );
            expect(describeAllowed({ type: "array", items: { enum: ["an apple"] }, uniqueItems: false })).to.equal(
                'an array of one of "an apple"',
            );
            expect(describeAllowed({ type: "array", uniqueItems: true })).to.equal("an array");
            expect(describeAllowed({ type: "object", items: { type: "string" } })).to.equal("an object");
        });

        it("says a string may not be empty, and gives a number's range with open ends", () => {
            expect(describeAllowed({ type: "string", minLength: 1 })).to.equal("a string (not empty)");
            expect(describeAllowed({ type: "string", minLength: 0 })).to.equal("a string");
            expect(describeAllowed({ type: "string", minLength: "1" })).to.equal("a string");
            expect(describeAllowed({ type: "integer", minimum: 1, maximum: 10 })).to.equal("an integer from 1 to 10");
            expect(describeAllowed({ type: "number", minimum: 0 })).to.equal("a number from 0 to inf");
            expect(describeAllowed({ type: "number", maximum: 5 })).to.equal("a number from -inf to 5");
            expect(describeAllowed({ type: "number", minimum: "0" })).to.equal("a number");
        });
    });

    describe("a given value as shown (describeGiven)", () => {
        it("shows JSON, cut after 57 characters when longer than 60", () => {
            expect(describeGiven("x".repeat(58))).to.equal(`"${"x".repeat(58)}"`);
            expect(describeGiven("x".repeat(59))).to.equal(`"${"x".repeat(56)}...`);
            expect(describeGiven(undefined)).to.equal("undefined");
            expect(describeGiven({ a: [1] })).to.equal('{"a":[1]}');
        });
    });

    describe("parsing, at its edges", () => {
        it("names the error class, and refuses a list as a policy's value or a wrong level inside an object", () => {
            expect(new PolicyConfigError("x").name).to.equal("PolicyConfigError");
            expect(() => parsePolicyConfig({ p: null })).to.throw(
                PolicyConfigError,
                'parsing "p": null is not a valid value; must be a string or object (an enforcement level, or settings)',
            );
            expect(() => parsePolicyConfig({ p: [1] })).to.throw(
                PolicyConfigError,
                'parsing "p": [1] is not a valid value; must be a string or object (an enforcement level, or settings)',
            );
            expect(() => parsePolicyConfig({ p: { enforcementLevel: "warn", x: 1 } })).to.throw(
                PolicyConfigError,
                'parsing enforcement level for "p": "warn" is not a valid enforcement level (allowed: advisory, mandatory, remediate, disabled)',
            );
            expect(parsePolicyConfig(null)).to.deep.equal({});
        });
    });

    describe("compiling schemas (schemaCompiler)", () => {
        const schema = { properties: { n: { type: "integer" } }, required: [] };

        it("compiles each schema text once per compiler", () => {
            const compile = schemaCompiler();
            const first = compile(schema);
            expect(compile(JSON.parse(JSON.stringify(schema)) as Record<string, unknown>)).to.equal(first);
            expect(schemaCompiler()(schema)).not.to.equal(first);
        });

        it("compiles a later schema with an $id used before as a schema of its own", () => {
            const compile = schemaCompiler();
            expect(compile({ $id: "settings", properties: { n: { type: "integer" } } })({ n: "x" })).to.equal(false);
            expect(compile({ $id: "settings", properties: { n: { type: "string" } } })({ n: "x" })).to.equal(true);
        });
    });

    describe("reconciling, at its edges", () => {
        const POLICY = (configSchema?: PolicyConfigTarget["configSchema"]): PolicyConfigTarget[] => [
            { name: "p", enforcementLevel: "advisory", configSchema },
        ];

        it("adds no properties to a policy without settings when the config gives an empty set", () => {
            expect(reconcilePolicyConfig(POLICY(), {}, { p: { enforcementLevel: "mandatory", properties: {} } })).to.deep.equal({
                ok: true,
                config: { p: { enforcementLevel: "mandatory" } },
            });
        });

        // Each with a compiler of its own: the process's shared one may have compiled these schemas already.
        it("validates a schema without required settings, and one with keywords ajv does not know", () => {
            expect(
                reconcilePolicyConfig(
                    POLICY({ properties: { n: { type: "integer", "x-note": "free text" } } }),
                    {},
                    { p: { properties: { n: 2 } } },
                    schemaCompiler(),
                ),
            ).to.deep.equal({
                ok: true,
                config: { p: { enforcementLevel: "advisory", properties: { n: 2 } } },
            });
            expect(
                reconcilePolicyConfig(
                    POLICY({ properties: { n: { type: "integer" } }, required: [] }),
                    {},
                    { p: { properties: { n: "2" } } },
                    schemaCompiler(),
                ),
            ).to.deep.equal({
                ok: false,
                errors: ['"p.n" is "2"; allowed: an integer'],
            });
        });

        it("reports every wrong setting, one line per place, naming list indexes and keys that hold digits", () => {
            const schema = {
                properties: {
                    list: { type: "array", items: { type: "string", minLength: 2, pattern: "^[a-z]+$" }, uniqueItems: true },
                    map: { type: "object", additionalProperties: { type: "string" } },
                    other: { type: "string" },
                },
                required: ["other", "absent"],
            };
            const list = ["ab", "cd", "ef", "gh", "ij", "kl", "mn", "op", "qr", "st", "1", "ab"];
            expect(
                reconcilePolicyConfig(POLICY(schema), {}, { p: { properties: { list, map: { "1a": 5, a1: 6 } } } }, schemaCompiler()),
            ).to.deep.equal({
                ok: false,
                errors: [
                    '"p.absent" is required; allowed: a value',
                    '"p.list" is ["ab","cd","ef","gh","ij","kl","mn","op","qr","st","1","ab"] (repeats an item); allowed: an array of strings matching ^[a-z]+$ (not empty), each once',
                    '"p.list[10]" is "1"; allowed: a string matching ^[a-z]+$ (not empty)',
                    '"p.map.1a" is 5; allowed: a string',
                    '"p.map.a1" is 6; allowed: a string',
                    '"p.other" is required; allowed: a string',
                ],
            });
        });
    });
});
