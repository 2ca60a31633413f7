import * as pulumi from "@pulumi/pulumi";
import { RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { MockCloud } from "./mock-cloud";

/** Resource options as the engine receives them (and as the analyzer protocol forwards them). */
export interface RecordedOptions {
    readonly protect: boolean;
    readonly ignoreChanges: string[];
    readonly replaceOnChanges: string[];
    readonly deleteBeforeReplace: boolean;
    readonly additionalSecretOutputs: string[];
    readonly aliases: string[];
    readonly importId: string;
    readonly retainOnDelete: boolean;
    readonly deletedWith: string;
    readonly customTimeouts: { create: string; update: string; delete: string } | undefined;
}

/** One registration, captured at the resource monitor exactly as the engine would see it. */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly parent: string | null;
    /** Inputs in wire form: secrets as signature objects, unknowns as the unknown sentinel. */
    readonly inputs: Record<string, unknown>;
    /** State the (mock) cloud returned, in wire form; in a preview, only what is known. */
    readonly outputs: Record<string, unknown>;
    readonly dependencies: string[];
    readonly propertyDependencies: Record<string, string[]>;
    readonly provider: string;
    readonly options: RecordedOptions;
}

/** The result of running a program under mocks. */
export interface ProgramRun {
    /** Every registered resource, in registration order (the root stack first); empty with `onRecorded`. */
    readonly resources: RecordedResource[];
    /** The stack's outputs (the program module's exports). */
    readonly outputs: Record<string, unknown> | undefined;
}

/** How to run a program. */
export interface RunOptions {
    readonly project: string;
    readonly stack: string;
    readonly preview: boolean;
    readonly mocks: MockCloud;
    /** Config as the CLI passes it: `namespace:key` -> string (structured values as JSON). */
    readonly config: Readonly<Record<string, string>>;
    /** Keys whose values are secret. */
    readonly secretKeys?: readonly string[];
    /** Told of every resource the program constructs and every one it registers (to say what still waits). */
    readonly watch?: RegistrationWatch;
    /**
     * Receives each registration as soon as the monitor has answered it, in registration order. When
     * given, the run keeps none of them (`ProgramRun.resources` is empty): the receiver owns them.
     */
    readonly onRecorded?: (resource: RecordedResource) => void;
    /**
     * Told of each registration the engine refuses, as it happens: the program sees only a rejected output, and may
     * fail on it before the run ends, but the engine's refusal is what `pulumi preview` reports.
     */
    readonly onEngineError?: (message: string) => void;
}

/** Follows resources from construction to registration: the gap is what waits on an input. */
export interface RegistrationWatch {
    constructed(type: string, name: string): void;
    registered(type: string, name: string): void;
}

/**
 * What the engine checks of registrations that the SDK's mocks do not: that no URN is registered twice
 * (pulumi/pulumi pkg/diag/errors.go, GetDuplicateResourceURNError, raised by the step generator).
 */
interface EngineLedger {
    readonly urns: Set<string>;
    /** The engine's errors, in the order it would report them. */
    readonly errors: string[];
    readonly onError?: (message: string) => void;
}

/** The program ran, but `pulumi preview` would fail it: the engine refused some of its registrations. */
export class EngineError extends Error {
    constructor(readonly errors: readonly string[]) {
        super(errors.length === 1 ? errors[0] : `${errors[0]} (and ${errors.length - 1} more)`);
        this.name = "EngineError";
    }
}

/** The slice of a RegisterResourceRequest we read (google-protobuf generated accessors). */
export interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): ReadableStruct | undefined;
    getProtect(): boolean;
    getDependenciesList(): string[];
    getProvider(): string;
    getPropertydependenciesMap(): { forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getAliasurnsList(): string[];
    getImportid(): string;
    getRetainondelete(): boolean;
    getDeletedwith(): string;
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}
export interface RegisterResponse {
    getUrn(): string;
    getObject(): ReadableStruct | undefined;
}
type Callback = (error: Error | null, response?: RegisterResponse) => void;
interface RecordableMonitor {
    registerResource(request: RegisterRequest, callback: Callback): void;
    readResource(request: RegisterRequest, callback: Callback): void;
    newUrn(parent: string, type: string, name: string): string;
    /** The SDK's MockMonitor fields (runtime/mocks.js) that its registerResource uses. */
    readonly mocks: pulumi.runtime.Mocks;
    readonly resources: Map<string, { urn: string; id: string | null; state: Record<string, unknown> }>;
}
interface RuntimeInternals {
    waitForRPCs(): Promise<void>;
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** A Struct whose JavaScript value is read once: the mock monitor, the SDK and the recorder each ask for it. */
interface ReadableStruct {
    toJavaScript(): Record<string, unknown>;
}

/**
 * Reads `struct` once and makes its `toJavaScript` answer that same object from then on. Safe because
 * nothing that reads it changes it: the SDK's `deserializeProperties` builds new values from it.
 */
function readOnce(struct: ReadableStruct | undefined): Record<string, unknown> {
    if (struct === undefined) {
        return {};
    }
    const value = struct.toJavaScript();
    struct.toJavaScript = () => value;
    return value;
}

/**
 * What the SDK's MockMonitor.registerResource (runtime/mocks.js, @pulumi/pulumi 3.248.0) does, line for
 * line, but the response carries the serialised state as it is: the SDK's own packs it into a
 * google.protobuf.Struct only for the SDK (and the recorder) to unpack it again at once, which on 500
 * services cost a tenth of the program thread and much of its garbage. `Struct.fromJavaScript(state)
 * .toJavaScript()` gives back an equal object for anything serializeProperties produces (JSON with
 * no undefined), so the SDK resolves the same outputs.
 */
async function registerWithState(
    monitor: RecordableMonitor,
    request: RegisterRequest,
    inputs: Record<string, unknown>,
    engine: EngineLedger,
    callback: Callback,
): Promise<void> {
    try {
        const urn = monitor.newUrn(request.getParent(), request.getType(), request.getName());
        // Noted before the first await: two registrations of one URN are usually in flight together.
        if (engine.urns.has(urn)) {
            const message = `Duplicate resource URN '${urn}'; try giving it a unique name`;
            engine.errors.push(message);
            engine.onError?.(message);
            throw new Error(message);
        }
        engine.urns.add(urn);
        const result = await monitor.mocks.newResource({
            type: request.getType(),
            name: request.getName(),
            inputs: pulumi.runtime.deserializeProperties({ toJavaScript: () => inputs } as unknown as Struct),
            provider: request.getProvider(),
            custom: request.getCustom(),
            id: request.getImportid(),
        });
        const state = (await pulumi.runtime.serializeProperties("", result.state)) as Record<string, unknown>;
        monitor.resources.set(urn, { urn, id: result.id ?? null, state });
        const response = new RegisterResourceResponse();
        response.setUrn(urn);
        response.setId(result.id || "");
        const object = { toJavaScript: () => state };
        callback(null, Object.assign(response, { getObject: () => object }));
    } catch (error) {
        callback(error as Error, undefined);
    }
}

/** One registration as the engine sees it; an input, state or timeouts the request leaves unset read as empty. */
export function recordRegistration(request: RegisterRequest, response: RegisterResponse): RecordedResource {
    const propertyDependencies: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((value, key) => {
        propertyDependencies[key] = value.getUrnsList();
    });
    const timeouts = request.getCustomtimeouts();
    return {
        urn: response.getUrn(),
        type: request.getType(),
        name: request.getName(),
        custom: request.getCustom(),
        parent: request.getParent() || null,
        inputs: request.getObject()?.toJavaScript() ?? {},
        outputs: response.getObject()?.toJavaScript() ?? {},
        dependencies: request.getDependenciesList(),
        propertyDependencies,
        provider: request.getProvider(),
        options: {
            protect: request.getProtect(),
            ignoreChanges: request.getIgnorechangesList(),
            replaceOnChanges: request.getReplaceonchangesList(),
            deleteBeforeReplace: request.getDeletebeforereplace(),
            additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
            aliases: request.getAliasurnsList(),
            importId: request.getImportid(),
            retainOnDelete: request.getRetainondelete(),
            deletedWith: request.getDeletedwith(),
            customTimeouts:
                timeouts === undefined
                    ? undefined
                    : { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() },
        },
    };
}

/**
 * Runs `init` as the Pulumi language host runs a program (inside the root stack resource), against
 * mocks, and records every registration at the monitor: inputs in wire form, dependencies, options.
 * Resolves once every outstanding registration has settled.
 */
export async function runUnderMocks(init: () => Promise<Record<string, unknown> | undefined>, options: RunOptions): Promise<ProgramRun> {
    pulumi.runtime.setAllConfig({ ...options.config }, options.secretKeys?.slice());
    await pulumi.runtime.setMocks(options.mocks, options.project, options.stack, options.preview);
    const monitor = pulumi.runtime.getMonitor() as unknown as RecordableMonitor;
    // The engine leaves the root stack out of its children's URNs; the mock monitor does not.
    const newUrn = monitor.newUrn.bind(monitor);
    monitor.newUrn = (parent, type, name) => newUrn(parent.split("::")[2] === ROOT_STACK_TYPE ? "" : parent, type, name);
    const resources: RecordedResource[] = [];
    const keep = options.onRecorded ?? ((resource: RecordedResource) => void resources.push(resource));
    const watch = options.watch;
    const engine: EngineLedger = { urns: new Set(), errors: [], onError: options.onEngineError };
    monitor.registerResource = (request, callback) => {
        watch?.registered(request.getType(), request.getName());
        // Read here once for the mocks and the recorder (recordRegistration reads it again, from memory).
        const inputs = readOnce(request.getObject());
        void registerWithState(monitor, request, inputs, engine, (error, response) => {
            // The monitor answers a failed registration with an error and no response.
            if (response !== undefined) {
                keep(recordRegistration(request, response));
            }
            callback(error, response);
        });
    };
    if (watch !== undefined) {
        // A resource read with `.get()` is constructed too, and reaches the monitor as a read.
        const read = monitor.readResource.bind(monitor);
        monitor.readResource = (request, callback) => {
            watch.registered(request.getType(), request.getName());
            read(request, callback);
        };
    }
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
        if (watch !== undefined) {
            // A stack transformation sees every resource at construction, before its inputs resolve.
            pulumi.runtime.registerStackTransformation(({ type, name }) => {
                watch.constructed(type, name);
                return undefined;
            });
        }
        return init();
    });
    await (pulumi.runtime as unknown as RuntimeInternals).waitForRPCs();
    if (engine.errors.length > 0) {
        throw new EngineError(engine.errors);
    }
    return { resources, outputs: outputs as Record<string, unknown> | undefined };
}
