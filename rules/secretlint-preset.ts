/**
 * secretlint's maintained recommend preset (`@secretlint/secretlint-rule-preset-recommend`: Anthropic,
 * SendGrid, npm, Linear, Shopify, 1Password, AWS, GCP service account keys, connection strings, ...),
 * run over one value synchronously, so the stack-config loader (synchronous, before any resource) and
 * the policy pack apply it alike.
 *
 * secretlint's own `lintSource` is asynchronous only in its plumbing: the preset's scanner rules judge
 * text synchronously (the one asynchronous path, a `.p12` file read from disk, needs a file extension a
 * value never has). So each rule's `file` handler is called here directly with the rule context that
 * secretlint documents for rule authors (`report`, `ignore`, `createTranslator`, `sharedOptions`).
 * Two differences, both on purpose: only the rule id of a report is kept (its message, which quotes
 * the secret, is never formatted), and the preset's comment filter is not run, so a value cannot switch
 * the check off with a `secretlint-disable` comment of its own.
 */

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

/** The parts of secretlint's source code object that the preset's scanner rules read. */
interface ValueSource {
    readonly content: string;
    readonly filePath: string;
    readonly ext: string;
    readonly contentType: "text";
}

/** secretlint's rule context (`SecretLintRuleContext` of @secretlint/types), as far as the preset uses it. */
interface RuleContext {
    readonly sharedOptions: Record<string, never>;
    createTranslator(messages: unknown): (messageId: string, data?: unknown) => { message: string; messageId: string; data?: unknown };
    report(descriptor: unknown): void;
    ignore(descriptor: unknown): void;
}

/** One rule of the preset (`SecretLintRuleCreator`), as far as this module reads it. */
export interface PresetRule {
    readonly meta: { readonly id: string; readonly type: string; readonly supportedContentTypes: readonly string[] };
    create(context: RuleContext, options: Record<string, never>): { file?(source: ValueSource): unknown };
}

/** The preset's creator: it registers its rules on a preset context. */
interface PresetCreator {
    create(context: { sharedOptions: Record<string, never>; registerRule(rule: PresetRule): void }, options: readonly never[]): void;
}

/**
 * The preset's rule that only takes reports back, on `secretlint-disable` comments in the scanned text
 * (its meta says "scanner" all the same): in a variable's value, such a comment is the value's own.
 */
const COMMENT_FILTER_ID = "@secretlint/secretlint-rule-filter-comments";

let scanners: readonly PresetRule[] | undefined;

/** The preset's scanner rules, as the preset registers them; loaded once, on first use (about 20 ms). */
export function presetScanners(): readonly PresetRule[] {
    // Stryker disable next-line ConditionalExpression: loading again gives the same rules, only slower
    if (scanners === undefined) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const preset = require("@secretlint/secretlint-rule-preset-recommend") as { creator: PresetCreator };
        const registered: PresetRule[] = [];
        preset.creator.create({ sharedOptions: {}, registerRule: (rule) => registered.push(rule) }, []);
        scanners = registered.filter(
            (rule) =>
                rule.meta.type === "scanner" &&
                rule.meta.id !== COMMENT_FILTER_ID &&
                rule.meta.supportedContentTypes.some((type) => type === "text" || type === "all"),
        );
    }
    return scanners;
}

/**
 * True when `value` could hold something secretlint's preset detects: every token it knows is at
 * least 20 characters (AWS access key ids are the shortest), and connection strings carry `://` or
 * `=`. Short plain settings (`true`, `8443`, `staging`) skip the engine, which is then not even loaded.
 */
export function worthLinting(value: string): boolean {
    return value.length >= 16 || /:\/\/|=/.test(value);
}

/** The id of the first preset rule that reports `value`, or undefined. */
export function secretlintRuleId(value: string): string | undefined {
    // Stryker disable next-line ConditionalExpression,BlockStatement: speed only; the preset finds nothing in such a value
    if (!worthLinting(value)) {
        return undefined;
    }
    // A file path secretlint's rules accept (the npm rule reads it for package.json and .npmrc); no file is read.
    const source: ValueSource = { content: value, filePath: "/env", ext: "", contentType: "text" };
    for (const rule of presetScanners()) {
        let reported = false;
        const context: RuleContext = {
            sharedOptions: {},
            // The message is never formatted: secretlint's would quote the secret.
            createTranslator: () => (messageId, data) => ({ message: messageId, messageId, data }),
            report: () => {
                reported = true;
            },
            ignore: () => undefined,
        };
        const pending = rule.create(context, {}).file?.(source);
        if (pending instanceof Promise) {
            throw new Error(
                `secretlint rule ${rule.meta.id} judges text asynchronously; rules/secretlint-preset.ts runs rules synchronously`,
            );
        }
        if (reported) {
            return rule.meta.id;
        }
    }
    return undefined;
}

/** Words for the kind of key material secretlint's preset finds in `value` ("an npm access token"), or undefined. */
export function secretlintKind(value: string): string | undefined {
    const ruleId = secretlintRuleId(value);
    return ruleId === undefined ? undefined : describeSecretlintRule(ruleId);
}
