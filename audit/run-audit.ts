/**
 * The audit: read every export, start the real policy pack as the check does (check/policy-pack-host.ts)
 * for the stack's policy config and environment, send each live resource over the Analyzer protocol
 * (Analyze, then AnalyzeStack), and, with --stack, compare Cloud Run workloads with the program's.
 */
import * as path from "node:path";
import { displayText, quoteText } from "../components/config/display-text";
import { canonicalEnvironment } from "../detector/environments";
import { type AnalyzerResourceInput, type PolicyInfo, type PolicyPackStarter, startPolicyPack } from "../check/policy-pack-host";
import { levelChanges, POLICY_PACK_DIR, policyConfigFile, readPolicyConfig, relativeName, toReportViolation } from "../check/run-check";
import { readStackFile, type StackFile } from "../check/stack-file";
import { SECRET_ACCESS_SCOPED_POLICY } from "../policies/secret-access-scoped-to-service-account";
import type { AuditedResource, AuditInput } from "./audited-resource";
import type { AuditOptions } from "./cli-args";
import { declaredWorkloads, isDeclared } from "./declared-workloads";
import { AuditInputError, isObject } from "./input-error";
import { readAuditInput } from "./read-input";
import { type AuditReport, type AuditReportResource, buildAuditReport, type NotJudged } from "./report";
import type { AuditSarifContext } from "./sarif";

/** The organization a self-managed backend reports, as the check passes it. */
const OFFLINE_ORGANIZATION = "organization";

/** Why the grant policy is off when nothing among the inputs holds grants. */
export const NO_GRANTS_REASON =
    "no IAM policy or state export among the inputs, so no grant is known; add the IAM policy of each secret the services read " +
    "(gcloud secrets get-iam-policy <id> --format=json > <id>.secret-iam.json) and the project's (<project-id>.project-iam.json)";

/**
 * The policy config with one policy's level set, whatever form its entry had. Only for a config the
 * pack host has validated (an object, or none): the audit starts the pack with the config as given,
 * so a config that is not a map is refused in the same words whatever the inputs, never replaced.
 */
export function withLevel(config: unknown, policy: string, level: string): unknown {
    const base = isObject(config) ? config : {};
    const entry = base[policy];
    return { ...base, [policy]: isObject(entry) ? { ...entry, enforcementLevel: level } : level };
}

/**
 * The stack file's environment for every policy whose config takes one and does not set it, so the
 * pack expects the stack's environment even when the stack is not named after it; `config` itself
 * when no policy needs it. Only for a validated config, as withLevel.
 */
export function withStackEnvironment(policies: readonly PolicyInfo[], config: unknown, file: StackFile): unknown {
    const raw = file.config[`${file.project}:environment`];
    const environment = raw === undefined ? undefined : canonicalEnvironment(raw);
    if (environment === undefined) {
        return config;
    }
    let result = isObject(config) ? { ...config } : {};
    let changed = false;
    for (const policy of policies) {
        const entry = result[policy.name];
        if (policy.configSchema?.properties.environment === undefined || (isObject(entry) && entry.environment !== undefined)) {
            continue;
        }
        result = {
            ...result,
            [policy.name]:
                typeof entry === "string" ? { enforcementLevel: entry, environment } : { ...(isObject(entry) ? entry : {}), environment },
        };
        changed = true;
    }
    return changed ? result : config;
}

/**
 * Each resource with its URN. The same resource read twice is refused, not judged twice: by URN, and
 * for live Cloud Run workloads by kind, region and name, whichever export shape (Knative or v2) it came in.
 */
export function withUrns(inputs: readonly AuditInput[], file: StackFile): { resource: AuditedResource; urn: string }[] {
    const seen = new Map<string, string>();
    const result: { resource: AuditedResource; urn: string }[] = [];
    for (const input of inputs) {
        for (const resource of input.resources) {
            const urn = resource.urn ?? `urn:pulumi:${file.stack}::${file.project}::${resource.type}::${resource.name}`;
            const live = resource.urn === undefined ? resource.workload : undefined;
            const keys = [urn, ...(live === undefined ? [] : [`live ${live.kind} ${live.location ?? ""}/${live.name}`])];
            const earlier = keys.map((key) => seen.get(key)).find((source) => source !== undefined);
            keys.forEach((key) => seen.set(key, input.file));
            if (earlier !== undefined) {
                throw new AuditInputError(
                    input.file,
                    undefined,
                    // The name and type are data from the file: escaped and cut, as every message shows them.
                    `holds ${resource.workload?.kind ?? displayText(resource.type)} ${quoteText(resource.name)}, which ${earlier === input.file ? "it already holds" : `${earlier} already holds`}; give each resource once`,
                );
            }
            result.push({ resource, urn });
        }
    }
    return result;
}

/** Analyze gets a resource's inputs; AnalyzeStack its state with dependencies, as the engine sends them after an update. */
export function toAnalyzerInput({ resource, urn }: { resource: AuditedResource; urn: string }, state: boolean): AnalyzerResourceInput {
    const extra = resource.extra ?? {};
    return {
        ...extra,
        ...(state ? {} : { dependencies: undefined, propertyDependencies: undefined }),
        urn,
        type: resource.type,
        name: resource.name,
        properties: state ? (resource.state ?? resource.inputs) : resource.inputs,
        options: extra.options ?? {},
    };
}

/** The audit's report and what its SARIF needs (the pack's rules, the files to point results at). */
export interface AuditRun {
    readonly report: AuditReport;
    readonly sarif: AuditSarifContext;
}

/**
 * Runs the audit over the `--from` files; every input is read before the pack starts, so a bad one
 * changes nothing. `start` starts the pack (tests give a stand-in session).
 */
export async function runAuditWithContext(
    root: string,
    options: AuditOptions,
    start: PolicyPackStarter = startPolicyPack,
): Promise<AuditRun> {
    const file = readStackFile(root, options.stack);
    const inputs = options.from.map((from) => readAuditInput(root, from));
    const resources = withUrns(inputs, file);
    const notJudged: NotJudged[] = [];
    const configFile = policyConfigFile(root, options);
    const configName = configFile === undefined ? undefined : relativeName(root, configFile);
    const givenConfig = readPolicyConfig(root, configFile);
    const pack = await start(
        POLICY_PACK_DIR,
        {
            stack: file.stack,
            project: file.project,
            organization: OFFLINE_ORGANIZATION,
            dryRun: false,
            config: file.config,
            configSecretKeys: file.secretKeys,
        },
        // As given: the host validates it before anything is judged, so a config that is not a map is refused
        // whatever the inputs hold (withLevel would have made it a map first).
        { policyConfig: givenConfig, policyConfigFile: configName },
    );
    try {
        const declared = options.compare ? await declaredWorkloads(root, file) : undefined;
        // Rejects when the host refused the config as given.
        const info = await pack.info();
        let policyConfig = withStackEnvironment(info.policies, givenConfig, file);
        if (!inputs.some((input) => input.holdsGrants)) {
            policyConfig = withLevel(policyConfig, SECRET_ACCESS_SCOPED_POLICY, "disabled");
            notJudged.push({ policy: SECRET_ACCESS_SCOPED_POLICY, reason: NO_GRANTS_REASON });
        }
        if (policyConfig !== givenConfig) {
            await pack.configure(policyConfig, configName);
        }
        const resourceViolations = await pack.analyzeAll(resources.map((entry) => toAnalyzerInput(entry, false)));
        const stackViolations = await pack.analyzeStack(resources.map((entry) => toAnalyzerInput(entry, true)));
        const report = buildAuditReport({
            stack: file.stack,
            project: file.project,
            policyConfig: { file: configName ?? null, changed: levelChanges(info, policyConfig) },
            resources: resources.map(({ resource, urn }): AuditReportResource => ({
                urn,
                type: resource.type,
                name: resource.name,
                parent: resource.extra?.parent ?? null,
                source: resource.source,
                managed: declared === undefined || resource.workload === undefined ? null : isDeclared(resource.workload, declared),
            })),
            violations: [...resourceViolations, ...stackViolations].map(toReportViolation),
            inputs: inputs.map((input) => ({ file: input.file, kind: input.kind, resources: input.resources.length })),
            comparedWith: declared === undefined ? null : file.file,
            notJudged,
        });
        return {
            report,
            sarif: {
                tool: { name: info.name, version: info.version },
                policies: info.policies,
                stackFile: relativeName(root, path.join(root, file.file)),
                sourceUri: (source) => relativeName(root, path.resolve(root, source)),
            },
        };
    } finally {
        await pack.close();
    }
}

/** The audit's report (see runAuditWithContext). */
export async function runAudit(root: string, options: AuditOptions): Promise<AuditReport> {
    return (await runAuditWithContext(root, options)).report;
}
