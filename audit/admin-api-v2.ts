/**
 * Cloud Run Admin API v2 JSON (`projects.locations.services.list|get`, `projects.locations.jobs.list|get`,
 * https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services): the same field
 * names as `gcp.cloudrunv2.Service` and `Job`, except the plural lists, the one-port object and the
 * full resource name, which @pulumi/gcp splits into project, location and name.
 */
import { CLOUD_RUN_V2_JOB, CLOUD_RUN_V2_SERVICE } from "../policies/lib/resource-types";
import { type AuditedResource, compact } from "./audited-resource";
import { mapContainers, mapVolumes, type TargetShape } from "./cloud-run-fields";
import { describeGiven, type DocumentReader, type JsonObject, type JsonPath } from "./input-error";

const RESOURCE_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/(services|jobs)\/([^/]+)$/;

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
    "uri",
    "urls",
    "reconciling",
    "etag",
    "satisfiesPzs",
]);

/** The kind a v2 resource name names: `services` or `jobs`, or undefined when it is no such name. */
export function v2ResourceKind(name: unknown): "services" | "jobs" | undefined {
    const match = typeof name === "string" ? RESOURCE_NAME.exec(name) : null;
    return match === null ? undefined : (match[3] as "services" | "jobs");
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

/** One v2 Service or Job, as `gcp:cloudrunv2/service:Service` or `gcp:cloudrunv2/job:Job` props. */
export function v2Workload(reader: DocumentReader, value: unknown, path: JsonPath, expected: "services" | "jobs"): AuditedResource {
    const resource = reader.object(value, path, expected === "services" ? "a Cloud Run v2 Service" : "a Cloud Run v2 Job");
    const match = typeof resource.name === "string" ? RESOURCE_NAME.exec(resource.name) : null;
    if (match === null || match[3] !== expected) {
        const given =
            typeof resource.name === "string"
                ? `is not a ${expected === "services" ? "service" : "job"} name`
                : `is ${describeGiven(resource.name)}`;
        return reader.fail([...path, "name"], `${given}; expected projects/<project>/locations/<region>/${expected}/<name>`);
    }
    const [, project, location, , name] = match;
    checkLabelsAndAnnotations(reader, resource, path);
    // An enum: proto3 JSON writes its name (INGRESS_TRAFFIC_ALL); the policies compare names.
    reader.optionalString(resource.ingress, [...path, "ingress"], "the ingress setting's name, such as INGRESS_TRAFFIC_INTERNAL_ONLY");
    reader.objectList(resource.traffic, [...path, "traffic"], "traffic targets", "a traffic target");
    const props: JsonObject = {};
    for (const [key, field] of Object.entries(resource)) {
        if (!OUTPUT_ONLY.has(key)) {
            props[key === "traffic" ? "traffics" : key] = field;
        }
    }
    const templatePath = [...path, "template"];
    if (expected === "services") {
        if (resource.template !== undefined) {
            props.template = podTemplate(reader, resource.template, templatePath, "v2-service");
        }
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
    const inputs = { ...props, project, location, name };
    return expected === "services"
        ? { type: CLOUD_RUN_V2_SERVICE, name, inputs, source: reader.file, workload: { kind: "service", name, location } }
        : { type: CLOUD_RUN_V2_JOB, name, inputs, source: reader.file, workload: { kind: "job", name, location } };
}
