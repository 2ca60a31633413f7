/**
 * Reads one `--from` file and recognises it by its content (the table in audit/README.md):
 * a JSON list or a Knative document from gcloud, Admin API v2 JSON, a `pulumi stack export`, or an
 * IAM policy. Anything else fails with one line naming the file and the JSON path.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseJsonText } from "../check/json-text";
import { decodeUtf8Text } from "../check/stack-yaml/text";
import { v2ResourceKind, v2Workload } from "./admin-api-v2";
import type { AuditedResource, AuditInput } from "./audited-resource";
import { AuditInputError, describeGiven, DocumentReader, isObject, type JsonObject } from "./input-error";
import { IAM_FILE_NAMES, iamPolicyBindings, iamPolicyTarget, looksLikeIamPolicy } from "./iam-policy";
import { knativeKind, knativeWorkload, looksKnative } from "./knative";
import { checkLiveValues } from "./live-values";
import { looksLikeStateExport, stateExportResources } from "./state-export";

/** Every document kind the audit reads, for the "unknown document" message. */
export const KNOWN_DOCUMENTS =
    "a gcloud run services/jobs list or describe (--format=json), Cloud Run Admin API v2 services or jobs (list or get), " +
    `a \`pulumi stack export\` (version 3), or an IAM policy named ${IAM_FILE_NAMES}`;

/** The file's bytes as JSON: decoded as the check decodes a stack file (check/stack-yaml/text.ts), then parsed. */
function parseJson(file: string, bytes: Uint8Array): unknown {
    const decoded = decodeUtf8Text(bytes);
    if (!decoded.ok) {
        const { line, column, problem } = decoded.problem;
        throw new AuditInputError(file, undefined, problem, line === undefined ? undefined : { line, column: column ?? 1 });
    }
    if (decoded.text.trim() === "") {
        throw new AuditInputError(file, undefined, "is empty; expected the JSON output of a `--format=json` command");
    }
    // The place only: V8's message quotes the text around the error, which may be a secret.
    const parsed = parseJsonText(decoded.text);
    if (!parsed.ok) {
        throw new AuditInputError(file, undefined, "is not JSON; expected the output of a `--format=json` command", {
            line: parsed.line,
            column: parsed.column,
        });
    }
    return parsed.value;
}

function knativeList(reader: DocumentReader, items: readonly unknown[], pathPrefix: (string | number)[]): AuditedResource[] {
    return items.map((item, index) => knativeWorkload(reader, item, [...pathPrefix, index]));
}

function v2List(reader: DocumentReader, document: JsonObject, key: "services" | "jobs"): AuditedResource[] {
    return reader
        .list(document[key], [key], key === "services" ? "Cloud Run v2 Services" : "Cloud Run v2 Jobs")
        .map((item, index) => v2Workload(reader, item, [key, index], key));
}

/** Which document `value` is, and its resources. */
function recognise(reader: DocumentReader, value: unknown): Omit<AuditInput, "file"> {
    if (Array.isArray(value)) {
        const resources = knativeList(reader, value, []);
        const kinds = new Set(resources.map((resource) => resource.workload?.kind));
        const what =
            resources.length === 0
                ? "an empty gcloud run list"
                : kinds.size === 2
                  ? "gcloud run list"
                  : `gcloud run ${[...kinds][0]}s list`;
        return { kind: `${what} (Knative JSON, Admin API v1)`, resources, holdsGrants: false };
    }
    if (!isObject(value)) {
        return reader.fail([], `is ${describeGiven(value)}; expected ${KNOWN_DOCUMENTS}`);
    }
    if (looksKnative(value)) {
        const kind = knativeKind(value);
        if (kind === "service-list" || kind === "job-list") {
            const items = reader.list(value.items, ["items"], kind === "service-list" ? "Services" : "Jobs");
            return { kind: `Admin API v1 ${String(value.kind)}`, resources: knativeList(reader, items, ["items"]), holdsGrants: false };
        }
        // Any other kind is refused by knativeWorkload, naming the field.
        const resource = knativeWorkload(reader, value, []);
        return { kind: `gcloud run ${kind}s describe (Knative JSON, Admin API v1)`, resources: [resource], holdsGrants: false };
    }
    if (Array.isArray(value.services) || Array.isArray(value.jobs)) {
        const key = Array.isArray(value.services) ? "services" : "jobs";
        return { kind: `Admin API v2 ${key} list`, resources: v2List(reader, value, key), holdsGrants: false };
    }
    const v2Kind = v2ResourceKind(value.name);
    if (v2Kind !== undefined) {
        return {
            kind: `Admin API v2 ${v2Kind === "services" ? "service" : "job"}`,
            resources: [v2Workload(reader, value, [], v2Kind)],
            holdsGrants: false,
        };
    }
    if (looksLikeStateExport(value)) {
        return { kind: "pulumi stack export (deployment version 3)", resources: stateExportResources(reader, value), holdsGrants: true };
    }
    if (looksLikeIamPolicy(value)) {
        const target = iamPolicyTarget(reader.file);
        if (target === undefined) {
            return reader.fail([], `is an IAM policy, which does not say what it is on; name the file ${IAM_FILE_NAMES}`);
        }
        const kind = target.level === "secret" ? `IAM policy of secret ${target.secretId}` : `IAM policy of project ${target.project}`;
        return { kind, resources: iamPolicyBindings(reader, value, target), holdsGrants: true };
    }
    // Only short, word-like keys are named: a key can be data too.
    const keys = Object.keys(value).filter((key) => /^[A-Za-z][A-Za-z_]{0,23}$/.test(key));
    const described = keys.length === 0 ? "an object" : `an object with ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? ", ..." : ""}`;
    return reader.fail([], `is ${described}, not a known document; expected ${KNOWN_DOCUMENTS}`);
}

/** Reads and maps one `--from` file; `display` is how messages name it (the path as given). */
export function readAuditInput(root: string, display: string): AuditInput {
    let bytes: Buffer;
    try {
        bytes = readFileSync(path.resolve(root, display));
    } catch {
        throw new AuditInputError(display, undefined, "cannot be read (no such file, or not a file)");
    }
    const reader = new DocumentReader(display);
    const document = parseJson(display, bytes);
    checkLiveValues(reader, document, [], isObject(document) && looksLikeStateExport(document) ? "state" : "live");
    return { file: display, ...recognise(reader, document) };
}
