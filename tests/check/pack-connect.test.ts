import { expect } from "chai";
import { connectWithRetries } from "../../check/pack-connect";
import { PolicyPackError, type PolicyPackErrorKind } from "../../check/policy-pack-error";

/** A try that fails with these errors in turn, then connects; records the timeout each try was given. */
function tries(...failures: PolicyPackError[]): { tryOnce: (timeoutMs: number) => Promise<void>; given: number[] } {
    const given: number[] = [];
    const tryOnce = async (timeoutMs: number): Promise<void> => {
        given.push(timeoutMs);
        const failure = failures[given.length - 1];
        if (failure !== undefined) {
            throw failure;
        }
    };
    return { tryOnce, given };
}

const failed = (kind: PolicyPackErrorKind, n: number): PolicyPackError => new PolicyPackError(kind, `try ${n} failed`);

/** What connectWithRetries ends with: "connected", or the message of the error it threw. */
async function outcome(run: Promise<void>): Promise<string> {
    try {
        await run;
        return "connected";
    } catch (error) {
        return (error as Error).message;
    }
}

describe("connecting to the pack's server: three tries of 10 s, while each times out", () => {
    it("connects on the first try without another, giving it the CLI's 10 s", async () => {
        const { tryOnce, given } = tries();
        expect(await outcome(connectWithRetries(tryOnce))).to.equal("connected");
        expect(given).to.deep.equal([10_000]);
    });

    it("gives up after the third timeout with the third try's error", async () => {
        const { tryOnce, given } = tries(failed("timeout", 1), failed("timeout", 2), failed("timeout", 3), failed("timeout", 4));
        expect(await outcome(connectWithRetries(tryOnce))).to.equal("try 3 failed");
        expect(given).to.deep.equal([10_000, 10_000, 10_000]);
    });

    it("takes a later try's success after timeouts", async () => {
        const { tryOnce, given } = tries(failed("timeout", 1), failed("timeout", 2));
        expect(await outcome(connectWithRetries(tryOnce))).to.equal("connected");
        expect(given).to.deep.equal([10_000, 10_000, 10_000]);
    });

    it("gives each try the timeout and the number of tries the caller sets", async () => {
        const { tryOnce, given } = tries(failed("timeout", 1), failed("timeout", 2), failed("timeout", 3));
        expect(await outcome(connectWithRetries(tryOnce, 5, 2))).to.equal("try 2 failed");
        expect(given).to.deep.equal([5, 5]);
        const once = tries(failed("timeout", 1));
        expect(await outcome(connectWithRetries(once.tryOnce, 7, 1))).to.equal("try 1 failed");
        expect(once.given).to.deep.equal([7]);
    });

    it("does not try again after a failure that is not a timeout (a crash, a closed session, any other error)", async () => {
        for (const kind of ["crash", "closed", "rpc", "start"] as const) {
            const { tryOnce, given } = tries(failed("timeout", 1), failed(kind, 2), failed("timeout", 3));
            expect(await outcome(connectWithRetries(tryOnce))).to.equal("try 2 failed");
            expect(given).to.have.length(2);
        }
        const given: number[] = [];
        const plain = async (timeoutMs: number): Promise<void> => {
            given.push(timeoutMs);
            // Not the host's PolicyPackError, though it says "timeout": the host's own words are what count.
            throw Object.assign(new Error("Failed to connect before the deadline"), { kind: "timeout" });
        };
        expect(await outcome(connectWithRetries(plain))).to.equal("Failed to connect before the deadline");
        expect(given).to.deep.equal([10_000]);
    });
});
