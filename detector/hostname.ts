/**
 * The hostname of an absolute URL, read by a scan of one grammar that the Python twin reads with a regular expression.
 */

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

function isLetter(code: number): boolean {
    const lower = code | 0x20;
    return lower >= 0x61 && lower <= 0x7a;
}

function isDigit(code: number): boolean {
    return code >= 0x30 && code <= 0x39;
}

/** True when what follows a host, `url[index, end)`, is nothing or a port (`:digits`). */
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

/**
 * The host in `url[start, end)` (an authority without userinfo; `end` is the first "/", "?" or "#", or the end), as
 * the pattern reads it: a bracketed literal if one fits, else a run of characters up to ":" or "@"; then only a port.
 */
function hostIn(url: string, start: number, end: number): string | undefined {
    if (url.charCodeAt(start) === OPEN_BRACKET) {
        const close = url.indexOf("]", start + 1);
        if (close >= 0 && close < end && portOnly(url, close + 1, end)) {
            return asciiLowerCase(url.slice(start, close + 1));
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
    if (index === start || !portOnly(url, index, end)) {
        return undefined;
    }
    const host = url.slice(start, index);
    return capitals ? asciiLowerCase(host) : host;
}

/** `value` with ASCII capitals lower-cased and nothing else changed, the same in every language and Unicode version. */
function asciiLowerCase(value: string): string {
    // eslint-disable-next-line no-control-regex -- the whole ASCII range.
    return /^[\x00-\x7f]*$/.test(value) ? value.toLowerCase() : value.replace(/[A-Z]+/g, (capitals) => capitals.toLowerCase());
}

/**
 * The hostname of an absolute URL with ASCII letters lower-cased (`wss://api.staging.netrasystems.ai/ws` gives
 * `api.staging.netrasystems.ai`), or undefined when the value is not `scheme://host...` (ABSOLUTE_URL_PATTERN).
 * A scan rather than `new URL` or the regular expression: the detector runs on the start-up path of every revision, and
 * its budget is a microsecond for every variable together.
 */
export function hostnameOf(url: string): string | undefined {
    const length = url.length;
    if (length === 0 || !isLetter(url.charCodeAt(0))) {
        return undefined;
    }
    let index = 1;
    for (; index < length; index += 1) {
        const code = url.charCodeAt(index);
        if (!(isLetter(code) || isDigit(code) || code === 0x2b || code === 0x2e || code === 0x2d)) {
            break;
        }
    }
    if (url.charCodeAt(index) !== COLON || url.charCodeAt(index + 1) !== SLASH || url.charCodeAt(index + 2) !== SLASH) {
        return undefined;
    }
    // One pass over the authority: where it ends (the first "/", "?" or "#"), where its userinfo does (the first "@"),
    // and where the host after it stops (the first ":" or "@" after it), noting capitals on the way.
    const authority = index + 3;
    let end = authority;
    let at = -1;
    let stop = -1;
    let capitals = false;
    for (; end < length; end += 1) {
        const code = url.charCodeAt(end);
        if (code === SLASH || code === QUESTION || code === HASH) {
            break;
        }
        if (code === AT || code === COLON) {
            if (code === AT && at < 0) {
                at = end;
                stop = -1;
                capitals = false;
            } else if (stop < 0) {
                stop = end;
            }
        } else if (code >= 0x41 && code <= 0x5a) {
            capitals = true;
        }
    }
    const start = at < 0 ? authority : at + 1;
    if (url.charCodeAt(start) !== OPEN_BRACKET) {
        // The common case, a plain host: as the pattern reads it, a run up to ":" or "@", then only a port.
        const hostEnd = stop < 0 ? end : stop;
        if (hostEnd > start && portOnly(url, hostEnd, end)) {
            const host = url.slice(start, hostEnd);
            return capitals ? asciiLowerCase(host) : host;
        }
        if (at < 0) {
            return undefined;
        }
    }
    // Bracketed literals, and the pattern's second try: the whole authority as a host (only a bracketed literal can
    // hold an "@"). Rare, so the general reading serves.
    return (at < 0 ? undefined : hostIn(url, at + 1, end)) ?? hostIn(url, authority, end);
}
