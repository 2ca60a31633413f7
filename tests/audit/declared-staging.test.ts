import { expect } from "chai";
import * as path from "node:path";
import type { AuditReport } from "../../audit/report";
import { declaredStagingExports } from "./declared-staging";
import { stagingStackFile } from "../support/staging-fixture";
import { audit, scratchFiles } from "./support";

/** The Cloud Run names the stack file declares (a service added the README's way is among them). */
function stackFileServiceNames(): string[] {
    const services = JSON.parse(stagingStackFile().config["netra-platform:services"]) as Record<string, { name: string }>;
    return Object.values(services)
        .map((service) => service.name)
        .sort();
}

describe("npm run audit on a staging project that runs exactly what the program declares", () => {
    let files: Record<string, unknown>;
    let report: AuditReport;
    let status: number | null;
    before(async () => {
        files = await declaredStagingExports();
        const dir = scratchFiles(files);
        const result = audit(["--stack", "staging", "--json", ...Object.keys(files).flatMap((file) => ["--from", path.join(dir, file)])]);
        expect(result.stderr).to.equal("");
        status = result.status;
        report = JSON.parse(result.stdout) as AuditReport;
    });

    it("exports every declared service, and one IAM policy per granted secret and for the project", () => {
        const services = files["services.json"] as { metadata: { name: string } }[];
        expect(services.map((service) => service.metadata.name).sort()).to.deep.equal([
            "netra-auth-service",
            "netra-backend-staging",
            "netra-frontend-staging",
        ]);
        expect(Object.keys(files)).to.include.members([
            "E2E_OAUTH_SIMULATION_KEY.secret-iam.json",
            "jwt-secret-staging.secret-iam.json",
            "netra-staging.project-iam.json",
        ]);
    });

    it("passes with exit 0: no mandatory violation, the grant policy judged, only the unpinned images advised", () => {
        expect(status).to.equal(0);
        expect(report.violations.filter((violation) => violation.enforcementLevel === "mandatory")).to.deep.equal([]);
        expect(report.notJudged).to.deep.equal([]);
        expect(new Set(report.violations.map((violation) => violation.policy))).to.deep.equal(
            new Set(["cloudrun-images-pinned-by-digest"]),
        );
    });

    it("finds every Cloud Run service managed by the stack", () => {
        const workloads = report.resources.filter((resource) => resource.type === "gcp:cloudrun/service:Service");
        expect(workloads.map((resource) => [resource.name, resource.managed]).sort()).to.deep.equal(
            stackFileServiceNames().map((name) => [name, true]),
        );
        expect(report.summary.unmanaged).to.equal(0);
    });
});
