/**
 * Reads the platform signals in a process environment: which Cloud Run variables are present and which
 * environment each name or hostname names. No decision is taken here; see detect.ts.
 */

import { canonicalEnvironment, ENVIRONMENT_ALIASES, type EnvironmentName } from "./environments";

/**
 * Variables Cloud Run sets on every service instance (the same ones the OpenTelemetry GCP detector reads).
 * Cloud Run reserves them (rules/cloudrun-env.ts), so no deploy config can fake the platform; tests hold the two together.
 */
export const CLOUD_RUN_SERVICE_VARIABLES: readonly string[] = ["K_SERVICE", "K_REVISION", "K_CONFIGURATION"];

/**
 * Variables Cloud Run sets on every job task that carry a name. `CLOUD_RUN_TASK_INDEX`, `_ATTEMPT` and `_COUNT`
 * are numbers that never name an environment, so they are not read.
 */
export const CLOUD_RUN_JOB_VARIABLES: readonly string[] = ["CLOUD_RUN_JOB", "CLOUD_RUN_EXECUTION"];

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

const NAME_VARIABLES: readonly string[] = [...CLOUD_RUN_SERVICE_VARIABLES, ...CLOUD_RUN_JOB_VARIABLES, ...PROJECT_ID_VARIABLES];

/** Every variable a signal is read from, in the order signals are reported. */
export const SIGNAL_VARIABLES: readonly string[] = [...NAME_VARIABLES, ...SERVICE_URL_VARIABLES];

/** The Cloud Run flavour a process runs on. */
export type Platform = "cloud-run-service" | "cloud-run-job";

/** What one variable said. */
export interface Signal {
    /** The trimmed value, or for a URL variable only its hostname (so credentials in a URL are never reported). */
    readonly value: string;
    /** The environments its tokens name, each once, in order of appearance; empty when it names none. */
    readonly environments: readonly EnvironmentName[];
}

/** Signals keyed by the variable (or source) they were read from. */
export type Signals = Readonly<Record<string, Signal>>;

/** Everything read from an environment before a decision. */
export interface SignalReading {
    /** The Cloud Run flavour, or null off Cloud Run. A service wins when both kinds of variable are present. */
    readonly platform: Platform | null;
    /** Every non-empty signal variable, in SIGNAL_VARIABLES order. */
    readonly signals: Signals;
    /** Problems with the signals themselves (a URL variable that is not a URL). */
    readonly warnings: readonly string[];
}

/** The process environment, or any map shaped like it. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/**
 * An alias as a whole token: no letter or digit on either side. Built from the shared alias table; an alias that
 * is not all letters and digits could never be a whole token, so it is left out.
 */
const ALIAS_TOKEN = new RegExp(
    `(?<![a-z0-9])(?:${Object.keys(ENVIRONMENT_ALIASES)
        .filter((alias) => /^[a-z0-9]+$/.test(alias))
        .join("|")})(?![a-z0-9])`,
    "gi",
);

/**
 * The environments a name names, token by token: `netra-backend-staging` names staging, `netra-product-api`
 * names nothing, `api.staging.netrasystems.ai` names staging. Tokens are the runs of letters and digits, in any
 * case; each must be a whole environment name or alias, so `stagingarea` names nothing.
 */
export function environmentsNamedBy(name: string): EnvironmentName[] {
    const named: EnvironmentName[] = [];
    ALIAS_TOKEN.lastIndex = 0; // A shared global expression; safe, as nothing here yields between exec calls.
    for (let match = ALIAS_TOKEN.exec(name); match !== null; match = ALIAS_TOKEN.exec(name)) {
        // The match is an alias in some letter case, so the shared table always knows it.
        const environment = canonicalEnvironment(match[0]) as EnvironmentName;
        if (!named.includes(environment)) {
            named.push(environment);
        }
    }
    return named;
}

// scheme "://" [userinfo "@"] host, where host is a bracketed IPv6 literal or runs up to a port, path, query or fragment.
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]/?#]*\]|[^/?#:@]+)(?::\d*)?(?:[/?#]|$)/i;

/**
 * The lower-cased hostname of an absolute URL (`wss://api.staging.netrasystems.ai/ws` gives
 * `api.staging.netrasystems.ai`), or undefined when the value is not `scheme://host...`.
 * A regular expression rather than `new URL`: the detector runs on the start-up path and must stay under a microsecond.
 */
export function hostnameOf(url: string): string | undefined {
    const match = ABSOLUTE_URL.exec(url);
    return match === null ? undefined : match[1].toLowerCase();
}

/** The trimmed value of `name`, or undefined when it is unset or blank (an empty value counts as unset). */
export function readVariable(env: EnvironmentVariables, name: string): string | undefined {
    const value = env[name];
    if (value === undefined) {
        return undefined;
    }
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
}

/** Bound on remembered values per kind, so a caller feeding endless fresh values cannot grow memory without limit. */
const MAX_REMEMBERED_VALUES = 256;

/**
 * Signals already read, by raw value. A process's environment does not change, so every call after the first hits
 * these: on the reference machine (bench/detector.bench.ts) six new values cost about 4 µs to read, six remembered
 * ones a few hundred nanoseconds, within the detector's budget of one microsecond a call.
 * Remembered signals are frozen, so sharing them between results is safe.
 */
const nameSignals = new Map<string, Signal>();
const urlSignals = new Map<string, Signal | null>();

function remember<T>(memo: Map<string, T>, value: string, read: (value: string) => T): T {
    const remembered = memo.get(value);
    if (remembered !== undefined) {
        return remembered;
    }
    if (memo.size >= MAX_REMEMBERED_VALUES) {
        memo.clear();
    }
    const answer = read(value);
    memo.set(value, answer);
    return answer;
}

function nameSignal(value: string): Signal {
    return Object.freeze({ value, environments: Object.freeze(environmentsNamedBy(value)) });
}

/**
 * Parts Cloud Run generates at random: a revision is `<service>-<5 digits>-<3 characters>`, an execution
 * `<job>-<5 characters>`. They mean nothing, and by chance spell an alias one time in thousands
 * (`netra-backend-staging-00042-dev`), so only the name before them is read.
 */
const GENERATED_SUFFIXES: Readonly<Record<string, RegExp>> = {
    K_REVISION: /-\d{5}-[a-z0-9]{3}$/,
    CLOUD_RUN_EXECUTION: /-[a-z0-9]{5}$/,
};

/** A name's signal, read without the suffix Cloud Run generated; the value reported stays the variable's own. */
function generatedNameSignal(value: string, generated: RegExp): Signal {
    return Object.freeze({ value, environments: Object.freeze(environmentsNamedBy(value.replace(generated, ""))) });
}

/** The hostname's signal, or null when the value is not an absolute URL. */
function urlSignal(value: string): Signal | null {
    const hostname = hostnameOf(value);
    return hostname === undefined ? null : nameSignal(hostname);
}

/** Reads the platform and every signal in `env`. Pure: reads only SIGNAL_VARIABLES. */
export function readSignals(env: EnvironmentVariables): SignalReading {
    const signals: Record<string, Signal> = {};
    const warnings: string[] = [];
    for (const name of NAME_VARIABLES) {
        const value = readVariable(env, name);
        if (value !== undefined) {
            const generated = GENERATED_SUFFIXES[name];
            signals[name] =
                generated === undefined
                    ? remember(nameSignals, value, nameSignal)
                    : remember(nameSignals, `${name}=${value}`, () => generatedNameSignal(value, generated));
        }
    }
    for (const name of SERVICE_URL_VARIABLES) {
        const value = readVariable(env, name);
        if (value === undefined) {
            continue;
        }
        const signal = remember(urlSignals, value, urlSignal);
        if (signal === null) {
            warnings.push(`\`${name}\` is not an absolute URL (scheme://host), so its hostname was not read.`);
        } else {
            signals[name] = signal;
        }
    }
    const present = (name: string): boolean => signals[name] !== undefined;
    const platform = CLOUD_RUN_SERVICE_VARIABLES.some(present)
        ? "cloud-run-service"
        : CLOUD_RUN_JOB_VARIABLES.some(present)
          ? "cloud-run-job"
          : null;
    return { platform, signals, warnings };
}
