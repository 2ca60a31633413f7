/**
 * Containers, variables and volumes of Cloud Run exports, mapped into the props of the @pulumi/gcp
 * type that carries them (the table in audit/README.md). Knative documents (gcloud, Admin API v1)
 * name secrets `valueFrom.secretKeyRef {name, key}` and `secret.secretName`; @pulumi/gcp's v2 types
 * `valueSource.secretKeyRef {secret, version}` and `secret.secret`; list fields are plural there.
 */
import { compact } from "./audited-resource";
import { describeGiven, type DocumentReader, type JsonObject, type JsonPath } from "./input-error";

/** Where a container comes from. */
export type ExportShape = "knative" | "v2-api";
/** The @pulumi/gcp type it goes into. */
export type TargetShape = "v1-service" | "v2-service" | "v2-job";

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

/** Maps one container: variables and secret references checked and renamed, other fields carried over. */
export function mapContainer(reader: DocumentReader, raw: unknown, path: JsonPath, from: ExportShape, to: TargetShape): JsonObject {
    const container = reader.object(raw, path, "a container");
    const mapped: JsonObject = {};
    for (const [key, value] of Object.entries(container)) {
        mapped[CONTAINER_RENAMES[key] ?? key] = value;
    }
    if (container.env !== undefined) {
        mapped.envs = reader
            .list(container.env, [...path, "env"], "variables")
            .map((env, index) => mapEnv(reader, env, [...path, "env", index], from, to));
    }
    if (to !== "v1-service" && from === "knative" && container.resources !== undefined) {
        // v2 has limits only; Knative's requests have no v2 field.
        const resources = reader.object(container.resources, [...path, "resources"], "the container's resources");
        mapped.resources = compact({ limits: resources.limits });
    }
    if (to === "v2-service" && container.ports !== undefined) {
        // The v2 API lists ports; @pulumi/gcp's v2 service holds its one port as an object.
        const ports = reader.list(container.ports, [...path, "ports"], "ports");
        mapped.ports = ports[0];
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
        if (volume.secret === undefined) {
            return volume;
        }
        const secret = reader.object(volume.secret, [...volumePath, "secret"], "a secret volume");
        if (from === "v2-api") {
            reader.string(secret.secret, [...volumePath, "secret", "secret"], "the secret's name");
            return volume;
        }
        const secretName = reader.string(secret.secretName, [...volumePath, "secret", "secretName"], "the secret's name");
        if (to === "v1-service") {
            return volume;
        }
        const items = reader.list(secret.items, [...volumePath, "secret", "items"], "items").map((item, itemIndex) => {
            const { key, ...rest } = reader.object(item, [...volumePath, "secret", "items", itemIndex], "an item");
            return compact({ ...rest, version: key });
        });
        const { secretName: _name, items: _items, ...rest } = secret;
        return { ...volume, secret: compact({ ...rest, secret: secretName, items: items.length > 0 ? items : undefined }) };
    });
}
