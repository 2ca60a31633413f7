/**
 * Pulumi type tokens of the @pulumi/gcp resources the policies judge. Spelled here rather than read
 * from @pulumi/gcp so the pack does not load the provider SDK; a test pins them to the SDK's own tokens.
 */

/** Cloud Run v2 service. */
export const CLOUD_RUN_V2_SERVICE = "gcp:cloudrunv2/service:Service";
/** Cloud Run v2 job. */
export const CLOUD_RUN_V2_JOB = "gcp:cloudrunv2/job:Job";
/** Legacy Cloud Run (v1 Knative API) service. */
export const CLOUD_RUN_V1_SERVICE = "gcp:cloudrun/service:Service";

/** IAM service account. */
export const SERVICE_ACCOUNT = "gcp:serviceaccount/account:Account";

/** Secret Manager secret. */
export const SECRET = "gcp:secretmanager/secret:Secret";
/** Secret Manager secret version. */
export const SECRET_VERSION = "gcp:secretmanager/secretVersion:SecretVersion";
/** Secret-level IAM grant of one role to one member. */
export const SECRET_IAM_MEMBER = "gcp:secretmanager/secretIamMember:SecretIamMember";
/** Secret-level IAM binding of one role to a list of members (authoritative for the role). */
export const SECRET_IAM_BINDING = "gcp:secretmanager/secretIamBinding:SecretIamBinding";
/** Secret-level IAM policy (authoritative for the secret). */
export const SECRET_IAM_POLICY = "gcp:secretmanager/secretIamPolicy:SecretIamPolicy";

/** Project-level IAM grant of one role to one member. */
export const PROJECT_IAM_MEMBER = "gcp:projects/iAMMember:IAMMember";
/** Project-level IAM binding of one role to a list of members. */
export const PROJECT_IAM_BINDING = "gcp:projects/iAMBinding:IAMBinding";
/** Project-level IAM policy (authoritative for the project). */
export const PROJECT_IAM_POLICY = "gcp:projects/iAMPolicy:IAMPolicy";
