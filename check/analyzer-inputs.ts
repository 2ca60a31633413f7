import type { AnalyzerResourceInput } from "./analyzer-wire";
import type { RecordedResource } from "./run-program";

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A resource's state as the engine knows it after a step: outputs win, and whatever the cloud has not
 * reported yet keeps its input (in a preview, the unknown sentinel), at any depth. Mocks drop unknown
 * values from the state they return, so the inputs restore them.
 */
export function mergeState(inputs: unknown, outputs: unknown): unknown {
    if (outputs === undefined) {
        return inputs;
    }
    if (isPlainObject(inputs) && isPlainObject(outputs)) {
        const merged: Plain = { ...inputs };
        for (const [key, value] of Object.entries(outputs)) {
            merged[key] = mergeState(inputs[key], value);
        }
        return merged;
    }
    if (Array.isArray(inputs) && Array.isArray(outputs) && inputs.length === outputs.length) {
        return outputs.map((value, index) => mergeState(inputs[index], value));
    }
    return outputs;
}

function base(resource: RecordedResource): Omit<AnalyzerResourceInput, "properties"> {
    return {
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        parent: resource.parent ?? undefined,
        options: {
            protect: resource.options.protect,
            ignoreChanges: resource.options.ignoreChanges,
            deleteBeforeReplace: resource.options.deleteBeforeReplace,
            additionalSecretOutputs: resource.options.additionalSecretOutputs,
            aliases: resource.options.aliases,
            customTimeouts: resource.options.customTimeouts,
            parent: resource.parent ?? undefined,
        },
    };
}

/** What `Analyze` receives for a registration: its inputs. */
export function toAnalyzeInput(resource: RecordedResource): AnalyzerResourceInput {
    return { ...base(resource), properties: resource.inputs };
}

/** What `AnalyzeStack` receives: the resulting state, with dependencies for graph-aware policies. */
export function toAnalyzeStackInput(resource: RecordedResource): AnalyzerResourceInput {
    return {
        ...base(resource),
        properties: mergeState(resource.inputs, resource.outputs) as Plain,
        dependencies: resource.dependencies,
        propertyDependencies: resource.propertyDependencies,
    };
}
