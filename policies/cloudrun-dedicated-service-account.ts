/**
 * Every Cloud Run workload runs as an account of its own: one that is named, and not the project's
 * default compute account (`<number>-compute@developer.gserviceaccount.com`, which Cloud Run and
 * functions use when none is set and which holds Editor by default) or the App Engine default
 * account (`<project>@appspot.gserviceaccount.com`). Peers: checkov CKV_GCP_102's family, KICS
 * "using default service account", the Cloud Run module's dedicated account.
 */
import { UNKNOWN } from "./lib/props";
import type { SingleResourcePolicy } from "./lib/single-resource-policy";
import { validateWorkloads } from "./lib/validate-workload";
import { podTemplate, serviceAccountOf, type WorkloadShape } from "./lib/workloads";

/** The policy's name. */
export const DEDICATED_SERVICE_ACCOUNT_POLICY = "cloudrun-dedicated-service-account";

/** Google-managed default accounts and what to call them. */
const DEFAULT_ACCOUNTS: readonly (readonly [RegExp, string])[] = [
    [/^[0-9]+-compute@developer\.gserviceaccount\.com$/, "the project's default compute account"],
    [/^[a-z0-9-]+(?:\.[a-z0-9-]+)?@appspot\.gserviceaccount\.com$/, "the App Engine default account"],
];

/** Where the shape sets its runtime account, for messages: `template.serviceAccount`, `serviceConfig.serviceAccountEmail`. */
export function accountPath(shape: WorkloadShape): string {
    return [...shape.podTemplatePath, shape.serviceAccountKey].join(".");
}

/** What is reported when no account is set. */
export function noAccountMessage(shape: WorkloadShape): string {
    return (
        `The ${shape.noun} sets no ${accountPath(shape)}, so it runs as the project's default compute account, which every ` +
        `unconfigured workload shares; create a service account for this ${shape.shortNoun} and set ${accountPath(shape)} to its email.`
    );
}

/** What is reported when a default account is set explicitly. */
export function defaultAccountSetMessage(shape: WorkloadShape, email: string, what: string): string {
    return (
        `The ${shape.noun} runs as ${email}, ${what}, which other workloads share; create a service account for this ` +
        `${shape.shortNoun} and set ${accountPath(shape)} to its email.`
    );
}

/** Mandatory: every workload names a runtime account that is not a Google default account. */
export const cloudrunDedicatedServiceAccount: SingleResourcePolicy = {
    name: DEDICATED_SERVICE_ACCOUNT_POLICY,
    description:
        "Every Cloud Run service, job, worker pool and function runs as a service account of its own, never the project's default " +
        "compute account or the App Engine default account.",
    enforcementLevel: "mandatory",
    validateResource: validateWorkloads((shape, args, reportViolation) => {
        const template = podTemplate(shape, args.props);
        // A v2 workload without a template is malformed (other policies report missing containers); a function's serviceConfig is optional.
        if (template === undefined && shape.layout !== "function") {
            return;
        }
        // An unknown template reads its account as unknown too.
        const account = serviceAccountOf(shape, args.props);
        if (account === UNKNOWN) {
            return;
        }
        if (account === undefined || account.trim() === "") {
            reportViolation(noAccountMessage(shape));
            return;
        }
        const email = account.trim().toLowerCase();
        const known = DEFAULT_ACCOUNTS.find(([pattern]) => pattern.test(email));
        if (known !== undefined) {
            reportViolation(defaultAccountSetMessage(shape, email, known[1]));
        }
    }),
};
