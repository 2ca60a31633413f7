/**
 * Which environments a name names, token by token. One job, on the start-up path of every revision: read a name
 * without allocating (the lists it returns are built once and frozen).
 */

import { ENVIRONMENT_ALIASES, ENVIRONMENTS, type EnvironmentName } from "./environments";

/** True for the code units that make tokens: ASCII letters and digits. */
function isTokenUnit(code: number): boolean {
    return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
}

/**
 * The aliases (lower case). One with a unit that is not a letter or a digit could never be a whole token: the automaton
 * leaves a token on that unit, so the rest of such an alias is never reached.
 */
const TOKEN_ALIASES: readonly string[] = Object.keys(ENVIRONMENT_ALIASES);

/**
 * The tokenizer as one automaton over ASCII code units, built from TOKEN_ALIASES: a state for "between tokens"
 * (OUTSIDE), one for "in a token that no alias can be" (DEAD), and one per prefix of an alias. Each code unit costs one
 * table read, with letters folded to lower case in the table, and a token is never read twice; the state a token ends in
 * says which alias it spelt (ACCEPTS, -1 for none). Code units from 0x80 up separate tokens, as every non-token unit.
 * A state is kept as its row's offset in TRANSITIONS (its number times UNITS), so a step is one read and one add.
 */
const UNIT_BITS = 7;
const UNITS = 1 << UNIT_BITS;
const OUTSIDE = 0;
const DEAD = 1;
const { transitions: TRANSITIONS, accepts: ACCEPTS } = buildAutomaton(TOKEN_ALIASES);

function buildAutomaton(aliases: readonly string[]): { transitions: Uint16Array; accepts: Int8Array } {
    // The trie of the aliases: children by lower-case code unit, and the environment an alias ends in.
    const children: Map<number, number>[] = [new Map(), new Map()];
    const accepts: number[] = [-1, -1];
    for (const alias of aliases) {
        let state = 0;
        for (let index = 0; index < alias.length; index += 1) {
            const code = alias.charCodeAt(index);
            let next = children[state].get(code);
            if (next === undefined) {
                next = children.length;
                children.push(new Map());
                accepts.push(-1);
                children[state].set(code, next);
            }
            state = next;
        }
        accepts[state] = ENVIRONMENTS.indexOf(ENVIRONMENT_ALIASES[alias]);
    }
    // One entry per state and code unit. Digits have 0x20 set already, so `code | 0x20` folds only letters to lower case.
    const transitions = new Uint16Array(children.length * UNITS).map((_, entry) => {
        const code = entry % UNITS;
        return isTokenUnit(code) ? (children[(entry - code) / UNITS].get(code | 0x20) ?? DEAD) * UNITS : OUTSIDE;
    });
    return { transitions, accepts: Int8Array.from(accepts) };
}

/**
 * One list of environments in order of appearance, and the list after one more environment is met: the list that
 * extends it, or the list itself for an environment it already holds (each environment is named once).
 */
interface NamedList {
    readonly environments: readonly EnvironmentName[];
    readonly next: readonly NamedList[];
}

/**
 * Every list a name can give (each environment at most once, in order: 65 for four environments), built once and
 * frozen, so the tokenizer allocates nothing and results can share them safely.
 */
function namedList(environments: readonly EnvironmentName[]): NamedList {
    const next: NamedList[] = [];
    const list: NamedList = { environments: Object.freeze([...environments]), next };
    for (const environment of ENVIRONMENTS) {
        next.push(environments.includes(environment) ? list : namedList([...environments, environment]));
    }
    return list;
}
const NAMED_LISTS = namedList([]);
/** The list of a name that names nothing, frozen and shared. */
export const EMPTY_LIST: readonly EnvironmentName[] = NAMED_LISTS.environments;

/**
 * The environments a name names, token by token: `netra-backend-staging` names staging, `netra-product-api`
 * names nothing, `api.staging.netrasystems.ai` names staging. Tokens are the runs of ASCII letters and digits, in any
 * case; each must be a whole environment name or alias, so `stagingarea` names nothing. The list is frozen.
 * A hand-written scan rather than a regular expression: it allocates nothing, which keeps the first call with new
 * values (a revision's start-up) under a microsecond.
 */
export function environmentsNamedBy(name: string): readonly EnvironmentName[] {
    return environmentsNamedIn(name, 0, name.length);
}

/**
 * `environmentsNamedBy` of `text[start, end)`, read in place: a signal's name is often part of a longer value (a
 * revision before its generated suffix, the host of a URL), and a slice of it would be a string of its own to allocate
 * and to read through.
 */
export function environmentsNamedIn(text: string, start: number, end: number): readonly EnvironmentName[] {
    let named = NAMED_LISTS;
    let state = OUTSIDE;
    for (let index = start; index < end; index += 1) {
        const code = text.charCodeAt(index);
        const next = code < UNITS ? TRANSITIONS[state + code] : OUTSIDE;
        if (next === OUTSIDE) {
            const environment = ACCEPTS[state >>> UNIT_BITS];
            if (environment >= 0) {
                named = named.next[environment];
            }
        }
        state = next;
    }
    // The end ends the last token like a separator.
    const environment = ACCEPTS[state >>> UNIT_BITS];
    return environment >= 0 ? named.next[environment].environments : named.environments;
}

/** Where `hostEnvironmentsUntil` stopped, and whether an ASCII capital came before. */
export interface TokenRun {
    /** The index of the first stop unit, or the text's end. */
    end: number;
    capitals: boolean;
}

const DOT = 0x2e;

/**
 * The environments a host names, read from `start` up to the first code unit that `stops` marks (1 at its ASCII code), or
 * the text's end; where that is, and whether an ASCII capital came before it, go into `run`. The host's top-level label is
 * not read (see `chosenLabelsEnd` in hostname.ts, which states the rule): the list kept at each dot is the answer once
 * the end shows which label was the last. It lets a URL's host be found and read in one pass (hostname.ts) instead of
 * one pass for each.
 */
export function hostEnvironmentsUntil(text: string, start: number, stops: Uint8Array, run: TokenRun): readonly EnvironmentName[] {
    let named = NAMED_LISTS;
    let state = OUTSIDE;
    let capitals = false;
    // The lists at the last dot and at the one before it, and where those dots are (-1: none yet).
    let atLastDot = NAMED_LISTS;
    let lastDot = -1;
    let atDotBefore = NAMED_LISTS;
    let dotBefore = -1;
    let index = start;
    for (; index < text.length; index += 1) {
        const code = text.charCodeAt(index);
        const next = code < UNITS ? TRANSITIONS[state + code] : OUTSIDE;
        if (next === OUTSIDE) {
            // From 0x80 up the read is past the table and gives undefined: never a stop.
            if (stops[code] === 1) {
                break;
            }
            const environment = ACCEPTS[state >>> UNIT_BITS];
            if (environment >= 0) {
                named = named.next[environment];
            }
            if (code === DOT) {
                atDotBefore = atLastDot;
                dotBefore = lastDot;
                atLastDot = named;
                lastDot = index;
            }
        } else {
            capitals ||= code <= 0x5a && code >= 0x41;
        }
        state = next;
    }
    run.end = index;
    run.capitals = capitals;
    if (lastDot === -1) {
        // One label: read whole.
        const environment = ACCEPTS[state >>> UNIT_BITS];
        return environment >= 0 ? named.next[environment].environments : named.environments;
    }
    // A final dot ends no label: the top-level label is then the one before it, unless that was the only one.
    return lastDot === index - 1 && dotBefore !== -1 ? atDotBefore.environments : atLastDot.environments;
}
