/**
 * Secret references come in two spellings: a bare id (`jwt-secret-staging`) and a resource name
 * (`projects/<project>/secrets/<id>`, a regional secret's `projects/<project>/locations/<location>/secrets/<id>`,
 * either optionally with `/versions/<v>`). Policies compare ids.
 */

const RESOURCE_NAME = /^projects\/[^/]+\/(?:locations\/[^/]+\/)?secrets\/([^/]+)(?:\/versions\/[^/]+)?$/;

/** The secret id of a bare id or a resource name; other strings come back trimmed, unchanged. */
export function normaliseSecretId(reference: string): string {
    const trimmed = reference.trim();
    const match = RESOURCE_NAME.exec(trimmed);
    return match ? match[1] : trimmed;
}
