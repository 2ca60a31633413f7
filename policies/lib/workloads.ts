/**
 * One view over every Cloud Run workload the policies judge: v2 services, v2 jobs, v2 worker pools,
 * legacy v1 services and Cloud Functions gen2 (which run on Cloud Run) keep their containers,
 * variables, secret references and runtime account at different paths. A function has no container
 * list: its `serviceConfig` reads as one container whose variables are `environmentVariables`
 * (a map) followed by `secretEnvironmentVariables`. Every reader here is lazy and total: it reads only the properties it is asked for (so a
 * check on variable names never touches a value), never throws, and reports unknowns as `UNKNOWN`.
 */
import { elements, field, hasField, path, text, UNKNOWN, type Unknown } from "./props";
import {
    CLOUD_FUNCTION_V2,
    CLOUD_RUN_V1_SERVICE,
    CLOUD_RUN_V2_JOB,
    CLOUD_RUN_V2_SERVICE,
    CLOUD_RUN_V2_WORKER_POOL,
} from "./resource-types";
import { normaliseSecretId } from "./secret-ids";
import { parseSecretAliases, resolveSecretAlias, SECRETS_ANNOTATION } from "../../rules/cloudrun-secret-aliases";

/** How one Cloud Run shape lays out its template. */
export interface WorkloadShape {
    /** The resource type token. */
    readonly type: string;
    /** Words for messages, e.g. "Cloud Run service". */
    readonly noun: string;
    /** The noun without the product, e.g. "service" or "job". */
    readonly shortNoun: string;
    /** Path from the props to the pod template that holds containers, volumes and the account. */
    readonly podTemplatePath: readonly string[];
    /** Property of the pod template naming the runtime service account. */
    readonly serviceAccountKey: string;
    /** Property of an env entry that holds its secret source (`valueSource` or `valueFrom`). */
    readonly envSourceKey: string;
    /** Property of a secretKeyRef naming the secret (`secret` or `name`). */
    readonly secretKeyRefSecretKey: string;
    /** Property of the pod template listing volumes (`volumes`, or a function's `secretVolumes`). */
    readonly volumesKey: string;
    /** Path inside a volume to the secret it mounts. */
    readonly volumeSecretPath: readonly string[];
    /** How containers are laid out: a `containers` list, or a function's one implicit container. */
    readonly layout: "containers" | "function";
    /** True when containers name their image (a function builds its own from source). */
    readonly hasImages: boolean;
    /** True when the workload serves requests, so one container takes ingress traffic (and gets PORT). */
    readonly servesRequests: boolean;
    /** Path from the props to the setting that says who may reach it (ingress), when it has one. */
    readonly ingressPath?: readonly string[];
    /**
     * Variables the workload carries outside its runtime containers (build-time variables, sandbox templates):
     * read by the checks for secrets and the E2E key, never by those on what a runtime container must set.
     */
    readonly otherEnvCarriers: readonly OtherEnvCarrier[];
    /** Path from the props to the Serverless VPC Access connector the workload sends its traffic through. */
    readonly vpcConnectorPath: readonly string[];
    /**
     * Path from the props to the annotation mapping secret aliases to secrets of another project, which a
     * secretKeyRef or secret volume may name instead of the secret (v1 only: rules/cloudrun-secret-aliases.ts).
     */
    readonly secretAliasesPath?: readonly string[];
    /** Where the Cloud SQL instances it connects to are listed. */
    readonly cloudSqlInstances: CloudSqlInstancesSource;
    /**
     * Path from the props to the setting that turns Cloud Run's invoker IAM check off, so that anyone who reaches
     * the service may call it without any grant, when the shape has one.
     */
    readonly invokerCheckOffPath?: readonly string[];
}

/**
 * Where a shape lists its Cloud SQL instances: v2 in a volume's `cloudSqlInstance.instances`, v1 in a revision
 * annotation (`run.googleapis.com/cloudsql-instances`, comma-separated; @pulumi/gcp types/input.d.ts cloudrun
 * ServiceTemplate.metadata), a function nowhere.
 */
export type CloudSqlInstancesSource =
    { readonly from: "volumes" } | { readonly from: "annotation"; readonly path: readonly string[] } | { readonly from: "none" };

/** Where a workload keeps variables outside its runtime containers. */
export interface OtherEnvCarrier {
    /** Path from the props to a map of variables (`environmentVariables`) or a list of templates, each with `envs`. */
    readonly path: readonly string[];
    /** `map`: name to value; `templates`: a list of objects with `name` and `envs` ({ name, value }). */
    readonly layout: "map" | "templates";
    /** Subject of messages: `The build`, or `Sandbox template` followed by the template's name (or position). */
    readonly label: string;
}

/** Build-time variables of a source deploy (@pulumi/gcp types/input.d.ts ServiceBuildConfig and FunctionBuildConfig `environmentVariables`). */
const BUILD_ENV: OtherEnvCarrier = { path: ["buildConfig", "environmentVariables"], layout: "map", label: "The build" };

/** Annotations of a v1 revision template, where v1 keeps what v2 has as fields. */
const V1_REVISION_ANNOTATIONS = ["template", "metadata", "annotations"];

/** A shape that takes requests, and so has an ingress setting. */
export type IngressShape = WorkloadShape & { readonly ingressPath: readonly string[] };

/** Cloud Run v2 service: `template.containers`, `template.serviceAccount`. */
export const V2_SERVICE_SHAPE: IngressShape = {
    type: CLOUD_RUN_V2_SERVICE,
    noun: "Cloud Run service",
    shortNoun: "service",
    podTemplatePath: ["template"],
    serviceAccountKey: "serviceAccount",
    envSourceKey: "valueSource",
    secretKeyRefSecretKey: "secret",
    volumesKey: "volumes",
    volumeSecretPath: ["secret", "secret"],
    // types/input.d.ts ServiceTemplateSandboxes.templates[].envs (ServiceTemplateSandboxesTemplateEnv: name, value).
    otherEnvCarriers: [BUILD_ENV, { path: ["template", "sandboxes", "templates"], layout: "templates", label: "Sandbox template" }],
    vpcConnectorPath: ["template", "vpcAccess", "connector"],
    cloudSqlInstances: { from: "volumes" },
    layout: "containers",
    hasImages: true,
    servesRequests: true,
    ingressPath: ["ingress"],
    // @pulumi/gcp cloudrunv2/service.d.ts: "Disables IAM permission check for run.routes.invoke for callers of this service."
    invokerCheckOffPath: ["invokerIamDisabled"],
};

/** Cloud Run v2 job: `template.template.containers`, `template.template.serviceAccount`. */
export const V2_JOB_SHAPE: WorkloadShape = {
    type: CLOUD_RUN_V2_JOB,
    noun: "Cloud Run job",
    shortNoun: "job",
    podTemplatePath: ["template", "template"],
    serviceAccountKey: "serviceAccount",
    envSourceKey: "valueSource",
    secretKeyRefSecretKey: "secret",
    volumesKey: "volumes",
    volumeSecretPath: ["secret", "secret"],
    otherEnvCarriers: [],
    vpcConnectorPath: ["template", "template", "vpcAccess", "connector"],
    cloudSqlInstances: { from: "volumes" },
    layout: "containers",
    hasImages: true,
    servesRequests: false,
};

/** Cloud Run v2 worker pool (pull-based work, no requests): `template.containers`, `template.serviceAccount`. */
export const V2_WORKER_POOL_SHAPE: WorkloadShape = {
    type: CLOUD_RUN_V2_WORKER_POOL,
    noun: "Cloud Run worker pool",
    shortNoun: "worker pool",
    podTemplatePath: ["template"],
    serviceAccountKey: "serviceAccount",
    envSourceKey: "valueSource",
    secretKeyRefSecretKey: "secret",
    volumesKey: "volumes",
    volumeSecretPath: ["secret", "secret"],
    otherEnvCarriers: [],
    vpcConnectorPath: ["template", "vpcAccess", "connector"],
    cloudSqlInstances: { from: "volumes" },
    layout: "containers",
    hasImages: true,
    servesRequests: false,
};

/** Legacy Cloud Run v1 service: `template.spec.containers`, `template.spec.serviceAccountName`. */
export const V1_SERVICE_SHAPE: IngressShape = {
    type: CLOUD_RUN_V1_SERVICE,
    noun: "Cloud Run (v1) service",
    shortNoun: "service",
    podTemplatePath: ["template", "spec"],
    serviceAccountKey: "serviceAccountName",
    envSourceKey: "valueFrom",
    secretKeyRefSecretKey: "name",
    volumesKey: "volumes",
    volumeSecretPath: ["secret", "secretName"],
    otherEnvCarriers: [],
    secretAliasesPath: [...V1_REVISION_ANNOTATIONS, SECRETS_ANNOTATION],
    vpcConnectorPath: [...V1_REVISION_ANNOTATIONS, "run.googleapis.com/vpc-access-connector"],
    cloudSqlInstances: { from: "annotation", path: [...V1_REVISION_ANNOTATIONS, "run.googleapis.com/cloudsql-instances"] },
    layout: "containers",
    hasImages: true,
    servesRequests: true,
    ingressPath: ["metadata", "annotations", "run.googleapis.com/ingress"],
    // The Knative annotation gcloud's --no-invoker-iam-check sets (https://cloud.google.com/run/docs/authenticating/public).
    invokerCheckOffPath: ["metadata", "annotations", "run.googleapis.com/invoker-iam-disabled"],
};

/**
 * Cloud Functions gen2: `serviceConfig.environmentVariables` (a map), `serviceConfig.secretEnvironmentVariables`
 * (`{ key, projectId, secret, version }`), `serviceConfig.secretVolumes[].secret`, `serviceConfig.serviceAccountEmail`.
 */
export const FUNCTION_V2_SHAPE: IngressShape = {
    type: CLOUD_FUNCTION_V2,
    noun: "Cloud Function (gen2)",
    shortNoun: "function",
    podTemplatePath: ["serviceConfig"],
    serviceAccountKey: "serviceAccountEmail",
    envSourceKey: "valueSource",
    secretKeyRefSecretKey: "secret",
    volumesKey: "secretVolumes",
    volumeSecretPath: ["secret"],
    // types/input.d.ts FunctionServiceConfig.vpcConnector; a function has no Cloud SQL volume or annotation.
    otherEnvCarriers: [BUILD_ENV],
    vpcConnectorPath: ["serviceConfig", "vpcConnector"],
    cloudSqlInstances: { from: "none" },
    layout: "function",
    hasImages: false,
    servesRequests: true,
    ingressPath: ["serviceConfig", "ingressSettings"],
};

/** Every Cloud Run workload shape, in the order messages list them. */
export const WORKLOAD_SHAPES: readonly WorkloadShape[] = [
    V2_SERVICE_SHAPE,
    V2_JOB_SHAPE,
    V2_WORKER_POOL_SHAPE,
    V1_SERVICE_SHAPE,
    FUNCTION_V2_SHAPE,
];

/** The type tokens of every Cloud Run shape. */
export const WORKLOAD_TYPES: readonly string[] = WORKLOAD_SHAPES.map((shape) => shape.type);

/** Reason given to the SDK when a Cloud Run policy meets another resource type. */
export const NOT_A_WORKLOAD = `Policy only applies to Cloud Run workloads (${WORKLOAD_TYPES.join(", ")})`;

/** The shape of a resource type, or undefined when it is not a Cloud Run workload. */
export function workloadShape(type: string): WorkloadShape | undefined {
    return WORKLOAD_SHAPES.find((shape) => shape.type === type);
}

/** The secret aliases a workload declares (alias to secret), or `UNKNOWN` when the annotation is not known yet. */
export type SecretAliasTable = ReadonlyMap<string, string> | Unknown;

/** One container of a workload, read lazily. */
export interface ContainerView {
    /** Zero-based position in the containers list. */
    readonly index: number;
    /** `Container "api"`, or `Container #1` when the name is absent or unknown: the subject of messages. */
    readonly label: string;
    /** The raw container (possibly `UNKNOWN` or malformed). */
    readonly raw: unknown;
    /** The aliases its secretKeyRefs may name (a v1 service's); absent: none. */
    readonly secretAliases?: SecretAliasTable;
}

/** The containers of a workload: unknown, absent/malformed, or a list. */
export type ContainerList =
    | { readonly state: "unknown" }
    | { readonly state: "missing"; readonly path: string }
    | { readonly state: "present"; readonly path: string; readonly containers: readonly ContainerView[] };

/** The pod template (the object that holds containers, volumes and the account). */
export function podTemplate(shape: WorkloadShape, props: unknown): unknown {
    return path(props, shape.podTemplatePath);
}

/** Label of a function's one implicit container. */
export const FUNCTION_CONTAINER_LABEL = "The function";

/** Reads the containers list; "missing" covers an absent, empty or non-array list. */
export function containersOf(shape: WorkloadShape, props: unknown): ContainerList {
    if (shape.layout === "function") {
        return functionContainer(shape, props);
    }
    const containersPath = [...shape.podTemplatePath, "containers"].join(".");
    const list = elements(field(podTemplate(shape, props), "containers"));
    if (list === UNKNOWN) {
        return { state: "unknown" };
    }
    if (list === undefined || list.length === 0) {
        return { state: "missing", path: containersPath };
    }
    return {
        state: "present",
        path: containersPath,
        containers: list.map((raw, index) => ({
            index,
            label: containerLabel(raw, index),
            raw,
            // Read only when a secret is: a check on variable names never touches the annotation.
            get secretAliases() {
                return secretAliasesOf(shape, props);
            },
        })),
    };
}

/** The aliases a workload declares: none on shapes without aliases, or when the annotation is absent or malformed. */
export function secretAliasesOf(shape: WorkloadShape, props: unknown): SecretAliasTable {
    if (shape.secretAliasesPath === undefined) {
        return new Map();
    }
    const value = text(path(props, shape.secretAliasesPath));
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    return parseSecretAliases(value ?? "").aliases;
}

/**
 * The secret a reference names, its alias resolved. When the aliases are not known yet, a reference that is a
 * secret's resource name is no alias (an alias has no `/`); any other may be one, so it is not known either.
 */
function dealiased(reference: string, aliases: SecretAliasTable | undefined): string | Unknown {
    if (aliases === undefined) {
        return reference;
    }
    if (aliases === UNKNOWN) {
        return reference.includes("/") ? reference : UNKNOWN;
    }
    return resolveSecretAlias(reference, aliases);
}

/**
 * A function's serviceConfig as one container: unknown when serviceConfig is; otherwise present
 * (an absent serviceConfig is a function with no variables at all).
 */
function functionContainer(shape: WorkloadShape, props: unknown): ContainerList {
    const config = podTemplate(shape, props);
    // Stryker disable next-line StringLiteral: a function's template path is one key, so the separator never shows
    const containersPath = shape.podTemplatePath.join(".");
    if (config === UNKNOWN) {
        return { state: "unknown" };
    }
    const raw = Object.defineProperty({}, "envs", { enumerable: true, get: () => functionEnvs(config) });
    return { state: "present", path: containersPath, containers: [{ index: 0, label: FUNCTION_CONTAINER_LABEL, raw }] };
}

/** The keys of a map that may be a proxy or malformed; `UNKNOWN` when it cannot be read. */
function mapKeys(map: unknown): readonly string[] | Unknown | undefined {
    if (map === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof map !== "object" || map === null || Array.isArray(map)) {
        return undefined;
    }
    try {
        return Object.keys(map);
    } catch {
        return UNKNOWN;
    }
}

/** A map of variables as entries `{ name, value }`, each value read only when asked; `UNKNOWN` when the map is. */
function mapEnvs(map: unknown): unknown[] | Unknown {
    const names = mapKeys(map);
    if (names === UNKNOWN) {
        return UNKNOWN;
    }
    return (names ?? []).map((name) => Object.defineProperty({ name }, "value", { enumerable: true, get: () => field(map, name) }));
}

/**
 * A function's variables in the containers' entry shape (`name`, `value`, `valueSource.secretKeyRef`):
 * plain ones from the map (values read only when asked), then the secret ones. `UNKNOWN` when either list is.
 */
function functionEnvs(config: unknown): unknown {
    const plain = mapEnvs(field(config, "environmentVariables"));
    const secrets = elements(field(config, "secretEnvironmentVariables"));
    // ConditionalExpression stays enabled: its `true` variant is killed, and a comment cannot disable one variant alone.
    // Stryker disable next-line LogicalOperator,BlockStatement: field() reads a getter that throws as UNKNOWN too; this says it without a throw
    if (plain === UNKNOWN || secrets === UNKNOWN) {
        return UNKNOWN;
    }
    const entries: unknown[] = [...plain];
    for (const secret of secrets ?? []) {
        entries.push(
            secret === UNKNOWN
                ? { name: UNKNOWN, valueSource: UNKNOWN }
                : {
                      name: field(secret, "key"),
                      valueSource: { secretKeyRef: { secret: field(secret, "secret"), version: field(secret, "version") } },
                  },
        );
    }
    return entries;
}

/** `Container "api"` or `Container #1`. */
export function containerLabel(container: unknown, index: number): string {
    const name = text(field(container, "name"));
    return typeof name === "string" && name.length > 0 ? `Container ${JSON.stringify(name)}` : `Container #${index + 1}`;
}

/** One env entry of a container, read lazily. */
export interface EnvView {
    /** Zero-based position in the container's envs. */
    readonly index: number;
    /** The raw entry (possibly `UNKNOWN` or malformed). */
    readonly raw: unknown;
    /** The aliases its secretKeyRef may name (its container's); absent: none. */
    readonly secretAliases?: SecretAliasTable;
}

/** The env entries of a container: `UNKNOWN` when the list (or the container) is unknown; [] when absent or malformed. */
export function envsOf(container: ContainerView): readonly EnvView[] | Unknown {
    const list = elements(field(container.raw, "envs"));
    if (list === UNKNOWN) {
        return UNKNOWN;
    }
    return (list ?? []).map((raw, index) => ({
        index,
        raw,
        get secretAliases() {
            return container.secretAliases;
        },
    }));
}

/** One variable entry of one container. */
export interface EnvEntry {
    readonly container: ContainerView;
    readonly env: EnvView;
}

/**
 * Every variable entry of every container whose list is known, in order: what a policy on variables
 * reads. Unknown or missing lists yield nothing (other policies report missing containers).
 */
export function knownEnvEntries(shape: WorkloadShape, props: unknown): EnvEntry[] {
    const list = containersOf(shape, props);
    if (list.state !== "present") {
        return [];
    }
    return list.containers.flatMap((container) => {
        const envs = envsOf(container);
        return envs === UNKNOWN ? [] : envs.map((env) => ({ container, env }));
    });
}

/** The holders of one carrier's variables, as containers: the build's one, or each sandbox template; none when unknown. */
function carrierViews(carrier: OtherEnvCarrier, props: unknown): ContainerView[] {
    const value = path(props, carrier.path);
    if (carrier.layout === "map") {
        const raw = Object.defineProperty({}, "envs", { enumerable: true, get: () => mapEnvs(value) });
        return [{ index: 0, label: carrier.label, raw }];
    }
    const templates = elements(value);
    return (Array.isArray(templates) ? templates : []).map((raw, index) => {
        const name = text(field(raw, "name"));
        const label =
            typeof name === "string" && name.length > 0 ? `${carrier.label} ${JSON.stringify(name)}` : `${carrier.label} #${index + 1}`;
        return { index, label, raw };
    });
}

/**
 * Every variable entry the workload carries, whose list is known: its containers' (knownEnvEntries), then its
 * build-time and sandbox variables. What the checks for plaintext secrets and the E2E key read: a key in a build
 * variable leaks as surely as in a container's. Checks on what a runtime container must or must not set read
 * knownEnvEntries, since a build variable is not in the running container's environment.
 */
export function carriedEnvEntries(shape: WorkloadShape, props: unknown): EnvEntry[] {
    const entries = knownEnvEntries(shape, props);
    for (const carrier of shape.otherEnvCarriers) {
        for (const container of carrierViews(carrier, props)) {
            const envs = envsOf(container);
            if (envs !== UNKNOWN) {
                entries.push(...envs.map((env) => ({ container, env })));
            }
        }
    }
    return entries;
}

/** The variable's name: a string, `UNKNOWN`, or undefined when absent or not a string. Reads only `.name`. */
export function envName(env: EnvView): string | Unknown | undefined {
    return text(field(env.raw, "name"));
}

/**
 * The names a container declares, or `UNKNOWN` when any of them (or the list) is unknown, since a
 * name that is not known yet could be any name. Reads only `.name`.
 */
export function knownEnvNames(container: ContainerView): ReadonlySet<string> | Unknown {
    const envs = envsOf(container);
    if (envs === UNKNOWN) {
        return UNKNOWN;
    }
    const names = new Set<string>();
    for (const env of envs) {
        const name = envName(env);
        if (name === UNKNOWN) {
            return UNKNOWN;
        }
        if (name !== undefined) {
            names.add(name);
        }
    }
    return names;
}

/** True when the entry declares a literal `value` (known or not); never reads the value. */
export function hasLiteralValue(env: EnvView): boolean {
    return hasField(env.raw, "value");
}

/** The literal value: a string, `UNKNOWN`, or undefined when absent or not a string. */
export function literalValue(env: EnvView): string | Unknown | undefined {
    return text(field(env.raw, "value"));
}

/** What an entry says about its secret source. */
export type SecretSource =
    /** No secret source: the value is literal (or empty). */
    | { readonly kind: "none" }
    /** A source exists but is unknown during preview; assume it is a secretKeyRef whose secret is not known. */
    | { readonly kind: "unknown" }
    /**
     * A secretKeyRef; `secret` is the secret reference, a v1 alias resolved to the secret it stands for (a string,
     * `UNKNOWN`, or malformed).
     */
    | { readonly kind: "secretKeyRef"; readonly secret: string | Unknown | undefined };

/** Reads `valueSource.secretKeyRef.secret` (v2) or `valueFrom.secretKeyRef.name` (v1, an alias resolved). */
export function secretSource(shape: WorkloadShape, env: EnvView): SecretSource {
    // An unknown source reads its secretKeyRef as unknown too.
    const ref = field(field(env.raw, shape.envSourceKey), "secretKeyRef");
    if (ref === UNKNOWN) {
        return { kind: "unknown" };
    }
    if (typeof ref !== "object" || ref === null) {
        return { kind: "none" };
    }
    const secret = text(field(ref, shape.secretKeyRefSecretKey));
    return { kind: "secretKeyRef", secret: typeof secret === "string" ? dealiased(secret, env.secretAliases) : secret };
}

/** The secrets a workload's volumes mount (a v1 alias resolved): strings, `UNKNOWN` for unknown entries. */
export function volumeSecrets(shape: WorkloadShape, props: unknown): readonly (string | Unknown)[] {
    const volumes = elements(field(podTemplate(shape, props), shape.volumesKey));
    if (volumes === UNKNOWN) {
        return [UNKNOWN];
    }
    if (volumes === undefined) {
        return [];
    }
    const aliases = secretAliasesOf(shape, props);
    const secrets: (string | Unknown)[] = [];
    for (const volume of volumes) {
        const secret = text(path(volume, shape.volumeSecretPath));
        if (secret !== undefined) {
            secrets.push(typeof secret === "string" ? dealiased(secret, aliases) : secret);
        }
    }
    return secrets;
}

/** The VPC connector the workload names: a string, `UNKNOWN`, or undefined when unset or malformed. */
export function vpcConnectorOf(shape: WorkloadShape, props: unknown): string | Unknown | undefined {
    return text(path(props, shape.vpcConnectorPath));
}

/** The Cloud SQL instances the workload connects to, as known strings (what is not known yet is left out). */
export function cloudSqlInstancesOf(shape: WorkloadShape, props: unknown): readonly string[] {
    const source = shape.cloudSqlInstances;
    if (source.from === "annotation") {
        const listed = text(path(props, source.path));
        return typeof listed === "string"
            ? listed
                  .split(",")
                  .map((instance) => instance.trim())
                  .filter((instance) => instance !== "")
            : [];
    }
    if (source.from === "none") {
        return [];
    }
    const volumes = elements(field(podTemplate(shape, props), shape.volumesKey));
    return (Array.isArray(volumes) ? volumes : []).flatMap((volume) => {
        const instances = elements(path(volume, ["cloudSqlInstance", "instances"]));
        return (Array.isArray(instances) ? instances : []).filter((instance): instance is string => typeof instance === "string");
    });
}

/** The runtime account: an email, `UNKNOWN`, or undefined when unset (Cloud Run then uses the default compute account). */
export function serviceAccountOf(shape: WorkloadShape, props: unknown): string | Unknown | undefined {
    const value = text(field(podTemplate(shape, props), shape.serviceAccountKey));
    return value === "" ? undefined : value;
}

/** True for the shapes with an ingress setting (services and functions); jobs and worker pools take no requests. */
export function hasIngress(shape: WorkloadShape): shape is IngressShape {
    return shape.ingressPath !== undefined;
}

/** How a workload lets traffic in: `all`, another known setting, or `UNKNOWN`. */
export type Ingress = "all" | "restricted" | Unknown;

/**
 * The workload's ingress. Unset means all traffic on every shape (the provider's and the API's
 * default): v2 `INGRESS_TRAFFIC_ALL`, v1 annotation `run.googleapis.com/ingress: all`, function `ALLOW_ALL`.
 */
export function ingressOf(shape: IngressShape, props: unknown): Ingress {
    const value = text(path(props, shape.ingressPath));
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    const normalised = (value ?? "").trim().toUpperCase();
    return ["", "ALL", "INGRESS_TRAFFIC_ALL", "ALLOW_ALL"].includes(normalised) ? "all" : "restricted";
}

/**
 * Whether the workload turns Cloud Run's invoker IAM check off: `true` (v2's boolean) or `"true"` (v1's annotation,
 * any case, spaces around it) is off; anything else, and a shape without the setting, is on. `UNKNOWN` in preview.
 */
export function invokerCheckOff(shape: WorkloadShape, props: unknown): boolean | Unknown {
    if (shape.invokerCheckOffPath === undefined) {
        return false;
    }
    const value = path(props, shape.invokerCheckOffPath);
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    return value === true || (typeof value === "string" && value.trim().toLowerCase() === "true");
}

/**
 * True when `container` takes the workload's requests (Cloud Run injects PORT into it alone): the
 * container that declares `ports`, or the first (a function's only one) when none does. Jobs and worker pools take no requests.
 */
export function isIngressContainer(shape: WorkloadShape, list: ContainerList, container: ContainerView): boolean {
    if (!shape.servesRequests || list.state !== "present") {
        return false;
    }
    // Ports not known yet (UNKNOWN) count as declared.
    const declaresPorts = (view: ContainerView): boolean => {
        const ports = field(view.raw, "ports");
        return ports !== undefined && ports !== null && !(Array.isArray(ports) && ports.length === 0);
    };
    if (declaresPorts(container)) {
        return true;
    }
    return container.index === 0 && !list.containers.some(declaresPorts);
}

/** The secrets a workload reads (variables and volumes), as ids, and whether some reference is not known yet. */
export interface SecretReferences {
    /** Normalised secret ids, in order of first reference. */
    readonly ids: readonly string[];
    /** True when a container list, env list, secret source or volume was unknown: the ids may be incomplete. */
    readonly incomplete: boolean;
}

/** Collects every secret a workload reads through secretKeyRef variables and secret volumes. */
export function secretReferences(shape: WorkloadShape, props: unknown): SecretReferences {
    const ids = new Set<string>();
    const list = containersOf(shape, props);
    let incomplete = list.state === "unknown";
    const add = (reference: string | Unknown | undefined): void => {
        if (reference === UNKNOWN) {
            incomplete = true;
        } else if (typeof reference === "string" && reference.trim() !== "") {
            ids.add(normaliseSecretId(reference));
        }
    };
    // Stryker disable next-line ArrayDeclaration: any other fallback holds no container, so it yields no variable either
    for (const container of list.state === "present" ? list.containers : []) {
        const envs = envsOf(container);
        if (envs === UNKNOWN) {
            incomplete = true;
            continue;
        }
        for (const env of envs) {
            const source = secretSource(shape, env);
            add(source.kind === "unknown" ? UNKNOWN : source.kind === "secretKeyRef" ? source.secret : undefined);
        }
    }
    volumeSecrets(shape, props).forEach(add);
    return { ids: [...ids], incomplete };
}
