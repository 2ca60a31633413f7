/**
 * Shared plumbing of the Cloud Run policies: each checks all three workload shapes and marks itself
 * not applicable to anything else, as the SDK's own `validateResourceOfType` does for one type.
 */
import type { ReportViolation, ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { NOT_A_WORKLOAD, workloadShape, type WorkloadShape } from "./workloads";

/** A resource policy with exactly one validation function, so tests can call it directly. */
export type SingleResourcePolicy = ResourceValidationPolicy & { readonly validateResource: ResourceValidation };

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

/** The config object a policy received, as a plain record (never throws, whatever `getConfig` returns). */
export function readConfig(args: { getConfig<T extends object>(): T }): Readonly<Record<string, unknown>> {
    const config: unknown = args.getConfig<Record<string, unknown>>();
    return typeof config === "object" && config !== null ? (config as Record<string, unknown>) : {};
}

/** A string-array config property, or `fallback` when it is absent or malformed. */
export function stringListConfig(config: Readonly<Record<string, unknown>>, key: string, fallback: readonly string[]): readonly string[] {
    const value = config[key];
    return Array.isArray(value) && value.every((item) => typeof item === "string") ? (value as string[]) : fallback;
}
