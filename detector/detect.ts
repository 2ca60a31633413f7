/**
 * The synchronous detector: one answer to "which environment am I in", from the process environment alone.
 */

import {
    describeEnvironments,
    describeEnvironmentsWithAliases,
    canonicalEnvironment,
    ENVIRONMENT_VARIABLE,
    ENVIRONMENTS,
    type EnvironmentName,
} from "./environments";
import { PLATFORM_WORDS, type Platform } from "./cloud-run";
import { echo, isAscii, quote } from "./echo";
import { EnvironmentDetectionError, type DetectionErrorCode } from "./errors";
import { readEnvironment, type EnvironmentVariables, type Signal, type SignalReading, type Signals } from "./signals";

/** Where the answer came from: `ENVIRONMENT` itself, the Cloud Run signals, or the off-platform default. */
export type DetectionSource = "explicit" | "platform" | "default";

/** The detector's answer. */
export interface DetectionResult {
    /** The canonical environment name. */
    readonly environment: EnvironmentName;
    /** Where it came from. */
    readonly source: DetectionSource;
    /** The Cloud Run workload kind the process runs in, or null off Cloud Run. */
    readonly platform: Platform | null;
    /** Every signal seen, named or not, keyed by variable. */
    readonly signals: Signals;
    /** Things worth fixing that did not stop a decision; `--strict` turns them into failures. */
    readonly warnings: readonly string[];
}

/** The environment assumed off Cloud Run when `ENVIRONMENT` is unset: the first in promotion order (development). */
const OFF_PLATFORM_DEFAULT: EnvironmentName = ENVIRONMENTS[0];

/**
 * Decides the environment from a process environment. Pure and synchronous: no I/O, no clock, the same
 * answer for the same input. The rules, in order:
 *
 * 1. `ENVIRONMENT`, when set, wins: trimmed, case-insensitive, aliases mapped to canonical names. An empty or
 *    blank value counts as unset; an unknown value throws `invalid-value` (saying so when it holds non-ASCII
 *    look-alikes such as a Cyrillic `ѕ`). Every signal naming another environment adds a warning, and the explicit
 *    value is kept.
 * 2. On Cloud Run (`K_SERVICE`, `K_REVISION` or `K_CONFIGURATION` for a service, or a function when
 *    `FUNCTION_TARGET` is set too; `CLOUD_RUN_JOB` or `CLOUD_RUN_EXECUTION` for a job; `CLOUD_RUN_WORKER_POOL` or
 *    `CLOUD_RUN_WORKER_POOL_REVISION` for a worker pool) the signals decide when they all name one environment, with
 *    a warning that `ENVIRONMENT` is missing. No named environment throws `no-signal`, several throw `conflicting-signals`:
 *    a revision that refuses to start never takes traffic, a misdetected one does.
 * 3. Off Cloud Run the answer is development, source `default`. A project id or service URL alone does not change
 *    that: on a laptop or a CI runner they usually point at a remote environment the process is not part of (a
 *    frontend developer calling the staging API, a CI step deploying to staging). Each signal naming another
 *    environment adds a warning instead, so `--strict` catches a forgotten `ENVIRONMENT`.
 *
 * Signals are the names in the Cloud Run and project id variables and the hostnames of the service URL variables
 * without their top-level domain (hostname.ts `chosenLabelsEnd`), split into tokens (see `environmentsNamedBy`). `NODE_ENV` is never read: Next.js sets it to production on staging.
 *
 * @throws EnvironmentDetectionError and nothing else.
 */
export function detectEnvironment(env: EnvironmentVariables): DetectionResult {
    const { explicit, reading } = readEnvironment(env);
    return decideEnvironment(explicit, reading);
}

/**
 * Applies the rules of `detectEnvironment` to an explicit value and signals already read.
 * `unhelpedBecause` ends a `no-signal` message with why a further source (the metadata server) did not help.
 */
export function decideEnvironment(explicit: string | undefined, reading: SignalReading, unhelpedBecause?: string): DetectionResult {
    const { platform, signals } = reading;
    // Rule 1: explicit.
    if (explicit !== undefined) {
        const environment = explicitEnvironment(explicit);
        if (environment === undefined) {
            const why = isAscii(explicit) ? "is not an environment name" : "holds non-ASCII characters, which no environment name has";
            throw new EnvironmentDetectionError(
                "invalid-value",
                `\`${ENVIRONMENT_VARIABLE}\` is ${quote(explicit)}, which ${why}; use one of: ${describeEnvironmentsWithAliases()}.`,
            );
        }
        return result(environment, "explicit", reading, contradictions(signals, environment, EXPLICIT_CONTRADICTION));
    }
    // Rule 3: off Cloud Run.
    if (platform === null) {
        return result(OFF_PLATFORM_DEFAULT, "default", reading, contradictions(signals, OFF_PLATFORM_DEFAULT, DEFAULT_CONTRADICTION));
    }
    return decideOnCloudRun(platform, reading, unhelpedBecause);
}

/** The last `ENVIRONMENT` value met and the canonical name it spells (undefined for none): a process meets one value. */
let lastExplicit: string | undefined;
let lastExplicitEnvironment: EnvironmentName | undefined;

/** The canonical name `explicit` spells, or undefined. */
function explicitEnvironment(explicit: string): EnvironmentName | undefined {
    if (explicit === lastExplicit) {
        return lastExplicitEnvironment;
    }
    // Only ASCII can spell a name; checked first so no Unicode case mapping (Kelvin sign to k) is ever consulted.
    lastExplicitEnvironment = isAscii(explicit) ? canonicalEnvironment(explicit) : undefined;
    lastExplicit = explicit;
    return lastExplicitEnvironment;
}

/** Rule 2: the signals decide when they agree; otherwise a refusal to start. */
function decideOnCloudRun(platform: Platform, reading: SignalReading, unhelpedBecause: string | undefined): DetectionResult {
    const { signals } = reading;
    // Plain loops, no intermediate arrays: this is the start-up path of every revision, and the budget is a microsecond.
    let environment: EnvironmentName | undefined;
    let agreed = true;
    let sourceCount = 0;
    for (const name in signals) {
        const { environments } = signals[name];
        // Indexed loops: the lists are frozen, and for-of over a frozen array leaves V8's fast path.
        for (let index = 0; index < environments.length; index += 1) {
            environment ??= environments[index];
            agreed = agreed && environments[index] === environment;
        }
        if (environments.length > 0) {
            sourceNames[sourceCount] = name;
            sourceCount += 1;
        }
    }
    if (environment === undefined) {
        const seen = Object.entries(signals)
            .map(([name, signal]) => `${name}=${echo(signal.value)}`)
            .join(", ");
        const because = unhelpedBecause === undefined ? "" : `; ${unhelpedBecause}`;
        throw cannotTell("no-signal", platform, `no signal names one (${seen})${because}`);
    }
    if (!agreed) {
        const disagreement = Object.entries(signals)
            .filter(([, signal]) => signal.environments.length > 0)
            .map(([name, signal]) => says(name, signal))
            .join("; ");
        throw cannotTell("conflicting-signals", platform, `the signals disagree: ${disagreement}`);
    }
    return result(environment, "platform", reading, [missingWarning(platform, environment, sourceNames, sourceCount)]);
}

/**
 * The last warning that `ENVIRONMENT` is missing and what it was built from. A process asks the same question with the
 * same variables every time, and the warning is a string of some 170 characters: built once, not on every call.
 */
let lastMissing: { platform: Platform; environment: EnvironmentName; sources: readonly string[]; text: string } | undefined;
/** The names of the signals that named an environment in this call, reused by every call (a call never yields). */
// Stryker disable next-line ArrayDeclaration: only the first sourceCount entries are read, each written first in this call.
const sourceNames: string[] = [];

/** "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE, ...": from the first `count` entries of `names`. */
function missingWarning(platform: Platform, environment: EnvironmentName, names: readonly string[], count: number): string {
    if (
        lastMissing !== undefined &&
        lastMissing.platform === platform &&
        lastMissing.environment === environment &&
        sameNames(lastMissing.sources, names, count)
    ) {
        return lastMissing.text;
    }
    const sources = names.slice(0, count);
    const text =
        `\`${ENVIRONMENT_VARIABLE}\` is not set; ${environment} was inferred from ${sources.join(", ")}. ` +
        `Set ${ENVIRONMENT_VARIABLE}=${environment} on the ${PLATFORM_WORDS[platform]}.`;
    lastMissing = { platform, environment, sources, text };
    return text;
}

/** True when `names` holds `count` entries and they are `remembered`, in order. */
function sameNames(remembered: readonly string[], names: readonly string[], count: number): boolean {
    if (remembered.length !== count) {
        return false;
    }
    for (let index = 0; index < count; index += 1) {
        if (remembered[index] !== names[index]) {
            return false;
        }
    }
    return true;
}

function cannotTell(code: DetectionErrorCode, platform: Platform, clause: string): EnvironmentDetectionError {
    return new EnvironmentDetectionError(
        code,
        `Cannot tell the environment on this ${PLATFORM_WORDS[platform]}: \`${ENVIRONMENT_VARIABLE}\` is not set and ${clause}. ` +
            `Set ${ENVIRONMENT_VARIABLE} to one of: ${describeEnvironments()}.`,
    );
}

/** The answer; `warnings` (the decision's, a fresh array) gets the reading's appended. */
function result(environment: EnvironmentName, source: DetectionSource, reading: SignalReading, warnings: string[]): DetectionResult {
    // A loop, not a spread into a new array: one array fewer on every call.
    for (let index = 0; index < reading.warnings.length; index += 1) {
        warnings.push(reading.warnings[index]);
    }
    return { environment, source, platform: reading.platform, signals: reading.signals, warnings };
}

/** A contradiction's warning, from the environment decided and what the signal says (`K_SERVICE (...) says staging`). */
type Wording = (environment: EnvironmentName, saying: string) => string;

const EXPLICIT_CONTRADICTION: Wording = (environment, saying) =>
    `\`${ENVIRONMENT_VARIABLE}\` is ${environment}, but ${saying}; ${environment} is kept.`;

const DEFAULT_CONTRADICTION: Wording = (environment, saying) =>
    `\`${ENVIRONMENT_VARIABLE}\` is not set and this is not Cloud Run, so ${environment} is assumed, but ${saying}.`;

/**
 * One warning per signal that names an environment other than `environment`. The words are put together only for a
 * signal that contradicts: the usual call, where every signal agrees, builds no string.
 */
function contradictions(signals: Signals, environment: EnvironmentName, wording: Wording): string[] {
    const warnings: string[] = [];
    for (const name in signals) {
        const signal = signals[name];
        for (let index = 0; index < signal.environments.length; index += 1) {
            if (signal.environments[index] !== environment) {
                warnings.push(wording(environment, says(name, signal)));
                break;
            }
        }
    }
    return warnings;
}

function says(name: string, signal: Signal): string {
    return `${name} (${echo(signal.value)}) says ${signal.environments.join(", ")}`;
}
