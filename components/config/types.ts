import type { EnvironmentName } from "../../detector/environments";

/** Where raw config came from, so every error can name the file and the key. */
export interface ConfigSource {
    /** The stack file, e.g. `Pulumi.staging.yaml`. */
    readonly file: string;
    /** The Pulumi project name, which namespaces the program's keys (`netra-platform:services`). */
    readonly namespace: string;
    /** The stack name, e.g. `staging`. */
    readonly stack: string;
}

/** The stack's config as the Pulumi engine hands it over: keys without namespace, values parsed from YAML. */
export interface RawStackConfig {
    /** `gcp:project`. */
    readonly gcpProject?: unknown;
    /** `gcp:region`. */
    readonly gcpRegion?: unknown;
    /** Program keys (`<project>:<key>`), by key. */
    readonly values: Readonly<Record<string, unknown>>;
    /** Program keys whose value is encrypted (`secure:`) in the stack file. Default: none. */
    readonly secretKeys?: readonly string[];
}

/** How a service reaches its VPC (Memorystore Redis lives there). */
export interface VpcConnectorConfig {
    /** Serverless VPC Access connector name, e.g. `staging-connector-v2`. */
    readonly name: string;
    /** Which egress goes through the connector. */
    readonly egress: "private-ranges-only" | "all-traffic";
}

/** A secret mounted as an environment variable. */
export interface SecretReference {
    /** Secret Manager secret id (not the full resource name). */
    readonly secret: string;
    /** Version to mount: `latest` or a version number. */
    readonly version: string;
}

/** One Cloud Run service, validated and with every default filled in. */
export interface ServiceConfig {
    /** The key under `services` (`backend`), used for resource names and consumer lists. */
    readonly key: string;
    /** Cloud Run service name. */
    readonly name: string;
    /** Container image (tag or digest). */
    readonly image: string;
    /** Container port Cloud Run sends requests to. */
    readonly port: number;
    /** CPU limit, Cloud Run notation (`1`, `4`, `500m`). */
    readonly cpu: string;
    /** Memory limit, Kubernetes notation (`512Mi`, `6Gi`). */
    readonly memory: string;
    readonly minInstances: number;
    readonly maxInstances: number;
    /** Requests one instance serves at once. */
    readonly concurrency: number;
    /** Request timeout in seconds (Cloud Run allows 1 to 3600). */
    readonly requestTimeoutSeconds: number;
    /** CPU allocated outside requests (no throttling): WebSocket heartbeats need it. */
    readonly cpuAlwaysAllocated: boolean;
    readonly startupCpuBoost: boolean;
    readonly ingress: "all" | "internal" | "internal-and-cloud-load-balancing";
    /** Grants `allUsers` the invoker role. */
    readonly allowUnauthenticated: boolean;
    /** Account id of the service's own runtime service account. */
    readonly serviceAccountId: string;
    readonly vpcConnector: VpcConnectorConfig | undefined;
    /** Cloud SQL instance connection names (`project:region:instance`). */
    readonly cloudSqlInstances: readonly string[];
    /** Whether Next.js public variables (`NEXT_PUBLIC_*`) are derived for this service. */
    readonly nextPublicEnv: boolean;
    /** Plain variables, by name, in the stack file's order. */
    readonly env: Readonly<Record<string, string>>;
    /** Secret variables, by name. */
    readonly secrets: Readonly<Record<string, SecretReference>>;
}

/** The E2E OAuth simulation key the deployment generates. */
export interface E2eKeyConfig {
    /** Changing it generates a new key and a new secret version. */
    readonly rotation: string;
    /** Service keys whose runtime accounts read the key (mounted as an env var). */
    readonly consumers: readonly string[];
    /** IAM members that read the key outside Cloud Run (the CI E2E runner). */
    readonly readers: readonly string[];
    /** Adopt a secret that scripts already created instead of creating it. */
    readonly adoptExisting: boolean;
}

/** The whole stack's config, validated. */
export interface StackConfig {
    readonly source: ConfigSource;
    readonly gcpProject: string;
    readonly region: string;
    readonly environment: EnvironmentName;
    /** Public domain; every service URL is derived from it. */
    readonly domain: string;
    /** Adopt script-created Cloud Run services with Pulumi's `import` option. */
    readonly adoptExisting: boolean;
    /** Cloud Run deletion protection; must be false in state before a destroy or replace. */
    readonly deletionProtection: boolean;
    /** Labels on every labelled resource (environment and managed-by are always added). */
    readonly labels: Readonly<Record<string, string>>;
    /** Services in the stack file's order. */
    readonly services: readonly ServiceConfig[];
    /** Undefined when the key is not enabled. */
    readonly e2eKey: E2eKeyConfig | undefined;
}
