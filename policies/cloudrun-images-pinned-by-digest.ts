/**
 * A tag such as `:latest` moves; a digest does not. Pinning every Cloud Run container image by digest
 * makes each revision run exactly the image that was built and reviewed, and makes rollbacks exact.
 */
import { field, text, UNKNOWN } from "./lib/props";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";
import { validateWorkloads } from "./lib/validate-workload";
import { containersOf } from "./lib/workloads";

/** The policy's name. */
export const IMAGES_PINNED_BY_DIGEST_POLICY = "cloudrun-images-pinned-by-digest";

/** An image reference that ends in a sha256 digest. */
export const DIGEST_PINNED_IMAGE = /@sha256:[0-9a-f]{64}$/;

/** What is reported for an image referenced by tag (or by nothing at all). */
export function unpinnedImageMessage(containerLabel: string, image: string): string {
    return (
        `${containerLabel} uses image ${JSON.stringify(image)}, which is not pinned by digest; ` +
        "deploy <image>@sha256:<digest> so every revision runs the image that was built and reviewed."
    );
}

/** What is reported for a container without an image. */
export function missingImageMessage(containerLabel: string): string {
    return `${containerLabel} declares no image, so nothing pins what it runs.`;
}

/** Advisory: container images are referenced by digest. */
export const cloudrunImagesPinnedByDigest: SingleResourcePolicy = {
    name: IMAGES_PINNED_BY_DIGEST_POLICY,
    description: "Every Cloud Run container image is pinned by digest (<image>@sha256:<digest>), not by a tag that can move.",
    enforcementLevel: "advisory",
    validateResource: validateWorkloads((shape, args, reportViolation) => {
        const list = containersOf(shape, args.props);
        // A function builds its image from source; there is no reference to pin.
        if (!shape.hasImages || list.state !== "present") {
            return;
        }
        for (const container of list.containers) {
            const image = text(field(container.raw, "image"));
            if (image === UNKNOWN) {
                continue;
            }
            if (image === undefined || image.trim() === "") {
                reportViolation(missingImageMessage(container.label));
            } else if (!DIGEST_PINNED_IMAGE.test(image.trim())) {
                reportViolation(unpinnedImageMessage(container.label, image));
            }
        }
    }),
};
