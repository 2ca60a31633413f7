import { expect } from "chai";
import { parseAuditArgs, USAGE, UsageError } from "../../audit/cli-args";

function usageErrorOf(argv: readonly string[]): string {
    try {
        parseAuditArgs(argv);
    } catch (error) {
        expect(error).to.be.instanceOf(UsageError);
        return (error as Error).message;
    }
    throw new Error(`${argv.join(" ")} was accepted`);
}

describe("audit: command line", () => {
    it("reads every --from in the order given, on the staging stack without comparing when --stack is not given", () => {
        expect(parseAuditArgs(["--from", "b.json", "--from=a.json"])).to.deep.equal({
            from: ["b.json", "a.json"],
            stack: "staging",
            compare: false,
            json: false,
            markdown: false,
            sarif: false,
            policyConfig: undefined,
            help: false,
        });
    });

    it("compares with the program only when --stack is given, even when it names the default stack", () => {
        expect(parseAuditArgs(["--stack", "staging", "--from", "a.json"])).to.deep.include({ stack: "staging", compare: true });
        expect(parseAuditArgs(["--from", "a.json", "--stack=eu-1"])).to.deep.include({ stack: "eu-1", compare: true });
    });

    it("takes one report format and the policy config file", () => {
        expect(parseAuditArgs(["--from", "a.json", "--json", "--policy-config", "p.json"])).to.deep.include({
            json: true,
            markdown: false,
            policyConfig: "p.json",
        });
        expect(parseAuditArgs(["--from", "a.json", "--markdown"])).to.deep.include({ json: false, markdown: true, sarif: false });
        expect(parseAuditArgs(["--from", "a.json", "--sarif"])).to.deep.include({ json: false, markdown: false, sarif: true });
    });

    it("asks for no --from with --help", () => {
        expect(parseAuditArgs(["--help"])).to.deep.equal({
            from: [],
            stack: "staging",
            compare: false,
            json: false,
            markdown: false,
            sarif: false,
            policyConfig: undefined,
            help: true,
        });
    });

    for (const [argv, message] of [
        [[], "--from is required, e.g. `npm run audit -- --from services.json`"],
        [["--json"], "--from is required, e.g. `npm run audit -- --from services.json`"],
        [["--from", "a.json", "--json", "--markdown"], "--json and --markdown exclude each other; pick one"],
        [["--from", "a.json", "--stack", "a", "--stack", "b"], "--stack is given twice; give it once"],
        [["--from", "a.json", "--policy-config", "a", "--policy-config=b"], "--policy-config is given twice; give it once"],
        [["--from", "a.json", "--sarif", "--json"], "--json and --sarif exclude each other; pick one"],
        [["--from", "a.json", "--markdown", "--sarif", "--json"], "--json and --markdown and --sarif exclude each other; pick one"],
        [
            ["--from", "a.json", "--sarif=true"],
            'unknown argument "--sarif=true"; allowed: --from, --stack, --policy-config, --json, --markdown, --sarif, --help',
        ],
    ] as const) {
        it(`refuses ${JSON.stringify(argv)}: "${message}"`, () => {
            expect(usageErrorOf(argv)).to.equal(message);
        });
    }

    it("documents every flag it reads in its help", () => {
        for (const flag of ["--from <file>", "--stack <name>", "--json", "--markdown", "--sarif", "--policy-config <file>", "--help"]) {
            expect(USAGE, flag).to.include(`  ${flag} `);
        }
        expect(USAGE).to.include("(default staging)");
    });
});
