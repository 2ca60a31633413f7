/**
 * Rules that hold for every stack of the repository, whatever its services: each Pulumi.<stack>.yaml
 * (and each Pulumi.<stack>.yaml.example template, as the stack it becomes). Adding a service or a
 * stack as the README says keeps these green (tests/program/readme-steps.test.ts proves it); exact
 * inventories are pinned against a frozen copy instead (tests/fixtures/stacks/README.md).
 */
import { expect } from "chai";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { MockCloud } from "../../check/mock-cloud";
import { runUnderMocks, type ProgramRun, type RecordedResource } from "../../check/run-program";
import { readStackFile, type StackFile } from "../../check/stack-file";
import { STACK_KEYS } from "../../components/config/parse-stack-config";
import { readStackConfig } from "../../components/config/read-stack-config";
import { defineNetraStack } from "../../components/netra-stack";
import { canonicalEnvironment, ENVIRONMENT_VARIABLE } from "../../detector/environments";
import { E2E_KEY_ENVIRONMENT } from "../../rules/e2e-key";
import { NETRA_RESOURCE_TYPES } from "../support/mock-stack";
import { checkStack, repositoryStacks, type RepositoryStack } from "../support/stack-files";
import { REPO_ROOT } from "../support/staging-fixture";

const SERVICE = "gcp:cloudrunv2/service:Service";
const GRANT = "gcp:secretmanager/secretIamMember:SecretIamMember";

/** The stack file as the CLI reads it; a template from a scratch copy under its real name. */
function stackFileOf(entry: RepositoryStack): StackFile {
    if (!entry.template) {
        return readStackFile(REPO_ROOT, entry.stack);
    }
    const dir = mkdtempSync(path.join(tmpdir(), "netra-invariant-"));
    try {
        copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        copyFileSync(path.join(REPO_ROOT, entry.file), path.join(dir, `Pulumi.${entry.stack}.yaml`));
        return readStackFile(dir, entry.stack);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

async function runStack(file: StackFile): Promise<ProgramRun> {
    return runUnderMocks(async () => ({ ...defineNetraStack(readStackConfig()).outputs }), {
        project: file.project,
        stack: file.stack,
        preview: false,
        config: file.config,
        mocks: new MockCloud({ strict: true, knownTypes: NETRA_RESOURCE_TYPES }),
    });
}

interface Container {
    envs: { name: string; value?: string; valueSource?: { secretKeyRef: { secret: string } } }[];
}

function containersOf(service: RecordedResource): Container[] {
    return (service.inputs.template as { containers: Container[] }).containers;
}

const stacks = repositoryStacks();

describe("every stack of the repository", () => {
    it("includes staging and the production template", () => {
        expect(stacks.map((entry) => entry.stack)).to.include.members(["staging", "production"]);
    });

    for (const entry of stacks) {
        describe(`${entry.file}`, () => {
            let file: StackFile;
            let run: ProgramRun;
            let environment: string | undefined;
            before(async () => {
                file = stackFileOf(entry);
                environment = canonicalEnvironment(file.config[`${file.project}:environment`] ?? "");
                run = await runStack(file);
            });

            for (const preview of [false, true]) {
                it(`passes the check${preview ? " in a preview" : ""} with no mandatory violation and nothing on stderr`, () => {
                    const result = checkStack(entry, preview);
                    expect(result.stderr).to.equal("");
                    expect(result.status).to.equal(0);
                    expect(result.report?.summary.mandatory).to.equal(0);
                    expect(result.report?.violations.filter((violation) => violation.enforcementLevel === "mandatory")).to.deep.equal([]);
                });
            }

            it("names its environment after the stack, when the stack is named after an environment", () => {
                expect(environment, "environment").to.be.a("string");
                const named = canonicalEnvironment(entry.stack);
                if (named !== undefined) {
                    expect(environment).to.equal(named);
                }
            });

            it("sets ENVIRONMENT first on every Cloud Run service, to its stack's environment", () => {
                const services = run.resources.filter((resource) => resource.type === SERVICE);
                expect(services.length).to.be.greaterThan(0);
                for (const service of services) {
                    for (const container of containersOf(service)) {
                        expect(container.envs[0], service.name).to.deep.equal({ name: ENVIRONMENT_VARIABLE, value: environment });
                    }
                }
            });

            it("grants each service's own account exactly the secrets its containers read", () => {
                for (const service of run.resources.filter((resource) => resource.type === SERVICE)) {
                    const account = `serviceAccount:${(service.inputs.template as { serviceAccount: string }).serviceAccount}`;
                    const read = new Set(
                        containersOf(service).flatMap((container) =>
                            container.envs.flatMap((env) => (env.valueSource === undefined ? [] : [env.valueSource.secretKeyRef.secret])),
                        ),
                    );
                    const granted = run.resources.filter((resource) => resource.type === GRANT && resource.inputs.member === account);
                    expect(new Set(granted.map((grant) => grant.inputs.secretId)), service.name).to.deep.equal(read);
                }
            });

            if (entry.stack !== E2E_KEY_ENVIRONMENT) {
                it("creates no E2E key: it exists on staging only", () => {
                    expect(run.resources.filter((resource) => resource.type.startsWith("netra:secrets:"))).to.deep.equal([]);
                });
            }

            it("has a policy config whose environments are the stack's", () => {
                const configFile = path.join(REPO_ROOT, "policies", "config", `${entry.stack}.json`);
                expect(existsSync(configFile), configFile).to.equal(true);
                const config = JSON.parse(readFileSync(configFile, "utf8")) as Record<string, { environment?: string }>;
                const environments = Object.entries(config).filter(([, policy]) => policy.environment !== undefined);
                expect(environments.length).to.be.greaterThan(0);
                for (const [policy, settings] of environments) {
                    expect(settings.environment, policy).to.equal(environment);
                }
            });

            it("sets only keys the program reads or a provider declares", () => {
                for (const key of Object.keys(file.config)) {
                    const [namespace, name] = key.split(":");
                    if (namespace === file.project) {
                        expect(STACK_KEYS, key).to.include(name);
                    } else {
                        expect(["gcp", "pulumi"], key).to.include(namespace);
                    }
                }
            });
        });
    }
});
