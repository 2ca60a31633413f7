/**
 * The hostname of an absolute URL, read by a scan of one grammar that the Python twin reads with a regular expression.
 */

import type { EnvironmentName } from "./environments";
import { environmentsNamedIn, hostEnvironmentsUntil, type TokenRun } from "./tokens";

/**
 * What an absolute URL is: scheme "://" [userinfo "@"] host, where host is a bracketed IPv6 literal or runs up to a
 * port, path, query or fragment. Written in the syntax JavaScript and Python share: the Python twin compiles this very
 * source (with `re.ASCII | re.IGNORECASE` for the `i` flag), `(?![^/?#])` standing for "end, or a path, query or
 * fragment" where `$` would also match before a final line break in Python. `hostnameOf` is a hand-written scan of
 * the same grammar (tests/detector/signals.test.ts holds the two together).
 */
export const ABSOLUTE_URL_PATTERN = "^[a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?(\\[[^\\]/?#]*\\]|[^/?#:@]+)(?::[0-9]*)?(?![^/?#])";

const SLASH = 0x2f;
const QUESTION = 0x3f;
const HASH = 0x23;
const COLON = 0x3a;
const AT = 0x40;
const OPEN_BRACKET = 0x5b;
const DOT = 0x2e;

/** What each ASCII code unit is to the scan of an authority. */
const ORDINARY = 0;
const AUTHORITY_END = 1;
const AT_SIGN = 2;
const HOST_END = 3;
const CAPITAL = 4;
const AUTHORITY_UNITS = new Uint8Array(0x80);
AUTHORITY_UNITS.fill(CAPITAL, 0x41, 0x5b);
AUTHORITY_UNITS[SLASH] = AUTHORITY_END;
AUTHORITY_UNITS[QUESTION] = AUTHORITY_END;
AUTHORITY_UNITS[HASH] = AUTHORITY_END;
AUTHORITY_UNITS[AT] = AT_SIGN;
AUTHORITY_UNITS[COLON] = HOST_END;

function isLetter(code: number): boolean {
    const lower = code | 0x20;
    return lower >= 0x61 && lower <= 0x7a;
}

function isDigit(code: number): boolean {
    return code >= 0x30 && code <= 0x39;
}

/** True when what follows a host, `url[index, end)`, is nothing or a port (`:digits`); false for an index past `end`. */
function portOnly(url: string, index: number, end: number): boolean {
    if (index === end) {
        return true;
    }
    if (url.charCodeAt(index) !== COLON) {
        return false;
    }
    let at = index + 1;
    while (at < end && isDigit(url.charCodeAt(at))) {
        at += 1;
    }
    return at === end;
}

/** Where a URL's host lies, `url[start, end)`, and whether it holds ASCII capitals; filled in by `findHost`. */
export interface HostBounds {
    start: number;
    end: number;
    capitals: boolean;
}

/**
 * The host in `url[start, end)` (an authority without userinfo; `end` is the first "/", "?" or "#", or the end), as
 * the pattern reads it: a bracketed literal if one fits, else a run of characters up to ":" or "@"; then only a port.
 */
function hostIn(url: string, start: number, end: number, bounds: HostBounds): boolean {
    if (url.charCodeAt(start) === OPEN_BRACKET) {
        // Without a "]" close is -1 and portOnly reads from 0, a scheme's letter; a "]" past `end` leaves no port to
        // read: portOnly refuses both, so no bound needs checking here.
        const close = url.indexOf("]", start);
        if (portOnly(url, close + 1, end)) {
            return found(bounds, start, close + 1, true);
        }
    }
    let index = start;
    let capitals = false;
    while (index < end) {
        const code = url.charCodeAt(index);
        if (code === COLON || code === AT) {
            break;
        }
        capitals ||= code >= 0x41 && code <= 0x5a;
        index += 1;
    }
    return index !== start && portOnly(url, index, end) && found(bounds, start, index, capitals);
}

function found(bounds: HostBounds, start: number, end: number, capitals: boolean): true {
    bounds.start = start;
    bounds.end = end;
    bounds.capitals = capitals;
    return true;
}

/**
 * `value` with ASCII capitals lower-cased and nothing else changed, the same in every language and Unicode version.
 * Only a host holding a capital gets here, which is rare: one unit at a time serves.
 */
function asciiLowerCase(value: string): string {
    return value.replace(/[A-Z]/g, (capital) => capital.toLowerCase());
}

/**
 * The hostname of an absolute URL with ASCII letters lower-cased (`wss://api.staging.netrasystems.ai/ws` gives
 * `api.staging.netrasystems.ai`), or undefined when the value is not `scheme://host...` (ABSOLUTE_URL_PATTERN).
 */
export function hostnameOf(url: string): string | undefined {
    return findHost(url, scratchBounds) ? hostname(url, scratchBounds) : undefined;
}

/** The host `findHost` found in `url`, ASCII capitals lower-cased. */
export function hostname(url: string, bounds: HostBounds): string {
    const host = url.slice(bounds.start, bounds.end);
    return bounds.capitals ? asciiLowerCase(host) : host;
}

// Stryker disable next-line ObjectLiteral,BooleanLiteral: findHost writes every field before hostname reads one.
const scratchBounds: HostBounds = { start: 0, end: 0, capitals: false };

/** The index just past `scheme://` at the start of `url`, or -1 when it does not start with one. */
function authorityStart(url: string): number {
    const length = url.length;
    if (length === 0 || !isLetter(url.charCodeAt(0))) {
        return -1;
    }
    let index = 1;
    for (; index < length; index += 1) {
        const code = url.charCodeAt(index);
        if (!(isLetter(code) || isDigit(code) || code === 0x2b || code === 0x2e || code === 0x2d)) {
            break;
        }
    }
    if (url.charCodeAt(index) !== COLON || url.charCodeAt(index + 1) !== SLASH || url.charCodeAt(index + 2) !== SLASH) {
        return -1;
    }
    return index + 3;
}

/**
 * Finds the host of an absolute URL (ABSOLUTE_URL_PATTERN) and fills in `bounds`; false, leaving `bounds` alone, when
 * the value is not `scheme://host...`. A scan rather than `new URL` or the regular expression: the detector runs on the
 * start-up path of every revision, and its budget is a microsecond for every variable together.
 */
export function findHost(url: string, bounds: HostBounds): boolean {
    const authority = authorityStart(url);
    return authority !== -1 && findHostIn(url, authority, bounds);
}

/** `findHost` once `scheme://` is read: the authority starts at `authority`. */
function findHostIn(url: string, authority: number, bounds: HostBounds): boolean {
    const length = url.length;
    // One pass over the authority: where it ends (the first "/", "?" or "#"), where its userinfo does (the first "@"),
    // and where the host after it stops (the first ":" or "@" after it), noting capitals on the way.
    let end = authority;
    let at = -1;
    let stop = -1;
    let capitals = false;
    for (; end < length; end += 1) {
        const code = url.charCodeAt(end);
        // One table read per code unit; most are ordinary (0).
        const kind = code < 0x80 ? AUTHORITY_UNITS[code] : ORDINARY;
        if (kind === ORDINARY) {
            continue;
        }
        if (kind === AUTHORITY_END) {
            break;
        }
        if (kind === CAPITAL) {
            capitals = true;
        } else if (kind === AT_SIGN && at < 0) {
            at = end;
            stop = -1;
            capitals = false;
        } else if (stop < 0) {
            stop = end;
        }
    }
    const start = at < 0 ? authority : at + 1;
    if (url.charCodeAt(start) !== OPEN_BRACKET) {
        // The common case, a plain host: as the pattern reads it, a run up to ":" or "@", then only a port.
        const hostEnd = stop < 0 ? end : stop;
        if (hostEnd > start && portOnly(url, hostEnd, end)) {
            return found(bounds, start, hostEnd, capitals);
        }
        // Without this shortcut hostIn reads the same authority and fails the same way; and `at` is -1 or the index of an
        // "@" after `scheme://` (4 or more), never 1.
        // Stryker disable next-line BlockStatement,UnaryOperator: see above.
        if (at === -1) {
            return false;
        }
    }
    // Bracketed literals, and the pattern's second try: the whole authority as a host (only a bracketed literal can
    // hold an "@"). Rare, so the general reading serves.
    // Stryker disable next-line UnaryOperator: `at` is never 1, and for -1 hostIn(url, 0) reads the scheme and fails at "://".
    return (at !== -1 && hostIn(url, at + 1, end, bounds)) || hostIn(url, authority, end, bounds);
}

/**
 * Where the labels its owner chose end in the host `host[start, end)`: before its top-level label. A registry names the
 * top-level domain, not the team, and `.dev`, `.test` and `.local` spell aliases: read, they would name development or
 * test in every host under them (`api.staging.netra.dev`, `auth.staging.svc.cluster.local`). A host of one label
 * (`localhost`, `staging`) is all chosen; a final dot (the fully qualified `staging.netrasystems.ai.`) ends no label.
 */
export function chosenLabelsEnd(host: string, start: number, end: number): number {
    const last = end > start && host.charCodeAt(end - 1) === DOT ? end - 1 : end;
    const dot = host.lastIndexOf(".", last - 1);
    return dot >= start ? dot : last;
}

/** `host` without its top-level label (see `chosenLabelsEnd`): `api.staging.netra.dev` gives `api.staging.netra`. */
export function chosenLabels(host: string): string {
    return host.slice(0, chosenLabelsEnd(host, 0, host.length));
}

/**
 * Where the usual URL's host can end: the end of its authority ("/", "?", "#"), and the units that call for the general
 * reading, a userinfo ("@"), a port (":") or a bracketed literal ("[").
 */
const HOST_STOPS = new Uint8Array(0x80);
for (const unit of "/?#@:[") {
    HOST_STOPS[unit.charCodeAt(0)] = 1;
}
// Stryker disable next-line ObjectLiteral,BooleanLiteral: hostEnvironmentsUntil writes both fields before they are read.
const scratchRun: TokenRun = { end: 0, capitals: false };

/**
 * `findHost`, and the environments the host names (tokens.ts), or undefined when the value is not `scheme://host...`.
 * The usual URL, `scheme://host` then the end, a path, a query or a fragment, is found and read in one pass; any other
 * (a userinfo, a port, a bracketed literal) is found by `findHost`, then read.
 */
export function hostEnvironments(url: string, bounds: HostBounds): readonly EnvironmentName[] | undefined {
    const authority = authorityStart(url);
    if (authority === -1) {
        return undefined;
    }
    const environments = hostEnvironmentsUntil(url, authority, HOST_STOPS, scratchRun);
    const end = scratchRun.end;
    if (end > authority && (end === url.length || AUTHORITY_UNITS[url.charCodeAt(end)] === AUTHORITY_END)) {
        found(bounds, authority, end, scratchRun.capitals);
        return environments;
    }
    return findHostIn(url, authority, bounds)
        ? environmentsNamedIn(url, bounds.start, chosenLabelsEnd(url, bounds.start, bounds.end))
        : undefined;
}
