import type * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { invokeError, MockCloud } from "../../check/mock-cloud";

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

        it("reads the default provider's project from the Pulumi runtime's config when it is given none, as the provider does", () => {
            const { runtime } = require("@pulumi/pulumi") as typeof pulumi;
            const before = runtime.getConfig("gcp:project");
            runtime.setConfig("gcp:project", "netra-from-stack");
            try {
                const { state } = register(new MockCloud(), "gcp:serviceaccount/account:Account", "sa", { accountId: "worker" });
                expect(state.email).to.equal("worker@netra-from-stack.iam.gserviceaccount.com");
            } finally {
                // Unset again (undefined is left out of the stored JSON) unless it was set before.
                runtime.setConfig("gcp:project", before as string);
            }
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
    describe("every other type it knows, in an update", () => {
        const cloud = () => new MockCloud({ defaultProject: "p1" });

        it("gives an IAM grant an id of its target, role and member, and an etag", () => {
            expect(
                register(cloud(), "gcp:secretmanager/secretIamMember:SecretIamMember", "g", {
                    secretId: "s",
                    role: "roles/x",
                    member: "user:a",
                }),
            ).to.deep.equal({
                id: "s/roles/x/user:a",
                state: { secretId: "s", role: "roles/x", member: "user:a", project: "p1", etag: "BwY10996610=" },
            });
            expect(
                register(cloud(), "gcp:projects/iAMMember:IAMMember", "g", { project: "p2", role: "roles/x", member: "user:a" }).id,
            ).to.equal("p2/roles/x/user:a");
            expect(
                register(cloud(), "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding", "g", { name: "svc", role: "roles/run.invoker" }).id,
            ).to.equal("svc/roles/run.invoker");
            expect(register(cloud(), "gcp:cloudrun/iamMember:IamMember", "g", { service: "old", role: "r", member: "m" }).id).to.equal(
                "old/r/m",
            );
            expect(
                register(cloud(), "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember", "g", { cloudFunction: "fn", role: "r" }).id,
            ).to.equal("fn/r");
        });

        it("gives a secret its name and a version its number", () => {
            expect(register(cloud(), "gcp:secretmanager/secret:Secret", "s", { secretId: "k" })).to.deep.equal({
                id: "projects/p1/secrets/k",
                state: { secretId: "k", project: "p1", name: "projects/p1/secrets/k", createTime: "2026-01-01T00:00:00Z" },
            });
            expect(
                register(cloud(), "gcp:secretmanager/secretVersion:SecretVersion", "v", { secret: "projects/p1/secrets/k" }),
            ).to.deep.equal({
                id: "projects/p1/secrets/k/versions/1",
                state: {
                    secret: "projects/p1/secrets/k",
                    project: "p1",
                    name: "projects/p1/secrets/k/versions/1",
                    version: "1",
                    enabled: true,
                },
            });
        });

        it("gives a job and a worker pool their v2 names, uid and etag", () => {
            expect(register(cloud(), "gcp:cloudrunv2/job:Job", "j", { name: "job", location: "eu" })).to.deep.equal({
                id: "projects/p1/locations/eu/jobs/job",
                state: { name: "job", location: "eu", project: "p1", uid: "602114047171277103", etag: '"602114047171"' },
            });
            expect(register(cloud(), "gcp:cloudrunv2/workerPool:WorkerPool", "w", { name: "wp", location: "eu" })).to.deep.equal({
                id: "projects/p1/locations/eu/workerPools/wp",
                state: { name: "wp", location: "eu", project: "p1", uid: "892329614062640470", etag: '"892329614062"' },
            });
        });

        it("gives a v1 service its Knative status", () => {
            expect(register(cloud(), "gcp:cloudrun/service:Service", "v1", { name: "old", location: "eu" })).to.deep.equal({
                id: "locations/eu/namespaces/p1/services/old",
                state: {
                    name: "old",
                    location: "eu",
                    project: "p1",
                    statuses: [
                        {
                            url: "https://old-9002497056.a.run.app",
                            latestReadyRevisionName: "old-00001-abc",
                            latestCreatedRevisionName: "old-00001-abc",
                            observedGeneration: 1,
                            conditions: [{ type: "Ready", status: "True", message: "", reason: "" }],
                            traffics: [],
                        },
                    ],
                },
            });
        });

        it("gives a v2 service its id, uri, uid, etag and latest revision", () => {
            expect(register(cloud(), "gcp:cloudrunv2/service:Service", "svc", { name: "api", location: "eu" })).to.deep.equal({
                id: "projects/p1/locations/eu/services/api",
                state: {
                    name: "api",
                    location: "eu",
                    project: "p1",
                    uri: "https://api-3485359571.a.run.app",
                    urls: ["https://api-3485359571.a.run.app"],
                    uid: "348535957152282151",
                    etag: '"348535957152"',
                    latestReadyRevision: "projects/p1/locations/eu/services/api/revisions/api-00001-abc",
                },
            });
        });

        it("gives fresh random bytes of the asked length, as hex and base64", () => {
            const first = register(cloud(), "random:index/randomBytes:RandomBytes", "key", { length: 32 });
            const second = register(cloud(), "random:index/randomBytes:RandomBytes", "key", { length: 32 });
            expect(first.id).to.equal("key");
            const hex = String(first.state.hex);
            expect(hex).to.match(/^[0-9a-f]{64}$/);
            expect(Buffer.from(String(first.state.base64), "base64").toString("hex")).to.equal(hex);
            expect(second.state.hex).not.to.equal(hex);
        });

        it("gives a type it does not know an id from its name, and fills in the project of a gcp resource only", () => {
            expect(register(cloud(), "gcp:storage/bucket:Bucket", "b", { x: 1 })).to.deep.equal({
                id: "b-id",
                state: { x: 1, project: "p1" },
            });
            expect(register(cloud(), "gcp:storage/bucket:Bucket", "b", { project: "own" })).to.deep.equal({
                id: "b-id",
                state: { project: "own" },
            });
            expect(register(cloud(), "random:index/randomId:RandomId", "r", { x: 1 })).to.deep.equal({ id: "r-id", state: { x: 1 } });
        });

        it("gives an explicit gcp provider an id and its inputs, and falls back to the default project when it sets none", () => {
            const mocks = cloud();
            expect(register(mocks, "pulumi:providers:gcp", "other", { region: "eu" })).to.deep.equal({
                id: "other-provider-id",
                state: { region: "eu" },
            });
            const { state } = register(
                mocks,
                "gcp:secretmanager/secret:Secret",
                "s",
                { secretId: "k" },
                "urn:pulumi:s::p::pulumi:providers:gcp::other::other-provider-id",
            );
            expect(state.project).to.equal("p1");
        });

        it("takes the default project from the stack config when none is given", () => {
            const mocks = new MockCloud({ config: { "gcp:project": "from-config" } });
            expect(register(mocks, "gcp:secretmanager/secret:Secret", "s", { secretId: "k" }).id).to.equal(
                "projects/from-config/secrets/k",
            );
        });
    });

    describe("strict mode", () => {
        it("accepts the types it computes, the gcp provider and the extra types it is told", () => {
            const mocks = new MockCloud({ strict: true, defaultProject: "p1", knownTypes: ["gcp:storage/bucket:Bucket"] });
            expect(register(mocks, "gcp:storage/bucket:Bucket", "b", {}).id).to.equal("b-id");
            expect(register(mocks, "pulumi:providers:gcp", "g", {}).id).to.equal("g-provider-id");
            expect(register(mocks, "gcp:secretmanager/secret:Secret", "s", { secretId: "k" }).id).to.equal("projects/p1/secrets/k");
        });

        it("refuses every invoke with an error whose details the SDK passes on", () => {
            const mocks = new MockCloud({ strict: true });
            expect(() => mocks.call({ token: "gcp:organizations/getProject:getProject", inputs: {} })).to.throw(
                "Unexpected invoke gcp:organizations/getProject:getProject: Netra's program makes no provider calls.",
            );
            expect(mocks.invokes.list()).to.deep.equal([]);
            expect(invokeError("why")).to.include({ message: "why", details: "why" });
        });
    });

    it("answers an invoke it cannot know with an empty result, and records it as unknown", () => {
        const mocks = new MockCloud();
        expect(mocks.call({ token: "gcp:secretmanager/getSecretVersion:getSecretVersion", inputs: {} })).to.deep.equal({});
        expect(mocks.invokes.list()).to.deep.equal([
            { token: "gcp:secretmanager/getSecretVersion:getSecretVersion", answer: "unknown", count: 1 },
        ]);
    });
});
