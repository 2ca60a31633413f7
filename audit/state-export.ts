/**
 * `pulumi stack export` (deployment version 3, sdk/go/common/apitype/core.go `DeploymentV3` and
 * `ResourceV3`): every resource's type, inputs, outputs, parent, dependencies and options, judged as
 * in an update (Analyze on its inputs, AnalyzeStack on its state). Secret values in state are
 * `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext | plaintext }`
 * envelopes (`SecretV1`): an encrypted one reaches the pack as a secret whose value is unknown, a
 * decrypted one (`--show-secrets`) as a secret with its value, as the engine sends secrets. Nothing
 * here prints a value; errors name the path only. The file's depth and unknown markers were checked
 * when it was read (live-values.ts), so the recursion here is bounded.
 */
import { mergeState } from "../check/analyzer-inputs";
import { ARCHIVE_SIG, ASSET_SIG, RESOURCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN, urnName } from "../check/analyzer-wire";
import { workloadShape } from "../policies/lib/workloads";
import { type AuditedResource, workloadKind } from "./audited-resource";
import { describeGiven, type DocumentReader, isObject, type JsonObject, type JsonPath } from "./input-error";
import { checkLiveValues } from "./live-values";

/** The deployment version `pulumi stack export` writes since CLI 1.x. */
export const DEPLOYMENT_VERSION = 3;

/** Signatures carried over unchanged: the pack knows them. */
const PASSED_SIGNATURES: ReadonlySet<unknown> = new Set([ASSET_SIG, ARCHIVE_SIG, RESOURCE_SIG]);

/** True for the top level of a `pulumi stack export` file. */
export function looksLikeStateExport(document: JsonObject): boolean {
    return "deployment" in document && "version" in document;
}

/** State values in wire form: secret envelopes become wire secrets (unknown when encrypted). */
export function stateValueToWire(reader: DocumentReader, value: unknown, path: JsonPath): unknown {
    if (Array.isArray(value)) {
        return value.map((element, index) => stateValueToWire(reader, element, [...path, index]));
    }
    if (!isObject(value)) {
        return value;
    }
    const sig = value[SIG_KEY];
    if (sig === undefined) {
        return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, stateValueToWire(reader, element, [...path, key])]));
    }
    if (sig === SECRET_SIG) {
        if (typeof value.ciphertext === "string") {
            return { [SIG_KEY]: SECRET_SIG, value: UNKNOWN };
        }
        if (typeof value.plaintext === "string") {
            let decoded: unknown;
            try {
                decoded = JSON.parse(value.plaintext);
            } catch {
                return reader.fail(
                    [...path, "plaintext"],
                    "is a secret whose plaintext is not JSON-encoded, as `pulumi stack export --show-secrets` writes it",
                );
            }
            // The decoded value is new to the walk the whole file had (read-input.ts): check it the same way first.
            checkLiveValues(reader, decoded, [...path, "plaintext"], "state");
            return { [SIG_KEY]: SECRET_SIG, value: stateValueToWire(reader, decoded, [...path, "plaintext"]) };
        }
        if ("value" in value) {
            return { [SIG_KEY]: SECRET_SIG, value: stateValueToWire(reader, value.value, [...path, "value"]) };
        }
        return reader.fail(path, "is a secret with neither ciphertext nor plaintext");
    }
    if (PASSED_SIGNATURES.has(sig)) {
        return value;
    }
    return reader.fail([...path, SIG_KEY], "is not a known signature; expected a secret, an asset, an archive or a resource reference");
}

function stringList(reader: DocumentReader, value: unknown, path: JsonPath, what: string): string[] {
    return reader.stringList(value, path, what, what);
}

function stateResource(reader: DocumentReader, raw: unknown, path: JsonPath): AuditedResource | undefined {
    const resource = reader.object(raw, path, "a resource");
    const urn = reader.string(resource.urn, [...path, "urn"], "the resource's URN");
    const type = reader.string(resource.type, [...path, "type"], "the resource's type");
    const flag = (key: string, what: string): boolean => reader.optionalBoolean(resource[key], [...path, key], what) ?? false;
    const deleted = flag("delete", "whether the resource is marked for deletion");
    const pendingReplacement = flag("pendingReplacement", "whether the resource awaits replacement");
    const protect = flag("protect", "whether the resource is protected");
    // Providers are not judged (the check never sends them either); resources marked for deletion are gone after the next update.
    if (type.startsWith("pulumi:providers:") || deleted || pendingReplacement) {
        return undefined;
    }
    let name: string;
    try {
        name = urnName(urn);
    } catch {
        return reader.fail([...path, "urn"], "is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)");
    }
    const inputs = stateValueToWire(reader, reader.optionalObject(resource.inputs, [...path, "inputs"], "the inputs") ?? {}, [
        ...path,
        "inputs",
    ]) as JsonObject;
    const outputs = stateValueToWire(reader, reader.optionalObject(resource.outputs, [...path, "outputs"], "the outputs"), [
        ...path,
        "outputs",
    ]);
    const parent = reader.optionalString(resource.parent, [...path, "parent"], "the parent's URN");
    const propertyDependencies =
        reader.optionalObject(resource.propertyDependencies, [...path, "propertyDependencies"], "property dependencies") ?? {};
    const timeoutsPath = [...path, "customTimeouts"];
    const timeouts = reader.optionalObject(resource.customTimeouts, timeoutsPath, "custom timeouts");
    // Seconds, as apitype.CustomTimeouts holds them (float64).
    const timeout = (key: "create" | "update" | "delete"): number | undefined =>
        reader.optionalNumber(timeouts?.[key], [...timeoutsPath, key], `the ${key} timeout in seconds`);
    const shape = workloadShape(type);
    const workloadName = typeof inputs.name === "string" ? inputs.name : undefined;
    return {
        type,
        name,
        urn,
        inputs,
        state: mergeState(inputs, outputs) as JsonObject,
        extra: {
            parent,
            dependencies: stringList(reader, resource.dependencies, [...path, "dependencies"], "URNs"),
            propertyDependencies: Object.fromEntries(
                Object.entries(propertyDependencies).map(([key, urns]) => [
                    key,
                    stringList(reader, urns, [...path, "propertyDependencies", key], "URNs"),
                ]),
            ),
            options: {
                protect,
                ignoreChanges: stringList(reader, resource.ignoreChanges, [...path, "ignoreChanges"], "property paths"),
                additionalSecretOutputs: stringList(
                    reader,
                    resource.additionalSecretOutputs,
                    [...path, "additionalSecretOutputs"],
                    "property names",
                ),
                aliases: reader.stringList(resource.aliases, [...path, "aliases"], "aliases", "an alias URN"),
                customTimeouts:
                    timeouts === undefined
                        ? undefined
                        : { create: timeout("create"), update: timeout("update"), delete: timeout("delete") },
                parent,
            },
        },
        source: reader.file,
        workload:
            shape === undefined || workloadName === undefined
                ? undefined
                : {
                      kind: workloadKind(shape),
                      name: workloadName,
                      location: typeof inputs.location === "string" ? inputs.location : undefined,
                  },
    };
}

/** Every resource of a deployment v3 export that an update would judge. */
export function stateExportResources(reader: DocumentReader, document: JsonObject): AuditedResource[] {
    if (document.version !== DEPLOYMENT_VERSION) {
        return reader.fail(
            ["version"],
            `is ${typeof document.version === "number" ? document.version : describeGiven(document.version)}; expected ${DEPLOYMENT_VERSION}, as \`pulumi stack export\` writes it`,
        );
    }
    const deployment = reader.object(document.deployment, ["deployment"], "the deployment");
    return reader
        .list(deployment.resources, ["deployment", "resources"], "resources")
        .map((resource, index) => stateResource(reader, resource, ["deployment", "resources", index]))
        .filter((resource): resource is AuditedResource => resource !== undefined);
}
