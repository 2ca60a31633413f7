import type { EnvironmentName } from "../detector/environments";

/** Labels the program puts on every labelled resource; the stack file may not set them. */
export const PLATFORM_LABEL_KEYS: readonly string[] = ["environment", "managed-by"];

/** Labels the program adds to some resources (`service` on a service's, `purpose` on the E2E key's). */
export const RESOURCE_LABEL_KEYS: readonly string[] = ["service", "purpose"];

/** Labels every labelled resource carries, so cost reports and audits can tell stacks apart. */
export function resourceLabels(
    base: Readonly<Record<string, string>>,
    environment: EnvironmentName,
    extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
    return { ...base, ...extra, environment, "managed-by": "pulumi" };
}

/** A resource-name-safe slug: `serviceAccount:ci@p.iam.gserviceaccount.com` -> `serviceaccount-ci-p-iam-gserviceaccount-com`. */
export function nameSlug(text: string): string {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
}
