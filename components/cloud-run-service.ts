import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentName } from "../detector/environments";
import { SECRET_ACCESSOR_ROLE } from "../rules/secret-access";
import type { ServiceConfig } from "./config/types";
import { cloudRunServiceImportId } from "./import-ids";
import { nameSlug, resourceLabels } from "./resource-labels";
import { MANAGED_ENV_NAMES, platformEnvironment } from "./service-environment";

/** A secret the deployment itself creates (the E2E key), mounted on this service. */
export interface GeneratedSecretEnv {
    /** Variable name in the container. */
    readonly name: string;
    /** Secret id, known once the secret exists. */
    readonly secretId: pulumi.Input<string>;
    /** Version to mount; a concrete number makes a rotation roll out a new revision. */
    readonly version: pulumi.Input<string>;
    /** Stable suffix for the grant's resource name. */
    readonly grantName: string;
}

/** Arguments of a Netra Cloud Run service. */
export interface NetraCloudRunServiceArgs {
    /** The validated service settings from the stack file. No default. */
    readonly service: ServiceConfig;
    /** The stack's environment; becomes ENVIRONMENT, which config can never override. No default. */
    readonly environment: EnvironmentName;
    /** Google Cloud project id. No default. */
    readonly gcpProject: string;
    /** Cloud Run region. No default. */
    readonly region: string;
    /** Public domain the service URLs derive from. No default. */
    readonly domain: string;
    /** Stack labels; environment and managed-by are added. Default: none. */
    readonly labels?: Readonly<Record<string, string>>;
    /** Cloud Run deletion protection. Default: true. */
    readonly deletionProtection?: boolean;
    /** Adopt the script-created service of the same name with Pulumi's `import` option. Default: false. */
    readonly adoptExisting?: boolean;
    /** Secrets the deployment generates and this service consumes. Default: none. */
    readonly generatedSecrets?: readonly GeneratedSecretEnv[];
}

type ContainerEnv = gcp.types.input.cloudrunv2.ServiceTemplateContainerEnv;

const INGRESS: Readonly<Record<ServiceConfig["ingress"], string>> = {
    all: "INGRESS_TRAFFIC_ALL",
    internal: "INGRESS_TRAFFIC_INTERNAL_ONLY",
    "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
};

const VPC_EGRESS: Readonly<Record<"private-ranges-only" | "all-traffic", string>> = {
    "private-ranges-only": "PRIVATE_RANGES_ONLY",
    "all-traffic": "ALL_TRAFFIC",
};

const CLOUD_SQL_VOLUME = "cloudsql";

/**
 * Fields only deploy tools write, ignored so a `gcloud run deploy` or a console edit does not make
 * `pulumi preview --refresh --expect-no-changes` (the daily drift check) fail on them forever:
 * `client`/`clientVersion` (terraform-provider-google#13410: "gcloud", "424.0.0" -> null) and the
 * revision template's `client.knative.dev/user-image` annotation gcloud adds. Not ignored: the
 * top-level `annotations` (non-authoritative since pulumi-gcp v7, see `effectiveAnnotations`),
 * `launchStage` and API-defaulted fields such as startup probes (computed when unset, so no diff;
 * pulumi-gcp#2336 flaps only when launchStage is set), and `template.revision` (a kept gcloud
 * revision name makes the next update fail with 409 "already exists", terraform-provider-google#14569).
 * The API-defaulted fields known to permadiff (limits with only cpu or memory, an unset
 * `template.scaling.maxInstanceCount`, terraform-provider-google#20399) are always set below instead.
 * Paths follow the engine's property-path grammar (sdk/go/common/resource/properties_path.go).
 */
export const DEPLOY_TOOL_FIELDS: readonly string[] = ["client", "clientVersion", 'template.annotations["client.knative.dev/user-image"]'];

/** Refuses settings that would let config decide what the platform owns. */
function assertNoManagedNames(args: NetraCloudRunServiceArgs): void {
    const names = [...Object.keys(args.service.env), ...Object.keys(args.service.secrets)];
    const clashes = names.filter((name) => MANAGED_ENV_NAMES.includes(name));
    if (clashes.length > 0) {
        throw new Error(
            `Service \`${args.service.key}\` sets ${clashes.join(", ")}, which the platform owns; remove them from its env and secrets.`,
        );
    }
}

/**
 * A Cloud Run (v2, gen2) service with its own runtime service account. ENVIRONMENT always comes from
 * the stack; secrets are Secret Manager references granted to this account alone, at secret level,
 * and the service waits for those grants so a new revision never starts without its secrets.
 */
export class NetraCloudRunService extends pulumi.ComponentResource {
    /** The service's dedicated runtime account. */
    public readonly serviceAccount: gcp.serviceaccount.Account;
    /** One secretAccessor grant per secret the service references. */
    public readonly secretAccessGrants: readonly gcp.secretmanager.SecretIamMember[];
    /** Project-level Cloud SQL client role, only when the service connects to Cloud SQL. */
    public readonly cloudSqlClientGrant: gcp.projects.IAMMember | undefined;
    /** The Cloud Run service. */
    public readonly service: gcp.cloudrunv2.Service;
    /** `allUsers` invoker binding, only when unauthenticated invocation is allowed. */
    public readonly publicInvoker: gcp.cloudrunv2.ServiceIamMember | undefined;
    /** The service's run.app URL. */
    public readonly uri: pulumi.Output<string>;

    constructor(name: string, args: NetraCloudRunServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        assertNoManagedNames(args);
        super("netra:cloudrun:Service", name, {}, opts);
        const { service, gcpProject, region } = args;
        const labels = resourceLabels(args.labels ?? {}, args.environment, { service: service.key });

        this.serviceAccount = new gcp.serviceaccount.Account(
            `${name}-sa`,
            {
                project: gcpProject,
                accountId: service.serviceAccountId,
                displayName: `Cloud Run runtime: ${service.name}`,
                description: `Runtime identity of Cloud Run service ${service.name}; reads only the secrets it mounts.`,
            },
            { parent: this },
        );
        const member = pulumi.interpolate`serviceAccount:${this.serviceAccount.email}`;

        // One grant per secret, named after it; two secrets that would share a grant name are refused, not merged.
        const referenced = new Map<string, pulumi.Input<string>>();
        const grant = (grantName: string, secretId: pulumi.Input<string>): void => {
            const existing = referenced.get(grantName);
            if (existing !== undefined && existing !== secretId) {
                throw new Error(
                    `Service \`${service.key}\` references two secrets whose grants would both be named "${name}-access-${grantName}".`,
                );
            }
            referenced.set(grantName, secretId);
        };
        for (const reference of Object.values(service.secrets)) {
            grant(nameSlug(reference.secret), reference.secret);
        }
        for (const generated of args.generatedSecrets ?? []) {
            grant(generated.grantName, generated.secretId);
        }
        this.secretAccessGrants = [...referenced].map(
            ([slug, secretId]) =>
                new gcp.secretmanager.SecretIamMember(
                    `${name}-access-${slug}`,
                    { project: gcpProject, secretId, role: SECRET_ACCESSOR_ROLE, member },
                    { parent: this },
                ),
        );

        this.cloudSqlClientGrant =
            service.cloudSqlInstances.length > 0
                ? new gcp.projects.IAMMember(
                      `${name}-cloudsql-client`,
                      { project: gcpProject, role: "roles/cloudsql.client", member },
                      { parent: this },
                  )
                : undefined;

        const envs: ContainerEnv[] = [
            ...platformEnvironment({
                environment: args.environment,
                gcpProject,
                domain: args.domain,
                nextPublicEnv: service.nextPublicEnv,
            }),
            ...Object.entries(service.env).map(([envName, value]) => ({ name: envName, value })),
            ...Object.entries(service.secrets).map(([envName, reference]) => ({
                name: envName,
                valueSource: { secretKeyRef: { secret: reference.secret, version: reference.version } },
            })),
            ...(args.generatedSecrets ?? []).map((generated) => ({
                name: generated.name,
                valueSource: { secretKeyRef: { secret: generated.secretId, version: generated.version } },
            })),
        ];
        const usesCloudSql = service.cloudSqlInstances.length > 0;

        this.service = new gcp.cloudrunv2.Service(
            `${name}-service`,
            {
                project: gcpProject,
                location: region,
                name: service.name,
                description: `Netra ${service.key} (${args.environment})`,
                ingress: INGRESS[service.ingress],
                deletionProtection: args.deletionProtection ?? true,
                labels,
                template: {
                    labels,
                    serviceAccount: this.serviceAccount.email,
                    executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
                    timeout: `${service.requestTimeoutSeconds}s`,
                    maxInstanceRequestConcurrency: service.concurrency,
                    scaling: { minInstanceCount: service.minInstances, maxInstanceCount: service.maxInstances },
                    vpcAccess:
                        service.vpcConnector === undefined
                            ? undefined
                            : {
                                  connector: `projects/${gcpProject}/locations/${region}/connectors/${service.vpcConnector.name}`,
                                  egress: VPC_EGRESS[service.vpcConnector.egress],
                              },
                    volumes: usesCloudSql
                        ? [{ name: CLOUD_SQL_VOLUME, cloudSqlInstance: { instances: [...service.cloudSqlInstances] } }]
                        : undefined,
                    containers: [
                        {
                            name: service.key,
                            image: service.image,
                            ports: { containerPort: service.port },
                            resources: {
                                limits: { cpu: service.cpu, memory: service.memory },
                                cpuIdle: !service.cpuAlwaysAllocated,
                                startupCpuBoost: service.startupCpuBoost,
                            },
                            envs,
                            volumeMounts: usesCloudSql ? [{ name: CLOUD_SQL_VOLUME, mountPath: "/cloudsql" }] : undefined,
                        },
                    ],
                },
            },
            {
                parent: this,
                dependsOn: [...this.secretAccessGrants, ...(this.cloudSqlClientGrant ? [this.cloudSqlClientGrant] : [])],
                import: args.adoptExisting ? cloudRunServiceImportId(gcpProject, region, service.name) : undefined,
                ignoreChanges: [...DEPLOY_TOOL_FIELDS],
            },
        );

        this.publicInvoker = service.allowUnauthenticated
            ? new gcp.cloudrunv2.ServiceIamMember(
                  `${name}-public-invoker`,
                  { project: gcpProject, location: region, name: this.service.name, role: "roles/run.invoker", member: "allUsers" },
                  { parent: this },
              )
            : undefined;

        this.uri = this.service.uri;
        this.registerOutputs({ uri: this.uri, serviceAccountEmail: this.serviceAccount.email });
    }
}
