/**
 * Shared plumbing of the Cloud Run policies: each checks all three workload shapes and marks itself
 * not applicable to anything else, as the SDK's own `validateResourceOfType` does for one type.
 */
import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { NOT_A_WORKLOAD, workloadShape, type WorkloadShape } from "./workloads";

/** The check a Cloud Run policy runs on one workload. */
export type WorkloadCheck = (shape: WorkloadShape, args: ResourceValidationArgs, reportViolation: ReportViolation) => void;

/** A validation that runs `check` on Cloud Run v2 services, v2 jobs and v1 services, and is not applicable to the rest. */
export function validateWorkloads(check: WorkloadCheck): ResourceValidation {
    return (args, reportViolation) => {
        const shape = workloadShape(args.type);
        if (shape === undefined) {
            return args.notApplicable(NOT_A_WORKLOAD);
        }
        check(shape, args, reportViolation);
    };
}
