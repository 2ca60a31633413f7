/**
 * @pulumi/policy's server deserialises a request's properties once per policy: for Analyze inside
 * its loop over the resource policies, for AnalyzeStack once per resource per stack policy
 * (server.js calls `deserializeProperties(req.getProperties(), ...)` each time), and each call walks
 * the google.protobuf.Struct again with `toJavaScript()`. With twelve policies that walk was a fifth
 * of the pack's time on 500 services. This reads each Struct's JavaScript value once; every policy
 * still gets props of its own, which the SDK's `deserializeProperty` builds fresh from that value
 * (it never changes its input, and returns no object of it, only new objects and its primitives).
 */

/** The Struct the SDK's deserializeProperties reads (google-protobuf's generated class). */
export interface PropertiesStruct {
    toJavaScript(): Record<string, unknown>;
}

/** The SDK module's function this wraps (internal to @pulumi/policy, hence the typed require). */
export interface DeserializeModule {
    deserializeProperties: (struct: PropertiesStruct, proxySecrets: boolean) => Record<string, unknown>;
}

/** Marks a module whose deserializeProperties already reads each Struct once. */
const WRAPPED = Symbol.for("netra.readPropertiesOnce");

/**
 * Makes `module.deserializeProperties` read each Struct's value once (kept while the Struct lives).
 * Idempotent. Returns the module.
 */
export function readPropertiesOnce<Module extends DeserializeModule>(module: Module): Module {
    const marked = module as Module & { [WRAPPED]?: true };
    if (marked[WRAPPED]) {
        return module;
    }
    const original = module.deserializeProperties;
    const values = new WeakMap<PropertiesStruct, Record<string, unknown>>();
    module.deserializeProperties = (struct, proxySecrets) => {
        let value = values.get(struct);
        if (value === undefined) {
            value = struct.toJavaScript();
            values.set(struct, value);
        }
        const read = value;
        return original({ toJavaScript: () => read }, proxySecrets);
    };
    marked[WRAPPED] = true;
    return module;
}

/** The SDK's own module, wrapped: what the pack's server calls from then on. */
export function readSdkPropertiesOnce(): DeserializeModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return readPropertiesOnce(require("@pulumi/policy/deserialize") as DeserializeModule);
}
