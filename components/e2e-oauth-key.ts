import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { EnvironmentName } from "../detector/environments";
import { SECRET_ACCESSOR_ROLE } from "../rules/secret-access";
import { secretImportId } from "./import-ids";
import { nameSlug, resourceLabels } from "./resource-labels";
import { E2E_KEY_ENVIRONMENT, E2E_KEY_SECRET_ID } from "../rules/e2e-key";

/** 32 bytes: the 256 bits the auth service's bypass key is meant to carry. */
export const E2E_KEY_BYTES = 32;

/** Arguments of the E2E OAuth simulation key. */
export interface E2eOAuthSimulationKeyArgs {
    /** Google Cloud project id. No default. */
    readonly gcpProject: string;
    /** The stack's environment; anything but staging is refused. No default. */
    readonly environment: EnvironmentName;
    /** Rotation marker: changing it generates a new key and a new secret version. Default: "1". */
    readonly rotation?: string;
    /** IAM members outside Cloud Run that read the key (the CI E2E runner). Default: none. */
    readonly readers?: readonly string[];
    /** Stack labels; environment and managed-by are added. Default: none. */
    readonly labels?: Readonly<Record<string, string>>;
    /** Adopt a script-created `E2E_OAUTH_SIMULATION_KEY` secret instead of creating it. Default: false. */
    readonly adoptExisting?: boolean;
}

/**
 * The E2E OAuth simulation key: 256 random bits generated in the deployment, stored only in Secret
 * Manager (and, encrypted, in state). Old versions are disabled, not destroyed, on rotation so a
 * rotation can be undone. Outputs name the secret and version, never the value.
 */
export class E2eOAuthSimulationKey extends pulumi.ComponentResource {
    /** The random source; its outputs are secret. */
    public readonly key: random.RandomBytes;
    /** Secret Manager secret `E2E_OAUTH_SIMULATION_KEY`. */
    public readonly secret: gcp.secretmanager.Secret;
    /** The version holding the current key. */
    public readonly version: gcp.secretmanager.SecretVersion;
    /** Accessor grants for the configured readers. */
    public readonly readerGrants: readonly gcp.secretmanager.SecretIamMember[];
    /** The secret id, for consumers' secretKeyRef. */
    public readonly secretId: pulumi.Output<string>;
    /** `projects/<project>/secrets/E2E_OAUTH_SIMULATION_KEY`. */
    public readonly secretName: pulumi.Output<string>;
    /** Full resource name of the current version. */
    public readonly versionName: pulumi.Output<string>;
    /** The current version number, so consumers roll out a new revision on rotation. */
    public readonly versionNumber: pulumi.Output<string>;

    constructor(name: string, args: E2eOAuthSimulationKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        if (args.environment !== E2E_KEY_ENVIRONMENT) {
            throw new Error(
                `The E2E OAuth simulation key bypasses OAuth and may exist only on ${E2E_KEY_ENVIRONMENT}, not on a ${args.environment} stack.`,
            );
        }
        super("netra:secrets:E2eOAuthSimulationKey", name, {}, opts);
        const rotation = args.rotation ?? "1";

        this.key = new random.RandomBytes(`${name}-value`, { length: E2E_KEY_BYTES, keepers: { rotation } }, { parent: this });
        this.secret = new gcp.secretmanager.Secret(
            `${name}-secret`,
            {
                project: args.gcpProject,
                secretId: E2E_KEY_SECRET_ID,
                replication: { auto: {} },
                labels: resourceLabels(args.labels ?? {}, args.environment, { purpose: "e2e-oauth-simulation" }),
            },
            { parent: this, import: args.adoptExisting ? secretImportId(args.gcpProject, E2E_KEY_SECRET_ID) : undefined },
        );
        this.version = new gcp.secretmanager.SecretVersion(
            `${name}-version`,
            { secret: this.secret.id, secretData: pulumi.secret(this.key.hex), deletionPolicy: "DISABLE" },
            { parent: this },
        );
        this.readerGrants = (args.readers ?? []).map(
            (member) =>
                new gcp.secretmanager.SecretIamMember(
                    `${name}-reader-${nameSlug(member)}`,
                    { project: args.gcpProject, secretId: this.secret.secretId, role: SECRET_ACCESSOR_ROLE, member },
                    { parent: this },
                ),
        );
        this.secretId = this.secret.secretId;
        this.secretName = this.secret.name;
        this.versionName = this.version.name;
        this.versionNumber = this.version.version;
        this.registerOutputs({ secretName: this.secretName, versionName: this.versionName });
    }
}
