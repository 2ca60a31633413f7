import { expect } from "chai";
import { cloudrunPrivateServiceIngress } from "../../policies/cloudrun-private-service-ingress";
import { compliantWorkload, FUNCTION_SHAPE, SHAPES, v1ServiceProps, v2ServiceProps } from "./fixtures";
import { runResourcePolicy, UNKNOWN_VALUE } from "./harness";

const CONFIG = { publicServices: ["netra-frontend-staging"] };
const SERVICE = "gcp:cloudrunv2/service:Service";
const V1_SERVICE = "gcp:cloudrun/service:Service";

/** The advice for a v2 service named `name`. */
const openV2 = (name: string): string =>
    `The Cloud Run service "${name}" accepts traffic from the internet (ingress is all or unset) but the policy config does not ` +
    "list it under publicServices; restrict ingress to internal traffic, or list it if it is meant to be public.";

/** A compliant v2 service named `name` with `ingress` (omitted when undefined). */
function v2Service(name: unknown, ingress?: unknown): Record<string, unknown> {
    return { ...v2ServiceProps(compliantWorkload()), name, ...(ingress === undefined ? {} : { ingress }) };
}

const advice = async (type: string, props: Record<string, unknown>, config: unknown = CONFIG): Promise<string[]> =>
    (await runResourcePolicy(cloudrunPrivateServiceIngress, { type, props, config: config as Record<string, unknown> })).violations;

describe("policy cloudrun-private-service-ingress", () => {
    it("is advisory", () => {
        expect(cloudrunPrivateServiceIngress.enforcementLevel).to.equal("advisory");
    });

    const ingressCases: [string, (props: Record<string, unknown>) => Record<string, unknown>, string][] = [
        ["v2 service", (props) => ({ ...props, ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY" }), "ingress"],
        [
            "v1 service",
            (props) => ({ ...props, metadata: { annotations: { "run.googleapis.com/ingress": "internal-and-cloud-load-balancing" } } }),
            "metadata.annotations.run.googleapis.com/ingress",
        ],
        [
            "gen2 function",
            (props) => ({ ...props, serviceConfig: { ...(props.serviceConfig as object), ingressSettings: "ALLOW_INTERNAL_AND_GCLB" } }),
            "serviceConfig.ingressSettings",
        ],
    ];
    for (const [label, restrict, setting] of ingressCases) {
        const shape = [...SHAPES, FUNCTION_SHAPE].find((candidate) => candidate.label === label)!;
        it(`advises on a ${label} with ingress all (or unset) that is not listed, and accepts it restricted or listed`, async () => {
            const open = { ...shape.build(compliantWorkload()), name: "netra-admin" } as Record<string, unknown>;
            delete open.ingress;
            delete open.metadata;
            if (label === "gen2 function") {
                open.serviceConfig = { ...(open.serviceConfig as object), ingressSettings: "ALLOW_ALL" };
            }
            const run = (props: Record<string, unknown>, config: Record<string, unknown> = CONFIG) =>
                runResourcePolicy(cloudrunPrivateServiceIngress, { type: shape.type, props, config });
            expect((await run(open)).violations).to.deep.equal([
                `The ${shape.noun} "netra-admin" accepts traffic from the internet (${setting} is all or unset) but the policy config does not ` +
                    `list it under publicServices; restrict ${setting} to internal traffic, or list it if it is meant to be public.`,
            ]);
            expect((await run(restrict(open))).violations).to.deep.equal([]);
            expect((await run(open, { publicServices: ["netra-admin"] })).violations).to.deep.equal([]);
        });
    }

    it("does not judge jobs and worker pools, which take no requests", async () => {
        for (const shape of SHAPES.filter((candidate) => candidate.label === "v2 job" || candidate.label === "v2 worker pool")) {
            const result = await runResourcePolicy(cloudrunPrivateServiceIngress, {
                type: shape.type,
                props: shape.build(compliantWorkload()),
                config: CONFIG,
            });
            expect(result, shape.label).to.deep.equal({ violations: [], urns: [] });
        }
    });

    it("takes publicServices from its config, a list of unique names that defaults to none", () => {
        expect(cloudrunPrivateServiceIngress.configSchema).to.deep.equal({
            properties: {
                publicServices: {
                    type: "array",
                    items: { type: "string", minLength: 1 },
                    uniqueItems: true,
                    default: [],
                    description:
                        "Names of the Cloud Run services and functions that the internet may call (an allUsers or allAuthenticatedUsers invoker, ingress all).",
                },
            },
        });
    });

    it("reads every spelling of `all`, in any case and with spaces, and only those, as open", async () => {
        for (const ingress of ["INGRESS_TRAFFIC_ALL", "ingress_traffic_all", " all ", "ALL", "ALLOW_ALL", ""]) {
            expect(await advice(SERVICE, v2Service("netra-admin", ingress)), JSON.stringify(ingress)).to.deep.equal([
                openV2("netra-admin"),
            ]);
        }
        for (const ingress of ["INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "internal", "none"]) {
            expect(await advice(SERVICE, v2Service("netra-admin", ingress)), ingress).to.deep.equal([]);
        }
    });

    it("reads a v1 service's annotation `all` as open, naming the annotation", async () => {
        const props = { ...v1ServiceProps(compliantWorkload()), metadata: { annotations: { "run.googleapis.com/ingress": "all" } } };
        expect(await advice(V1_SERVICE, props)).to.deep.equal([
            'The Cloud Run (v1) service "netra-legacy" accepts traffic from the internet (metadata.annotations.run.googleapis.com/ingress is ' +
                "all or unset) but the policy config does not list it under publicServices; restrict " +
                "metadata.annotations.run.googleapis.com/ingress to internal traffic, or list it if it is meant to be public.",
        ]);
    });

    it("matches listed names whole, in any case, against the service's name or the last segment of its resource name", async () => {
        expect(await advice(SERVICE, v2Service("netra-admin"), { publicServices: ["NETRA-ADMIN"] })).to.deep.equal([]);
        expect(
            await advice(SERVICE, v2Service("netra-admin"), {
                publicServices: ["projects/netra-staging/locations/us-central1/services/netra-admin"],
            }),
        ).to.deep.equal([]);
        expect(
            await advice(SERVICE, v2Service("projects/netra-staging/locations/us-central1/services/Netra-Admin"), {
                publicServices: ["netra-admin"],
            }),
        ).to.deep.equal([]);
        expect(await advice(SERVICE, v2Service("netra-admin"), { publicServices: ["netra-admin-v2", "netra", "admin"] })).to.deep.equal([
            openV2("netra-admin"),
        ]);
    });

    it("reads a missing or malformed config as listing no service", async () => {
        for (const config of [{}, { publicServices: "netra-admin" }, { publicServices: [7, null] }, null, "netra-admin"]) {
            expect(await advice(SERVICE, v2Service("netra-admin"), config), JSON.stringify(config)).to.deep.equal([openV2("netra-admin")]);
        }
        expect(await advice(SERVICE, v2Service("netra-admin"), { publicServices: [7, "netra-admin"] })).to.deep.equal([]);
    });

    it("leaves a name or an ingress not known yet (preview) to the update run, and a service without a name alone", async () => {
        expect(await advice(SERVICE, v2Service(UNKNOWN_VALUE))).to.deep.equal([]);
        expect(await advice(SERVICE, v2Service("netra-admin", UNKNOWN_VALUE))).to.deep.equal([]);
        const nameless = v2Service("netra-admin");
        delete nameless.name;
        expect(await advice(SERVICE, nameless)).to.deep.equal([]);
    });

    it("does not apply to resources that are not workloads", async () => {
        const result = await runResourcePolicy(cloudrunPrivateServiceIngress, { type: "gcp:storage/bucket:Bucket", props: { name: "x" } });
        expect(result.notApplicable).to.equal(
            "Policy only applies to Cloud Run workloads (gcp:cloudrunv2/service:Service, gcp:cloudrunv2/job:Job, " +
                "gcp:cloudrunv2/workerPool:WorkerPool, gcp:cloudrun/service:Service, gcp:cloudfunctionsv2/function:Function)",
        );
    });

    it("is named cloudrun-private-service-ingress and describes itself in a full sentence", () => {
        expect(cloudrunPrivateServiceIngress.name).to.equal("cloudrun-private-service-ingress");
        expect(cloudrunPrivateServiceIngress.description).to.equal(
            "A Cloud Run service or function that the stack's policy config does not list under publicServices restricts its ingress " +
                "to internal traffic (or internal and Cloud Load Balancing).",
        );
    });
});
