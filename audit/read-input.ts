/**
 * Reads one `--from` file and recognises it by its content (the table in audit/README.md):
 * a JSON list or a Knative document from gcloud, Admin API v2 JSON, a `pulumi stack export`, or an
 * IAM policy. Anything else fails with one line naming the file and the JSON path.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseJsonText } from "../check/json-text";
import { decodeUtf8Text } from "../check/stack-yaml/text";
import { V2_COLLECTIONS, type V2Collection, v2ResourceKind, v2Workload } from "./admin-api-v2";
import type { AuditedResource, AuditInput, WorkloadKind } from "./audited-resource";
import { AuditInputError, describeGiven, DocumentReader, isObject, type JsonObject, type JsonPath } from "./input-error";
import { IAM_FILE_NAMES, iamPolicyBindings, iamPolicyTarget, looksLikeIamPolicy } from "./iam-policy";
import { knativeKind, knativeWorkload, looksKnative } from "./knative";
import { checkLiveValues } from "./live-values";
import { looksLikeStateExport, stateExportResources } from "./state-export";

/** Every document kind the audit reads, for the "unknown document" message. */
export const KNOWN_DOCUMENTS =
    "a gcloud run services/jobs/worker-pools list or describe (--format=json), Cloud Run Admin API v2 services, jobs or worker pools (list or get), " +
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

/** gcloud's command group for each kind of workload (`gcloud run worker-pools list`). */
const GCLOUD_GROUPS: Readonly<Record<WorkloadKind, string>> = { service: "services", job: "jobs", "worker pool": "worker-pools" };

function knativeList(reader: DocumentReader, items: readonly unknown[], pathPrefix: (string | number)[]): AuditedResource[] {
    return items.map((item, index) => knativeWorkload(reader, item, [...pathPrefix, index]));
}

/** The list key of each v2 list response (ListServicesResponse, ListJobsResponse, ListWorkerPoolsResponse). */
const V2_LIST_COLLECTIONS = Object.keys(V2_COLLECTIONS) as V2Collection[];

/**
 * Keys of a v2 list response. Google's JSON leaves out empty fields, so an empty list is `{}`, or
 * `{"unreachable": [...]}` from the global endpoint.
 */
const V2_LIST_KEYS: ReadonlySet<string> = new Set([...V2_LIST_COLLECTIONS, "nextPageToken", "unreachable"]);

/** True for a v2 list response: only its keys, and at most one list. */
function looksLikeV2List(document: JsonObject): boolean {
    const keys = Object.keys(document);
    return keys.every((key) => V2_LIST_KEYS.has(key)) && V2_LIST_COLLECTIONS.filter((key) => key in document).length <= 1;
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
    const key = V2_LIST_COLLECTIONS.find((collection) => collection in document);
    const what = key === undefined ? "services, jobs or worker pools" : V2_COLLECTIONS[key].plural;
    refuseIncompleteList(
        reader,
        what,
        { path: ["nextPageToken"], token: document.nextPageToken },
        { path: ["unreachable"], regions: document.unreachable },
    );
    if (key === undefined) {
        return { kind: `Admin API v2 list, empty (no ${what})`, resources: [], holdsGrants: false };
    }
    const resources = reader
        .list(document[key], [key], V2_COLLECTIONS[key].elements)
        .map((item, index) => v2Workload(reader, item, [key, index], key));
    return { kind: `Admin API v2 ${what} list`, resources, holdsGrants: false };
}

/** Which document `value` is, and its resources. */
function recognise(reader: DocumentReader, value: unknown): Omit<AuditInput, "file"> {
    if (Array.isArray(value)) {
        const resources = knativeList(reader, value, []);
        // Every element is a Knative workload (knativeWorkload refused anything else), so each has its kind.
        const kinds = [...new Set(resources.map((resource) => resource.workload?.kind ?? "service"))];
        const what =
            kinds.length === 0
                ? "an empty gcloud run list"
                : kinds.length > 1
                  ? "gcloud run list"
                  : `gcloud run ${GCLOUD_GROUPS[kinds[0]]} list`;
        return { kind: `${what} (Knative JSON, Admin API v1)`, resources, holdsGrants: false };
    }
    if (!isObject(value)) {
        return reader.fail([], `is ${describeGiven(value)}; expected ${KNOWN_DOCUMENTS}`);
    }
    if (looksKnative(value)) {
        const kind = knativeKind(value);
        if (kind === "service-list" || kind === "job-list" || kind === "worker-pool-list") {
            const what = kind === "service-list" ? "services" : kind === "job-list" ? "jobs" : "worker pools";
            // The v1 API's list (ListMeta.continue, unreachable) says it is incomplete the same ways.
            const metadata = reader.optionalObject(value.metadata, ["metadata"], "the list's metadata");
            refuseIncompleteList(
                reader,
                what,
                { path: ["metadata", "continue"], token: metadata?.continue },
                { path: ["unreachable"], regions: value.unreachable },
            );
            const items = reader.list(
                value.items,
                ["items"],
                { "service-list": "Services", "job-list": "Jobs", "worker-pool-list": "WorkerPools" }[kind],
            );
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
            kind: `Admin API v2 ${V2_COLLECTIONS[v2Kind].kind}`,
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
