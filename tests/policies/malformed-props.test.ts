import { expect } from "chai";
import * as fc from "fast-check";
import type { StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policies/policy-list";
import { cloudrunRequiredEnvVars } from "../../policies/cloudrun-required-env-vars";
import { cloudrunReservedEnvNames } from "../../policies/cloudrun-reserved-env-names";
import { secretAccessScopedToServiceAccount } from "../../policies/secret-access-scoped-to-service-account";
import type { SingleResourcePolicy } from "../../policies/lib/single-resource-policy";
import * as types from "../../policies/lib/resource-types";
import { isReservedEnvNameFor } from "../../rules/cloudrun-env";
import { SHAPES } from "./fixtures";
import { runResourcePolicy, runStackPolicy, UNKNOWN_VALUE, withStackName, type StackResourceInput } from "./harness";

const RESOURCE_POLICIES = policies.filter((policy): policy is SingleResourcePolicy => "validateResource" in policy);
const ALL_TYPES = [...Object.values(types), "gcp:storage/bucket:Bucket"];

/** Keys the policies look for, so random shapes reach deep into the readers. */
const INTERESTING_KEYS = [
    "template",
    "spec",
    "containers",
    "envs",
    "name",
    "value",
    "valueSource",
    "valueFrom",
    "secretKeyRef",
    "secret",
    "version",
    "key",
    "image",
    "serviceAccount",
    "serviceAccountName",
    "volumes",
    "secretName",
    "secretId",
    "member",
    "members",
    "role",
    "policyData",
    "deletionPolicy",
    "accountId",
    "project",
    "email",
    "length",
];

/** JSON-ish values built from interesting keys and awkward leaves, optionally with unknowns anywhere. */
function jsonish(withUnknowns: boolean): fc.Arbitrary<unknown> {
    const leaves: fc.Arbitrary<unknown>[] = [
        fc.string({ maxLength: 12 }),
        fc.constantFrom(
            "ENVIRONMENT_X",
            "PORT",
            "E2E_OAUTH_SIMULATION_KEY",
            "staging",
            "DELETE",
            "roles/secretmanager.secretAccessor",
            "projects/p/secrets/s",
            "serviceAccount:a@b.iam.gserviceaccount.com",
        ),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        ...(withUnknowns ? [fc.constant(UNKNOWN_VALUE)] : []),
    ];
    return fc.letrec((tie) => ({
        value: fc.oneof(
            { depthSize: "small", withCrossShrink: true },
            ...leaves,
            fc.array(tie("value"), { maxLength: 4 }),
            fc.dictionary(fc.oneof(fc.constantFrom(...INTERESTING_KEYS), fc.string({ maxLength: 6 })), tie("value"), { maxKeys: 5 }),
        ),
    })).value;
}

/** Props of random shape: anything at the root, at `template`, or at each shape's containers. */
function malformedProps(withUnknowns: boolean): fc.Arbitrary<Record<string, unknown>> {
    const value = jsonish(withUnknowns);
    return fc.oneof(
        fc.dictionary(fc.constantFrom(...INTERESTING_KEYS), value, { maxKeys: 4 }),
        value.map((template) => ({ template })),
        value.map((containers) => ({ template: { containers } })),
        value.map((containers) => ({ template: { template: { containers } } })),
        value.map((containers) => ({ template: { spec: { containers } } })),
        fc
            .array(
                fc.oneof(
                    value,
                    value.map((envs) => ({ name: "api", envs })),
                ),
                { maxLength: 3 },
            )
            .map((containers) => ({ template: { containers } })),
    );
}

const mentionsEnvironment = (props: unknown): boolean => JSON.stringify(props).includes('"ENVIRONMENT"');

describe("every policy on malformed and partial props", () => {
    it("never throws and never lets an unknown escape (which would downgrade it during preview)", async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom(...RESOURCE_POLICIES),
                fc.constantFrom(...ALL_TYPES),
                malformedProps(true),
                fc.option(fc.constantFrom("staging", "production", "dev-alice"), { nil: undefined }),
                async (policy, type, props, stack) => {
                    const result = await withStackName(stack, () =>
                        runResourcePolicy(policy, { type, props, config: { environment: stack === "dev-alice" ? undefined : stack } }),
                    );
                    expect(result.previewError, `${policy.name} on ${type}`).to.equal(undefined);
                    expect(result.violations.every((message) => typeof message === "string" && message.length > 0)).to.equal(true);
                },
            ),
            { numRuns: 1500 },
        );
    });

    it("always reports a missing ENVIRONMENT when nothing is unknown, whatever the shape", async () => {
        await fc.assert(
            fc.asyncProperty(fc.constantFrom(...SHAPES), malformedProps(false), async (shape, props) => {
                fc.pre(!mentionsEnvironment(props));
                const result = await runResourcePolicy(cloudrunRequiredEnvVars, { type: shape.type, props });
                expect(
                    result.violations.some((message) => message.includes("ENVIRONMENT")),
                    JSON.stringify(props),
                ).to.equal(true);
            }),
            { numRuns: 1500 },
        );
    });

    it("judges variable names alone: with every value and source unknown, the verdicts follow from the names", async () => {
        const name = fc.oneof(
            fc.constantFrom("ENVIRONMENT", "PORT", "K_SERVICE", "CLOUD_RUN_JOB", "GCP_PROJECT_ID", "X_GOOGLE_A"),
            fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/),
        );
        const container = fc.record({ name: fc.string({ minLength: 1, maxLength: 5 }), names: fc.array(name, { maxLength: 6 }) });
        await fc.assert(
            fc.asyncProperty(fc.constantFrom(...SHAPES), fc.array(container, { minLength: 1, maxLength: 3 }), async (shape, containers) => {
                const props = shape.build({
                    serviceAccount: UNKNOWN_VALUE,
                    containers: containers.map((c) => ({
                        name: c.name,
                        image: UNKNOWN_VALUE,
                        envs: c.names.map((n, i) => (i % 2 === 0 ? { name: n, value: UNKNOWN_VALUE } : { name: n, secret: UNKNOWN_VALUE })),
                    })),
                });
                const required = await runResourcePolicy(cloudrunRequiredEnvVars, { type: shape.type, props });
                const reserved = await runResourcePolicy(cloudrunReservedEnvNames, { type: shape.type, props });
                expect(required.previewError).to.equal(undefined);
                expect(reserved.previewError).to.equal(undefined);
                expect(required.violations.length).to.equal(containers.filter((c) => !c.names.includes("ENVIRONMENT")).length);
                // PORT is reserved only in the container that takes a service's requests: here the first (none declares ports).
                const servesRequests = shape.type === types.CLOUD_RUN_V2_SERVICE || shape.type === types.CLOUD_RUN_V1_SERVICE;
                expect(reserved.violations.length).to.equal(
                    containers.reduce(
                        (count, c, index) =>
                            count +
                            c.names.filter((n) => isReservedEnvNameFor(n, servesRequests && index === 0 ? "ingress" : "other")).length,
                        0,
                    ),
                );
            }),
            { numRuns: 500 },
        );
    });

    it("the stack policy never throws on random resource sets with random dependencies", async () => {
        const resource = fc.record({ type: fc.constantFrom(...ALL_TYPES), props: malformedProps(true) });
        const stack = fc.array(resource, { minLength: 1, maxLength: 8 }).chain((list) =>
            fc
                .array(
                    fc.tuple(
                        fc.nat(list.length - 1),
                        fc.constantFrom("template", "member", "members", "secretId"),
                        fc.nat(list.length - 1),
                    ),
                    { maxLength: 10 },
                )
                .map((edges): StackResourceInput[] =>
                    list.map((entry, index) => {
                        const propertyDependencies: Record<string, string[]> = {};
                        for (const [, key, to] of edges.filter(([from]) => from === index)) {
                            propertyDependencies[key] = [...(propertyDependencies[key] ?? []), `r${to}`];
                        }
                        return { type: entry.type, name: `r${index}`, props: entry.props, propertyDependencies };
                    }),
                ),
        );
        const policy: StackValidationPolicy = secretAccessScopedToServiceAccount;
        await fc.assert(
            fc.asyncProperty(stack, async (resources) => {
                const result = await runStackPolicy(policy, resources);
                expect(result.previewError).to.equal(undefined);
            }),
            { numRuns: 700 },
        );
    });
});
