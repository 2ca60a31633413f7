import { expect } from "chai";
import { notApplicable } from "../../policies/lib/not-applicable";

/** What @pulumi/policy's server passes as `notApplicable`: it throws an error carrying the reason. */
class ReasonError extends Error {
    constructor(readonly reason: string | undefined) {
        super(reason);
    }
}
const throwing = {
    notApplicable: (reason?: string): never => {
        throw new ReasonError(reason);
    },
};

describe("policy helper notApplicable", () => {
    it("throws the error args.notApplicable throws, with the reason given", () => {
        let caught: unknown;
        try {
            notApplicable(throwing, "Policy only applies to Cloud Run workloads");
        } catch (error) {
            caught = error;
        }
        expect(caught).to.be.instanceOf(ReasonError);
        expect((caught as ReasonError).reason).to.equal("Policy only applies to Cloud Run workloads");
    });

    it("captures no stack frames for that error, and restores the stack trace limit after", () => {
        const limit = Error.stackTraceLimit;
        let stack: string | undefined;
        try {
            notApplicable(throwing, "not a workload");
        } catch (error) {
            stack = (error as Error).stack;
        }
        expect(stack).to.equal("Error: not a workload");
        expect(Error.stackTraceLimit).to.equal(limit);
        expect(new Error("after").stack?.split("\n").length).to.be.greaterThan(1);
    });
});
