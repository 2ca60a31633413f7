import { expect } from "chai";
import { parseCheckArgs, requestedFormat, scanArgs, stackArgument, USAGE, UsageError } from "../../check/cli-args";

const CHECK_FLAGS = "allowed: --stack, --policy-config, --program, --timeout, --preview, --json, --markdown, --sarif, --help";

describe("check command line (check/cli-args.ts)", () => {
    describe("parseCheckArgs", () => {
        it("reads every flag, with its defaults when only --stack is given", () => {
            expect(parseCheckArgs(["--stack", "staging"])).to.deep.equal({
                stack: "staging",
                preview: false,
                json: false,
                markdown: false,
                sarif: false,
                timeoutSeconds: 300,
                policyConfig: undefined,
                program: undefined,
                help: false,
            });
            expect(
                parseCheckArgs([
                    "--preview",
                    "--stack=dev",
                    "--json",
                    "--policy-config",
                    "p.json",
                    "--program=broken.ts",
                    "--timeout",
                    "12.5",
                    "--help",
                ]),
            ).to.deep.equal({
                stack: "dev",
                preview: true,
                json: true,
                markdown: false,
                sarif: false,
                timeoutSeconds: 12.5,
                policyConfig: "p.json",
                program: "broken.ts",
                help: true,
            });
            expect(parseCheckArgs(["--stack", "s", "--markdown"])).to.include({ markdown: true, json: false, sarif: false });
            expect(parseCheckArgs(["--stack", "s", "--sarif"])).to.include({ sarif: true, json: false, markdown: false });
        });

        it("takes the last value of a flag given twice", () => {
            expect(parseCheckArgs(["--stack", "a", "--stack=b", "--program", "x.ts", "--program", "y.ts"])).to.include({
                stack: "b",
                program: "y.ts",
            });
        });

        it("requires --stack unless --help is asked for", () => {
            expect(() => parseCheckArgs([])).to.throw(UsageError, "--stack is required, e.g. `npm run check -- --stack staging`");
            expect(() => parseCheckArgs(["--json"])).to.throw(UsageError, "--stack is required");
            expect(parseCheckArgs(["--help"])).to.include({ help: true, stack: "" });
        });

        it("refuses two report formats at once, naming both", () => {
            expect(() => parseCheckArgs(["--stack", "s", "--sarif", "--json"])).to.throw(
                UsageError,
                "--json and --sarif exclude each other; pick one",
            );
            expect(() => parseCheckArgs(["--stack", "s", "--markdown", "--json", "--sarif"])).to.throw(
                UsageError,
                "--json and --markdown and --sarif exclude each other; pick one",
            );
        });

        it("accepts a timeout of whole or decimal seconds above 0 and at most a day", () => {
            for (const [given, seconds] of [
                ["1", 1],
                ["0.5", 0.5],
                ["12.25", 12.25],
                ["86400", 86400],
                ["007", 7],
            ] as const) {
                expect(parseCheckArgs(["--stack", "s", "--timeout", given]).timeoutSeconds).to.equal(seconds);
            }
        });

        it("refuses a timeout that is not a plain positive number of at most a day, saying what was given", () => {
            for (const given of ["0", "0.0", "86400.5", "86401", "-5", "5s", " 5", "5 ", "1.", ".5", "1e3", "abc", "Infinity"]) {
                expect(() => parseCheckArgs(["--stack", "s", "--timeout", given]), given).to.throw(
                    UsageError,
                    `--timeout is ${JSON.stringify(given)}; allowed: a number of seconds above 0, at most 86400`,
                );
            }
        });

        it("cuts a long timeout value at 40 characters in its error", () => {
            const forty = "9".repeat(40);
            expect(() => parseCheckArgs(["--stack", "s", "--timeout", forty])).to.throw(UsageError, `--timeout is "${forty}"; allowed`);
            expect(() => parseCheckArgs(["--stack", "s", "--timeout", `${forty}12`])).to.throw(
                UsageError,
                `--timeout is "${forty}..."; allowed: a number of seconds above 0, at most 86400`,
            );
        });

        it("lists every flag when an argument is unknown, as a UsageError by name too", () => {
            expect(() => parseCheckArgs(["--stack", "s", "--verbose"])).to.throw(
                UsageError,
                `unknown argument "--verbose"; ${CHECK_FLAGS}`,
            );
            expect(() => parseCheckArgs(["--stack", "s", "--verbose"]))
                .to.throw()
                .that.has.property("name", "UsageError");
        });

        it("documents every flag it accepts, with the default timeout, in the help", () => {
            expect(USAGE.split("\n")[0]).to.equal(
                "Usage: npm run check -- --stack <name> [--preview] [--json | --markdown | --sarif] [--policy-config <file>] [--program <file>] [--timeout <seconds>]",
            );
            const described = USAGE.split("\n")
                .filter((line) => line.startsWith("  --"))
                .map((line) => line.trim().split(/\s{2,}/)[0]);
            expect(described).to.deep.equal([
                "--stack <name>",
                "--preview",
                "--json",
                "--markdown",
                "--sarif",
                "--policy-config <file>",
                "--program <file>",
                "--timeout <seconds>",
                "--help",
            ]);
            expect(USAGE).to.include("  --timeout <seconds>      stop a program still running this long after it started (default 300)\n");
        });
    });

    describe("scanArgs", () => {
        const scan = (argv: string[]) => scanArgs(argv, ["--from", "--stack"], ["--json"]);

        it("collects every value of a value flag in order, written `--flag value` or `--flag=value`", () => {
            const scanned = scan(["--from", "a.json", "--json", "--from=b.json", "--stack", "s"]);
            expect([...scanned.values.entries()]).to.deep.equal([
                ["--from", ["a.json", "b.json"]],
                ["--stack", ["s"]],
            ]);
            expect([...scanned.switches]).to.deep.equal(["--json"]);
        });

        it("keeps everything after the first `=` as the value, even what looks like a flag", () => {
            expect(scan(["--from=a=b.json"]).values.get("--from")).to.deep.equal(["a=b.json"]);
            expect(scan(["--from=--json"]).values.get("--from")).to.deep.equal(["--json"]);
        });

        it("gives nothing for an empty command line", () => {
            const scanned = scan([]);
            expect(scanned.values.size).to.equal(0);
            expect(scanned.switches.size).to.equal(0);
        });

        it("refuses a value flag without its value: at the end, empty, or followed by another flag", () => {
            for (const argv of [["--from"], ["--from="], ["--from", ""], ["--from", "--json"], ["--from", "--stack", "s"]]) {
                expect(() => scan(argv), argv.join(" ")).to.throw(UsageError, "--from needs a value; see --help");
            }
        });

        it("refuses a switch given a value, and an argument that is not a flag, listing the flags", () => {
            expect(() => scan(["--json=yes"])).to.throw(UsageError, 'unknown argument "--json=yes"; allowed: --from, --stack, --json');
            expect(() => scan(["stack=s"])).to.throw(UsageError, 'unknown argument "stack=s"; allowed: --from, --stack, --json');
            expect(() => scan(["-json"])).to.throw(UsageError, 'unknown argument "-json"; allowed: --from, --stack, --json');
        });

        it("escapes and cuts an unknown argument at 100 characters, so it cannot forge a line", () => {
            expect(() => scan(["--x\n\u001b[31m"])).to.throw(UsageError, 'unknown argument "--x\\n\\u001b[31m"; allowed');
            const long = `--${"y".repeat(120)}`;
            expect(() => scan([long])).to.throw(UsageError, `unknown argument "--${"y".repeat(98)}... (22 more characters)"; allowed`);
        });
    });

    describe("stackArgument (the stack named in an error document's heading)", () => {
        it("reads --stack written either way", () => {
            expect(stackArgument(["--json", "--stack", "staging"])).to.equal("staging");
            expect(stackArgument(["--stack=prod.eu_1-a"])).to.equal("prod.eu_1-a");
        });

        it("gives nothing for a missing value, no --stack, or a value that is not a plain name of at most 100 characters", () => {
            expect(stackArgument(["--stack"])).to.equal(undefined);
            expect(stackArgument(["--json"])).to.equal(undefined);
            expect(stackArgument(["--stack="])).to.equal(undefined);
            expect(stackArgument(["--stack", "a".repeat(100)])).to.equal("a".repeat(100));
            for (const value of ["a".repeat(101), "../x", "x/", "/x", "a b", "x\n", "\nx", "ѕtaging"]) {
                expect(stackArgument(["--stack", value]), JSON.stringify(value)).to.equal(undefined);
                expect(stackArgument([`--stack=${value}`]), JSON.stringify(value)).to.equal(undefined);
            }
        });

        it("finds an inline --stack after other arguments", () => {
            expect(stackArgument(["--json", "--preview", "--stack=dev"])).to.equal("dev");
        });

        it("prefers a separate --stack over an inline one", () => {
            expect(stackArgument(["--stack=inline", "--stack", "separate"])).to.equal("separate");
        });
    });

    describe("requestedFormat", () => {
        it("names the one format asked for, and human for none or several", () => {
            expect(requestedFormat(["--stack", "s"])).to.equal("human");
            expect(requestedFormat(["--json"])).to.equal("json");
            expect(requestedFormat(["--markdown", "--bogus"])).to.equal("markdown");
            expect(requestedFormat(["--sarif"])).to.equal("sarif");
            expect(requestedFormat(["--json", "--sarif"])).to.equal("human");
        });
    });
});
