import { expect } from "chai";
import * as fc from "fast-check";
import { type AnalyzeCalls, AnalyzeStream } from "../../check/analyze-stream";

/** A resource of these tests: its name, and whether it can be put on the wire. */
interface Fake {
    readonly name: string;
    readonly unsendable?: boolean;
}

/** A fake pack: answers each call after `delay(name)` turns of the event loop with one violation naming the resource. */
function fakePack(options: { delay?: (name: string) => number; failOn?: string; ready?: () => Promise<void> } = {}) {
    const sent: string[] = [];
    let active = 0;
    let mostActive = 0;
    const calls: AnalyzeCalls<Fake, string, string> = {
        build: (resource) => {
            if (resource.unsendable === true) {
                throw new Error(`cannot send ${resource.name}`);
            }
            return `request of ${resource.name}`;
        },
        ready: options.ready ?? (() => Promise.resolve()),
        analyze: async (request, resource) => {
            sent.push(resource.name);
            active++;
            mostActive = Math.max(mostActive, active);
            for (let turn = 0; turn < (options.delay?.(resource.name) ?? 0); turn++) {
                await new Promise((resolve) => setImmediate(resolve));
            }
            active--;
            if (resource.name === options.failOn) {
                throw new Error(`the pack failed on ${resource.name}`);
            }
            return [`${request}: violation`];
        },
    };
    return { calls, sent, mostActive: () => mostActive };
}

const named = (...names: string[]): Fake[] => names.map((name) => ({ name }));

async function rejectionOf(promise: Promise<unknown>): Promise<string> {
    try {
        await promise;
    } catch (error) {
        return (error as Error).message;
    }
    throw new Error("expected a rejection");
}

describe("Analyze while the program runs (AnalyzeStream)", () => {
    it("answers with every violation in the order resources were added, whichever call answers first", async () => {
        const pack = fakePack({ delay: (name) => (name === "a" ? 5 : name === "c" ? 2 : 0) });
        const stream = new AnalyzeStream(pack.calls, 16);
        stream.add(named("a", "b"));
        stream.add(named("c"));
        stream.add(named("d", "e"));
        expect(await stream.finish()).to.deep.equal([
            "request of a: violation",
            "request of b: violation",
            "request of c: violation",
            "request of d: violation",
            "request of e: violation",
        ]);
    });

    it("keeps the order for any batches and any answer times", async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.array(fc.array(fc.nat(3), { maxLength: 6 }), { maxLength: 6 }),
                fc.integer({ min: 1, max: 4 }),
                async (batches, concurrency) => {
                    const delays = new Map<string, number>();
                    const pack = fakePack({ delay: (name) => delays.get(name) ?? 0 });
                    const stream = new AnalyzeStream(pack.calls, concurrency);
                    const expected: string[] = [];
                    batches.forEach((batch, b) => {
                        const resources = batch.map((delay, i) => {
                            const name = `r${b}.${i}`;
                            delays.set(name, delay);
                            expected.push(`request of ${name}: violation`);
                            return { name };
                        });
                        stream.add(resources);
                    });
                    expect(await stream.finish()).to.deep.equal(expected);
                    expect(pack.mostActive()).to.be.at.most(concurrency);
                },
            ),
            { numRuns: 60 },
        );
    });

    it("has at most `concurrency` calls in flight", async () => {
        const pack = fakePack({ delay: () => 3 });
        const stream = new AnalyzeStream(pack.calls, 2);
        stream.add(named("a", "b", "c", "d", "e"));
        await stream.finish();
        expect(pack.mostActive()).to.equal(2);
        expect(pack.sent).to.deep.equal(["a", "b", "c", "d", "e"]);
    });

    it("sends nothing of a batch with a resource that cannot be sent, and fails with that resource's error even when a call failed first", async () => {
        const pack = fakePack({ failOn: "a" });
        const stream = new AnalyzeStream(pack.calls, 16);
        stream.add(named("a"));
        await new Promise((resolve) => setImmediate(resolve));
        stream.add([{ name: "b" }, { name: "c", unsendable: true }]);
        stream.add(named("d"));
        expect(await rejectionOf(stream.finish())).to.equal("cannot send c");
        expect(pack.sent).to.deep.equal(["a"]);
    });

    it("sends nothing added after a resource that cannot be sent", async () => {
        const pack = fakePack();
        const stream = new AnalyzeStream(pack.calls, 16);
        stream.add([{ name: "a", unsendable: true }]);
        stream.add(named("b"));
        expect(await rejectionOf(stream.finish())).to.equal("cannot send a");
        await new Promise((resolve) => setImmediate(resolve));
        expect(pack.sent).to.deep.equal([]);
    });

    it("fails with the pack's start-up error before any call's, and with it even when no resource was added", async () => {
        const broken = () => Promise.reject(new Error("the pack's config is invalid"));
        const withResources = new AnalyzeStream(fakePack({ ready: broken }).calls, 16);
        withResources.add(named("a"));
        expect(await rejectionOf(withResources.finish())).to.equal("the pack's config is invalid");
        const empty = new AnalyzeStream(fakePack({ ready: broken }).calls, 16);
        expect(await rejectionOf(empty.finish())).to.equal("the pack's config is invalid");
    });

    it("fails with the first call that failed, and sends nothing more after it", async () => {
        const pack = fakePack({ failOn: "b", delay: (name) => (name === "a" ? 3 : 0) });
        const stream = new AnalyzeStream(pack.calls, 2);
        stream.add(named("a", "b", "c", "d"));
        expect(await rejectionOf(stream.finish())).to.equal("the pack failed on b");
        expect(pack.sent).to.deep.equal(["a", "b"]);
    });

    it("answers nothing for no resources once the pack is ready", async () => {
        expect(await new AnalyzeStream(fakePack().calls, 16).finish()).to.deep.equal([]);
    });
});
