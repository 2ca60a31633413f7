import { expect } from "chai";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { detectEnvironment } from "../../detector/detect";
import { asciiJson } from "../../detector/echo";
import { EnvironmentDetectionError } from "../../detector/errors";
import { runDetectCli } from "../../detector/run-cli";
import { cloudRunEnvArb, signalEnvArb, spelledAliasArb, unrelatedEnvArb } from "./arbitraries";

const ROOT = path.join(__dirname, "..", "..");
const CASES = 3000;
const NODE_USAGE = "npm run detect -- [--json] [--strict] [--help]";
const PYTHON_USAGE = "python -m netra_environment [--json] [--strict] [--help]";

type Env = Record<string, string>;

/** Characters where JavaScript and Python differ by default: trim sets, case mapping, code units, escapes. */
const hostileCharArb = fc.constantFrom(
    "\u0085",
    "\u001c",
    "\u001f",
    "\u00a0",
    "\ufeff",
    "\u2028",
    "\u2029",
    "\u009b",
    "\u001b",
    "\u007f",
    "\u200b",
    "\u0455",
    "\u212a",
    "\u0130",
    "\u017f",
    "\ud83d",
    "\ude00",
    "\u{1f600}",
    "\\",
    '"',
    "é",
    "Σ",
    "\t",
    "\n",
    "-",
    ".",
    "/",
    ":",
    "@",
);
const hostileStringArb = fc.oneof(
    fc.string({ unit: fc.oneof(hostileCharArb, fc.constantFrom("a", "S", "t", "prod", "dev", "0")), maxLength: 12 }),
    fc
        .tuple(fc.constantFrom("", "https://", "wss://u@"), fc.string({ unit: hostileCharArb, maxLength: 4 }), spelledAliasArb)
        .map(([prefix, noise, { spelled }]) => `${prefix}${noise}${spelled}${noise}`),
    // Values long enough to be cut, with a surrogate pair where the cut may fall.
    fc.tuple(fc.integer({ min: 60, max: 300 }), fc.constantFrom("x", "\u{1f600}", "staging-")).map(([length, unit]) => unit.repeat(length)),
);
const markerArb = fc.record(
    {
        FUNCTION_TARGET: fc.oneof(fc.constant("handle"), fc.constant(" "), hostileStringArb),
        CLOUD_RUN_WORKER_POOL: fc.oneof(fc.constant("netra-worker-staging"), hostileStringArb),
        CLOUD_RUN_WORKER_POOL_REVISION: fc.constantFrom("netra-worker-prod-00001-dev", "netra-q-00002-abc"),
        CLOUD_RUN_TASK_INDEX: fc.constant("0"),
    },
    { requiredKeys: [] },
);
const hostileEnvArb = fc.dictionary(
    fc.constantFrom("ENVIRONMENT", "K_SERVICE", "K_REVISION", "GCP_PROJECT_ID", "BACKEND_URL", "NEXT_PUBLIC_WS_URL", "CLOUD_RUN_EXECUTION"),
    hostileStringArb,
    { maxKeys: 4 },
);
const envArb: fc.Arbitrary<Env> = fc
    .tuple(
        fc.oneof(signalEnvArb, cloudRunEnvArb, hostileEnvArb),
        markerArb,
        unrelatedEnvArb,
        fc.option(
            fc.oneof(
                spelledAliasArb.map(({ spelled }) => spelled),
                hostileStringArb,
            ),
        ),
    )
    .map(([signals, markers, unrelated, explicit]) => ({
        ...unrelated,
        ...markers,
        ...signals,
        ...(explicit === null ? {} : { ENVIRONMENT: explicit }),
    }));
const argsArb = fc.oneof(
    fc.constantFrom([], ["--json"], ["--strict"], ["--json", "--strict"], ["--strict", "--json"]),
    hostileStringArb.map((arg) => ["--json", arg]),
    hostileStringArb.map((arg) => [`--${arg}`]),
);

function nodeOutcome(env: Env): unknown {
    try {
        return detectEnvironment(env);
    } catch (error) {
        if (error instanceof EnvironmentDetectionError) {
            return { code: error.code, message: error.message };
        }
        throw error;
    }
}

describe("the TypeScript and Python detectors on random environments (differential, fast-check)", function () {
    this.timeout(300_000);

    it(`agree on the result or error, the CLI's exit status, stdout and stderr for ${CASES} environments`, () => {
        const seed = Date.now() ^ (Math.random() * 0x7fffffff);
        const cases = fc.sample(fc.record({ env: envArb, args: argsArb }), { numRuns: CASES, seed });
        const python = spawnSync("python3", [path.join("tests", "detector", "python", "evaluate.py")], {
            cwd: ROOT,
            input: cases.map((one) => `${asciiJson(one)}\n`).join(""),
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
            env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
        });
        expect(python.status, python.stderr).to.equal(0);
        const answers = python.stdout.split("\n").filter((line) => line !== "");
        expect(answers).to.have.length(CASES);
        cases.forEach((one, index) => {
            const answer = JSON.parse(answers[index]) as { outcome: unknown; cli: [number, string, string] };
            const context = `seed ${seed}, case ${index}: ${asciiJson(one)}`;
            // Through JSON, as both answers leave their process: the same document, key order included.
            expect(asciiJson(answer.outcome), context).to.equal(asciiJson(nodeOutcome(one.env)));
            const cli = runDetectCli(one.args, one.env);
            const [code, stdout, stderr] = answer.cli;
            expect({ code, stdout, stderr: stderr.split(PYTHON_USAGE).join(NODE_USAGE) }, context).to.deep.equal(cli);
        });
    });
});
