/**
 * The README's "Adding a service" and "Adding a production stack", done exactly as written in a copy
 * of the repository, keep `npm test`'s invariant suite green: the steps and the snippet are read from
 * the README itself, so the guide and the test cannot drift apart.
 */
import { expect } from "chai";
import { execSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { CheckReport } from "../../check/report";
import { npmScriptNodeArgs } from "../support/npm-script";
import { REPO_ROOT } from "../support/staging-fixture";

/**
 * What a copy leaves out: everything else of the checkout is copied, so a folder added to the project
 * later is there too. node_modules is linked, not copied; scratch and cache folders are not the project.
 */
const NOT_COPIED = new Set(["node_modules", ".git", ".stryker-tmp", "reports", "coverage", "bin"]);
const INVARIANTS = "tests/program/stack-invariants.test.ts";

/** The text of README section `## <title>`, up to the next `## `. */
function readmeSection(title: string): string {
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const start = readme.indexOf(`\n## ${title}\n`);
    expect(start, `README section "${title}"`).to.be.greaterThan(-1);
    const end = readme.indexOf("\n## ", start + 1);
    return readme.slice(start, end === -1 ? undefined : end);
}

/** The fenced code blocks of `language` in `text`, without their fences; indentation kept relative to the fence. */
function codeBlocks(text: string, language: string): string[] {
    const blocks: string[] = [];
    const fence = new RegExp(`^( *)\`\`\`${language}\\n([\\s\\S]*?)^\\1\`\`\`$`, "gm");
    for (const match of text.matchAll(fence)) {
        const indent = match[1].length;
        blocks.push(
            match[2]
                .split("\n")
                .map((line) => line.slice(indent))
                .join("\n"),
        );
    }
    return blocks;
}

function copyRepository(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "netra-readme-"));
    for (const entry of readdirSync(REPO_ROOT).filter((name) => !NOT_COPIED.has(name) && !name.startsWith(".scratch"))) {
        cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
    }
    // Linked entry by entry rather than as a whole, so that the TypeScript loader's cache (node_modules/.cache, keyed by
    // each file's path) is the copy's own: entries for the copy's scratch paths go with it instead of piling up.
    mkdirSync(path.join(dir, "node_modules"));
    for (const entry of readdirSync(path.join(REPO_ROOT, "node_modules")).filter((name) => name !== ".cache")) {
        symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(dir, "node_modules", entry));
    }
    return dir;
}

function checkJson(dir: string, stack: string): { status: number | null; report: CheckReport | undefined; stderr: string } {
    const result = spawnSync(
        process.execPath,
        // `npm run check -- --stack <stack> --json` in the copy: its own script's flags, loader and cli.ts.
        [...npmScriptNodeArgs("check", dir), "--stack", stack, "--json"],
        {
            cwd: dir,
            encoding: "utf8",
            timeout: 120_000,
        },
    );
    let report: CheckReport | undefined;
    try {
        report = JSON.parse(result.stdout) as CheckReport;
    } catch {
        report = undefined;
    }
    return { status: result.status, report, stderr: result.stderr };
}

describe("README steps, followed in a copy of the repository", function () {
    this.timeout(600_000);
    let dir: string;

    before(() => {
        dir = copyRepository();
        // "Adding a service": the README's snippet, right below `  netra-platform:services:` of the staging stack.
        const [service] = codeBlocks(readmeSection("Adding a service"), "yaml");
        expect(service, "the service snippet").to.match(/^ {4}worker:\n/);
        const stackPath = path.join(dir, "Pulumi.staging.yaml");
        const anchor = "  netra-platform:services:\n";
        const stack = readFileSync(stackPath, "utf8");
        expect(stack).to.include(anchor);
        writeFileSync(stackPath, stack.replace(anchor, `${anchor}${service.trimEnd()}\n`));
        // "Adding a production stack": its shell commands, run as written.
        for (const block of codeBlocks(readmeSection("Adding a production stack"), "sh")) {
            execSync(block, { cwd: dir, stdio: "pipe" });
        }
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    it("gives the staging stack the new service, its account and its grants, and passes the check", () => {
        const { status, report, stderr } = checkJson(dir, "staging");
        expect([status, stderr]).to.deep.equal([0, ""]);
        expect(
            report?.resources
                .filter((resource) => resource.name.startsWith("worker"))
                .map((resource) => `${resource.type} ${resource.name}`),
        ).to.deep.equal([
            "netra:cloudrun:Service worker",
            "gcp:serviceaccount/account:Account worker-sa",
            "gcp:secretmanager/secretIamMember:SecretIamMember worker-access-postgres-password-staging",
            "gcp:cloudrunv2/service:Service worker-service",
        ]);
    });

    it("gives a production stack that passes the check", () => {
        const { status, report, stderr } = checkJson(dir, "production");
        expect([status, stderr, report?.summary.mandatory]).to.deep.equal([0, "", 0]);
    });

    it("keeps the invariant suite green over both stacks", () => {
        const result = spawnSync(
            process.execPath,
            [
                require.resolve("mocha/bin/mocha.js"),
                "--no-config",
                // The copy's own TypeScript loader (the one `npm run check` uses): it strips types as ts-node's
                // transpile-only mode does, and its cache spares transforming the suite's modules again.
                "-r",
                path.join(dir, "startup", "cached-sucrase-register.js"),
                "--extension",
                "ts",
                "--timeout",
                "120000",
                INVARIANTS,
            ],
            { cwd: dir, encoding: "utf8", timeout: 540_000 },
        );
        expect(result.stdout).to.include("Pulumi.production.yaml");
        expect(result.stdout).to.include("Pulumi.staging.yaml");
        expect(result.stdout, result.stdout).to.match(/\d+ passing/);
        expect(result.stdout, result.stdout).not.to.match(/failing/);
        expect(result.status).to.equal(0);
    });

    it("fails the check when the production stack still carries staging's service name", () => {
        const file = path.join(dir, "Pulumi.production.yaml");
        const original = readFileSync(file, "utf8");
        writeFileSync(file, original.replace("name: netra-backend-production", "name: netra-backend-staging"));
        try {
            const { status, report } = checkJson(dir, "production");
            expect(status).to.equal(1);
            expect(
                report?.violations.filter((violation) => violation.enforcementLevel === "mandatory").map((violation) => violation.message),
            ).to.deep.equal([
                'Cloud Run service "backend-service": its name "netra-backend-staging" names staging, but this stack\'s environment is production; use production\'s (or a name that names no environment).',
                // The production policy config lists production's public services, not staging's.
                'ServiceIamMember "backend-public-invoker" lets allUsers (anyone on the internet) call "netra-backend-staging", which the policy config does not list as public; remove the grant, or add "netra-backend-staging" to publicServices in the config of policy cloudrun-public-access-allowed if it is meant to be public.',
            ]);
        } finally {
            writeFileSync(file, original);
        }
    });
});
