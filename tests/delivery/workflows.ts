/**
 * Reads the repository's GitHub Actions files (workflows and the local composite action) into typed
 * objects for the delivery tests. Shape checks belong to action-validator; this only gives the
 * tests names to walk the parsed YAML with.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** The repository root (tests/delivery is two levels down). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Where GitHub looks for workflows. */
export const WORKFLOWS_DIR = path.join(REPO_ROOT, ".github", "workflows");

/** The composite action that every job uses to set up Node and install dependencies. */
export const SETUP_ACTION_PATH = path.join(REPO_ROOT, ".github", "actions", "setup", "action.yml");

/** How a job refers to the setup action. */
export const SETUP_ACTION_REF = "./.github/actions/setup";

/** A value under `with:` as YAML parses it (GitHub turns them all into strings). */
export type InputValue = string | number | boolean;

/** One step of a job or a composite action. */
export interface Step {
    name?: string;
    uses?: string;
    with?: Record<string, InputValue>;
    run?: string;
    shell?: string;
    env?: Record<string, InputValue>;
    if?: string;
}

/** `concurrency:` in its long form. */
export interface Concurrency {
    group: string;
    "cancel-in-progress"?: boolean | string;
}

/** A job: either steps on a runner, or a call to a reusable workflow (`uses`). */
export interface Job {
    name?: string;
    needs?: string | string[];
    if?: string;
    uses?: string;
    secrets?: unknown;
    permissions?: Record<string, string>;
    environment?: string | { name: string };
    concurrency?: Concurrency;
    "runs-on"?: string;
    strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
    outputs?: Record<string, string>;
    steps?: Step[];
}

/** A workflow file. */
export interface Workflow {
    name: string;
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    concurrency?: Concurrency;
    jobs: Record<string, Job>;
}

/** A workflow with where it came from. */
export interface WorkflowFile {
    /** File name inside .github/workflows, e.g. `main.yml`. */
    file: string;
    /** Raw text, for checks that are about spelling (`secrets.`) rather than structure. */
    text: string;
    workflow: Workflow;
}

/** The composite action file. */
export interface CompositeAction {
    name: string;
    description: string;
    runs: { using: string; steps: Step[] };
}

/** Every workflow file in .github/workflows, sorted by name. */
export function readWorkflows(): WorkflowFile[] {
    return fs
        .readdirSync(WORKFLOWS_DIR)
        .filter((file) => file.endsWith(".yml") || file.endsWith(".yaml"))
        .sort()
        .map((file) => {
            const text = fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8");
            return { file, text, workflow: parse(text) as Workflow };
        });
}

/** One workflow by file name; throws when it is missing so a test names the file. */
export function readWorkflow(file: string): WorkflowFile {
    const found = readWorkflows().find((candidate) => candidate.file === file);
    if (!found) {
        throw new Error(`.github/workflows/${file} does not exist`);
    }
    return found;
}

/** The parsed setup action. */
export function readSetupAction(): CompositeAction {
    return parse(fs.readFileSync(SETUP_ACTION_PATH, "utf8")) as CompositeAction;
}

/** A step with the workflow and job it belongs to, for messages. */
export interface LocatedStep {
    file: string;
    job: string;
    step: Step;
}

/** Every step of every job of every workflow (called workflows have no steps of their own). */
export function allSteps(files: WorkflowFile[]): LocatedStep[] {
    return files.flatMap(({ file, workflow }) =>
        Object.entries(workflow.jobs).flatMap(([job, definition]) => (definition.steps ?? []).map((step) => ({ file, job, step }))),
    );
}

/** The steps that use `action` (owner/name, without the version). */
export function stepsUsing(files: WorkflowFile[], action: string): LocatedStep[] {
    return allSteps(files).filter(({ step }) => step.uses !== undefined && step.uses.split("@")[0] === action);
}

/** `needs` as a list. */
export function needsOf(job: Job): string[] {
    return job.needs === undefined ? [] : typeof job.needs === "string" ? [job.needs] : job.needs;
}
