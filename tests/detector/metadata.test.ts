import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { EnvironmentDetectionError } from "../../detector/errors";
import { detectEnvironmentWithMetadata } from "../../detector/metadata";

/** A stand-in metadata server on 127.0.0.1 that records every request it receives. */
interface FakeMetadataServer {
    /** `127.0.0.1:<port>`, the value for GCE_METADATA_HOST. */
    readonly host: string;
    readonly requests: { method?: string; url?: string; flavor?: string | string[] }[];
    close(): Promise<void>;
}

async function startServer(answer: (response: http.ServerResponse) => void): Promise<FakeMetadataServer> {
    const requests: FakeMetadataServer["requests"] = [];
    const server = http.createServer((request, response) => {
        requests.push({ method: request.method, url: request.url, flavor: request.headers["metadata-flavor"] });
        answer(response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        host: `127.0.0.1:${port}`,
        requests,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

const GOOGLE = { "Metadata-Flavor": "Google" };

/** Answers every request with `body`, the status and the headers given. */
const answering =
    (body: string, status = 200, headers: http.OutgoingHttpHeaders = GOOGLE) =>
    (response: http.ServerResponse): void => {
        response.writeHead(status, { "Content-Type": "application/text", ...headers });
        response.end(body);
    };

/** A Cloud Run service whose name and variables name no environment: only the metadata server can help. */
const UNDECIDED = { K_SERVICE: "netra-product-api", NODE_ENV: "production" };

function noSignal(seen: string, because?: string): string {
    return (
        `Cannot tell the environment on this Cloud Run service: \`ENVIRONMENT\` is not set and no signal names one (${seen})` +
        `${because === undefined ? "" : `; ${because}`}. Set ENVIRONMENT to one of: development, test, staging, production.`
    );
}

/** The rejection of `promise`, failing the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
    try {
        await promise;
    } catch (error) {
        return error;
    }
    expect.fail("expected a rejection");
}

async function detectionFailure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
    const error = await rejectionOf(promise);
    expect(error).to.be.instanceOf(EnvironmentDetectionError);
    const { code, message } = error as EnvironmentDetectionError;
    return { code, message };
}

/** The longest deadline allowed, for a server that answers: on a loaded machine 500 ms can pass before it does. */
const PATIENT = { timeoutMs: 5000 };

describe("detectEnvironmentWithMetadata against a local metadata server", () => {
    const servers: FakeMetadataServer[] = [];
    async function server(answer: (response: http.ServerResponse) => void): Promise<FakeMetadataServer> {
        const started = await startServer(answer);
        servers.push(started);
        return started;
    }
    afterEach(async () => {
        await Promise.all(servers.splice(0).map((started) => started.close()));
    });

    it("asks GET /computeMetadata/v1/project/project-id with Metadata-Flavor: Google and decides from the project id", async () => {
        const metadata = await server(answering("netra-staging\n"));
        const result = await detectEnvironmentWithMetadata({ ...UNDECIDED, GCE_METADATA_HOST: metadata.host }, PATIENT);
        expect(result).to.deep.equal({
            environment: "staging",
            source: "platform",
            platform: "cloud-run-service",
            signals: {
                K_SERVICE: { value: "netra-product-api", environments: [] },
                "metadata:project-id": { value: "netra-staging", environments: ["staging"] },
            },
            warnings: [
                "`ENVIRONMENT` is not set; staging was inferred from metadata:project-id. Set ENVIRONMENT=staging on the Cloud Run service.",
            ],
        });
        expect(metadata.requests).to.deep.equal([{ method: "GET", url: "/computeMetadata/v1/project/project-id", flavor: "Google" }]);
    });

    it("accepts GCE_METADATA_HOST written as a URL", async () => {
        const metadata = await server(answering("netra-prod"));
        const result = await detectEnvironmentWithMetadata(
            {
                CLOUD_RUN_JOB: "netra-db-migrate",
                GCE_METADATA_HOST: `http://${metadata.host}/`,
            },
            PATIENT,
        );
        expect([result.environment, result.source, result.platform]).to.deep.equal(["production", "platform", "cloud-run-job"]);
    });

    it("still cannot decide when the project id names no environment", async () => {
        const metadata = await server(answering("netra-product"));
        const failure = await detectionFailure(detectEnvironmentWithMetadata({ ...UNDECIDED, GCE_METADATA_HOST: metadata.host }, PATIENT));
        expect(failure).to.deep.equal({
            code: "no-signal",
            message: noSignal("K_SERVICE=netra-product-api, metadata:project-id=netra-product"),
        });
    });

    it("gives up at the deadline when the server never answers, and says so", async () => {
        const metadata = await server(() => undefined);
        const started = Date.now();
        const failure = await detectionFailure(
            detectEnvironmentWithMetadata({ ...UNDECIDED, GCE_METADATA_HOST: metadata.host }, { timeoutMs: 150 }),
        );
        expect(failure).to.deep.equal({
            code: "no-signal",
            message: noSignal("K_SERVICE=netra-product-api", `the metadata server at ${metadata.host} did not answer within 150 ms`),
        });
        expect(metadata.requests).to.have.length(1);
        expect(Date.now() - started).to.be.below(5000); // generous: proves the deadline holds, not how fast the machine is
    });

    it("waits 500 ms by default", async () => {
        const metadata = await server(() => undefined);
        const started = Date.now();
        const failure = await detectionFailure(detectEnvironmentWithMetadata({ ...UNDECIDED, GCE_METADATA_HOST: metadata.host }));
        expect(failure.message).to.equal(
            noSignal("K_SERVICE=netra-product-api", `the metadata server at ${metadata.host} did not answer within 500 ms`),
        );
        expect(Date.now() - started).to.be.below(5000);
    });

    /** Answers that are not the metadata server's project id, each with the clause the `no-signal` message ends with. */
    const refusals: [string, (response: http.ServerResponse) => void, (host: string) => string][] = [
        [
            "rejects an answer without Metadata-Flavor: Google (not the metadata server)",
            answering("netra-staging", 200, {}),
            (host) => `the metadata server at ${host} answered without \`Metadata-Flavor: Google\``,
        ],
        [
            "rejects a garbage answer",
            answering("<html><body>Gateway says hello</body></html>"),
            (host) => `the metadata server at ${host} answered with something that is not a project id`,
        ],
        [
            "rejects an answer far longer than a project id",
            answering(`netra-staging${"-x".repeat(50_000)}`),
            (host) => `the metadata server at ${host} answered with something that is not a project id`,
        ],
        ["rejects an error status", answering("not found", 404), (host) => `the metadata server at ${host} answered with HTTP 404`],
    ];
    for (const [title, answer, clause] of refusals) {
        it(title, async () => {
            const metadata = await server(answer);
            const failure = await detectionFailure(
                detectEnvironmentWithMetadata({ ...UNDECIDED, GCE_METADATA_HOST: metadata.host }, PATIENT),
            );
            expect(failure).to.deep.equal({ code: "no-signal", message: noSignal("K_SERVICE=netra-product-api", clause(metadata.host)) });
        });
    }
    it("stops reading at the 257th character of an answer that never ends", async () => {
        const metadata = await server((response) => {
            response.writeHead(200, GOOGLE);
            response.write(`netra-staging${"-x".repeat(200)}`);
        });
        const failure = await detectionFailure(detectEnvironmentWithMetadata({ ...UNDECIDED, GCE_METADATA_HOST: metadata.host }, PATIENT));
        expect(failure.message).to.equal(
            noSignal(
                "K_SERVICE=netra-product-api",
                `the metadata server at ${metadata.host} answered with something that is not a project id`,
            ),
        );
    });

    it("reads an answer of 256 characters, the most a project id with a domain prefix may have here", async () => {
        const projectId = `${"d".repeat(256 - ":netra-staging".length)}:netra-staging`;
        expect(projectId).to.have.length(256);
        const metadata = await server(answering(projectId));
        const result = await detectEnvironmentWithMetadata({ ...UNDECIDED, GCE_METADATA_HOST: metadata.host }, PATIENT);
        expect(result.signals["metadata:project-id"]).to.deep.equal({ value: projectId, environments: ["staging"] });
    });

    it("reports an answer cut off before its end as a server that could not be reached", async () => {
        const metadata = await server((response) => {
            response.writeHead(200, { ...GOOGLE, "Content-Length": "100" });
            response.write("netra-", () => response.socket?.destroy());
        });
        const failure = await detectionFailure(detectEnvironmentWithMetadata({ ...UNDECIDED, GCE_METADATA_HOST: metadata.host }, PATIENT));
        expect(failure.message).to.equal(
            noSignal("K_SERVICE=netra-product-api", `the metadata server at ${metadata.host} could not be reached (ECONNRESET)`),
        );
    });

    it("takes GCE_METADATA_HOST as a URL only when it starts with scheme://, not when a later part holds one", async () => {
        const metadata = await server(answering("netra-staging"));
        const result = await detectEnvironmentWithMetadata({ ...UNDECIDED, GCE_METADATA_HOST: `${metadata.host}/x://y` }, PATIENT);
        expect(result.environment).to.equal("staging");
        expect(metadata.requests).to.deep.equal([{ method: "GET", url: "/computeMetadata/v1/project/project-id", flavor: "Google" }]);
    });

    it("reports a server that refuses the connection", async () => {
        const closed = await startServer(answering("unused"));
        await closed.close();
        const failure = await detectionFailure(detectEnvironmentWithMetadata({ ...UNDECIDED, GCE_METADATA_HOST: closed.host }));
        expect(failure.message).to.equal(
            noSignal("K_SERVICE=netra-product-api", `the metadata server at ${closed.host} could not be reached (ECONNREFUSED)`),
        );
    });

    it("makes one request for two calls, one after the other", async () => {
        const metadata = await server(answering("netra-staging"));
        const env = { ...UNDECIDED, GCE_METADATA_HOST: metadata.host };
        const first = await detectEnvironmentWithMetadata(env, PATIENT);
        const second = await detectEnvironmentWithMetadata(env, PATIENT);
        expect(second).to.deep.equal(first);
        expect(metadata.requests).to.have.length(1);
    });

    it("makes one request for two concurrent calls", async () => {
        const metadata = await server(answering("netra-staging"));
        const env = { ...UNDECIDED, GCE_METADATA_HOST: metadata.host };
        const [first, second] = await Promise.all([
            detectEnvironmentWithMetadata(env, PATIENT),
            detectEnvironmentWithMetadata(env, PATIENT),
        ]);
        expect(second).to.deep.equal(first);
        expect(metadata.requests).to.have.length(1);
    });

    it("remembers a failure too: a dead server costs one deadline, not one per call", async () => {
        const metadata = await server(() => undefined);
        const env = { ...UNDECIDED, GCE_METADATA_HOST: metadata.host };
        const first = await detectionFailure(detectEnvironmentWithMetadata(env, { timeoutMs: 100 }));
        const second = await detectionFailure(detectEnvironmentWithMetadata(env, { timeoutMs: 100 }));
        expect(second).to.deep.equal(first);
        expect(metadata.requests).to.have.length(1);
    });

    describe("makes no request when the variables settle the question", () => {
        const cases: [string, Record<string, string>, string][] = [
            ["an explicit ENVIRONMENT", { ...UNDECIDED, ENVIRONMENT: "stage" }, "staging"],
            ["agreeing Cloud Run signals", { K_SERVICE: "netra-backend-staging" }, "staging"],
            ["off Cloud Run", { GCP_PROJECT_ID: "netra-product", NODE_ENV: "production" }, "development"],
        ];
        for (const [what, env, environment] of cases) {
            it(what, async () => {
                const metadata = await server(answering("netra-prod"));
                const result = await detectEnvironmentWithMetadata({ ...env, GCE_METADATA_HOST: metadata.host });
                expect(result.environment).to.equal(environment);
                expect(metadata.requests).to.have.length(0);
            });
        }

        it("disagreeing signals (the metadata server would not settle them)", async () => {
            const metadata = await server(answering("netra-staging"));
            const env = { K_SERVICE: "netra-backend-staging", GCP_PROJECT_ID: "netra-prod", GCE_METADATA_HOST: metadata.host };
            expect((await detectionFailure(detectEnvironmentWithMetadata(env))).code).to.equal("conflicting-signals");
            expect(metadata.requests).to.have.length(0);
        });

        it("an invalid ENVIRONMENT", async () => {
            const metadata = await server(answering("netra-staging"));
            const env = { ...UNDECIDED, ENVIRONMENT: "qa", GCE_METADATA_HOST: metadata.host };
            expect((await detectionFailure(detectEnvironmentWithMetadata(env))).code).to.equal("invalid-value");
            expect(metadata.requests).to.have.length(0);
        });
    });

    it("refuses a GCE_METADATA_HOST that is not an http host", async () => {
        for (const [host, reason] of [
            ["https://127.0.0.1:1", "is not an http host"],
            ["http://exa mple:80", "is not a host"],
        ]) {
            const failure = await detectionFailure(detectEnvironmentWithMetadata({ ...UNDECIDED, GCE_METADATA_HOST: host }));
            expect(failure.message).to.equal(noSignal("K_SERVICE=netra-product-api", `\`GCE_METADATA_HOST\` (${host}) ${reason}`));
        }
    });

    it("accepts a deadline of 1 ms and of 5000 ms", async () => {
        for (const timeoutMs of [1, 5000]) {
            const result = await detectEnvironmentWithMetadata({ K_SERVICE: "netra-backend-staging" }, { timeoutMs });
            expect(result.environment).to.equal("staging");
        }
    });

    it("rejects a deadline outside 1 to 5000 ms as a programming error", async () => {
        for (const timeoutMs of [0, -1, 5001, Number.NaN]) {
            const error = await rejectionOf(detectEnvironmentWithMetadata(UNDECIDED, { timeoutMs }));
            expect(error).to.be.instanceOf(RangeError);
            expect((error as RangeError).message).to.equal(`timeoutMs must be from 1 to 5000 milliseconds; got ${timeoutMs}.`);
        }
    });
});
