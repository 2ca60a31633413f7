import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { readAuditInput } from "../../audit/read-input";
import { fixture, REPO_ROOT, scratchFiles } from "./support";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SERVICE_URN = "urn:pulumi:staging::netra-platform::netra:cloudrun:Service$gcp:cloudrunv2/service:Service::backend-service";

type Env = { name: string; value?: unknown };

function envsOf(inputs: Record<string, unknown>): Env[] {
    return (inputs.template as { containers: { envs: Env[] }[] }).containers[0].envs;
}

describe("audit: pulumi stack export (deployment version 3)", () => {
    const input = readAuditInput(REPO_ROOT, fixture("state-export.json"));

    it("judges every resource an update would, skipping providers and resources marked for deletion", () => {
        expect(input.kind).to.equal("pulumi stack export (deployment version 3)");
        expect(input.resources.map((resource) => `${resource.type} ${resource.name}`)).to.deep.equal([
            "pulumi:pulumi:Stack netra-platform-staging",
            "netra:cloudrun:Service backend",
            "gcp:serviceaccount/account:Account backend-sa",
            "gcp:secretmanager/secretIamMember:SecretIamMember backend-access-jwt-secret-staging",
            "gcp:cloudrunv2/service:Service backend-service",
        ]);
    });

    it("keeps each resource's URN, parent, dependencies and options, and reads the Cloud Run name from its inputs", () => {
        const service = input.resources.find((resource) => resource.urn === SERVICE_URN)!;
        expect(service.workload).to.deep.equal({ kind: "service", name: "netra-backend-staging", location: "us-central1" });
        expect(service.extra?.parent).to.equal("urn:pulumi:staging::netra-platform::netra:cloudrun:Service::backend");
        expect(service.extra?.propertyDependencies).to.deep.equal({
            template: ["urn:pulumi:staging::netra-platform::netra:cloudrun:Service$gcp:serviceaccount/account:Account::backend-sa"],
        });
        expect(service.extra?.options?.ignoreChanges).to.deep.equal(["client", "clientVersion"]);
    });

    it("sends an encrypted secret to the pack as a secret whose value is unknown", () => {
        const service = input.resources.find((resource) => resource.urn === SERVICE_URN)!;
        expect(envsOf(service.inputs)[3]).to.deep.equal({ name: "LEGACY_API_TOKEN", value: { [SIG]: SECRET, value: UNKNOWN } });
    });

    it("sends a decrypted secret (--show-secrets) as a secret with its value", () => {
        const key = randomBytes(32).toString("hex");
        const document = JSON.parse(readFileSync(path.join(REPO_ROOT, fixture("state-export.json")), "utf8"));
        const envs = envsOf(document.deployment.resources[5].inputs);
        envs[3].value = { [SIG]: SECRET, plaintext: JSON.stringify(key) };
        const dir = scratchFiles({ "state.json": document });
        const service = readAuditInput(dir, "state.json").resources.find((resource) => resource.urn === SERVICE_URN)!;
        expect(envsOf(service.inputs)[3]).to.deep.equal({ name: "LEGACY_API_TOKEN", value: { [SIG]: SECRET, value: key } });
    });
});
