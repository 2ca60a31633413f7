/**
 * What Cloud Run sets in the containers of each kind of workload, from Google's container runtime contract
 * (cloud.google.com/run/docs/container-contract, "Environment variables" for services, jobs and worker pools) and
 * the reserved variables of Cloud Run functions (cloud.google.com/run/docs/configuring/services/overview-environment-variables,
 * "Reserved environment variables for functions"). The detector's platform markers and the reserved names in
 * rules/cloudrun-env.ts both come from here, so the two cannot drift apart.
 */

/** Set on every container of a service (and of a function, which is a service): its name, revision and configuration. */
export const CLOUD_RUN_SERVICE_VARIABLES: readonly string[] = ["K_SERVICE", "K_REVISION", "K_CONFIGURATION"];

/** Set on every task of a job: the job, the execution, and three numbers (index, attempt, count). */
export const CLOUD_RUN_JOB_VARIABLES: readonly string[] = [
    "CLOUD_RUN_JOB",
    "CLOUD_RUN_EXECUTION",
    "CLOUD_RUN_TASK_INDEX",
    "CLOUD_RUN_TASK_ATTEMPT",
    "CLOUD_RUN_TASK_COUNT",
];

/** Set on every instance of a worker pool: the pool and its revision. */
export const CLOUD_RUN_WORKER_POOL_VARIABLES: readonly string[] = ["CLOUD_RUN_WORKER_POOL", "CLOUD_RUN_WORKER_POOL_REVISION"];

/**
 * Set, besides the service variables, on a function deployed to Cloud Run (Cloud Functions gen2 included): the entry
 * point and its signature type. The Functions Framework also reads `FUNCTION_TARGET` on a laptop, so it never marks
 * Cloud Run by itself; it only tells a function from a plain service.
 */
export const CLOUD_RUN_FUNCTION_VARIABLES: readonly string[] = ["FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE"];

/** The kind of Cloud Run workload a process runs in. */
export type Platform = "cloud-run-service" | "cloud-run-function" | "cloud-run-job" | "cloud-run-worker-pool";

/** Each kind in words, for messages ("Set ENVIRONMENT=staging on the Cloud Run job."). */
export const PLATFORM_WORDS: Readonly<Record<Platform, string>> = Object.freeze({
    "cloud-run-service": "Cloud Run service",
    "cloud-run-function": "Cloud Run function",
    "cloud-run-job": "Cloud Run job",
    "cloud-run-worker-pool": "Cloud Run worker pool",
});
