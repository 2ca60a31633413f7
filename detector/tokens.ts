/**
 * Which environments a name names, token by token. One job, on the start-up path of every revision: read a name
 * without allocating (the lists it returns are built once and frozen).
 */

import { ENVIRONMENT_ALIASES, ENVIRONMENTS, type EnvironmentName } from "./environments";

/** 1 for the code units that make tokens (ASCII letters and digits), 0 for every other UTF-16 code unit. */
const TOKEN_UNITS = new Uint8Array(0x10000);
for (let code = 0x30; code <= 0x39; code += 1) {
    TOKEN_UNITS[code] = 1;
}
for (let code = 0x61; code <= 0x7a; code += 1) {
    TOKEN_UNITS[code] = 1;
    TOKEN_UNITS[code - 0x20] = 1;
}

/**
 * The aliases (lower case) and the index in ENVIRONMENTS of each one's environment, as parallel arrays the tokenizer
 * walks without allocating. An alias that is not all letters and digits could never be a whole token, so it is left out.
 */
const TOKEN_ALIASES: readonly string[] = Object.keys(ENVIRONMENT_ALIASES).filter((alias) => /^[a-z0-9]+$/.test(alias));
const TOKEN_ALIAS_ENVIRONMENTS: readonly number[] = TOKEN_ALIASES.map((alias) => ENVIRONMENTS.indexOf(ENVIRONMENT_ALIASES[alias]));

/** For each token length, the indexes of the aliases of that length: most tokens have none to compare. */
const ALIASES_BY_LENGTH: readonly (readonly number[])[] = Array.from(
    { length: Math.max(...TOKEN_ALIASES.map((alias) => alias.length)) + 1 },
    (_, length) => TOKEN_ALIASES.flatMap((alias, index) => (alias.length === length ? [index] : [])),
);

/** The index of the alias that the token `name[start, end)` spells, compared without ASCII case, or -1. */
function aliasOf(name: string, start: number, end: number): number {
    const length = end - start;
    if (length >= ALIASES_BY_LENGTH.length) {
        return -1;
    }
    const candidates = ALIASES_BY_LENGTH[length];
    for (let candidate = 0; candidate < candidates.length; candidate += 1) {
        const alias = TOKEN_ALIASES[candidates[candidate]];
        let index = 0;
        // `| 0x20` lower-cases an ASCII letter and leaves a digit alone; a token holds nothing else.
        while (index < length && (name.charCodeAt(start + index) | 0x20) === alias.charCodeAt(index)) {
            index += 1;
        }
        if (index === length) {
            return candidates[candidate];
        }
    }
    return -1;
}

/** One list of environments in order of appearance, and the lists that extend it by one more environment. */
interface NamedList {
    readonly environments: readonly EnvironmentName[];
    readonly next: readonly NamedList[];
}

/**
 * Every list a name can give (each environment at most once, in order: 65 for four environments), built once and
 * frozen, so the tokenizer allocates nothing and results can share them safely.
 */
function namedList(environments: readonly EnvironmentName[]): NamedList {
    return {
        environments: Object.freeze([...environments]),
        next: ENVIRONMENTS.map((environment) => (environments.includes(environment) ? NO_LIST : namedList([...environments, environment]))),
    };
}
/** The list of a name that names nothing, frozen and shared. */
export const EMPTY_LIST: readonly EnvironmentName[] = Object.freeze([]);
const NO_LIST: NamedList = { environments: EMPTY_LIST, next: [] };
const NAMED_LISTS = namedList([]);

/**
 * The environments a name names, token by token: `netra-backend-staging` names staging, `netra-product-api`
 * names nothing, `api.staging.netrasystems.ai` names staging. Tokens are the runs of ASCII letters and digits, in any
 * case; each must be a whole environment name or alias, so `stagingarea` names nothing. The list is frozen.
 * A hand-written scan rather than a regular expression: it allocates nothing, which keeps the first call with new
 * values (a revision's start-up) under a microsecond.
 */
export function environmentsNamedBy(name: string): readonly EnvironmentName[] {
    let named = NAMED_LISTS;
    let seen = 0;
    const length = name.length;
    let index = 0;
    while (index < length) {
        const first = name.charCodeAt(index);
        index += 1;
        if (TOKEN_UNITS[first] === 0) {
            continue;
        }
        const start = index - 1;
        while (index < length) {
            const code = name.charCodeAt(index);
            if (TOKEN_UNITS[code] === 0) {
                break;
            }
            index += 1;
        }
        const alias = aliasOf(name, start, index);
        if (alias >= 0) {
            const environment = TOKEN_ALIAS_ENVIRONMENTS[alias];
            if ((seen & (1 << environment)) === 0) {
                seen |= 1 << environment;
                named = named.next[environment];
            }
        }
    }
    return named.environments;
}
