import { expect } from "chai";
import fc from "fast-check";
import { ENVIRONMENT_ALIASES, isCanonicalEnvironment } from "../../detector/environments";
import { detectEnvironment } from "../../detector/detect";
import { EnvironmentDetectionError } from "../../detector/errors";
import { cloudRunEnvArb, offPlatformEnvArb, signalEnvArb, spelledAliasArb, unrelatedEnvArb } from "./arbitraries";

type Env = Record<string, string>;

/** The result, or the error's code and message: what a caller can observe. Any other throw fails the property. */
function outcome(env: Env): object {
    try {
        return detectEnvironment(env);
    } catch (error) {
        if (error instanceof EnvironmentDetectionError) {
            return { code: error.code, message: error.message };
        }
        throw error;
    }
}

/** ENVIRONMENT itself: unset, a spelled alias, or any string at all. */
const explicitArb = fc.oneof(
    fc.constant(undefined),
    spelledAliasArb.map(({ spelled }) => spelled),
    fc.string({ unit: "binary", maxLength: 20 }),
);

const anyEnvArb = fc
    .tuple(explicitArb, fc.oneof(signalEnvArb, cloudRunEnvArb), unrelatedEnvArb)
    .map(([explicit, signals, unrelated]): Env => ({
        ...unrelated,
        ...signals,
        ...(explicit === undefined ? {} : { ENVIRONMENT: explicit }),
    }));

const RUNS = { numRuns: 500 };

describe("detectEnvironment over random environments (fast-check)", () => {
    it("lets a valid explicit ENVIRONMENT win over any signals, in any case and whitespace", () => {
        fc.assert(
            fc.property(
                spelledAliasArb,
                fc.oneof(signalEnvArb, cloudRunEnvArb),
                unrelatedEnvArb,
                ({ alias, spelled }, signals, unrelated) => {
                    const result = detectEnvironment({ ...unrelated, ...signals, ENVIRONMENT: spelled });
                    expect(result.environment).to.equal(ENVIRONMENT_ALIASES[alias]);
                    expect(result.source).to.equal("explicit");
                },
            ),
            RUNS,
        );
    });

    it("throws only EnvironmentDetectionError, with a known code and a one-line message", () => {
        fc.assert(
            fc.property(anyEnvArb, (env) => {
                try {
                    const result = detectEnvironment(env);
                    expect(isCanonicalEnvironment(result.environment)).to.equal(true);
                } catch (error) {
                    expect(error).to.be.instanceOf(EnvironmentDetectionError);
                    const { code, message } = error as EnvironmentDetectionError;
                    expect(["invalid-value", "no-signal", "conflicting-signals"]).to.include(code);
                    expect(message).to.not.match(/[\r\n]/);
                }
            }),
            RUNS,
        );
    });

    it("is deterministic: the same environment, or a copy of it, gives the same answer", () => {
        fc.assert(
            fc.property(anyEnvArb, (env) => {
                const first = outcome(env);
                expect(outcome(env)).to.deep.equal(first);
                expect(outcome({ ...env })).to.deep.equal(first);
            }),
            RUNS,
        );
    });

    it("is not changed by NODE_ENV or any variable it does not read", () => {
        fc.assert(
            fc.property(anyEnvArb, unrelatedEnvArb, fc.string({ maxLength: 12 }), (env, unrelated, nodeEnv) => {
                expect(outcome({ ...unrelated, NODE_ENV: nodeEnv, ...env })).to.deep.equal(outcome(env));
            }),
            RUNS,
        );
    });

    it("never falls back to a silent default on Cloud Run: signals decide with a warning, or it throws", () => {
        fc.assert(
            fc.property(cloudRunEnvArb, unrelatedEnvArb, (signals, unrelated) => {
                const result = outcome({ ...unrelated, ...signals });
                if ("source" in result) {
                    const { source, warnings } = result as ReturnType<typeof detectEnvironment>;
                    expect(source).to.equal("platform");
                    expect(warnings[0]).to.match(/^`ENVIRONMENT` is not set; /);
                } else {
                    expect((result as { code: string }).code).to.be.oneOf(["no-signal", "conflicting-signals"]);
                }
            }),
            RUNS,
        );
    });

    it("answers development by default off Cloud Run, whatever project ids and URLs say", () => {
        fc.assert(
            fc.property(offPlatformEnvArb, unrelatedEnvArb, (signals, unrelated) => {
                const result = detectEnvironment({ ...unrelated, ...signals });
                expect([result.environment, result.source, result.platform]).to.deep.equal(["development", "default", null]);
            }),
            RUNS,
        );
    });
});
