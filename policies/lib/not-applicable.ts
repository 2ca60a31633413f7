/**
 * Marks a policy not applicable to a resource, without the cost of a stack trace. `args.notApplicable`
 * (@pulumi/policy server.js `throwNotApplicable`) throws an Error that the pack's server catches and
 * reads only the reason of; capturing its stack was a tenth of the pack's time on 500 services, as
 * every resource policy says this of nearly every resource. The error, its reason and its type are
 * unchanged: only `stack` holds no frames.
 */
import type { ResourceValidationArgs } from "@pulumi/policy";

export function notApplicable(args: Pick<ResourceValidationArgs, "notApplicable">, reason: string): never {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return args.notApplicable(reason);
    } finally {
        Error.stackTraceLimit = limit;
    }
}
