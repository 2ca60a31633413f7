/**
 * The E2E OAuth simulation key bypasses OAuth; the auth service honours it only on staging, and it
 * must not exist anywhere else: no such secret (under any of its old ids), no version or grant of it,
 * and no Cloud Run variable carrying it (a container's, a build's or a sandbox template's), on any other environment.
 */
import type { ResourceValidationArgs } from "@pulumi/policy";
import { describeE2eKeySecretIds, E2E_KEY_ENVIRONMENT, isE2eKeyEnvName, isE2eKeySecret } from "./lib/e2e-key";
import { notApplicable } from "./lib/not-applicable";
import { field, text } from "./lib/props";
import {
    REGIONAL_SECRET,
    REGIONAL_SECRET_IAM_BINDING,
    REGIONAL_SECRET_IAM_MEMBER,
    REGIONAL_SECRET_IAM_POLICY,
    REGIONAL_SECRET_VERSION,
    SECRET,
    SECRET_IAM_BINDING,
    SECRET_IAM_MEMBER,
    SECRET_IAM_POLICY,
    SECRET_VERSION,
} from "./lib/resource-types";
import {
    currentStackName,
    ENVIRONMENT_CONFIG_PROPERTY,
    resolveStackEnvironment,
    undecidedEnvironmentMessage,
} from "./lib/stack-environment";
import { readConfig } from "./lib/policy-config";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";
import {
    carriedEnvEntries,
    envName,
    secretSource,
    volumeSecrets,
    WORKLOAD_TYPES,
    workloadShape,
    type WorkloadShape,
} from "./lib/workloads";

/** The policy's name. */
export const E2E_KEY_ONLY_ON_STAGING_POLICY = "e2e-key-only-on-staging";

/** What a Secret Manager resource is to the key: a secret, a version of one, or a grant on one. */
type SecretRole = "secret" | "version" | "grant";

/**
 * Secret Manager types, global and regional (a regional secret of the key's id is the key all the same), with the
 * property that names the secret: `secretId` (secrets, grants) or `secret` (versions), and what each is to it.
 */
const SECRET_REFERENCES: Readonly<Record<string, { readonly key: string; readonly role: SecretRole; readonly regional: boolean }>> = {
    [SECRET]: { key: "secretId", role: "secret", regional: false },
    [SECRET_VERSION]: { key: "secret", role: "version", regional: false },
    [SECRET_IAM_MEMBER]: { key: "secretId", role: "grant", regional: false },
    [SECRET_IAM_BINDING]: { key: "secretId", role: "grant", regional: false },
    [SECRET_IAM_POLICY]: { key: "secretId", role: "grant", regional: false },
    [REGIONAL_SECRET]: { key: "secretId", role: "secret", regional: true },
    [REGIONAL_SECRET_VERSION]: { key: "secret", role: "version", regional: true },
    [REGIONAL_SECRET_IAM_MEMBER]: { key: "secretId", role: "grant", regional: true },
    [REGIONAL_SECRET_IAM_BINDING]: { key: "secretId", role: "grant", regional: true },
    [REGIONAL_SECRET_IAM_POLICY]: { key: "secretId", role: "grant", regional: true },
};

/** Every type the policy looks at. */
export const E2E_KEY_POLICY_TYPES: readonly string[] = [...WORKLOAD_TYPES, ...Object.keys(SECRET_REFERENCES)];

/** What every finding continues with: what the key is and where it may live. */
function keyClause(): string {
    return (
        `the E2E OAuth simulation key (secret ids ${describeE2eKeySecretIds()}) bypasses OAuth and may exist only on ` +
        `${E2E_KEY_ENVIRONMENT}`
    );
}

/** The message for one finding on a stack whose environment is `environment`. */
export function e2eKeyMessage(subject: string, environment: string): string {
    return `${subject}: ${keyClause()}, but this stack's environment is ${environment}.`;
}

/** The message for one finding on a stack whose environment is undecided. */
export function e2eKeyUndecidedMessage(subject: string, reason: string): string {
    return `${subject}: ${keyClause()}. ${undecidedEnvironmentMessage(E2E_KEY_ONLY_ON_STAGING_POLICY, reason)}`;
}

/** Where a Cloud Run workload carries the key: variables named for it (runtime, build or sandbox), secretKeyRefs and volumes of it. */
function workloadFindings(shape: WorkloadShape, props: unknown): string[] {
    const findings: string[] = [];
    for (const { container, env } of carriedEnvEntries(shape, props)) {
        const name = envName(env);
        const source = secretSource(shape, env);
        // Stryker disable next-line ConditionalExpression: only a secretKeyRef source has a `secret`; on the others it reads undefined either way.
        const secret = source.kind === "secretKeyRef" ? source.secret : undefined;
        if (typeof name === "string" && isE2eKeyEnvName(name)) {
            findings.push(`${container.label} sets ${name}`);
        } else if (typeof secret === "string" && isE2eKeySecret(secret)) {
            const into = typeof name === "string" ? ` into ${name}` : "";
            findings.push(`${container.label} reads secret ${JSON.stringify(secret)}${into}`);
        }
    }
    for (const secret of volumeSecrets(shape, props)) {
        if (typeof secret === "string" && isE2eKeySecret(secret)) {
            findings.push(`The ${shape.noun} mounts secret ${JSON.stringify(secret)} as a volume`);
        }
    }
    return findings;
}

/** Where a Secret Manager resource refers to the key. */
function secretResourceFindings(type: string, props: unknown): string[] {
    const { key, role, regional } = SECRET_REFERENCES[type];
    const reference = text(field(props, key));
    if (typeof reference !== "string" || !isE2eKeySecret(reference)) {
        return [];
    }
    const secret = `${regional ? "regional secret" : "secret"} ${JSON.stringify(reference)}`;
    switch (role) {
        case "secret":
            return [`This stack declares ${secret}`];
        case "version":
            return [`This secret version stores a value of ${secret}`];
        default:
            return [`This grant gives access to ${secret}`];
    }
}

/** Every finding on one resource; calls `notApplicable` for types the policy does not judge. */
function findingsOf(args: ResourceValidationArgs): string[] {
    const shape = workloadShape(args.type);
    if (shape !== undefined) {
        return workloadFindings(shape, args.props);
    }
    if (Object.prototype.hasOwnProperty.call(SECRET_REFERENCES, args.type)) {
        return secretResourceFindings(args.type, args.props);
    }
    return notApplicable(
        args,
        `Policy only applies to Cloud Run workloads and Secret Manager resources (${E2E_KEY_POLICY_TYPES.join(", ")})`,
    );
}

/** Mandatory: no E2E key secret, version, grant or variable outside staging. */
export const e2eKeyOnlyOnStaging: SingleResourcePolicy = {
    name: E2E_KEY_ONLY_ON_STAGING_POLICY,
    description:
        `The E2E OAuth simulation key exists only on ${E2E_KEY_ENVIRONMENT}: on any other environment no secret, secret version or grant (global or regional) ` +
        `uses one of its secret ids (${describeE2eKeySecretIds()}) and no Cloud Run container, build or sandbox carries it.`,
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            environment: ENVIRONMENT_CONFIG_PROPERTY,
        },
    },
    validateResource: (args, reportViolation) => {
        const findings = findingsOf(args);
        // Stryker disable next-line ConditionalExpression,BlockStatement: with no findings the loop below reports nothing; returning early only skips resolving the environment.
        if (findings.length === 0) {
            return;
        }
        const resolution = resolveStackEnvironment(readConfig(args).environment, currentStackName());
        if (resolution.decided && resolution.environment === E2E_KEY_ENVIRONMENT) {
            return;
        }
        for (const subject of findings) {
            reportViolation(
                resolution.decided ? e2eKeyMessage(subject, resolution.environment) : e2eKeyUndecidedMessage(subject, resolution.reason),
            );
        }
    },
};
