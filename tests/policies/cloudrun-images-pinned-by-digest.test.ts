import { expect } from "chai";
import { cloudrunImagesPinnedByDigest } from "../../policies/cloudrun-images-pinned-by-digest";
import { compliantContainer, compliantWorkload, pinnedImage, randomDigest, SHAPES, type ContainerSpec } from "./fixtures";
import { runResourcePolicy, UNKNOWN_VALUE } from "./harness";

const unpinned = (container: string, image: string): string =>
    `${container} uses image ${JSON.stringify(image)}, which is not pinned by digest; ` +
    "deploy <image>@sha256:<digest> so every revision runs the image that was built and reviewed.";

describe("policy cloudrun-images-pinned-by-digest", () => {
    it("is advisory", () => {
        expect(cloudrunImagesPinnedByDigest.enforcementLevel).to.equal("advisory");
    });

    for (const shape of SHAPES) {
        describe(`on a ${shape.label}`, () => {
            const run = (image: unknown) => {
                const container: ContainerSpec = { ...compliantContainer("api"), image };
                return runResourcePolicy(cloudrunImagesPinnedByDigest, {
                    type: shape.type,
                    props: shape.build(compliantWorkload({ containers: [container] })),
                });
            };

            it("accepts an image pinned by digest, with or without a tag", async () => {
                expect(await run(pinnedImage())).to.deep.equal({ violations: [], urns: [] });
                expect(await run(`gcr.io/netra-staging/netra-auth-service:v1.2.3@${randomDigest()}`)).to.deep.equal({
                    violations: [],
                    urns: [],
                });
            });

            it("rejects a tag, naming the container and the image", async () => {
                const image = "gcr.io/netra-staging/netra-auth-service:latest";
                expect((await run(image)).violations).to.deep.equal([unpinned('Container "api"', image)]);
            });

            it("rejects a digest with anything after its 64 hex digits", async () => {
                const image = `${pinnedImage()}0`;
                expect((await run(image)).violations).to.deep.equal([unpinned('Container "api"', image)]);
            });

            it("rejects a digest that is cut short", async () => {
                const image = `gcr.io/netra-staging/netra-auth-service@${randomDigest().slice(0, 40)}`;
                expect((await run(image)).violations).to.deep.equal([unpinned('Container "api"', image)]);
            });

            it("rejects a container without an image", async () => {
                expect((await run(undefined)).violations).to.deep.equal([
                    'Container "api" declares no image, so nothing pins what it runs.',
                ]);
            });

            it("skips an image that is unknown during preview", async () => {
                expect(await run(UNKNOWN_VALUE)).to.deep.equal({ violations: [], urns: [] });
            });
        });
    }

    it("is named cloudrun-images-pinned-by-digest and describes itself in a full sentence", () => {
        expect(cloudrunImagesPinnedByDigest.name).to.equal("cloudrun-images-pinned-by-digest");
        expect(cloudrunImagesPinnedByDigest.description).to.equal(
            "Every Cloud Run container image is pinned by digest (<image>@sha256:<digest>), not by a tag that can move.",
        );
    });

    it("reads an image with spaces around it trimmed, and a blank one as none", async () => {
        const run = (image: unknown) =>
            runResourcePolicy(cloudrunImagesPinnedByDigest, {
                type: SHAPES[0].type,
                props: SHAPES[0].build(compliantWorkload({ containers: [{ ...compliantContainer("api"), image }] })),
            });
        expect(await run(` ${pinnedImage()}\n`)).to.deep.equal({ violations: [], urns: [] });
        expect((await run("   ")).violations).to.deep.equal(['Container "api" declares no image, so nothing pins what it runs.']);
    });
});
