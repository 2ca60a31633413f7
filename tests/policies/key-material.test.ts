/**
 * The key-material judge (rules/plaintext-secret.ts, rules/secretlint-preset.ts) read directly: which
 * values reach secretlint, how its rules are named in messages, and which engine names a value when
 * both could.
 */
import { lintSource } from "@secretlint/core";
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { keyMaterialKind } from "../../rules/plaintext-secret";
import {
    describeSecretlintRule,
    presetScanners,
    SECRETLINT_PRESET_ID,
    secretlintKind,
    secretlintRuleId,
    worthLinting,
} from "../../rules/secretlint-preset";
import { KEY_MATERIAL_FORMS } from "./key-material-samples";

/** A sample of the claimed form named `form`. */
function sample(form: string): string {
    const found = KEY_MATERIAL_FORMS.find((candidate) => candidate.form === form);
    if (found === undefined) {
        throw new Error(`no sample form ${form}`);
    }
    return found.make();
}

describe("the key-material judge (rules/plaintext-secret, rules/secretlint-preset)", () => {
    it("asks secretlint's recommend preset, under its published id", () => {
        expect(SECRETLINT_PRESET_ID).to.equal("@secretlint/secretlint-rule-preset-recommend");
    });

    it("names every rule of the preset in words, and a rule added later from its id", () => {
        const named: Record<string, string> = {
            "1password": "a 1Password service account token",
            anthropic: "an Anthropic API key",
            aws: "an AWS credential",
            basicauth: "a URL with a password",
            "database-connection-string": "a database connection string with a password",
            gcp: "a Google Cloud service account key",
            github: "a GitHub token",
            linear: "a Linear API key",
            npm: "an npm access token",
            openai: "an OpenAI API key",
            privatekey: "a private key",
            sendgrid: "a SendGrid API key",
            shopify: "a Shopify access token",
            slack: "a Slack token",
        };
        for (const [rule, words] of Object.entries(named)) {
            expect(describeSecretlintRule(`@secretlint/secretlint-rule-${rule}`), rule).to.equal(words);
        }
        expect(describeSecretlintRule("@secretlint/secretlint-rule-azure-devops-pat")).to.equal("an azure devops pat credential");
        expect(describeSecretlintRule("@secretlint/secretlint-rule-Okta-token")).to.equal("an Okta token credential");
        expect(describeSecretlintRule("@secretlint/secretlint-rule-later-vendor")).to.equal("a later vendor credential");
        expect(describeSecretlintRule("custom-rule")).to.equal("a custom rule credential");
    });

    it("lints only values long enough to hold a token (16 characters) or shaped like a connection string", () => {
        expect(worthLinting("a".repeat(15))).to.equal(false);
        expect(worthLinting("a".repeat(16))).to.equal(true);
        expect(worthLinting("a=b")).to.equal(true);
        expect(worthLinting("x://y")).to.equal(true);
        expect(worthLinting("true")).to.equal(false);
        expect(worthLinting("8443")).to.equal(false);
        expect(worthLinting("a:/b")).to.equal(false);
    });

    it("finds nothing in short plain settings and names what secretlint alone knows", () => {
        expect(secretlintKind("staging")).to.equal(undefined);
        expect(secretlintKind("https://auth.staging.netrasystems.ai")).to.equal(undefined);
        expect(secretlintKind(sample("SendGrid API key"))).to.equal("a SendGrid API key");
        expect(secretlintKind(sample("npm access token"))).to.equal("an npm access token");
    });

    it("names our own specific kinds first, and lets secretlint name a long random run more precisely", () => {
        expect(keyMaterialKind(sample("Google API key"))).to.equal("a Google API key");
        expect(keyMaterialKind(sample("PEM private key"))).to.equal("a PEM private key");
        // An npm token is also a long base64-like run: secretlint's name wins over ours.
        expect(keyMaterialKind(sample("npm access token"))).to.equal("an npm access token");
        expect(keyMaterialKind(randomBytes(32).toString("hex"))).to.equal("a long hex string");
        expect(keyMaterialKind(sample("base64 key"))).to.equal("a long base64 string");
    });

    it("takes a hex digest under a digest name for an identifier, and ordinary config for nothing", () => {
        const digest = randomBytes(20).toString("hex");
        expect(keyMaterialKind(digest, "GIT_COMMIT_SHA")).to.equal(undefined);
        expect(keyMaterialKind(digest, "CACHE_SALT")).to.equal("a long hex string");
        expect(keyMaterialKind("netra-staging:us-central1:netra-postgres")).to.equal(undefined);
        expect(keyMaterialKind("")).to.equal(undefined);
    });

    it("runs every scanner rule of the preset, in the preset's order, and none of its filters", () => {
        expect(presetScanners().map((rule) => rule.meta.id)).to.deep.equal([
            "@secretlint/secretlint-rule-aws",
            "@secretlint/secretlint-rule-gcp",
            "@secretlint/secretlint-rule-privatekey",
            "@secretlint/secretlint-rule-npm",
            "@secretlint/secretlint-rule-basicauth",
            "@secretlint/secretlint-rule-slack",
            "@secretlint/secretlint-rule-sendgrid",
            "@secretlint/secretlint-rule-shopify",
            "@secretlint/secretlint-rule-github",
            "@secretlint/secretlint-rule-openai",
            "@secretlint/secretlint-rule-anthropic",
            "@secretlint/secretlint-rule-linear",
            "@secretlint/secretlint-rule-1password",
            "@secretlint/secretlint-rule-database-connection-string",
        ]);
    });

    it("finds, synchronously, what secretlint's own core finds in every sample form and in ordinary config", async () => {
        const { creator } = await import("@secretlint/secretlint-rule-preset-recommend");
        const config = { rules: [{ id: SECRETLINT_PRESET_ID, rule: creator }] };
        const values = [
            ...KEY_MATERIAL_FORMS.map((form) => form.make()),
            "https://auth.staging.netrasystems.ai",
            "netra-staging:us-central1:netra-postgres",
            `mysql://app:${randomBytes(9).toString("base64url")}@10.0.0.5:3306/app`,
        ];
        for (const value of values) {
            const result = await lintSource({
                source: { filePath: "/env", content: value, contentType: "text", ext: "" },
                options: { config },
            });
            const reported = new Set(result.messages.map((message) => message.ruleId));
            const own = secretlintRuleId(value);
            // The same verdict; where two rules report one value, ours names one of them.
            expect(own === undefined, `${value.slice(0, 8)}...`).to.equal(reported.size === 0);
            expect(own === undefined || reported.has(own), `${value.slice(0, 8)}...`).to.equal(true);
        }
    });

    it("does not let a value switch its own check off with a secretlint-disable comment", () => {
        const token = sample("npm access token");
        expect(secretlintKind(`secretlint-disable\n${token}`)).to.equal("an npm access token");
        expect(keyMaterialKind(`# secretlint-disable\n${token}`)).to.equal("an npm access token");
    });
});
