import { canonicalEnvironment, describeEnvironmentsWithAliases, ENVIRONMENT_VARIABLE } from "../../detector/environments";
import {
    describeReservedEnvNames,
    ENV_NAME_PATTERN,
    isReservedEnvName,
    KEY_LIKE_DESCRIPTIONS,
    keyLikeValue,
    MAX_ENV_VARS_PER_CONTAINER,
    secretNameToken,
} from "../../rules/cloudrun-env";
import { describeE2eKeySecretIds, E2E_KEY_ENV_NAME, E2E_KEY_ENVIRONMENT, isE2eKeySecretId } from "../../rules/e2e-key";
import { nameSlug } from "../resource-labels";
import { MANAGED_ENV_NAMES, NEXT_PUBLIC_ENV_NAMES, PLATFORM_ENV_NAMES } from "../service-environment";
import { describeGiven, StackConfigError, type ConfigIssue } from "./config-error";
import type { ConfigSource, E2eKeyConfig, RawStackConfig, SecretReference, ServiceConfig, StackConfig, VpcConnectorConfig } from "./types";

/** Defaults for optional service keys; the README's config table is checked against these. */
export const SERVICE_DEFAULTS = Object.freeze({
    cpu: "1",
    memory: "512Mi",
    minInstances: 0,
    maxInstances: 10,
    concurrency: 80,
    requestTimeoutSeconds: 300,
    cpuAlwaysAllocated: false,
    startupCpuBoost: false,
    ingress: "all" as const,
    allowUnauthenticated: false,
    nextPublicEnv: false,
});

/** Defaults for optional stack keys. */
export const STACK_DEFAULTS = Object.freeze({
    adoptExisting: false,
    deletionProtection: true,
});

/** Defaults for the optional keys of `e2eOAuthSimulationKey`. */
export const E2E_KEY_DEFAULTS = Object.freeze({
    enabled: false,
    rotation: "1",
    adoptExisting: false,
});

/** Cloud Run's ceiling on a request timeout. */
export const MAX_REQUEST_TIMEOUT_SECONDS = 3600;

export const INGRESS_VALUES = ["all", "internal", "internal-and-cloud-load-balancing"] as const;
export const VPC_EGRESS_VALUES = ["private-ranges-only", "all-traffic"] as const;

/** Every key the program reads below its namespace. */
export const STACK_KEYS: readonly string[] = [
    "environment",
    "domain",
    "adoptExisting",
    "deletionProtection",
    "labels",
    "services",
    "e2eOAuthSimulationKey",
];
const SERVICE_KEYS = [
    "name",
    "image",
    "port",
    "cpu",
    "memory",
    "minInstances",
    "maxInstances",
    "concurrency",
    "requestTimeoutSeconds",
    "cpuAlwaysAllocated",
    "startupCpuBoost",
    "ingress",
    "allowUnauthenticated",
    "serviceAccountId",
    "vpcConnector",
    "cloudSqlInstances",
    "nextPublicEnv",
    "env",
    "secrets",
];
const E2E_KEYS = ["enabled", "rotation", "consumers", "readers", "adoptExisting"];

const SERVICE_KEY_PATTERN = /^[a-z][a-z0-9-]{0,29}$/;
const CLOUD_RUN_NAME_PATTERN = /^[a-z](?:[-a-z0-9]{0,47}[a-z0-9])?$/;
const SERVICE_ACCOUNT_ID_PATTERN = /^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/;
const SECRET_ID_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
const SECRET_VERSION_PATTERN = /^(?:latest|[1-9][0-9]*)$/;
const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const GCP_PROJECT_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION_PATTERN = /^[a-z]+-[a-z]+[0-9]+$/;
const CLOUD_SQL_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]:[a-z]+-[a-z]+[0-9]+:[a-z][a-z0-9-]{0,97}$/;
const CONNECTOR_PATTERN = /^[a-z][-a-z0-9]{0,23}[a-z0-9]$/;
const CPU_PATTERN = /^(?:(\d+(?:\.\d+)?)|(\d+)m)$/;
const MEMORY_PATTERN = /^(\d+)(Mi|Gi)$/;
const LABEL_KEY_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE_PATTERN = /^[a-z0-9_-]{0,63}$/;
const IAM_MEMBER_PATTERN = /^(?:serviceAccount|user|group):[^\s@]+@[^\s@]+\.[a-z]+$|^principal(?:Set)?:\/\/\S+$/;

/** Cloud Run's CPU range (in cores) and memory range (in MiB) for one container. */
const CPU_RANGE = { min: 0.08, max: 8 };
const MEMORY_RANGE_MIB = { min: 128, max: 32768 };

type Json = Readonly<Record<string, unknown>>;

/** Collects issues while walking the raw config, so a user sees every problem in one run. */
class IssueCollector {
    readonly issues: ConfigIssue[] = [];
    add(path: string, problem: string): undefined {
        this.issues.push({ path, problem });
        return undefined;
    }
}

function isMap(value: unknown): value is Json {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unknownKeys(issues: IssueCollector, map: Json, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(map)) {
        if (!allowed.includes(key)) {
            issues.add(`${path}${key}`, `is not a known key; allowed: ${allowed.join(", ")}`);
        }
    }
}

function requiredString(issues: IssueCollector, value: unknown, path: string, pattern: RegExp, allowed: string): string | undefined {
    if (typeof value !== "string" || !pattern.test(value)) {
        return issues.add(path, `is ${describeGiven(value)}; expected ${allowed}`);
    }
    return value;
}

function optionalString(
    issues: IssueCollector,
    value: unknown,
    path: string,
    pattern: RegExp,
    allowed: string,
    fallback: string,
): string | undefined {
    return value === undefined ? fallback : requiredString(issues, value, path, pattern, allowed);
}

function optionalBoolean(issues: IssueCollector, value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined) {
        return fallback;
    }
    if (typeof value !== "boolean") {
        issues.add(path, `is ${describeGiven(value)}; expected true or false`);
        return fallback;
    }
    return value;
}

function integerIn(issues: IssueCollector, value: unknown, path: string, min: number, max: number): number | undefined {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        return issues.add(path, `is ${describeGiven(value)}; expected an integer from ${min} to ${max}`);
    }
    return value;
}

function optionalInteger(
    issues: IssueCollector,
    value: unknown,
    path: string,
    min: number,
    max: number,
    fallback: number,
): number | undefined {
    return value === undefined ? fallback : integerIn(issues, value, path, min, max);
}

function oneOf<T extends string>(issues: IssueCollector, value: unknown, path: string, allowed: readonly T[], fallback: T): T | undefined {
    if (value === undefined) {
        return fallback;
    }
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        return issues.add(path, `is ${describeGiven(value)}; allowed: ${allowed.join(", ")}`);
    }
    return value as T;
}

function stringList(issues: IssueCollector, value: unknown, path: string, pattern: RegExp, allowed: string): string[] {
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value)) {
        issues.add(path, `is ${describeGiven(value)}; expected a list of ${allowed}`);
        return [];
    }
    return value.flatMap((item, index) => {
        const checked = requiredString(issues, item, `${path}[${index}]`, pattern, allowed);
        return checked === undefined ? [] : [checked];
    });
}

/** `4`, `0.5`, `500m`: within Cloud Run's range. */
function parseCpu(issues: IssueCollector, value: unknown, path: string): string | undefined {
    const allowed = `a CPU count from ${CPU_RANGE.min} to ${CPU_RANGE.max} such as "1", "4" or "500m"`;
    const text = typeof value === "number" ? String(value) : value;
    const match = typeof text === "string" ? CPU_PATTERN.exec(text) : null;
    const cores = match === null ? Number.NaN : match[1] !== undefined ? Number(match[1]) : Number(match[2]) / 1000;
    if (!(cores >= CPU_RANGE.min && cores <= CPU_RANGE.max)) {
        return issues.add(path, `is ${describeGiven(value)}; expected ${allowed}`);
    }
    return text as string;
}

/** `512Mi`, `6Gi`: within Cloud Run's range. */
function parseMemory(issues: IssueCollector, value: unknown, path: string): string | undefined {
    const match = typeof value === "string" ? MEMORY_PATTERN.exec(value) : null;
    const mib = match === null ? Number.NaN : Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
    if (!(mib >= MEMORY_RANGE_MIB.min && mib <= MEMORY_RANGE_MIB.max)) {
        return issues.add(path, `is ${describeGiven(value)}; expected a size from 128Mi to 32Gi such as "512Mi" or "6Gi"`);
    }
    return value as string;
}

/** Checks a variable name against Cloud Run's rules and the names the platform owns. */
function checkEnvName(issues: IssueCollector, name: string, path: string): boolean {
    if (!ENV_NAME_PATTERN.test(name)) {
        issues.add(path, "is not a valid variable name; allowed: letters, digits and underscores, not starting with a digit");
        return false;
    }
    if (isReservedEnvName(name)) {
        issues.add(path, `is reserved by Cloud Run; reserved: ${describeReservedEnvNames()}`);
        return false;
    }
    if (name === ENVIRONMENT_VARIABLE) {
        issues.add(path, "is set by the platform from the stack's `environment`; remove it from the stack file");
        return false;
    }
    if (name === E2E_KEY_ENV_NAME) {
        issues.add(path, "is mounted by the platform on the services listed in `e2eOAuthSimulationKey.consumers`; remove it");
        return false;
    }
    if (PLATFORM_ENV_NAMES.includes(name) || NEXT_PUBLIC_ENV_NAMES.includes(name)) {
        issues.add(path, "is derived by the platform from `gcp:project`, `domain` and `environment`; remove it");
        return false;
    }
    return true;
}

function parsePlainEnv(issues: IssueCollector, value: unknown, path: string): Record<string, string> {
    const env: Record<string, string> = {};
    if (value === undefined) {
        return env;
    }
    if (!isMap(value)) {
        issues.add(path, `is ${describeGiven(value)}; expected a map of variable names to values`);
        return env;
    }
    for (const [name, raw] of Object.entries(value)) {
        const keyPath = `${path}.${name}`;
        if (!checkEnvName(issues, name, keyPath)) {
            continue;
        }
        if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean") {
            issues.add(keyPath, `is ${describeGiven(raw)}; expected a string, number or boolean`);
            continue;
        }
        const text = String(raw);
        const token = secretNameToken(name);
        if (token !== undefined) {
            issues.add(
                keyPath,
                `names a secret (contains ${token}) but is a plain value; move it to \`secrets\` as a Secret Manager reference`,
            );
            continue;
        }
        const kind = keyLikeValue(text);
        if (kind !== undefined) {
            issues.add(
                keyPath,
                `looks like a key (${KEY_LIKE_DESCRIPTIONS[kind]}, value not shown); keep keys in Secret Manager and list them under \`secrets\``,
            );
            continue;
        }
        env[name] = text;
    }
    return env;
}

function parseSecrets(issues: IssueCollector, value: unknown, path: string): Record<string, SecretReference> {
    const secrets: Record<string, SecretReference> = {};
    if (value === undefined) {
        return secrets;
    }
    if (!isMap(value)) {
        issues.add(path, `is ${describeGiven(value)}; expected a map of variable names to Secret Manager secret ids`);
        return secrets;
    }
    const idAllowed = "a Secret Manager secret id (letters, digits, - and _)";
    for (const [name, raw] of Object.entries(value)) {
        const keyPath = `${path}.${name}`;
        if (!checkEnvName(issues, name, keyPath)) {
            continue;
        }
        if (typeof raw === "string") {
            const secret = requiredString(issues, raw, keyPath, SECRET_ID_PATTERN, idAllowed);
            if (secret !== undefined) {
                secrets[name] = { secret, version: "latest" };
            }
            continue;
        }
        if (!isMap(raw)) {
            issues.add(keyPath, `is ${describeGiven(raw)}; expected ${idAllowed}, or a map with \`secret\` and \`version\``);
            continue;
        }
        unknownKeys(issues, raw, ["secret", "version"], `${keyPath}.`);
        const secret = requiredString(issues, raw.secret, `${keyPath}.secret`, SECRET_ID_PATTERN, idAllowed);
        const version = optionalString(
            issues,
            raw.version,
            `${keyPath}.version`,
            SECRET_VERSION_PATTERN,
            '"latest" or a version number',
            "latest",
        );
        if (secret !== undefined && version !== undefined) {
            secrets[name] = { secret, version };
        }
    }
    const grantNames = new Map<string, string>();
    for (const [name, reference] of Object.entries(secrets)) {
        if (isE2eKeySecretId(reference.secret)) {
            issues.add(
                `${path}.${name}`,
                `is "${reference.secret}", the E2E OAuth simulation key (${describeE2eKeySecretIds()}); list the service under \`e2eOAuthSimulationKey.consumers\` instead`,
            );
            continue;
        }
        // Each secret's grant is a resource named after the id's slug: two ids with one slug would share a grant.
        const slug = nameSlug(reference.secret);
        const other = grantNames.get(slug);
        if (other !== undefined && secrets[other].secret !== reference.secret) {
            issues.add(
                `${path}.${name}`,
                `is "${reference.secret}", which differs from "${secrets[other].secret}" (\`${other}\`) only in case, _ and -; use one spelling of the secret id`,
            );
        } else {
            grantNames.set(slug, name);
        }
    }
    return secrets;
}

function parseVpcConnector(issues: IssueCollector, value: unknown, path: string): VpcConnectorConfig | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (!isMap(value)) {
        return issues.add(path, `is ${describeGiven(value)}; expected a map with \`name\` and \`egress\``);
    }
    unknownKeys(issues, value, ["name", "egress"], `${path}.`);
    const name = requiredString(issues, value.name, `${path}.name`, CONNECTOR_PATTERN, "a Serverless VPC Access connector name");
    const egress = oneOf(issues, value.egress, `${path}.egress`, VPC_EGRESS_VALUES, "private-ranges-only");
    return name === undefined || egress === undefined ? undefined : { name, egress };
}

function parseService(issues: IssueCollector, key: string, value: unknown): ServiceConfig | undefined {
    const path = `services.${key}`;
    if (!SERVICE_KEY_PATTERN.test(key)) {
        return issues.add(
            path,
            "is not a valid service key; allowed: lower-case letters, digits and -, starting with a letter, at most 30 characters",
        );
    }
    if (!isMap(value)) {
        return issues.add(path, `is ${describeGiven(value)}; expected a map with at least \`name\`, \`image\` and \`port\``);
    }
    unknownKeys(issues, value, SERVICE_KEYS, `${path}.`);
    const before = issues.issues.length;
    const name = requiredString(
        issues,
        value.name,
        `${path}.name`,
        CLOUD_RUN_NAME_PATTERN,
        "a Cloud Run service name (lower-case letters, digits and -, at most 49)",
    );
    const image = requiredString(issues, value.image, `${path}.image`, /^\S+[:@]\S+$/, "a container image with a tag or digest");
    const port = integerIn(issues, value.port, `${path}.port`, 1, 65535);
    const cpu = value.cpu === undefined ? SERVICE_DEFAULTS.cpu : parseCpu(issues, value.cpu, `${path}.cpu`);
    const memory = value.memory === undefined ? SERVICE_DEFAULTS.memory : parseMemory(issues, value.memory, `${path}.memory`);
    const minInstances = optionalInteger(issues, value.minInstances, `${path}.minInstances`, 0, 1000, SERVICE_DEFAULTS.minInstances);
    const maxInstances = optionalInteger(issues, value.maxInstances, `${path}.maxInstances`, 1, 1000, SERVICE_DEFAULTS.maxInstances);
    if (minInstances !== undefined && maxInstances !== undefined && minInstances > maxInstances) {
        issues.add(
            `${path}.minInstances`,
            `is ${minInstances}, above \`maxInstances\` (${maxInstances}); expected at most ${maxInstances}`,
        );
    }
    const concurrency = optionalInteger(issues, value.concurrency, `${path}.concurrency`, 1, 1000, SERVICE_DEFAULTS.concurrency);
    const requestTimeoutSeconds = optionalInteger(
        issues,
        value.requestTimeoutSeconds,
        `${path}.requestTimeoutSeconds`,
        1,
        MAX_REQUEST_TIMEOUT_SECONDS,
        SERVICE_DEFAULTS.requestTimeoutSeconds,
    );
    const cpuAlwaysAllocated = optionalBoolean(
        issues,
        value.cpuAlwaysAllocated,
        `${path}.cpuAlwaysAllocated`,
        SERVICE_DEFAULTS.cpuAlwaysAllocated,
    );
    const startupCpuBoost = optionalBoolean(issues, value.startupCpuBoost, `${path}.startupCpuBoost`, SERVICE_DEFAULTS.startupCpuBoost);
    const ingress = oneOf(issues, value.ingress, `${path}.ingress`, INGRESS_VALUES, SERVICE_DEFAULTS.ingress);
    const allowUnauthenticated = optionalBoolean(
        issues,
        value.allowUnauthenticated,
        `${path}.allowUnauthenticated`,
        SERVICE_DEFAULTS.allowUnauthenticated,
    );
    const defaultAccountId = typeof name === "string" ? `${name.slice(0, 26).replace(/-+$/, "")}-run` : undefined;
    const serviceAccountId = optionalString(
        issues,
        value.serviceAccountId,
        `${path}.serviceAccountId`,
        SERVICE_ACCOUNT_ID_PATTERN,
        "a service account id (6 to 30 lower-case letters, digits and -)",
        defaultAccountId ?? "",
    );
    if (
        value.serviceAccountId === undefined &&
        serviceAccountId !== undefined &&
        serviceAccountId !== "" &&
        !SERVICE_ACCOUNT_ID_PATTERN.test(serviceAccountId)
    ) {
        issues.add(
            `${path}.serviceAccountId`,
            `is missing, and the default derived from \`name\` ("${serviceAccountId}") is not a valid service account id; set one of 6 to 30 lower-case letters, digits and -`,
        );
    }
    const vpcConnector = parseVpcConnector(issues, value.vpcConnector, `${path}.vpcConnector`);
    const cloudSqlInstances = stringList(
        issues,
        value.cloudSqlInstances,
        `${path}.cloudSqlInstances`,
        CLOUD_SQL_PATTERN,
        "instance connection names (project:region:instance)",
    );
    const nextPublicEnv = optionalBoolean(issues, value.nextPublicEnv, `${path}.nextPublicEnv`, SERVICE_DEFAULTS.nextPublicEnv);
    const env = parsePlainEnv(issues, value.env, `${path}.env`);
    const secrets = parseSecrets(issues, value.secrets, `${path}.secrets`);
    for (const name of Object.keys(secrets)) {
        if (Object.prototype.hasOwnProperty.call(env, name)) {
            issues.add(`${path}.secrets.${name}`, "is also set under `env`; a variable is either plain or a secret, not both");
        }
    }
    const total = MANAGED_ENV_NAMES.length + Object.keys(env).length + Object.keys(secrets).length;
    if (total > MAX_ENV_VARS_PER_CONTAINER) {
        issues.add(
            `${path}.env`,
            `declares ${total} variables with the platform's; Cloud Run allows at most ${MAX_ENV_VARS_PER_CONTAINER}`,
        );
    }
    if (issues.issues.length > before) {
        return undefined;
    }
    return {
        key,
        name: name as string,
        image: image as string,
        port: port as number,
        cpu: cpu as string,
        memory: memory as string,
        minInstances: minInstances as number,
        maxInstances: maxInstances as number,
        concurrency: concurrency as number,
        requestTimeoutSeconds: requestTimeoutSeconds as number,
        cpuAlwaysAllocated,
        startupCpuBoost,
        ingress: ingress as ServiceConfig["ingress"],
        allowUnauthenticated,
        serviceAccountId: serviceAccountId as string,
        vpcConnector,
        cloudSqlInstances,
        nextPublicEnv,
        env,
        secrets,
    };
}

function parseLabels(issues: IssueCollector, value: unknown): Record<string, string> {
    const labels: Record<string, string> = {};
    if (value === undefined) {
        return labels;
    }
    if (!isMap(value)) {
        issues.add("labels", `is ${describeGiven(value)}; expected a map of label keys to values`);
        return labels;
    }
    for (const [key, raw] of Object.entries(value)) {
        if (!LABEL_KEY_PATTERN.test(key)) {
            issues.add(`labels.${key}`, "is not a valid label key; allowed: lower-case letters, digits, _ and -, starting with a letter");
            continue;
        }
        const text = requiredString(
            issues,
            raw,
            `labels.${key}`,
            LABEL_VALUE_PATTERN,
            "a label value (lower-case letters, digits, _ and -, at most 63)",
        );
        if (text !== undefined) {
            labels[key] = text;
        }
    }
    return labels;
}

function parseE2eKey(
    issues: IssueCollector,
    value: unknown,
    declared: readonly string[],
    environment: string | undefined,
): E2eKeyConfig | undefined {
    const path = "e2eOAuthSimulationKey";
    if (value === undefined) {
        return undefined;
    }
    if (!isMap(value)) {
        return issues.add(path, `is ${describeGiven(value)}; expected a map with \`enabled\`, \`rotation\`, \`consumers\` and \`readers\``);
    }
    unknownKeys(issues, value, E2E_KEYS, `${path}.`);
    const enabled = optionalBoolean(issues, value.enabled, `${path}.enabled`, E2E_KEY_DEFAULTS.enabled);
    const rotationRaw = typeof value.rotation === "number" ? String(value.rotation) : value.rotation;
    const rotation = optionalString(
        issues,
        rotationRaw,
        `${path}.rotation`,
        /^[A-Za-z0-9._-]{1,64}$/,
        'a short rotation marker such as "1" or "2026-11"',
        E2E_KEY_DEFAULTS.rotation,
    );
    const consumers = stringList(issues, value.consumers, `${path}.consumers`, SERVICE_KEY_PATTERN, "service keys");
    consumers.forEach((consumer, index) => {
        if (!declared.includes(consumer)) {
            issues.add(
                `${path}.consumers[${index}]`,
                `is "${consumer}", which is not a declared service; declared: ${declared.join(", ") || "none"}`,
            );
        }
    });
    const readers = stringList(
        issues,
        value.readers,
        `${path}.readers`,
        IAM_MEMBER_PATTERN,
        "IAM members such as serviceAccount:runner@project.iam.gserviceaccount.com",
    );
    const adoptExisting = optionalBoolean(issues, value.adoptExisting, `${path}.adoptExisting`, E2E_KEY_DEFAULTS.adoptExisting);
    if (!enabled) {
        return undefined;
    }
    if (environment !== undefined && environment !== E2E_KEY_ENVIRONMENT) {
        return issues.add(
            `${path}.enabled`,
            `is true on a ${environment} stack; the E2E OAuth simulation key bypasses OAuth and is allowed only on ${E2E_KEY_ENVIRONMENT}`,
        );
    }
    return rotation === undefined ? undefined : { rotation, consumers, readers, adoptExisting };
}

/**
 * Validates and normalises a stack's raw config. Pure: no Pulumi runtime, no I/O.
 * Throws StackConfigError listing every problem (file, key, given, allowed) before anything is created.
 */
export function parseStackConfig(raw: RawStackConfig, source: ConfigSource): StackConfig {
    const issues = new IssueCollector();
    const values = raw.values;
    unknownKeys(issues, values, STACK_KEYS, "");
    for (const key of raw.secretKeys ?? []) {
        // Whatever a key holds ends up in plain resource inputs (env values, labels); a secret belongs in Secret Manager.
        issues.add(
            key,
            "is encrypted (`secure:`), but this program takes no secrets from config; store the value in Secret Manager and reference it under a service's `secrets`",
        );
    }
    if (issues.issues.length > 0 && (raw.secretKeys ?? []).length > 0) {
        // An encrypted value cannot be validated (offline it is a placeholder): report only that.
        throw new StackConfigError(source, issues.issues);
    }
    const gcpProject = requiredString(issues, raw.gcpProject, "gcp:project", GCP_PROJECT_PATTERN, "a Google Cloud project id");
    const region = requiredString(issues, raw.gcpRegion, "gcp:region", REGION_PATTERN, "a Google Cloud region such as us-central1");
    let environment: StackConfig["environment"] | undefined;
    if (typeof values.environment !== "string" || (environment = canonicalEnvironment(values.environment)) === undefined) {
        issues.add("environment", `is ${describeGiven(values.environment)}; allowed: ${describeEnvironmentsWithAliases()}`);
    }
    const domain = requiredString(issues, values.domain, "domain", DOMAIN_PATTERN, "a lower-case DNS name such as staging.netrasystems.ai");
    const adoptExisting = optionalBoolean(issues, values.adoptExisting, "adoptExisting", STACK_DEFAULTS.adoptExisting);
    const deletionProtection = optionalBoolean(issues, values.deletionProtection, "deletionProtection", STACK_DEFAULTS.deletionProtection);
    const labels = parseLabels(issues, values.labels);
    const services: ServiceConfig[] = [];
    if (!isMap(values.services) || Object.keys(values.services).length === 0) {
        const given = isMap(values.services) ? "an empty map" : describeGiven(values.services);
        issues.add("services", `is ${given}; expected a map of at least one service key to its settings`);
    } else {
        for (const [key, service] of Object.entries(values.services)) {
            const parsed = parseService(issues, key, service);
            if (parsed !== undefined) {
                services.push(parsed);
            }
        }
        const clashing = checkUnique(issues, services, (service) => service.name, "name");
        // A clashing name already explains the clashing default account id derived from it.
        checkUnique(
            issues,
            services.filter((service) => !clashing.has(service.key)),
            (service) => service.serviceAccountId,
            "serviceAccountId",
        );
    }
    const declared = isMap(values.services) ? Object.keys(values.services) : [];
    const e2eKey = parseE2eKey(issues, values.e2eOAuthSimulationKey, declared, environment);
    if (issues.issues.length > 0) {
        throw new StackConfigError(source, issues.issues);
    }
    return {
        source,
        gcpProject: gcpProject as string,
        region: region as string,
        environment: environment as StackConfig["environment"],
        domain: domain as string,
        adoptExisting,
        deletionProtection,
        labels,
        services,
        e2eKey,
    };
}

/** Flags services that reuse another's value; returns the keys flagged. */
function checkUnique(
    issues: IssueCollector,
    services: readonly ServiceConfig[],
    pick: (service: ServiceConfig) => string,
    field: string,
): Set<string> {
    const seen = new Map<string, string>();
    const flagged = new Set<string>();
    for (const service of services) {
        const value = pick(service);
        const first = seen.get(value);
        if (first !== undefined) {
            issues.add(
                `services.${service.key}.${field}`,
                `is "${value}", already used by service \`${first}\`; each service needs its own`,
            );
            flagged.add(service.key);
        } else {
            seen.set(value, service.key);
        }
    }
    return flagged;
}
