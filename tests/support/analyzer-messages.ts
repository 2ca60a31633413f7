/**
 * The Analyze and AnalyzeStack messages built as google-protobuf objects, field by field as the engine's
 * `marshalResourceOptions` (analyzer_plugin.go) and `MarshalProperties` (plugin/rpc.go) fill them. The check
 * writes the same bytes directly (check/analyzer-encoding.ts); these builders are the reference its tests hold
 * those bytes to, so they live with the tests, not in the check.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import {
    type AnalyzerProviderInput,
    type AnalyzerResourceInput,
    type AnalyzerResourceOptionsInput,
    normalizeProperties,
    timeoutSeconds,
    urnName,
    WireFormatError,
} from "../../check/analyzer-wire";

/** Normalizes a property map (see `normalizeWireValue`) and packs it into a google.protobuf.Struct. */
export function toPropertiesStruct(properties: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(normalizeProperties(properties));
}

/** Builds AnalyzerResourceOptions exactly as the engine's `marshalResourceOptions` does. */
export function toResourceOptions(
    options: AnalyzerResourceOptionsInput | undefined,
    parent: string | undefined,
): analyzerPb.AnalyzerResourceOptions {
    const opts = options ?? {};
    const message = new analyzerPb.AnalyzerResourceOptions();
    message.setProtect(opts.protect === true);
    message.setIgnorechangesList([...(opts.ignoreChanges ?? [])]);
    if (opts.deleteBeforeReplace !== undefined) {
        message.setDeletebeforereplace(opts.deleteBeforeReplace);
        message.setDeletebeforereplacedefined(true);
    }
    message.setAdditionalsecretoutputsList([...(opts.additionalSecretOutputs ?? [])]);
    message.setAliasesList([...(opts.aliases ?? [])]);
    // The engine always sends a CustomTimeouts message, zero when no timeout is set.
    const timeouts = new analyzerPb.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(timeoutSeconds(opts.customTimeouts?.create, "customTimeouts.create"));
    timeouts.setUpdate(timeoutSeconds(opts.customTimeouts?.update, "customTimeouts.update"));
    timeouts.setDelete(timeoutSeconds(opts.customTimeouts?.delete, "customTimeouts.delete"));
    message.setCustomtimeouts(timeouts);
    message.setParent(parent ?? opts.parent ?? "");
    return message;
}

function toProvider(provider: AnalyzerProviderInput): analyzerPb.AnalyzerProviderResource {
    const message = new analyzerPb.AnalyzerProviderResource();
    message.setUrn(provider.urn);
    message.setType(provider.type);
    message.setName(provider.name ?? urnName(provider.urn));
    message.setProperties(toPropertiesStruct(provider.properties ?? {}));
    return message;
}

/** Runs `build`, naming the resource in any WireFormatError it throws. */
function forResource<T>(urn: string, build: () => T): T {
    try {
        return build();
    } catch (error) {
        if (error instanceof WireFormatError) {
            throw new WireFormatError(`cannot send ${urn} to the policy pack: ${error.message}`);
        }
        throw error;
    }
}

/** The fields an AnalyzeRequest and an AnalyzerResource share. */
type ResourceMessage = analyzerPb.AnalyzeRequest | analyzerPb.AnalyzerResource;

/** Fills the shared fields: identity, properties, options (always sent) and provider. */
function fillResource<T extends ResourceMessage>(message: T, resource: AnalyzerResourceInput): T {
    message.setUrn(resource.urn);
    message.setType(resource.type);
    message.setName(resource.name ?? urnName(resource.urn));
    message.setProperties(toPropertiesStruct(resource.properties));
    message.setOptions(toResourceOptions(resource.options, resource.parent));
    if (resource.provider) {
        message.setProvider(toProvider(resource.provider));
    }
    return message;
}

/** Builds the AnalyzeRequest the engine sends for one resource (always with options). */
export function toAnalyzeRequest(resource: AnalyzerResourceInput): analyzerPb.AnalyzeRequest {
    return forResource(resource.urn, () => fillResource(new analyzerPb.AnalyzeRequest(), resource));
}

/** Builds one AnalyzerResource of an AnalyzeStackRequest, with parent and dependencies. */
export function toAnalyzerResource(resource: AnalyzerResourceInput): analyzerPb.AnalyzerResource {
    return forResource(resource.urn, () => {
        const message = fillResource(new analyzerPb.AnalyzerResource(), resource);
        message.setParent(resource.parent ?? resource.options?.parent ?? "");
        message.setDependenciesList([...(resource.dependencies ?? [])]);
        const propertyDependencies = message.getPropertydependenciesMap();
        for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
            if (urns.length === 0) {
                continue;
            }
            const dependencies = new analyzerPb.AnalyzerPropertyDependencies();
            dependencies.setUrnsList([...urns]);
            propertyDependencies.set(key, dependencies);
        }
        return message;
    });
}
