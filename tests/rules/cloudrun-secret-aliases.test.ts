/**
 * Cloud Run v1's secret aliases (rules/cloudrun-secret-aliases.ts), judged directly: the one rule the audit and
 * the policy pack's workload view resolve aliases by.
 */
import { expect } from "chai";
import { parseSecretAliases, resolveSecretAlias, SECRETS_ANNOTATION } from "../../rules/cloudrun-secret-aliases";

describe("Cloud Run v1's secret aliases (rules/cloudrun-secret-aliases.ts)", () => {
    it("are declared in the annotation run.googleapis.com/secrets", () => {
        expect(SECRETS_ANNOTATION).to.equal("run.googleapis.com/secrets");
    });

    it("reads comma-separated <alias>:<secret> entries, each trimmed, the secret cut at the first colon only", () => {
        expect(parseSecretAliases(" db:projects/9/secrets/db-password ,ca:projects/9/secrets/ca")).to.deep.equal({
            aliases: new Map([
                ["db", "projects/9/secrets/db-password"],
                ["ca", "projects/9/secrets/ca"],
            ]),
            malformed: false,
        });
        expect(parseSecretAliases("x:a:b").aliases).to.deep.equal(new Map([["x", "a:b"]]));
    });

    it("skips empty entries, and reads an empty annotation as no aliases", () => {
        expect(parseSecretAliases(" , db:projects/9/secrets/db ,,")).to.deep.equal({
            aliases: new Map([["db", "projects/9/secrets/db"]]),
            malformed: false,
        });
        expect(parseSecretAliases("")).to.deep.equal({ aliases: new Map(), malformed: false });
    });

    it("says an entry without a colon, or with nothing before it, is malformed, and keeps the others", () => {
        for (const entry of ["db", ":projects/9/secrets/db"]) {
            expect(parseSecretAliases(`${entry},ca:projects/9/secrets/ca`), entry).to.deep.equal({
                aliases: new Map([["ca", "projects/9/secrets/ca"]]),
                malformed: true,
            });
        }
    });

    it("resolves an alias to its secret and leaves any other reference as it is, whole and case-sensitive", () => {
        const { aliases } = parseSecretAliases("db:projects/9/secrets/db-password");
        expect(resolveSecretAlias("db", aliases)).to.equal("projects/9/secrets/db-password");
        for (const other of ["DB", " db", "db-password", "projects/9/secrets/db"]) {
            expect(resolveSecretAlias(other, aliases), other).to.equal(other);
        }
    });
});
