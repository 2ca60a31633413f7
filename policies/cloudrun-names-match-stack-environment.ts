/**
 * Every name and host a Cloud Run workload carries names its stack's environment or none: a
 * production stack that kept staging's service name, project, connector, Cloud SQL instance, image,
 * secret ids or hosts deploys into (or talks to) staging, and the runtime detector, which reads the
 * service name (K_SERVICE) and URL hostnames token by token, then refuses to start under `--strict`.
 * Names are read token by token with the detector's own rule (detector/signals.ts,
 * environmentsNamedBy): `netra-backend-staging` names staging, `netra-product-api` names nothing.
 * Plain variable values are read only when they are a URL or a host name: `NODE_ENV=production` on
 * staging is Next.js's build mode, not an environment. Messages name such a variable and the environments
 * its host names, never the value: it may be a secret.
 */
import type { EnvironmentName } from "../detector/environments";
import { chosenLabels, environmentsNamedBy, hostnameOf } from "../detector/signals";
import { parseImageReference } from "../rules/oci-image-reference";
import { field, text } from "./lib/props";
import { readConfig } from "./lib/policy-config";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";
import {
    currentStackName,
    ENVIRONMENT_CONFIG_PROPERTY,
    resolveStackEnvironment,
    undecidedEnvironmentMessage,
} from "./lib/stack-environment";
import { validateWorkloads } from "./lib/validate-workload";
import {
    cloudSqlInstancesOf,
    containersOf,
    envName,
    knownEnvEntries,
    literalValue,
    secretSource,
    vpcConnectorOf,
    type WorkloadShape,
} from "./lib/workloads";

/** The policy's name. */
export const NAMES_MATCH_STACK_ENVIRONMENT_POLICY = "cloudrun-names-match-stack-environment";

/** `api.staging.netrasystems.ai`, `clickhouse.internal`: a host name, not a sentence. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

/**
 * What of an image reference names things: its registry's chosen labels, repository and tag (a digest
 * names nothing; a digest-only reference has no tag, which `join` reads as empty).
 */
function imageNames(image: string): string {
    const parsed = parseImageReference(image);
    if (!parsed.ok) {
        return image;
    }
    const { registry, repository, tag } = parsed.image;
    return [chosenLabels(registry), repository, tag].join(" ");
}

/** A name or host in the workload, and how a message calls it. */
interface NamedValue {
    /** What is read token by token. */
    readonly value: string;
    /**
     * `its name "netra-backend-staging"`, `the host of CLICKHOUSE_HOST in Container "backend"`: a variable's value is
     * never shown, since it may be a secret (a decrypted one in a state export, a pulumi secret in a program).
     */
    readonly phrase: string;
}

/** Shown in messages: short, and only characters a name or host has. */
function shown(value: string): string {
    const cut = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return /^[A-Za-z0-9_.:/@-]*$/.test(cut) ? JSON.stringify(cut) : "(a value not shown)";
}

/** The names and hosts of one workload, in the order a reader meets them. */
function namedValues(shape: WorkloadShape, props: unknown): NamedValue[] {
    const values: NamedValue[] = [];
    const add = (value: unknown, phrase: (shownValue: string) => string, read: (known: string) => string = (known) => known) => {
        const known = text(value);
        if (typeof known === "string") {
            values.push({ value: read(known), phrase: phrase(shown(known)) });
        }
    };
    add(field(props, "name"), (name) => `its name ${name}`);
    add(field(props, "project"), (project) => `its project ${project}`);
    add(vpcConnectorOf(shape, props), (connector) => `its VPC connector ${connector}`);
    for (const instance of cloudSqlInstancesOf(shape, props)) {
        add(instance, (name) => `its Cloud SQL instance ${name}`);
    }
    const list = containersOf(shape, props);
    if (list.state === "present") {
        for (const container of list.containers) {
            add(field(container.raw, "image"), (image) => `the image ${image} of ${container.label}`, imageNames);
        }
    }
    for (const { container, env } of knownEnvEntries(shape, props)) {
        const name = envName(env);
        if (typeof name !== "string") {
            continue;
        }
        const source = secretSource(shape, env);
        if (source.kind === "secretKeyRef") {
            add(source.secret, (secret) => `the secret ${secret} that ${container.label} reads as ${name}`);
        } else {
            const value = literalValue(env);
            if (typeof value === "string") {
                const host = hostnameOf(value.trim()) ?? (HOST_NAME.test(value.trim()) ? value.trim().toLowerCase() : undefined);
                add(host, () => `the host of ${name} in ${container.label}`, chosenLabels);
            }
        }
    }
    return values;
}

/** What is reported for one value naming other environments. */
export function otherEnvironmentNameMessage(
    workload: string,
    phrase: string,
    named: readonly EnvironmentName[],
    expected: EnvironmentName,
): string {
    return `${workload}: ${phrase} names ${named.join(" and ")}, but this stack's environment is ${expected}; use ${expected}'s (or a name that names no environment).`;
}

/** Mandatory: no name or host of a Cloud Run workload names an environment other than the stack's. */
export const cloudrunNamesMatchStackEnvironment: SingleResourcePolicy = {
    name: NAMES_MATCH_STACK_ENVIRONMENT_POLICY,
    description:
        "Names and hosts of every Cloud Run workload (its name, project, VPC connector, Cloud SQL instances, images, secret ids, " +
        "and plain variables holding a URL or host) name the stack's environment or none, read token by token as the detector reads them.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { environment: ENVIRONMENT_CONFIG_PROPERTY } },
    validateResource: validateWorkloads((shape, args, reportViolation) => {
        const resolution = resolveStackEnvironment(readConfig(args).environment, currentStackName());
        if (!resolution.decided) {
            reportViolation(undecidedEnvironmentMessage(NAMES_MATCH_STACK_ENVIRONMENT_POLICY, resolution.reason));
            return;
        }
        const expected = resolution.environment;
        // The resource's name in the program, as the check's report lists it.
        const workload = `${shape.noun} ${shown(args.name)}`;
        for (const { value, phrase } of namedValues(shape, args.props)) {
            const others = environmentsNamedBy(value).filter((environment) => environment !== expected);
            if (others.length > 0) {
                reportViolation(otherEnvironmentNameMessage(workload, phrase, others, expected));
            }
        }
    }),
};
