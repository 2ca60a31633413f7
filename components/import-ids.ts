/**
 * Import IDs for adopting resources that Netra's deploy scripts created, in the formats the
 * Google provider accepts for `pulumi import` and the `import` resource option.
 */

/** `projects/{project}/locations/{region}/services/{name}`. */
export function cloudRunServiceImportId(project: string, region: string, name: string): string {
    return `projects/${project}/locations/${region}/services/${name}`;
}

/** `projects/{project}/secrets/{secretId}`. */
export function secretImportId(project: string, secretId: string): string {
    return `projects/${project}/secrets/${secretId}`;
}
