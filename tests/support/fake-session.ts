/**
 * A stand-in for a policy pack session (check/policy-pack-host.ts), for tests of the check's and the
 * audit's own steps: it records how it was started and every call, and answers with the info and
 * violations the test gives, so those steps are judged without starting the real pack.
 */
import type {
    AnalyzerResourceInput,
    PolicyPackContext,
    PolicyPackInfo,
    PolicyPackSession,
    PolicyPackStarter,
    PolicyPackStartOptions,
    PolicyViolation,
} from "../../check/policy-pack-host";

/** What the stand-in was started with and asked, in order. */
export interface FakeSessionLog {
    started?: { packDir: string; context: PolicyPackContext; options: PolicyPackStartOptions | undefined };
    /** Each call: its name and what it was given (URNs for resources, with whether they carry state). */
    readonly calls: (readonly [string, unknown])[];
}

/** What the stand-in answers. */
export interface FakeSessionAnswers {
    readonly info: PolicyPackInfo;
    /** Analyze's violations for a resource. */
    readonly analyze?: (resource: AnalyzerResourceInput) => PolicyViolation[];
    /** AnalyzeStack's violations. */
    readonly analyzeStack?: (resources: readonly AnalyzerResourceInput[]) => PolicyViolation[];
}

/** A starter that hands out one stand-in session, and the log of what happened to it. */
export function fakeStarter(answers: FakeSessionAnswers): { start: PolicyPackStarter; log: FakeSessionLog } {
    const log: FakeSessionLog = { calls: [] };
    const analyze = (resource: AnalyzerResourceInput): PolicyViolation[] => answers.analyze?.(resource) ?? [];
    const start: PolicyPackStarter = (packDir, context, options) => {
        log.started = { packDir, context, options };
        const session: PolicyPackSession = {
            dir: packDir,
            pid: undefined,
            ready: () => Promise.resolve(answers.info),
            info: () => {
                log.calls.push(["info", undefined]);
                return Promise.resolve(answers.info);
            },
            configure: (policyConfig, file) => {
                log.calls.push(["configure", { policyConfig, file }]);
                return Promise.resolve();
            },
            analyze: (resource) => {
                log.calls.push(["analyze", [resource]]);
                return Promise.resolve(analyze(resource));
            },
            analyzeAll: (resources) => {
                log.calls.push(["analyzeAll", resources]);
                return Promise.resolve(resources.flatMap(analyze));
            },
            analyzeStream: () => {
                const added: AnalyzerResourceInput[] = [];
                return {
                    add: (resources) => void added.push(...resources),
                    finish: () => {
                        log.calls.push(["analyzeStream", added]);
                        return Promise.resolve(added.flatMap(analyze));
                    },
                };
            },
            analyzeStack: (resources) => {
                log.calls.push(["analyzeStack", resources]);
                return Promise.resolve(answers.analyzeStack?.(resources) ?? []);
            },
            timings: () => ({}),
            close: () => {
                log.calls.push(["close", undefined]);
                return Promise.resolve();
            },
        };
        return Promise.resolve(session);
    };
    return { start, log };
}

/** A pack of one resource policy, as GetAnalyzerInfo would describe it. */
export function fakePackInfo(policies: PolicyPackInfo["policies"]): PolicyPackInfo {
    return {
        name: "fake-pack",
        displayName: "Fake pack",
        version: "1.2.3",
        description: "A stand-in.",
        supportsConfig: true,
        policies,
        initialConfig: {},
    };
}
