import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { PACK_NAME, policies } from "../../policies/policy-list";
import { cloudrunRequiredEnvVars } from "../../policies/cloudrun-required-env-vars";
import { cloudrunReservedEnvNames } from "../../policies/cloudrun-reserved-env-names";
import { secretAccessScopedToServiceAccount } from "../../policies/secret-access-scoped-to-service-account";
import { CLOUD_RUN_V2_SERVICE } from "../../policies/lib/resource-types";
import { compliantContainer, compliantWorkload, v2ServiceProps, withEnv, withoutEnv } from "./fixtures";
import { UNKNOWN_VALUE, urnOf, type StackResourceInput } from "./harness";
import { grantName, removeResource, serviceName, stagingStack } from "./stack-fixtures";

const PACK_DIR = path.join(__dirname, "..", "..", "policies");
const STAGING_CONFIG = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config", "staging.json"), "utf8")) as Record<
    string,
    Record<string, unknown>
>;

const LEVELS: Record<string, pb.EnforcementLevel> = {
    advisory: pb.EnforcementLevel.ADVISORY,
    mandatory: pb.EnforcementLevel.MANDATORY,
    disabled: pb.EnforcementLevel.DISABLED,
};

/** Starts the pack exactly as the Pulumi CLI does: run-policy-pack resolved from the pack folder, type-checked, in that folder. */
function startPack(): { child: ChildProcess; port: Promise<number>; stderr: string[] } {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
    const env = {
        ...process.env,
        PULUMI_NODEJS_STACK: "staging",
        PULUMI_STACK: "staging",
        PULUMI_NODEJS_PROJECT: "netra-staging",
        PULUMI_NODEJS_DRY_RUN: "true",
    };
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: PACK_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    const stderr: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    const port = new Promise<number>((resolve, reject) => {
        const lines = readline.createInterface({ input: child.stdout! });
        lines.once("line", (line) => resolve(Number(line.trim())));
        child.once("exit", (code) => reject(new Error(`pack exited with ${code} before printing its port: ${stderr.join("")}`)));
    });
    return { child, port, stderr };
}

/** Calls a unary RPC as a promise: `invoke` passes the callback to one client method. */
function call<Response>(invoke: (callback: (error: grpc.ServiceError | null, response: Response) => void) => unknown): Promise<Response> {
    return new Promise((resolve, reject) => invoke((error, response) => (error ? reject(error) : resolve(response))));
}

function options(): pb.AnalyzerResourceOptions {
    return new pb.AnalyzerResourceOptions().setProtect(false);
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>): pb.AnalyzeRequest {
    return new pb.AnalyzeRequest()
        .setType(type)
        .setName(name)
        .setUrn(urnOf(type, name))
        .setProperties(Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]))
        .setOptions(options());
}

function stackRequest(inputs: readonly StackResourceInput[]): pb.AnalyzeStackRequest {
    const urns = new Map(inputs.map((input) => [input.name, urnOf(input.type, input.name)]));
    const request = new pb.AnalyzeStackRequest();
    for (const input of inputs) {
        const resource = new pb.AnalyzerResource()
            .setType(input.type)
            .setName(input.name)
            .setUrn(urnOf(input.type, input.name))
            .setProperties(Struct.fromJavaScript(input.props as Parameters<typeof Struct.fromJavaScript>[0]))
            .setOptions(options())
            .setDependenciesList((input.dependencies ?? []).map((name) => urns.get(name)!));
        for (const [key, names] of Object.entries(input.propertyDependencies ?? {})) {
            resource
                .getPropertydependenciesMap()
                .set(key, new pb.AnalyzerPropertyDependencies().setUrnsList(names.map((name) => urns.get(name)!)));
        }
        request.addResources(resource);
    }
    return request;
}

interface Diagnostic {
    policy: string;
    level: pb.EnforcementLevel;
    message: string;
    urn: string;
}

function diagnostics(response: pb.AnalyzeResponse): Diagnostic[] {
    return response
        .getDiagnosticsList()
        .map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage(), urn: d.getUrn() }));
}

describe("the policy pack, started as the Pulumi CLI starts it and driven over gRPC", function () {
    this.timeout(60_000);
    let pack: ReturnType<typeof startPack>;
    let client: AnalyzerClient;
    const analyze = (request: pb.AnalyzeRequest) => call<pb.AnalyzeResponse>((done) => client.analyze(request, done));
    const analyzeStack = (request: pb.AnalyzeStackRequest) => call<pb.AnalyzeResponse>((done) => client.analyzeStack(request, done));

    before(async () => {
        pack = startPack();
        const port = await pack.port;
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const configure = new pb.ConfigureAnalyzerRequest();
        for (const [policy, entry] of Object.entries(STAGING_CONFIG)) {
            const { enforcementLevel, ...properties } = entry;
            configure
                .getPolicyconfigMap()
                .set(
                    policy,
                    new pb.PolicyConfig()
                        .setEnforcementlevel(LEVELS[String(enforcementLevel)])
                        .setProperties(Struct.fromJavaScript(properties as Parameters<typeof Struct.fromJavaScript>[0])),
                );
        }
        await call<Empty>((done) => client.configure(configure, done));
    });

    after(async () => {
        client?.close();
        if (pack?.child.exitCode === null) {
            const exited = new Promise((resolve) => pack.child.once("exit", resolve));
            pack.child.kill("SIGKILL");
            await exited;
        }
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
