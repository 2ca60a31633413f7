/**
 * Container image references by the OCI distribution reference grammar (the one Docker, containerd
 * and Cloud Run parse: github.com/distribution/reference, grammar in reference.go):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component ( "/" path-component )*
 *   domain    := host [ ":" port ]      path-component := [a-z0-9]+ ( separator [a-z0-9]+ )*
 *   separator := [_.] | "__" | "-"+     tag := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := algorithm ":" hex      (sha256: exactly 64 lower-case hex digits)
 *
 * The name is at most 255 characters. This project also asks for an explicit registry (Cloud Run would
 * otherwise read `nginx` as Docker Hub's) and a tag or digest (what is deployed must be named).
 */

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const SHA256 = /^sha256:[0-9a-f]{64}$/;

/** The most characters of a name (registry and repository). */
export const MAX_IMAGE_NAME_LENGTH = 255;

/** An image reference split into its parts. */
export interface ImageReference {
    readonly registry: string;
    readonly repository: string;
    readonly tag: string | undefined;
    readonly digest: string | undefined;
}

export type ImageParse = { readonly ok: true; readonly image: ImageReference } | { readonly ok: false; readonly problem: string };

/** Parses `reference`, or says which part of the grammar it breaks. */
export function parseImageReference(reference: string): ImageParse {
    const fail = (problem: string): ImageParse => ({ ok: false, problem });
    const at = reference.indexOf("@");
    const digest = at === -1 ? undefined : reference.slice(at + 1);
    const rest = at === -1 ? reference : reference.slice(0, at);
    const lastSlash = rest.lastIndexOf("/");
    const colon = rest.indexOf(":", lastSlash + 1);
    const name = colon === -1 ? rest : rest.slice(0, colon);
    const tag = colon === -1 ? undefined : rest.slice(colon + 1);
    const slash = name.indexOf("/");
    if (slash === -1) {
        return fail("has no registry; write it in full, such as gcr.io/<project>/<name>:<tag>");
    }
    const registry = name.slice(0, slash);
    const repository = name.slice(slash + 1);
    if (!(registry.includes(".") || registry.includes(":") || registry === "localhost") || !DOMAIN.test(registry)) {
        return fail("has no registry host before the first /; write it in full, such as gcr.io/<project>/<name>:<tag>");
    }
    if (name.length > MAX_IMAGE_NAME_LENGTH) {
        return fail(`has a name (registry and repository) longer than ${MAX_IMAGE_NAME_LENGTH} characters`);
    }
    // An empty repository is one empty component, which PATH_COMPONENT refuses.
    if (!repository.split("/").every((component) => PATH_COMPONENT.test(component))) {
        return fail(
            repository !== repository.toLowerCase()
                ? "has upper-case letters in its repository; repositories are lower case"
                : "has a repository that is not lower-case letters and digits separated by /, ., _, __ or -",
        );
    }
    if (tag !== undefined && !TAG.test(tag)) {
        return fail(
            tag.length > 128
                ? "has a tag longer than 128 characters"
                : "has a tag that is not letters, digits, _, . and - (at most 128, not starting with . or -)",
        );
    }
    if (digest !== undefined && !(DIGEST.test(digest) && (!digest.startsWith("sha256:") || SHA256.test(digest)))) {
        return fail("has a digest that is not sha256: followed by 64 lower-case hex digits");
    }
    if (tag === undefined && digest === undefined) {
        return fail("has neither a tag nor a digest; add :<tag> or, better, @sha256:<digest>");
    }
    return { ok: true, image: { registry, repository, tag, digest } };
}
