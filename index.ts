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

export const environment = outputs.environment;
export const serviceUrls = outputs.serviceUrls;
export const publicUrls = outputs.publicUrls;
export const serviceAccountEmails = outputs.serviceAccountEmails;
export const e2eOAuthSimulationKeySecret = outputs.e2eOAuthSimulationKey?.secretName;
export const e2eOAuthSimulationKeyVersion = outputs.e2eOAuthSimulationKey?.versionName;
