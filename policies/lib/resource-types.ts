/**
 * Pulumi type tokens of the @pulumi/gcp resources the policies judge. Spelled here rather than read
 * from @pulumi/gcp so the pack does not load the provider SDK; a test pins them to the SDK's own tokens.
 */

/** Cloud Run v2 service. */
export const CLOUD_RUN_V2_SERVICE = "gcp:cloudrunv2/service:Service";
/** Cloud Run v2 job. */
export const CLOUD_RUN_V2_JOB = "gcp:cloudrunv2/job:Job";
/** Cloud Run v2 worker pool. */
export const CLOUD_RUN_V2_WORKER_POOL = "gcp:cloudrunv2/workerPool:WorkerPool";
/** Cloud Functions gen2 function (runs on Cloud Run). */
export const CLOUD_FUNCTION_V2 = "gcp:cloudfunctionsv2/function:Function";
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

/** Secret Manager regional secret (a secret kept in one location: `projects/<p>/locations/<l>/secrets/<id>`). */
export const REGIONAL_SECRET = "gcp:secretmanager/regionalSecret:RegionalSecret";
/** Secret Manager regional secret version (`secret` names the regional secret). */
export const REGIONAL_SECRET_VERSION = "gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion";
/** Regional-secret-level IAM grant, binding and policy (`secretId`, `location`). */
export const REGIONAL_SECRET_IAM_MEMBER = "gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember";
export const REGIONAL_SECRET_IAM_BINDING = "gcp:secretmanager/regionalSecretIamBinding:RegionalSecretIamBinding";
export const REGIONAL_SECRET_IAM_POLICY = "gcp:secretmanager/regionalSecretIamPolicy:RegionalSecretIamPolicy";

/** Folder-level IAM grant, binding and policy. */
export const FOLDER_IAM_MEMBER = "gcp:folder/iAMMember:IAMMember";
export const FOLDER_IAM_BINDING = "gcp:folder/iAMBinding:IAMBinding";
export const FOLDER_IAM_POLICY = "gcp:folder/iAMPolicy:IAMPolicy";
/** Organization-level IAM grant, binding and policy. */
export const ORGANIZATION_IAM_MEMBER = "gcp:organizations/iAMMember:IAMMember";
export const ORGANIZATION_IAM_BINDING = "gcp:organizations/iAMBinding:IAMBinding";
export const ORGANIZATION_IAM_POLICY = "gcp:organizations/iAMPolicy:IAMPolicy";

/** Invoker grants on a Cloud Run v2 service (member, binding, policy). */
export const CLOUD_RUN_V2_SERVICE_IAM_MEMBER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember";
export const CLOUD_RUN_V2_SERVICE_IAM_BINDING = "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding";
export const CLOUD_RUN_V2_SERVICE_IAM_POLICY = "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy";
/** Invoker grants on a legacy Cloud Run v1 service. */
export const CLOUD_RUN_V1_IAM_MEMBER = "gcp:cloudrun/iamMember:IamMember";
export const CLOUD_RUN_V1_IAM_BINDING = "gcp:cloudrun/iamBinding:IamBinding";
export const CLOUD_RUN_V1_IAM_POLICY = "gcp:cloudrun/iamPolicy:IamPolicy";
/** Invoker grants on a Cloud Functions gen2 function. */
export const FUNCTION_V2_IAM_MEMBER = "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember";
export const FUNCTION_V2_IAM_BINDING = "gcp:cloudfunctionsv2/functionIamBinding:FunctionIamBinding";
export const FUNCTION_V2_IAM_POLICY = "gcp:cloudfunctionsv2/functionIamPolicy:FunctionIamPolicy";

/** Project-level IAM grant of one role to one member. */
export const PROJECT_IAM_MEMBER = "gcp:projects/iAMMember:IAMMember";
/** Project-level IAM binding of one role to a list of members. */
export const PROJECT_IAM_BINDING = "gcp:projects/iAMBinding:IAMBinding";
/** Project-level IAM policy (authoritative for the project). */
export const PROJECT_IAM_POLICY = "gcp:projects/iAMPolicy:IAMPolicy";
