/**
 * Judges a literal variable value for key material by its form. Two engines: rules/cloudrun-env.ts
 * (the patterns the stack-config loader shares: PEM blocks, URL passwords, JWTs, vendor formats
 * secretlint's preset misses such as Google API keys and Stripe keys, long hex and base64 runs), and
 * secretlint's maintained recommend preset (cloud and SaaS tokens, connection strings, private keys),
 * asked when our specific patterns found nothing (a long random run it may name more precisely), which is loaded on the first value it has to judge so the
 * pack's start-up does not pay for it. Only the kind is returned: callers never see where in the
 * value it matched, and secretlint's own messages (which carry a masked copy) are dropped.
 */
import type * as SecretlintCore from "@secretlint/core";
import { KEY_LIKE_DESCRIPTIONS, keyLikeValue } from "../../rules/cloudrun-env";

/** The preset's rule id, as secretlint's config names it. */
export const SECRETLINT_PRESET_ID = "@secretlint/secretlint-rule-preset-recommend";

/** Words for messages, per secretlint rule; a rule added to the preset later is named from its id. */
export const SECRETLINT_RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
    "@secretlint/secretlint-rule-1password": "a 1Password service account token",
    "@secretlint/secretlint-rule-anthropic": "an Anthropic API key",
    "@secretlint/secretlint-rule-aws": "an AWS credential",
    "@secretlint/secretlint-rule-basicauth": "a URL with a password",
    "@secretlint/secretlint-rule-database-connection-string": "a database connection string with a password",
    "@secretlint/secretlint-rule-gcp": "a Google Cloud service account key",
    "@secretlint/secretlint-rule-github": "a GitHub token",
    "@secretlint/secretlint-rule-linear": "a Linear API key",
    "@secretlint/secretlint-rule-npm": "an npm access token",
    "@secretlint/secretlint-rule-openai": "an OpenAI API key",
    "@secretlint/secretlint-rule-privatekey": "a private key",
    "@secretlint/secretlint-rule-sendgrid": "a SendGrid API key",
    "@secretlint/secretlint-rule-shopify": "a Shopify access token",
    "@secretlint/secretlint-rule-slack": "a Slack token",
};

/** Words for a secretlint rule id: from the table, else `a <name> credential`. */
export function describeSecretlintRule(ruleId: string): string {
    const known = SECRETLINT_RULE_DESCRIPTIONS[ruleId];
    if (known !== undefined) {
        return known;
    }
    const name = ruleId.replace(/^@secretlint\/secretlint-rule-/, "").replace(/-/g, " ");
    // "an" before a vowel sound written as a vowel (an azure ..., an openai ...); rule ids are plain ASCII words.
    return `${/^[aeiou]/i.test(name) ? "an" : "a"} ${name} credential`;
}

/** secretlint's config type, read from the core's own signature (so the pack needs no extra types package). */
type SecretLintCoreConfig = Parameters<typeof SecretlintCore.lintSource>[0]["options"]["config"];

type PresetRule = Extract<SecretLintCoreConfig["rules"][number], { rule: { rules: unknown } }>;

interface Secretlint {
    readonly core: typeof SecretlintCore;
    readonly config: SecretLintCoreConfig;
}

let engine: Secretlint | undefined;

/** The part of secretlint's profiler singleton (`@secretlint/profiler`) this module silences. */
interface SecretlintProfiler {
    mark: (marker: unknown) => void;
}

/**
 * Switches off secretlint's profiler, which records performance marks for secretlint's own `--profile`
 * output: each `lintSource` adds about 70 marks to a list the profiler never empties and searches on every
 * mark (`entries.find`), and to Node's global performance timeline, so the cost of a value grew with the
 * number judged before it (38% of the pack's CPU on 500 services, quadratic). No lint result reads a mark.
 * Resolved from the core's own folder, so it is the very instance the core imports.
 */
// Stryker disable next-line BlockStatement: speed only; no lint result reads a mark (above)
function silenceProfiler(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { secretLintProfiler } = require(require.resolve("@secretlint/profiler", { paths: [require.resolve("@secretlint/core")] })) as {
        secretLintProfiler: SecretlintProfiler;
    };
    secretLintProfiler.mark = () => undefined;
}

/** secretlint's core and preset, loaded once (both are ES modules; Node 20.19+ requires them). */
function secretlint(): Secretlint {
    // Stryker disable next-line ConditionalExpression: loading again gives the same engine, only slower
    if (engine === undefined) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const core = require("@secretlint/core") as typeof SecretlintCore;
        silenceProfiler();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const preset = require("@secretlint/secretlint-rule-preset-recommend") as { creator: PresetRule["rule"] };
        const rule: PresetRule = { id: SECRETLINT_PRESET_ID, rule: preset.creator };
        engine = { core, config: { rules: [rule] } };
    }
    return engine;
}

/**
 * How long after the pack module loads secretlint is warmed up: long enough for the gRPC server to
 * bind and print its port first (start-up stays as fast), short enough to be done long before the
 * first Analyze, which comes after the program has run (the CLI and the check start the pack
 * alongside the program). Without the warm-up the first literal value would pay the load.
 */
const WARM_UP_DELAY_MS = 100;

// Stryker disable next-line BlockStatement: the warm-up is speed only; the first use loads secretlint itself
setTimeout(() => {
    // Stryker disable next-line BlockStatement: as above
    try {
        secretlint();
    } catch {
        // Loaded again on first use, where a failure is reported with the value's policy.
    }
}, WARM_UP_DELAY_MS).unref();

/**
 * True when `value` could hold something secretlint's preset detects: every token it knows is at
 * least 20 characters (AWS access key ids are the shortest), and connection strings carry `://` or
 * `=`. Short plain settings (`true`, `8443`, `staging`) skip the engine.
 */
export function worthLinting(value: string): boolean {
    return value.length >= 16 || /:\/\/|=/.test(value);
}

/** The kind of key material secretlint's preset finds in `value`, or undefined. */
export async function secretlintKind(value: string): Promise<string | undefined> {
    // Stryker disable next-line ConditionalExpression,BlockStatement: speed only; the preset finds nothing in such a value
    if (!worthLinting(value)) {
        return undefined;
    }
    const { core, config } = secretlint();
    const result = await core.lintSource({
        source: {
            filePath: "/env",
            content: value,
            contentType: "text",
            // Stryker disable next-line StringLiteral: no rule of the preset reads the extension
            ext: "",
        },
        // Stryker disable next-line BooleanLiteral: only the rule id is read; masking changes the text of messages that are dropped
        options: { config, maskSecrets: true },
    });
    const ruleId = result.messages.find((message) => message.severity !== "info")?.ruleId;
    return ruleId === undefined ? undefined : describeSecretlintRule(ruleId);
}

/**
 * Words for the kind of key material `value` holds (e.g. "a Google API key"), or undefined when it
 * holds none. `name`, the variable's, only exempts a hex digest under a digest name (`GIT_SHA`).
 */
export async function keyMaterialKind(value: string, name?: string): Promise<string | undefined> {
    const own = keyLikeValue(value, name);
    if (own !== undefined && own !== "hex" && own !== "base64") {
        return KEY_LIKE_DESCRIPTIONS[own];
    }
    // A long random run may be a vendor token secretlint can name more precisely (npm_..., SG....).
    return (await secretlintKind(value)) ?? (own === undefined ? undefined : KEY_LIKE_DESCRIPTIONS[own]);
}
