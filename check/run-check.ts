import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { toAnalyzeInput, toAnalyzeStackInput } from "./analyzer-inputs";
import type { CheckOptions } from "./cli-args";
import { UsageError } from "./cli-args";
import { runProgramIsolated } from "./isolated-program/run-isolated";
import { parsePolicyConfig, reconcilePolicyConfig } from "./policy-config";
import {
    type PolicyPackInfo,
    type PolicyPackStarter,
    type PolicyPackStartOptions,
    type PolicyViolation,
    startPolicyPack,
} from "./policy-pack-host";
import { buildReport, type CheckReport, type PolicyLevelChange, type ReportViolation } from "./report";
import type { ReportResource } from "./report/model";
import type { SarifContext } from "./report/sarif";
import { readStackFile, StackFileError } from "./stack-file";
import { declaringKeyPath, StackKeyLocator } from "./stack-locations";

/** The organization a self-managed (DIY) backend reports; the CLI always passes one to a pack. */
const OFFLINE_ORGANIZATION = "organization";

/** This repository's policy pack: the check always applies it, whichever project folder it runs in. */
export const POLICY_PACK_DIR = path.resolve(__dirname, "..", "policies");

/** The repository: the pack's config files are named from here when they are not inside the checked folder. */
const REPOSITORY_ROOT = path.dirname(POLICY_PACK_DIR);

/** `file` relative to `base` as a POSIX path, or undefined when it is outside `base`. */
function inside(base: string, file: string): string | undefined {
    const relative = path.relative(base, file);
    // `..` or `../x` is outside; `..hidden.json` is a file inside whose name starts with two dots.
    const outside = relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
    return outside ? undefined : relative.split(path.sep).join("/");
}

/**
 * A POSIX path relative to `root` (reports and SARIF name files the same on every system); else
 * relative to this repository (the pack's own config files); absolute only when outside both.
 */
export function relativeName(root: string, file: string): string {
    return inside(root, file) ?? inside(REPOSITORY_ROOT, file) ?? file;
}

/** The policy config file: `--policy-config`, or the pack's `config/<stack>.json` when it exists. */
export function policyConfigFile(root: string, options: Pick<CheckOptions, "policyConfig" | "stack">): string | undefined {
    const explicit = options.policyConfig;
    const absolute = explicit === undefined ? path.join(POLICY_PACK_DIR, "config", `${options.stack}.json`) : path.resolve(root, explicit);
    if (!existsSync(absolute)) {
        if (explicit !== undefined) {
            throw new UsageError(`--policy-config: ${explicit}: no such file`);
        }
        return undefined;
    }
    return absolute;
}

/** The policy config in `absolute` (undefined: none); a file that is not JSON is the user's to fix. */
export function readPolicyConfig(root: string, absolute: string | undefined): unknown {
    if (absolute === undefined) {
        return undefined;
    }
    try {
        return JSON.parse(readFileSync(absolute, "utf8")) as unknown;
    } catch (error) {
        throw new StackFileError(
            `${relativeName(root, absolute)}: is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        );
    }
}

/** The program to run: `--program`, else index.ts, resolved from `root`; a missing file is a usage error. */
export function resolveProgram(root: string, options: CheckOptions): string {
    const program = path.resolve(root, options.program ?? "index.ts");
    if (!existsSync(program)) {
        throw new UsageError(`--program: ${options.program ?? "index.ts"}: no such file`);
    }
    return program;
}

/** The pack prefixes each message with the policy's description (as @pulumi/policy does); the report keeps the policy's own words. */
export function toReportViolation(violation: PolicyViolation): ReportViolation {
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
 * The level each policy was judged with, against the pack's default: reconciled exactly as the pack
 * host sends it (`all` first, then each policy's entry).
 */
export function levelChanges(info: PolicyPackInfo, policyConfig: unknown): PolicyLevelChange[] {
    // Reconciled with each policy's schema, as the host did: a config the host took reconciles here too.
    const reconciled = reconcilePolicyConfig(info.policies, info.initialConfig, parsePolicyConfig(policyConfig));
    if (!reconciled.ok) {
        return []; // The pack host has refused this config already.
    }
    return info.policies
        .map((policy) => ({
            policy: policy.name,
            default: policy.enforcementLevel,
            // Reconciling starts from every policy's default, so each has an entry; a level is there once the host took the config.
            level: reconciled.config[policy.name].enforcementLevel ?? policy.enforcementLevel,
        }))
        .filter((change) => change.level !== change.default);
}

/** The check's report and what its SARIF needs (the pack's rules, where the stack file declares each resource). */
export interface CheckRun {
    readonly report: CheckReport;
    readonly sarif: SarifContext;
}

/**
 * The offline check: the program under mocks (in a worker thread, bounded by --timeout) with the
 * stack file's config, every registration sent to the real policy pack over the Analyzer protocol
 * (Analyze per resource, then AnalyzeStack). The pack boots while the program runs. `host` sets the
 * pack's start timeout (30 s by default; tests shorten it to prove a longer program cannot starve it);
 * `start` starts the pack (tests give a stand-in session).
 */
export async function runCheckWithContext(
    root: string,
    options: CheckOptions,
    host: Pick<PolicyPackStartOptions, "startTimeoutMs"> = {},
    start: PolicyPackStarter = startPolicyPack,
): Promise<CheckRun> {
    const file = readStackFile(root, options.stack);
    const configFile = policyConfigFile(root, options);
    const policyConfig = readPolicyConfig(root, configFile);
    const program = resolveProgram(root, options);
    const pack = await start(
        POLICY_PACK_DIR,
        {
            stack: file.stack,
            project: file.project,
            organization: OFFLINE_ORGANIZATION,
            dryRun: options.preview,
            config: file.config,
            configSecretKeys: file.secretKeys,
        },
        { ...host, policyConfig, policyConfigFile: configFile === undefined ? undefined : relativeName(root, configFile) },
    );
    try {
        // Analyze runs while the program does, as the CLI analyses each registration as it comes.
        const analysis = pack.analyzeStream();
        const run = await runProgramIsolated({
            program,
            root,
            project: file.project,
            stack: file.stack,
            preview: options.preview,
            config: file.config,
            secretKeys: file.secretKeys,
            timeoutSeconds: options.timeoutSeconds,
            onResources: (resources) => analysis.add(resources.map(toAnalyzeInput)),
        });
        const resourceViolations = await analysis.finish();
        const stackViolations = await pack.analyzeStack(run.resources.map(toAnalyzeStackInput));
        const info = await pack.info();
        const report = buildReport({
            stack: file.stack,
            project: file.project,
            preview: options.preview,
            policyConfig: {
                file: configFile === undefined ? null : relativeName(root, configFile),
                changed: levelChanges(info, policyConfig),
            },
            resources: run.resources.map((resource) => ({
                urn: resource.urn,
                type: resource.type,
                name: resource.name,
                parent: resource.parent,
            })),
            violations: [...resourceViolations, ...stackViolations].map(toReportViolation),
            invokes: run.invokes,
        });
        return { report, sarif: sarifContext(root, file.file, file.project, program, info, report.resources) };
    } finally {
        await pack.close();
    }
}

/** Rules from the pack; each resource located at the stack-file key that declares it, else at the program. */
export function sarifContext(
    root: string,
    stackFileName: string,
    project: string,
    program: string,
    info: PolicyPackInfo,
    resources: readonly ReportResource[],
): SarifContext {
    const stackFile = path.join(root, stackFileName);
    const text = readFileSync(stackFile, "utf8");
    // Parsed on the first look-up: only a SARIF report locates keys, and parsing 500 services is not free.
    let locator: StackKeyLocator | undefined;
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const stackUri = relativeName(root, stackFile);
    return {
        tool: { name: info.name, version: info.version },
        policies: info.policies,
        locate: (resource) => {
            const keyPath = declaringKeyPath(resource, byUrn);
            if (keyPath === undefined) {
                return undefined;
            }
            locator ??= StackKeyLocator.fromText(text, project);
            const position = locator.locate(keyPath);
            return position === undefined ? undefined : { uri: stackUri, line: position.line, column: position.column };
        },
        fallback: { uri: relativeName(root, program) },
    };
}
