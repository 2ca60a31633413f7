/**
 * fast-check arbitraries for process environments: names built from tokens (some of them environment aliases),
 * URLs built from such names, and unrelated variables the detector must never read.
 */

import fc from "fast-check";
import { ENVIRONMENT_ALIASES, ENVIRONMENT_VARIABLE } from "../../detector/environments";
import { PROJECT_ID_VARIABLES, SERVICE_URL_VARIABLES, SIGNAL_VARIABLES } from "../../detector/signals";

type Env = Record<string, string>;

/** Every accepted spelling of an environment, lower case. */
export const aliasArb = fc.constantFrom(...Object.keys(ENVIRONMENT_ALIASES));

/** An alias in random case with random surrounding whitespace, as a person might type it. */
export const spelledAliasArb = fc
    .tuple(fc.constantFrom("", " ", "\t", "\n", "  "), fc.mixedCase(aliasArb), fc.constantFrom("", " ", "\t", "\r\n"))
    .map(([before, alias, after]) => ({ alias: alias.toLowerCase(), spelled: `${before}${alias}${after}` }));

/** A token of a name: often an alias (in any case), otherwise a word or a number. */
const tokenArb = fc.oneof(fc.mixedCase(aliasArb), fc.stringMatching(/^[a-z]{1,9}$/), fc.stringMatching(/^[0-9]{1,5}$/));

/** A name such as `netra-backend-staging-00042-abc`. */
export const nameArb = fc
    .tuple(fc.array(tokenArb, { minLength: 1, maxLength: 5 }), fc.constantFrom("-", ".", "_", "--"))
    .map(([tokens, separator]) => tokens.join(separator));

/** A character: often a separator or a control character (line breaks must never break a message), otherwise any code point. */
const charArb = fc.oneof(
    fc.constantFrom("\n", "\r", "\t", "\u0000", " ", "-", ".", ":", "/", "@", '"'),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
);

/** Any string at all, including empty, blank and non-ASCII values, and names with stray characters around them. */
const anyStringArb = fc.oneof(
    fc.constantFrom("", " ", "\t"),
    fc.string({ unit: charArb, maxLength: 30 }),
    fc
        .tuple(fc.string({ unit: charArb, maxLength: 3 }), nameArb, fc.string({ unit: charArb, maxLength: 3 }))
        .map((parts) => parts.join("")),
);

/** A URL whose hostname is a name, sometimes with user, port and path; or something that is not a URL. */
const urlArb = fc.oneof(
    fc
        .tuple(
            fc.constantFrom("https://", "http://", "wss://"),
            fc.option(fc.constant("bot@")),
            nameArb,
            fc.option(fc.constant(":8443")),
            fc.option(nameArb),
        )
        .map(([scheme, user, host, port, path]) => `${scheme}${user ?? ""}${host}${port ?? ""}${path === null ? "" : `/${path}`}`),
    anyStringArb,
);

const valueFor = (variable: string): fc.Arbitrary<string> =>
    SERVICE_URL_VARIABLES.includes(variable) ? urlArb : fc.oneof(nameArb, anyStringArb);

function signalsArb(variables: readonly string[]): fc.Arbitrary<Env> {
    return fc.record(Object.fromEntries(variables.map((variable) => [variable, valueFor(variable)])), {
        requiredKeys: [],
    }) as fc.Arbitrary<Env>;
}

/** Any mix of signal variables, on or off Cloud Run. */
export const signalEnvArb = signalsArb(SIGNAL_VARIABLES);

/** Signals of a Cloud Run service: `K_SERVICE` always holds a name. */
export const cloudRunEnvArb = fc.tuple(nameArb, signalEnvArb).map(([service, signals]): Env => ({ ...signals, K_SERVICE: service }));

/** Signals off Cloud Run: project ids and URLs only. */
export const offPlatformEnvArb = signalsArb([...PROJECT_ID_VARIABLES, ...SERVICE_URL_VARIABLES]);

/** Variables the detector never reads (NODE_ENV among them), with any values, including ones that name environments. */
export const unrelatedEnvArb = fc.dictionary(
    fc
        .oneof(fc.constant("NODE_ENV"), fc.constant("NEXT_PUBLIC_ENVIRONMENT"), fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/))
        .filter((name) => name !== ENVIRONMENT_VARIABLE && !SIGNAL_VARIABLES.includes(name)),
    fc.oneof(nameArb, anyStringArb),
    { maxKeys: 6 },
);
