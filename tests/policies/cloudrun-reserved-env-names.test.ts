import { expect } from "chai";
import { cloudrunReservedEnvNames } from "../../policies/cloudrun-reserved-env-names";
import { compliantContainer, compliantWorkload, SHAPES, withEnv } from "./fixtures";
import { runResourcePolicy, UNKNOWN_VALUE } from "./harness";

const RESERVED = "PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*";
const reserved = (variable: string): string =>
    `Container "api" sets ${variable}, which Cloud Run sets itself and refuses in a deploy; remove it (reserved: ${RESERVED}).`;

describe("policy cloudrun-reserved-env-names", () => {
    it("is mandatory and lists the reserved names in its description", () => {
        expect(cloudrunReservedEnvNames.enforcementLevel).to.equal("mandatory");
        expect(cloudrunReservedEnvNames.description).to.equal(
            `No Cloud Run container sets a variable that Cloud Run reserves for itself (${RESERVED}).`,
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

            for (const name of [
                "PORT",
                "K_SERVICE",
                "K_REVISION",
                "K_CONFIGURATION",
                "CLOUD_RUN_TASK_INDEX",
                "CLOUD_RUN_JOB",
                "X_GOOGLE_FUNCTION",
            ]) {
                it(`rejects ${name}`, async () => {
                    expect((await run(name)).violations).to.deep.equal([reserved(name)]);
                });
            }

            it("does not reserve look-alikes: K_SERVICES_URL, PORTAL, CLOUDRUN_REGION", async () => {
                for (const name of ["K_SERVICES_URL", "PORTAL", "CLOUDRUN_REGION"]) {
                    expect((await run(name)).violations, name).to.deep.equal([]);
                }
            });

            it("reads only names: a reserved name with an unknown value is reported during preview", async () => {
                expect(await run("PORT", UNKNOWN_VALUE)).to.deep.equal({ violations: [reserved("PORT")], urns: [undefined] });
            });
        });
    }
});
