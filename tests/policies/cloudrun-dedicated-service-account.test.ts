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

    describe("what counts as a Google default account", () => {
        const SERVICE = "gcp:cloudrunv2/service:Service";
        const run = (serviceAccount: unknown) =>
            runResourcePolicy(cloudrunDedicatedServiceAccount, {
                type: SERVICE,
                props: { name: "netra-api", template: { serviceAccount, containers: [{ image: "gcr.io/p/a:1" }] } },
            });
        const defaultSet = (email: string, what: string): string =>
            `The Cloud Run service runs as ${email}, ${what}, which other workloads share; create a service account for this service ` +
            "and set template.serviceAccount to its email.";

        it("reads the account trimmed and lower-cased, and names it so", async () => {
            expect((await run("  123456789012-Compute@Developer.GServiceAccount.com\n")).violations).to.deep.equal([
                defaultSet("123456789012-compute@developer.gserviceaccount.com", "the project's default compute account"),
            ]);
        });

        it("reads a blank account as none", async () => {
            for (const blank of ["", "   "]) {
                expect((await run(blank)).violations, JSON.stringify(blank)).to.deep.equal([
                    "The Cloud Run service sets no template.serviceAccount, so it runs as the project's default compute account, which every " +
                        "unconfigured workload shares; create a service account for this service and set template.serviceAccount to its email.",
                ]);
            }
        });

        it("knows the App Engine account of a project id with one dot (a domain-scoped project)", async () => {
            expect((await run("netra.example@appspot.gserviceaccount.com")).violations).to.deep.equal([
                defaultSet("netra.example@appspot.gserviceaccount.com", "the App Engine default account"),
            ]);
        });

        it("accepts accounts that only resemble a default one: matched whole, not in part", async () => {
            for (const email of [
                "ci-123456789012-compute@developer.gserviceaccount.com",
                "123456789012-compute@developer.gserviceaccount.com.example.com",
                "123456789012-compute@developerxgserviceaccount.com",
                "abc-compute@developer.gserviceaccount.com",
                "-compute@developer.gserviceaccount.com",
                "netra@appspot.gserviceaccount.com.example.com",
                "netra@appspotxgserviceaccount.com",
                "ops+netra@appspot.gserviceaccount.com",
                "a.b.c@appspot.gserviceaccount.com",
                "@appspot.gserviceaccount.com",
                "netra-appspot@netra-staging.iam.gserviceaccount.com",
            ]) {
                expect(await run(email), email).to.deep.equal({ violations: [], urns: [] });
            }
        });

        it("judges nothing of a v2 workload without a template (malformed: other policies report it) or one not known yet", async () => {
            expect(await runResourcePolicy(cloudrunDedicatedServiceAccount, { type: SERVICE, props: { name: "netra-api" } })).to.deep.equal(
                {
                    violations: [],
                    urns: [],
                },
            );
            expect(
                await runResourcePolicy(cloudrunDedicatedServiceAccount, {
                    type: SERVICE,
                    props: { name: "netra-api", template: UNKNOWN_VALUE },
                }),
            ).to.deep.equal({ violations: [], urns: [] });
        });

        it("reads a function without serviceConfig as running as the default compute account", async () => {
            const result = await runResourcePolicy(cloudrunDedicatedServiceAccount, {
                type: FUNCTION_SHAPE.type,
                props: { name: "netra-webhook", buildConfig: { runtime: "nodejs20", entryPoint: "handler" } },
            });
            expect(result.violations).to.deep.equal([
                "The Cloud Function (gen2) sets no serviceConfig.serviceAccountEmail, so it runs as the project's default compute account, " +
                    "which every unconfigured workload shares; create a service account for this function and set " +
                    "serviceConfig.serviceAccountEmail to its email.",
            ]);
        });
    });

    it("is named cloudrun-dedicated-service-account and describes itself in a full sentence", () => {
        expect(cloudrunDedicatedServiceAccount.name).to.equal("cloudrun-dedicated-service-account");
        expect(cloudrunDedicatedServiceAccount.description).to.equal(
            "Every Cloud Run service, job, worker pool and function runs as a service account of its own, never the project's default " +
                "compute account or the App Engine default account.",
        );
    });
});
