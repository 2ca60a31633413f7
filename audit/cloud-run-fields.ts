/**
 * Containers, variables and volumes of Cloud Run exports, mapped into the props of the @pulumi/gcp
 * type that carries them (the table in audit/README.md). Knative documents (gcloud, Admin API v1)
 * name secrets `valueFrom.secretKeyRef {name, key}` and `secret.secretName`; @pulumi/gcp's v2 types
 * `valueSource.secretKeyRef {secret, version}` and `secret.secret`; list fields are plural there.
 */
import { compact } from "./audited-resource";
import { describeGiven, type DocumentReader, isObject, type JsonObject, type JsonPath } from "./input-error";

/** Where a container comes from. */
export type ExportShape = "knative" | "v2-api";
/** The @pulumi/gcp type it goes into. */
export type TargetShape = "v1-service" | "v2-service" | "v2-job" | "v2-worker-pool";

/** Container fields whose @pulumi/gcp names differ (lists are plural); the others keep their names. */
const CONTAINER_RENAMES: Readonly<Record<string, string>> = {
    env: "envs",
    command: "commands",
    envFrom: "envFroms",
    dependsOn: "dependsOns",
};

function mapSecretKeyRef(reader: DocumentReader, raw: unknown, path: JsonPath, from: ExportShape, to: TargetShape): JsonObject {
    const ref = reader.object(raw, path, "a secretKeyRef");
    if (from === "knative") {
        const name = reader.string(ref.name, [...path, "name"], "the secret's name");
        const key = reader.optionalString(ref.key, [...path, "key"], "the secret's version");
        return to === "v1-service" ? compact({ name, key }) : compact({ secret: name, version: key });
    }
    return compact({
        secret: reader.string(ref.secret, [...path, "secret"], "the secret's name"),
        version: reader.optionalString(ref.version, [...path, "version"], "the secret's version"),
    });
}

function mapEnv(reader: DocumentReader, raw: unknown, path: JsonPath, from: ExportShape, to: TargetShape): JsonObject {
    const env = reader.object(raw, path, "a variable");
    const name = reader.string(env.name, [...path, "name"], "the variable's name");
    if (env.value !== undefined && typeof env.value !== "string") {
        reader.fail([...path, "value"], `is ${describeGiven(env.value)}; expected the variable's value (a string)`);
    }
    const sourceKey = from === "knative" ? "valueFrom" : "valueSource";
    const source = reader.optionalObject(env[sourceKey], [...path, sourceKey], `the variable's ${sourceKey}`);
    const ref =
        source?.secretKeyRef === undefined
            ? undefined
            : mapSecretKeyRef(reader, source.secretKeyRef, [...path, sourceKey, "secretKeyRef"], from, to);
    const mapped = ref === undefined ? source : { ...source, secretKeyRef: ref };
    return compact({ name, value: env.value, [to === "v1-service" ? "valueFrom" : "valueSource"]: mapped });
}

/**
 * Checks the container fields the audit renames or moves, and those the policies read (name, image,
 * ports, mounts), so a value of the wrong type is refused with its path rather than judged as absent.
 */
function checkContainerFields(reader: DocumentReader, container: JsonObject, path: JsonPath): void {
    reader.optionalString(container.name, [...path, "name"], "the container's name");
    reader.optionalString(container.image, [...path, "image"], "the container's image");
    reader.stringList(container.command, [...path, "command"], "command words", "a command word", true);
    reader.stringList(container.args, [...path, "args"], "arguments", "an argument", true);
    reader.objectList(container.envFrom, [...path, "envFrom"], "envFrom sources", "an envFrom source");
    reader.stringList(container.dependsOn, [...path, "dependsOn"], "container names", "a container name");
    for (const [index, port] of reader.objectList(container.ports, [...path, "ports"], "ports", "a port").entries()) {
        reader.optionalCount(port.containerPort, [...path, "ports", index, "containerPort"], "the port number");
    }
    for (const [index, mount] of reader
        .objectList(container.volumeMounts, [...path, "volumeMounts"], "volume mounts", "a volume mount")
        .entries()) {
        reader.optionalString(mount.name, [...path, "volumeMounts", index, "name"], "the volume's name");
        reader.optionalString(mount.mountPath, [...path, "volumeMounts", index, "mountPath"], "the mount path");
    }
    const resources = reader.optionalObject(container.resources, [...path, "resources"], "the container's resources");
    reader.stringMap(resources?.limits, [...path, "resources", "limits"], "resource limits", "a limit");
    reader.stringMap(resources?.requests, [...path, "resources", "requests"], "resource requests", "a request");
}

/** Maps one container: variables and secret references checked and renamed, other fields carried over. */
export function mapContainer(reader: DocumentReader, raw: unknown, path: JsonPath, from: ExportShape, to: TargetShape): JsonObject {
    const container = reader.object(raw, path, "a container");
    checkContainerFields(reader, container, path);
    const mapped: JsonObject = {};
    for (const [key, value] of Object.entries(container)) {
        mapped[CONTAINER_RENAMES[key] ?? key] = value;
    }
    if (container.env !== undefined) {
        mapped.envs = reader
            .list(container.env, [...path, "env"], "variables")
            .map((env, index) => mapEnv(reader, env, [...path, "env", index], from, to));
    }
    if (to !== "v1-service" && from === "knative" && isObject(container.resources)) {
        // v2 has limits only; Knative's requests have no v2 field.
        mapped.resources = compact({ limits: container.resources.limits });
    }
    if (to === "v2-service" && Array.isArray(container.ports)) {
        // The v2 API lists ports; @pulumi/gcp's v2 service holds its one port as an object.
        mapped.ports = container.ports[0];
    }
    return mapped;
}

/** Maps the containers list of a pod template. */
export function mapContainers(
    reader: DocumentReader,
    raw: unknown,
    path: JsonPath,
    from: ExportShape,
    to: TargetShape,
): JsonObject[] | undefined {
    if (raw === undefined) {
        return undefined;
    }
    return reader.list(raw, path, "containers").map((container, index) => mapContainer(reader, container, [...path, index], from, to));
}

/** Maps volumes: a Knative secret volume becomes v2's `{secret, items: [{version, path}]}` for the v2 types. */
export function mapVolumes(
    reader: DocumentReader,
    raw: unknown,
    path: JsonPath,
    from: ExportShape,
    to: TargetShape,
): JsonObject[] | undefined {
    if (raw === undefined) {
        return undefined;
    }
    return reader.list(raw, path, "volumes").map((entry, index) => {
        const volumePath = [...path, index];
        const volume = reader.object(entry, volumePath, "a volume");
        reader.optionalString(volume.name, [...volumePath, "name"], "the volume's name");
        // The policies read a Cloud SQL volume's instances (v2) for the environment they name.
        const cloudSql = reader.optionalObject(volume.cloudSqlInstance, [...volumePath, "cloudSqlInstance"], "a Cloud SQL volume");
        reader.stringList(cloudSql?.instances, [...volumePath, "cloudSqlInstance", "instances"], "Cloud SQL instances", "an instance");
        if (volume.secret === undefined) {
            return volume;
        }
        const secret = reader.object(volume.secret, [...volumePath, "secret"], "a secret volume");
        const itemsPath = [...volumePath, "secret", "items"];
        const versionKey = from === "v2-api" ? "version" : "key";
        const checkedItems = reader.objectList(secret.items, itemsPath, "items", "an item");
        for (const [itemIndex, item] of checkedItems.entries()) {
            reader.optionalString(item[versionKey], [...itemsPath, itemIndex, versionKey], "the secret's version");
            reader.optionalString(item.path, [...itemsPath, itemIndex, "path"], "the file's path");
        }
        if (from === "v2-api") {
            reader.string(secret.secret, [...volumePath, "secret", "secret"], "the secret's name");
            return volume;
        }
        const secretName = reader.string(secret.secretName, [...volumePath, "secret", "secretName"], "the secret's name");
        if (to === "v1-service") {
            return volume;
        }
        const items = checkedItems.map(({ key, ...rest }) => compact({ ...rest, version: key }));
        const { secretName: _name, items: _items, ...rest } = secret;
        return { ...volume, secret: compact({ ...rest, secret: secretName, items: items.length > 0 ? items : undefined }) };
    });
}
