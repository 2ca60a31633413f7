/**
 * Image references by the OCI distribution grammar (rules/oci-image-reference.ts), judged directly: every part a
 * reference splits into, and each edge of each part, wrong at one place only.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { MAX_IMAGE_NAME_LENGTH, parseImageReference } from "../../rules/oci-image-reference";

/** `count` random lower-case hex digits: tests never commit a digest literal. */
const hex = (count: number): string =>
    randomBytes(Math.ceil(count / 2))
        .toString("hex")
        .slice(0, count);

const NO_REGISTRY = "has no registry; write it in full, such as gcr.io/<project>/<name>:<tag>";
const NO_REGISTRY_HOST = "has no registry host before the first /; write it in full, such as gcr.io/<project>/<name>:<tag>";
const BAD_REPOSITORY = "has a repository that is not lower-case letters and digits separated by /, ., _, __ or -";
const UPPER_REPOSITORY = "has upper-case letters in its repository; repositories are lower case";
const BAD_TAG = "has a tag that is not letters, digits, _, . and - (at most 128, not starting with . or -)";
const LONG_TAG = "has a tag longer than 128 characters";
const BAD_DIGEST = "has a digest that is not sha256: followed by 64 lower-case hex digits";
const NOTHING_DEPLOYED = "has neither a tag nor a digest; add :<tag> or, better, @sha256:<digest>";

const problemOf = (reference: string): string | undefined => {
    const parsed = parseImageReference(reference);
    return parsed.ok ? undefined : parsed.problem;
};

describe("image references (rules/oci-image-reference.ts)", () => {
    it("allows a name of 255 characters", () => {
        expect(MAX_IMAGE_NAME_LENGTH).to.equal(255);
    });

    describe("the parts", () => {
        it("splits registry, repository, tag and digest", () => {
            const digest = `sha256:${hex(64)}`;
            expect(parseImageReference(`us-docker.pkg.dev/netra-staging/images/api:v1.2@${digest}`)).to.deep.equal({
                ok: true,
                image: { registry: "us-docker.pkg.dev", repository: "netra-staging/images/api", tag: "v1.2", digest },
            });
        });

        it("reads a tag alone, and a digest alone", () => {
            expect(parseImageReference("gcr.io/p/a:1")).to.deep.equal({
                ok: true,
                image: { registry: "gcr.io", repository: "p/a", tag: "1", digest: undefined },
            });
            const digest = `sha256:${hex(64)}`;
            expect(parseImageReference(`gcr.io/p/a@${digest}`)).to.deep.equal({
                ok: true,
                image: { registry: "gcr.io", repository: "p/a", tag: undefined, digest },
            });
        });

        it("reads a registry's port as part of the registry, not as a tag", () => {
            expect(parseImageReference("localhost:5000/team/app:2")).to.deep.equal({
                ok: true,
                image: { registry: "localhost:5000", repository: "team/app", tag: "2", digest: undefined },
            });
            expect(problemOf("gcr.io:443/p/a")).to.equal(NOTHING_DEPLOYED);
        });
    });

    describe("the registry", () => {
        it("is required: a reference without a / has none", () => {
            expect(problemOf("nginx:1")).to.equal(NO_REGISTRY);
            expect(problemOf(`nginx@sha256:${hex(64)}`)).to.equal(NO_REGISTRY);
        });

        it("is a host: a first component without a dot or a port, other than localhost, is a repository", () => {
            expect(problemOf("library/nginx:1")).to.equal(NO_REGISTRY_HOST);
            expect(problemOf("localhost/nginx:1")).to.equal(undefined);
            expect(problemOf("registry:5000/nginx:1")).to.equal(undefined);
            expect(problemOf("gcr.io/nginx:1")).to.equal(undefined);
        });

        it("accepts host names of one-character labels, hyphens inside labels, and bracketed IPv6 literals with or without a port", () => {
            for (const reference of [
                "a.b/x:1",
                "my-registry.example.com/x:1",
                "GCR.IO/x:1",
                "[::1]/x:1",
                "[fe80::1]:5000/x:1",
                "r.io:1/x:1",
            ]) {
                expect(problemOf(reference), reference).to.equal(undefined);
            }
        });

        it("refuses a label starting or ending with a hyphen, an empty label, other characters, and a port that is not digits", () => {
            for (const reference of [
                "-gcr.io/x:1",
                "gcr-.io/x:1",
                "gcr.-io/x:1",
                "gcr..io/x:1",
                ".gcr.io/x:1",
                "gcr.io./x:1",
                "gcr_io.com/x:1",
                "gcr.io:port/x:1",
                "gcr.io:/x:1",
                "gcr.io:5000:1/x:1",
                "[::1/x:1",
                "[::g]/x:1",
                "[]/x:1",
            ]) {
                expect(problemOf(reference), reference).to.equal(NO_REGISTRY_HOST);
            }
        });
    });

    describe("the name's length", () => {
        it("counts registry and repository, up to 255 characters", () => {
            const registry = "gcr.io/";
            expect(problemOf(`${registry}${"a".repeat(255 - registry.length)}:1`)).to.equal(undefined);
            expect(problemOf(`${registry}${"a".repeat(256 - registry.length)}:1`)).to.equal(
                "has a name (registry and repository) longer than 255 characters",
            );
        });
    });

    describe("the repository", () => {
        it("is components of lower-case letters and digits joined by ., _, __ or any run of -", () => {
            for (const repository of ["a", "a/b", "a.b", "a_b", "a__b", "a-b", "a---b", "p/a9/b.c_d__e-f", "0"]) {
                expect(problemOf(`gcr.io/${repository}:1`), repository).to.equal(undefined);
            }
        });

        it("refuses separators at a component's ends, doubled where the grammar does not allow it, and empty components", () => {
            for (const repository of [
                "",
                "_a",
                "a_",
                ".a",
                "a.",
                "-a",
                "a-",
                "a..b",
                "a___b",
                "a._b",
                "a_-b",
                "a//b",
                "/a",
                "a/",
                "a b",
                "a+b",
            ]) {
                expect(problemOf(`gcr.io/${repository}:1`), repository).to.equal(BAD_REPOSITORY);
            }
        });

        it("says so when the only fault is upper case", () => {
            expect(problemOf("gcr.io/netra/Auth:1")).to.equal(UPPER_REPOSITORY);
            expect(problemOf("gcr.io/netra/autH:1")).to.equal(UPPER_REPOSITORY);
        });
    });

    describe("the tag", () => {
        it("is letters, digits, _, . and -, starting with a letter, a digit or _, up to 128 characters", () => {
            for (const tag of ["latest", "V1.2.3", "_build", "1", "a-b_c.d", "A".repeat(128)]) {
                expect(problemOf(`gcr.io/p/a:${tag}`), tag).to.equal(undefined);
            }
        });

        it("refuses an empty tag, a tag starting with . or -, and other characters", () => {
            for (const tag of ["", ".x", "-x", "x+y", "x y", "x:y", "tag!", "é"]) {
                expect(problemOf(`gcr.io/p/a:${tag}`), tag).to.equal(BAD_TAG);
            }
        });

        it("says so when a tag is longer than 128 characters", () => {
            expect(problemOf(`gcr.io/p/a:${"t".repeat(129)}`)).to.equal(LONG_TAG);
            expect(problemOf(`gcr.io/p/a:-${"t".repeat(127)}`)).to.equal(BAD_TAG);
        });
    });

    describe("the digest", () => {
        it("is sha256: with exactly 64 lower-case hex digits", () => {
            expect(problemOf(`gcr.io/p/a@sha256:${hex(64)}`)).to.equal(undefined);
            for (const digest of [
                `sha256:${hex(63)}`,
                `sha256:${hex(65)}`,
                `sha256:${hex(64).toUpperCase()}`,
                `sha256:${hex(63)}g`,
                "sha256:",
            ]) {
                expect(problemOf(`gcr.io/p/a@${digest}`), digest).to.equal(BAD_DIGEST);
            }
        });

        it("accepts another algorithm with at least 32 hex digits, as the grammar does", () => {
            for (const digest of [`sha512:${hex(128)}`, `md5:${hex(32)}`, `sha256+b64u.v2:${hex(40)}`, `x_y-z:${hex(32).toUpperCase()}`]) {
                expect(problemOf(`gcr.io/p/a@${digest}`), digest).to.equal(undefined);
            }
        });

        it("refuses an algorithm that is not letters and digits joined by -, _, + or ., and fewer than 32 hex digits", () => {
            for (const digest of [
                `md5:${hex(31)}`,
                `1md5:${hex(32)}`,
                `md5-:${hex(32)}`,
                `md 5:${hex(32)}`,
                `:${hex(32)}`,
                hex(64),
                `md5:${hex(31)}z`,
            ]) {
                expect(problemOf(`gcr.io/p/a@${digest}`), digest).to.equal(BAD_DIGEST);
            }
        });
    });

    it("asks for a tag or a digest: what is deployed must be named", () => {
        expect(problemOf("gcr.io/p/a")).to.equal(NOTHING_DEPLOYED);
    });

    it("reports the first broken part, in the order registry, name length, repository, tag, digest", () => {
        expect(problemOf(`library/Nginx:.x@sha256:${hex(3)}`)).to.equal(NO_REGISTRY_HOST);
        expect(problemOf(`gcr.io/${"A".repeat(300)}:.x`)).to.equal("has a name (registry and repository) longer than 255 characters");
        expect(problemOf(`gcr.io/A:.x@sha256:${hex(3)}`)).to.equal(UPPER_REPOSITORY);
        expect(problemOf(`gcr.io/a:.x@sha256:${hex(3)}`)).to.equal(BAD_TAG);
    });
});
