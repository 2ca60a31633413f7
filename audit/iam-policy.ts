/**
 * IAM policies as `gcloud secrets get-iam-policy NAME --format=json` and `gcloud projects
 * get-iam-policy PROJECT --format=json` print them: `{ bindings: [{ role, members, condition? }],
 * etag, version }`. The document does not say what it is the policy of, so its file name does:
 * `<secret-id>.secret-iam.json` or `<project-id>.project-iam.json`. Each binding becomes the
 * binding resource of that level, which the grant policy already judges.
 */
import * as path from "node:path";
import { PROJECT_IAM_BINDING, SECRET_IAM_BINDING } from "../policies/lib/resource-types";
import { type AuditedResource, compact } from "./audited-resource";
import type { DocumentReader, JsonObject } from "./input-error";

/** Keys an IAM policy document may have (google.iam.v1.Policy). */
const POLICY_KEYS: ReadonlySet<string> = new Set(["bindings", "etag", "version", "auditConfigs"]);

/** What an IAM policy file is the policy of, from its name. */
export type IamPolicyTarget =
    { readonly level: "secret"; readonly secretId: string } | { readonly level: "project"; readonly project: string };

/** How an IAM policy file must be named, for messages. */
export const IAM_FILE_NAMES =
    "<secret-id>.secret-iam.json (gcloud secrets get-iam-policy) or <project-id>.project-iam.json (gcloud projects get-iam-policy)";

/** True for a google.iam.v1.Policy document: an etag or bindings, and nothing else. */
export function looksLikeIamPolicy(document: JsonObject): boolean {
    const keys = Object.keys(document);
    return (keys.includes("etag") || keys.includes("bindings")) && keys.every((key) => POLICY_KEYS.has(key));
}

/** Reads the target from `<id>.secret-iam.json` / `<id>.project-iam.json`; undefined for any other name. */
export function iamPolicyTarget(file: string): IamPolicyTarget | undefined {
    const match = /^(.+)\.(secret|project)-iam\.json$/.exec(path.basename(file));
    if (match === null) {
        return undefined;
    }
    return match[2] === "secret" ? { level: "secret", secretId: match[1] } : { level: "project", project: match[1] };
}

/** One binding resource per role of the policy. */
export function iamPolicyBindings(reader: DocumentReader, document: JsonObject, target: IamPolicyTarget): AuditedResource[] {
    return reader.list(document.bindings, ["bindings"], "bindings").map((raw, index) => {
        const bindingPath = ["bindings", index];
        const binding = reader.object(raw, bindingPath, "a binding");
        const role = reader.string(binding.role, [...bindingPath, "role"], "a role");
        const members = reader
            .list(binding.members, [...bindingPath, "members"], "members")
            .map((member, memberIndex) =>
                reader.string(member, [...bindingPath, "members", memberIndex], "a member such as serviceAccount:<email>"),
            );
        const condition = reader.optionalObject(binding.condition, [...bindingPath, "condition"], "a condition");
        // A conditional binding gets its own name: a policy may grant one role with and without a condition.
        const suffix = condition === undefined ? "" : ` (condition ${index + 1})`;
        return target.level === "secret"
            ? {
                  type: SECRET_IAM_BINDING,
                  name: `${target.secretId}/${role}${suffix}`,
                  inputs: compact({ secretId: target.secretId, role, members, condition }),
                  source: reader.file,
              }
            : {
                  type: PROJECT_IAM_BINDING,
                  name: `${target.project}/${role}${suffix}`,
                  inputs: compact({ project: target.project, role, members, condition }),
                  source: reader.file,
              };
    });
}
