import { expect } from "chai";
import { cloudrunReservedEnvNames } from "../../policies/cloudrun-reserved-env-names";
import { compliantContainer, compliantWorkload, FUNCTION_SHAPE, SHAPES, withEnv } from "./fixtures";
import { runResourcePolicy, UNKNOWN_VALUE } from "./harness";

const RESERVED = "PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*";
const RESERVED_OUTSIDE_INGRESS = "K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*";
const RESERVED_IN_FUNCTIONS =
    "PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, FUNCTION_TARGET, FUNCTION_SIGNATURE_TYPE, CLOUD_RUN_*, X_GOOGLE_*";
const reserved = (variable: string, list = RESERVED, container = 'Container "api"'): string =>
    `${container} sets ${variable}, which Cloud Run sets itself and refuses in a deploy; remove it (reserved: ${list}).`;
/** Shapes that take requests: their one container, or the one with ports, gets PORT. */
const SERVES_REQUESTS = new Set(["v2 service", "v1 service"]);

describe("policy cloudrun-reserved-env-names", () => {
    it("is mandatory and lists the reserved names in its description", () => {
        expect(cloudrunReservedEnvNames.enforcementLevel).to.equal("mandatory");
        expect(cloudrunReservedEnvNames.description).to.equal(
            `No Cloud Run container sets a variable that Cloud Run reserves for itself (${RESERVED_OUTSIDE_INGRESS}; ` +
                "also PORT in the container that takes a service's requests, and FUNCTION_TARGET, FUNCTION_SIGNATURE_TYPE in a function).",
        );
    });

    for (const shape of SHAPES) {
        describe(`on a ${shape.label}`, () => {
            const run = (name: string, value: unknown = "x") =>
                runResourcePolicy(cloudrunReservedEnvNames, {
                    type: shape.type,
                    props: shape.build(compliantWorkload({ containers: [withEnv(compliantContainer("api"), { name, value })] })),
                });

            it("accepts the ordinary variables", async () => {
                expect(await run("WEBSOCKET_HEARTBEAT_INTERVAL", "15")).to.deep.equal({ violations: [], urns: [] });
            });

            const list = SERVES_REQUESTS.has(shape.label) ? RESERVED : RESERVED_OUTSIDE_INGRESS;
            for (const name of [
                "K_SERVICE",
                "K_REVISION",
                "K_CONFIGURATION",
                "CLOUD_RUN_TASK_INDEX",
                "CLOUD_RUN_JOB",
                "X_GOOGLE_FUNCTION",
            ]) {
                it(`rejects ${name}`, async () => {
                    expect((await run(name)).violations).to.deep.equal([reserved(name, list)]);
                });
            }

            if (SERVES_REQUESTS.has(shape.label)) {
                it("rejects PORT in its only container, which takes the requests", async () => {
                    expect((await run("PORT")).violations).to.deep.equal([reserved("PORT")]);
                });

                it("accepts PORT on a sidecar and rejects it on the container that declares ports", async () => {
                    const ingress = { ...withEnv(compliantContainer("api"), { name: "PORT", value: "8080" }), port: 8080 };
                    const sidecar = withEnv(compliantContainer("collector"), { name: "PORT", value: "4317" });
                    const props = shape.build(compliantWorkload({ containers: [sidecar, ingress] }));
                    expect((await runResourcePolicy(cloudrunReservedEnvNames, { type: shape.type, props })).violations).to.deep.equal([
                        reserved("PORT"),
                    ]);
                    const twin = shape.build(compliantWorkload({ containers: [sidecar, { ...compliantContainer("api"), port: 8080 }] }));
                    expect(await runResourcePolicy(cloudrunReservedEnvNames, { type: shape.type, props: twin })).to.deep.equal({
                        violations: [],
                        urns: [],
                    });
                });
            } else {
                it(`accepts PORT: a ${shape.label} takes no requests, so Cloud Run does not set it`, async () => {
                    expect(await run("PORT")).to.deep.equal({ violations: [], urns: [] });
                });
            }

            it("does not reserve look-alikes: K_SERVICES_URL, PORTAL, CLOUDRUN_REGION", async () => {
                for (const name of ["K_SERVICES_URL", "PORTAL", "CLOUDRUN_REGION"]) {
                    expect((await run(name)).violations, name).to.deep.equal([]);
                }
            });

            it("reads only names: a reserved name with an unknown value is reported during preview", async () => {
                expect(await run("K_SERVICE", UNKNOWN_VALUE)).to.deep.equal({
                    violations: [reserved("K_SERVICE", list)],
                    urns: [undefined],
                });
            });
        });
    }

    describe("on a gen2 function", () => {
        const run = (name: string) =>
            runResourcePolicy(cloudrunReservedEnvNames, {
                type: FUNCTION_SHAPE.type,
                props: FUNCTION_SHAPE.build(compliantWorkload({ containers: [withEnv(compliantContainer("api"), { name, value: "x" })] })),
            });

        for (const name of ["PORT", "K_SERVICE", "FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE", "X_GOOGLE_FUNCTION"]) {
            it(`rejects ${name} in environmentVariables`, async () => {
                expect((await run(name)).violations).to.deep.equal([reserved(name, RESERVED_IN_FUNCTIONS, "The function")]);
            });
        }

        it("accepts the ordinary variables", async () => {
            expect(await run("WEBHOOK_TIMEOUT_SECONDS")).to.deep.equal({ violations: [], urns: [] });
        });
    });
});
