import { expect } from "chai";
import Ajv from "ajv";
import * as fs from "node:fs";
import * as path from "node:path";
import * as gcp from "@pulumi/gcp";
import { parse as parseYaml } from "yaml";
import type { Policy } from "@pulumi/policy";
import { PACK_NAME, policies } from "../../policies/policy-list";
import * as types from "../../policies/lib/resource-types";

const PACK_DIR = path.join(__dirname, "..", "..", "policies");
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(PACK_DIR, file), "utf8"));
const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** The SDK's type token of a @pulumi/gcp resource class (kept off its public typings). */
const tokenOf = (resourceClass: unknown): string => (resourceClass as { __pulumiType: string }).__pulumiType;

describe("the policy pack", () => {
    it("has the policies the issue asks for, with their enforcement levels", () => {
        expect(policies.map((policy) => [policy.name, policy.enforcementLevel])).to.deep.equal([
            ["cloudrun-required-env-vars", "mandatory"],
            ["cloudrun-environment-matches-stack", "mandatory"],
            ["cloudrun-no-plaintext-secrets", "mandatory"],
            ["cloudrun-reserved-env-names", "mandatory"],
            ["e2e-key-only-on-staging", "mandatory"],
            ["secret-version-survives-rotation", "advisory"],
            ["secret-access-scoped-to-service-account", "mandatory"],
            ["cloudrun-images-pinned-by-digest", "advisory"],
            ["cloudrun-dedicated-service-account", "mandatory"],
            ["cloudrun-public-access-allowed", "mandatory"],
            ["cloudrun-private-service-ingress", "advisory"],
            ["cloudrun-names-match-stack-environment", "mandatory"],
        ]);
    });

    it("keeps each policy in a kebab-case module of its own name that exports it", () => {
        for (const policy of policies) {
            expect(policy.name, policy.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
            const modulePath = path.join(PACK_DIR, `${policy.name}.ts`);
            expect(fs.existsSync(modulePath), modulePath).to.equal(true);

            const exported = Object.values(require(modulePath) as Record<string, unknown>);
            expect(
                exported.filter((value) => value === policy),
                policy.name,
            ).to.have.length(1);
        }
        expect(new Set(policies.map((policy) => policy.name)).size).to.equal(policies.length);
    });

    it("describes every policy in a full sentence", () => {
        for (const policy of policies) {
            expect(policy.description, policy.name).to.match(/^[A-Z][^\n]*[a-z)]\.$/);
        }
    });

    it("has an index.ts that lets the SDK read each request's properties once, then only constructs the pack from the policy list", () => {
        const code = fs
            .readFileSync(path.join(PACK_DIR, "index.ts"), "utf8")
            .replace(/\/\*\*[\s\S]*?\*\//g, "")
            .split("\n")
            .map((line) => line.trim())
            .filter((line) => line !== "");
        expect(code).to.deep.equal([
            'import { PolicyPack } from "@pulumi/policy";',
            'import { readSdkPropertiesOnce } from "./lib/read-properties-once";',
            'import { PACK_NAME, policies } from "./policy-list";',
            "readSdkPropertiesOnce();",
            "new PolicyPack(PACK_NAME, { policies });",
        ]);
    });

    it("is named after its package, which has a version (PolicyPack reads it from package.json)", () => {
        const manifest = readJson("package.json") as { name: string; version: string; main: string };
        expect(PACK_NAME).to.equal(manifest.name);
        expect(manifest.version).to.match(/^\d+\.\d+\.\d+$/);
        expect(manifest.main).to.equal("index.js");
    });

    it("declares the nodejs runtime and a description in PulumiPolicy.yaml", () => {
        const project = parseYaml(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
        expect(project.runtime).to.equal("nodejs");
        expect(project.description).to.match(/^[A-Z].*\.$/);
    });

    it("pins its type tokens to @pulumi/gcp's own", () => {
        expect(types).to.deep.equal({
            CLOUD_RUN_V2_SERVICE: tokenOf(gcp.cloudrunv2.Service),
            CLOUD_RUN_V2_JOB: tokenOf(gcp.cloudrunv2.Job),
            CLOUD_RUN_V2_WORKER_POOL: tokenOf(gcp.cloudrunv2.WorkerPool),
            CLOUD_FUNCTION_V2: tokenOf(gcp.cloudfunctionsv2.Function),
            CLOUD_RUN_V1_SERVICE: tokenOf(gcp.cloudrun.Service),
            SERVICE_ACCOUNT: tokenOf(gcp.serviceaccount.Account),
            SECRET: tokenOf(gcp.secretmanager.Secret),
            SECRET_VERSION: tokenOf(gcp.secretmanager.SecretVersion),
            SECRET_IAM_MEMBER: tokenOf(gcp.secretmanager.SecretIamMember),
            SECRET_IAM_BINDING: tokenOf(gcp.secretmanager.SecretIamBinding),
            SECRET_IAM_POLICY: tokenOf(gcp.secretmanager.SecretIamPolicy),
            REGIONAL_SECRET: tokenOf(gcp.secretmanager.RegionalSecret),
            REGIONAL_SECRET_VERSION: tokenOf(gcp.secretmanager.RegionalSecretVersion),
            REGIONAL_SECRET_IAM_MEMBER: tokenOf(gcp.secretmanager.RegionalSecretIamMember),
            REGIONAL_SECRET_IAM_BINDING: tokenOf(gcp.secretmanager.RegionalSecretIamBinding),
            REGIONAL_SECRET_IAM_POLICY: tokenOf(gcp.secretmanager.RegionalSecretIamPolicy),
            FOLDER_IAM_MEMBER: tokenOf(gcp.folder.IAMMember),
            FOLDER_IAM_BINDING: tokenOf(gcp.folder.IAMBinding),
            FOLDER_IAM_POLICY: tokenOf(gcp.folder.IAMPolicy),
            ORGANIZATION_IAM_MEMBER: tokenOf(gcp.organizations.IAMMember),
            ORGANIZATION_IAM_BINDING: tokenOf(gcp.organizations.IAMBinding),
            ORGANIZATION_IAM_POLICY: tokenOf(gcp.organizations.IAMPolicy),
            CLOUD_RUN_V2_SERVICE_IAM_MEMBER: tokenOf(gcp.cloudrunv2.ServiceIamMember),
            CLOUD_RUN_V2_SERVICE_IAM_BINDING: tokenOf(gcp.cloudrunv2.ServiceIamBinding),
            CLOUD_RUN_V2_SERVICE_IAM_POLICY: tokenOf(gcp.cloudrunv2.ServiceIamPolicy),
            CLOUD_RUN_V1_IAM_MEMBER: tokenOf(gcp.cloudrun.IamMember),
            CLOUD_RUN_V1_IAM_BINDING: tokenOf(gcp.cloudrun.IamBinding),
            CLOUD_RUN_V1_IAM_POLICY: tokenOf(gcp.cloudrun.IamPolicy),
            FUNCTION_V2_IAM_MEMBER: tokenOf(gcp.cloudfunctionsv2.FunctionIamMember),
            FUNCTION_V2_IAM_BINDING: tokenOf(gcp.cloudfunctionsv2.FunctionIamBinding),
            FUNCTION_V2_IAM_POLICY: tokenOf(gcp.cloudfunctionsv2.FunctionIamPolicy),
            PROJECT_IAM_MEMBER: tokenOf(gcp.projects.IAMMember),
            PROJECT_IAM_BINDING: tokenOf(gcp.projects.IAMBinding),
            PROJECT_IAM_POLICY: tokenOf(gcp.projects.IAMPolicy),
        });
    });

    describe("config/staging.json (for --policy-pack-config)", () => {
        const config = readJson(path.join("config", "staging.json")) as Record<string, Record<string, unknown>>;
        const byName = new Map<string, Policy>(policies.map((policy) => [policy.name, policy]));

        it("configures every policy, and only policies of the pack", () => {
            expect(Object.keys(config).sort()).to.deep.equal(policies.map((policy) => policy.name).sort());
        });

        it("keeps every policy's own enforcement level", () => {
            for (const [name, entry] of Object.entries(config)) {
                expect(entry.enforcementLevel, name).to.equal(byName.get(name)?.enforcementLevel);
            }
        });

        it("validates against each policy's config schema, with no unknown property", () => {
            const ajv = new Ajv({ strict: false, allErrors: true });
            for (const [name, entry] of Object.entries(config)) {
                const schema = byName.get(name)?.configSchema;
                const validate = ajv.compile({
                    type: "object",
                    properties: { enforcementLevel: { enum: LEVELS }, ...(schema?.properties ?? {}) },
                    required: schema?.required ?? [],
                    additionalProperties: false,
                });
                expect(validate(entry), `${name}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
            }
        });

        it("says staging outright, requires GCP_PROJECT_ID and checks the frontend's NEXT_PUBLIC_ENVIRONMENT", () => {
            expect(config["cloudrun-environment-matches-stack"]).to.deep.include({
                environment: "staging",
                variables: ["ENVIRONMENT", "NEXT_PUBLIC_ENVIRONMENT"],
            });
            expect(config["e2e-key-only-on-staging"]).to.deep.include({ environment: "staging" });
            expect(config["cloudrun-required-env-vars"]).to.deep.include({ requiredNames: ["ENVIRONMENT", "GCP_PROJECT_ID"] });
        });

        it("is rejected by the schema when it names an environment that does not exist", () => {
            const ajv = new Ajv({ strict: false });
            const schema = byName.get("cloudrun-environment-matches-stack")?.configSchema;
            const validate = ajv.compile({ type: "object", properties: schema?.properties ?? {} });
            expect(validate({ environment: "stage" })).to.equal(false);
            expect(validate({ variables: ["not a name"] })).to.equal(false);
        });
    });
});
