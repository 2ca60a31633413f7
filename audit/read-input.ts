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
import { AuditInputError, describeGiven, DocumentReader, isObject, type JsonObject, type JsonPath } from "./input-error";
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

/**
 * Keys of a v2 list response (ListServicesResponse, ListJobsResponse). Google's JSON leaves out empty
 * fields, so an empty list is `{}`, or `{"unreachable": [...]}` from the global endpoint.
 */
const V2_LIST_KEYS: ReadonlySet<string> = new Set(["services", "jobs", "nextPageToken", "unreachable"]);

/** True for a v2 list response: only its keys, and not both lists. */
function looksLikeV2List(document: JsonObject): boolean {
    const keys = Object.keys(document);
    return keys.every((key) => V2_LIST_KEYS.has(key)) && !(keys.includes("services") && keys.includes("jobs"));
}

/**
 * Refuses a list that says it is incomplete, rather than judging part of the project as if it were all
 * of it: the audit exists to find what runs unseen, and a drift check that passes on the first page
 * would miss the rest silently (a warning in a daily job's log is not read). `more` is where the
 * response says more pages follow, `unreachable` the regions it could not list.
 */
function refuseIncompleteList(
    reader: DocumentReader,
    what: string,
    more: { readonly path: JsonPath; readonly token: unknown },
    unreachable: { readonly path: JsonPath; readonly regions: unknown },
): void {
    if (more.token !== undefined && more.token !== null && more.token !== "") {
        if (typeof more.token !== "string") {
            reader.fail(more.path, `is ${describeGiven(more.token)}; expected the next page's token (a string)`);
        }
        reader.fail(
            more.path,
            `is set: the API has more pages of ${what} than this file holds, and the audit would judge this page as if it were all; ` +
                `merge every page's ${what} into one list (a list without a next page token), then audit that`,
        );
    }
    const regions = reader.stringList(unreachable.regions, unreachable.path, "regions", "a region");
    if (regions.length > 0) {
        reader.fail(
            unreachable.path,
            `lists ${regions.length === 1 ? "a region" : `${regions.length} regions`} the API could not reach, whose ${what} this file does not hold; ` +
                "list again until no region is unreachable, or list each region on its own",
        );
    }
}

function v2ListInput(reader: DocumentReader, document: JsonObject): Omit<AuditInput, "file"> {
    const key = "services" in document ? "services" : "jobs" in document ? "jobs" : undefined;
    const what = key ?? "services or jobs";
    refuseIncompleteList(
        reader,
        what,
        { path: ["nextPageToken"], token: document.nextPageToken },
        { path: ["unreachable"], regions: document.unreachable },
    );
    if (key === undefined) {
        return { kind: "Admin API v2 list, empty (no services or jobs)", resources: [], holdsGrants: false };
    }
    const resources = reader
        .list(document[key], [key], key === "services" ? "Cloud Run v2 Services" : "Cloud Run v2 Jobs")
        .map((item, index) => v2Workload(reader, item, [key, index], key));
    return { kind: `Admin API v2 ${key} list`, resources, holdsGrants: false };
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
            const what = kind === "service-list" ? "services" : "jobs";
            // The v1 API's list (ListMeta.continue, unreachable) says it is incomplete the same ways.
            const metadata = reader.optionalObject(value.metadata, ["metadata"], "the list's metadata");
            refuseIncompleteList(
                reader,
                what,
                { path: ["metadata", "continue"], token: metadata?.continue },
                { path: ["unreachable"], regions: value.unreachable },
            );
            const items = reader.list(value.items, ["items"], kind === "service-list" ? "Services" : "Jobs");
            return { kind: `Admin API v1 ${String(value.kind)}`, resources: knativeList(reader, items, ["items"]), holdsGrants: false };
        }
        // Any other kind is refused by knativeWorkload, naming the field.
        const resource = knativeWorkload(reader, value, []);
        return { kind: `gcloud run ${kind}s describe (Knative JSON, Admin API v1)`, resources: [resource], holdsGrants: false };
    }
    if (looksLikeV2List(value)) {
        return v2ListInput(reader, value);
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
