import { expect } from "chai";
import { ENVIRONMENTS } from "../../detector/environments";
import { detectEnvironment } from "../../detector/detect";
import { EnvironmentDetectionError, type DetectionErrorCode } from "../../detector/errors";
import { loadVectors } from "./vectors";

const vectors = loadVectors();

describe("detector test vectors (detector/vectors.json)", () => {
    it("holds at least 40 vectors with unique names, each expecting exactly one of a result or an error", () => {
        expect(vectors.length).to.be.at.least(40);
        expect(new Set(vectors.map((vector) => vector.name)).size).to.equal(vectors.length);
        for (const vector of vectors) {
            expect(vector.result === undefined, vector.name).to.not.equal(vector.error === undefined);
        }
    });

    it("covers every source, every error code and every environment", () => {
        const sources = new Set(vectors.map((vector) => vector.result?.source).filter((source) => source !== undefined));
        const codes = new Set(vectors.map((vector) => vector.error?.code).filter((code) => code !== undefined));
        const environments = new Set(
            vectors.map((vector) => vector.result?.environment).filter((environment) => environment !== undefined),
        );
        expect([...sources].sort()).to.deep.equal(["default", "explicit", "platform"]);
        expect([...codes].sort()).to.deep.equal(["conflicting-signals", "invalid-value", "no-signal"] satisfies DetectionErrorCode[]);
        expect([...environments].sort()).to.deep.equal([...ENVIRONMENTS].sort());
    });

    for (const vector of vectors) {
        it(vector.name, () => {
            if (vector.result !== undefined) {
                const result = detectEnvironment(vector.env);
                expect(result).to.deep.equal(vector.result);
                // Signal order is part of the contract: it is the order of the JSON the CLI prints.
                expect(Object.keys(result.signals)).to.deep.equal(Object.keys(vector.result.signals));
                return;
            }
            let thrown: unknown;
            try {
                detectEnvironment(vector.env);
            } catch (error) {
                thrown = error;
            }
            expect(thrown).to.be.instanceOf(EnvironmentDetectionError);
            const error = thrown as EnvironmentDetectionError;
            expect({ code: error.code, message: error.message }).to.deep.equal(vector.error);
        });
    }
});
