/**
 * Analyze calls for resources as they are registered, while the program still runs: the CLI's step
 * generator calls Analyze for each registration event as it arrives (pulumi/pulumi
 * pkg/resource/deploy/step_generator.go, `generateSteps` calls `analyzeAll` before the resource's
 * step runs) and AnalyzeStack once every step is done (deployment_executor.go calls
 * `AnalyzeResources`). Sending as they come lets the pack work on one core while the program runs
 * on the other, instead of after it.
 *
 * The answer is the one a single batch would give: violations in the order the resources were
 * added, and the same error wins. A resource that cannot be put on the wire fails the whole run
 * (whatever the pack said meanwhile), then a pack that could not start or be configured, then the
 * first call that failed.
 */

/** What the stream needs from a pack session. */
export interface AnalyzeCalls<Resource, Request, Violation> {
    /** Builds a resource's request; throws when it cannot be sent (checked for a whole batch before any call). */
    readonly build: (resource: Resource) => Request;
    /** Resolves once the pack is started and configured; rejects when it cannot be. */
    readonly ready: () => Promise<void>;
    /** One Analyze call. */
    readonly analyze: (request: Request, resource: Resource) => Promise<Violation[]>;
}

/** One queued call: the resource, its place in the run and its request. */
interface Pending<Resource, Request> {
    readonly index: number;
    readonly resource: Resource;
    readonly request: Request;
}

/** Sends Analyze for each resource added, at most `concurrency` calls at a time. */
export class AnalyzeStream<Resource, Request, Violation> {
    private readonly results: Violation[][] = [];
    private readonly queue: (Pending<Resource, Request> | undefined)[] = [];
    private head = 0;
    private active = 0;
    private added = 0;
    private wireError: { error: unknown } | undefined;
    private callError: { error: unknown } | undefined;
    private ready: Promise<void> | undefined;
    private settle: (() => void) | undefined;

    /** `concurrency`: at least 1. */
    constructor(
        private readonly calls: AnalyzeCalls<Resource, Request, Violation>,
        private readonly concurrency: number,
    ) {}

    /** Queues the next resources (every request of the batch is built before any of them is sent). */
    add(resources: readonly Resource[]): void {
        if (this.wireError !== undefined) {
            return;
        }
        const requests: Pending<Resource, Request>[] = [];
        try {
            for (const resource of resources) {
                requests.push({ index: this.added + requests.length, resource, request: this.calls.build(resource) });
            }
        } catch (error) {
            this.wireError = { error };
            return;
        }
        this.added += requests.length;
        for (const pending of requests) {
            this.queue.push(pending);
        }
        this.pump();
    }

    /** Every violation, in the order the resources were added, once every call has answered. */
    async finish(): Promise<Violation[]> {
        if (this.wireError !== undefined) {
            throw this.wireError.error;
        }
        if (!this.drained()) {
            await new Promise<void>((resolve) => {
                this.settle = resolve;
            });
        }
        if (this.callError !== undefined) {
            throw this.callError.error;
        }
        await this.whenReady(); // a run without resources still needs a working pack
        return this.results.flat();
    }

    private whenReady(): Promise<void> {
        this.ready ??= this.calls.ready();
        return this.ready;
    }

    /**
     * True when no call is in flight: then nothing waits in the queue either (`pump` sends while fewer
     * than `concurrency`, at least 1, are in flight), unless a call failed and nothing more is sent.
     */
    private drained(): boolean {
        return this.active === 0;
    }

    private pump(): void {
        while (this.active < this.concurrency && this.head < this.queue.length && this.callError === undefined) {
            const pending = this.queue[this.head] as Pending<Resource, Request>;
            this.queue[this.head++] = undefined; // sent: its request need not stay alive
            this.active++;
            void this.send(pending);
        }
        if (this.drained()) {
            this.settle?.();
        }
    }

    private async send({ index, resource, request }: Pending<Resource, Request>): Promise<void> {
        try {
            await this.whenReady();
            this.results[index] = await this.calls.analyze(request, resource);
        } catch (error) {
            this.callError ??= { error };
        }
        this.active--;
        this.pump();
    }
}
