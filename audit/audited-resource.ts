/**
 * A live resource as the audit judges it: a type the policy pack already knows, props in the shape
 * that type has in @pulumi/gcp, and where it came from.
 */
import type { AnalyzerResourceInput } from "../check/policy-pack-host";
import type { WorkloadShape } from "../policies/lib/workloads";
import type { JsonObject } from "./input-error";

export type { JsonObject };

/**
 * What Cloud Run lists a workload as: a service, a job or a worker pool, each a namespace of its own (a
 * worker pool may share a service's name). A gen2 function runs as the Cloud Run service of its name.
 */
export type WorkloadKind = "service" | "job" | "worker pool";

/** The kind a workload shape is listed as (policies/lib/workloads.ts). */
export function workloadKind(shape: WorkloadShape): WorkloadKind {
    return shape.shortNoun === "job" || shape.shortNoun === "worker pool" ? shape.shortNoun : "service";
}

/** A Cloud Run workload's identity, to compare with what the program declares. */
export interface WorkloadIdentity {
    readonly kind: WorkloadKind;
    /** The Cloud Run name. */
    readonly name: string;
    /** The region, when the export says. */
    readonly location: string | undefined;
}

/** One resource read from an export. */
export interface AuditedResource {
    /** Type token, e.g. `gcp:cloudrun/service:Service`. */
    readonly type: string;
    /** The name in its URN. */
    readonly name: string;
    /** State exports carry the URN the engine gave it; live exports get one from stack, project, type and name. */
    readonly urn?: string;
    /** Props in wire form: what Analyze receives (a resource's inputs). */
    readonly inputs: JsonObject;
    /** What AnalyzeStack receives (the resulting state); default: `inputs`. */
    readonly state?: JsonObject;
    /** The rest of what the engine would send (parent, options, dependencies); state exports only. */
    readonly extra?: Omit<AnalyzerResourceInput, "urn" | "type" | "name" | "properties">;
    /** The file it was read from, as given on the command line. */
    readonly source: string;
    /** Set for Cloud Run services, jobs and worker pools. */
    readonly workload?: WorkloadIdentity;
}

/** One `--from` file: what kind of document it was and what it held. */
export interface AuditInput {
    readonly file: string;
    /** Words for the report, e.g. "gcloud run services list (serving.knative.dev/v1)". */
    readonly kind: string;
    readonly resources: readonly AuditedResource[];
    /** True when the input holds IAM grants (IAM policies, state exports), which the grant policy needs. */
    readonly holdsGrants: boolean;
}

/** Drops undefined members, so props hold only what the export said. */
export function compact(object: Record<string, unknown>): JsonObject {
    return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
