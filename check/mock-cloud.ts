import { createHash, randomBytes } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { answerInvoke, InvokeLog } from "./offline-invokes";

type State = Record<string, unknown>;
type MockArgs = pulumi.runtime.MockResourceArgs;

/** What the cloud computes for a resource once it exists, by type token. Inputs are always echoed. */
const COMPUTED: Readonly<Record<string, (args: MockArgs) => { id: string; state: State }>> = {
    "gcp:serviceaccount/account:Account": ({ inputs }) => {
        const email = `${String(inputs.accountId)}@${String(inputs.project)}.iam.gserviceaccount.com`;
        const name = `projects/${String(inputs.project)}/serviceAccounts/${email}`;
        return { id: name, state: { email, name, member: `serviceAccount:${email}`, uniqueId: digits(email) } };
    },
    "gcp:secretmanager/secret:Secret": ({ inputs }) => {
        const name = `projects/${String(inputs.project)}/secrets/${String(inputs.secretId)}`;
        return { id: name, state: { name } };
    },
    "gcp:secretmanager/secretVersion:SecretVersion": ({ inputs }) => {
        const name = `${String(inputs.secret)}/versions/1`;
        return { id: name, state: { name, version: "1", enabled: true } };
    },
    "gcp:cloudrunv2/service:Service": ({ inputs }) => {
        const name = String(inputs.name);
        const id = `projects/${String(inputs.project)}/locations/${String(inputs.location)}/services/${name}`;
        return { id, state: { uri: `https://${name}-${digits(id).slice(0, 10)}.a.run.app`, uid: digits(id) } };
    },
    // A test needing a key generates one: 256 fresh bits per run, never a literal.
    "random:index/randomBytes:RandomBytes": ({ inputs, name }) => {
        const bytes = randomBytes(Number(inputs.length));
        return { id: name, state: { hex: bytes.toString("hex"), base64: bytes.toString("base64") } };
    },
};

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
    /** The stack config (`gcp:project`, `gcp:region`, ...), from which some invokes are answered. Default: none. */
    readonly config?: Readonly<Record<string, string>>;
}

/**
 * Pulumi mocks that behave like Google Cloud for the resources Netra declares: realistic ids,
 * emails and names in an update, unknowns in a preview. Invokes are answered where the answer
 * follows from the stack config or the invoke's arguments (check/offline-invokes.ts), else as an
 * empty (unknown) result; strict mode refuses every invoke instead, naming its token.
 */
export class MockCloud implements pulumi.runtime.Mocks {
    private readonly preview: boolean;
    private readonly strict: boolean;
    private readonly knownTypes: ReadonlySet<string>;
    private readonly config: Readonly<Record<string, string>>;
    /** Every invoke the program made and how it was answered. */
    readonly invokes = new InvokeLog();

    constructor(options: MockCloudOptions = {}) {
        this.preview = options.preview ?? false;
        this.strict = options.strict ?? false;
        this.knownTypes = new Set([...Object.keys(COMPUTED), ...(options.knownTypes ?? [])]);
        this.config = options.config ?? {};
    }

    newResource(args: MockArgs): { id: string | undefined; state: State } {
        const computed = COMPUTED[args.type];
        if (computed === undefined && this.strict && !this.knownTypes.has(args.type)) {
            throw new Error(`Unexpected resource ${args.type} "${args.name}": the mock cloud does not know this type.`);
        }
        if (this.preview) {
            return { id: undefined, state: { ...args.inputs } };
        }
        const result = computed?.(args) ?? { id: `${args.name}-id`, state: {} };
        return { id: result.id, state: { ...args.inputs, ...result.state } };
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
}

/**
 * An error the SDK can pass on: it re-wraps a failed invoke as `new Error(err.details)`
 * (@pulumi/pulumi/runtime/invoke.js), so an Error without `details` reaches the program blank.
 */
export function invokeError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}
