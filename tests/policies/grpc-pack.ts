/**
 * The policy pack started exactly as the Pulumi CLI starts it (run-policy-pack resolved from the pack
 * folder, type-checked, in that folder) and driven over the Analyzer gRPC protocol, configured with a
 * stack's policy config file. Shared by the tests that judge resources over the wire.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { type Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { urnOf, type StackResourceInput } from "./harness";

export const PACK_DIR = path.join(__dirname, "..", "..", "policies");

/** The staging policy config, as `--policy-pack-config policies/config/staging.json` passes it. */
export const STAGING_CONFIG = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config", "staging.json"), "utf8")) as Record<
    string,
    Record<string, unknown>
>;

export const LEVELS: Record<string, pb.EnforcementLevel> = {
    advisory: pb.EnforcementLevel.ADVISORY,
    mandatory: pb.EnforcementLevel.MANDATORY,
    disabled: pb.EnforcementLevel.DISABLED,
};

/** Starts the pack as the CLI does; resolves its port from the first stdout line. */
export function startPack(): { child: ChildProcess; port: Promise<number>; stderr: string[] } {
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
export function call<Response>(
    invoke: (callback: (error: grpc.ServiceError | null, response: Response) => void) => unknown,
): Promise<Response> {
    return new Promise((resolve, reject) => invoke((error, response) => (error ? reject(error) : resolve(response))));
}

function options(): pb.AnalyzerResourceOptions {
    return new pb.AnalyzerResourceOptions().setProtect(false);
}

export function analyzeRequest(type: string, name: string, props: Record<string, unknown>): pb.AnalyzeRequest {
    return new pb.AnalyzeRequest()
        .setType(type)
        .setName(name)
        .setUrn(urnOf(type, name))
        .setProperties(Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]))
        .setOptions(options());
}

export function stackRequest(inputs: readonly StackResourceInput[]): pb.AnalyzeStackRequest {
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

export interface Diagnostic {
    policy: string;
    level: pb.EnforcementLevel;
    message: string;
    urn: string;
}

export function diagnostics(response: pb.AnalyzeResponse): Diagnostic[] {
    return response
        .getDiagnosticsList()
        .map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage(), urn: d.getUrn() }));
}

/** A started, configured pack and its client, for one `describe` block. */
export interface PackSession {
    readonly client: AnalyzerClient;
    analyze(request: pb.AnalyzeRequest): Promise<pb.AnalyzeResponse>;
    analyzeStack(request: pb.AnalyzeStackRequest): Promise<pb.AnalyzeResponse>;
    close(): Promise<void>;
}

/** Starts the pack and sends it `config` (a policy config file's contents) with Configure. */
export async function openPack(config: Record<string, Record<string, unknown>> = STAGING_CONFIG): Promise<PackSession> {
    const pack = startPack();
    const port = await pack.port;
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const configure = new pb.ConfigureAnalyzerRequest();
    for (const [policy, entry] of Object.entries(config)) {
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
    return {
        client,
        analyze: (request) => call<pb.AnalyzeResponse>((done) => client.analyze(request, done)),
        analyzeStack: (request) => call<pb.AnalyzeResponse>((done) => client.analyzeStack(request, done)),
        close: async () => {
            client.close();
            if (pack.child.exitCode === null) {
                const exited = new Promise((resolve) => pack.child.once("exit", resolve));
                pack.child.kill("SIGKILL");
                await exited;
            }
        },
    };
}
