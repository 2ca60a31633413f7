/**
 * Shared plumbing of the Cloud Run policies: each checks every workload shape (v2 services, jobs and worker pools, v1 services, functions) and marks itself
 * not applicable to anything else, as the SDK's own `validateResourceOfType` does for one type.
 */
import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { notApplicable } from "./not-applicable";
import { NOT_A_WORKLOAD, workloadShape, type WorkloadShape } from "./workloads";

/** The check a Cloud Run policy runs on one workload. */
export type WorkloadCheck = (shape: WorkloadShape, args: ResourceValidationArgs, reportViolation: ReportViolation) => void | Promise<void>;

/** A validation that runs `check` on every Cloud Run workload shape and is not applicable to the rest. */
export function validateWorkloads(check: WorkloadCheck): ResourceValidation {
    return (args, reportViolation) => {
        const shape = workloadShape(args.type);
        if (shape === undefined) {
            return notApplicable(args, NOT_A_WORKLOAD);
        }
        return check(shape, args, reportViolation);
    };
}
