/**
 * The Cloud Run services, jobs and worker pools the program would declare for a stack: the real program (index.ts)
 * run under the check's mocks (check/run-program.ts) with the stack file's config, and the Cloud Run
 * name and region of every workload it registers. A live workload not among them is not managed.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { StackFile } from "../check/stack-file";
import { UsageError } from "../check/cli-args";
import { workloadShape } from "../policies/lib/workloads";
import { type WorkloadIdentity, workloadKind } from "./audited-resource";

/** The program the audit compares with: the one `pulumi up` runs. */
export const PROGRAM_FILE = "index.ts";

/** Runs the program under mocks and lists the workloads it declares. */
export async function declaredWorkloads(root: string, file: StackFile): Promise<WorkloadIdentity[]> {
    const program = path.resolve(root, PROGRAM_FILE);
    if (!existsSync(program)) {
        throw new UsageError(`--stack: ${PROGRAM_FILE}: no such file; the audit compares live resources with what it declares`);
    }
    // Loaded only now: @pulumi/pulumi is the slowest module, and the pack boots meanwhile.
    const [{ runUnderMocks }, { MockCloud }] = await Promise.all([import("../check/run-program"), import("../check/mock-cloud")]);
    // The program declares its resources when its module loads: loaded once already in this process
    // (a second audit, another test in the same worker), a cached module would declare nothing.
    delete require.cache[require.resolve(program)];
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const run = await runUnderMocks(async () => ({ ...((await import(program)) as Record<string, unknown>) }), {
        project: file.project,
        stack: file.stack,
        preview: false,
        mocks: new MockCloud(),
        config: file.config,
        secretKeys: file.secretKeys,
    }).finally(() => (Error.stackTraceLimit = stackTraceLimit));
    return run.resources.flatMap((resource) => {
        const shape = workloadShape(resource.type);
        const name = resource.inputs.name;
        const location = resource.inputs.location;
        if (shape === undefined || typeof name !== "string") {
            return [];
        }
        return [{ kind: workloadKind(shape), name, location: typeof location === "string" ? location : undefined }];
    });
}

/** True when `live` is one of `declared`: same kind and name, and the same region when both say. */
export function isDeclared(live: WorkloadIdentity, declared: readonly WorkloadIdentity[]): boolean {
    return declared.some(
        (candidate) =>
            candidate.kind === live.kind &&
            candidate.name === live.name &&
            (candidate.location === undefined || live.location === undefined || candidate.location === live.location),
    );
}
