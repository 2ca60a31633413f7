/**
 * Props of Cloud Run workloads as the Pulumi program (and @pulumi/gcp 9.37.0) produce them, built
 * from one neutral description so every test can run against v2 services, jobs and worker pools, v1
 * services and (with one container) gen2 functions.
 */
import { randomBytes } from "node:crypto";
import {
    CLOUD_FUNCTION_V2,
    CLOUD_RUN_V1_SERVICE,
    CLOUD_RUN_V2_JOB,
    CLOUD_RUN_V2_SERVICE,
    CLOUD_RUN_V2_WORKER_POOL,
} from "../../policies/lib/resource-types";

/** A variable: a literal `value` (anything, for malformed cases), a secret reference, or neither. */
export interface EnvSpec {
    readonly name: unknown;
    readonly value?: unknown;
    readonly secret?: unknown;
    readonly version?: string;
}

/** A container. */
export interface ContainerSpec {
    readonly name?: string;
    readonly image?: unknown;
    readonly envs?: readonly EnvSpec[];
    /** The port the container takes requests on (the ingress container of a multi-container service). */
    readonly port?: number;
}

/** Workload-level settings. */
export interface WorkloadSpec {
    readonly containers: readonly ContainerSpec[];
    /** The runtime account's email (or UNKNOWN_VALUE); omitted: unset. */
    readonly serviceAccount?: unknown;
    /** Secret ids mounted as volumes. */
    readonly volumeSecrets?: readonly string[];
}

/** One Cloud Run shape and how to build its props. */
export interface ShapeFixture {
    readonly label: string;
    readonly type: string;
    /** Path of the containers list, as messages spell it. */
    readonly containersPath: string;
    /** The noun messages use. */
    readonly noun: string;
    readonly build: (spec: WorkloadSpec) => Record<string, unknown>;
}

/** A random digest: tests never commit a 64-hex-digit literal. */
export function randomDigest(): string {
    return `sha256:${randomBytes(32).toString("hex")}`;
}

/** An image reference pinned by a random digest. */
export function pinnedImage(repository = "gcr.io/netra-staging/netra-auth-service"): string {
    return `${repository}@${randomDigest()}`;
}

function v2Env(env: EnvSpec): Record<string, unknown> {
    if (env.secret !== undefined) {
        return { name: env.name, valueSource: { secretKeyRef: { secret: env.secret, version: env.version ?? "latest" } } };
    }
    return env.value === undefined ? { name: env.name } : { name: env.name, value: env.value };
}

function v1Env(env: EnvSpec): Record<string, unknown> {
    if (env.secret !== undefined) {
        return { name: env.name, valueFrom: { secretKeyRef: { name: env.secret, key: env.version ?? "latest" } } };
    }
    return env.value === undefined ? { name: env.name } : { name: env.name, value: env.value };
}

function containers(spec: WorkloadSpec, toEnv: (env: EnvSpec) => Record<string, unknown>): Record<string, unknown>[] {
    return spec.containers.map((container) => ({
        ...(container.name === undefined ? {} : { name: container.name }),
        ...(container.image === undefined ? {} : { image: container.image }),
        ...(container.envs === undefined ? {} : { envs: container.envs.map(toEnv) }),
        ...(container.port === undefined
            ? {}
            : { ports: toEnv === v1Env ? [{ containerPort: container.port }] : { containerPort: container.port } }),
    }));
}

function withAccount(key: string, spec: WorkloadSpec): Record<string, unknown> {
    return spec.serviceAccount === undefined ? {} : { [key]: spec.serviceAccount };
}

/** The pod template v2 services and jobs share: account, containers, secret volumes. */
function v2PodTemplate(spec: WorkloadSpec): Record<string, unknown> {
    return {
        ...withAccount("serviceAccount", spec),
        containers: containers(spec, v2Env),
        ...(spec.volumeSecrets === undefined
            ? {}
            : { volumes: spec.volumeSecrets.map((secret, i) => ({ name: `secret-${i}`, secret: { secret } })) }),
    };
}

/** Cloud Run v2 service props. */
export function v2ServiceProps(spec: WorkloadSpec): Record<string, unknown> {
    return {
        project: "netra-staging",
        location: "us-central1",
        name: "netra-auth-service",
        deletionProtection: false,
        template: v2PodTemplate(spec),
    };
}

/** Cloud Run v2 job props. */
export function v2JobProps(spec: WorkloadSpec): Record<string, unknown> {
    return {
        project: "netra-staging",
        location: "us-central1",
        name: "netra-migrations",
        template: {
            taskCount: 1,
            template: v2PodTemplate(spec),
        },
    };
}

/** Cloud Run v2 worker pool props (same pod template as a service, under `template`). */
export function v2WorkerPoolProps(spec: WorkloadSpec): Record<string, unknown> {
    return {
        project: "netra-staging",
        location: "us-central1",
        name: "netra-queue-worker",
        deletionProtection: false,
        template: v2PodTemplate(spec),
    };
}

/**
 * Cloud Functions gen2 props: the first container's variables become `environmentVariables` (plain)
 * and `secretEnvironmentVariables` (by reference); a function has no other containers.
 */
export function functionProps(spec: WorkloadSpec): Record<string, unknown> {
    const envs = spec.containers[0]?.envs ?? [];
    const plain = envs.filter((env) => env.secret === undefined && typeof env.name === "string");
    const secret = envs.filter((env) => env.secret !== undefined);
    return {
        project: "netra-staging",
        location: "us-central1",
        name: "netra-webhook",
        buildConfig: { runtime: "nodejs20", entryPoint: "handler" },
        serviceConfig: {
            ingressSettings: "ALLOW_INTERNAL_ONLY",
            ...withAccount("serviceAccountEmail", spec),
            environmentVariables: Object.fromEntries(plain.map((env) => [env.name as string, env.value ?? ""])),
            secretEnvironmentVariables: secret.map((env) => ({
                key: env.name,
                projectId: "netra-staging",
                secret: env.secret,
                version: env.version ?? "latest",
            })),
            ...(spec.volumeSecrets === undefined
                ? {}
                : {
                      secretVolumes: spec.volumeSecrets.map((id, i) => ({
                          mountPath: `/secrets/${i}`,
                          projectId: "netra-staging",
                          secret: id,
                      })),
                  }),
        },
    };
}

/** The function shape: one implicit container labelled "The function". */
export const FUNCTION_SHAPE = {
    label: "gen2 function",
    type: CLOUD_FUNCTION_V2,
    containersPath: "serviceConfig",
    noun: "Cloud Function (gen2)",
    build: functionProps,
} as const satisfies ShapeFixture;

/** Legacy Cloud Run v1 service props. */
export function v1ServiceProps(spec: WorkloadSpec): Record<string, unknown> {
    return {
        project: "netra-staging",
        location: "us-central1",
        name: "netra-legacy",
        // Internal, so the legacy fixture is compliant with the advisory ingress policy (it is not a public service).
        metadata: { annotations: { "run.googleapis.com/ingress": "internal" } },
        template: {
            spec: {
                ...withAccount("serviceAccountName", spec),
                containers: containers(spec, v1Env),
                ...(spec.volumeSecrets === undefined
                    ? {}
                    : { volumes: spec.volumeSecrets.map((secret, i) => ({ name: `secret-${i}`, secret: { secretName: secret } })) }),
            },
        },
    };
}

/** The shapes with a containers list, for tests that must hold for each (functions: FUNCTION_SHAPE). */
export const SHAPES: readonly ShapeFixture[] = [
    {
        label: "v2 service",
        type: CLOUD_RUN_V2_SERVICE,
        containersPath: "template.containers",
        noun: "Cloud Run service",
        build: v2ServiceProps,
    },
    { label: "v2 job", type: CLOUD_RUN_V2_JOB, containersPath: "template.template.containers", noun: "Cloud Run job", build: v2JobProps },
    {
        label: "v2 worker pool",
        type: CLOUD_RUN_V2_WORKER_POOL,
        containersPath: "template.containers",
        noun: "Cloud Run worker pool",
        build: v2WorkerPoolProps,
    },
    {
        label: "v1 service",
        type: CLOUD_RUN_V1_SERVICE,
        containersPath: "template.spec.containers",
        noun: "Cloud Run (v1) service",
        build: v1ServiceProps,
    },
];

/** The auth service's account email on staging. */
export const AUTH_ACCOUNT_EMAIL = "netra-auth@netra-staging.iam.gserviceaccount.com";

/** A compliant staging container: ENVIRONMENT, plain config, a secret by reference, a pinned image. */
export function compliantContainer(name = "auth"): ContainerSpec {
    return {
        name,
        image: pinnedImage(),
        envs: [
            { name: "ENVIRONMENT", value: "staging" },
            { name: "GCP_PROJECT_ID", value: "netra-staging" },
            { name: "PYTHONUNBUFFERED", value: "1" },
            { name: "AUTH_SERVICE_URL", value: "https://auth.staging.netrasystems.ai" },
            { name: "SECURE_HEADERS_ENABLED", value: "true" },
            { name: "JWT_ACCESS_EXPIRY_MINUTES", value: "15" },
            { name: "JWT_SECRET_KEY", secret: "jwt-secret-staging" },
            { name: "POSTGRES_PASSWORD", secret: "projects/netra-staging/secrets/postgres-password-staging" },
        ],
    };
}

/** A compliant staging workload spec with one container. */
export function compliantWorkload(overrides: Partial<WorkloadSpec> = {}): WorkloadSpec {
    return { containers: [compliantContainer()], serviceAccount: AUTH_ACCOUNT_EMAIL, ...overrides };
}

/** `container` with its envs passed through `edit`. */
export function editEnvs(container: ContainerSpec, edit: (envs: EnvSpec[]) => EnvSpec[]): ContainerSpec {
    return { ...container, envs: edit([...(container.envs ?? [])]) };
}

/** `container` without the variable `name`. */
export function withoutEnv(container: ContainerSpec, name: string): ContainerSpec {
    return editEnvs(container, (envs) => envs.filter((env) => env.name !== name));
}

/** `container` with the variable `env` replacing any of the same name (or appended). */
export function withEnv(container: ContainerSpec, env: EnvSpec): ContainerSpec {
    return editEnvs(container, (envs) => {
        const at = envs.findIndex((existing) => existing.name === env.name);
        return at < 0 ? [...envs, env] : envs.map((existing, i) => (i === at ? env : existing));
    });
}
