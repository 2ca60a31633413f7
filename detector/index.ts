/**
 * The runtime environment detector: one answer to "which environment am I in" for every Netra service.
 *
 * ```ts
 * import { detectEnvironment } from "./detector";
 * const { environment, warnings } = detectEnvironment(process.env); // throws EnvironmentDetectionError
 * ```
 */

export { ENVIRONMENTS, type EnvironmentName } from "./environments";
export { detectEnvironment, type DetectionResult, type DetectionSource } from "./detect";
export { EnvironmentDetectionError, type DetectionErrorCode } from "./errors";
export {
    DEFAULT_METADATA_TIMEOUT_MS,
    MAX_METADATA_TIMEOUT_MS,
    METADATA_HOST_VARIABLE,
    METADATA_PROJECT_ID_SIGNAL,
    detectEnvironmentWithMetadata,
    type MetadataOptions,
} from "./metadata";
export { PLATFORM_WORDS, type Platform } from "./cloud-run";
export { SIGNAL_VARIABLES, type EnvironmentVariables, type Signal, type Signals } from "./signals";
