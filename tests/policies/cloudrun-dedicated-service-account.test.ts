import { expect } from "chai";
import { cloudrunDedicatedServiceAccount } from "../../policies/cloudrun-dedicated-service-account";
import { NOT_A_WORKLOAD } from "../../policies/lib/workloads";
import { AUTH_ACCOUNT_EMAIL, compliantContainer, FUNCTION_SHAPE, SHAPES } from "./fixtures";
import { runResourcePolicy, UNKNOWN_VALUE } from "./harness";

/** Where each shape sets its account, and its nouns, as messages spell them. */
const ACCOUNT_PATHS: Record<string, [string, string, string]> = {
    "v2 service": ["template.serviceAccount", "Cloud Run service", "service"],
    "v2 job": ["template.template.serviceAccount", "Cloud Run job", "job"],
    "v2 worker pool": ["template.serviceAccount", "Cloud Run worker pool", "worker pool"],
    "v1 service": ["template.spec.serviceAccountName", "Cloud Run (v1) service", "service"],
    "gen2 function": ["serviceConfig.serviceAccountEmail", "Cloud Function (gen2)", "function"],
};

describe("policy cloudrun-dedicated-service-account", () => {
    it("is mandatory", () => {
        expect(cloudrunDedicatedServiceAccount.enforcementLevel).to.equal("mandatory");
    });

    for (const shape of [...SHAPES, FUNCTION_SHAPE]) {
        describe(`on a ${shape.label}`, () => {
            const [where, noun, short] = ACCOUNT_PATHS[shape.label];
            const run = (serviceAccount: unknown) =>
                runResourcePolicy(cloudrunDedicatedServiceAccount, {
                    type: shape.type,
                    props: shape.build({ containers: [compliantContainer("api")], serviceAccount }),
                });

            it("accepts an account of its own", async () => {
                expect(await run(AUTH_ACCOUNT_EMAIL)).to.deep.equal({ violations: [], urns: [] });
            });

            it("rejects no account at all: it would run as the default compute account", async () => {
                expect((await run(undefined)).violations).to.deep.equal([
                    `The ${noun} sets no ${where}, so it runs as the project's default compute account, which every unconfigured ` +
                        `workload shares; create a service account for this ${short} and set ${where} to its email.`,
                ]);
            });

            for (const [email, what] of [
                ["123456789012-compute@developer.gserviceaccount.com", "the project's default compute account"],
                ["netra-staging@appspot.gserviceaccount.com", "the App Engine default account"],
            ]) {
                it(`rejects ${what} set by name`, async () => {
                    expect((await run(email.toUpperCase())).violations).to.deep.equal([
                        `The ${noun} runs as ${email}, ${what}, which other workloads share; create a service account for this ${short} ` +
                            `and set ${where} to its email.`,
                    ]);
                });
            }

            it("leaves an account not known yet (preview) to the update run", async () => {
                expect(await run(UNKNOWN_VALUE)).to.deep.equal({ violations: [], urns: [] });
            });
        });
    }

    it("does not apply to other resources", async () => {
        const result = await runResourcePolicy(cloudrunDedicatedServiceAccount, { type: "gcp:storage/bucket:Bucket", props: {} });
        expect(result.notApplicable).to.equal(NOT_A_WORKLOAD);
    });
});
