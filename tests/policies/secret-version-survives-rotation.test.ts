import { expect } from "chai";
import { SECRET_VERSION_SURVIVES_ROTATION_POLICY, secretVersionSurvivesRotation } from "../../policies/secret-version-survives-rotation";
import { REGIONAL_SECRET_VERSION, SECRET, SECRET_VERSION } from "../../policies/lib/resource-types";
import { runResourcePolicy, secretValue, UNKNOWN_VALUE } from "./harness";

const version = (extra: Record<string, unknown>) => ({
    type: SECRET_VERSION,
    props: { secret: "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY", secretData: secretValue(UNKNOWN_VALUE), ...extra },
});
const DESTROYS =
    'so replacing this version on a rotation destroys the old one; set deletionPolicy to "DISABLE" so a rotation can be undone.';

describe("policy secret-version-survives-rotation", () => {
    it("is advisory", () => {
        expect(secretVersionSurvivesRotation.enforcementLevel).to.equal("advisory");
    });

    for (const policy of ["DISABLE", "ABANDON", "PREVENT"]) {
        it(`accepts deletionPolicy ${policy}`, async () => {
            expect(await runResourcePolicy(secretVersionSurvivesRotation, version({ deletionPolicy: policy }))).to.deep.equal({
                violations: [],
                urns: [],
            });
        });
    }

    it("rejects an explicit DELETE, in any case", async () => {
        expect((await runResourcePolicy(secretVersionSurvivesRotation, version({ deletionPolicy: "DELETE" }))).violations).to.deep.equal([
            `deletionPolicy is "DELETE", ${DESTROYS}`,
        ]);
        expect((await runResourcePolicy(secretVersionSurvivesRotation, version({ deletionPolicy: "delete" }))).violations).to.deep.equal([
            `deletionPolicy is "delete", ${DESTROYS}`,
        ]);
    });

    it("rejects an unset deletionPolicy, which defaults to DELETE", async () => {
        for (const extra of [{}, { deletionPolicy: null }, { deletionPolicy: "" }]) {
            expect(
                (await runResourcePolicy(secretVersionSurvivesRotation, version(extra))).violations,
                JSON.stringify(extra),
            ).to.deep.equal([`deletionPolicy is unset and defaults to "DELETE", ${DESTROYS}`]);
        }
    });

    it("never reads the secret data: an unknown secret payload is no preview error", async () => {
        expect(await runResourcePolicy(secretVersionSurvivesRotation, version({ deletionPolicy: "DISABLE" }))).to.deep.equal({
            violations: [],
            urns: [],
        });
    });

    it("skips an unknown deletionPolicy during preview", async () => {
        expect(await runResourcePolicy(secretVersionSurvivesRotation, version({ deletionPolicy: UNKNOWN_VALUE }))).to.deep.equal({
            violations: [],
            urns: [],
        });
    });

    it("judges a regional secret version as a global one: its deletionPolicy defaults to DELETE too", async () => {
        const regional = (extra: Record<string, unknown>) => ({
            type: REGIONAL_SECRET_VERSION,
            props: {
                secret: "projects/netra-staging/locations/us-central1/secrets/jwt-secret",
                secretData: secretValue(UNKNOWN_VALUE),
                ...extra,
            },
        });
        expect((await runResourcePolicy(secretVersionSurvivesRotation, regional({}))).violations).to.deep.equal([
            `deletionPolicy is unset and defaults to "DELETE", ${DESTROYS}`,
        ]);
        expect((await runResourcePolicy(secretVersionSurvivesRotation, regional({ deletionPolicy: "DISABLE" }))).violations).to.deep.equal(
            [],
        );
    });

    it("is not applicable to other resource types", async () => {
        expect(await runResourcePolicy(secretVersionSurvivesRotation, { type: SECRET, props: { secretId: "x" } })).to.deep.equal({
            violations: [],
            urns: [],
            notApplicable:
                "Policy only applies to resources of type 'gcp:secretmanager/secretVersion:SecretVersion' or " +
                "'gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion'",
        });
    });

    it("is named after its file and says what it wants", () => {
        expect(SECRET_VERSION_SURVIVES_ROTATION_POLICY).to.equal("secret-version-survives-rotation");
        expect(secretVersionSurvivesRotation.description).to.equal(
            "Secret Manager secret versions (global or regional) set a deletionPolicy other than DELETE, so the version a rotation replaces stays recoverable.",
        );
    });

    it("reads DELETE with surrounding spaces as DELETE, and a deletionPolicy that is not a string as no DELETE", async () => {
        expect((await runResourcePolicy(secretVersionSurvivesRotation, version({ deletionPolicy: " Delete " }))).violations).to.deep.equal([
            `deletionPolicy is " Delete ", ${DESTROYS}`,
        ]);
        for (const deletionPolicy of [5, true, ["DELETE"]]) {
            expect(
                await runResourcePolicy(secretVersionSurvivesRotation, version({ deletionPolicy })),
                String(deletionPolicy),
            ).to.deep.equal({
                violations: [],
                urns: [],
            });
        }
    });
});
