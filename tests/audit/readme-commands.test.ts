import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { AuditReport } from "../../audit/report";
import { readStackFile } from "../../check/stack-file";
import { declaredStagingExports } from "./declared-staging";
import { audit, REPO_ROOT, scratchFiles } from "./support";

/** The first shell block after the README heading `heading`, as lines. */
function shellBlockAfter(heading: string): string[] {
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf(`\n${heading}\n`));
    const block = /```sh\n([\s\S]*?)```/.exec(section);
    expect(block, `a sh block after ${heading}`).to.not.equal(null);
    return block![1].trim().split("\n");
}

describe("README: the four commands that audit the live project by hand", () => {
    const lines = shellBlockAfter("### Auditing the live project by hand");
    const stack = readStackFile(REPO_ROOT, "staging");

    it("are four: export services, export jobs, export worker pools, audit the three", () => {
        expect(lines).to.have.length(4);
        const project = stack.config["gcp:project"];
        const region = stack.config["gcp:region"];
        expect(lines[0]).to.match(
            new RegExp(`^gcloud run services list --project=${project} --region=${region} --format=json > (\\S+\\.json)$`),
        );
        expect(lines[1]).to.match(
            new RegExp(`^gcloud run jobs list --project=${project} --region=${region} --format=json > (\\S+\\.json)$`),
        );
        expect(lines[2]).to.match(
            new RegExp(`^gcloud run worker-pools list --project=${project} --region=${region} --format=json > (\\S+\\.json)$`),
        );
        expect(lines[3]).to.match(/^npm run audit -- --stack staging( --from \S+\.json)+$/);
    });

    it("audit exactly the files the three exports write, and pass on a project that runs what the program declares", async () => {
        const written = lines.slice(0, 3).map((line) => line.split(" > ")[1]);
        const audited = [...lines[3].matchAll(/--from (\S+)/g)].map((match) => match[1]);
        expect(audited).to.deep.equal(written);
        const services = (await declaredStagingExports())["services.json"];
        const dir = scratchFiles({ [written[0]]: services, [written[1]]: [], [written[2]]: [] });
        const args = lines[3]
            .replace(/^npm run audit -- /, "")
            .split(" ")
            .map((arg) => (written.includes(arg) ? path.join(dir, arg) : arg));
        const result = audit([...args, "--json"]);
        expect([result.status, result.stderr]).to.deep.equal([0, ""]);
        const report = JSON.parse(result.stdout) as AuditReport;
        expect([report.summary.mandatory, report.summary.unmanaged, report.notJudged.map((entry) => entry.policy)]).to.deep.equal([
            0,
            0,
            ["secret-access-scoped-to-service-account"],
        ]);
    });
});
