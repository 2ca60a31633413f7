import { expect } from "chai";
import { answerInvoke, answersOffline, InvokeLog, projectNumberOf } from "../../check/offline-invokes";
import { MockCloud } from "../../check/mock-cloud";

const CONFIG = { "gcp:project": "netra-staging", "gcp:region": "us-central1" };

describe("invokes answered offline", () => {
    it("answers getClientConfig with the provider's project and region from the stack config, and no access token", () => {
        expect(answerInvoke("gcp:organizations/getClientConfig:getClientConfig", {}, CONFIG)).to.deep.equal({
            kind: "stack-config",
            result: { id: "projects/netra-staging/regions/us-central1/zones/", project: "netra-staging", region: "us-central1" },
        });
    });

    it("answers getProject for the stack's project or the one asked for, with a stable all-digit stand-in number", () => {
        const own = answerInvoke("gcp:organizations/getProject:getProject", {}, CONFIG);
        expect(own?.result.projectId).to.equal("netra-staging");
        expect(own?.result.id).to.equal("projects/netra-staging");
        expect(own?.result.number).to.match(/^\d{6,}$/);
        expect(own?.result.number).to.equal(projectNumberOf("netra-staging"));
        expect(answerInvoke("gcp:organizations/getProject:getProject", { projectId: "other" }, CONFIG)?.result.projectId).to.equal("other");
        expect(projectNumberOf("other")).not.to.equal(projectNumberOf("netra-staging"));
    });

    it("builds getIAMPolicy's document from its bindings, members sorted, as the provider does without calling Google", () => {
        const answer = answerInvoke(
            "gcp:organizations/getIAMPolicy:getIAMPolicy",
            { bindings: [{ role: "roles/run.invoker", members: ["user:b@x.com", "serviceAccount:a@x.com"] }] },
            CONFIG,
        );
        expect(answer?.kind).to.equal("computed");
        expect(JSON.parse(String(answer?.result.policyData))).to.deep.equal({
            bindings: [{ role: "roles/run.invoker", members: ["serviceAccount:a@x.com", "user:b@x.com"] }],
        });
    });

    it("answers nothing it cannot know: the program sees an unknown", () => {
        expect(answersOffline("gcp:secretmanager/getSecretVersion:getSecretVersion")).to.equal(false);
        expect(answerInvoke("gcp:secretmanager/getSecretVersion:getSecretVersion", { secret: "s" }, CONFIG)).to.equal(undefined);
        expect(answersOffline("toString")).to.equal(false);
        expect(answersOffline("__proto__")).to.equal(false);
    });

    it("counts each token once per call, in first-call order", () => {
        const log = new InvokeLog();
        log.record("b", "unknown");
        log.record("a", "computed");
        log.record("b", "unknown");
        expect(log.list()).to.deep.equal([
            { token: "b", answer: "unknown", count: 2 },
            { token: "a", answer: "computed", count: 1 },
        ]);
    });

    it("the mock cloud answers from the table, records the answer, and in strict mode refuses with a message the SDK keeps", () => {
        const cloud = new MockCloud({ config: CONFIG });
        expect(cloud.call({ token: "gcp:organizations/getProject:getProject", inputs: {}, provider: "" }).projectId).to.equal(
            "netra-staging",
        );
        expect(cloud.call({ token: "gcp:compute/getNetwork:getNetwork", inputs: {}, provider: "" })).to.deep.equal({});
        expect(cloud.invokes.list()).to.deep.equal([
            { token: "gcp:organizations/getProject:getProject", answer: "stack-config", count: 1 },
            { token: "gcp:compute/getNetwork:getNetwork", answer: "unknown", count: 1 },
        ]);
        const strict = new MockCloud({ strict: true });
        let thrown: unknown;
        try {
            strict.call({ token: "gcp:compute/getNetwork:getNetwork", inputs: {}, provider: "" });
        } catch (error) {
            thrown = error;
        }
        // The SDK re-wraps a failed invoke as new Error(err.details): details must carry the message.
        expect((thrown as { details?: string }).details).to.equal(
            "Unexpected invoke gcp:compute/getNetwork:getNetwork: Netra's program makes no provider calls.",
        );
    });
    it("gives a stand-in project number from the first 11 hex digits of the id's SHA-256", () => {
        expect(projectNumberOf("netra-staging")).to.equal("1825379862697");
    });

    it("answers getProject for the stack's project when the one asked for is empty or not text, and nothing without a project", () => {
        for (const projectId of ["", 7, undefined]) {
            expect(answerInvoke("gcp:organizations/getProject:getProject", { projectId }, CONFIG)?.result, String(projectId)).to.deep.equal(
                {
                    id: "projects/netra-staging",
                    projectId: "netra-staging",
                    number: "1825379862697",
                },
            );
        }
        expect(answerInvoke("gcp:organizations/getProject:getProject", {}, {})).to.deep.equal({ kind: "stack-config", result: {} });
    });

    it("answers getClientConfig with the zone when the stack sets one, and empty parts when it sets nothing", () => {
        expect(
            answerInvoke("gcp:organizations/getClientConfig:getClientConfig", {}, { ...CONFIG, "gcp:zone": "us-central1-a" })?.result,
        ).to.deep.equal({
            id: "projects/netra-staging/regions/us-central1/zones/us-central1-a",
            project: "netra-staging",
            region: "us-central1",
            zone: "us-central1-a",
        });
        expect(answerInvoke("gcp:organizations/getClientConfig:getClientConfig", {}, {})?.result).to.deep.equal({
            id: "projects//regions//zones/",
        });
    });

    it("builds an empty policy document without bindings, and keeps audit configs and conditions", () => {
        expect(answerInvoke("gcp:organizations/getIAMPolicy:getIAMPolicy", {}, {})).to.deep.equal({
            kind: "computed",
            result: { policyData: "{}", id: "44136fa355b3678a" },
        });
        expect(
            answerInvoke(
                "gcp:organizations/getIAMPolicy:getIAMPolicy",
                { auditConfigs: [{ service: "allServices" }], bindings: [{ role: "r", members: "x", condition: { title: "t" } }] },
                {},
            ),
        ).to.deep.equal({
            kind: "computed",
            result: {
                policyData: '{"auditConfigs":[{"service":"allServices"}],"bindings":[{"role":"r","members":[],"condition":{"title":"t"}}]}',
                id: "78e3b078647377b6",
            },
        });
        expect(
            answerInvoke("gcp:organizations/getIAMPolicy:getIAMPolicy", { auditConfigs: [], bindings: "x" }, {})?.result.policyData,
        ).to.equal("{}");
    });

    it("knows only its own tokens, not names every object has", () => {
        expect(["toString", "constructor", "__proto__", ""].map(answersOffline)).to.deep.equal([false, false, false, false]);
        expect(answerInvoke("toString", {}, CONFIG)).to.equal(undefined);
    });

    it("keeps the latest answer of a token called again", () => {
        const log = new InvokeLog();
        log.record("t", "unknown");
        log.record("t", "computed");
        expect(log.list()).to.deep.equal([{ token: "t", answer: "computed", count: 2 }]);
    });
});
