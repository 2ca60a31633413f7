import { expect } from "chai";
import { cloudrunNoPlaintextSecrets } from "../../policies/cloudrun-no-plaintext-secrets";
import { CLOUD_RUN_V2_SERVICE } from "../../policies/lib/resource-types";
import { NON_SECRET_ENTRIES, secretEntries, unclaimedSecretEntries, type CorpusEntry } from "./env-corpus";
import { KEY_MATERIAL_FORMS } from "./key-material-samples";
import { v2ServiceProps } from "./fixtures";
import { runResourcePolicy } from "./harness";

/** The policy's verdict on one variable, set alone in a container: its messages. */
async function verdict(entry: CorpusEntry): Promise<string[]> {
    const props = v2ServiceProps({ containers: [{ name: "api", envs: [{ name: entry.name, value: entry.value }] }] });
    return (await runResourcePolicy(cloudrunNoPlaintextSecrets, { type: CLOUD_RUN_V2_SERVICE, props })).violations;
}

describe("cloudrun-no-plaintext-secrets on a labelled corpus of variables", () => {
    const secrets = secretEntries();
    const unclaimed = unclaimedSecretEntries();

    it("holds at least 200 entries, half of them or more real non-secret configuration", () => {
        expect(NON_SECRET_ENTRIES.length + secrets.length + unclaimed.length).to.be.at.least(200);
        expect(NON_SECRET_ENTRIES.length).to.be.at.least(150);
        expect(new Set(NON_SECRET_ENTRIES.map((entry) => entry.name)).size).to.equal(NON_SECRET_ENTRIES.length);
    });

    it("raises no false alarm on the non-secret half", async () => {
        const alarms: string[] = [];
        for (const entry of NON_SECRET_ENTRIES) {
            alarms.push(...(await verdict(entry)));
        }
        expect(alarms).to.deep.equal([]);
    });

    it("catches every claimed form of key material under a neutral name, naming the kind and never the value", async () => {
        for (const entry of secrets.filter((candidate) => candidate.source !== "secret name")) {
            const kind = KEY_MATERIAL_FORMS.find((form) => form.form === entry.source)?.kind;
            const messages = await verdict(entry);
            expect(messages, `${entry.source} under ${entry.name}`).to.deep.equal([
                `Container "api" sets ${entry.name} to a literal that looks like key material (${kind}); ` +
                    "store it in Secret Manager and reference it with a secretKeyRef.",
            ]);
            expect(messages.join("\n")).not.to.include(entry.value.trim());
        }
    });

    it("refuses every secret-named variable given as a literal", async () => {
        for (const entry of secrets.filter((candidate) => candidate.source === "secret name")) {
            const messages = await verdict(entry);
            expect(messages, entry.name).to.have.length(1);
            expect(messages[0], entry.name).to.match(
                new RegExp(`^Container "api" sets ${entry.name} without a secretKeyRef, but its name marks a secret `),
            );
        }
    });

    it("has precision 1 over the whole corpus, and misses only the short passwords it does not claim (recall over claimed forms 1)", async () => {
        let truePositives = 0;
        let falsePositives = 0;
        const missed: string[] = [];
        for (const entry of [...NON_SECRET_ENTRIES, ...secrets, ...unclaimed]) {
            const flagged = (await verdict(entry)).length > 0;
            if (flagged && entry.secret) {
                truePositives += 1;
            } else if (flagged) {
                falsePositives += 1;
            } else if (entry.secret) {
                missed.push(entry.source);
            }
        }
        expect({ truePositives, falsePositives }).to.deep.equal({ truePositives: secrets.length, falsePositives: 0 });
        expect(missed).to.deep.equal(unclaimed.map((entry) => entry.source));
    });
});
