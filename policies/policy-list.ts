/**
 * The pack's name and its policies, in report order. index.ts builds the PolicyPack from these;
 * tests import them without starting the gRPC server that constructing a PolicyPack starts.
 */
import type { Policies } from "@pulumi/policy";
import { cloudrunEnvironmentMatchesStack } from "./cloudrun-environment-matches-stack";
import { cloudrunDedicatedServiceAccount } from "./cloudrun-dedicated-service-account";
import { cloudrunImagesPinnedByDigest } from "./cloudrun-images-pinned-by-digest";
import { cloudrunNamesMatchStackEnvironment } from "./cloudrun-names-match-stack-environment";
import { cloudrunNoPlaintextSecrets } from "./cloudrun-no-plaintext-secrets";
import { cloudrunRequiredEnvVars } from "./cloudrun-required-env-vars";
import { cloudrunPrivateServiceIngress } from "./cloudrun-private-service-ingress";
import { cloudrunPublicAccessAllowed } from "./cloudrun-public-access-allowed";
import { cloudrunReservedEnvNames } from "./cloudrun-reserved-env-names";
import { e2eKeyOnlyOnStaging } from "./e2e-key-only-on-staging";
import { secretAccessScopedToServiceAccount } from "./secret-access-scoped-to-service-account";
import { secretVersionSurvivesRotation } from "./secret-version-survives-rotation";

/** The policy pack's name, as the CLI and the Pulumi Cloud show it (same as the package name). */
export const PACK_NAME = "netra-staging-policies";

/** Every policy of the pack. */
export const policies: Policies = [
    cloudrunRequiredEnvVars,
    cloudrunEnvironmentMatchesStack,
    cloudrunNoPlaintextSecrets,
    cloudrunReservedEnvNames,
    e2eKeyOnlyOnStaging,
    secretVersionSurvivesRotation,
    secretAccessScopedToServiceAccount,
    cloudrunImagesPinnedByDigest,
    cloudrunDedicatedServiceAccount,
    cloudrunPublicAccessAllowed,
    cloudrunPrivateServiceIngress,
    cloudrunNamesMatchStackEnvironment,
];
