import type * as pulumi from "@pulumi/pulumi";
import { NetraCloudRunService, type GeneratedSecretEnv } from "./cloud-run-service";
import type { StackConfig } from "./config/types";
import { E2eOAuthSimulationKey } from "./e2e-oauth-key";
import { E2E_KEY_ENV_NAME } from "../rules/e2e-key";
import { serviceUrls, type ServiceUrls } from "./service-environment";

/** What the stack exports: addresses and identities, never a secret value. */
export interface NetraStackOutputs {
    readonly environment: string;
    /** run.app URL of each service, by key. */
    readonly serviceUrls: Record<string, pulumi.Output<string>>;
    /** Public URLs derived from the domain. */
    readonly publicUrls: ServiceUrls;
    /** Runtime account email of each service, by key. */
    readonly serviceAccountEmails: Record<string, pulumi.Output<string>>;
    /** Resource name of the E2E key's secret and current version, when enabled. */
    readonly e2eOAuthSimulationKey: { secretName: pulumi.Output<string>; versionName: pulumi.Output<string> } | undefined;
}

/** The components behind the outputs, for tests and for programs that build on them. */
export interface NetraStack {
    readonly services: Readonly<Record<string, NetraCloudRunService>>;
    readonly e2eKey: E2eOAuthSimulationKey | undefined;
    readonly outputs: NetraStackOutputs;
}

/** Declares Netra's environment from a validated stack config. */
export function defineNetraStack(config: StackConfig): NetraStack {
    const e2eKey =
        config.e2eKey === undefined
            ? undefined
            : new E2eOAuthSimulationKey("e2e-oauth-simulation-key", {
                  gcpProject: config.gcpProject,
                  environment: config.environment,
                  rotation: config.e2eKey.rotation,
                  readers: config.e2eKey.readers,
                  labels: config.labels,
                  adoptExisting: config.e2eKey.adoptExisting,
              });

    const services: Record<string, NetraCloudRunService> = {};
    for (const service of config.services) {
        const consumesKey = e2eKey !== undefined && config.e2eKey?.consumers.includes(service.key) === true;
        const generatedSecrets: GeneratedSecretEnv[] = consumesKey
            ? [{ name: E2E_KEY_ENV_NAME, secretId: e2eKey.secretId, version: e2eKey.versionNumber, grantName: "e2e-oauth-simulation-key" }]
            : [];
        services[service.key] = new NetraCloudRunService(service.key, {
            service,
            environment: config.environment,
            gcpProject: config.gcpProject,
            region: config.region,
            domain: config.domain,
            labels: config.labels,
            deletionProtection: config.deletionProtection,
            adoptExisting: config.adoptExisting,
            generatedSecrets,
        });
    }

    const byKey = <T>(pick: (component: NetraCloudRunService) => T): Record<string, T> =>
        Object.fromEntries(Object.entries(services).map(([key, component]) => [key, pick(component)]));

    return {
        services,
        e2eKey,
        outputs: {
            environment: config.environment,
            serviceUrls: byKey((component) => component.uri),
            publicUrls: serviceUrls(config.domain),
            serviceAccountEmails: byKey((component) => component.serviceAccount.email),
            e2eOAuthSimulationKey: e2eKey === undefined ? undefined : { secretName: e2eKey.secretName, versionName: e2eKey.versionName },
        },
    };
}
