/**
 * Hosts the real CrossGuard policy pack for the offline check: starts it the way the Pulumi CLI
 * does (check/pack-process.ts) and drives it over the Analyzer gRPC protocol in the CLI's order:
 * Handshake, ConfigureStack, GetAnalyzerInfo, Configure, then Analyze per resource and AnalyzeStack.
 *
 * `startPolicyPack` returns as soon as the process is spawned; every session method waits for the
 * pack to be ready, so the caller can run the Pulumi program while the pack boots:
 *
 * ```ts
 * const pack = await startPolicyPack("policies", { stack, project, dryRun, config });
 * try {
 *     const resources = await runProgramUnderMocks();          // runs while the pack boots
 *     const violations = [...(await pack.analyzeAll(resources)), ...(await pack.analyzeStack(outputs))];
 * } finally {
 *     await pack.close();                                      // always reaps the process
 * }
 * ```
 */
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { type JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzeStream } from "./analyze-stream";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest } from "./analyzer-encoding";
import { AnalyzerClient, isDeadlineExceeded, isUnavailable, isUnimplemented } from "./analyzer-client";
import {
    type AnalyzerResourceInput,
    type EnforcementLevel,
    enforcementLevelName,
    enforcementLevelValue,
    isEnforcementLevel,
    type PolicySeverity,
    severityName,
} from "./analyzer-wire";
import { connectWithRetries } from "./pack-connect";
import { describeExit, OFFLINE_ENGINE_ADDRESS, PackProcess } from "./pack-process";
import { parsePolicyConfig, type PolicyConfig, type PolicyConfigError, reconcilePolicyConfig } from "./policy-config";
import { meaningfulLines, PolicyPackError } from "./policy-pack-error";
import { loadPolicyPackProject, type PolicyPackProject } from "./policy-pack-project";
import { analyzeStackTimeoutMs, BASE_RPC_TIMEOUT_MS } from "./rpc-deadlines";

export type {
    AnalyzerResourceInput,
    AnalyzerResourceOptionsInput,
    AnalyzerProviderInput,
    EnforcementLevel,
    PolicySeverity,
} from "./analyzer-wire";
export { PolicyPackError } from "./policy-pack-error";
export type { PolicyPackErrorKind } from "./policy-pack-error";
export type { PolicyConfig, PolicyConfigEntry } from "./policy-config";

/** The stack the pack is told about, as the CLI tells it (env vars and ConfigureStack). */
export interface PolicyPackContext {
    /** Stack name: `pulumi.getStack()` inside the pack. */
    stack: string;
    /** Project name: `pulumi.getProject()` inside the pack. */
    project: string;
    /** Organization; not passed when absent (as the CLI skips empty values). */
    organization?: string;
    /** True for a preview: `pulumi.runtime.isDryRun()` inside the pack. */
    dryRun: boolean;
    /** Decrypted stack config, keys like "netra:region" / "gcp:project" (PULUMI_CONFIG in the pack). */
    config?: Readonly<Record<string, string>>;
    /** Config keys that hold secrets (ConfigureStack `config_secret_keys`). */
    configSecretKeys?: readonly string[];
    /** Stack tags (`args.stackTags` in policies). Default: none. */
    tags?: Readonly<Record<string, string>>;
}

/** How to host the pack. */
export interface PolicyPackStartOptions {
    /**
     * Policy config as in a `--policy-pack-config` file (parsed JSON): policy name or "all" to an
     * enforcement level or an object of properties with an optional `enforcementLevel`. Default {}.
     */
    policyConfig?: unknown;
    /** The file `policyConfig` was read from, named in config errors. Default: errors name the pack. */
    policyConfigFile?: string;
    /**
     * True: type-check the pack with ts-node at start-up, exactly as the CLI's run-policy-pack does
     * (about a second slower). Default false: transpile only; `npm run typecheck` checks the pack.
     */
    typeCheck?: boolean;
    /** How long the pack may take to print its port. Default 30000 ms. */
    startTimeoutMs?: number;
    /**
     * How long each of the three tries to connect to the pack's server may take, as the CLI's
     * pluginRPCConnectionTimeout (check/pack-connect.ts). Default 10000 ms.
     */
    connectTimeoutMs?: number;
    /** Deadline of each gRPC call; AnalyzeStack gets 10 ms more per resource (rpc-deadlines.ts). Default 30000 ms. */
    rpcTimeoutMs?: number;
    /** At most this many Analyze calls in flight in `analyzeAll`. Default 16. */
    concurrency?: number;
    /** Receives every line the pack prints (its console output and stderr). Default: dropped. */
    onOutput?: (stream: "stdout" | "stderr", line: string) => void;
}

/** One policy of the pack, as GetAnalyzerInfo describes it. */
export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    /** The policy's default level (its own, else the pack's). */
    enforcementLevel: EnforcementLevel;
    type: "resource" | "stack" | "unknown";
    severity: PolicySeverity;
    /** JSON schema of the policy's config properties, when it takes config. */
    configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
}

/** The pack, as GetAnalyzerInfo describes it. */
export interface PolicyPackInfo {
    name: string;
    displayName: string;
    /** PulumiPolicy.yaml's version when set (the CLI prefers it), else the pack's package.json version. */
    version: string;
    description: string;
    supportsConfig: boolean;
    /** Sorted by name, as the CLI sorts them. */
    policies: PolicyInfo[];
    initialConfig: PolicyConfig;
}

/** One policy violation reported by the pack. */
export interface PolicyViolation {
    policy: string;
    packName: string;
    packVersion: string;
    description: string;
    message: string;
    /** As the CLI reports it: "remediate" is reported as "mandatory". */
    enforcementLevel: EnforcementLevel;
    severity: PolicySeverity;
    /**
     * The resource the violation is about. Analyze: always the analyzed resource (the CLI ignores a
     * URN the policy gives). AnalyzeStack: the URN the policy gave if it is one of the analyzed
     * resources, else null (the CLI shows those on the root Stack resource).
     */
    urn: string | null;
}

/** Milliseconds from spawning the pack process. */
export interface PolicyPackTimings {
    /** Until the pack printed its port. */
    portMs?: number;
    /** Until Handshake, ConfigureStack, GetAnalyzerInfo and Configure were done. */
    readyMs?: number;
}

/**
 * A running policy pack. Every method waits until the pack is ready. Methods reject with a
 * PolicyPackError, or with a WireFormatError (naming the URN) when a resource cannot be sent.
 */
export interface PolicyPackSession {
    /** Absolute pack folder. */
    readonly dir: string;
    /** The pack process's id (undefined when it could not be spawned). */
    readonly pid: number | undefined;
    /** Resolves when the pack is started and configured. */
    ready(): Promise<PolicyPackInfo>;
    /** The pack's name, version and policies. */
    info(): Promise<PolicyPackInfo>;
    /** Replaces the policy config (reconciled and validated as the CLI does) and sends Configure. */
    configure(policyConfig: unknown, file?: string): Promise<void>;
    /** Analyze: one resource's inputs against every resource policy. */
    analyze(resource: AnalyzerResourceInput): Promise<PolicyViolation[]>;
    /** Analyze for each resource, concurrently; violations in the order of `resources`. */
    analyzeAll(resources: readonly AnalyzerResourceInput[]): Promise<PolicyViolation[]>;
    /**
     * Analyze for resources as they are registered (`add`, while the program runs); `finish` gives
     * what `analyzeAll` of every resource added would (see analyze-stream.ts).
     */
    analyzeStream(): ResourceAnalysis;
    /** AnalyzeStack: every resource (with outputs, parent, dependencies) against the stack policies. */
    analyzeStack(resources: readonly AnalyzerResourceInput[]): Promise<PolicyViolation[]>;
    /** Start-up timings so far. */
    timings(): PolicyPackTimings;
    /** Kills the pack process and waits until it is gone. Safe to call any time, more than once. */
    close(): Promise<void>;
}

/** Analyze calls for resources added as the program registers them. */
export interface ResourceAnalysis {
    add(resources: readonly AnalyzerResourceInput[]): void;
    finish(): Promise<PolicyViolation[]>;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const DEFAULT_CONCURRENCY = 16;
/**
 * After a call fails as "unavailable", how long to wait for the process's exit to explain it. A dropped connection
 * nearly always means the pack is exiting, and its exit event comes in milliseconds on an idle machine, but 500 ms
 * was too short on a loaded one (a crash reported as a bare "unavailable"); only a pack that stays up waits it all.
 */
const CRASH_GRACE_MS = 2000;

/**
 * Linux refuses to start a process with one environment string over 128 KiB (MAX_ARG_STRLEN, E2BIG).
 * The CLI would fail the same way on so large a config; offline, the pack still gets the config over
 * ConfigureStack, and no Netra policy reads PULUMI_CONFIG.
 */
export const MAX_ENV_STRING_BYTES = 128 * 1024 - 1;

/**
 * The pack's environment, built as the CLI's `constructEnv` does: this process's environment plus
 * PULUMI_CONFIG (JSON of the decrypted config, when it fits MAX_ENV_STRING_BYTES) and, when not
 * empty, PULUMI_NODEJS_ORGANIZATION, _PROJECT, _STACK, _DRY_RUN and the same without NODEJS_.
 */
export function policyPackEnv(base: NodeJS.ProcessEnv, context: PolicyPackContext): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...base };
    const set = (key: string, value: string | undefined): void => {
        if (value !== undefined && value !== "") {
            env[key] = value;
        }
    };
    // Without config, JSON.stringify gives undefined, which `set` leaves out.
    const config = JSON.stringify(context.config) as string | undefined;
    if (Buffer.byteLength(`PULUMI_CONFIG=${config}`) <= MAX_ENV_STRING_BYTES) {
        set("PULUMI_CONFIG", config);
    }
    for (const prefix of ["PULUMI_NODEJS_", "PULUMI_"]) {
        set(`${prefix}ORGANIZATION`, context.organization);
        set(`${prefix}PROJECT`, context.project);
        set(`${prefix}STACK`, context.stack);
        set(`${prefix}DRY_RUN`, String(context.dryRun));
    }
    return env;
}

function configSchemaOf(policy: analyzerPb.PolicyInfo): PolicyInfo["configSchema"] {
    const schema = policy.getConfigschema();
    if (!schema) {
        return undefined;
    }
    return {
        properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>,
        required: schema.getRequiredList(),
    };
}

function policyTypeName(type: analyzerPb.PolicyType): PolicyInfo["type"] {
    switch (type) {
        case analyzerPb.PolicyType.POLICY_TYPE_RESOURCE:
            return "resource";
        case analyzerPb.PolicyType.POLICY_TYPE_STACK:
            return "stack";
        default:
            return "unknown";
    }
}

function toPackInfo(info: analyzerPb.AnalyzerInfo, project: PolicyPackProject): PolicyPackInfo {
    const policies = info.getPoliciesList().map((policy) => {
        const configSchema = configSchemaOf(policy);
        return {
            name: policy.getName(),
            displayName: policy.getDisplayname(),
            description: policy.getDescription(),
            enforcementLevel: enforcementLevelName(policy.getEnforcementlevel()),
            type: policyTypeName(policy.getPolicyType()),
            severity: severityName(policy.getSeverity()),
            ...(configSchema ? { configSchema } : {}),
        };
    });
    // The names in string order (the CLI's), then the policies in that order.
    const order = policies.map((policy) => policy.name).sort();
    policies.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    const initialConfig: PolicyConfig = {};
    info.getInitialconfigMap().forEach((entry, name) => {
        // Like the CLI: an entry without a level reads as ADVISORY (the enum's zero value).
        const properties = entry.getProperties()?.toJavaScript();
        initialConfig[name] = {
            enforcementLevel: enforcementLevelName(entry.getEnforcementlevel()),
            ...(properties ? { properties } : {}),
        };
    });
    return {
        name: info.getName(),
        displayName: info.getDisplayname(),
        version: project.version ?? info.getVersion(),
        description: info.getDescription(),
        supportsConfig: info.getSupportsconfig(),
        policies,
        initialConfig,
    };
}

function grpcDetails(error: unknown): string {
    const details = (error as { details?: unknown }).details;
    const text = typeof details === "string" && details !== "" ? details : error instanceof Error ? error.message : String(error);
    // Stryker disable next-line StringLiteral: meaningfulLines reads any keep but "last" as the first lines
    const lines = meaningfulLines(text, 4, "first");
    return lines.join(" ");
}

class Session implements PolicyPackSession {
    readonly dir: string;
    private readonly process: PackProcess;
    private readonly spawnedAt = Date.now();
    private readonly startTimings: PolicyPackTimings = {};
    private client: AnalyzerClient | undefined;
    private booted!: Promise<PolicyPackInfo>;
    private configured!: Promise<void>;
    private begun = false;
    private closed = false;

    constructor(
        private readonly project: PolicyPackProject,
        private readonly context: PolicyPackContext,
        private readonly options: PolicyPackStartOptions,
    ) {
        this.dir = project.dir;
        this.process = new PackProcess({
            dir: project.dir,
            runtimeArgs: project.runtimeArgs,
            env: policyPackEnv(process.env, context),
            transpileOnly: options.typeCheck !== true,
            startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
            onOutput: options.onOutput,
        });
        // Connect and configure as soon as the port is read (or on first use, whichever is first).
        this.process.port.then(
            () => {
                this.startTimings.portMs = Date.now() - this.spawnedAt;
                this.begin();
            },
            () => undefined,
        );
    }

    private begin(): void {
        if (this.begun) {
            return;
        }
        this.begun = true;
        this.booted = this.boot();
        this.booted.catch(() => undefined);
        this.configured = this.booted
            .then((info) => this.sendConfig(info, this.options.policyConfig, this.options.policyConfigFile))
            .then(() => {
                this.startTimings.readyMs = Date.now() - this.spawnedAt;
            });
        this.configured.catch(() => undefined);
    }

    get pid(): number | undefined {
        return this.process.pid;
    }

    ready(): Promise<PolicyPackInfo> {
        return this.whenOpen(async () => {
            const info = await this.booted;
            await this.configured;
            return info;
        });
    }

    info(): Promise<PolicyPackInfo> {
        return this.ready();
    }

    configure(policyConfig: unknown, file?: string): Promise<void> {
        return this.whenOpen(async () => {
            const previous = this.configured.catch(() => undefined);
            this.configured = previous.then(() => this.booted).then((info) => this.sendConfig(info, policyConfig, file));
            this.configured.catch(() => undefined);
            await this.configured;
        });
    }

    analyze(resource: AnalyzerResourceInput): Promise<PolicyViolation[]> {
        return this.whenOpen(async () => {
            const request = encodeAnalyzeRequest(resource);
            const { info, client } = await this.configuredClient();
            const response = await this.rpc(`Analyze of ${resource.urn}`, () => client.analyze(request));
            return response.getDiagnosticsList().map((diagnostic) => this.toViolation(info, diagnostic, resource.urn));
        });
    }

    analyzeAll(resources: readonly AnalyzerResourceInput[]): Promise<PolicyViolation[]> {
        return this.whenOpen(async () => {
            // One batch: a resource that cannot be sent fails before any call is made.
            const stream = this.newStream();
            stream.add(resources);
            return stream.finish();
        });
    }

    analyzeStream(): ResourceAnalysis {
        if (this.closed) {
            throw new PolicyPackError("closed", `policy pack "${this.dir}" was used after close()`);
        }
        this.begin();
        return this.newStream();
    }

    private newStream(): AnalyzeStream<AnalyzerResourceInput, Buffer, PolicyViolation> {
        return new AnalyzeStream(
            {
                build: (resource) => encodeAnalyzeRequest(resource),
                ready: async () => {
                    await this.configuredClient();
                },
                analyze: async (request, resource) => {
                    const { info, client } = await this.configuredClient();
                    const response = await this.rpc(`Analyze of ${resource.urn}`, () => client.analyze(request));
                    return response.getDiagnosticsList().map((diagnostic) => this.toViolation(info, diagnostic, resource.urn));
                },
            },
            Math.max(1, this.options.concurrency ?? DEFAULT_CONCURRENCY),
        );
    }

    analyzeStack(resources: readonly AnalyzerResourceInput[]): Promise<PolicyViolation[]> {
        return this.whenOpen(async () => {
            const request = encodeAnalyzeStackRequest(resources);
            const urns = new Set(resources.map((resource) => resource.urn));
            const { info, client } = await this.configuredClient();
            const timeoutMs = analyzeStackTimeoutMs(resources.length, this.options.rpcTimeoutMs);
            const response = await this.rpc("AnalyzeStack", () => client.analyzeStack(request, timeoutMs));
            return response.getDiagnosticsList().map((diagnostic) => {
                const urn = diagnostic.getUrn();
                return this.toViolation(info, diagnostic, urns.has(urn) ? urn : null);
            });
        });
    }

    timings(): PolicyPackTimings {
        return { ...this.startTimings };
    }

    async close(): Promise<void> {
        this.closed = true;
        this.client?.close();
        await this.process.kill();
    }

    private async whenOpen<T>(action: () => Promise<T>): Promise<T> {
        if (this.closed) {
            throw new PolicyPackError("closed", `policy pack "${this.dir}" was used after close()`);
        }
        this.begin();
        return action();
    }

    private async configuredClient(): Promise<{ info: PolicyPackInfo; client: AnalyzerClient }> {
        const info = await this.booted;
        await this.configured;
        return { info, client: this.client as AnalyzerClient };
    }

    private async boot(): Promise<PolicyPackInfo> {
        const port = await this.process.port;
        const client = new AnalyzerClient(port, this.options.rpcTimeoutMs ?? BASE_RPC_TIMEOUT_MS);
        this.client = client;
        if (this.closed) {
            client.close();
            throw new PolicyPackError("closed", `policy pack "${this.dir}" was closed while starting`);
        }
        // A "timeout" means the pack still runs: explain() calls a pack that exited a crash, and a closed session "closed".
        await connectWithRetries((timeoutMs) => this.rpc("connect", () => client.waitForReady(timeoutMs)), this.options.connectTimeoutMs);

        const handshake = new analyzerPb.AnalyzerHandshakeRequest();
        handshake.setEngineAddress(OFFLINE_ENGINE_ADDRESS);
        handshake.setRootDirectory(this.dir);
        handshake.setProgramDirectory(this.dir);
        // @pulumi/policy does not implement Handshake; the CLI then carries on, and so do we.
        await this.rpc("Handshake", () => client.handshake(handshake), true);

        const stack = new analyzerPb.AnalyzerStackConfigureRequest();
        stack.setStack(this.context.stack);
        stack.setProject(this.context.project);
        stack.setOrganization(this.context.organization ?? "");
        stack.setDryRun(this.context.dryRun);
        for (const [key, value] of Object.entries(this.context.config ?? {})) {
            stack.getConfigMap().set(key, value);
        }
        stack.setConfigSecretKeysList([...(this.context.configSecretKeys ?? [])]);
        for (const [key, value] of Object.entries(this.context.tags ?? {})) {
            stack.getTagsMap().set(key, value);
        }
        await this.rpc("ConfigureStack", () => client.configureStack(stack), true);

        const info = toPackInfo(await this.rpc("GetAnalyzerInfo", () => client.getAnalyzerInfo()), this.project);
        return info;
    }

    private async sendConfig(info: PolicyPackInfo, policyConfig: unknown, file: string | undefined): Promise<void> {
        // One line that names where the config came from: the file when known, else the pack.
        const where = file === undefined ? undefined : `${file} (policy config of pack ${info.name})`;
        let given: PolicyConfig;
        try {
            given = parsePolicyConfig(policyConfig);
        } catch (error) {
            // parsePolicyConfig throws only PolicyConfigErrors.
            throw new PolicyPackError(
                "config",
                `${where ?? `invalid policy config for pack ${info.name}`}: ${(error as PolicyConfigError).message}`,
            );
        }
        if (!info.supportsConfig) {
            if (Object.keys(given).length > 0) {
                throw new PolicyPackError("config", `policy pack ${info.name} at "${this.dir}" does not support config`);
            }
            return;
        }
        const reconciled = reconcilePolicyConfig(info.policies, info.initialConfig, given);
        if (!reconciled.ok) {
            throw new PolicyPackError(
                "config",
                `${where ?? `validating policy config: ${info.name} ${info.version}`}: ${reconciled.errors.join("; ")}`,
            );
        }
        const request = new analyzerPb.ConfigureAnalyzerRequest();
        for (const [name, entry] of Object.entries(reconciled.config)) {
            if (!isEnforcementLevel(entry.enforcementLevel)) {
                throw new PolicyPackError("config", `configuring policy pack ${info.name}: invalid enforcement level "" for "${name}"`);
            }
            const message = new analyzerPb.PolicyConfig();
            message.setEnforcementlevel(enforcementLevelValue(entry.enforcementLevel));
            // Always a Struct, possibly empty, as the CLI's marshalMap: the pack reads it unconditionally.
            message.setProperties(Struct.fromJavaScript((entry.properties ?? {}) as Record<string, JavaScriptValue>));
            request.getPolicyconfigMap().set(name, message);
        }
        const client = this.client as AnalyzerClient;
        await this.rpc("Configure", () => client.configure(request));
    }

    private toViolation(info: PolicyPackInfo, diagnostic: analyzerPb.AnalyzeDiagnostic, urn: string | null): PolicyViolation {
        const name = diagnostic.getPolicyname();
        const level = enforcementLevelName(diagnostic.getEnforcementlevel());
        // Like the CLI: a violation without a severity takes its policy's.
        const severity = severityName(diagnostic.getSeverity()) || (info.policies.find((policy) => policy.name === name)?.severity ?? "");
        return {
            policy: name,
            packName: diagnostic.getPolicypackname(),
            packVersion: this.project.version ?? diagnostic.getPolicypackversion(),
            description: diagnostic.getDescription(),
            message: diagnostic.getMessage(),
            enforcementLevel: level === "remediate" ? "mandatory" : level,
            severity,
            urn,
        };
    }

    /** Runs one call; turns failures into one-line PolicyPackErrors (crash, timeout, rpc). */
    private async rpc<T>(what: string, call: () => Promise<T>, unimplementedIsFine = false): Promise<T> {
        try {
            return await call();
        } catch (error) {
            if (unimplementedIsFine && isUnimplemented(error)) {
                return undefined as T;
            }
            throw await this.explain(what, error);
        }
    }

    private async explain(what: string, error: unknown): Promise<PolicyPackError> {
        if (this.closed) {
            return new PolicyPackError("closed", `policy pack "${this.dir}" was closed during ${what}`);
        }
        if (isUnavailable(error) || this.process.exit) {
            const exit = await Promise.race([
                this.process.exited,
                new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), CRASH_GRACE_MS).unref()),
            ]);
            if (exit) {
                return new PolicyPackError(
                    "crash",
                    `policy pack "${this.dir}" ${describeExit(exit)} during ${what}`,
                    this.process.stderrTail(),
                );
            }
        }
        if (isDeadlineExceeded(error)) {
            return new PolicyPackError("timeout", `policy pack "${this.dir}" did not answer ${what} in time`, this.process.stderrTail());
        }
        return new PolicyPackError("rpc", `policy pack "${this.dir}" failed ${what}: ${grpcDetails(error)}`);
    }
}

/** What starts a pack: `startPolicyPack`, or a test's stand-in session. */
export type PolicyPackStarter = (
    packDir: string,
    context: PolicyPackContext,
    options?: PolicyPackStartOptions,
) => Promise<PolicyPackSession>;

/**
 * Starts the policy pack in `packDir` as the Pulumi CLI does and returns at once (the process is
 * spawned; it boots in the background). Rejects with a "project" PolicyPackError when
 * PulumiPolicy.yaml is missing or invalid, or a "start" one when the pack's dependencies are not
 * installed; every later failure surfaces from the session's methods.
 */
export async function startPolicyPack(
    packDir: string,
    context: PolicyPackContext,
    options: PolicyPackStartOptions = {},
): Promise<PolicyPackSession> {
    const project = loadPolicyPackProject(packDir);
    return new Session(project, context, options);
}
