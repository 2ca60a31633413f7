import { expect } from "chai";
import { readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { languageHostCommand, readProjectFile, runAsLanguageHost, splitNodeArgs } from "../../language-host/run-as-language-host";
import { REPO_ROOT } from "../support/staging-fixture";
import { scratchDir } from "./scratch-dir";

/** The function cmd/run/run.js reads a tsconfig's compilerOptions with (raw JSON, `extends` not followed). */
const { loadTypeScriptCompilerOptions } = require("@pulumi/pulumi/tsutils") as {
    loadTypeScriptCompilerOptions(file: string): Record<string, unknown>;
};

/** A project whose program has a type error; its tsconfig files are the repository's own. */
function typeErrorProject(): string {
    return scratchDir({
        "Pulumi.yaml": readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8").replace(/^name: .*$/m, "name: typed-fixture"),
        "Pulumi.dev.yaml": "config: {}\n",
        "package.json": JSON.stringify({ name: "typed-fixture", main: "index.ts" }),
        "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", types: [] }, files: ["index.ts"] }),
        "tsconfig.pulumi.json": readFileSync(path.join(REPO_ROOT, "tsconfig.pulumi.json"), "utf8"),
        "index.ts": 'const count: number = "many";\nexport const counted = count;\n',
    });
}

describe("the program under the Pulumi CLI's language host", () => {
    it("hands cmd/run a tsconfig with noCheck (transpile only), while npm run typecheck's tsconfig.json still checks", () => {
        const { env, args } = languageHostCommand({ projectDir: REPO_ROOT, stack: "staging", preview: true }, "127.0.0.1:1");
        expect(env.PULUMI_NODEJS_TYPESCRIPT).to.equal("true");
        expect(env.PULUMI_NODEJS_TSCONFIG_PATH).to.equal("tsconfig.pulumi.json");
        const pwd = args[args.indexOf("--pwd") + 1];
        expect(pwd).to.equal(REPO_ROOT);
        expect(loadTypeScriptCompilerOptions(path.join(pwd, env.PULUMI_NODEJS_TSCONFIG_PATH as string)).noCheck).to.equal(true);
        expect(loadTypeScriptCompilerOptions(path.join(REPO_ROOT, "tsconfig.json")).noCheck).to.equal(undefined);
        const typecheck = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
            .scripts.typecheck;
        expect(typecheck).to.equal("tsc --noEmit -p tsconfig.json");
    });

    it("passes the arguments and variables pulumi-language-nodejs passes (config keys as <namespace>:config:<name>)", () => {
        const { env, args } = languageHostCommand({ projectDir: REPO_ROOT, stack: "staging", preview: true, parallel: 4 }, "127.0.0.1:1");
        expect(args.slice(1)).to.deep.equal([
            "--monitor",
            "127.0.0.1:1",
            "--organization",
            "organization",
            "--project",
            "netra-platform",
            "--root-directory",
            REPO_ROOT,
            "--stack",
            "staging",
            "--pwd",
            REPO_ROOT,
            "--dry-run",
            "--parallel",
            "4",
            ".",
        ]);
        expect(args[0]).to.equal(require.resolve("@pulumi/pulumi/cmd/run", { paths: [REPO_ROOT] }));
        const config = JSON.parse(env.PULUMI_CONFIG as string) as Record<string, string>;
        expect(config["netra-platform:config:environment"]).to.equal("staging");
        expect(Object.keys(config).every((key) => /^[^:]+:config:[^:]+$/.test(key))).to.equal(true);
        expect(JSON.parse(env.PULUMI_CONFIG_SECRET_KEYS as string)).to.be.an("array");
    });

    it("splits nodeargs like shlex: words, quotes and escapes", () => {
        expect(splitNodeArgs(` -r  sucrase/register/ts --title "a b" 'c d' e\\ f `)).to.deep.equal([
            "-r",
            "sucrase/register/ts",
            "--title",
            "a b",
            "c d",
            "e f",
        ]);
        expect(() => splitNodeArgs('--title "a')).to.throw('nodeargs: unclosed " in "--title "a"');
    });

    it("runs the staging program under cmd/run against the mock monitor: one Cloud Run service per service in the stack file", async () => {
        const result = await runAsLanguageHost({ projectDir: REPO_ROOT, stack: "staging", preview: false });
        expect({ code: result.code, stderr: result.stderr }).to.deep.equal({ code: 0, stderr: "" });
        const stackFile = YAML.parse(readFileSync(path.join(REPO_ROOT, "Pulumi.staging.yaml"), "utf8")) as {
            config: Record<string, unknown>;
        };
        const services = stackFile.config["netra-platform:services"] as Record<string, { name: string }>;
        const deployed = result.resources
            .filter((resource) => resource.type === "gcp:cloudrunv2/service:Service")
            .map((resource) => resource.inputs.name);
        expect([...deployed].sort()).to.deep.equal(
            Object.values(services)
                .map((service) => service.name)
                .sort(),
        );
        expect(result.resources[0].type).to.equal("pulumi:pulumi:Stack");
    });

    describe("a program with a type error", () => {
        let dir: string;
        before(() => {
            dir = typeErrorProject();
        });
        after(() => rmSync(dir, { recursive: true, force: true }));

        it("still runs under the CLI with the project's runtime options: ts-node only transpiles", async () => {
            const result = await runAsLanguageHost({ projectDir: dir, stack: "dev", preview: true });
            expect({ code: result.code, stderr: result.stderr }).to.deep.equal({ code: 0, stderr: "" });
            expect(readProjectFile(dir).options.tsconfig).to.equal("tsconfig.pulumi.json");
        });

        it("is stopped with TS2322 when the host reads tsconfig.json instead (what the CLI did before)", async () => {
            const result = await runAsLanguageHost({ projectDir: dir, stack: "dev", preview: true, runtimeOptions: { typescript: true } });
            expect(result.code).to.equal(32);
            expect(result.stderr).to.contain("error TS2322: Type 'string' is not assignable to type 'number'.");
        });
    });
});
