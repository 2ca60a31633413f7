/**
 * A pulumirpc.Analyzer server in the test's own process, for the policy pack host to talk to (a fake
 * pack prints its port). Each method answers as the test says, and every call is recorded in order.
 * A method the test leaves out answers UNIMPLEMENTED, as grpc-js does for a pack that lacks it.
 */
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { type JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";

/** A method's answer: a response, or a gRPC error to fail with. */
export type Answer = unknown | { readonly code: grpc.status; readonly details: string };

export type Handlers = Partial<
    Record<
        "handshake" | "configureStack" | "getAnalyzerInfo" | "configure" | "analyze" | "analyzeStack",
        (request: never) => Answer | Promise<Answer>
    >
>;

export interface FakeAnalyzer {
    readonly port: number;
    /** Every call, in arrival order: the method and its request. */
    readonly calls: { method: string; request: unknown }[];
    close(): Promise<void>;
    /** Ends every pending call (as a pack's death would). */
    forceClose(): void;
}

function isError(answer: Answer): answer is { code: grpc.status; details: string } {
    return typeof answer === "object" && answer !== null && "code" in answer && "details" in answer;
}

export async function startFakeAnalyzer(handlers: Handlers): Promise<FakeAnalyzer> {
    // Messages as large as the CLI's (400 MB), so a test can send and answer more than gRPC's default 4 MB.
    const server = new grpc.Server({
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    const calls: { method: string; request: unknown }[] = [];
    const implementation: Record<string, grpc.handleUnaryCall<unknown, unknown>> = {};
    for (const [method, handler] of Object.entries(handlers)) {
        if (handler === undefined) {
            continue;
        }
        implementation[method] = (call, done) => {
            calls.push({ method, request: call.request });
            void Promise.resolve((handler as (request: unknown) => Answer)(call.request)).then((answer) =>
                isError(answer) ? done(answer, null) : done(null, answer),
            );
        };
    }
    server.addService(analyzerGrpc.AnalyzerService, implementation as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
            error ? reject(error) : resolve(bound),
        ),
    );
    return {
        port,
        calls,
        close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
        forceClose: () => server.forceShutdown(),
    };
}

/** A policy as GetAnalyzerInfo lists it. */
export function policyInfo(
    name: string,
    level: pb.EnforcementLevel,
    type: pb.PolicyType,
    extra: { severity?: pb.PolicySeverity; schema?: { properties: Record<string, unknown>; required: string[] } } = {},
): pb.PolicyInfo {
    const policy = new pb.PolicyInfo()
        .setName(name)
        .setDisplayname(`${name} shown`)
        .setDescription(`${name} described`)
        .setEnforcementlevel(level)
        .setPolicyType(type)
        .setSeverity(extra.severity ?? pb.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED);
    if (extra.schema !== undefined) {
        policy.setConfigschema(
            new pb.PolicyConfigSchema()
                .setProperties(Struct.fromJavaScript(extra.schema.properties as Record<string, JavaScriptValue>))
                .setRequiredList(extra.schema.required),
        );
    }
    return policy;
}

/** A diagnostic as Analyze and AnalyzeStack return it. */
export function diagnostic(
    policy: string,
    level: pb.EnforcementLevel,
    message: string,
    extra: { urn?: string; severity?: pb.PolicySeverity } = {},
) {
    return new pb.AnalyzeDiagnostic()
        .setPolicyname(policy)
        .setPolicypackname("fake-pack")
        .setPolicypackversion("0.0.1")
        .setDescription(`${policy} described`)
        .setMessage(message)
        .setEnforcementlevel(level)
        .setUrn(extra.urn ?? "")
        .setSeverity(extra.severity ?? pb.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED);
}

export const EMPTY = new Empty();
