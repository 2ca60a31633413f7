/**
 * Walks a parsed YAML document into plain values the way the Pulumi CLI will read them, and says
 * where the file is ambiguous instead of guessing:
 * - a duplicate key (the CLI's YAML reader refuses it; the npm parser's own check is quadratic, so
 *   this walk keeps one Map per mapping: linear in the number of keys);
 * - a plain scalar that does not read back as written (`0755`, `1.0`, `1e3`, `True`, `.inf`): YAML
 *   readers disagree on them (Go's yaml.v3, which the CLI uses, reads `0755` as octal 493: resolve.go
 *   parses plain integers with strconv.ParseInt(plain, 0, 64); this parser reads 755) and either
 *   way the program would get something the user did not write;
 * - a complex key (a map, a list or binary data as a key), a control character, binary data, an alias
 *   to an anchor not defined before it (yaml.v3 refuses it; this parser reads null), an alias that expands
 *   past the node budget, or nesting deeper than MAX_DEPTH.
 * User-chosen keys are stored in null-prototype objects, so `__proto__` or `constructor` is a key
 * like any other, never a prototype.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar } from "yaml";
import { displayText, firstControlCharacter } from "../../components/config/display-text";
import type { ProblemKind } from "../../components/config/problem-lines";
import { plaintextFinding } from "../../rules/plaintext-secret";
import { goYamlReadsPlainAs } from "./go-yaml-plain";

/** Nesting deeper than this is not a stack file. */
export const MAX_DEPTH = 32;
/** Nodes one document may expand to (aliases included); bounds the work of an alias bomb. */
export const MAX_NODES = 500_000;

/** A YAML core tag as written in a file: `tag:yaml.org,2002:int` is `!!int`. */
function shortTag(tag: string): string {
    return tag.startsWith(CORE_TAG_PREFIX) ? `!!${tag.slice(CORE_TAG_PREFIX.length)}` : tag;
}
const CORE_TAG_PREFIX = "tag:yaml.org,2002:";
const MERGE_KEY = "<<";

/** What stands for a value the plaintext rule would refuse: such a value is never shown, even misread. */
const NOT_SHOWN = "value not shown: it may be a secret";

/**
 * True when the value written as `source` under the last key of `path` may be a secret: the plaintext rule the loader
 * and the pack apply (rules/plaintext-secret.ts) finds its name marks one (`DB_PASSWORD: 0755`) or its text holds key
 * material (`WALLET_SIGNER: 0x` and 64 hex digits, which YAML reads as a number).
 */
function mayBeSecret(path: string, source: string): boolean {
    const last = path.slice(path.lastIndexOf(".") + 1).replace(/\[\d+\]$/, "");
    return plaintextFinding(last, source) !== undefined;
}

/** A scalar's text with the quotes it was written in. */
function written(node: Scalar, source: string): string {
    return node.type === "QUOTE_DOUBLE" ? `"${source}"` : node.type === "QUOTE_SINGLE" ? `'${source}'` : source;
}

/** Marks a `secure:` value: the program sees a secret it cannot read. */
export const SECURE = Symbol("secure");

/** A problem at a character offset of the text. */
export interface TreeProblem {
    readonly offset: number;
    /** Dotted key path, escaped and cut, when the problem belongs to a key. */
    readonly key?: string;
    readonly problem: string;
    readonly kind: ProblemKind;
}

/** The values with where each key was written. */
export interface Tree {
    readonly value: unknown;
    readonly problems: TreeProblem[];
    /** Offset of every key, by its dotted path (`config.netra-platform:services.backend.image`). */
    readonly keyOffsets: Map<string, number>;
}

class Walker {
    readonly problems: TreeProblem[] = [];
    readonly keyOffsets = new Map<string, number>();
    private nodes = 0;
    private exhausted = false;

    constructor(
        private readonly doc: Document,
        private readonly lineOf: (offset: number) => number,
        private readonly maxNodes: number,
    ) {}

    private add(offset: number, problem: string, kind: ProblemKind, key?: string): void {
        this.problems.push({ offset, key, problem, kind });
    }

    walk(node: unknown, path: string, depth: number): unknown {
        if (node === null) {
            return null;
        }
        if (this.exhausted) {
            return null;
        }
        if (++this.nodes > this.maxNodes) {
            this.exhausted = true;
            this.add(
                0,
                `expands to more than ${this.maxNodes.toLocaleString("en-US")} YAML nodes (through aliases); write the values out`,
                "invalid value",
            );
            return null;
        }
        const at = (node as Node).range?.[0] ?? 0;
        if (depth > MAX_DEPTH) {
            this.add(at, `nests deeper than ${MAX_DEPTH} levels; a stack file is not that deep`, "invalid value", path || undefined);
            return null;
        }
        if (isAlias(node)) {
            const target = node.resolve(this.doc);
            if (target === undefined) {
                // The CLI's reader refuses it too (yaml.v3: unknown anchor); this parser would read null.
                this.add(
                    at,
                    `refers to the anchor \`${displayText(node.source)}\`, which is not defined before it; define \`&${displayText(node.source)}\` above it`,
                    "invalid value",
                    path || undefined,
                );
                return null;
            }
            return this.walk(target, path, depth + 1);
        }
        if (isScalar(node)) {
            return this.scalar(node, path, at);
        }
        if (isSeq(node)) {
            return node.items.map((item, index) => this.walk(item, `${path}[${index}]`, depth + 1));
        }
        if (isMap(node)) {
            return this.map(node.items as Pair[], path, depth);
        }
        this.add(at, "is a YAML construct this check cannot read", "invalid value", path || undefined);
        return null;
    }

    private scalar(node: Scalar, path: string, at: number): unknown {
        const value = node.value;
        const key = path || undefined;
        if (value instanceof Uint8Array) {
            this.add(at, "is binary data (`!!binary`); write the value as text", "invalid value", key);
            return null;
        }
        if (typeof value === "string") {
            const control = firstControlCharacter(value);
            if (control !== undefined) {
                this.add(at, `holds the control character ${control.name}; remove it`, "invalid value", key);
            }
            const goReads = node.type === "PLAIN" && node.tag === undefined ? goYamlReadsPlainAs(value) : undefined;
            if (goReads !== undefined) {
                const source = displayText(value);
                this.add(
                    at,
                    mayBeSecret(path, value)
                        ? `is written unquoted (${NOT_SHOWN}), and the Pulumi CLI's YAML reader (Go's yaml.v3) reads it as ${goReads.startsWith("the number") ? "a number" : goReads}, not as written; quote it to keep the text`
                        : `is ${source} unquoted, which the Pulumi CLI's YAML reader (Go's yaml.v3) reads as ${goReads}, not as written; quote it ("${source}") to keep the text`,
                    "invalid value",
                    key,
                );
            }
            return value;
        }
        // A number or a boolean reads back as written only in its canonical form (String(value)); `.inf`
        // and `.nan` never do. An explicit tag (`!!int "0755"`) makes even quoted text a number, which
        // readers disagree on as they do on plain text (Go's yaml.v3 reads this one as 493).
        // A node built in code has no source: it was never written, so it cannot be misread.
        if (node.source !== undefined && value !== null && String(value) !== node.source) {
            const source = displayText(node.source);
            const read = typeof value === "boolean" ? String(value) : `the number ${String(value)}`;
            const tag = node.tag === undefined ? undefined : shortTag(node.tag);
            const problem = mayBeSecret(path, node.source)
                ? `is written ${tag === undefined ? "unquoted" : `with the tag ${tag}`} (${NOT_SHOWN}), and YAML reads it as a ${typeof value}, not as written; ${tag === undefined ? "quote it" : "drop the tag"} to keep the text`
                : tag !== undefined
                  ? `is ${tag} ${written(node, source)}, which YAML reads as ${read}, not as written; write ${String(value)}, or drop the tag to keep the text ("${source}")`
                  : typeof value === "boolean"
                    ? `is ${source} unquoted, which YAML reads as ${read}; write ${String(value)}, or quote it ("${source}") to keep the text`
                    : `is ${source} unquoted, which YAML reads as ${read}, not as written; quote it ("${source}") to keep the text`;
            this.add(at, problem, "invalid value", key);
        }
        return value;
    }

    private map(pairs: readonly Pair[], path: string, depth: number): unknown {
        const secure = this.secureValue(pairs);
        if (secure) {
            return SECURE;
        }
        const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        const seen = new Map<string, number>();
        for (const pair of pairs) {
            // The parser makes a node of every key, an empty one too; a document built in code has no places.
            const keyNode = pair.key as Node;
            const offset = keyNode.range?.[0] ?? 0;
            if (!isScalar(keyNode) || (keyNode.value !== null && typeof keyNode.value === "object")) {
                // Nothing of the key is printed: it may hold a secure value.
                this.add(offset, "has a map, a list or binary data as a key; keys must be plain text", "invalid value", path || undefined);
                continue;
            }
            // As written: `1`, `true`, `0x1` and `~` are text as keys (source is a parsed key's text; a document built in code has only its value).
            const name = String(keyNode.source ?? keyNode.value);
            const keyPath = path === "" ? displayText(name) : `${path}.${displayText(name)}`;
            const control = firstControlCharacter(name);
            if (control !== undefined) {
                this.add(offset, `holds the control character ${control.name} in its name; remove it`, "invalid value", keyPath);
                continue;
            }
            if (name === MERGE_KEY && keyNode.type === "PLAIN") {
                // yaml.v3 applies a merge key, the npm parser (as configured) reads it as a key named "<<": rather than
                // read the file unlike the CLI, refuse it.
                this.add(
                    offset,
                    "is a YAML merge key, which this check does not apply; write the merged keys out",
                    "invalid value",
                    keyPath,
                );
                continue;
            }
            const first = seen.get(name);
            if (first !== undefined) {
                this.add(
                    offset,
                    `is set twice (lines ${this.lineOf(first)} and ${this.lineOf(offset)}); keep one`,
                    "duplicate key",
                    keyPath,
                );
                continue;
            }
            seen.set(name, offset);
            this.keyOffsets.set(keyPath, offset);
            out[name] = this.walk(pair.value, keyPath, depth + 1);
        }
        return out;
    }

    /** `{ secure: "v1:..." }`, the CLI's encrypted value (pulumi/pulumi config/object.go, isSecureValue). */
    private secureValue(pairs: readonly Pair[]): boolean {
        if (pairs.length !== 1) {
            return false;
        }
        const [pair] = pairs;
        return isScalar(pair.key) && pair.key.value === "secure" && isScalar(pair.value) && typeof pair.value.value === "string";
    }
}

/**
 * Walks `doc` into values; `lineOf` turns an offset into a line for duplicate-key messages. `maxNodes`
 * is the node budget (MAX_NODES unless a test needs a small one).
 */
export function walkDocument(doc: Document, lineOf: (offset: number) => number, maxNodes: number = MAX_NODES): Tree {
    const walker = new Walker(doc, lineOf, maxNodes);
    const value = walker.walk(doc.contents, "", 0);
    return { value, problems: walker.problems, keyOffsets: walker.keyOffsets };
}
