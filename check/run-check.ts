import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { toAnalyzeInput, toAnalyzeStackInput } from "./analyzer-inputs";
import { parseJsonText } from "./json-text";
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
import { escapeText } from "./report/escape";
import { readStackFile, StackFileError } from "./stack-file";
import { decodeUtf8Text, startsWithUtf8Bom } from "./stack-yaml/text";
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

/** What is at a path: a file, a folder, or nothing. */
function entryAt(absolute: string): "file" | "folder" | "missing" {
    const stats = statSync(absolute, { throwIfNoEntry: false });
    return stats === undefined ? "missing" : stats.isDirectory() ? "folder" : "file";
}

/** A path from the command line as a message shows it (escaped, cut). */
function shownPath(given: string): string {
    return escapeText(given, 200);
}

/** The policy config file: `--policy-config`, or the pack's `config/<stack>.json` when it exists. */
export function policyConfigFile(root: string, options: Pick<CheckOptions, "policyConfig" | "stack">): string | undefined {
    const explicit = options.policyConfig;
    const absolute = explicit === undefined ? path.join(POLICY_PACK_DIR, "config", `${options.stack}.json`) : path.resolve(root, explicit);
    const entry = entryAt(absolute);
    if (entry === "missing") {
        if (explicit !== undefined) {
            throw new UsageError(`--policy-config: ${shownPath(explicit)}: no such file`);
        }
        return undefined;
    }
    if (entry === "folder") {
        throw new UsageError(
            `--policy-config: ${shownPath(explicit ?? relativeName(root, absolute))}: is a folder; expected a policy config file (JSON)`,
        );
    }
    return absolute;
}

/** What a policy config file must hold, for messages. */
const POLICY_CONFIG_SHAPE = "expected a JSON object mapping policy names to a level or to settings";

/**
 * The policy config in `absolute` (undefined: none); a file that is not JSON is the user's to fix.
 * Its bytes are decoded as a stack file's (check/stack-yaml/text.ts), except that a UTF-8 byte order
 * mark is refused: the Pulumi CLI reads the file with Go's JSON decoder, which refuses one
 * (pulumi/pulumi pkg/resource/analyzer/config.go, LoadPolicyPackConfigFromFile), so the check would
 * pass a config that `pulumi preview --policy-pack-config` stops at. No message quotes the file.
 */
export function readPolicyConfig(root: string, absolute: string | undefined): unknown {
    if (absolute === undefined) {
        return undefined;
    }
    const name = shownPath(relativeName(root, absolute));
    let bytes: Buffer;
    try {
        bytes = readFileSync(absolute);
    } catch {
        throw new StackFileError(`${name}: cannot be read`);
    }
    if (startsWithUtf8Bom(bytes)) {
        throw new StackFileError(
            `${name}: starts with a UTF-8 byte order mark, which the Pulumi CLI's JSON reader refuses; save the file without one`,
        );
    }
    const decoded = decodeUtf8Text(bytes);
    if (!decoded.ok) {
        const { line, column, problem } = decoded.problem;
        throw new StackFileError(`${name}${line === undefined ? "" : `:${line}:${column ?? 1}`}: ${problem}`);
    }
    const parsed = parseJsonText(decoded.text);
    if (!parsed.ok) {
        throw new StackFileError(`${name}:${parsed.line}:${parsed.column}: is not valid JSON; ${POLICY_CONFIG_SHAPE}`);
    }
    return parsed.value;
}

/** The program to run: `--program`, else index.ts, resolved from `root`; a missing file or a folder is a usage error. */
export function resolveProgram(root: string, options: CheckOptions): string {
    const given = options.program ?? "index.ts";
    const program = path.resolve(root, given);
    const entry = entryAt(program);
    if (entry === "missing") {
        throw new UsageError(`--program: ${shownPath(given)}: no such file`);
    }
    if (entry === "folder") {
        throw new UsageError(`--program: ${shownPath(given)}: is a folder; expected the program's TypeScript file (such as index.ts)`);
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
