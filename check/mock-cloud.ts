import { createHash, randomBytes } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { answerInvoke, InvokeLog } from "./offline-invokes";

type State = Record<string, unknown>;
type MockArgs = pulumi.runtime.MockResourceArgs;

/** What a computed-output function gets: the registration and the project the provider would use. */
interface ComputeContext {
    readonly args: MockArgs;
    /** The resource's `project`, else its provider's, else the stack's `gcp:project`; undefined when none is set. */
    readonly project: string | undefined;
}

type Compute = (context: ComputeContext) => { id: string; state: State };

/** A run.app URL as Cloud Run hands them out: the service name and a stable hash of its full name. */
function runAppUrl(name: string, id: string): string {
    return `https://${name}-${digits(id).slice(0, 10)}.a.run.app`;
}

/** The resource's `name`, or the one Pulumi's auto-naming gives it (`<logical name>-<7 random hex>`), stable per name here. */
function nameOf(args: MockArgs): string {
    return typeof args.inputs.name === "string"
        ? args.inputs.name
        : `${args.name}-${createHash("sha256").update(args.name).digest("hex").slice(0, 7)}`;
}

/** `projects/<p>/locations/<l>/<collection>/<name>`, the v2 APIs' resource names (and the provider's ids). */
function v2Name(project: string | undefined, args: MockArgs, collection: string): string {
    return `projects/${String(project)}/locations/${String(args.inputs.location)}/${collection}/${nameOf(args)}`;
}

/** An IAM grant's etag and id; the provider's id joins the target and the role (and member). */
const iamGrant: Compute = ({ args }) => {
    const parts = [args.inputs.name ?? args.inputs.service ?? args.inputs.cloudFunction ?? args.inputs.secretId ?? args.inputs.project];
    parts.push(args.inputs.role, args.inputs.member);
    const id = parts
        .filter((part) => part !== undefined)
        .map(String)
        .join("/");
    return { id, state: { etag: `BwY${digits(id).slice(0, 8)}=` } };
};

/**
 * What the cloud computes for a resource once it exists, by type token: every output the provider
 * always returns and a program may read (emails, names, URLs, ids). Inputs are always echoed.
 * Read from pulumi-gcp's resource outputs (node_modules/@pulumi/gcp/<module>/<resource>.d.ts).
 */
const COMPUTED: Readonly<Record<string, Compute>> = {
    "gcp:serviceaccount/account:Account": ({ args: { inputs }, project }) => {
        const email = `${String(inputs.accountId)}@${String(project)}.iam.gserviceaccount.com`;
        const name = `projects/${String(project)}/serviceAccounts/${email}`;
        return { id: name, state: { email, name, member: `serviceAccount:${email}`, uniqueId: digits(email) } };
    },
    "gcp:secretmanager/secret:Secret": ({ args: { inputs }, project }) => {
        const name = `projects/${String(project)}/secrets/${String(inputs.secretId)}`;
        return { id: name, state: { name, createTime: "2026-01-01T00:00:00Z" } };
    },
    "gcp:secretmanager/secretVersion:SecretVersion": ({ args: { inputs } }) => {
        const name = `${String(inputs.secret)}/versions/1`;
        return { id: name, state: { name, version: "1", enabled: true } };
    },
    "gcp:cloudrunv2/service:Service": ({ args, project }) => {
        const id = v2Name(project, args, "services");
        const name = nameOf(args);
        const uri = runAppUrl(name, id);
        return {
            id,
            state: {
                name,
                uri,
                urls: [uri],
                uid: digits(id),
                etag: `"${digits(id).slice(0, 12)}"`,
                latestReadyRevision: `${id}/revisions/${name}-00001-abc`,
            },
        };
    },
    "gcp:cloudrunv2/job:Job": ({ args, project }) => {
        const id = v2Name(project, args, "jobs");
        return { id, state: { name: nameOf(args), uid: digits(id), etag: `"${digits(id).slice(0, 12)}"` } };
    },
    "gcp:cloudrunv2/workerPool:WorkerPool": ({ args, project }) => {
        const id = v2Name(project, args, "workerPools");
        return { id, state: { name: nameOf(args), uid: digits(id), etag: `"${digits(id).slice(0, 12)}"` } };
    },
    // Legacy v1 (Knative) service: the URL is in `statuses[0].url`, as templates read it.
    "gcp:cloudrun/service:Service": ({ args, project }) => {
        const { inputs } = args;
        const name = nameOf(args);
        const id = `locations/${String(inputs.location)}/namespaces/${String(project)}/services/${name}`;
        const revision = `${name}-00001-abc`;
        const status = {
            url: runAppUrl(name, id),
            latestReadyRevisionName: revision,
            latestCreatedRevisionName: revision,
            observedGeneration: 1,
            conditions: [{ type: "Ready", status: "True", message: "", reason: "" }],
            traffics: [],
        };
        return { id, state: { name, statuses: [status] } };
    },
    // Cloud Functions gen2: the function's URL, also under serviceConfig (merged over the inputs' serviceConfig).
    "gcp:cloudfunctionsv2/function:Function": ({ args, project }) => {
        const { inputs } = args;
        const id = v2Name(project, args, "functions");
        const url = runAppUrl(nameOf(args), id);
        const serviceConfig = {
            ...((inputs.serviceConfig as State | undefined) ?? {}),
            uri: url,
            service: `${id.replace("/functions/", "/services/")}`,
        };
        return { id, state: { name: nameOf(args), url, state: "ACTIVE", environment: "GEN_2", serviceConfig } };
    },
    "gcp:secretmanager/secretIamMember:SecretIamMember": iamGrant,
    "gcp:secretmanager/secretIamBinding:SecretIamBinding": iamGrant,
    "gcp:secretmanager/secretIamPolicy:SecretIamPolicy": iamGrant,
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": iamGrant,
    "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding": iamGrant,
    "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy": iamGrant,
    "gcp:cloudrun/iamMember:IamMember": iamGrant,
    "gcp:cloudrun/iamBinding:IamBinding": iamGrant,
    "gcp:cloudrun/iamPolicy:IamPolicy": iamGrant,
    "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember": iamGrant,
    "gcp:projects/iAMMember:IAMMember": iamGrant,
    "gcp:projects/iAMBinding:IAMBinding": iamGrant,
    "gcp:projects/iAMPolicy:IAMPolicy": iamGrant,
    // A test needing a key generates one: 256 fresh bits per run, never a literal.
    "random:index/randomBytes:RandomBytes": ({ args: { inputs, name } }) => {
        const bytes = randomBytes(Number(inputs.length));
        return { id: name, state: { hex: bytes.toString("hex"), base64: bytes.toString("base64") } };
    },
};

/** The gcp provider's resource type. */
const GCP_PROVIDER = "pulumi:providers:gcp";

function digits(text: string): string {
    return BigInt(`0x${createHash("sha256").update(text).digest("hex").slice(0, 15)}`).toString();
}

/** Options of the mock cloud. */
export interface MockCloudOptions {
    /**
     * Preview (a first `pulumi preview`): resources have no ids and every output the cloud
     * computes is unknown; inputs stay known. Default: false (an update).
     */
    readonly preview?: boolean;
    /** Refuse resource types the mock does not know, so a test notices a resource it did not expect. Default: false. */
    readonly strict?: boolean;
    /** Resource types accepted in strict mode beyond those with computed outputs. */
    readonly knownTypes?: readonly string[];
    /**
     * The project of the default gcp provider (the stack's `gcp:project`). Default: read from the
     * Pulumi runtime's config when first needed, as the provider reads it.
     */
    readonly defaultProject?: string;
    /** The stack config (`gcp:project`, `gcp:region`, ...), from which some invokes are answered. Default: none. */
    readonly config?: Readonly<Record<string, string>>;
}

/**
 * Pulumi mocks that behave like Google Cloud for the resources Netra declares: realistic ids,
 * emails, names and URLs in an update (the project, when a resource sets none, is its provider's,
 * as the provider fills it in), unknowns in a preview. Invokes are answered where the answer
 * follows from the stack config or the invoke's arguments (check/offline-invokes.ts), else as an
 * empty (unknown) result; strict mode refuses every invoke instead, naming its token.
 */
export class MockCloud implements pulumi.runtime.Mocks {
    private readonly preview: boolean;
    private readonly strict: boolean;
    private readonly knownTypes: ReadonlySet<string>;
    private readonly configuredProject: string | undefined;
    /** Explicit gcp providers' projects, by the id the mock gave them. */
    private readonly providerProjects = new Map<string, string | undefined>();
    private readonly config: Readonly<Record<string, string>>;
    /** Every invoke the program made and how it was answered. */
    readonly invokes = new InvokeLog();

    constructor(options: MockCloudOptions = {}) {
        this.preview = options.preview ?? false;
        this.strict = options.strict ?? false;
        this.knownTypes = new Set([...Object.keys(COMPUTED), GCP_PROVIDER, ...(options.knownTypes ?? [])]);
        this.config = options.config ?? {};
        this.configuredProject = options.defaultProject ?? this.config["gcp:project"];
    }

    newResource(args: MockArgs): { id: string | undefined; state: State } {
        const computed = COMPUTED[args.type];
        if (computed === undefined && this.strict && !this.knownTypes.has(args.type)) {
            throw new Error(`Unexpected resource ${args.type} "${args.name}": the mock cloud does not know this type.`);
        }
        if (args.type === GCP_PROVIDER) {
            const id = `${args.name}-provider-id`;
            this.providerProjects.set(id, typeof args.inputs.project === "string" ? args.inputs.project : undefined);
            return { id, state: { ...args.inputs } };
        }
        if (this.preview) {
            return { id: undefined, state: { ...args.inputs } };
        }
        const project = this.projectOf(args);
        const result = computed?.({ args, project }) ?? { id: `${args.name}-id`, state: {} };
        // The provider fills in `project` on every gcp resource that did not set it.
        const filled = args.type.startsWith("gcp:") && args.inputs.project === undefined && project !== undefined ? { project } : {};
        return { id: result.id, state: { ...args.inputs, ...filled, ...result.state } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        if (this.strict) {
            throw invokeError(`Unexpected invoke ${args.token}: Netra's program makes no provider calls.`);
        }
        const answer = answerInvoke(args.token, args.inputs as Record<string, unknown>, this.config);
        this.invokes.record(args.token, answer?.kind ?? "unknown");
        // Unknown: an empty result. (The Output forms never get here: see check/unknown-invokes.ts.)
        return answer?.result ?? {};
    }

    /** The resource's own project, else its explicit provider's, else the default provider's (`gcp:project`). */
    private projectOf(args: MockArgs): string | undefined {
        if (typeof args.inputs.project === "string") {
            return args.inputs.project;
        }
        const providerId = args.provider?.split("::").pop();
        if (providerId !== undefined && this.providerProjects.has(providerId)) {
            return this.providerProjects.get(providerId) ?? this.defaultProject();
        }
        return this.defaultProject();
    }

    private defaultProject(): string | undefined {
        if (this.configuredProject !== undefined) {
            return this.configuredProject;
        }
        // Loaded only here: by the time resources register, the program has loaded @pulumi/pulumi.
        const { runtime } = require("@pulumi/pulumi") as typeof pulumi;
        return runtime.getConfig("gcp:project");
    }
}

/**
 * An error the SDK can pass on: it re-wraps a failed invoke as `new Error(err.details)`
 * (@pulumi/pulumi/runtime/invoke.js), so an Error without `details` reaches the program blank.
 */
export function invokeError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}
