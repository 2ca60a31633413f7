/**
 * The SARIF 2.1.0 JSON schema as OASIS published it (draft-04), from the @microsoft/jest-sarif
 * package of the SARIF SDK (a dev dependency, not a copy), compiled once with Ajv.
 */
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import schema from "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json";

// The schema's `language` pattern is not a valid Unicode-mode regular expression; it is one without /u.
const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The schema's complaints about `document` (empty when it is a valid SARIF 2.1.0 log). */
export function sarifErrors(document: unknown): string[] {
    return validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? ""}`);
}
