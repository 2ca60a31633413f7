/**
 * What the detector does not do again: read a value it met on the last call, read twice a name Cloud Run repeats in
 * one call (a service, its configuration, its revision's stem), read a usual URL's host in two passes, or spell out
 * again the `ENVIRONMENT` value it met last. Each is a promise about the start-up cost of every revision, so each is
 * counted here through the module functions that do the reading.
 */
import { expect } from "chai";
import { detectEnvironment } from "../../detector/detect";
import * as environments from "../../detector/environments";
import { readSignals } from "../../detector/signals";
import * as tokens from "../../detector/tokens";

type Counted = "environmentsNamedIn" | "hostEnvironmentsUntil";

/** Runs `body` counting the calls of the tokenizer's two entry points (the detector calls them through the module). */
function countingReads(body: () => void): Record<Counted, number> {
    const counts: Record<Counted, number> = { environmentsNamedIn: 0, hostEnvironmentsUntil: 0 };
    const module = tokens as unknown as Record<Counted, (...args: never[]) => unknown>;
    const originals = { environmentsNamedIn: module.environmentsNamedIn, hostEnvironmentsUntil: module.hostEnvironmentsUntil };
    for (const name of Object.keys(originals) as Counted[]) {
        module[name] = (...args: never[]) => {
            counts[name] += 1;
            return originals[name](...args);
        };
    }
    try {
        body();
    } finally {
        Object.assign(module, originals);
    }
    return counts;
}

/** A value no other test uses, so no memo of an earlier call answers for it. */
let fresh = 0;
function unique(stem: string): string {
    fresh += 1;
    return `${stem}-${fresh}x`;
}

describe("the detector reads each value once", () => {
    it("reads a service's name once when its configuration and its revision's stem repeat it", () => {
        const service = unique("netra-backend-staging");
        const counts = countingReads(() => {
            const result = detectEnvironment({ K_SERVICE: service, K_CONFIGURATION: service, K_REVISION: `${service}-00042-abc` });
            expect(result.environment).to.equal("staging");
            expect(Object.keys(result.signals)).to.deep.equal(["K_SERVICE", "K_REVISION", "K_CONFIGURATION"]);
        });
        expect(counts).to.deep.equal({ environmentsNamedIn: 1, hostEnvironmentsUntil: 0 });
    });

    it("reads a configuration or a revision that differs from the service on its own", () => {
        const service = unique("netra-backend-staging");
        const counts = countingReads(() => {
            const result = detectEnvironment({
                K_SERVICE: service,
                K_CONFIGURATION: unique("netra-backend-staging"),
                K_REVISION: `${unique("netra-backend-staging")}-00042-abc`,
                CLOUD_RUN_JOB: service.slice(1),
            });
            expect(result.environment).to.equal("staging");
        });
        expect(counts).to.deep.equal({ environmentsNamedIn: 4, hostEnvironmentsUntil: 0 });
    });

    it("compares a revision's stem with a name read earlier in the call, whichever is longer", () => {
        const service = unique("netra-backend-prod");
        const counts = countingReads(() => {
            const result = detectEnvironment({
                K_REVISION: `${service}-00042-abc`,
                CLOUD_RUN_JOB: service,
                CLOUD_RUN_EXECUTION: `${service}-x7k2p`,
            });
            expect(result.signals.K_REVISION.environments).to.deep.equal(["production"]);
            expect(result.signals.CLOUD_RUN_JOB.environments).to.deep.equal(["production"]);
            expect(result.signals.CLOUD_RUN_EXECUTION.environments).to.deep.equal(["production"]);
        });
        expect(counts).to.deep.equal({ environmentsNamedIn: 1, hostEnvironmentsUntil: 0 });
    });

    it("reads a revision's stem once when a worker pool's revision repeats it, and a stem of the same length that differs anew", () => {
        const stem = unique("netra-pool-dev");
        const same = countingReads(() => {
            const result = detectEnvironment({ K_REVISION: `${stem}-00042-abc`, CLOUD_RUN_WORKER_POOL_REVISION: `${stem}-00007-xyz` });
            expect(result.signals.K_REVISION.environments).to.deep.equal(["development"]);
            expect(result.signals.CLOUD_RUN_WORKER_POOL_REVISION.environments).to.deep.equal(["development"]);
        });
        expect(same).to.deep.equal({ environmentsNamedIn: 1, hostEnvironmentsUntil: 0 });
        // Two stems of one length that differ only in their last token.
        const tag = unique("api");
        const [prod, test] = [`netra-${tag}-prod`, `netra-${tag}-test`];
        const differ = countingReads(() => {
            const result = readSignals({ K_REVISION: `${prod}-00042-abc`, CLOUD_RUN_WORKER_POOL_REVISION: `${test}-00007-xyz` });
            expect(result.signals.K_REVISION.environments).to.deep.equal(["production"]);
            expect(result.signals.CLOUD_RUN_WORKER_POOL_REVISION.environments).to.deep.equal(["test"]);
        });
        expect(differ).to.deep.equal({ environmentsNamedIn: 2, hostEnvironmentsUntil: 0 });
    });

    it("remembers a variable's last value across calls where it is unset", () => {
        const env = { K_SERVICE: unique("netra-backend-staging") };
        expect(countingReads(() => detectEnvironment(env))).to.deep.equal({ environmentsNamedIn: 1, hostEnvironmentsUntil: 0 });
        expect(countingReads(() => detectEnvironment({ K_CONFIGURATION: env.K_SERVICE }))).to.deep.equal({
            environmentsNamedIn: 1,
            hostEnvironmentsUntil: 0,
        });
        expect(countingReads(() => detectEnvironment({ ...env }))).to.deep.equal({ environmentsNamedIn: 0, hostEnvironmentsUntil: 0 });
    });

    it("reads nothing again for values met on the last call", () => {
        const env = { K_SERVICE: unique("netra-backend-staging"), FRONTEND_URL: `https://${unique("app")}.staging.netra.ai/` };
        const first = countingReads(() => detectEnvironment(env));
        expect(first).to.deep.equal({ environmentsNamedIn: 1, hostEnvironmentsUntil: 1 });
        const again = countingReads(() => detectEnvironment({ ...env }));
        expect(again).to.deep.equal({ environmentsNamedIn: 0, hostEnvironmentsUntil: 0 });
    });

    it("reads the host of a usual URL in one pass, and any other URL by finding the host first", () => {
        const usual = countingReads(() => {
            const result = detectEnvironment({ BACKEND_URL: `https://${unique("api")}.staging.netra.ai/v1?x#y` });
            expect(result.signals.BACKEND_URL.environments).to.deep.equal(["staging"]);
        });
        expect(usual).to.deep.equal({ environmentsNamedIn: 0, hostEnvironmentsUntil: 1 });
        const atTheEnd = countingReads(() => detectEnvironment({ BACKEND_URL: `wss://${unique("api")}.staging.netra.ai` }));
        expect(atTheEnd).to.deep.equal({ environmentsNamedIn: 0, hostEnvironmentsUntil: 1 });
        for (const url of [
            `http://${unique("staging")}:8000/`,
            `https://bot@${unique("staging")}.netra.ai`,
            `http://[${unique("staging")}]/`,
        ]) {
            const other = countingReads(() => {
                expect(detectEnvironment({ BACKEND_URL: url }).signals.BACKEND_URL.environments, url).to.deep.equal(["staging"]);
            });
            expect(other, url).to.deep.equal({ environmentsNamedIn: 1, hostEnvironmentsUntil: 1 });
        }
    });

    it("spells out the ENVIRONMENT value it met last only once", () => {
        const module = environments as unknown as { canonicalEnvironment: (value: string) => unknown };
        const original = module.canonicalEnvironment;
        let calls = 0;
        module.canonicalEnvironment = (value: string) => {
            calls += 1;
            return original(value);
        };
        try {
            const value = "  sTAGe\t";
            expect(detectEnvironment({ ENVIRONMENT: value }).environment).to.equal("staging");
            expect(detectEnvironment({ ENVIRONMENT: value }).environment).to.equal("staging");
            expect(calls).to.equal(1);
            expect(detectEnvironment({ ENVIRONMENT: "PROD" }).environment).to.equal("production");
            expect(calls).to.equal(2);
        } finally {
            module.canonicalEnvironment = original;
        }
    });
});
