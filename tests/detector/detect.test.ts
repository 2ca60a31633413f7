/**
 * Rules of detectEnvironment that the shared vectors (detector/vectors.json) leave at one example or none: how
 * warnings are counted, how values are echoed, and the names the detector's modules own, written out.
 */
import { expect } from "chai";
import {
    CLOUD_RUN_FUNCTION_VARIABLES,
    CLOUD_RUN_JOB_VARIABLES,
    CLOUD_RUN_SERVICE_VARIABLES,
    CLOUD_RUN_WORKER_POOL_VARIABLES,
    PLATFORM_WORDS,
} from "../../detector/cloud-run";
import { detectEnvironment } from "../../detector/detect";
import { asciiJson, cut, echo, escapeText, isAscii, quote } from "../../detector/echo";
import {
    canonicalEnvironment,
    describeEnvironmentsWithAliases,
    Environment,
    ENVIRONMENT_ALIASES,
    isCanonicalEnvironment,
} from "../../detector/environments";
import { EnvironmentDetectionError } from "../../detector/errors";
import { readSignals } from "../../detector/signals";

/** The error's code and message, failing the test when nothing is thrown. */
function failure(env: Record<string, string>): { code: string; message: string } {
    try {
        detectEnvironment(env);
    } catch (error) {
        expect(error).to.be.instanceOf(EnvironmentDetectionError);
        const { code, message } = error as EnvironmentDetectionError;
        return { code, message };
    }
    throw new Error("expected a detection error");
}

const ALLOWED = "use one of: development (dev, local), test (testing), staging (stage), production (prod).";

describe("detectEnvironment: values met again", () => {
    it("reads a changed ENVIRONMENT again, after a valid value and after an invalid one", () => {
        expect(detectEnvironment({ ENVIRONMENT: "stage" }).environment).to.equal("staging");
        expect(detectEnvironment({ ENVIRONMENT: "stage" }).environment).to.equal("staging");
        expect(detectEnvironment({ ENVIRONMENT: "prod" }).environment).to.equal("production");
        expect(failure({ ENVIRONMENT: "qa" }).code).to.equal("invalid-value");
        expect(failure({ ENVIRONMENT: "qa" }).code).to.equal("invalid-value");
        expect(detectEnvironment({ ENVIRONMENT: "dev" }).environment).to.equal("development");
        expect(failure({ ENVIRONMENT: "d\u0435v" }).message).to.contain("holds non-ASCII characters");
        expect(detectEnvironment({ ENVIRONMENT: "stage" }).environment).to.equal("staging");
    });

    it("words the missing-ENVIRONMENT warning anew when the platform, the environment or the sources change", () => {
        const warning = (env: Record<string, string>): string => detectEnvironment(env).warnings[0];
        const service = { K_SERVICE: "netra-backend-staging" };
        expect(warning(service)).to.equal(
            "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE. Set ENVIRONMENT=staging on the Cloud Run service.",
        );
        expect(warning({ ...service, FUNCTION_TARGET: "main" })).to.equal(
            "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE. Set ENVIRONMENT=staging on the Cloud Run function.",
        );
        expect(warning({ K_SERVICE: "netra-backend-prod" })).to.equal(
            "`ENVIRONMENT` is not set; production was inferred from K_SERVICE. Set ENVIRONMENT=production on the Cloud Run service.",
        );
        expect(warning({ K_CONFIGURATION: "netra-backend-prod" })).to.equal(
            "`ENVIRONMENT` is not set; production was inferred from K_CONFIGURATION. Set ENVIRONMENT=production on the Cloud Run service.",
        );
        expect(warning({ ...service, GCP_PROJECT_ID: "netra-staging" })).to.equal(
            "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE, GCP_PROJECT_ID. Set ENVIRONMENT=staging on the Cloud Run service.",
        );
        expect(warning({ ...service, GCP_PROJECT_ID: "netra-x" })).to.equal(
            "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE. Set ENVIRONMENT=staging on the Cloud Run service.",
        );
        expect(warning({ ...service, K_REVISION: "netra-backend-staging-00001-abc", GCP_PROJECT_ID: "netra-staging" })).to.equal(
            "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE, K_REVISION, GCP_PROJECT_ID. " +
                "Set ENVIRONMENT=staging on the Cloud Run service.",
        );
        expect(warning({ ...service, K_REVISION: "netra-backend-staging-00001-abc", BACKEND_URL: "https://staging.netra.ai" })).to.equal(
            "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE, K_REVISION, BACKEND_URL. " +
                "Set ENVIRONMENT=staging on the Cloud Run service.",
        );
    });
});

describe("detectEnvironment: the missing-ENVIRONMENT warning is worded once per question", () => {
    /** Runs `body` counting calls of Array.prototype.join, which wording the warning needs and a remembered one does not. */
    function joins(body: () => void): number {
        const join = Object.getOwnPropertyDescriptor(Array.prototype, "join") as PropertyDescriptor;
        let calls = 0;
        Object.defineProperty(Array.prototype, "join", {
            ...join,
            value(this: unknown[], ...args: unknown[]): unknown {
                calls += 1;
                return (join.value as (...args: unknown[]) => unknown).apply(this, args);
            },
        });
        try {
            body();
        } finally {
            Object.defineProperty(Array.prototype, "join", join);
        }
        return calls;
    }

    it("words it on a process's first question, with nothing remembered yet", () => {
        // A fresh copy of the module: this process's other tests have left a warning remembered in the shared one.
        const id = require.resolve("../../detector/detect");
        const shared = require.cache[id];
        delete require.cache[id];
        try {
            const fresh = require(id) as { detectEnvironment: typeof detectEnvironment };
            expect(fresh.detectEnvironment({ K_SERVICE: "netra-first-staging" }).warnings).to.deep.equal([
                "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE. Set ENVIRONMENT=staging on the Cloud Run service.",
            ]);
        } finally {
            require.cache[id] = shared;
        }
    });

    it("words it on the first call and takes it as it was while the platform, the environment and the sources stay", () => {
        const env = { K_SERVICE: "netra-join-staging", K_REVISION: "netra-join-staging-00001-abc", GCP_PROJECT_ID: "netra-staging" };
        const expected =
            "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE, K_REVISION, GCP_PROJECT_ID. " +
            "Set ENVIRONMENT=staging on the Cloud Run service.";
        expect(joins(() => expect(detectEnvironment({ K_SERVICE: "netra-join-prod" }).environment).to.equal("production"))).to.equal(1);
        expect(joins(() => expect(detectEnvironment(env).warnings).to.deep.equal([expected]))).to.equal(1);
        expect(joins(() => expect(detectEnvironment({ ...env }).warnings).to.deep.equal([expected]))).to.equal(0);
        // Fewer sources than last time, the first ones the same: the names left over from the longer call do not count.
        const fewer = { K_SERVICE: env.K_SERVICE, K_REVISION: env.K_REVISION };
        const shorter =
            "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE, K_REVISION. Set ENVIRONMENT=staging on the Cloud Run service.";
        expect(joins(() => expect(detectEnvironment(fewer).warnings).to.deep.equal([shorter]))).to.equal(1);
        expect(joins(() => expect(detectEnvironment({ ...fewer }).warnings).to.deep.equal([shorter]))).to.equal(0);
        // As many sources, one of them another.
        const other = { K_SERVICE: env.K_SERVICE, K_CONFIGURATION: env.K_SERVICE };
        expect(joins(() => expect(detectEnvironment(other).warnings[0]).to.contain("inferred from K_SERVICE, K_CONFIGURATION."))).to.equal(
            1,
        );
    });
});

describe("EnvironmentDetectionError", () => {
    it("is an Error named EnvironmentDetectionError, with its code and message", () => {
        const error = new EnvironmentDetectionError("no-signal", "why");
        expect(error).to.be.instanceOf(Error);
        expect([error.name, error.code, error.message, String(error)]).to.deep.equal([
            "EnvironmentDetectionError",
            "no-signal",
            "why",
            "EnvironmentDetectionError: why",
        ]);
    });
});

describe("detectEnvironment: warnings and messages", () => {
    it("warns once for a signal that names two other environments", () => {
        expect(detectEnvironment({ ENVIRONMENT: "test", K_SERVICE: "staging-prod-bridge" }).warnings).to.deep.equal([
            "`ENVIRONMENT` is test, but K_SERVICE (staging-prod-bridge) says staging, production; test is kept.",
        ]);
    });

    it("warns once per contradicting signal off Cloud Run, in signal order", () => {
        expect(
            detectEnvironment({
                NEXT_PUBLIC_API_URL: "https://api.prod.example",
                GCP_PROJECT_ID: "netra-staging",
                GCLOUD_PROJECT: "netra-dev",
            }).warnings,
        ).to.deep.equal([
            "`ENVIRONMENT` is not set and this is not Cloud Run, so development is assumed, but GCP_PROJECT_ID (netra-staging) says staging.",
            "`ENVIRONMENT` is not set and this is not Cloud Run, so development is assumed, but NEXT_PUBLIC_API_URL (api.prod.example) says production.",
        ]);
    });

    it("names every agreeing source of a platform decision, in signal order", () => {
        expect(
            detectEnvironment({
                AUTH_SERVICE_URL: "https://auth.stage.example",
                K_SERVICE: "netra-api",
                GOOGLE_CLOUD_PROJECT: "netra-staging",
            }).warnings,
        ).to.deep.equal([
            "`ENVIRONMENT` is not set; staging was inferred from GOOGLE_CLOUD_PROJECT, AUTH_SERVICE_URL. Set ENVIRONMENT=staging on the Cloud Run service.",
        ]);
    });

    it("lists only the signals that name an environment when they disagree", () => {
        expect(
            failure({
                CLOUD_RUN_WORKER_POOL: "netra-queue",
                CLOUD_RUN_WORKER_POOL_REVISION: "x-dev-00001-abc",
                GCP_PROJECT_ID: "netra-prod",
            }),
        ).to.deep.equal({
            code: "conflicting-signals",
            message:
                "Cannot tell the environment on this Cloud Run worker pool: `ENVIRONMENT` is not set and the signals disagree: " +
                "CLOUD_RUN_WORKER_POOL_REVISION (x-dev-00001-abc) says development; GCP_PROJECT_ID (netra-prod) says production. " +
                "Set ENVIRONMENT to one of: development, test, staging, production.",
        });
    });

    it("refuses non-ASCII anywhere in ENVIRONMENT, saying so, without case-mapping it to a name", () => {
        for (const [value, shown] of [
            ["stagin\u0261", "stagin\\u0261"],
            ["\u0455taging", "\\u0455taging"],
            ["\u212Aprod", "\\u212aprod"],
        ]) {
            expect(failure({ ENVIRONMENT: value }), value).to.deep.equal({
                code: "invalid-value",
                message: `\`ENVIRONMENT\` is "${shown}", which holds non-ASCII characters, which no environment name has; ${ALLOWED}`,
            });
        }
    });

    it("quotes an unknown ENVIRONMENT with its own double quotes and tabs escaped", () => {
        expect(failure({ ENVIRONMENT: 'st"a\tg' })).to.deep.equal({
            code: "invalid-value",
            message: `\`ENVIRONMENT\` is "st\\"a\\tg", which is not an environment name; ${ALLOWED}`,
        });
    });
});

describe("readSignals: values read once and remembered", () => {
    it("warns each time about the same URL variable that is not a URL", () => {
        const env = { BACKEND_URL: "api.staging.netrasystems.ai" };
        const warning = "`BACKEND_URL` is not an absolute URL (scheme://host), so its hostname was not read.";
        expect(readSignals(env)).to.deep.equal({ platform: null, signals: {}, warnings: [warning] });
        expect(readSignals(env)).to.deep.equal({ platform: null, signals: {}, warnings: [warning] });
    });

    it("reads a blank value as no signal each time, and a changed value anew", () => {
        expect(readSignals({ K_SERVICE: " \t" })).to.deep.equal({ platform: null, signals: {}, warnings: [] });
        expect(readSignals({ K_SERVICE: " \t" })).to.deep.equal({ platform: null, signals: {}, warnings: [] });
        expect(readSignals({ K_SERVICE: " netra-api-prod\n" }).signals).to.deep.equal({
            K_SERVICE: { value: "netra-api-prod", environments: ["production"] },
        });
        expect(readSignals({ K_SERVICE: "netra-api-test" }).signals).to.deep.equal({
            K_SERVICE: { value: "netra-api-test", environments: ["test"] },
        });
    });

    it("trims a value that starts or ends with a space or a non-ASCII space", () => {
        for (const value of [" netra-api-dev", "netra-api-dev ", "\u00a0netra-api-dev", "netra-api-dev\u3000"]) {
            expect(readSignals({ CLOUD_RUN_JOB: value }).signals, JSON.stringify(value)).to.deep.equal({
                CLOUD_RUN_JOB: { value: "netra-api-dev", environments: ["development"] },
            });
        }
    });
});

describe("echoed values (detector/echo.ts)", () => {
    it("cuts after the limit and marks the cut", () => {
        expect([cut("abcd", 4), cut("abcde", 4), cut("", 0)]).to.deep.equal(["abcd", "abcd...", ""]);
    });

    it("escapes tab, line feed, carriage return and backslash short, every other unit outside printable ASCII as \\uXXXX", () => {
        expect(escapeText("a\tb\nc\rd\\e")).to.equal("a\\tb\\nc\\rd\\\\e");
        expect(escapeText("\u0000\u001f\u007f\u0080\u00e9\u2028\uffff")).to.equal("\\u0000\\u001f\\u007f\\u0080\\u00e9\\u2028\\uffff");
        expect(escapeText(" ~[]")).to.equal(" ~[]");
        expect(escapeText(" ~\t")).to.equal(" ~\\t");
        expect(escapeText("\u001f \u007f~")).to.equal("\\u001f \\u007f~");
    });

    it("echoes a value cut to 64 units before escaping, and quotes it with its double quotes escaped", () => {
        expect(echo(`${"x".repeat(64)}\n`)).to.equal("x".repeat(64) + "...");
        expect(echo(`${"x".repeat(63)}\n`)).to.equal(`${"x".repeat(63)}\\n`);
        expect(quote('say "hi"')).to.equal('"say \\"hi\\""');
    });

    it("tells ASCII from anything else, controls included", () => {
        expect([isAscii(""), isAscii("\u0000\u007f"), isAscii("\u0080"), isAscii("a\u00e9"), isAscii("\u00e9a")]).to.deep.equal([
            true,
            true,
            false,
            false,
            false,
        ]);
    });

    it("writes JSON in printable ASCII, DEL and everything above as \\uXXXX", () => {
        expect(asciiJson({ v: "a\u007f\u00e9\u4e2d\n" })).to.equal('{"v":"a\\u007f\\u00e9\\u4e2d\\n"}');
    });
});

describe("the names the detector's modules own", () => {
    it("knows the Cloud Run variables of each workload kind", () => {
        expect(CLOUD_RUN_SERVICE_VARIABLES).to.deep.equal(["K_SERVICE", "K_REVISION", "K_CONFIGURATION"]);
        expect(CLOUD_RUN_JOB_VARIABLES).to.deep.equal([
            "CLOUD_RUN_JOB",
            "CLOUD_RUN_EXECUTION",
            "CLOUD_RUN_TASK_INDEX",
            "CLOUD_RUN_TASK_ATTEMPT",
            "CLOUD_RUN_TASK_COUNT",
        ]);
        expect(CLOUD_RUN_WORKER_POOL_VARIABLES).to.deep.equal(["CLOUD_RUN_WORKER_POOL", "CLOUD_RUN_WORKER_POOL_REVISION"]);
        expect(CLOUD_RUN_FUNCTION_VARIABLES).to.deep.equal(["FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE"]);
        expect(PLATFORM_WORDS).to.deep.equal({
            "cloud-run-service": "Cloud Run service",
            "cloud-run-function": "Cloud Run function",
            "cloud-run-job": "Cloud Run job",
            "cloud-run-worker-pool": "Cloud Run worker pool",
        });
    });

    it("knows each environment's aliases, and only canonical names as canonical", () => {
        expect(ENVIRONMENT_ALIASES).to.deep.equal({
            development: "development",
            dev: "development",
            local: "development",
            test: "test",
            testing: "test",
            staging: "staging",
            stage: "staging",
            production: "production",
            prod: "production",
        });
        expect(Environment).to.deep.equal({ development: "development", test: "test", staging: "staging", production: "production" });
        expect(describeEnvironmentsWithAliases()).to.equal("development (dev, local), test (testing), staging (stage), production (prod)");
        expect(["staging", "Staging", "stage", " staging", 7, undefined].map(isCanonicalEnvironment)).to.deep.equal([
            true,
            false,
            false,
            false,
            false,
            false,
        ]);
        expect(["toString", "__proto__", "constructor"].map(canonicalEnvironment)).to.deep.equal([undefined, undefined, undefined]);
    });
});
