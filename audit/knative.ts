/**
 * Cloud Run as `gcloud run services|jobs|worker-pools list|describe --format=json` print it: the
 * Knative-style resources of the Cloud Run Admin API v1 (https://cloud.google.com/run/docs/reference/rest/v1,
 * namespaces.services, namespaces.jobs and namespaces.workerpools; gcloud's worker-pools commands read v1,
 * lib/surface/run/worker_pools/describe.py and list.py). A service keeps its Knative layout in
 * `gcp:cloudrun/service:Service`; a job and a worker pool, which @pulumi/gcp has only in v2, become
 * `gcp:cloudrunv2/job:Job` (containers under `template.template`) and `gcp:cloudrunv2/workerPool:WorkerPool`
 * (containers under `template`).
 */
import { CLOUD_RUN_V1_SERVICE, CLOUD_RUN_V2_JOB, CLOUD_RUN_V2_WORKER_POOL } from "../policies/lib/resource-types";
import { parseSecretAliases, resolveSecretAlias, SECRETS_ANNOTATION } from "../rules/cloudrun-secret-aliases";
import { type AuditedResource, compact } from "./audited-resource";
import { mapContainers, mapVolumes } from "./cloud-run-fields";
import { describeGiven, describeToken, type DocumentReader, isObject, type JsonObject, type JsonPath } from "./input-error";

/** `apiVersion` of a Knative service. */
export const KNATIVE_SERVICE_API_VERSION = "serving.knative.dev/v1";
/** `apiVersion` of a Cloud Run (v1 API) job or worker pool. */
export const KNATIVE_JOB_API_VERSION = "run.googleapis.com/v1";
/** Label in which Cloud Run reports a resource's region. */
export const LOCATION_LABEL = "cloud.googleapis.com/location";

/** The aliases a revision or execution template declares (rules/cloudrun-secret-aliases.ts): alias -> full secret name. */
function secretAliases(reader: DocumentReader, metadata: JsonObject | undefined, path: JsonPath): ReadonlyMap<string, string> {
    const annotationsPath = [...path, "annotations"];
    const annotations = reader.optionalObject(metadata?.annotations, annotationsPath, "annotations");
    const value = reader.optionalString(annotations?.[SECRETS_ANNOTATION], [...annotationsPath, SECRETS_ANNOTATION], "secret aliases");
    const { aliases, malformed } = parseSecretAliases(value ?? "");
    if (malformed) {
        return reader.fail([...annotationsPath, SECRETS_ANNOTATION], "holds an entry that is not <alias>:projects/<project>/secrets/<id>");
    }
    return aliases;
}

/** `object[key]` replaced by the secret its alias stands for, when it is an alias. */
function dealias(object: unknown, key: string, aliases: ReadonlyMap<string, string>): unknown {
    if (!isObject(object) || typeof object[key] !== "string") {
        return object;
    }
    const resolved = resolveSecretAlias(object[key], aliases);
    return resolved === object[key] ? object : { ...object, [key]: resolved };
}

/** Secret aliases replaced in mapped containers (secretKeyRef `name` / `secret`) and volumes (`secretName` / `secret`). */
function resolveAliases(spec: JsonObject, aliases: ReadonlyMap<string, string>): JsonObject {
    if (aliases.size === 0) {
        return spec;
    }
    // Mapped variables are objects: mapContainers refused any other entry, naming its path.
    const envs = (container: JsonObject): unknown =>
        Array.isArray(container.envs)
            ? container.envs.map((env: JsonObject) => {
                  const key = "valueFrom" in env ? "valueFrom" : "valueSource";
                  const source = env[key];
                  // Only a secret reference has an alias to resolve: a configMapKeyRef gets no stray secretKeyRef key.
                  return isObject(source) && source.secretKeyRef !== undefined
                      ? {
                            ...env,
                            [key]: { ...source, secretKeyRef: dealias(dealias(source.secretKeyRef, "name", aliases), "secret", aliases) },
                        }
                      : env;
              })
            : container.envs;
    return compact({
        ...spec,
        containers: Array.isArray(spec.containers)
            ? spec.containers.map((container: JsonObject) => compact({ ...container, envs: envs(container) }))
            : undefined,
        volumes: Array.isArray(spec.volumes)
            ? spec.volumes.map((volume: JsonObject) => ({
                  ...volume,
                  ...(isObject(volume.secret) ? { secret: dealias(dealias(volume.secret, "secretName", aliases), "secret", aliases) } : {}),
              }))
            : undefined,
    });
}

/** What a Knative document is, from its apiVersion and kind. */
export type KnativeKind = "service" | "job" | "worker-pool" | "service-list" | "job-list" | "worker-pool-list" | undefined;

/** The v1 API's kinds under run.googleapis.com/v1. */
const RUN_V1_KINDS: Readonly<Record<string, KnativeKind>> = {
    Job: "job",
    JobList: "job-list",
    WorkerPool: "worker-pool",
    WorkerPoolList: "worker-pool-list",
};

/** Recognises a Knative document by `apiVersion` and `kind`; undefined when it is none of ours. */
export function knativeKind(document: JsonObject): KnativeKind {
    if (document.apiVersion === KNATIVE_SERVICE_API_VERSION) {
        return document.kind === "Service" ? "service" : document.kind === "ServiceList" ? "service-list" : undefined;
    }
    if (document.apiVersion === KNATIVE_JOB_API_VERSION) {
        return typeof document.kind === "string" && Object.hasOwn(RUN_V1_KINDS, document.kind) ? RUN_V1_KINDS[document.kind] : undefined;
    }
    return undefined;
}

/** True for an object that declares itself a Kubernetes-style resource. */
export function looksKnative(value: unknown): boolean {
    return isObject(value) && ("apiVersion" in value || "kind" in value);
}

/** The one line for a Knative document of another kind (a Revision, a Route, an Execution...). */
export function notAWorkload(reader: DocumentReader, document: JsonObject, path: JsonPath): never {
    const field =
        document.apiVersion === KNATIVE_SERVICE_API_VERSION || document.apiVersion === KNATIVE_JOB_API_VERSION ? "kind" : "apiVersion";
    return reader.fail([...path, field], `is ${describeToken(document[field])}; expected ${KNATIVE_WORKLOADS}`);
}

/** Labels and annotations of a metadata object: maps of strings, as Kubernetes has them. */
function labelsAndAnnotations(reader: DocumentReader, metadata: JsonObject | undefined, path: JsonPath) {
    return {
        labels: reader.stringMap(metadata?.labels, [...path, "labels"], "labels", "a label's value"),
        annotations: reader.stringMap(metadata?.annotations, [...path, "annotations"], "annotations", "an annotation's value"),
    };
}

function metadataOf(reader: DocumentReader, document: JsonObject, path: JsonPath) {
    const metadataPath = [...path, "metadata"];
    const metadata = reader.object(document.metadata, metadataPath, "the resource's metadata");
    const name = reader.string(metadata.name, [...metadataPath, "name"], "the resource's name");
    // The region first: its own words say more than a label's.
    const rawLabels = reader.optionalObject(metadata.labels, [...metadataPath, "labels"], "labels");
    const location = reader.optionalString(rawLabels?.[LOCATION_LABEL], [...metadataPath, "labels", LOCATION_LABEL], "the region");
    const { labels, annotations } = labelsAndAnnotations(reader, metadata, metadataPath);
    const namespace = reader.optionalString(metadata.namespace, [...metadataPath, "namespace"], "the project");
    return { name, labels, annotations, location, namespace };
}

/**
 * The revision template of a Service or a WorkerPool (`spec.template`), read the same way for both: its metadata,
 * the secret aliases it declares, its labels and annotations, and the pod spec under it. `specWhat` names the spec
 * in messages ("the service's spec").
 */
function revisionTemplate(reader: DocumentReader, document: JsonObject, path: JsonPath, specWhat: string) {
    const spec = reader.optionalObject(document.spec, [...path, "spec"], specWhat);
    const templatePath = [...path, "spec", "template"];
    const template = reader.optionalObject(spec?.template, templatePath, "the revision template");
    const templateMetadata = reader.optionalObject(template?.metadata, [...templatePath, "metadata"], "the revision template's metadata");
    // The secret aliases first: their own words say more than an annotation's.
    const aliases = secretAliases(reader, templateMetadata, [...templatePath, "metadata"]);
    const templateTags = labelsAndAnnotations(reader, templateMetadata, [...templatePath, "metadata"]);
    const podPath = [...templatePath, "spec"];
    const podSpec = reader.optionalObject(template?.spec, podPath, "the revision spec");
    return { spec, template, templateMetadata, aliases, templateTags, podSpec, podPath };
}

/** A Knative Service as `gcp:cloudrun/service:Service` props. */
export function knativeService(reader: DocumentReader, document: JsonObject, path: JsonPath): AuditedResource {
    const { name, labels, annotations, location, namespace } = metadataOf(reader, document, path);
    const { spec, template, templateMetadata, aliases, podSpec, podPath } = revisionTemplate(reader, document, path, "the service's spec");
    const mappedSpec =
        podSpec === undefined
            ? undefined
            : resolveAliases(
                  compact({
                      ...podSpec,
                      serviceAccountName: reader.optionalString(
                          podSpec.serviceAccountName,
                          [...podPath, "serviceAccountName"],
                          "the runtime service account's email",
                      ),
                      containers: mapContainers(reader, podSpec.containers, [...podPath, "containers"], "knative", "v1-service"),
                      volumes: mapVolumes(reader, podSpec.volumes, [...podPath, "volumes"], "knative", "v1-service"),
                  }),
                  aliases,
              );
    const inputs = compact({
        name,
        location,
        project: namespace,
        metadata: compact({ annotations, labels, namespace }),
        template: template === undefined ? undefined : compact({ metadata: templateMetadata, spec: mappedSpec }),
        traffics:
            spec?.traffic === undefined
                ? undefined
                : reader.objectList(spec.traffic, [...path, "spec", "traffic"], "traffic targets", "a traffic target"),
    });
    return { type: CLOUD_RUN_V1_SERVICE, name, inputs, source: reader.file, workload: { kind: "service", name, location } };
}

/** A Cloud Run (v1 API) Job as `gcp:cloudrunv2/job:Job` props: execution template, then task template. */
export function knativeJob(reader: DocumentReader, document: JsonObject, path: JsonPath): AuditedResource {
    const { name, labels, annotations, location, namespace } = metadataOf(reader, document, path);
    const executionPath = [...path, "spec", "template"];
    const spec = reader.optionalObject(document.spec, [...path, "spec"], "the job's spec");
    const execution = reader.optionalObject(spec?.template, executionPath, "the execution template");
    const executionMetadata = reader.optionalObject(
        execution?.metadata,
        [...executionPath, "metadata"],
        "the execution template's metadata",
    );
    const aliases = secretAliases(reader, executionMetadata, [...executionPath, "metadata"]);
    const executionTags = labelsAndAnnotations(reader, executionMetadata, [...executionPath, "metadata"]);
    const executionSpecPath = [...executionPath, "spec"];
    const executionSpec = reader.optionalObject(execution?.spec, executionSpecPath, "the execution spec");
    const taskPath = [...executionSpecPath, "template", "spec"];
    const task = reader.optionalObject(executionSpec?.template, [...executionSpecPath, "template"], "the task template");
    const taskSpec = reader.optionalObject(task?.spec, taskPath, "the task spec");
    // int64 in the API: proto3 JSON writes it as a string ("600"), which @pulumi/gcp's Duration takes as "600s".
    const timeoutSeconds = reader.optionalCount(taskSpec?.timeoutSeconds, [...taskPath, "timeoutSeconds"], "the task's timeout in seconds");
    const taskTemplate =
        taskSpec === undefined
            ? undefined
            : resolveAliases(
                  compact({
                      containers: mapContainers(reader, taskSpec.containers, [...taskPath, "containers"], "knative", "v2-job"),
                      volumes: mapVolumes(reader, taskSpec.volumes, [...taskPath, "volumes"], "knative", "v2-job"),
                      serviceAccount: reader.optionalString(
                          taskSpec.serviceAccountName,
                          [...taskPath, "serviceAccountName"],
                          "the runtime service account's email",
                      ),
                      maxRetries: reader.optionalCount(taskSpec.maxRetries, [...taskPath, "maxRetries"], "the task's retries"),
                      timeout: timeoutSeconds === undefined ? undefined : `${timeoutSeconds}s`,
                  }),
                  aliases,
              );
    const inputs = compact({
        name,
        location,
        project: namespace,
        labels,
        annotations,
        template:
            execution === undefined
                ? undefined
                : compact({
                      ...executionTags,
                      parallelism: reader.optionalCount(
                          executionSpec?.parallelism,
                          [...executionSpecPath, "parallelism"],
                          "the parallelism",
                      ),
                      taskCount: reader.optionalCount(executionSpec?.taskCount, [...executionSpecPath, "taskCount"], "the task count"),
                      template: taskTemplate,
                  }),
    });
    return { type: CLOUD_RUN_V2_JOB, name, inputs, source: reader.file, workload: { kind: "job", name, location } };
}

/**
 * A Cloud Run (v1 API) WorkerPool as `gcp:cloudrunv2/workerPool:WorkerPool` props: its revision template's
 * labels, annotations, containers, volumes and account become the v2 `template`'s. Secret aliases are resolved
 * as a service's; the instance splits (v1 `revisionName` / `latestRevision`) are not mapped, as no policy reads them.
 */
export function knativeWorkerPool(reader: DocumentReader, document: JsonObject, path: JsonPath): AuditedResource {
    const { name, labels, annotations, location, namespace } = metadataOf(reader, document, path);
    const { template, templateTags, aliases, podSpec, podPath } = revisionTemplate(reader, document, path, "the worker pool's spec");
    const mapped =
        template === undefined
            ? undefined
            : resolveAliases(
                  compact({
                      ...templateTags,
                      containers: mapContainers(reader, podSpec?.containers, [...podPath, "containers"], "knative", "v2-worker-pool"),
                      volumes: mapVolumes(reader, podSpec?.volumes, [...podPath, "volumes"], "knative", "v2-worker-pool"),
                      serviceAccount: reader.optionalString(
                          podSpec?.serviceAccountName,
                          [...podPath, "serviceAccountName"],
                          "the runtime service account's email",
                      ),
                  }),
                  aliases,
              );
    const inputs = compact({ name, location, project: namespace, labels, annotations, template: mapped });
    return { type: CLOUD_RUN_V2_WORKER_POOL, name, inputs, source: reader.file, workload: { kind: "worker pool", name, location } };
}

/** What a list element or a document must be, for messages. */
export const KNATIVE_WORKLOADS =
    `a Cloud Run Service (apiVersion ${KNATIVE_SERVICE_API_VERSION}, kind Service), ` +
    `Job or WorkerPool (apiVersion ${KNATIVE_JOB_API_VERSION}, kind Job or WorkerPool)`;

/** A Service, Job or WorkerPool document; anything else fails naming what it is. */
export function knativeWorkload(reader: DocumentReader, value: unknown, path: JsonPath): AuditedResource {
    if (!isObject(value)) {
        return reader.fail(path, `is ${describeGiven(value)}; expected ${KNATIVE_WORKLOADS}`);
    }
    if (!looksKnative(value)) {
        return reader.fail(path, `is an object without apiVersion and kind; expected ${KNATIVE_WORKLOADS}`);
    }
    switch (knativeKind(value)) {
        case "service":
            return knativeService(reader, value, path);
        case "job":
            return knativeJob(reader, value, path);
        case "worker-pool":
            return knativeWorkerPool(reader, value, path);
        default:
            return notAWorkload(reader, value, path);
    }
}
