/**
 * The key-material judge (policies/lib/key-material.ts) read directly: which values reach secretlint,
 * how its rules are named in messages, and which engine names a value when both could.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import {
    describeSecretlintRule,
    keyMaterialKind,
    SECRETLINT_PRESET_ID,
    secretlintKind,
    worthLinting,
} from "../../policies/lib/key-material";
import { KEY_MATERIAL_FORMS } from "./key-material-samples";

/** A sample of the claimed form named `form`. */
function sample(form: string): string {
    const found = KEY_MATERIAL_FORMS.find((candidate) => candidate.form === form);
    if (found === undefined) {
        throw new Error(`no sample form ${form}`);
    }
    return found.make();
}

describe("the key-material judge (policies/lib/key-material)", () => {
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

    it("finds nothing in short plain settings and names what secretlint alone knows", async () => {
        expect(await secretlintKind("staging")).to.equal(undefined);
        expect(await secretlintKind("https://auth.staging.netrasystems.ai")).to.equal(undefined);
        expect(await secretlintKind(sample("SendGrid API key"))).to.equal("a SendGrid API key");
        expect(await secretlintKind(sample("npm access token"))).to.equal("an npm access token");
    });

    it("names our own specific kinds first, and lets secretlint name a long random run more precisely", async () => {
        expect(await keyMaterialKind(sample("Google API key"))).to.equal("a Google API key");
        expect(await keyMaterialKind(sample("PEM private key"))).to.equal("a PEM private key");
        // An npm token is also a long base64-like run: secretlint's name wins over ours.
        expect(await keyMaterialKind(sample("npm access token"))).to.equal("an npm access token");
        expect(await keyMaterialKind(randomBytes(32).toString("hex"))).to.equal("a long hex string");
        expect(await keyMaterialKind(sample("base64 key"))).to.equal("a long base64 string");
    });

    it("takes a hex digest under a digest name for an identifier, and ordinary config for nothing", async () => {
        const digest = randomBytes(20).toString("hex");
        expect(await keyMaterialKind(digest, "GIT_COMMIT_SHA")).to.equal(undefined);
        expect(await keyMaterialKind(digest, "CACHE_SALT")).to.equal("a long hex string");
        expect(await keyMaterialKind("netra-staging:us-central1:netra-postgres")).to.equal(undefined);
        expect(await keyMaterialKind("")).to.equal(undefined);
    });
});
