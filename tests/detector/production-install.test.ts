import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const DIST = path.join(ROOT, "detector", "dist");

/**
 * A service image's install, reduced to what the detector's runtime may use: package.json and detector/dist, and no
 * node_modules at all. That is stricter than `npm ci --omit=dev` (which adds the Pulumi SDKs, 200 MB, none of which
 * the detector loads) and takes milliseconds instead of a minute, so it can run in every `npm test`: whatever a
 * production install lacks (sucrase, ts-node, typescript), this folder lacks too.
 */
function productionFolder(): string {
    const folder = mkdtempSync(path.join(os.tmpdir(), "netra-detect-prod-"));
    mkdirSync(path.join(folder, "detector", "dist"), { recursive: true });
    copyFileSync(path.join(ROOT, "package.json"), path.join(folder, "package.json"));
    for (const file of readdirSync(DIST)) {
        copyFileSync(path.join(DIST, file), path.join(folder, "detector", "dist", file));
    }
    return folder;
}

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

function run(folder: string, command: string, args: readonly string[], env: Record<string, string>): Run {
    // Exactly these variables: no NODE_PATH, no NODE_OPTIONS preloading a TypeScript hook.
    const done = spawnSync(command, args, { cwd: folder, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: folder, ...env } });
    return { code: done.status, stdout: done.stdout, stderr: done.stderr };
}

describe("the detector from a production-only install (no dev dependencies, no node_modules)", function () {
    this.timeout(60_000);
    let folder: string;
    beforeEach(() => {
        folder = productionFolder();
    });
    afterEach(() => {
        rmSync(folder, { recursive: true, force: true });
    });

    it("has nothing to resolve packages from: no node_modules in the folder or above it", () => {
        for (let directory = folder; ; directory = path.dirname(directory)) {
            expect(existsSync(path.join(directory, "node_modules")), directory).to.equal(false);
            if (path.dirname(directory) === directory) {
                break;
            }
        }
    });

    it("requires only Node's own modules and its own files", () => {
        for (const file of readdirSync(DIST)) {
            const required = [...readFileSync(path.join(DIST, file), "utf8").matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
            expect(
                required.filter((specifier) => !specifier.startsWith("node:") && !/^\.\/[a-z-]+$/.test(specifier)),
                file,
            ).to.deep.equal([]);
        }
    });

    it("answers through npm run detect, exit 0", () => {
        const inferred = "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE. Set ENVIRONMENT=staging on the Cloud Run service.";
        expect(run(folder, "npm", ["run", "--silent", "detect", "--", "--json"], { K_SERVICE: "netra-backend-staging" })).to.deep.equal({
            code: 0,
            stdout: `${JSON.stringify({
                environment: "staging",
                source: "platform",
                signals: { K_SERVICE: { value: "netra-backend-staging", environments: ["staging"] } },
                warnings: [inferred],
            })}\n`,
            stderr: `detect: warning: ${inferred}\n`,
        });
    });

    it("refuses to guess on Cloud Run through npm run detect, exit 2 and one line", () => {
        expect(run(folder, "npm", ["run", "--silent", "detect"], { K_SERVICE: "netra-api" })).to.deep.equal({
            code: 2,
            stdout: "",
            stderr:
                "detect: Cannot tell the environment on this Cloud Run service: `ENVIRONMENT` is not set and no signal names one " +
                "(K_SERVICE=netra-api). Set ENVIRONMENT to one of: development, test, staging, production.\n",
        });
    });

    it("fails on warnings under --strict with node detector/dist/cli.js, exit 3", () => {
        const env = { ENVIRONMENT: "prod", CLOUD_RUN_JOB: "netra-migrate-staging" };
        expect(run(folder, process.execPath, ["detector/dist/cli.js", "--strict"], env)).to.deep.equal({
            code: 3,
            stdout: "production (explicit)\n",
            stderr:
                "detect: warning: `ENVIRONMENT` is production, but CLOUD_RUN_JOB (netra-migrate-staging) says staging; production is kept.\n" +
                "detect: --strict: failing on 1 warning\n",
        });
    });

    it("ends with one line and exit 2, not a stack trace and exit 1, when a file of the detector is missing", () => {
        rmSync(path.join(folder, "detector", "dist", "signals.js"));
        expect(run(folder, "npm", ["run", "--silent", "detect"], { ENVIRONMENT: "staging" })).to.deep.equal({
            code: 2,
            stdout: "",
            stderr: "detect: internal error: Cannot find module './signals'\n",
        });
    });
});
