/**
 * The asynchronous variant: when a Cloud Run process is still undecided, ask the metadata server for the
 * project id, once, with a short deadline. Like gcp-metadata, the metadata server is the last resort, after
 * every variable has been read.
 */

import * as http from "node:http";
import { decideEnvironment, type DetectionResult } from "./detect";
import { echo } from "./echo";
import { EnvironmentDetectionError } from "./errors";
import { environmentsNamedBy, readEnvironment, readVariable, type EnvironmentVariables } from "./signals";

/** Default deadline for the metadata request, in milliseconds: a metadata server answers in a few. */
export const DEFAULT_METADATA_TIMEOUT_MS = 500;

/** Largest deadline accepted, in milliseconds: start-up must never hang on a dead server. */
export const MAX_METADATA_TIMEOUT_MS = 5000;

/** The variable that moves the metadata server (emulators, tests), as in gcp-metadata. */
export const METADATA_HOST_VARIABLE = "GCE_METADATA_HOST";

/** The key under which the metadata server's project id appears in `signals`. */
export const METADATA_PROJECT_ID_SIGNAL = "metadata:project-id";

/** Where the metadata server answers when `GCE_METADATA_HOST` is unset. */
export const DEFAULT_METADATA_HOST = "169.254.169.254";
/** The one request made. */
export const PROJECT_ID_PATH = "/computeMetadata/v1/project/project-id";
/** The header the request carries and the answer must carry back, with this value. */
export const FLAVOR_HEADER = "Metadata-Flavor";
export const FLAVOR = "Google";
/** A project id is at most 30 characters (plus a legacy `domain:` prefix); anything longer is not one. */
export const MAX_ANSWER_CHARS = 256;
/** A project id, whole (anchored by each language: `^...$` here, `fullmatch` in Python). */
export const PROJECT_ID_PATTERN = "(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]";
const PROJECT_ID = new RegExp(`^${PROJECT_ID_PATTERN}$`);

/** Options for `detectEnvironmentWithMetadata`. */
export interface MetadataOptions {
    /** Deadline for the whole request (connect, headers, body) in milliseconds; default 500, at most 5000. */
    readonly timeoutMs?: number;
}

/** The metadata server's answer: a project id, or why there is none (a clause for the `no-signal` message). */
type ProjectIdAnswer = { readonly projectId: string } | { readonly failure: string };

/**
 * One request per metadata URL and deadline for the life of the process; failures are remembered too, so a dead
 * server costs one timeout, while a caller allowing a longer deadline than an earlier one gets a request of its own.
 */
const answers = new Map<string, Promise<ProjectIdAnswer>>();

/**
 * `detectEnvironment`, plus one last source: on Cloud Run with `ENVIRONMENT` unset and no signal naming an
 * environment, the project id from the metadata server (`GET /computeMetadata/v1/project/project-id` with
 * `Metadata-Flavor: Google` at `GCE_METADATA_HOST`, default 169.254.169.254) is read as one more signal,
 * `metadata:project-id`. In every other case no request is made and the answer is `detectEnvironment`'s.
 *
 * The request is made at most once per metadata host in the process; the answer, or the failure, is cached.
 * When the server does not answer within the deadline, answers without `Metadata-Flavor: Google`, answers with
 * another status, or answers with something that is not a project id, the promise rejects with the `no-signal`
 * error, whose message says what the server did; it rejects the same way when the project id names no environment.
 *
 * @throws RangeError when `timeoutMs` is not a number from 1 to 5000 (a programming error).
 * @throws EnvironmentDetectionError for every detection failure, as `detectEnvironment`.
 */
export async function detectEnvironmentWithMetadata(env: EnvironmentVariables, options: MetadataOptions = {}): Promise<DetectionResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS;
    if (!(timeoutMs >= 1 && timeoutMs <= MAX_METADATA_TIMEOUT_MS)) {
        throw new RangeError(`timeoutMs must be from 1 to ${MAX_METADATA_TIMEOUT_MS} milliseconds; got ${timeoutMs}.`);
    }
    const { explicit, reading } = readEnvironment(env);
    try {
        return decideEnvironment(explicit, reading);
    } catch (error) {
        // Only `no-signal` (which happens only on Cloud Run) is worth a request; every other verdict stands.
        if (!(error instanceof EnvironmentDetectionError) || error.code !== "no-signal") {
            throw error;
        }
    }
    const answer = await projectIdAnswer(env, timeoutMs);
    if ("failure" in answer) {
        return decideEnvironment(explicit, reading, answer.failure); // still undecided: throws `no-signal`, saying why
    }
    const signal = { value: answer.projectId, environments: environmentsNamedBy(answer.projectId) };
    return decideEnvironment(explicit, { ...reading, signals: { ...reading.signals, [METADATA_PROJECT_ID_SIGNAL]: signal } });
}

function projectIdAnswer(env: EnvironmentVariables, timeoutMs: number): Promise<ProjectIdAnswer> {
    const host = readVariable(env, METADATA_HOST_VARIABLE) ?? DEFAULT_METADATA_HOST;
    let url: URL;
    try {
        // gcp-metadata accepts a bare host[:port] as well as a URL.
        url = new URL(PROJECT_ID_PATH, /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`);
    } catch {
        return Promise.resolve({ failure: `\`${METADATA_HOST_VARIABLE}\` (${echo(host)}) is not a host` });
    }
    if (url.protocol !== "http:") {
        return Promise.resolve({ failure: `\`${METADATA_HOST_VARIABLE}\` (${echo(host)}) is not an http host` });
    }
    const key = `${timeoutMs} ${url.href}`;
    let answer = answers.get(key);
    if (answer === undefined) {
        answer = requestProjectId(url, timeoutMs);
        answers.set(key, answer);
    }
    return answer;
}

/** One GET under one deadline; resolves with a failure rather than rejecting, so the cached promise never rejects. */
function requestProjectId(url: URL, timeoutMs: number): Promise<ProjectIdAnswer> {
    const server = `the metadata server at ${echo(url.host)}`;
    const notAProjectId: ProjectIdAnswer = { failure: `${server} answered with something that is not a project id` };
    return new Promise<ProjectIdAnswer>((resolve) => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        // Idempotent: the first answer wins. Aborting frees the socket when the answer came before the body ended.
        const settle = (answer: ProjectIdAnswer): void => {
            clearTimeout(timer);
            resolve(answer);
            controller.abort();
        };
        const broken = (error: NodeJS.ErrnoException): void =>
            settle({
                failure: controller.signal.aborted
                    ? `${server} did not answer within ${timeoutMs} ms`
                    : `${server} could not be reached (${echo(error.code ?? error.message)})`,
            });
        // agent: false: a pooled keep-alive socket would outlive the request.
        const request = http.get(url, { headers: { [FLAVOR_HEADER]: FLAVOR }, signal: controller.signal, agent: false }, (response) => {
            response.on("error", broken);
            if (response.statusCode !== 200) {
                settle({ failure: `${server} answered with HTTP ${response.statusCode}` });
                return;
            }
            if (response.headers[FLAVOR_HEADER.toLowerCase()] !== FLAVOR) {
                settle({ failure: `${server} answered without \`${FLAVOR_HEADER}: ${FLAVOR}\`` });
                return;
            }
            let body = "";
            // Stryker disable next-line StringLiteral: Node's string decoder reads an empty encoding name as utf8.
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => {
                body += chunk;
                if (body.length > MAX_ANSWER_CHARS) {
                    settle(notAProjectId);
                }
            });
            response.on("end", () => {
                const projectId = body.trim();
                settle(PROJECT_ID.test(projectId) ? { projectId } : notAProjectId);
            });
        });
        request.on("error", broken);
    });
}
