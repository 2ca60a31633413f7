/**
 * What the four Cloud Run variable policies tell the Pulumi CLI about themselves: the name a config file and a
 * violation line use, the description `pulumi preview` prints, and the config schema the CLI validates
 * `--policy-pack-config` against. Written out here, so a change to any of them is a change someone meant.
 */
import Ajv from "ajv";
import { expect } from "chai";
import { cloudrunEnvironmentMatchesStack } from "../../policies/cloudrun-environment-matches-stack";
import { cloudrunNoPlaintextSecrets } from "../../policies/cloudrun-no-plaintext-secrets";
import { cloudrunRequiredEnvVars } from "../../policies/cloudrun-required-env-vars";
import { cloudrunReservedEnvNames } from "../../policies/cloudrun-reserved-env-names";
import type { SingleResourcePolicy } from "../../policies/lib/single-resource-policy";

/** The fields of a policy the CLI reads before it sends any resource. */
function metadata(policy: SingleResourcePolicy): Record<string, unknown> {
    const { name, description, enforcementLevel, configSchema } = policy;
    return { name, description, enforcementLevel, configSchema };
}

const VARIABLE_NAME_LIST = (description: string) => ({
    type: "array",
    items: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
    uniqueItems: true,
    default: ["ENVIRONMENT"],
    description,
});

describe("the Cloud Run variable policies, as the CLI sees them", () => {
    it("cloudrun-environment-matches-stack: mandatory, its sentence, and an environment and a variable list to configure", () => {
        expect(metadata(cloudrunEnvironmentMatchesStack)).to.deep.equal({
            name: "cloudrun-environment-matches-stack",
            description:
                "ENVIRONMENT in every Cloud Run container is a plain, canonical environment name equal to the stack's environment, " +
                "which the policy config or the stack name decides.",
            enforcementLevel: "mandatory",
            configSchema: {
                properties: {
                    environment: {
                        type: "string",
                        enum: ["development", "test", "staging", "production"],
                        description:
                            "The stack's environment. When absent, the stack's name decides if it is an environment name or an alias.",
                    },
                    variables: VARIABLE_NAME_LIST(
                        "Variables that, when set, must name the stack's environment. ENVIRONMENT is always checked, listed or not.",
                    ),
                },
            },
        });
    });

    it("cloudrun-required-env-vars: mandatory, its sentence, and the required names to configure", () => {
        expect(metadata(cloudrunRequiredEnvVars)).to.deep.equal({
            name: "cloudrun-required-env-vars",
            description:
                "Every container of a Cloud Run service, job, worker pool or function declares ENVIRONMENT and the other variables the stack's policy config requires.",
            enforcementLevel: "mandatory",
            configSchema: {
                properties: {
                    requiredNames: VARIABLE_NAME_LIST(
                        "Variables every container must declare. ENVIRONMENT is always required, listed or not.",
                    ),
                },
            },
        });
    });

    it("cloudrun-no-plaintext-secrets: mandatory, its sentence, nothing to configure", () => {
        expect(metadata(cloudrunNoPlaintextSecrets)).to.deep.equal({
            name: "cloudrun-no-plaintext-secrets",
            description:
                "Cloud Run variables whose names mark a secret take their value from a Secret Manager secretKeyRef (or name a mounted " +
                "file by its absolute path), and no literal variable value holds key material (a password in a URL or a key=value " +
                "setting, a token of a known format, a private key, a JWT, a long hex or base64 string).",
            enforcementLevel: "mandatory",
            configSchema: undefined,
        });
    });

    it("cloudrun-reserved-env-names: mandatory, and a sentence naming every reserved variable by role", () => {
        expect(metadata(cloudrunReservedEnvNames)).to.deep.equal({
            name: "cloudrun-reserved-env-names",
            description:
                "No Cloud Run container sets a variable that Cloud Run reserves for itself (K_SERVICE, K_REVISION, K_CONFIGURATION, " +
                "CLOUD_RUN_*, X_GOOGLE_*; also PORT in the container that takes a service's requests, and FUNCTION_TARGET, " +
                "FUNCTION_SIGNATURE_TYPE in a function).",
            enforcementLevel: "mandatory",
            configSchema: undefined,
        });
    });

    describe("a configured variable list, validated as the CLI validates --policy-pack-config", () => {
        const lists: readonly [string, SingleResourcePolicy, string][] = [
            ["cloudrun-environment-matches-stack", cloudrunEnvironmentMatchesStack, "variables"],
            ["cloudrun-required-env-vars", cloudrunRequiredEnvVars, "requiredNames"],
        ];
        for (const [name, policy, property] of lists) {
            const validate = new Ajv({ strict: false }).compile({ type: "object", properties: policy.configSchema?.properties ?? {} });

            it(`${name}: accepts variable names, any letter case, underscores and digits after the first`, () => {
                expect(validate({ [property]: ["ENVIRONMENT", "_private", "next_public_api_url", "V2"] })).to.equal(true);
            });

            it(`${name}: refuses a name twice, and a name a shell could not export`, () => {
                expect(validate({ [property]: ["ENVIRONMENT", "ENVIRONMENT"] })).to.equal(false);
                for (const bad of ["2FA", "API-URL", "A B", "", "ENVIRONMENT\n"]) {
                    expect(validate({ [property]: [bad] }), JSON.stringify(bad)).to.equal(false);
                }
                expect(validate({ [property]: [3] })).to.equal(false);
            });
        }
    });
});
