import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { toAnalyzeInput, toAnalyzeStackInput } from "./analyzer-inputs";
import type { CheckOptions } from "./cli-args";
import { UsageError } from "./cli-args";
import { MockCloud } from "./mock-cloud";
import { startPolicyPack, type PolicyViolation } from "./policy-pack-host";
import type * as RunProgram from "./run-program";
import { buildReport, type CheckReport, type ReportViolation } from "./report";
import { readStackFile, StackFileError } from "./stack-file";

/** The organization a self-managed (DIY) backend reports; the CLI always passes one to a pack. */
const OFFLINE_ORGANIZATION = "organization";

/** This repository's policy pack: the check always applies it, whichever project folder it runs in. */
export const POLICY_PACK_DIR = path.resolve(__dirname, "..", "policies");

/** Reads `--policy-config`, or the pack's `config/<stack>.json` when it exists; `file` is relative to `root`. */
function readPolicyConfig(root: string, options: CheckOptions): { config: unknown; file: string } {
    const explicit = options.policyConfig;
    const absolute = explicit === undefined ? path.join(POLICY_PACK_DIR, "config", `${options.stack}.json`) : path.resolve(root, explicit);
    const file = path.relative(root, absolute);
    if (!existsSync(absolute)) {
        if (explicit !== undefined) {
            throw new UsageError(`--policy-config: ${explicit}: no such file`);
        }
        return { config: undefined, file };
    }
    try {
        return { config: JSON.parse(readFileSync(absolute, "utf8")) as unknown, file };
    } catch (error) {
        throw new StackFileError(`${file}: is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
}

function resolveProgram(root: string, options: CheckOptions): string {
    const program = path.resolve(root, options.program ?? "index.ts");
    if (!existsSync(program)) {
        throw new UsageError(`--program: ${options.program ?? "index.ts"}: no such file`);
    }
    return program;
}

/** The pack prefixes each message with the policy's description (as @pulumi/policy does); the report keeps the policy's own words. */
function toReportViolation(violation: PolicyViolation): ReportViolation {
    const prefix = `${violation.description}\n`;
    const message = violation.message.startsWith(prefix) ? violation.message.slice(prefix.length) : violation.message;
    return {
        policy: violation.policy,
        enforcementLevel: violation.enforcementLevel,
        urn: violation.urn,
        message: message.replace(/\s*\n\s*/g, " "),
    };
}

/**
 * The offline check: the program under mocks with the stack file's config, every registration sent to
 * the real policy pack over the Analyzer protocol (Analyze per resource, then AnalyzeStack).
 * The pack boots while the program runs, so its start-up is off the critical path.
 */
export async function runCheck(root: string, options: CheckOptions): Promise<CheckReport> {
    const file = readStackFile(root, options.stack);
    const policyConfig = readPolicyConfig(root, options);
    const program = resolveProgram(root, options);
    const pack = await startPolicyPack(
        POLICY_PACK_DIR,
        {
            stack: file.stack,
            project: file.project,
            organization: OFFLINE_ORGANIZATION,
            dryRun: options.preview,
            config: file.config,
            configSecretKeys: file.secretKeys,
        },
        { policyConfig: policyConfig.config, policyConfigFile: policyConfig.file },
    );
    try {
        // Loaded only now, so the pack process boots while @pulumi/pulumi loads here (the slowest part of both).
        const { runUnderMocks } = require("./run-program") as typeof RunProgram;
        // The SDK captures a stack trace for every promise and resource (leak diagnostics, source
        // positions); offline nobody reads them, and on 500 services they cost more than half the run.
        const stackTraceLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        const run = await runUnderMocks(async () => ({ ...(require(program) as Record<string, unknown>) }), {
            project: file.project,
            stack: file.stack,
            preview: options.preview,
            mocks: new MockCloud({ preview: options.preview }),
            config: file.config,
            secretKeys: file.secretKeys,
        }).finally(() => (Error.stackTraceLimit = stackTraceLimit));
        const resourceViolations = await pack.analyzeAll(run.resources.map(toAnalyzeInput));
        const stackViolations = await pack.analyzeStack(run.resources.map(toAnalyzeStackInput));
        return buildReport({
            stack: file.stack,
            project: file.project,
            preview: options.preview,
            resources: run.resources.map((resource) => ({
                urn: resource.urn,
                type: resource.type,
                name: resource.name,
                parent: resource.parent,
            })),
            violations: [...resourceViolations, ...stackViolations].map(toReportViolation),
        });
    } finally {
        await pack.close();
    }
}
