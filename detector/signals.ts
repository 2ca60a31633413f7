/**
 * Reads the platform signals in a process environment: which Cloud Run variables are present and which
 * environment each name or hostname names. No decision is taken here; see detect.ts.
 */

import {
    CLOUD_RUN_FUNCTION_VARIABLES,
    CLOUD_RUN_JOB_VARIABLES,
    CLOUD_RUN_SERVICE_VARIABLES,
    CLOUD_RUN_WORKER_POOL_VARIABLES,
    type Platform,
} from "./cloud-run";
import { compileBuilder, compileReader } from "./compiled-access";
import { cut, MAX_SIGNAL_VALUE_CHARS } from "./echo";
import { ENVIRONMENT_VARIABLE, type EnvironmentName } from "./environments";
import { compileSuffixFinder, type SuffixFinder } from "./generated-suffix";
import { hostEnvironments, hostname, type HostBounds } from "./hostname";
import { EMPTY_LIST, environmentsNamedIn } from "./tokens";

export { CLOUD_RUN_SERVICE_VARIABLES, type Platform };
export { ABSOLUTE_URL_PATTERN, chosenLabels, hostnameOf } from "./hostname";
export { environmentsNamedBy } from "./tokens";

/**
 * Job variables that carry a name. `CLOUD_RUN_TASK_INDEX`, `_ATTEMPT` and `_COUNT` are numbers that never name an
 * environment, and people set them by hand to try a job's code locally, so they neither mark a job nor are read.
 */
export const CLOUD_RUN_JOB_NAME_VARIABLES: readonly string[] = CLOUD_RUN_JOB_VARIABLES.filter(
    (name) => !name.startsWith("CLOUD_RUN_TASK_"),
);

/** The variable that tells a Cloud Run function from a plain service (only where a service variable is present). */
export const FUNCTION_TARGET_VARIABLE = CLOUD_RUN_FUNCTION_VARIABLES[0];

/** Project id variables, in the order client libraries read them. Cloud Run sets none of them itself. */
export const PROJECT_ID_VARIABLES: readonly string[] = ["GCP_PROJECT_ID", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT"];

/** Netra's service URL variables (backend, auth, and the Next.js frontend's public ones); only their hostnames are read. */
export const SERVICE_URL_VARIABLES: readonly string[] = [
    "BACKEND_URL",
    "AUTH_SERVICE_URL",
    "FRONTEND_URL",
    "NEXT_PUBLIC_API_URL",
    "NEXT_PUBLIC_WS_URL",
    "NEXT_PUBLIC_AUTH_URL",
    "NEXT_PUBLIC_FRONTEND_URL",
];

/** Variables whose whole value is a name: the Cloud Run markers first, then the project ids. */
export const NAME_VARIABLES: readonly string[] = [
    ...CLOUD_RUN_SERVICE_VARIABLES,
    ...CLOUD_RUN_JOB_NAME_VARIABLES,
    ...CLOUD_RUN_WORKER_POOL_VARIABLES,
    ...PROJECT_ID_VARIABLES,
];

/** Every variable a signal is read from, in the order signals are reported. */
export const SIGNAL_VARIABLES: readonly string[] = [...NAME_VARIABLES, ...SERVICE_URL_VARIABLES];

/** What one variable said. */
export interface Signal {
    /**
     * The trimmed value, or for a URL variable only its hostname (so credentials in a URL are never reported);
     * cut after 256 characters (echo.ts), far beyond any real name.
     */
    readonly value: string;
    /** The environments its tokens name, each once, in order of appearance; empty when it names none. */
    readonly environments: readonly EnvironmentName[];
}

/** Signals keyed by the variable (or source) they were read from. */
export type Signals = Readonly<Record<string, Signal>>;

/** Everything read from an environment before a decision. */
export interface SignalReading {
    /** The Cloud Run workload kind, or null off Cloud Run (see `platformOf`). */
    readonly platform: Platform | null;
    /** Every non-empty signal variable, in SIGNAL_VARIABLES order. */
    readonly signals: Signals;
    /** Problems with the signals themselves (a URL variable that is not a URL). */
    readonly warnings: readonly string[];
}

/** The process environment, or any map shaped like it. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** `value` trimmed, or undefined when it is unset or blank (an empty value counts as unset). */
function trimmedValue(value: string | undefined): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    // Most values start and end with a visible ASCII character: skip the call to trim() for them. (An empty value has
    // no ends, NaN, and goes to trim() like a blank one.)
    if (untrimmable(value.charCodeAt(0)) && untrimmable(value.charCodeAt(value.length - 1))) {
        return value;
    }
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
}

/** True for U+0021 to U+009F: no white space among them (trim() removes the space below, U+00A0 is the next). */
function untrimmable(code: number): boolean {
    return code > 0x20 && code < 0xa0;
}

/** The trimmed value of `name`, or undefined when it is unset or blank (an empty value counts as unset). */
export function readVariable(env: EnvironmentVariables, name: string): string | undefined {
    return trimmedValue(env[name]);
}

/** Every variable `detectEnvironment` reads, in one fixed order. */
export const READ_VARIABLES: readonly string[] = [ENVIRONMENT_VARIABLE, ...SIGNAL_VARIABLES, FUNCTION_TARGET_VARIABLE];

/** Reads READ_VARIABLES from an environment in order, compiled once (compiled-access.ts). */
const readRawValues = compileReader<string>(READ_VARIABLES);

/** Builds the `signals` object from one slot per READ_VARIABLES entry (undefined: no signal), keys in that order. */
const buildSignals = compileBuilder<Signal>(READ_VARIABLES);
const FIRST_NAME_INDEX = 1;
const FIRST_URL_INDEX = FIRST_NAME_INDEX + NAME_VARIABLES.length;
const FUNCTION_TARGET_INDEX = READ_VARIABLES.length - 1;

/**
 * Parts Cloud Run generates at random at the end of a name: a revision is `<service>-<5 digits>-<3 characters>` (a
 * worker pool's likewise), an execution `<job>-<5 characters>`. They mean nothing, and by chance spell an alias one time
 * in thousands (`netra-backend-staging-00042-dev`), so only the name before them is read. Sources in the syntax
 * JavaScript and Python share, anchored at the end by each.
 */
export const GENERATED_SUFFIX_PATTERNS: Readonly<Record<string, string>> = Object.freeze({
    K_REVISION: "-[0-9]{5}-[a-z0-9]{3}",
    CLOUD_RUN_EXECUTION: "-[a-z0-9]{5}",
    CLOUD_RUN_WORKER_POOL_REVISION: "-[0-9]{5}-[a-z0-9]{3}",
});
/** Each slot's generated suffix finder (generated-suffix.ts), or undefined. */
const SUFFIX_BY_SLOT: readonly (SuffixFinder | undefined)[] = READ_VARIABLES.map((name) =>
    Object.prototype.hasOwnProperty.call(GENERATED_SUFFIX_PATTERNS, name)
        ? compileSuffixFinder(GENERATED_SUFFIX_PATTERNS[name])
        : undefined,
);

/** The remembered value of a blank variable (no signal), compared by identity: cheaper than comparing strings. */
const BLANK = null;

/**
 * The last raw value met in each slot of READ_VARIABLES and what it gave: the signal's value (undefined for a URL
 * variable that is not a URL, BLANK for a blank value) and its environments. A process's environment rarely changes, so
 * every call after the first meets the same values and skips the reading; one entry per variable bounds the memory.
 * Kept as plain values, not objects: each result gets signal objects of its own, so no caller can change another's
 * answer, and a first reading allocates only those.
 */
// Stryker disable next-line ArrayDeclaration: an empty array reads undefined in every slot, as this one starts.
const lastRaw: (string | undefined)[] = new Array<string | undefined>(READ_VARIABLES.length).fill(undefined);
// A slot's value and environments are read only once its raw value matched, and no raw value read is undefined, so
// their first contents are never read: sized and filled only so that the arrays stay packed.
// Stryker disable next-line ArrayDeclaration: see above.
const lastValue: (string | null | undefined)[] = new Array<string | null | undefined>(READ_VARIABLES.length).fill(BLANK);
// Stryker disable next-line ArrayDeclaration: see above.
const lastEnvironments: (readonly EnvironmentName[])[] = new Array<readonly EnvironmentName[]>(READ_VARIABLES.length).fill(EMPTY_LIST);

/**
 * The names read so far in this call and their environments, reused by every call (the detector never yields mid-call,
 * and every variable is read before any of this is touched). Cloud Run gives a service, its configuration and its
 * revision's stem the same name: each is read once.
 */
// Stryker disable next-line ArrayDeclaration: only the first namesRead entries are read, each written first in this call.
const namesThisCall: string[] = [];
// Stryker disable next-line ArrayDeclaration: as namesThisCall.
const namesThisCallStart: number[] = [];
// Stryker disable next-line ArrayDeclaration: as namesThisCall.
const namesThisCallEnd: number[] = [];
// Stryker disable next-line ArrayDeclaration: as namesThisCall.
const environmentsThisCall: (readonly EnvironmentName[])[] = [];
let namesRead = 0;

/** The environments of `text[start, end)`, reusing those of an identical name read earlier in this call. */
function environmentsOf(text: string, start: number, end: number): readonly EnvironmentName[] {
    for (let index = 0; index < namesRead; index += 1) {
        if (sameName(namesThisCall[index], namesThisCallStart[index], namesThisCallEnd[index], text, start, end)) {
            return environmentsThisCall[index];
        }
    }
    const environments = environmentsNamedIn(text, start, end);
    namesThisCall[namesRead] = text;
    namesThisCallStart[namesRead] = start;
    namesThisCallEnd[namesRead] = end;
    environmentsThisCall[namesRead] = environments;
    namesRead += 1;
    return environments;
}

/**
 * True when `a[aStart, aEnd)` and `b[bStart, bEnd)` hold the same code units. A whole value or a value's start (a
 * revision's stem) is compared by the engine's own string comparison, many times faster than a loop of charCodeAt;
 * `lastIndexOf(prefix, 0) === 0` means `startsWith(prefix)` at less than half the cost on a new 25-character stem
 * (about 45 ns against 110 ns, `process.cpuUsage` over 20,480 calls).
 */
function sameName(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): boolean {
    const length = aEnd - aStart;
    if (bEnd - bStart !== length) {
        return false;
    }
    if (aStart === 0 && bStart === 0) {
        if (aEnd === a.length) {
            return bEnd === b.length ? a === b : b.lastIndexOf(a, 0) === 0;
        }
        if (bEnd === b.length) {
            return a.lastIndexOf(b, 0) === 0;
        }
    }
    // Two stems (a revision's and a worker pool revision's, say) never meet on one workload: slices serve.
    return a.slice(aStart, aEnd) === b.slice(bStart, bEnd);
}

/** What each slot of READ_VARIABLES marks: a Cloud Run service, job or worker pool, or nothing. */
const SERVICE = 1;
const JOB = 2;
const WORKER_POOL = 4;
const SLOT_MARKS: readonly number[] = READ_VARIABLES.map((name) =>
    CLOUD_RUN_SERVICE_VARIABLES.includes(name)
        ? SERVICE
        : CLOUD_RUN_JOB_NAME_VARIABLES.includes(name)
          ? JOB
          : CLOUD_RUN_WORKER_POOL_VARIABLES.includes(name)
            ? WORKER_POOL
            : 0,
);

/**
 * The Cloud Run workload kind from the marks of the signals present: a service variable makes a service, or a
 * function when `FUNCTION_TARGET` is set too; then a job; then a worker pool. Only variables Cloud Run reserves mark
 * the platform, so no deploy config can fake it.
 */
function platformOf(marks: number, functionTarget: string | undefined): Platform | null {
    if ((marks & SERVICE) !== 0) {
        return trimmedValue(functionTarget) === undefined ? "cloud-run-service" : "cloud-run-function";
    }
    if ((marks & JOB) !== 0) {
        return "cloud-run-job";
    }
    return (marks & WORKER_POOL) !== 0 ? "cloud-run-worker-pool" : null;
}

/** `ENVIRONMENT` (trimmed, undefined when unset or blank) and the signals, read in one pass. */
export interface EnvironmentReading {
    readonly explicit: string | undefined;
    readonly reading: SignalReading;
}

/**
 * Reads `ENVIRONMENT`, the platform and every signal in `env`. Pure: reads only READ_VARIABLES, and returns fresh
 * objects, so a caller changing a result cannot change the next one.
 */
export function readEnvironment(env: EnvironmentVariables): EnvironmentReading {
    const raw = readRawValues(env);
    const slots = scratchSlots;
    const warnings: string[] = [];
    let present = false;
    let marks = 0;
    namesRead = 0;
    for (let slot = FIRST_NAME_INDEX; slot < FUNCTION_TARGET_INDEX; slot += 1) {
        const rawValue = raw[slot];
        if (rawValue === undefined) {
            continue;
        }
        if (rawValue !== lastRaw[slot]) {
            readSlot(slot, rawValue);
        }
        const value = lastValue[slot];
        if (value === undefined) {
            warnings.push(`\`${READ_VARIABLES[slot]}\` is not an absolute URL (scheme://host), so its hostname was not read.`);
        } else if (value !== BLANK) {
            slots[slot] = { value, environments: lastEnvironments[slot] };
            present = true;
            marks |= SLOT_MARKS[slot];
        }
    }
    const signals = present ? buildSignals(slots) : {};
    // A loop, not fill(): a builtin call costs more than these stores. It stops exactly where the loop above does.
    for (let slot = FIRST_NAME_INDEX; slot !== FUNCTION_TARGET_INDEX; slot += 1) {
        slots[slot] = undefined;
    }
    return {
        explicit: trimmedValue(raw[0]),
        reading: { platform: platformOf(marks, raw[FUNCTION_TARGET_INDEX]), signals, warnings },
    };
}

/** Reused by every call (the detector never yields mid-call), emptied before it returns. */
// Stryker disable next-line ArrayDeclaration: an empty array reads undefined in every slot, as this one starts.
const scratchSlots = new Array<Signal | undefined>(READ_VARIABLES.length).fill(undefined);
/** Where `hostEnvironments` puts a URL's host, reused likewise. */
// Stryker disable next-line ObjectLiteral,BooleanLiteral: hostEnvironments writes every field before hostname reads one.
const scratchHost: HostBounds = { start: 0, end: 0, capitals: false };

/** Reads one variable's raw value into the slot's memory: BLANK when it is blank, undefined when a URL variable holds no URL. */
function readSlot(slot: number, rawValue: string): void {
    const value = trimmedValue(rawValue);
    let signal: string | null | undefined = BLANK;
    let environments = EMPTY_LIST;
    if (value === undefined) {
        // BLANK, no environments
    } else if (slot >= FIRST_URL_INDEX) {
        const named = hostEnvironments(value, scratchHost);
        if (named === undefined) {
            signal = undefined;
        } else {
            signal = cut(hostname(value, scratchHost), MAX_SIGNAL_VALUE_CHARS);
            environments = named;
        }
    } else {
        const generated = SUFFIX_BY_SLOT[slot];
        const suffix = generated === undefined ? -1 : generated(value);
        signal = cut(value, MAX_SIGNAL_VALUE_CHARS);
        environments = environmentsOf(value, 0, suffix < 0 ? value.length : suffix);
    }
    lastRaw[slot] = rawValue;
    lastValue[slot] = signal;
    lastEnvironments[slot] = environments;
}

/** The platform and every signal in `env` (`readEnvironment` without `ENVIRONMENT`). */
export function readSignals(env: EnvironmentVariables): SignalReading {
    return readEnvironment(env).reading;
}
