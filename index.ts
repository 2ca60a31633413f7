/**
 * Netra's Pulumi program: read and validate the stack's config, declare the components, export
 * addresses and identities. `pulumi preview` / `pulumi up` run this file; so does `npm run check`.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfigError } from "./components/config/config-error";
import { readStackConfig } from "./components/config/read-stack-config";
import { defineNetraStack } from "./components/netra-stack";

function loadConfig() {
    try {
        return readStackConfig();
    } catch (error) {
        // A mistake in the stack file is the user's, not the program's: no stack trace.
        throw error instanceof StackConfigError ? new pulumi.RunError(error.message) : error;
    }
}

const { outputs } = defineNetraStack(loadConfig());
const e2eKey = outputs.e2eOAuthSimulationKey;

// The module's exports are the stack outputs. The E2E key's names are exported only when the key exists:
// an exported `undefined` makes the SDK warn "[runtime] Undefined value ... will not show as a stack output".
export = {
    environment: outputs.environment,
    serviceUrls: outputs.serviceUrls,
    publicUrls: outputs.publicUrls,
    serviceAccountEmails: outputs.serviceAccountEmails,
    ...(e2eKey === undefined ? {} : { e2eOAuthSimulationKeySecret: e2eKey.secretName, e2eOAuthSimulationKeyVersion: e2eKey.versionName }),
};
