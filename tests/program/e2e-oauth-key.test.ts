import { expect } from "chai";
import { MockCloud } from "../../check/mock-cloud";
import { runUnderMocks } from "../../check/run-program";
import { E2eOAuthSimulationKey } from "../../components/e2e-oauth-key";
import { NETRA_RESOURCE_TYPES, promiseOf, resourceNamed, SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../support/mock-stack";

/** Counts what reaches the cloud, to prove a refused component created nothing. */
class CountingCloud extends MockCloud {
    created: string[] = [];
    newResource(args: Parameters<MockCloud["newResource"]>[0]) {
        this.created.push(args.type);
        return super.newResource(args);
    }
}

async function runKey(
    args: Partial<ConstructorParameters<typeof E2eOAuthSimulationKey>[1]> = {},
    preview = false,
    mocks = new CountingCloud({ preview, strict: true, knownTypes: NETRA_RESOURCE_TYPES }),
) {
    let key: E2eOAuthSimulationKey | undefined;
    const run = await runUnderMocks(
        async () => {
            key = new E2eOAuthSimulationKey("e2e", { gcpProject: "netra-staging", environment: "staging", ...args });
            return { secretName: key.secretName, versionName: key.versionName };
        },
        { project: "netra-platform", stack: "staging", preview, config: {}, mocks },
    );
    return { ...run, key: key as E2eOAuthSimulationKey };
}

describe("E2E OAuth simulation key component", () => {
    it("draws 32 random bytes (256 bits), rotated by the rotation keeper", async () => {
        const { resources } = await runKey({ rotation: "2026-11" });
        expect(resourceNamed(resources, "random:index/randomBytes:RandomBytes", "e2e-value").inputs).to.deep.equal({
            length: 32,
            keepers: { rotation: "2026-11" },
        });
    });

    it("creates secret E2E_OAUTH_SIMULATION_KEY with automatic replication and labels", async () => {
        const { resources } = await runKey({ labels: { team: "platform" } });
        expect(resourceNamed(resources, "gcp:secretmanager/secret:Secret", "e2e-secret").inputs).to.deep.equal({
            project: "netra-staging",
            secretId: "E2E_OAUTH_SIMULATION_KEY",
            replication: { auto: {} },
            labels: { team: "platform", purpose: "e2e-oauth-simulation", environment: "staging", "managed-by": "pulumi" },
        });
    });

    it("feeds the random hex into the secret through a version that is disabled, not deleted, on rotation", async () => {
        const { resources } = await runKey();
        const version = resourceNamed(resources, "gcp:secretmanager/secretVersion:SecretVersion", "e2e-version");
        const random = resourceNamed(resources, "random:index/randomBytes:RandomBytes", "e2e-value");
        expect(version.inputs.secret).to.equal("projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY");
        expect(version.inputs.deletionPolicy).to.equal("DISABLE");
        const data = version.inputs.secretData as Record<string, unknown>;
        expect(data[SECRET_SIG_KEY]).to.equal(SECRET_SIG);
        expect(data.value).to.match(/^[0-9a-f]{64}$/);
        expect(version.propertyDependencies.secretData).to.deep.equal([random.urn]);
    });

    it("grants each configured reader secretAccessor on this secret only", async () => {
        const reader = "serviceAccount:github-e2e-runner@netra-staging.iam.gserviceaccount.com";
        const { resources } = await runKey({ readers: [reader] });
        expect(
            resourceNamed(
                resources,
                "gcp:secretmanager/secretIamMember:SecretIamMember",
                "e2e-reader-serviceaccount-github-e2e-runner-netra-staging-iam-gserviceaccount-com",
            ).inputs,
        ).to.deep.equal({
            project: "netra-staging",
            secretId: "E2E_OAUTH_SIMULATION_KEY",
            role: "roles/secretmanager.secretAccessor",
            member: reader,
        });
    });

    it("outputs the secret's and version's names, never the value", async () => {
        const { outputs, resources } = await runKey();
        const data = resourceNamed(resources, "gcp:secretmanager/secretVersion:SecretVersion", "e2e-version").inputs.secretData as {
            value: string;
        };
        expect(outputs).to.deep.equal({
            secretName: "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY",
            versionName: "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY/versions/1",
        });
        expect(JSON.stringify(outputs)).not.to.include(data.value);
    });

    it("exposes the version number so consumers roll out a new revision on rotation", async () => {
        const { key } = await runKey();
        expect(await promiseOf(key.versionNumber)).to.equal("1");
    });

    it("in a preview, leaves the value unknown and never generates it in the program", async () => {
        const { resources } = await runKey({}, true);
        expect(resourceNamed(resources, "gcp:secretmanager/secretVersion:SecretVersion", "e2e-version").inputs).to.deep.equal({
            secret: UNKNOWN,
            secretData: UNKNOWN,
            deletionPolicy: "DISABLE",
        });
    });

    it("adopts a script-created secret with its import id when asked", async () => {
        const { resources } = await runKey({ adoptExisting: true });
        expect(resourceNamed(resources, "gcp:secretmanager/secret:Secret", "e2e-secret").options.importId).to.equal(
            "projects/netra-staging/secrets/E2E_OAUTH_SIMULATION_KEY",
        );
    });

    it("refuses to exist on a production stack, creating nothing", async () => {
        const mocks = new CountingCloud({ strict: true, knownTypes: NETRA_RESOURCE_TYPES });
        let message = "";
        try {
            await runKey({ environment: "production" }, false, mocks);
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).to.equal("The E2E OAuth simulation key bypasses OAuth and may exist only on staging, not on a production stack.");
        expect(mocks.created.filter((type) => type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });
});
