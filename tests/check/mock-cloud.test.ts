import { expect } from "chai";
import { MockCloud } from "../../check/mock-cloud";

const register = (cloud: MockCloud, type: string, name: string, inputs: Record<string, unknown>, provider?: string) =>
    cloud.newResource({ type, name, inputs, provider, custom: true });

describe("the mock cloud", () => {
    describe("in an update, returns what the provider always computes", () => {
        it("gives an account the email of its own project", () => {
            const { id, state } = register(new MockCloud({ defaultProject: "netra-staging" }), "gcp:serviceaccount/account:Account", "sa", {
                accountId: "netra-api-run",
                project: "other-project",
            });
            expect(state.email).to.equal("netra-api-run@other-project.iam.gserviceaccount.com");
            expect(state.member).to.equal("serviceAccount:netra-api-run@other-project.iam.gserviceaccount.com");
            expect(id).to.equal("projects/other-project/serviceAccounts/netra-api-run@other-project.iam.gserviceaccount.com");
        });

        it("gives an account declared without a project the default provider's project (gcp:project), and fills in `project`", () => {
            const { state } = register(new MockCloud({ defaultProject: "netra-staging" }), "gcp:serviceaccount/account:Account", "sa", {
                accountId: "worker",
            });
            expect(state.email).to.equal("worker@netra-staging.iam.gserviceaccount.com");
            expect(state.project).to.equal("netra-staging");
        });

        it("uses an explicit provider's project for the resources it manages", () => {
            const cloud = new MockCloud({ defaultProject: "netra-staging" });
            const provider = register(cloud, "pulumi:providers:gcp", "analytics", { project: "netra-analytics" });
            const { state } = register(cloud, "gcp:serviceaccount/account:Account", "sa", { accountId: "etl" }, `urn:x::${provider.id}`);
            expect(state.email).to.equal("etl@netra-analytics.iam.gserviceaccount.com");
        });

        it("gives a v2 service its uri and urls, and a v1 service its statuses[0].url", () => {
            const cloud = new MockCloud({ defaultProject: "netra-staging" });
            const v2 = register(cloud, "gcp:cloudrunv2/service:Service", "api", { name: "netra-api", location: "us-central1" });
            expect(v2.id).to.equal("projects/netra-staging/locations/us-central1/services/netra-api");
            expect(v2.state.uri).to.match(/^https:\/\/netra-api-[0-9]{10}\.a\.run\.app$/);
            expect(v2.state.urls).to.deep.equal([v2.state.uri]);
            const v1 = register(cloud, "gcp:cloudrun/service:Service", "legacy", { name: "hello", location: "us-central1" });
            expect(v1.id).to.equal("locations/us-central1/namespaces/netra-staging/services/hello");
            const statuses = v1.state.statuses as { url: string; conditions: { type: string; status: string }[] }[];
            expect(statuses[0].url).to.match(/^https:\/\/hello-[0-9]{10}\.a\.run\.app$/);
            expect(statuses[0].conditions).to.deep.include({ type: "Ready", status: "True", message: "", reason: "" });
        });

        it("names a service declared without `name` as Pulumi's auto-naming does, and builds its id and URL from that name", () => {
            const { id, state } = register(new MockCloud({ defaultProject: "netra-staging" }), "gcp:cloudrunv2/service:Service", "hello", {
                location: "us-central1",
            });
            expect(state.name).to.match(/^hello-[0-9a-f]{7}$/);
            expect(id).to.equal(`projects/netra-staging/locations/us-central1/services/${String(state.name)}`);
            expect(state.uri).to.match(new RegExp(`^https://${String(state.name)}-[0-9]{10}\\.a\\.run\\.app$`));
        });

        it("gives a gen2 function its url, also under serviceConfig, keeping the serviceConfig inputs", () => {
            const { state } = register(new MockCloud({ defaultProject: "netra-staging" }), "gcp:cloudfunctionsv2/function:Function", "fn", {
                name: "webhook",
                location: "us-central1",
                serviceConfig: { serviceAccountEmail: "fn@netra-staging.iam.gserviceaccount.com" },
            });
            expect(state.url).to.match(/^https:\/\/webhook-[0-9]{10}\.a\.run\.app$/);
            expect(state.serviceConfig).to.deep.include({
                serviceAccountEmail: "fn@netra-staging.iam.gserviceaccount.com",
                uri: state.url,
            });
        });
    });

    it("in a preview, returns the inputs only: computed outputs are unknown", () => {
        const { id, state } = register(
            new MockCloud({ preview: true, defaultProject: "netra-staging" }),
            "gcp:serviceaccount/account:Account",
            "sa",
            {
                accountId: "worker",
            },
        );
        expect(id).to.equal(undefined);
        expect(state).to.deep.equal({ accountId: "worker" });
    });

    it("in strict mode, refuses a type it does not know, naming it", () => {
        expect(() => register(new MockCloud({ strict: true }), "gcp:storage/bucket:Bucket", "b", {})).to.throw(
            'Unexpected resource gcp:storage/bucket:Bucket "b": the mock cloud does not know this type.',
        );
    });
});
