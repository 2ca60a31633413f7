/**
 * A promise-based client for the pulumirpc.Analyzer gRPC service a policy pack serves, built on
 * the generated stubs in `@pulumi/pulumi/proto` (the same ones the pack's server uses).
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

/**
 * The CLI raises gRPC's message limits to 400 MB (rpcutil.GrpcChannelOptions); so do we for what we
 * receive (grpc-js's default is 4 MB). What we send has no limit in grpc-js unless one is set.
 */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

type Callback<Res> = (error: grpc.ServiceError | null, response: Res) => void;
type UnaryMethod<Req, Res> = (
    request: Req,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: Callback<Res>,
) => grpc.ClientUnaryCall;

/** What an encoded call needs of a method of the generated service definition. */
interface EncodedMethod<Res> {
    readonly path: string;
    readonly responseDeserialize: (bytes: Buffer) => Res;
}

/** True when a gRPC error means the method does not exist on the server. */
export function isUnimplemented(error: unknown): boolean {
    return (error as Partial<grpc.ServiceError> | undefined)?.code === grpc.status.UNIMPLEMENTED;
}

/** True when a gRPC error means the server could not be reached (e.g. its process is gone). */
export function isUnavailable(error: unknown): boolean {
    return (error as Partial<grpc.ServiceError> | undefined)?.code === grpc.status.UNAVAILABLE;
}

/** True when a call (or the wait for a connection) ran out of time. */
export function isDeadlineExceeded(error: unknown): boolean {
    if ((error as Partial<grpc.ServiceError> | undefined)?.code === grpc.status.DEADLINE_EXCEEDED) {
        return true;
    }
    // waitForReady fails with a plain Error("Failed to connect before the deadline").
    return error instanceof Error && /deadline/i.test(error.message);
}

/** The Analyzer methods the policy pack host calls, each with a deadline. */
export class AnalyzerClient {
    private readonly client: analyzerGrpc.AnalyzerClient;

    constructor(
        port: number,
        private readonly timeoutMs: number,
    ) {
        this.client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
        });
    }

    /** Resolves once the channel is connected, as the CLI waits before its first call. */
    waitForReady(timeoutMs: number): Promise<void> {
        return new Promise((resolve, reject) => {
            this.client.waitForReady(Date.now() + timeoutMs, (error) => (error ? reject(error) : resolve()));
        });
    }

    handshake(request: analyzerPb.AnalyzerHandshakeRequest): Promise<analyzerPb.AnalyzerHandshakeResponse> {
        return this.unary(this.client.handshake, request);
    }

    configureStack(request: analyzerPb.AnalyzerStackConfigureRequest): Promise<analyzerPb.AnalyzerStackConfigureResponse> {
        return this.unary(this.client.configureStack, request);
    }

    getAnalyzerInfo(): Promise<analyzerPb.AnalyzerInfo> {
        return this.unary(this.client.getAnalyzerInfo, new Empty());
    }

    configure(request: analyzerPb.ConfigureAnalyzerRequest): Promise<Empty> {
        return this.unary(this.client.configure, request);
    }

    /** Analyze with the request's bytes already encoded (check/analyzer-encoding.ts). */
    analyze(request: Buffer): Promise<analyzerPb.AnalyzeResponse> {
        return this.encodedUnary(analyzerGrpc.AnalyzerService.analyze, request, this.timeoutMs);
    }

    /** AnalyzeStack with encoded bytes; `timeoutMs`: this call's deadline (it carries every resource; see rpc-deadlines.ts). */
    analyzeStack(request: Buffer, timeoutMs: number): Promise<analyzerPb.AnalyzeResponse> {
        return this.encodedUnary(analyzerGrpc.AnalyzerService.analyzeStack, request, timeoutMs);
    }

    /** Closes the channel: no new call, and its connection goes once no call is pending. */
    close(): void {
        this.client.close();
    }

    /** A call whose request is sent as the bytes given, on the method's path, its answer read as the generated stub reads it. */
    private encodedUnary<Res>(method: EncodedMethod<Res>, request: Buffer, timeoutMs: number): Promise<Res> {
        return new Promise<Res>((resolve, reject) => {
            this.client.makeUnaryRequest(
                method.path,
                (bytes: Buffer) => bytes,
                method.responseDeserialize,
                request,
                new grpc.Metadata(),
                { deadline: Date.now() + timeoutMs },
                (error: grpc.ServiceError | null, response?: Res) => (error ? reject(error) : resolve(response as Res)),
            );
        });
    }

    private unary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, timeoutMs: number = this.timeoutMs): Promise<Res> {
        return new Promise<Res>((resolve, reject) => {
            method.call(this.client, request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) =>
                error ? reject(error) : resolve(response),
            );
        });
    }
}
