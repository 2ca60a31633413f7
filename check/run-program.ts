import * as pulumi from "@pulumi/pulumi";
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
}

/** Follows resources from construction to registration: the gap is what waits on an input. */
export interface RegistrationWatch {
    constructed(type: string, name: string): void;
    registered(type: string, name: string): void;
}

/** The slice of a RegisterResourceRequest we read (google-protobuf generated accessors). */
export interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
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
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
type Callback = (error: Error | null, response?: RegisterResponse) => void;
interface RecordableMonitor {
    registerResource(request: RegisterRequest, callback: Callback): void;
    readResource(request: RegisterRequest, callback: Callback): void;
    newUrn(parent: string, type: string, name: string): string;
}
interface RuntimeInternals {
    waitForRPCs(): Promise<void>;
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

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
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        watch?.registered(request.getType(), request.getName());
        register(request, (error, response) => {
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
    return { resources, outputs: outputs as Record<string, unknown> | undefined };
}
