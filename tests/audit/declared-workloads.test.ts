import { expect } from "chai";
import { rmSync } from "node:fs";
import { declaredWorkloads, isDeclared } from "../../audit/declared-workloads";
import { UsageError } from "../../check/cli-args";
import { readStackFile } from "../../check/stack-file";
import { REPO_ROOT, scratchFiles } from "./support";

/** The Cloud Run names the stack file declares (a service added the README's way is among them). */
function stackFileServiceNames(): string[] {
    const file = readStackFile(REPO_ROOT, "staging");
    const services = JSON.parse(file.config["netra-platform:services"]) as Record<string, { name: string }>;
    return Object.values(services).map((service) => service.name);
}

describe("audit: the workloads the program declares", () => {
    it("runs index.ts with the stack's config and lists each Cloud Run service it declares, with its region", async () => {
        const limit = Error.stackTraceLimit;
        const declared = await declaredWorkloads(REPO_ROOT, readStackFile(REPO_ROOT, "staging"));
        expect(declared.map((workload) => workload.name).sort()).to.deep.equal(stackFileServiceNames().sort());
        expect(declared.every((workload) => workload.kind === "service" && workload.location === "us-central1")).to.equal(true);
        expect(Error.stackTraceLimit).to.equal(limit);
    });

    it("declares the same workloads when asked twice in one process (the program is loaded afresh each time)", async () => {
        const file = readStackFile(REPO_ROOT, "staging");
        const first = await declaredWorkloads(REPO_ROOT, file);
        const second = await declaredWorkloads(REPO_ROOT, file);
        expect(second).to.deep.equal(first);
        expect(second.map((workload) => workload.name).sort()).to.deep.equal(stackFileServiceNames().sort());
    });

    it("lists a job as a job and a worker pool as a worker pool with their regions, and skips a workload without a name and what is not a workload", async () => {
        const gcp = JSON.stringify(require.resolve("@pulumi/gcp"));
        const template = "template: { containers: [{ image: 'example.com/app@sha256:' + 'a'.repeat(64) }] }";
        const dir = scratchFiles({
            "index.ts": [
                `const gcp = require(${gcp});`,
                `new gcp.cloudrunv2.Job("migrate", { name: "netra-migrate", location: "europe-west1", template: { ${template} } });`,
                `new gcp.cloudrunv2.Service("api", { name: "netra-api", location: "us-central1", ${template} });`,
                `new gcp.cloudrunv2.WorkerPool("queue", { name: "netra-queue", location: "us-central1", ${template} });`,
                `new gcp.cloudrunv2.Service("unnamed", { location: "us-central1", ${template} });`,
                `new gcp.serviceaccount.Account("runner", { accountId: "netra-runner" });`,
                "",
            ].join("\n"),
        });
        try {
            // In the order the mocks register them, which is not the program's: sorted by name.
            const declared = await declaredWorkloads(dir, readStackFile(REPO_ROOT, "staging"));
            expect(declared.sort((a, b) => a.name.localeCompare(b.name))).to.deep.equal([
                { kind: "service", name: "netra-api", location: "us-central1" },
                { kind: "job", name: "netra-migrate", location: "europe-west1" },
                { kind: "worker pool", name: "netra-queue", location: "us-central1" },
            ]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses a folder without the program, naming it", async () => {
        const dir = scratchFiles({});
        let failure: unknown;
        try {
            await declaredWorkloads(dir, readStackFile(REPO_ROOT, "staging"));
        } catch (error) {
            failure = error;
        }
        expect(failure).to.be.instanceOf(UsageError);
        expect((failure as Error).message).to.equal(
            "--stack: index.ts: no such file; the audit compares live resources with what it declares",
        );
    });

    describe("a live workload is declared", () => {
        const declared = [
            { kind: "service", name: "netra-api", location: "us-central1" },
            { kind: "job", name: "netra-migrate", location: undefined },
        ] as const;

        it("when kind, name and region match", () => {
            expect(isDeclared({ kind: "service", name: "netra-api", location: "us-central1" }, declared)).to.equal(true);
        });

        it("when either side does not say its region", () => {
            expect(isDeclared({ kind: "service", name: "netra-api", location: undefined }, declared)).to.equal(true);
            expect(isDeclared({ kind: "job", name: "netra-migrate", location: "europe-west1" }, declared)).to.equal(true);
        });

        it("not when the region, the name or the kind differs", () => {
            expect(isDeclared({ kind: "service", name: "netra-api", location: "europe-west1" }, declared)).to.equal(false);
            expect(isDeclared({ kind: "service", name: "netra-web", location: "us-central1" }, declared)).to.equal(false);
            expect(isDeclared({ kind: "job", name: "netra-api", location: "us-central1" }, declared)).to.equal(false);
            expect(isDeclared({ kind: "service", name: "netra-migrate", location: undefined }, declared)).to.equal(false);
            expect(isDeclared({ kind: "service", name: "netra-api", location: "us-central1" }, [])).to.equal(false);
        });
    });
});
