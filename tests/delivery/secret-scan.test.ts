import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import * as fc from "fast-check";
import { runSecretLint } from "secretlint";
import { REPO_ROOT } from "./workflows";

/** Arguments of `npm run lint:secrets`: the whole repository, with .secretlintrc.json and .secretlintignore from the working directory. */
const SCAN_ARGS = ["**/*"];
/** The script itself, as package.json must spell it. */
const SCAN_COMMAND = `secretlint ${SCAN_ARGS.map((arg) => `"${arg}"`).join(" ")}`;
const SECRETLINT_BIN = path.join(REPO_ROOT, "node_modules", ".bin", "secretlint");
const CONFIG_FILE = path.join(REPO_ROOT, ".secretlintrc.json");
const SCAN_SETUP_FILES = [".secretlintrc.json", ".secretlintignore"];
const PATTERN_RULE = "@secretlint/secretlint-rule-pattern";
const BASIC_AUTH_RULE = "@secretlint/secretlint-rule-basicauth";

/** One finding as a reader needs it: where, and which rule. */
interface Finding {
    file: string;
    ruleId: string;
    messageId: string;
    line: number;
    column: number;
}

/** The parts of secretlint's JSON report the tests read. */
interface SecretlintFileResult {
    filePath: string;
    messages: { ruleId: string; messageId: string; range: [number, number]; loc: { start: { line: number; column: number } } }[];
}

/** A fresh 256-bit key as 64 hex digits: never a literal in the repository. */
function generatedKey(): string {
    return crypto.randomBytes(32).toString("hex");
}

/** A container image digest as registries print it. */
function imageDigest(): string {
    return `sha256:${crypto.createHash("sha256").update(crypto.randomBytes(16)).digest("hex")}`;
}

/** Line (1-based) and column (0-based, as secretlint reports them) where `text` first occurs in `content`. */
function locate(content: string, text: string): { line: number; column: number } {
    const lines = content.slice(0, content.indexOf(text)).split("\n");
    return { line: lines.length, column: lines[lines.length - 1].length };
}

const scratchDirs: string[] = [];

/**
 * A throwaway repository root holding byte copies of the repository's .secretlintrc.json and
 * .secretlintignore plus `files`, so the scan runs exactly as `npm run lint:secrets` does at the root.
 */
function scratchRepository(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-scan-"));
    scratchDirs.push(dir);
    for (const name of SCAN_SETUP_FILES) {
        fs.copyFileSync(path.join(REPO_ROOT, name), path.join(dir, name));
    }
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
}

/**
 * Runs the secretlint CLI in `cwd` with the scan's arguments. Its output goes to files, not pipes:
 * secretlint calls process.exit right after writing, which cuts piped output at 64 KiB.
 */
async function scan(cwd: string, format: "stylish" | "json"): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-scan-output-"));
    const [outPath, errPath] = [path.join(outputDir, "stdout"), path.join(outputDir, "stderr")];
    const [out, err] = [fs.openSync(outPath, "w"), fs.openSync(errPath, "w")];
    try {
        const child = spawn(SECRETLINT_BIN, [...SCAN_ARGS, "--format", format, "--no-color"], { cwd, stdio: ["ignore", out, err] });
        const status = await new Promise<number | null>((resolve, reject) => {
            child.on("error", reject);
            child.on("close", resolve);
        });
        return { status, stdout: fs.readFileSync(outPath, "utf8"), stderr: fs.readFileSync(errPath, "utf8") };
    } finally {
        fs.closeSync(out);
        fs.closeSync(err);
        fs.rmSync(outputDir, { recursive: true, force: true });
    }
}

/** The findings of a scan of `cwd`, by file (relative, POSIX separators). */
async function findings(cwd: string): Promise<Finding[]> {
    const { status, stdout, stderr } = await scan(cwd, "json");
    expect(stderr, "secretlint stderr").to.equal("");
    const results = JSON.parse(stdout) as SecretlintFileResult[];
    const found = results.flatMap(({ filePath, messages }) =>
        messages.map(({ ruleId, messageId, loc }) => ({
            file: path.relative(cwd, filePath).split(path.sep).join("/"),
            ruleId,
            messageId,
            line: loc.start.line,
            column: loc.start.column,
        })),
    );
    expect(status, "exit status").to.equal(found.length > 0 ? 1 : 0);
    return found.sort((a, b) => a.file.localeCompare(b.file));
}

/** Findings in `content` (rule and character range), linted in-process with the repository's config. */
async function findingsInText(content: string): Promise<{ ruleId: string; range: [number, number] }[]> {
    const { stdout } = await runSecretLint({
        cliOptions: { cwd: REPO_ROOT, stdinContent: content, stdinFileName: "notes.txt" },
        engineOptions: { configFilePath: CONFIG_FILE, formatter: "json", color: false, maskSecrets: true },
    });
    const results = JSON.parse(stdout ?? "[]") as SecretlintFileResult[];
    return results.flatMap(({ messages }) => messages.map(({ ruleId, range }) => ({ ruleId, range })));
}

describe("secret scanning (secretlint with the repository's .secretlintrc.json and .secretlintignore)", () => {
    after(() => {
        for (const dir of scratchDirs) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("fails on a generated 64-hex-digit key, naming the file and the pattern rule, without printing the key", async () => {
        const key = generatedKey();
        const runbook = `# Verify the E2E key\n\nexport E2E_OAUTH_SIMULATION_KEY=${key}\n`;
        const dir = scratchRepository({ "docs/runbook.md": runbook });

        const { status, stdout } = await scan(dir, "stylish");

        expect(status).to.equal(1);
        expect(stdout).to.include(path.join(dir, "docs", "runbook.md"));
        expect(stdout).to.include(`[PATTERN]`);
        expect(stdout).to.include(PATTERN_RULE);
        expect(stdout).to.not.include(key);
        expect(await findings(dir)).to.deep.equal([
            { file: "docs/runbook.md", ruleId: PATTERN_RULE, messageId: "PATTERN", ...locate(runbook, key) },
        ]);
    });

    it("passes files without a key: the repository's own package-lock.json and hex that is not 64 digits long", async () => {
        const dir = scratchRepository({
            "package-lock.json": fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8"),
            "docs/notes.md": [
                `Deployed commit ${crypto.randomBytes(20).toString("hex")} (a git SHA, 40 hex digits).`,
                `Request id ${crypto.randomUUID()}.`,
                `Truncated fingerprint ${generatedKey().slice(1)} (63 hex digits).`,
                "",
            ].join("\n"),
        });

        const { status, stdout } = await scan(dir, "stylish");

        expect({ status, stdout }).to.deep.equal({ status: 0, stdout: "" });
    });

    it("passes an image pinned by its sha256 digest", async () => {
        const dir = scratchRepository({
            "Pulumi.staging.yaml": `config:\n  netra:image: gcr.io/netra-staging/netra-backend-staging@${imageDigest()}\n`,
        });

        expect(await findings(dir)).to.deep.equal([]);
    });

    it("scans dot folders and package-lock.json, and skips node_modules and .git", async () => {
        const workflowKey = generatedKey();
        const workflow = `env:\n  E2E_KEY: ${workflowKey}\n`;
        const registryUrl = `https://ci-bot:${crypto.randomBytes(12).toString("base64url")}@registry.example.com/left-pad/-/left-pad-1.3.0.tgz`;
        const lockfile = `${JSON.stringify({ packages: { "node_modules/left-pad": { resolved: registryUrl } } }, null, 2)}\n`;
        const dir = scratchRepository({
            ".github/workflows/deploy.yml": workflow,
            "package-lock.json": lockfile,
            "node_modules/some-package/key.txt": `${generatedKey()}\n`,
            ".git/config": `[secret]\n  key = ${generatedKey()}\n`,
        });

        expect(await findings(dir)).to.deep.equal([
            { file: ".github/workflows/deploy.yml", ruleId: PATTERN_RULE, messageId: "PATTERN", ...locate(workflow, workflowKey) },
            { file: "package-lock.json", ruleId: BASIC_AUTH_RULE, messageId: "BasicAuth", ...locate(lockfile, registryUrl) },
        ]);
    });

    const hexRun = (bytes: Uint8Array, upper: boolean): string => {
        const hex = Buffer.from(bytes).toString("hex");
        return upper ? hex.toUpperCase() : hex;
    };
    const leading = fc.constantFrom("", " ", "KEY=", "key: ", '"', "export E2E_OAUTH_SIMULATION_KEY=", "0x", "# old key ");
    const trailing = fc.constantFrom("", "\n", '"', " # rotated", ",");

    it("flags a run of 64 or more hex digits wherever it stands, exactly where it stands", async () => {
        const key = fc.tuple(fc.uint8Array({ minLength: 32, maxLength: 64 }), fc.boolean()).map(([bytes, upper]) => hexRun(bytes, upper));
        await fc.assert(
            fc.asyncProperty(leading, key, trailing, async (head, hex, tail) => {
                const found = await findingsInText(`${head}${hex}${tail}`);
                expect(found).to.deep.equal([{ ruleId: PATTERN_RULE, range: [head.length, head.length + hex.length] }]);
            }),
        );
    });

    it("never flags a sha256 digest or a run of fewer than 64 hex digits", async () => {
        const digest = fc
            .tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.boolean())
            .map(([bytes, upper]) => `sha256:${hexRun(bytes, upper)}`);
        const short = fc
            .tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.boolean(), fc.integer({ min: 1, max: 63 }))
            .map(([bytes, upper, digits]) => hexRun(bytes, upper).slice(0, digits));
        await fc.assert(
            fc.asyncProperty(leading, fc.oneof(digest, short), trailing, async (head, text, tail) => {
                expect(await findingsInText(`${head}${text}${tail}`)).to.deep.equal([]);
            }),
        );
    });

    it("runs over the whole repository as part of npm test", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
        expect(manifest.scripts["lint:secrets"], "scripts.lint:secrets").to.equal(SCAN_COMMAND);
        // npm test runs the static checks side by side (run-p), then mocha.
        const [staticChecks] = manifest.scripts.test.split(" && ");
        expect(staticChecks.split(" ").slice(0, 1), "scripts.test").to.deep.equal(["run-p"]);
        expect(staticChecks.split(" "), "scripts.test").to.include("lint:secrets");
    });
});
