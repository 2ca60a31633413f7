/**
 * Rules of the Cloud Run variable policies, the workload view and the shared name rules that their
 * comments state and that only an edge of the input reaches: lists not known yet, entries without a
 * name, an entry with both a value and a source, a function's implicit container, qualifiers that
 * are numbers, and long paths.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { cloudrunEnvironmentMatchesStack } from "../../policies/cloudrun-environment-matches-stack";
import { cloudrunNoPlaintextSecrets } from "../../policies/cloudrun-no-plaintext-secrets";
import { cloudrunReservedEnvNames } from "../../policies/cloudrun-reserved-env-names";
import { UNKNOWN } from "../../policies/lib/props";
import {
    containersOf,
    envsOf,
    FUNCTION_V2_SHAPE,
    isIngressContainer,
    V2_SERVICE_SHAPE,
    type ContainerView,
} from "../../policies/lib/workloads";
import { keyLikeValue, secretNameToken } from "../../rules/cloudrun-env";
import { asPolicyProps, runResourcePolicy, UNKNOWN_VALUE } from "./harness";

const SERVICE = "gcp:cloudrunv2/service:Service";
const service = (containers: unknown): Record<string, unknown> => ({ template: { containers } });

describe("cloudrun-reserved-env-names at the edges", () => {
    const run = (props: Record<string, unknown>) => runResourcePolicy(cloudrunReservedEnvNames, { type: SERVICE, props });

    it("judges nothing while the container list is not known yet, or when there is none", async () => {
        for (const props of [service(UNKNOWN_VALUE), { template: {} }, {}]) {
            expect(await run(props), JSON.stringify(props)).to.deep.equal({ violations: [], urns: [] });
        }
    });

    it("skips a container whose variables are not known yet, and still judges the others", async () => {
        const props = service([
            { name: "api", envs: UNKNOWN_VALUE },
            { name: "sidecar", envs: [{ name: "K_SERVICE", value: "x" }] },
        ]);
        expect((await run(props)).violations).to.deep.equal([
            'Container "sidecar" sets K_SERVICE, which Cloud Run sets itself and refuses in a deploy; remove it ' +
                "(reserved: K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*).",
        ]);
    });

    it("skips an entry whose name is missing or not a string", async () => {
        const props = service([{ name: "api", envs: [{ value: "x" }, { name: 7, value: "x" }, { name: "PORT", value: "8080" }] }]);
        expect((await run(props)).violations).to.deep.equal([
            'Container "api" sets PORT, which Cloud Run sets itself and refuses in a deploy; remove it ' +
                "(reserved: PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*).",
        ]);
    });
});

describe("cloudrun-environment-matches-stack at the edges", () => {
    it("judges the literal when an entry sets both a value and a secret source (the API takes one or the other)", async () => {
        const both = (value: string) =>
            runResourcePolicy(cloudrunEnvironmentMatchesStack, {
                type: SERVICE,
                props: service([
                    {
                        name: "api",
                        envs: [{ name: "ENVIRONMENT", value, valueSource: { secretKeyRef: { secret: "environment", version: "1" } } }],
                    },
                ]),
                config: { environment: "staging" },
            });
        expect(await both("staging")).to.deep.equal({ violations: [], urns: [] });
        expect((await both("production")).violations).to.deep.equal([
            'Container "api" sets ENVIRONMENT to "production", but this stack\'s environment is staging; do not write it by hand: ' +
                'declare the service through NetraCloudRunService, which sets it from the stack\'s `environment` ("staging"), ' +
                "or, if this stack really is production, set `environment: production` in its stack file and policy config.",
        ]);
    });
});

describe("cloudrun-no-plaintext-secrets at the edges", () => {
    it("names a variable without a name, or with an empty one, by its position", async () => {
        // 128 random bits in hex: key material by form, made at run time.
        const key = randomBytes(16).toString("hex");
        const result = await runResourcePolicy(cloudrunNoPlaintextSecrets, {
            type: SERVICE,
            props: service([{ name: "api", envs: [{ name: "REGION", value: "us-central1" }, { value: key }, { name: "", value: key }] }]),
        });
        const message = (variable: string) =>
            `Container "api" sets ${variable} to a literal that looks like key material (a long hex string); ` +
            "store it in Secret Manager and reference it with a secretKeyRef.";
        expect(result.violations).to.deep.equal([message("variable #2"), message("variable #3")]);
    });
});

describe("the workload view at the edges", () => {
    const fn = (serviceConfig: Record<string, unknown>): ContainerView => {
        const list = containersOf(FUNCTION_V2_SHAPE, asPolicyProps({ serviceConfig }));
        if (list.state !== "present") {
            throw new Error(`a function's container list is ${list.state}`);
        }
        return list.containers[0];
    };

    it("reads a function's variables as a container's entries: the map's names and values, then the secrets as secretKeyRefs", () => {
        const container = fn({
            environmentVariables: { ENVIRONMENT: "staging", LOG_LEVEL: "info" },
            secretEnvironmentVariables: [{ key: "JWT_SECRET_KEY", projectId: "netra-staging", secret: "jwt-secret-staging", version: "3" }],
        });
        expect(container.raw).to.deep.equal({
            envs: [
                { name: "ENVIRONMENT", value: "staging" },
                { name: "LOG_LEVEL", value: "info" },
                { name: "JWT_SECRET_KEY", valueSource: { secretKeyRef: { secret: "jwt-secret-staging", version: "3" } } },
            ],
        });
    });

    it("reads a function's variables as not known yet when either the map or the secret list is not", () => {
        expect(envsOf(fn({ environmentVariables: UNKNOWN_VALUE, secretEnvironmentVariables: [] }))).to.equal(UNKNOWN);
        expect(envsOf(fn({ environmentVariables: { A: "1" }, secretEnvironmentVariables: UNKNOWN_VALUE }))).to.equal(UNKNOWN);
        expect(envsOf(fn({ environmentVariables: UNKNOWN_VALUE, secretEnvironmentVariables: UNKNOWN_VALUE }))).to.equal(UNKNOWN);
    });

    it("does not count an empty ports list as declaring ports: the first container takes the requests", () => {
        const list = containersOf(V2_SERVICE_SHAPE, asPolicyProps(service([{ name: "api" }, { name: "sidecar", ports: [] }])));
        if (list.state !== "present") {
            throw new Error(`the container list is ${list.state}`);
        }
        expect(list.containers.map((container) => isIngressContainer(V2_SERVICE_SHAPE, list, container))).to.deep.equal([true, false]);
    });
});

describe("the shared name and value rules at the edges", () => {
    it("reads a number after the secret word as a slot (API_KEY_10, TOKEN_V12), and a number with a unit as a setting (CACHE_KEY_24H)", () => {
        expect(["API_KEY_10", "AUTH_TOKEN_V12", "CACHE_KEY_24H", "SESSION_TOKEN_15M"].map(secretNameToken)).to.deep.equal([
            "KEY",
            "TOKEN",
            undefined,
            undefined,
        ]);
    });

    it("reads a long hex run as key material when no variable name is given", () => {
        expect(keyLikeValue(randomBytes(20).toString("hex"))).to.equal("hex");
    });

    it("exempts only hex under a digest name: a base64 run under GIT_SHA is still key material", () => {
        // Mixed case and digits, as a base64 key has; made at run time.
        const base64 = `Ab1${randomBytes(30).toString("base64url")}`;
        expect(keyLikeValue(base64, "GIT_SHA")).to.equal("base64");
        expect(keyLikeValue(randomBytes(20).toString("hex"), "GIT_SHA")).to.equal(undefined);
    });

    it("reads a long absolute path of mixed-case words and digits as a place, not as a base64 key", () => {
        const path = "/mnt/Xq7Rb2/Kp4Tz9/Wm3Yc8/Hd6Jv1/Ln5Gs0/Bf2";
        expect(keyLikeValue(path)).to.equal(undefined);
        expect(keyLikeValue(path.slice(1))).to.equal("base64");
    });

    it("reads a long camelCase name of words as a name, not as a base64 key, and a random base64 run as a key", () => {
        for (const name of ["NetraAuthServiceOauthHmacSecretStaging2024", "ProjectNetraBackendStagingServiceAccountKeyV2"]) {
            expect(keyLikeValue(name), name).to.equal(undefined);
        }
        for (let run = 0; run < 200; run++) {
            const key = `Aa1${randomBytes(30 + (run % 30)).toString(run % 2 === 0 ? "base64" : "base64url")}`;
            expect(keyLikeValue(key), "a random run").to.equal("base64");
        }
    });

    it("reads an Authorization header's credentials as a secret, whatever the token's form, but not a placeholder", () => {
        expect(keyLikeValue(`Bearer ${randomBytes(16).toString("hex").slice(0, 20)}`)).to.equal("authorization");
        expect(keyLikeValue(`Basic ${Buffer.from(`app:${randomBytes(6).toString("hex")}`).toString("base64")}`)).to.equal("authorization");
        expect(keyLikeValue(`token ${randomBytes(8).toString("base64url")}`)).to.equal("authorization");
        expect(
            ["Bearer ${API_TOKEN}", "Basic <credentials>", "Bearer ****", "Bearer short"].map((value) => keyLikeValue(value)),
        ).to.deep.equal([undefined, undefined, undefined, undefined]);
    });
});
