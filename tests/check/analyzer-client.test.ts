import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import { AnalyzerClient, isDeadlineExceeded, isUnavailable, isUnimplemented } from "../../check/analyzer-client";
import { unservedPort } from "../support/fake-packs";

describe("the Analyzer client: what a failed call means", () => {
    it("reads UNIMPLEMENTED, UNAVAILABLE and DEADLINE_EXCEEDED by their gRPC codes only", () => {
        const codes = [grpc.status.UNIMPLEMENTED, grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.UNKNOWN];
        expect(codes.map((code) => [isUnimplemented({ code }), isUnavailable({ code }), isDeadlineExceeded({ code })])).to.deep.equal([
            [true, false, false],
            [false, true, false],
            [false, false, true],
            [false, false, false],
        ]);
        for (const nothing of [undefined, null, {}]) {
            expect([isUnimplemented(nothing), isUnavailable(nothing), isDeadlineExceeded(nothing)]).to.deep.equal([false, false, false]);
        }
    });

    it("reads a plain error that mentions a deadline, in any case, as one (waitForReady's own error)", () => {
        expect(isDeadlineExceeded(new Error("Failed to connect before the Deadline"))).to.equal(true);
        expect(isDeadlineExceeded(new Error("connection refused"))).to.equal(false);
        expect(isDeadlineExceeded({ message: "deadline" })).to.equal(false);
    });
});

describe("the Analyzer client: waiting for the pack's server", function () {
    this.timeout(20_000);

    it("gives up waiting for a port nobody serves at the deadline, with an error read as a deadline", async () => {
        const port = await unservedPort();
        const client = new AnalyzerClient(port, 1000);
        try {
            const error = await client.waitForReady(200).then(
                () => undefined,
                (reason: unknown) => reason,
            );
            expect(isDeadlineExceeded(error)).to.equal(true);
        } finally {
            client.close();
        }
    });
});
