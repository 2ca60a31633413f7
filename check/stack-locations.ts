/**
 * Where a key sits in a stack file (line and column, 1-based, from the YAML parser), and which
 * stack-file key declares a resource: the code-scanning alert of a violation points at the service
 * (or setting) in `Pulumi.<stack>.yaml` that made the resource.
 */
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { ReportResource } from "./report/model";

/** A position in a file, 1-based as editors and SARIF count. */
export interface KeyPosition {
    readonly line: number;
    readonly column: number;
}

/** Finds keys of one stack file's `config:` map. */
export class StackKeyLocator {
    private constructor(
        private readonly root: unknown,
        private readonly lines: LineCounter,
        private readonly project: string,
    ) {}

    /** Parses `text` (the stack file); a file that does not parse locates nothing. */
    static fromText(text: string, project: string): StackKeyLocator {
        const lines = new LineCounter();
        const document = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
        return new StackKeyLocator(document.errors.length > 0 ? undefined : document.contents, lines, project);
    }

    /**
     * The position of the key `path` below `config:`: its first segment is a config key below the
     * project's namespace (`services`), written in the file with or without the namespace.
     */
    locate(path: readonly string[]): KeyPosition | undefined {
        const config = this.child(this.root, "config");
        if (config === undefined || path.length === 0) {
            return undefined;
        }
        const [first, ...rest] = path;
        let node = this.child(config.value, `${this.project}:${first}`) ?? this.child(config.value, first);
        for (const segment of rest) {
            node = node === undefined ? undefined : this.child(node.value, segment);
        }
        const offset = node?.keyOffset;
        if (offset === undefined) {
            return undefined;
        }
        const { line, col } = this.lines.linePos(offset);
        return { line, column: col };
    }

    private child(map: unknown, key: string): { value: unknown; keyOffset: number | undefined } | undefined {
        if (!isMap(map)) {
            return undefined;
        }
        for (const pair of map.items) {
            if (isScalar(pair.key) && String(pair.key.value) === key) {
                // Stryker disable next-line OptionalChaining: a node parsed from text always has its range
                return { value: pair.value, keyOffset: pair.key.range?.[0] };
            }
        }
        return undefined;
    }
}

/**
 * Components the program builds from one stack-file key, by type token: the key path (below the
 * project's namespace) that declares a component named `name`. Their children are declared there too.
 */
const DECLARING_COMPONENTS: Readonly<Record<string, (name: string) => string[]>> = {
    "netra:cloudrun:Service": (name) => ["services", name],
    "netra:secrets:E2eOAuthSimulationKey": () => ["e2eOAuthSimulationKey"],
};

/** The stack-file key path that declares `resource` (itself or its nearest declaring ancestor), if any. */
export function declaringKeyPath(resource: ReportResource, byUrn: ReadonlyMap<string, ReportResource>): string[] | undefined {
    const seen = new Set<string>();
    for (let current: ReportResource | undefined = resource; current !== undefined && !seen.has(current.urn);) {
        seen.add(current.urn);
        const declaring = Object.prototype.hasOwnProperty.call(DECLARING_COMPONENTS, current.type)
            ? DECLARING_COMPONENTS[current.type]
            : undefined;
        if (declaring !== undefined) {
            return declaring(current.name);
        }
        // Stryker disable next-line ConditionalExpression: byUrn.get(null) is undefined too; the test is for the type checker
        current = current.parent === null ? undefined : byUrn.get(current.parent);
    }
    return undefined;
}
