import type * as pulumi from "@pulumi/pulumi";
import { MockCloud } from "../../check/mock-cloud";
import { runUnderMocks, type ProgramRun, type RecordedResource } from "../../check/run-program";
import { readStackConfig } from "../../components/config/read-stack-config";
import { defineNetraStack, type NetraStack } from "../../components/netra-stack";

/** Every resource type Netra's program may declare; strict mocks refuse any other. */
export const NETRA_RESOURCE_TYPES = [
    "netra:cloudrun:Service",
    "netra:secrets:E2eOAuthSimulationKey",
    "gcp:secretmanager/secretIamMember:SecretIamMember",
    "gcp:projects/iAMMember:IAMMember",
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    "pulumi:pulumi:Stack",
];

/** Runs the real program path (readStackConfig + defineNetraStack) under strict mocks. */
export async function runNetraStack(
    config: Record<string, string>,
    preview = false,
): Promise<ProgramRun & { stack: NetraStack | undefined }> {
    let stack: NetraStack | undefined;
    const run = await runUnderMocks(
        async () => {
            stack = defineNetraStack(readStackConfig());
            return { ...stack.outputs };
        },
        {
            project: "netra-platform",
            stack: "staging",
            preview,
            config,
            mocks: new MockCloud({ preview, strict: true, knownTypes: NETRA_RESOURCE_TYPES }),
        },
    );
    return { ...run, stack };
}

/** Resolves an output's value (undefined when unknown in a preview). */
export async function promiseOf<T>(output: pulumi.Output<T>): Promise<T | undefined> {
    return (output as unknown as { promise(): Promise<T | undefined> }).promise();
}

/** Finds the one resource of a type and name, or fails naming what exists. */
export function resourceNamed(resources: readonly RecordedResource[], type: string, name: string): RecordedResource {
    const found = resources.filter((resource) => resource.type === type && resource.name === name);
    if (found.length !== 1) {
        throw new Error(
            `expected one ${type} "${name}", found ${found.length} among: ${resources.map((resource) => resource.name).join(", ")}`,
        );
    }
    return found[0];
}

/** Wire-form markers (Pulumi's rpc signatures) for asserting secrets and unknowns. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
