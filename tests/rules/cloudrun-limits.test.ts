/**
 * Cloud Run's CPU, memory and concurrency table (rules/cloudrun-limits.ts), judged directly: the stack config's
 * tests see it through one staging service; these hold every edge of the table and every sentence it writes.
 */
import { expect } from "chai";
import {
    CLOUD_RUN_CPU_TABLE,
    cloudRunLimitProblems,
    CONCURRENCY_RANGE,
    describeWholeCpus,
    formatMemory,
    FRACTIONAL_CPU,
    MAX_MEMORY_MIB,
    MIN_MEMORY_MIB,
    minimumCpuFor,
    REQUEST_TIMEOUT_RANGE,
    type CloudRunResources,
} from "../../rules/cloudrun-limits";

/** A gen2 service with one whole CPU, as the program deploys one by default. */
const GEN2: CloudRunResources = { cpu: 1, memoryMiB: 512, concurrency: 80, cpuAlwaysAllocated: true, executionEnvironment: "gen2" };
/** What a fraction of a CPU needs: gen1, concurrency 1, CPU only during requests. */
const FRACTION_READY: CloudRunResources = {
    cpu: 0.5,
    memoryMiB: 512,
    concurrency: 1,
    cpuAlwaysAllocated: false,
    executionEnvironment: "gen1",
};

const problems = (edit: Partial<CloudRunResources>, base: CloudRunResources = GEN2) => cloudRunLimitProblems({ ...base, ...edit });

describe("Cloud Run's limits (rules/cloudrun-limits.ts)", () => {
    describe("the numbers Google documents", () => {
        it("gives each whole CPU count its memory range, in MiB", () => {
            expect(CLOUD_RUN_CPU_TABLE).to.deep.equal([
                { cpu: 1, minMemoryMiB: 128, maxMemoryMiB: 4096 },
                { cpu: 2, minMemoryMiB: 128, maxMemoryMiB: 8192 },
                { cpu: 4, minMemoryMiB: 2048, maxMemoryMiB: 16384 },
                { cpu: 6, minMemoryMiB: 4096, maxMemoryMiB: 24576 },
                { cpu: 8, minMemoryMiB: 4096, maxMemoryMiB: 32768 },
            ]);
        });

        it("allows 0.08 CPU at least, 512 MiB below half a CPU and 1 GiB below one", () => {
            expect(FRACTIONAL_CPU).to.deep.equal({ min: 0.08, maxMemoryMiBBelowHalf: 512, maxMemoryMiBBelowOne: 1024 });
        });

        it("has a memory floor of 128 MiB on gen1 and 512 MiB on gen2, and a ceiling of 32 GiB", () => {
            expect(MIN_MEMORY_MIB).to.deep.equal({ gen1: 128, gen2: 512 });
            expect(MAX_MEMORY_MIB).to.equal(32768);
        });

        it("allows a concurrency from 1 to 1000 and a request timeout from 1 s to 60 minutes", () => {
            expect(CONCURRENCY_RANGE).to.deep.equal({ min: 1, max: 1000 });
            expect(REQUEST_TIMEOUT_RANGE).to.deep.equal({ min: 1, max: 3600 });
        });
    });

    describe("formatMemory", () => {
        it("writes whole GiB as Gi and anything else as Mi", () => {
            expect([512, 1024, 1536, 4096, 32768, 1].map(formatMemory)).to.deep.equal(["512Mi", "1Gi", "1536Mi", "4Gi", "32Gi", "1Mi"]);
        });
    });

    describe("describeWholeCpus", () => {
        it('lists the whole CPU counts as "1, 2, 4, 6 or 8"', () => {
            expect(describeWholeCpus()).to.equal("1, 2, 4, 6 or 8");
        });
    });

    describe("minimumCpuFor", () => {
        it("gives the fewest whole CPUs whose range holds the memory, each ceiling included", () => {
            const cases: [number, number | undefined][] = [
                [128, 1],
                [4096, 1],
                [4097, 2],
                [8192, 2],
                [8193, 4],
                [16384, 4],
                [16385, 6],
                [24576, 6],
                [24577, 8],
                [32768, 8],
                [32769, undefined],
            ];
            expect(cases.map(([memory]) => [memory, minimumCpuFor(memory)])).to.deep.equal(cases);
        });
    });

    describe("whole CPUs", () => {
        it("accepts each whole CPU count at the edges of its memory range", () => {
            for (const [cpu, low, high] of [
                [1, 512, 4096],
                [2, 512, 8192],
                [4, 2048, 16384],
                [6, 4096, 24576],
                [8, 4096, 32768],
            ]) {
                expect(problems({ cpu, memoryMiB: low }), `${cpu} CPU, ${low} MiB`).to.deep.equal([]);
                expect(problems({ cpu, memoryMiB: high }), `${cpu} CPU, ${high} MiB`).to.deep.equal([]);
            }
        });

        it("refuses one MiB more than 1 CPU allows, naming the CPU count that allows it (singular)", () => {
            expect(problems({ cpu: 1, memoryMiB: 4097 })).to.deep.equal([
                {
                    setting: "memory",
                    problem: 'more than 1 CPU allows (at most 4Gi); set cpu to "2" or more, or memory to at most 4Gi',
                },
            ]);
        });

        it("refuses one MiB more than 2 CPUs allow (plural)", () => {
            expect(problems({ cpu: 2, memoryMiB: 8193 })).to.deep.equal([
                {
                    setting: "memory",
                    problem: 'more than 2 CPUs allow (at most 8Gi); set cpu to "4" or more, or memory to at most 8Gi',
                },
            ]);
        });

        it("refuses more memory than any instance can have, whatever the CPUs", () => {
            const beyond = {
                setting: "memory",
                problem: "more than Cloud Run's 32Gi maximum; set at most 32Gi",
            };
            expect(problems({ cpu: 8, memoryMiB: 32769 })).to.deep.equal([beyond]);
            expect(problems({ cpu: 2, memoryMiB: 65536 })).to.deep.equal([beyond]);
        });

        it("refuses one MiB less than 4 CPUs need", () => {
            expect(problems({ cpu: 4, memoryMiB: 2047 })).to.deep.equal([
                {
                    setting: "memory",
                    problem: "less than 4 CPUs need (at least 2Gi); set memory to at least 2Gi or use fewer CPUs",
                },
            ]);
        });

        it("refuses a whole CPU count Cloud Run does not offer, and judges no memory for it", () => {
            for (const cpu of [3, 5, 7, 9, 1.5]) {
                expect(problems({ cpu, memoryMiB: 65536 }), String(cpu)).to.deep.equal([
                    { setting: "cpu", problem: "not a CPU count Cloud Run offers; use 1, 2, 4, 6 or 8" },
                ]);
            }
        });

        it("suggests a fraction below 1 only on the first generation, the one environment that allows fractions", () => {
            expect(problems({ cpu: 3, memoryMiB: 1024, executionEnvironment: "gen1" })).to.deep.equal([
                { setting: "cpu", problem: "not a CPU count Cloud Run offers; use 1, 2, 4, 6 or 8 (or a fraction below 1)" },
            ]);
        });
    });

    describe("the execution environment's memory floor", () => {
        it("accepts 512 MiB on gen2 and refuses 511 MiB, naming the second generation", () => {
            expect(problems({ memoryMiB: 512 })).to.deep.equal([]);
            expect(problems({ memoryMiB: 511 })).to.deep.equal([
                {
                    setting: "memory",
                    problem:
                        "below the 512Mi minimum of the second-generation execution environment, which this program deploys; set at least 512Mi",
                },
            ]);
        });

        it("accepts 128 MiB on gen1 and refuses 127 MiB, naming the first generation", () => {
            expect(problems({ memoryMiB: 128, executionEnvironment: "gen1" })).to.deep.equal([]);
            expect(problems({ memoryMiB: 127, executionEnvironment: "gen1" })).to.deep.equal([
                {
                    setting: "memory",
                    problem:
                        "below the 128Mi minimum of the first-generation execution environment, which this program deploys; set at least 128Mi",
                },
            ]);
        });

        it("reports the floor first, before what the CPU count needs", () => {
            expect(problems({ cpu: 4, memoryMiB: 256 })).to.deep.equal([
                {
                    setting: "memory",
                    problem:
                        "below the 512Mi minimum of the second-generation execution environment, which this program deploys; set at least 512Mi",
                },
                {
                    setting: "memory",
                    problem: "less than 4 CPUs need (at least 2Gi); set memory to at least 2Gi or use fewer CPUs",
                },
            ]);
        });
    });

    describe("a fraction of a CPU", () => {
        it("is allowed with gen1, concurrency 1 and CPU only during requests", () => {
            expect(problems({}, FRACTION_READY)).to.deep.equal([]);
            expect(problems({ cpu: 0.08, memoryMiB: 128 }, FRACTION_READY)).to.deep.equal([]);
        });

        it("names each requirement that is not met, alone", () => {
            const tail = '; set cpu to "1" or more';
            expect(problems({ executionEnvironment: "gen2" }, FRACTION_READY)).to.deep.equal([
                {
                    setting: "cpu",
                    problem: `less than 1 CPU, which Cloud Run allows only with the first-generation execution environment (this program deploys the second)${tail}`,
                },
            ]);
            expect(problems({ concurrency: 2 }, FRACTION_READY)).to.deep.equal([
                {
                    setting: "cpu",
                    problem: `less than 1 CPU, which Cloud Run allows only with concurrency 1 (\`concurrency\` is 2)${tail}`,
                },
            ]);
            expect(problems({ cpuAlwaysAllocated: true }, FRACTION_READY)).to.deep.equal([
                {
                    setting: "cpu",
                    problem: `less than 1 CPU, which Cloud Run allows only with CPU allocated only during requests (\`cpuAlwaysAllocated\` is true)${tail}`,
                },
            ]);
        });

        it("joins two unmet requirements with `and`, three with a comma and `and`", () => {
            expect(problems({ concurrency: 80, cpuAlwaysAllocated: true }, FRACTION_READY)).to.deep.equal([
                {
                    setting: "cpu",
                    problem:
                        "less than 1 CPU, which Cloud Run allows only with concurrency 1 (`concurrency` is 80) and CPU allocated only during " +
                        'requests (`cpuAlwaysAllocated` is true); set cpu to "1" or more',
                },
            ]);
            expect(problems({ cpu: 0.5, memoryMiB: 512 })).to.deep.equal([
                {
                    setting: "cpu",
                    problem:
                        "less than 1 CPU, which Cloud Run allows only with the first-generation execution environment (this program deploys " +
                        "the second), concurrency 1 (`concurrency` is 80) and CPU allocated only during requests (`cpuAlwaysAllocated` is " +
                        'true); set cpu to "1" or more',
                },
            ]);
        });

        it("allows 1 GiB from half a CPU up and refuses one MiB more, naming the whole CPU count that allows it", () => {
            expect(problems({ cpu: 0.5, memoryMiB: 1024 }, FRACTION_READY)).to.deep.equal([]);
            expect(problems({ cpu: 0.99, memoryMiB: 1024 }, FRACTION_READY)).to.deep.equal([]);
            expect(problems({ cpu: 0.5, memoryMiB: 1025 }, FRACTION_READY)).to.deep.equal([
                { setting: "memory", problem: 'more than 0.5 CPU allows (at most 1Gi); set cpu to "1" or memory to at most 1Gi' },
            ]);
        });

        it("allows 512 MiB below half a CPU and refuses one MiB more", () => {
            expect(problems({ cpu: 0.49, memoryMiB: 512 }, FRACTION_READY)).to.deep.equal([]);
            expect(problems({ cpu: 0.49, memoryMiB: 513 }, FRACTION_READY)).to.deep.equal([
                { setting: "memory", problem: 'more than 0.49 CPU allows (at most 512Mi); set cpu to "1" or memory to at most 512Mi' },
            ]);
        });

        it("suggests 8 CPUs for more memory than any instance can have", () => {
            expect(problems({ cpu: 0.5, memoryMiB: 65536 }, FRACTION_READY)).to.deep.equal([
                { setting: "memory", problem: 'more than 0.5 CPU allows (at most 1Gi); set cpu to "8" or memory to at most 1Gi' },
            ]);
            expect(problems({ cpu: 0.5, memoryMiB: 20480 }, FRACTION_READY)).to.deep.equal([
                { setting: "memory", problem: 'more than 0.5 CPU allows (at most 1Gi); set cpu to "6" or memory to at most 1Gi' },
            ]);
        });

        it("reports the CPU before its memory, and judges no whole-CPU row", () => {
            expect(problems({ cpu: 0.5, memoryMiB: 2048 })).to.deep.equal([
                {
                    setting: "cpu",
                    problem:
                        "less than 1 CPU, which Cloud Run allows only with the first-generation execution environment (this program deploys " +
                        "the second), concurrency 1 (`concurrency` is 80) and CPU allocated only during requests (`cpuAlwaysAllocated` is " +
                        'true); set cpu to "1" or more',
                },
                { setting: "memory", problem: 'more than 0.5 CPU allows (at most 1Gi); set cpu to "1" or memory to at most 1Gi' },
            ]);
        });
    });
});
