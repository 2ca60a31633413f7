/**
 * Which `config:` keys of a stack file anything reads. The CLI passes every key to the program, which
 * reads only its own namespace, and to the providers, which read theirs: a key in a misspelt
 * namespace (`netra-platfrom:labels`) is silently dropped. So a key must be in the project's
 * namespace, `pulumi:`, or the namespace of a provider package this program depends on; a provider
 * key must be one the provider declares. Keys without a namespace are the project's: the CLI
 * prefixes them (pulumi/pulumi sdk/go/common/workspace/loaders.go, stackConfigNamespacedWithProject),
 * so `deletionProtection` and `netra-platform:deletionProtection` are one key written twice.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { displayText } from "../../components/config/display-text";
import { closestMatch } from "../../components/config/suggest";

/** Top-level keys of a stack file (pulumi/pulumi sdk/go/common/workspace/project.go, ProjectStack). */
export const STACK_FILE_KEYS: readonly string[] = ["config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"];

/** The engine's own namespace (`pulumi:tags`, `pulumi:disable-default-providers`, ...); the CLI checks its keys. */
export const ENGINE_NAMESPACE = "pulumi";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

const PROVIDER_SCOPE = "@pulumi/";

/** Provider namespaces among package names: the `@pulumi/<name>` packages, not the SDK itself. */
export function providerNamespacesIn(packages: readonly string[]): string[] {
    return packages
        .filter((name) => name.startsWith(PROVIDER_SCOPE) && name !== "@pulumi/pulumi")
        .map((name) => name.slice(PROVIDER_SCOPE.length));
}

/** Provider namespaces: the `@pulumi/<name>` packages this program depends on. */
export function providerNamespaces(): string[] {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    return providerNamespacesIn(Object.keys(manifest.dependencies ?? {}));
}

/** The config keys a provider's generated `config/vars.d.ts` declares (`export declare const project: string | undefined;`). */
export function declaredConfigKeys(varsDeclarations: string): string[] {
    return [...varsDeclarations.matchAll(/^export declare const (\w+)\b/gm)].map((match) => match[1]);
}

/**
 * The config keys of the provider package `@pulumi/<namespace>` as installed below `root`, read from
 * its declarations without loading the SDK. None when the package is missing or has no config module
 * (`@pulumi/random` takes no configuration).
 */
export function readProviderConfigKeys(namespace: string, root: string): string[] {
    let declarations: string;
    try {
        const folder = path.dirname(require.resolve(`${PROVIDER_SCOPE}${namespace}/package.json`, { paths: [root] }));
        declarations = readFileSync(path.join(folder, "config", "vars.d.ts"), "utf8");
    } catch {
        return [];
    }
    return declaredConfigKeys(declarations);
}

/** Reads each provider's keys below `root` once: every key of a stack file in its namespace asks again. */
export function providerConfigKeyReader(root: string): (namespace: string) => readonly string[] {
    const cache = new Map<string, readonly string[]>();
    return (namespace) => {
        let keys = cache.get(namespace);
        if (keys === undefined) {
            keys = readProviderConfigKeys(namespace, root);
            cache.set(namespace, keys);
        }
        return keys;
    };
}

/** The config keys a provider package of this program declares. */
export const providerConfigKeys = providerConfigKeyReader(REPO_ROOT);

/** A config key split as the CLI splits it (pulumi/pulumi sdk/go/common/resource/config/key.go, ParseKey). */
export type ParsedKey =
    | { readonly ok: true; readonly namespace: string; readonly name: string; readonly full: string }
    | { readonly ok: false; readonly problem: string };

export function parseConfigKey(key: string, project: string): ParsedKey {
    const parts = key.split(":");
    if (parts.length === 1) {
        return { ok: true, namespace: project, name: key, full: `${project}:${key}` };
    }
    // `<namespace>:config:<name>` is the CLI's old, still accepted, form.
    const oldForm = parts.length === 3 && parts[1] === "config";
    const [namespace, name] = oldForm ? [parts[0], parts[2]] : parts;
    if ((parts.length !== 2 && !oldForm) || namespace === "" || name === "") {
        return { ok: false, problem: "is not a config key; write it as `<namespace>:<name>` (one `:`, both parts non-empty)" };
    }
    return { ok: true, namespace, name, full: `${namespace}:${name}` };
}

/** Why nothing would read `key`, or undefined when something does. */
export function unreadKeyProblem(parsed: { namespace: string; name: string }, project: string): string | undefined {
    const { namespace, name } = parsed;
    if (namespace === project || namespace === ENGINE_NAMESPACE) {
        return undefined;
    }
    const providers = providerNamespaces();
    if (!providers.includes(namespace)) {
        const known = [project, ...providers, ENGINE_NAMESPACE];
        const match = closestMatch(namespace, known);
        const suggestion = match === undefined ? "" : ` (did you mean \`${match}:${displayText(name)}\`?)`;
        return `is in namespace \`${displayText(namespace)}\`${suggestion}, which neither the program nor a provider reads, so it would be dropped; namespaces read: ${known.join(", ")}`;
    }
    const keys = providerConfigKeys(namespace);
    if (keys.length === 0) {
        return `is not a setting of the ${namespace} provider, which takes no configuration; remove it`;
    }
    if (!keys.includes(name)) {
        const match = closestMatch(name, keys);
        const suggestion = match === undefined ? "" : ` (did you mean \`${namespace}:${match}\`?)`;
        return `is not a setting of the ${namespace} provider${suggestion}, so it would be dropped; remove it or correct its spelling`;
    }
    return undefined;
}
