/**
 * Cloud Run Admin API v2 JSON (`projects.locations.services.list|get`, `projects.locations.jobs.list|get`,
 * `projects.locations.workerPools.list|get`, https://cloud.google.com/run/docs/reference/rest/v2): the same
 * field names as `gcp.cloudrunv2.Service`, `Job` and `WorkerPool`, except the plural lists, the one-port
 * object and the full resource name, which @pulumi/gcp splits into project, location and name.
 */
import { CLOUD_RUN_V2_JOB, CLOUD_RUN_V2_SERVICE, CLOUD_RUN_V2_WORKER_POOL } from "../policies/lib/resource-types";
import { type AuditedResource, compact, type WorkloadKind } from "./audited-resource";
import { mapContainers, mapVolumes, type TargetShape } from "./cloud-run-fields";
import { describeGiven, type DocumentReader, type JsonObject, type JsonPath } from "./input-error";

const RESOURCE_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/(services|jobs|workerPools)\/([^/]+)$/;

/** The collection a v2 resource name names, as the API spells it. */
export type V2Collection = "services" | "jobs" | "workerPools";

/** What a v2 collection holds: the @pulumi/gcp type, the kind of workload, and words for messages. */
export interface V2CollectionFacts {
    readonly type: string;
    readonly kind: WorkloadKind;
    /** The kind in the plural, e.g. "worker pools". */
    readonly plural: string;
    /** One element, e.g. "a Cloud Run v2 WorkerPool". */
    readonly element: string;
    /** What its list holds, e.g. "Cloud Run v2 WorkerPools". */
    readonly elements: string;
}

export const V2_COLLECTIONS: Readonly<Record<V2Collection, V2CollectionFacts>> = {
    services: {
        type: CLOUD_RUN_V2_SERVICE,
        kind: "service",
        plural: "services",
        element: "a Cloud Run v2 Service",
        elements: "Cloud Run v2 Services",
    },
    jobs: { type: CLOUD_RUN_V2_JOB, kind: "job", plural: "jobs", element: "a Cloud Run v2 Job", elements: "Cloud Run v2 Jobs" },
    workerPools: {
        type: CLOUD_RUN_V2_WORKER_POOL,
        kind: "worker pool",
        plural: "worker pools",
        element: "a Cloud Run v2 WorkerPool",
        elements: "Cloud Run v2 WorkerPools",
    },
};

/**
 * Fields of Cloud Build's private worker pools (cloudbuild.googleapis.com `projects.locations.workerPools`,
 * `gcloud builds worker-pools`), whose names read like a Cloud Run worker pool's; a Cloud Run worker pool has none.
 */
const CLOUD_BUILD_WORKER_POOL_FIELDS: readonly string[] = ["privatePoolV1Config", "displayName", "state"];

/** Fields the API computes (status, timestamps, etags); a resource's inputs never hold them. */
const OUTPUT_ONLY: ReadonlySet<string> = new Set([
    "uid",
    "generation",
    "createTime",
    "updateTime",
    "deleteTime",
    "expireTime",
    "creator",
    "lastModifier",
    "observedGeneration",
    "terminalCondition",
    "conditions",
    "latestReadyRevision",
    "latestCreatedRevision",
    "latestCreatedExecution",
    "executionCount",
    "trafficStatuses",
    "instanceSplitStatuses",
    "uri",
    "urls",
    "reconciling",
    "etag",
    "satisfiesPzs",
]);

/** The collection a v2 resource name names, or undefined when it is no such name. */
export function v2ResourceKind(name: unknown): V2Collection | undefined {
    const match = typeof name === "string" ? RESOURCE_NAME.exec(name) : null;
    return match === null ? undefined : (match[3] as V2Collection);
}

/** Labels and annotations of a v2 resource or template: maps of strings. */
function checkLabelsAndAnnotations(reader: DocumentReader, object: JsonObject, path: JsonPath): void {
    reader.stringMap(object.labels, [...path, "labels"], "labels", "a label's value");
    reader.stringMap(object.annotations, [...path, "annotations"], "annotations", "an annotation's value");
}

function podTemplate(reader: DocumentReader, raw: unknown, path: JsonPath, to: TargetShape): JsonObject {
    const template = reader.object(raw, path, "a pod template");
    checkLabelsAndAnnotations(reader, template, path);
    reader.optionalString(template.serviceAccount, [...path, "serviceAccount"], "the runtime service account's email");
    const vpcAccess = reader.optionalObject(template.vpcAccess, [...path, "vpcAccess"], "the VPC access settings");
    reader.optionalString(vpcAccess?.connector, [...path, "vpcAccess", "connector"], "the VPC connector");
    // A Duration in proto3 JSON: a string such as "600s".
    reader.optionalString(template.timeout, [...path, "timeout"], "the timeout as a duration such as 600s");
    // Volumes keep their v2 shape (`secret.secret` is what the v2 types read); a secret volume must name its secret.
    return compact({
        ...template,
        // A number, as @pulumi/gcp types it, also when the API's JSON gave its decimal string.
        maxRetries: reader.optionalCount(template.maxRetries, [...path, "maxRetries"], "the task's retries"),
        containers: mapContainers(reader, template.containers, [...path, "containers"], "v2-api", to),
        volumes: mapVolumes(reader, template.volumes, [...path, "volumes"], "v2-api", to),
    });
}

/** Refuses a Cloud Build worker pool, which has a Cloud Run worker pool's name but none of its settings. */
function refuseCloudBuildWorkerPool(reader: DocumentReader, resource: JsonObject, path: JsonPath): void {
    const field = CLOUD_BUILD_WORKER_POOL_FIELDS.find((key) => key in resource);
    if (field !== undefined) {
        reader.fail(
            [...path, field],
            "is a field of Cloud Build's worker pools (gcloud builds worker-pools), which run builds, not workloads; " +
                "expected a Cloud Run worker pool (gcloud run worker-pools, or run.googleapis.com projects.locations.workerPools)",
        );
    }
}

/** A service's or worker pool's scaling: counts as @pulumi/gcp types them (numbers), also when the API's JSON gave their decimal strings. */
function scaling(reader: DocumentReader, raw: unknown, path: JsonPath): JsonObject | undefined {
    const settings = reader.optionalObject(raw, path, "the scaling settings");
    if (settings === undefined) {
        return undefined;
    }
    const count = (key: string, what: string) => reader.optionalCount(settings[key], [...path, key], what);
    return compact({
        ...settings,
        minInstanceCount: count("minInstanceCount", "the minimum instance count"),
        maxInstanceCount: count("maxInstanceCount", "the maximum instance count"),
        manualInstanceCount: count("manualInstanceCount", "the manual instance count"),
    });
}

/**
 * One v2 Service, Job or WorkerPool, as `gcp:cloudrunv2/service:Service`, `gcp:cloudrunv2/job:Job` or
 * `gcp:cloudrunv2/workerPool:WorkerPool` props.
 */
export function v2Workload(reader: DocumentReader, value: unknown, path: JsonPath, expected: V2Collection): AuditedResource {
    const collection = V2_COLLECTIONS[expected];
    const resource = reader.object(value, path, collection.element);
    const match = typeof resource.name === "string" ? RESOURCE_NAME.exec(resource.name) : null;
    if (match === null || match[3] !== expected) {
        const given = typeof resource.name === "string" ? `is not a ${collection.kind} name` : `is ${describeGiven(resource.name)}`;
        return reader.fail([...path, "name"], `${given}; expected projects/<project>/locations/<region>/${expected}/<name>`);
    }
    const [, project, location, , name] = match;
    if (expected === "workerPools") {
        refuseCloudBuildWorkerPool(reader, resource, path);
    }
    checkLabelsAndAnnotations(reader, resource, path);
    // An enum: proto3 JSON writes its name (INGRESS_TRAFFIC_ALL); the policies compare names.
    reader.optionalString(resource.ingress, [...path, "ingress"], "the ingress setting's name, such as INGRESS_TRAFFIC_INTERNAL_ONLY");
    reader.objectList(resource.traffic, [...path, "traffic"], "traffic targets", "a traffic target");
    reader.objectList(resource.instanceSplits, [...path, "instanceSplits"], "instance splits", "an instance split");
    const props: JsonObject = {};
    for (const [key, field] of Object.entries(resource)) {
        if (!OUTPUT_ONLY.has(key)) {
            props[key === "traffic" ? "traffics" : key] = field;
        }
    }
    const templatePath = [...path, "template"];
    if (expected === "services" || expected === "workerPools") {
        if (resource.template !== undefined) {
            props.template = podTemplate(
                reader,
                resource.template,
                templatePath,
                expected === "services" ? "v2-service" : "v2-worker-pool",
            );
        }
        props.scaling = scaling(reader, resource.scaling, [...path, "scaling"]);
    } else if (resource.template !== undefined) {
        const execution = reader.object(resource.template, templatePath, "the execution template");
        checkLabelsAndAnnotations(reader, execution, templatePath);
        props.template = compact({
            ...execution,
            parallelism: reader.optionalCount(execution.parallelism, [...templatePath, "parallelism"], "the parallelism"),
            taskCount: reader.optionalCount(execution.taskCount, [...templatePath, "taskCount"], "the task count"),
            template:
                execution.template === undefined
                    ? undefined
                    : podTemplate(reader, execution.template, [...templatePath, "template"], "v2-job"),
        });
    }
    return {
        type: collection.type,
        name,
        inputs: compact({ ...props, project, location, name }),
        source: reader.file,
        workload: { kind: collection.kind, name, location },
    };
}
