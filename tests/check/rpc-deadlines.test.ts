import { expect } from "chai";
import * as fc from "fast-check";
import { analyzeStackTimeoutMs } from "../../check/rpc-deadlines";

describe("AnalyzeStack's deadline", () => {
    it("is the base deadline of 30 s for an empty stack", () => {
        expect(analyzeStackTimeoutMs(0)).to.equal(30_000);
    });

    it("gives staging's 55 resources 30.55 s", () => {
        expect(analyzeStackTimeoutMs(55)).to.equal(30_550);
    });

    it("gives the largest supported stack (500 services, 8,185 resources) 111.85 s, not the 30 s it failed on when loaded", () => {
        expect(analyzeStackTimeoutMs(8185)).to.equal(111_850);
    });

    it("starts from a base the caller gives (rpcTimeoutMs)", () => {
        expect(analyzeStackTimeoutMs(100, 3000)).to.equal(4000);
    });

    it("grows by 10 ms for every resource more, whatever the base", () => {
        fc.assert(
            fc.property(fc.nat(100_000), fc.nat(600_000), (resources, base) => {
                expect(analyzeStackTimeoutMs(resources + 1, base) - analyzeStackTimeoutMs(resources, base)).to.equal(10);
                expect(analyzeStackTimeoutMs(resources, base)).to.be.at.least(base);
            }),
        );
    });
});
