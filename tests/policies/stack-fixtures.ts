/**
 * The staging stack's secret-related resources as the program declares them (one account, one
 * grant per secret and one service per Cloud Run service; the E2E key's secret and its grants),
 * with the property dependencies the engine records, in update mode (emails known) or in a first
 * preview (emails unknown).
 */
import {
    CLOUD_RUN_V2_SERVICE,
    PROJECT_IAM_MEMBER,
    SECRET,
    SECRET_IAM_MEMBER,
    SECRET_VERSION,
    SERVICE_ACCOUNT,
} from "../../policies/lib/resource-types";
import { pinnedImage } from "./fixtures";
import { secretValue, UNKNOWN_VALUE, type StackResourceInput } from "./harness";

// Test data: the staging project and the E2E key's secret id.
export const PROJECT = "netra-staging";
export const E2E_SECRET_ID = "E2E_OAUTH_SIMULATION_KEY";
export const ACCESSOR = "roles/secretmanager.secretAccessor";
/** The CI E2E runner's account: outside the stack, granted the key by email. */
export const CI_RUNNER = "serviceAccount:ci-e2e@netra-staging.iam.gserviceaccount.com";

/** One Cloud Run service of the fixture. */
export interface ServiceFixture {
    readonly key: string;
    readonly secrets: Readonly<Record<string, string>>;
    readonly consumesE2eKey?: boolean;
    readonly cloudSql?: boolean;
}

/** backend, auth and frontend with a representative share of their secrets. */
export const STAGING_SERVICES: readonly ServiceFixture[] = [
    {
        key: "backend",
        secrets: {
            JWT_SECRET_KEY: "jwt-secret-staging",
            POSTGRES_PASSWORD: "postgres-password-staging",
            OPENAI_API_KEY: "openai-api-key-staging",
        },
        cloudSql: true,
    },
    {
        key: "auth",
        secrets: { JWT_SECRET_KEY: "jwt-secret-staging", OAUTH_HMAC_SECRET: "oauth-hmac-secret-staging" },
        consumesE2eKey: true,
        cloudSql: true,
    },
    { key: "frontend", secrets: {} },
];

/** How the fixture is rendered. */
export interface StackFixtureOptions {
    /** First preview: account emails unknown (and, with unknownE2eSecretId, the E2E key's secretId too). */
    readonly preview?: boolean;
    readonly unknownE2eSecretId?: boolean;
}

export const accountName = (key: string): string => `${key}-sa`;
export const serviceName = (key: string): string => `${key}-service`;
export const grantName = (key: string, secretId: string): string => `${key}-access-${secretId.toLowerCase().replace(/_/g, "-")}`;
export const E2E_SECRET = "e2e-oauth-simulation-key-secret";
export const emailOf = (key: string): string => `netra-${key}@${PROJECT}.iam.gserviceaccount.com`;

/** The fixture's resources, in registration order. */
export function stagingStack(options: StackFixtureOptions = {}): StackResourceInput[] {
    const email = (key: string): string => (options.preview ? UNKNOWN_VALUE : emailOf(key));
    const e2eSecretId = options.unknownE2eSecretId ? UNKNOWN_VALUE : E2E_SECRET_ID;
    const resources: StackResourceInput[] = [
        { type: SECRET, name: E2E_SECRET, props: { project: PROJECT, secretId: E2E_SECRET_ID, replication: { auto: {} } } },
        {
            type: SECRET_VERSION,
            name: "e2e-oauth-simulation-key-version",
            props: {
                secret: options.preview ? UNKNOWN_VALUE : `projects/${PROJECT}/secrets/${E2E_SECRET_ID}`,
                secretData: secretValue(UNKNOWN_VALUE),
                deletionPolicy: "DISABLE",
            },
            propertyDependencies: { secret: [E2E_SECRET] },
        },
        {
            type: SECRET_IAM_MEMBER,
            name: "e2e-oauth-simulation-key-reader-ci",
            props: { project: PROJECT, secretId: e2eSecretId, role: ACCESSOR, member: CI_RUNNER },
            propertyDependencies: { secretId: [E2E_SECRET] },
        },
    ];
    for (const service of STAGING_SERVICES) {
        const account = accountName(service.key);
        resources.push({
            type: SERVICE_ACCOUNT,
            name: account,
            props: { project: PROJECT, accountId: `netra-${service.key}`, displayName: `Cloud Run runtime: ${service.key}` },
        });
        const grants: string[] = [];
        for (const secretId of new Set(Object.values(service.secrets))) {
            grants.push(grantName(service.key, secretId));
            resources.push({
                type: SECRET_IAM_MEMBER,
                name: grantName(service.key, secretId),
                props: {
                    project: PROJECT,
                    secretId,
                    role: ACCESSOR,
                    member: options.preview ? UNKNOWN_VALUE : `serviceAccount:${email(service.key)}`,
                },
                propertyDependencies: { member: [account] },
            });
        }
        if (service.consumesE2eKey) {
            grants.push(grantName(service.key, E2E_SECRET_ID));
            resources.push({
                type: SECRET_IAM_MEMBER,
                name: grantName(service.key, E2E_SECRET_ID),
                props: {
                    project: PROJECT,
                    secretId: e2eSecretId,
                    role: ACCESSOR,
                    member: options.preview ? UNKNOWN_VALUE : `serviceAccount:${email(service.key)}`,
                },
                propertyDependencies: { member: [account], secretId: [E2E_SECRET] },
            });
        }
        if (service.cloudSql) {
            grants.push(`${service.key}-cloudsql-client`);
            resources.push({
                type: PROJECT_IAM_MEMBER,
                name: `${service.key}-cloudsql-client`,
                props: {
                    project: PROJECT,
                    role: "roles/cloudsql.client",
                    member: options.preview ? UNKNOWN_VALUE : `serviceAccount:${email(service.key)}`,
                },
                propertyDependencies: { member: [account] },
            });
        }
        const envs: Record<string, unknown>[] = [
            { name: "ENVIRONMENT", value: "staging" },
            ...Object.entries(service.secrets).map(([name, secret]) => ({
                name,
                valueSource: { secretKeyRef: { secret, version: "latest" } },
            })),
            ...(service.consumesE2eKey
                ? [{ name: "E2E_OAUTH_SIMULATION_KEY", valueSource: { secretKeyRef: { secret: e2eSecretId, version: UNKNOWN_VALUE } } }]
                : []),
        ];
        resources.push({
            type: CLOUD_RUN_V2_SERVICE,
            name: serviceName(service.key),
            props: {
                project: PROJECT,
                location: "us-central1",
                name: `netra-${service.key}`,
                template: { serviceAccount: email(service.key), containers: [{ name: service.key, image: pinnedImage(), envs }] },
            },
            dependencies: grants,
            propertyDependencies: {
                template: [account, ...(service.consumesE2eKey ? [E2E_SECRET, "e2e-oauth-simulation-key-version"] : [])],
            },
        });
    }
    return resources;
}

/** `resources` with the resource named `name` passed through `edit`. */
export function editResource(
    resources: readonly StackResourceInput[],
    name: string,
    edit: (resource: StackResourceInput) => StackResourceInput,
): StackResourceInput[] {
    if (!resources.some((resource) => resource.name === name)) {
        throw new Error(`fixture has no resource ${name}`);
    }
    return resources.map((resource) => (resource.name === name ? edit(resource) : resource));
}

/** `resources` without the resource named `name`, and without dependencies on it. */
export function removeResource(resources: readonly StackResourceInput[], name: string): StackResourceInput[] {
    if (!resources.some((resource) => resource.name === name)) {
        throw new Error(`fixture has no resource ${name}`);
    }
    return resources
        .filter((resource) => resource.name !== name)
        .map((resource) => ({
            ...resource,
            dependencies: resource.dependencies?.filter((dependency) => dependency !== name),
            propertyDependencies:
                resource.propertyDependencies === undefined
                    ? undefined
                    : Object.fromEntries(
                          Object.entries(resource.propertyDependencies).map(([key, names]) => [
                              key,
                              names.filter((dependency) => dependency !== name),
                          ]),
                      ),
        }));
}
