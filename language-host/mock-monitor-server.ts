/**
 * A resource monitor for a Pulumi program run by `@pulumi/pulumi/cmd/run` in a child process, as the
 * CLI's engine would serve it, backed by the check's MockCloud instead of providers. It answers what
 * the SDK asks of a monitor (proto/resource.proto): SupportsFeature, RegisterResource,
 * RegisterResourceOutputs, Invoke (refused, as MockCloud refuses calls) and SignalAndWaitForShutdown;
 * anything else is UNIMPLEMENTED (grpc-js's default), which the SDK tolerates where the engine may
 * be older. URNs are built as the engine builds them (the root stack left out of children's types).
 */
import * as grpc from "@grpc/grpc-js";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as resourceGrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { MockCloud } from "../check/mock-cloud";

/** One registration as the monitor received it. */
export interface MonitoredResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string;
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
/** What the SDK's own mock monitor declines (runtime/mocks.js): Output objects as inputs. */
const UNSUPPORTED_FEATURES = new Set(["outputValues"]);

/** A running monitor; `address` goes to cmd/run's `--monitor`. */
export interface MockMonitorServer {
    readonly address: string;
    /** Every registration so far, in arrival order. */
    readonly resources: readonly MonitoredResource[];
    /** Resource outputs the program registered (RegisterResourceOutputs), by URN. */
    readonly outputs: ReadonlyMap<string, Record<string, unknown>>;
    close(): Promise<void>;
}

function urnOf(stack: string, project: string, parent: string, type: string, name: string): string {
    const parentType = parent === "" ? "" : parent.split("::")[2];
    const qualified = parentType === "" || parentType === ROOT_STACK_TYPE ? type : `${parentType}$${type}`;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Starts the monitor on a free local port. */
export async function startMockMonitor(cloud: MockCloud, stack: string, project: string): Promise<MockMonitorServer> {
    const resources: MonitoredResource[] = [];
    const outputs = new Map<string, Record<string, unknown>>();
    const server = new grpc.Server();
    type Call<T> = grpc.ServerUnaryCall<T, unknown>;
    type Done = grpc.sendUnaryData<unknown>;
    const implementation: Partial<grpc.UntypedServiceImplementation> = {
        supportsFeature(call: Call<resourcePb.SupportsFeatureRequest>, done: Done) {
            const response = new resourcePb.SupportsFeatureResponse();
            response.setHassupport(!UNSUPPORTED_FEATURES.has(call.request.getId()));
            done(null, response);
        },
        registerResource(call: Call<resourcePb.RegisterResourceRequest>, done: Done) {
            const request = call.request;
            const inputs = (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
            const urn = urnOf(stack, project, request.getParent(), request.getType(), request.getName());
            resources.push({
                urn,
                type: request.getType(),
                name: request.getName(),
                parent: request.getParent(),
                custom: request.getCustom(),
                inputs,
            });
            try {
                const result = cloud.newResource({
                    type: request.getType(),
                    name: request.getName(),
                    inputs,
                    provider: request.getProvider(),
                    custom: request.getCustom(),
                    id: request.getImportid(),
                });
                const response = new resourcePb.RegisterResourceResponse();
                response.setUrn(urn);
                response.setId(request.getCustom() ? (result.id ?? "") : "");
                response.setObject(Struct.fromJavaScript(result.state as Parameters<typeof Struct.fromJavaScript>[0]));
                done(null, response);
            } catch (error) {
                done({ code: grpc.status.UNKNOWN, details: (error as Error).message }, null);
            }
        },
        registerResourceOutputs(call: Call<resourcePb.RegisterResourceOutputsRequest>, done: Done) {
            outputs.set(call.request.getUrn(), (call.request.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>);
            done(null, new Empty());
        },
        invoke(call: Call<resourcePb.ResourceInvokeRequest>, done: Done) {
            try {
                const inputs = (call.request.getArgs()?.toJavaScript() ?? {}) as Record<string, unknown>;
                const result = cloud.call({ token: call.request.getTok(), inputs, provider: call.request.getProvider() });
                const response = new providerPb.InvokeResponse();
                response.setReturn(Struct.fromJavaScript(result as Parameters<typeof Struct.fromJavaScript>[0]));
                done(null, response);
            } catch (error) {
                done({ code: grpc.status.UNKNOWN, details: (error as Error).message }, null);
            }
        },
        signalAndWaitForShutdown(_call: Call<Empty>, done: Done) {
            done(null, new Empty());
        },
    };
    server.addService(resourceGrpc.ResourceMonitorService, implementation as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
            error ? reject(error) : resolve(bound),
        ),
    );
    return {
        address: `127.0.0.1:${port}`,
        resources,
        outputs,
        close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}
