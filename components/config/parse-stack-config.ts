import { canonicalEnvironment, describeEnvironmentsWithAliases, Environment, ENVIRONMENT_VARIABLE } from "../../detector/environments";
import { chosenLabels, environmentsNamedBy } from "../../detector/signals";
import { describeReservedEnvNames, ENV_NAME_PATTERN, isReservedEnvName, MAX_ENV_VARS_PER_CONTAINER } from "../../rules/cloudrun-env";
import { keyMaterialKind, plaintextFinding } from "../../rules/plaintext-secret";
import { describeE2eKeySecretIds, E2E_KEY_ENV_NAME, E2E_KEY_ENVIRONMENT, isE2eKeySecretId } from "../../rules/e2e-key";
import { nameSlug } from "../resource-labels";
import { MANAGED_ENV_NAMES, NEXT_PUBLIC_ENV_NAMES, PLATFORM_ENV_NAMES } from "../service-environment";
import { parseImageReference } from "../../rules/oci-image-reference";
import { REQUEST_TIMEOUT_RANGE } from "../../rules/cloudrun-limits";
import { checkCloudRunLimits, CONCURRENCY_RANGE, parseCpu, parseMemory } from "./cloud-run-resources";
import { describeGiven, StackConfigError } from "./config-error";
import {
    child,
    describeTyped,
    integerIn,
    IssueCollector,
    isMap,
    oneOf,
    optionalBoolean,
    optionalInteger,
    optionalMap,
    optionalString,
    requiredString,
    stringList,
    stringListEntries,
    unknownKeys,
    userMap,
} from "./config-values";
import { displayText, quoteText } from "./display-text";
import { parseLabels } from "./labels";
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

/** Cloud Run's ceiling on a request timeout (rules/cloudrun-limits.ts). */
export const MAX_REQUEST_TIMEOUT_SECONDS = REQUEST_TIMEOUT_RANGE.max;

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

// The key names the service's container, which Cloud Run wants an RFC 1123 label: no "-" at the end.
const SERVICE_KEY_PATTERN = /^[a-z](?:[a-z0-9-]{0,28}[a-z0-9])?$/;
const CLOUD_RUN_NAME_PATTERN = /^[a-z](?:[-a-z0-9]{0,47}[a-z0-9])?$/;
const SERVICE_ACCOUNT_ID_PATTERN = /^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/;
const SECRET_ID_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
const SECRET_VERSION_PATTERN = /^(?:latest|[1-9][0-9]*)$/;
const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const GCP_PROJECT_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION_PATTERN = /^[a-z]+-[a-z]+[0-9]+$/;
const CLOUD_SQL_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]:[a-z]+-[a-z]+[0-9]+:[a-z][a-z0-9-]{0,97}$/;
const CONNECTOR_PATTERN = /^[a-z][-a-z0-9]{0,23}[a-z0-9]$/;
const IAM_MEMBER_PATTERN = /^(?:serviceAccount|user|group):[^\s@]+@[^\s@]+\.[a-z]+$|^principal(?:Set)?:\/\/\S+$/;

/**
 * The most services one stack declares: the supported size, the largest the benchmarks measure. The
 * offline check grows linearly in memory; 500 staging-like services (8,185 resources) peaked at 1.45 GB
 * here for the check, its program thread and the policy pack together, within 2 GB (README, "The offline check").
 */
export const MAX_SERVICES = 500;

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
    // `environment` beside the platform's ENVIRONMENT: a program reading either spelling gets a different answer.
    const managed = MANAGED_ENV_NAMES.find((candidate) => candidate.toUpperCase() === name.toUpperCase());
    if (managed !== undefined) {
        issues.add(path, `differs only in letter case from \`${managed}\`, which the platform sets; remove it`);
        return false;
    }
    return true;
}

function parsePlainEnv(issues: IssueCollector, value: unknown, path: string): Record<string, string> {
    const env = userMap<string>();
    const map = optionalMap(issues, value, path, "a map of variable names to values");
    if (map === undefined) {
        return env;
    }
    for (const [name, raw] of Object.entries(map)) {
        const keyPath = child(path, name);
        if (!checkEnvName(issues, name, keyPath)) {
            continue;
        }
        // A secret-named variable is refused whatever its value, so a value of the wrong type is never shown either. A
        // number or a flag is judged as the text it stands for: `REQUIRE_TOKEN: true` is a setting written unquoted.
        const finding = plaintextFinding(
            name,
            typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" ? String(raw) : undefined,
        );
        if (finding?.by === "name") {
            issues.add(
                keyPath,
                `names a secret (contains ${finding.token}) but is a plain value; move it to \`secrets\` as a Secret Manager reference`,
            );
            continue;
        }
        // One rule for scalars: a variable's value is text, written as text. `1e30` or `0755` unquoted would
        // reach the container as something else than written (config-values.ts).
        if (typeof raw !== "string") {
            const quoted =
                typeof raw === "number" || typeof raw === "boolean"
                    ? `; quote it ("${String(raw)}") so the container gets exactly that text`
                    : "";
            issues.add(keyPath, `is ${describeTyped(raw)}; expected text${quoted}`);
            continue;
        }
        // The value part of the pack's rule (rules/plaintext-secret.ts), read above with the same name and value.
        if (finding?.by === "value") {
            issues.add(
                keyPath,
                `looks like a key (${finding.kind}, value not shown); keep keys in Secret Manager and list them under \`secrets\``,
            );
            continue;
        }
        if (raw.includes("\0")) {
            issues.add(keyPath, "holds a NUL character, which no process environment can carry; remove it");
            continue;
        }
        env[name] = raw;
    }
    return env;
}

const SECRET_ID_ALLOWED = "a Secret Manager secret id (letters, digits, - and _, at most 255)";

/**
 * What was given in a secret id's place, never the value: text, a number or a flag that is not an id
 * may be the secret itself (`DB_PASSWORD: "<the password>"`), and the message ends up in CI logs.
 */
function describeSecretIdGiven(value: unknown): string {
    if (typeof value === "string") {
        return value === "" ? "empty text" : "text that is not a secret id (value not shown)";
    }
    if (typeof value === "number" || typeof value === "boolean") {
        return `a ${typeof value} (value not shown)`;
    }
    return describeGiven(value);
}

/**
 * A Secret Manager secret id. Refused, without the value, when it is not one, or when it is one but
 * holds key material by the plain variables' rule (an API key written where its secret's id belongs):
 * accepted, it would name grants and resources, and so appear in URNs and reports.
 */
function parseSecretId(issues: IssueCollector, value: unknown, path: string): string | undefined {
    if (typeof value !== "string" || !SECRET_ID_PATTERN.test(value)) {
        return issues.add(path, `is ${describeSecretIdGiven(value)}; expected ${SECRET_ID_ALLOWED}`);
    }
    const kind = keyMaterialKind(value);
    if (kind !== undefined) {
        return issues.add(
            path,
            `looks like a key (${kind}, value not shown); store the key in Secret Manager and give the id of its secret here`,
        );
    }
    return value;
}

function parseSecrets(issues: IssueCollector, value: unknown, path: string): Record<string, SecretReference> {
    const secrets = userMap<SecretReference>();
    const map = optionalMap(issues, value, path, "a map of variable names to Secret Manager secret ids");
    if (map === undefined) {
        return secrets;
    }
    for (const [name, raw] of Object.entries(map)) {
        const keyPath = child(path, name);
        if (!checkEnvName(issues, name, keyPath)) {
            continue;
        }
        if (typeof raw === "string") {
            const secret = parseSecretId(issues, raw, keyPath);
            if (secret !== undefined) {
                secrets[name] = { secret, version: "latest" };
            }
            continue;
        }
        if (!isMap(raw)) {
            issues.add(
                keyPath,
                `is ${describeSecretIdGiven(raw)}; expected ${SECRET_ID_ALLOWED}, or a map with \`secret\` and \`version\``,
            );
            continue;
        }
        unknownKeys(issues, raw, ["secret", "version"], keyPath);
        const secret = parseSecretId(issues, raw.secret, `${keyPath}.secret`);
        const version = optionalString(
            issues,
            raw.version,
            `${keyPath}.version`,
            SECRET_VERSION_PATTERN,
            'text: "latest" or a version number',
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
                child(path, name),
                `is "${reference.secret}", the E2E OAuth simulation key (${describeE2eKeySecretIds()}); list the service under \`e2eOAuthSimulationKey.consumers\` instead`,
            );
            continue;
        }
        // Each secret's grant is a resource named after the id's slug: two ids with one slug would share a grant.
        const slug = nameSlug(reference.secret);
        const other = grantNames.get(slug);
        if (other !== undefined && secrets[other].secret !== reference.secret) {
            issues.add(
                child(path, name),
                `is "${reference.secret}", which differs from "${secrets[other].secret}" (\`${displayText(other)}\`) only in case, _ and -; use one spelling of the secret id`,
            );
        } else {
            grantNames.set(slug, name);
        }
    }
    return secrets;
}

function parseVpcConnector(issues: IssueCollector, value: unknown, path: string): VpcConnectorConfig | undefined {
    const map = optionalMap(issues, value, path, "a map with `name` and `egress`");
    if (map === undefined) {
        return undefined;
    }
    unknownKeys(issues, map, ["name", "egress"], path);
    const name = requiredString(issues, map.name, `${path}.name`, CONNECTOR_PATTERN, "a Serverless VPC Access connector name");
    const egress = oneOf(issues, map.egress, `${path}.egress`, VPC_EGRESS_VALUES, "private-ranges-only");
    return name === undefined || egress === undefined ? undefined : { name, egress };
}

function parseImage(issues: IssueCollector, value: unknown, path: string): string | undefined {
    if (typeof value !== "string") {
        return issues.add(path, `is ${describeTyped(value)}; expected a container image such as gcr.io/<project>/<name>@sha256:<digest>`);
    }
    const parsed = parseImageReference(value);
    if (!parsed.ok) {
        return issues.add(path, `is ${quoteText(value, 120)}, which ${parsed.problem}`);
    }
    return value;
}

function parseService(issues: IssueCollector, key: string, value: unknown): ServiceConfig | undefined {
    const path = child("services", key);
    if (!SERVICE_KEY_PATTERN.test(key)) {
        return issues.add(
            path,
            "is not a valid service key; allowed: lower-case letters, digits and -, starting with a letter and ending with a letter or digit, at most 30 characters",
        );
    }
    const map = optionalMap(issues, value, path, "a map with at least `name`, `image` and `port`");
    if (map === undefined) {
        return undefined;
    }
    unknownKeys(issues, map, SERVICE_KEYS, path);
    const before = issues.issues.length;
    const name = requiredString(
        issues,
        map.name,
        `${path}.name`,
        CLOUD_RUN_NAME_PATTERN,
        "a Cloud Run service name (lower-case letters, digits and -, at most 49)",
    );
    const image = parseImage(issues, map.image, `${path}.image`);
    const port = integerIn(issues, map.port, `${path}.port`, 1, 65535);
    const cpu =
        map.cpu === undefined
            ? { text: SERVICE_DEFAULTS.cpu, cpus: Number(SERVICE_DEFAULTS.cpu) }
            : parseCpu(issues, map.cpu, `${path}.cpu`);
    const memory =
        map.memory === undefined ? { text: SERVICE_DEFAULTS.memory, mib: 512 } : parseMemory(issues, map.memory, `${path}.memory`);
    const minInstances = optionalInteger(issues, map.minInstances, `${path}.minInstances`, 0, 1000, SERVICE_DEFAULTS.minInstances);
    const maxInstances = optionalInteger(issues, map.maxInstances, `${path}.maxInstances`, 1, 1000, SERVICE_DEFAULTS.maxInstances);
    if (minInstances !== undefined && maxInstances !== undefined && minInstances > maxInstances) {
        const which = map.maxInstances === undefined ? `${maxInstances}, the default` : String(maxInstances);
        const fix = map.maxInstances === undefined ? `; lower it or set \`maxInstances\`` : "";
        issues.add(`${path}.minInstances`, `is ${minInstances}, above \`maxInstances\` (${which}); expected at most ${maxInstances}${fix}`);
    }
    const concurrency = optionalInteger(
        issues,
        map.concurrency,
        `${path}.concurrency`,
        CONCURRENCY_RANGE.min,
        CONCURRENCY_RANGE.max,
        SERVICE_DEFAULTS.concurrency,
    );
    const requestTimeoutSeconds = optionalInteger(
        issues,
        map.requestTimeoutSeconds,
        `${path}.requestTimeoutSeconds`,
        REQUEST_TIMEOUT_RANGE.min,
        MAX_REQUEST_TIMEOUT_SECONDS,
        SERVICE_DEFAULTS.requestTimeoutSeconds,
    );
    const cpuAlwaysAllocated = optionalBoolean(
        issues,
        map.cpuAlwaysAllocated,
        `${path}.cpuAlwaysAllocated`,
        SERVICE_DEFAULTS.cpuAlwaysAllocated,
    );
    if (cpu !== undefined && memory !== undefined && concurrency !== undefined) {
        checkCloudRunLimits(issues, path, { cpu, memory, concurrency, cpuAlwaysAllocated });
    }
    const startupCpuBoost = optionalBoolean(issues, map.startupCpuBoost, `${path}.startupCpuBoost`, SERVICE_DEFAULTS.startupCpuBoost);
    const ingress = oneOf(issues, map.ingress, `${path}.ingress`, INGRESS_VALUES, SERVICE_DEFAULTS.ingress);
    const allowUnauthenticated = optionalBoolean(
        issues,
        map.allowUnauthenticated,
        `${path}.allowUnauthenticated`,
        SERVICE_DEFAULTS.allowUnauthenticated,
    );
    const defaultAccountId = typeof name === "string" ? `${name.slice(0, 26).replace(/-+$/, "")}-run` : undefined;
    const serviceAccountId = optionalString(
        issues,
        map.serviceAccountId,
        `${path}.serviceAccountId`,
        SERVICE_ACCOUNT_ID_PATTERN,
        "a service account id (6 to 30 lower-case letters, digits and -)",
        defaultAccountId ?? "",
    );
    if (
        map.serviceAccountId === undefined &&
        serviceAccountId !== undefined &&
        serviceAccountId !== "" &&
        !SERVICE_ACCOUNT_ID_PATTERN.test(serviceAccountId)
    ) {
        issues.add(
            `${path}.serviceAccountId`,
            `is missing, and the default derived from \`name\` ("${serviceAccountId}") is not a valid service account id; set one of 6 to 30 lower-case letters, digits and -`,
        );
    }
    const vpcConnector = parseVpcConnector(issues, map.vpcConnector, `${path}.vpcConnector`);
    const cloudSqlInstances = stringList(
        issues,
        map.cloudSqlInstances,
        `${path}.cloudSqlInstances`,
        CLOUD_SQL_PATTERN,
        "instance connection names (project:region:instance)",
    );
    const nextPublicEnv = optionalBoolean(issues, map.nextPublicEnv, `${path}.nextPublicEnv`, SERVICE_DEFAULTS.nextPublicEnv);
    const env = parsePlainEnv(issues, map.env, `${path}.env`);
    const secrets = parseSecrets(issues, map.secrets, `${path}.secrets`);
    for (const name of Object.keys(secrets)) {
        if (Object.prototype.hasOwnProperty.call(env, name)) {
            issues.add(child(`${path}.secrets`, name), "is also set under `env`; a variable is either plain or a secret, not both");
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
        cpu: (cpu as { text: string }).text,
        memory: (memory as { text: string }).text,
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

function parseE2eKey(
    issues: IssueCollector,
    value: unknown,
    declared: readonly string[],
    environment: string | undefined,
): E2eKeyConfig | undefined {
    const path = "e2eOAuthSimulationKey";
    const map = optionalMap(issues, value, path, "a map with `enabled`, `rotation`, `consumers` and `readers`");
    if (map === undefined) {
        return undefined;
    }
    unknownKeys(issues, map, E2E_KEYS, path);
    const enabled = optionalBoolean(issues, map.enabled, `${path}.enabled`, E2E_KEY_DEFAULTS.enabled);
    // Text, never a number: `rotation: 1.0` would arrive as "1" and the rotation would not happen.
    const rotation = optionalString(
        issues,
        map.rotation,
        `${path}.rotation`,
        /^[A-Za-z0-9._-]{1,64}$/,
        'a short rotation marker such as "1" or "2026-11"',
        E2E_KEY_DEFAULTS.rotation,
    );
    const consumers = stringListEntries(issues, map.consumers, `${path}.consumers`, SERVICE_KEY_PATTERN, "service keys");
    for (const [consumer, index] of consumers) {
        if (!declared.includes(consumer)) {
            issues.add(
                `${path}.consumers[${index}]`,
                `is "${consumer}", which is not a declared service; declared: ${declared.map((key) => displayText(key)).join(", ") || "none"}`,
            );
        }
    }
    const readers = stringListEntries(
        issues,
        map.readers,
        `${path}.readers`,
        IAM_MEMBER_PATTERN,
        "IAM members such as serviceAccount:runner@project.iam.gserviceaccount.com",
    );
    // Each reader's grant is a resource named after the member's slug: two members with one slug would be one URN.
    const readerSlugs = new Map<string, [string, number]>();
    for (const [reader, index] of readers) {
        const slug = nameSlug(reader);
        const first = readerSlugs.get(slug);
        if (first === undefined) {
            readerSlugs.set(slug, [reader, index]);
        } else {
            issues.add(
                `${path}.readers[${index}]`,
                first[0] === reader
                    ? `repeats \`${path}.readers[${first[1]}]\`; list each member once`
                    : `is "${reader}", which differs from \`${path}.readers[${first[1]}]\` ("${first[0]}") only in case and punctuation, so both grants would get one name; list each member once, spelt as IAM spells it`,
            );
        }
    }
    const adoptExisting = optionalBoolean(issues, map.adoptExisting, `${path}.adoptExisting`, E2E_KEY_DEFAULTS.adoptExisting);
    if (!enabled) {
        return undefined;
    }
    if (environment !== undefined && environment !== E2E_KEY_ENVIRONMENT) {
        return issues.add(
            `${path}.enabled`,
            `is true on a ${environment} stack; the E2E OAuth simulation key bypasses OAuth and is allowed only on ${E2E_KEY_ENVIRONMENT}`,
        );
    }
    return rotation === undefined
        ? undefined
        : { rotation, consumers: consumers.map(([consumer]) => consumer), readers: readers.map(([reader]) => reader), adoptExisting };
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
            displayText(key),
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
        issues.add("environment", `is ${describeTyped(values.environment)}; allowed: ${describeEnvironmentsWithAliases()}`);
    }
    const domain = requiredString(issues, values.domain, "domain", DOMAIN_PATTERN, "a lower-case DNS name such as staging.netrasystems.ai");
    if (domain !== undefined && environment !== undefined) {
        checkDomainNamesEnvironment(issues, domain, environment);
    }
    const adoptExisting = optionalBoolean(issues, values.adoptExisting, "adoptExisting", STACK_DEFAULTS.adoptExisting);
    const deletionProtection = optionalBoolean(issues, values.deletionProtection, "deletionProtection", STACK_DEFAULTS.deletionProtection);
    const labels = parseLabels(issues, values.labels);
    const services: ServiceConfig[] = [];
    const serviceMap = isMap(values.services) ? values.services : undefined;
    if (serviceMap === undefined || Object.keys(serviceMap).length === 0) {
        const given = serviceMap !== undefined ? "an empty map" : describeGiven(values.services);
        issues.add("services", `is ${given}; expected a map of at least one service key to its settings`);
    } else if (Object.keys(serviceMap).length > MAX_SERVICES) {
        issues.add(
            "services",
            `declares ${Object.keys(serviceMap).length} services; a stack supports at most ${MAX_SERVICES} (the check of ${MAX_SERVICES} stays within 2 GB); split it into several stacks`,
        );
    } else {
        for (const [key, service] of Object.entries(serviceMap)) {
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
    const declared = serviceMap === undefined ? [] : Object.keys(serviceMap);
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

/**
 * Every URL the platform sets (BACKEND_URL, AUTH_SERVICE_URL, FRONTEND_URL, the Next.js ones) derives from `domain`, so
 * a domain naming another environment, or on a stack other than production none at all (production's bare domain), points
 * the services at another environment's hosts. Read as the detector reads a host: its chosen labels, by its tokens.
 */
function checkDomainNamesEnvironment(issues: IssueCollector, domain: string, environment: StackConfig["environment"]): void {
    const named = environmentsNamedBy(chosenLabels(domain));
    const others = named.filter((name) => name !== environment);
    if (others.length > 0) {
        issues.add(
            "domain",
            `is "${domain}", which names ${others.join(" and ")}, but this stack's environment is ${environment}; every URL the platform derives from it would point at ${others.join(" and ")}`,
        );
    } else if (named.length === 0 && environment !== Environment.production) {
        issues.add(
            "domain",
            `is "${domain}", which names no environment, as production's domain does; a ${environment} stack's domain names ${environment} (such as ${environment}.netrasystems.ai), or every URL the platform derives from it would point at hosts that read as production's`,
        );
    }
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
