import type { EnvironmentName } from "../detector/environments";

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
