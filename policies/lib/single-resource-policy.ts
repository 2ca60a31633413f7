import type { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";

/** A resource policy with exactly one validation function, so tests can call it directly. */
export type SingleResourcePolicy = ResourceValidationPolicy & { readonly validateResource: ResourceValidation };
