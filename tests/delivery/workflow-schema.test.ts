import * as fs from "fs";
import { validateAction, validateWorkflow, type ValidationError } from "@action-validator/core";
import { expect } from "chai";
import { parse, stringify } from "yaml";
import { readWorkflows, SETUP_ACTION_PATH, WORKFLOWS_DIR } from "./workflows";

/** A leaf error (one without nested `states`) as code, path and detail: what a reader needs to fix it. */
interface LeafError {
    code: string;
    path?: string;
    detail?: string;
}

/** The schema errors at the bottom of action-validator's oneOf trees. */
function leafErrors(errors: ValidationError[]): LeafError[] {
    return errors.flatMap((error) => {
        if ("states" in error && error.states !== undefined) {
            return leafErrors(error.states.flatMap((state) => state.errors));
        }
        return [{ code: error.code, path: "path" in error ? error.path : undefined, detail: error.detail }];
    });
}

describe("GitHub Actions files against GitHub's schemas (action-validator, offline)", () => {
    const workflowFiles = fs.readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file));

    it("finds the four workflows: checks, drift, main and pull-request", () => {
        expect(workflowFiles.sort()).to.deep.equal(["checks.yml", "drift.yml", "main.yml", "pull-request.yml"]);
    });

    for (const file of workflowFiles) {
        it(`validates .github/workflows/${file} as a workflow with no errors`, () => {
            const { actionType, errors } = validateWorkflow(fs.readFileSync(`${WORKFLOWS_DIR}/${file}`, "utf8"));
            expect({ actionType, errors }).to.deep.equal({ actionType: "workflow", errors: [] });
        });
    }

    it("validates .github/actions/setup/action.yml as an action with no errors", () => {
        const { actionType, errors } = validateAction(fs.readFileSync(SETUP_ACTION_PATH, "utf8"));
        expect({ actionType, errors }).to.deep.equal({ actionType: "action", errors: [] });
    });

    // The two checks above are only worth something if the validator rejects a broken file.
    it("rejects the main workflow once a job key is misspelt (the schema check can fail)", () => {
        const main = readWorkflows().find(({ file }) => file === "main.yml");
        expect(main, "main.yml").to.not.equal(undefined);
        const broken = parse(main!.text) as { jobs: { deploy: Record<string, unknown> } };
        broken.jobs.deploy.permisions = broken.jobs.deploy.permissions;
        delete broken.jobs.deploy.permissions;

        const result = validateWorkflow(stringify(broken));

        expect(result.errors.map((error) => ("path" in error ? error.path : undefined))).to.deep.equal(["/jobs/deploy"]);
        expect(leafErrors(result.errors)).to.deep.include({
            code: "properties",
            path: "/jobs/deploy",
            detail: "Additional property 'permisions' is not allowed",
        });
    });

    it("rejects the setup action once its npm ci step loses its shell (composite run steps need one)", () => {
        const broken = parse(fs.readFileSync(SETUP_ACTION_PATH, "utf8")) as { runs: { steps: Record<string, unknown>[] } };
        const runStep = broken.runs.steps.findIndex((step) => step.run !== undefined);
        delete broken.runs.steps[runStep].shell;

        const result = validateAction(stringify(broken));

        expect(leafErrors(result.errors)).to.deep.include({ code: "required", path: `/runs/steps/${runStep}/shell`, detail: undefined });
    });
});
