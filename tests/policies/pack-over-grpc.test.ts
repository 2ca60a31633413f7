import { expect } from "chai";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { PACK_NAME, policies } from "../../policies/policy-list";
import { cloudrunRequiredEnvVars } from "../../policies/cloudrun-required-env-vars";
import { cloudrunReservedEnvNames } from "../../policies/cloudrun-reserved-env-names";
import { secretAccessScopedToServiceAccount } from "../../policies/secret-access-scoped-to-service-account";
import { CLOUD_RUN_V2_SERVICE } from "../../policies/lib/resource-types";
import { compliantContainer, compliantWorkload, v2ServiceProps, withEnv, withoutEnv } from "./fixtures";
import { analyzeRequest, call, diagnostics, LEVELS, openPack, stackRequest, type PackSession } from "./grpc-pack";
import { UNKNOWN_VALUE, urnOf } from "./harness";
import { grantName, removeResource, serviceName, stagingStack } from "./stack-fixtures";

describe("the policy pack, started as the Pulumi CLI starts it and driven over gRPC", function () {
    this.timeout(60_000);
    let pack: PackSession;
    let client: AnalyzerClient;
    const analyze = (request: pb.AnalyzeRequest) => pack.analyze(request);
    const analyzeStack = (request: pb.AnalyzeStackRequest) => pack.analyzeStack(request);

    before(async () => {
        pack = await openPack();
        client = pack.client;
    });

    after(async () => {
        await pack?.close();
    });

    it("announces its name, the package version and every policy with its enforcement level", async () => {
        const info = await call<pb.AnalyzerInfo>((done) => client.getAnalyzerInfo(new Empty(), done));
        expect(info.getName()).to.equal(PACK_NAME);
        expect(info.getVersion()).to.equal("0.1.0");
        expect(info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()])).to.deep.equal(
            policies.map((policy) => [policy.name, LEVELS[policy.enforcementLevel ?? "advisory"]]),
        );
    });

    it("reports a missing ENVIRONMENT and a reserved name, prefixed with the policy description as the SDK does", async () => {
        const container = withEnv(withoutEnv(compliantContainer("api"), "ENVIRONMENT"), { name: "PORT", value: "8080" });
        const response = await analyze(
            analyzeRequest(CLOUD_RUN_V2_SERVICE, "auth-service", v2ServiceProps(compliantWorkload({ containers: [container] }))),
        );
        expect(diagnostics(response).filter((d) => d.level === pb.EnforcementLevel.MANDATORY)).to.deep.equal([
            {
                policy: "cloudrun-required-env-vars",
                level: pb.EnforcementLevel.MANDATORY,
                message:
                    `${cloudrunRequiredEnvVars.description}\n` +
                    'Container "api" does not set ENVIRONMENT; every Cloud Run container must declare it ' +
                    "explicitly, or the service guesses its environment (the WebSocket 1011 incident).",
                urn: "",
            },
            {
                policy: "cloudrun-reserved-env-names",
                level: pb.EnforcementLevel.MANDATORY,
                message:
                    `${cloudrunReservedEnvNames.description}\nContainer "api" sets PORT, which Cloud Run sets itself and refuses in a deploy; ` +
                    "remove it (reserved: PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, CLOUD_RUN_*, X_GOOGLE_*).",
                urn: "",
            },
        ]);
    });

    it("applies the staging config: GCP_PROJECT_ID is required there", async () => {
        const container = withoutEnv(compliantContainer("api"), "GCP_PROJECT_ID");
        const response = await analyze(
            analyzeRequest(CLOUD_RUN_V2_SERVICE, "auth-service", v2ServiceProps(compliantWorkload({ containers: [container] }))),
        );
        expect(diagnostics(response).map((d) => d.message.split("\n")[1])).to.deep.equal([
            'Container "api" does not set GCP_PROJECT_ID, which the config of policy cloudrun-required-env-vars requires in every container.',
        ]);
    });

    it('runs every policy on a preview with unknowns: no policy is downgraded to "can\'t run during preview"', async () => {
        const container = withEnv(compliantContainer("api"), {
            name: "E2E_OAUTH_SIMULATION_KEY",
            secret: UNKNOWN_VALUE,
            version: UNKNOWN_VALUE,
        });
        const props = v2ServiceProps({ containers: [{ ...container, image: UNKNOWN_VALUE }], serviceAccount: UNKNOWN_VALUE });
        const response = await analyze(analyzeRequest(CLOUD_RUN_V2_SERVICE, "auth-service", props));
        expect(diagnostics(response)).to.deep.equal([]);
    });

    it("checks scoped secret access on the whole stack, matching unknown emails by property dependencies", async () => {
        expect(diagnostics(await analyzeStack(stackRequest(stagingStack({ preview: true, unknownE2eSecretId: true }))))).to.deep.equal([]);
        const broken = removeResource(stagingStack({ preview: true }), grantName("auth", "oauth-hmac-secret-staging"));
        expect(diagnostics(await analyzeStack(stackRequest(broken)))).to.deep.equal([
            {
                policy: "secret-access-scoped-to-service-account",
                level: pb.EnforcementLevel.MANDATORY,
                message:
                    `${secretAccessScopedToServiceAccount.description}\n` +
                    'Cloud Run service "auth-service" reads secret "oauth-hmac-secret-staging", but no ' +
                    'secret-level roles/secretmanager.secretAccessor grant on it names the service\'s own account, service account "auth-sa" ' +
                    "(netra-auth@netra-staging.iam.gserviceaccount.com).",
                urn: urnOf(CLOUD_RUN_V2_SERVICE, serviceName("auth")),
            },
        ]);
    });
});
