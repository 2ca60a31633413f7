/**
 * Answers to provider invokes (data sources) in the offline check. Offline nothing can be looked
 * up, so an invoke is answered only where the answer follows from the stack config or from the
 * invoke's own arguments; every other invoke is answered as unknown, as a first `pulumi preview`
 * sees a value not yet known, and the report lists it.
 */
import { createHash } from "node:crypto";

/** How an invoke was answered offline. */
export type InvokeAnswerKind =
    /** From the stack config (`gcp:project`, `gcp:region`, ...), as the provider would. */
    | "stack-config"
    /** Computed from the invoke's arguments, as the provider does without calling Google. */
    | "computed"
    /** Not knowable offline: the program sees an unknown value. */
    | "unknown";

/** One invoke token and how it was answered, for the report. */
export interface InvokeAnswer {
    readonly token: string;
    readonly answer: InvokeAnswerKind;
    /** How many times the program called it. */
    readonly count: number;
}

type Inputs = Record<string, unknown>;
type Answer = (inputs: Inputs, config: Readonly<Record<string, string>>) => Record<string, unknown>;

/** A stand-in project number: stable for a project id, all digits like Google's. */
export function projectNumberOf(projectId: string): string {
    return BigInt(`0x${createHash("sha256").update(projectId).digest("hex").slice(0, 11)}`).toString();
}

function text(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

/** `gcp:organizations/getIAMPolicy`: the provider builds the policy document from its arguments alone. */
function iamPolicy(inputs: Inputs): Record<string, unknown> {
    const bindings = (Array.isArray(inputs.bindings) ? inputs.bindings : []).map((binding: Inputs) => ({
        role: binding.role,
        members: Array.isArray(binding.members) ? [...(binding.members as string[])].sort() : [],
        ...(binding.condition === undefined ? {} : { condition: binding.condition }),
    }));
    const auditConfigs = Array.isArray(inputs.auditConfigs) ? inputs.auditConfigs : [];
    const policy = { ...(auditConfigs.length > 0 ? { auditConfigs } : {}), ...(bindings.length > 0 ? { bindings } : {}) };
    const policyData = JSON.stringify(policy);
    return { policyData, id: createHash("sha256").update(policyData).digest("hex").slice(0, 16) };
}

/**
 * Invokes answered without a cloud, by token, each with where its answer comes from. Only what the
 * provider itself would derive the same way: the provider's own project and region, a project's
 * id (its number is a stand-in, as the mock cloud's ids are), and policy documents built from
 * their arguments.
 */
const ANSWERS: Readonly<Record<string, { kind: Exclude<InvokeAnswerKind, "unknown">; answer: Answer }>> = {
    "gcp:organizations/getClientConfig:getClientConfig": {
        kind: "stack-config",
        // accessToken is left out: it is a credential, and the offline check holds none.
        answer: (_, config) => ({
            id: `projects/${config["gcp:project"] ?? ""}/regions/${config["gcp:region"] ?? ""}/zones/${config["gcp:zone"] ?? ""}`,
            project: config["gcp:project"],
            region: config["gcp:region"],
            zone: config["gcp:zone"],
        }),
    },
    "gcp:organizations/getProject:getProject": {
        kind: "stack-config",
        answer: (inputs, config) => {
            const projectId = text(inputs.projectId) ?? config["gcp:project"];
            return projectId === undefined ? {} : { id: `projects/${projectId}`, projectId, number: projectNumberOf(projectId) };
        },
    },
    "gcp:organizations/getIAMPolicy:getIAMPolicy": { kind: "computed", answer: (inputs) => iamPolicy(inputs) },
};

/** Whether the offline check can answer `token`; when it cannot, the program sees an unknown value. */
export function answersOffline(token: string): boolean {
    return Object.prototype.hasOwnProperty.call(ANSWERS, token);
}

/** The offline answer to an invoke, or undefined when it is not knowable offline. */
export function answerInvoke(
    token: string,
    inputs: Inputs,
    config: Readonly<Record<string, string>>,
): { kind: Exclude<InvokeAnswerKind, "unknown">; result: Record<string, unknown> } | undefined {
    if (!answersOffline(token)) {
        return undefined;
    }
    const entry = ANSWERS[token];
    const result = entry.answer(inputs, config);
    // An undefined value cannot be sent over the wire; an absent key reads the same.
    return { kind: entry.kind, result: Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)) };
}

/** Counts invokes by token and answer, in first-call order. */
export class InvokeLog {
    private readonly counts = new Map<string, { answer: InvokeAnswerKind; count: number }>();

    record(token: string, answer: InvokeAnswerKind): void {
        const entry = this.counts.get(token);
        this.counts.set(token, { answer, count: (entry?.count ?? 0) + 1 });
    }

    list(): InvokeAnswer[] {
        return [...this.counts].map(([token, { answer, count }]) => ({ token, answer, count }));
    }
}
