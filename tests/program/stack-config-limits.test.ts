/**
 * The stack config's rules that Google Cloud and Cloud Run impose, and the rules of one scalar type
 * per key: each case edits the frozen staging config once and expects one exact line.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { StackConfigError } from "../../components/config/config-error";
import { readStackConfig } from "../../components/config/read-stack-config";
import { parseStackConfig } from "../../components/config/parse-stack-config";
import { cloudRunLimitProblems } from "../../rules/cloudrun-limits";
import { parseImageReference } from "../../rules/oci-image-reference";
import { resourceNamed, runNetraStack } from "../support/mock-stack";
import { STAGING_SOURCE, stagingRaw, toCliConfig, type Values } from "../support/staging-fixture";

/** Runs the program's own reader (readStackConfig) on CLI-form config, under the mock runtime's config. */
function readConfigFrom(config: Record<string, string>): void {
    pulumi.runtime.setAllConfig(config, []);
    readStackConfig();
}

const F = "Pulumi.staging.yaml: `netra-platform:";

function errorOf(edit: (values: Values) => void): string {
    const raw = stagingRaw();
    edit(raw.values);
    try {
        parseStackConfig(raw, STAGING_SOURCE);
    } catch (error) {
        expect(error).to.be.instanceOf(StackConfigError);
        return (error as Error).message;
    }
    throw new Error("expected the config to be rejected");
}

function parsed(edit: (values: Values) => void) {
    const raw = stagingRaw();
    edit(raw.values);
    return parseStackConfig(raw, STAGING_SOURCE);
}

describe("stack config: what Cloud Run refuses is refused before `pulumi up` (one table, rules/cloudrun-limits.ts)", () => {
    const cases: { rule: string; edit: (values: Values) => void; message: string }[] = [
        {
            rule: "refuses 16Gi on 1 CPU, naming the CPU count that allows it",
            edit: (values) => (values.services.auth.memory = "16Gi"),
            message: `${F}services.auth.memory\` is "16Gi", more than 1 CPU allows (at most 4Gi); set cpu to "4" or more, or memory to at most 4Gi.`,
        },
        {
            rule: "refuses 256Mi on the second-generation execution environment",
            edit: (values) => (values.services.auth.memory = "256Mi"),
            message: `${F}services.auth.memory\` is "256Mi", below the 512Mi minimum of the second-generation execution environment, which this program deploys; set at least 512Mi.`,
        },
        {
            rule: "refuses 500m with concurrency 80 and CPU always allocated, naming each requirement",
            edit: (values) => (values.services.auth.cpu = "500m"),
            message: `${F}services.auth.cpu\` is "500m", less than 1 CPU, which Cloud Run allows only with the first-generation execution environment (this program deploys the second), concurrency 1 (\`concurrency\` is 80) and CPU allocated only during requests (\`cpuAlwaysAllocated\` is true); set cpu to "1" or more.`,
        },
        {
            rule: "refuses a whole CPU count Cloud Run does not offer",
            edit: (values) => (values.services.auth.cpu = "3"),
            message: `${F}services.auth.cpu\` is "3", not a CPU count Cloud Run offers; use 1, 2, 4, 6 or 8.`,
        },
        {
            rule: "refuses too little memory for 4 CPUs",
            edit: (values) => (values.services.backend.memory = "1Gi"),
            message: `${F}services.backend.memory\` is "1Gi", less than 4 CPUs need (at least 2Gi); set memory to at least 2Gi or use fewer CPUs.`,
        },
        {
            rule: "refuses more memory than any instance can have",
            edit: (values) => (values.services.backend.memory = "64Gi"),
            message: `${F}services.backend.memory\` is "64Gi", more than Cloud Run's 32Gi maximum; set at most 32Gi.`,
        },
        {
            rule: "refuses a concurrency above Cloud Run's 1000",
            edit: (values) => (values.services.backend.concurrency = 1001),
            message: `${F}services.backend.concurrency\` is 1001; expected an integer from 1 to 1000.`,
        },
    ];
    for (const { rule, edit, message } of cases) {
        it(rule, () => expect(errorOf(edit)).to.equal(message));
    }

    it("accepts every whole CPU count at its smallest and largest memory on gen2", () => {
        const accepted: string[] = [];
        for (const [cpu, low, high] of [
            ["1", "512Mi", "4Gi"],
            ["2", "512Mi", "8Gi"],
            ["4", "2Gi", "16Gi"],
            ["6", "4Gi", "24Gi"],
            ["8", "4Gi", "32Gi"],
        ]) {
            for (const memory of [low, high]) {
                parsed((values) => Object.assign(values.services.backend, { cpu, memory }));
                accepted.push(`${cpu}/${memory}`);
            }
        }
        expect(accepted).to.have.length(10);
    });

    it("would allow a fraction of a CPU on gen1 with concurrency 1 and CPU only during requests (the table, not a blanket ban)", () => {
        const base = { concurrency: 1, cpuAlwaysAllocated: false, executionEnvironment: "gen1" as const };
        expect(cloudRunLimitProblems({ ...base, cpu: 0.5, memoryMiB: 1024 })).to.deep.equal([]);
        expect(cloudRunLimitProblems({ ...base, cpu: 0.25, memoryMiB: 1024 })).to.deep.equal([
            { setting: "memory", problem: 'more than 0.25 CPU allows (at most 512Mi); set cpu to "1" or memory to at most 512Mi' },
        ]);
    });
});

describe("stack config: one type per key, nothing converted (README, Config keys)", () => {
    const cases: { rule: string; edit: (values: Values) => void; message: string }[] = [
        {
            rule: "refuses an unquoted number in env: it would reach the container rewritten (1e30 becomes 1e+30)",
            edit: (values) => (values.services.auth.env.TIMEOUT = 1e30),
            message: `${F}services.auth.env.TIMEOUT\` is 1e+30 (a number); expected text; quote it ("1e+30") so the container gets exactly that text.`,
        },
        {
            rule: "refuses an unquoted boolean in env",
            edit: (values) => (values.services.auth.env.DEBUG = true),
            message: `${F}services.auth.env.DEBUG\` is true (a boolean); expected text; quote it ("true") so the container gets exactly that text.`,
        },
        {
            rule: "refuses a quoted port, saying to unquote it",
            edit: (values) => (values.services.auth.port = "8080"),
            message: `${F}services.auth.port\` is "8080"; expected an integer from 1 to 65535, unquoted.`,
        },
        {
            rule: "refuses a numeric rotation marker: `1.0` would arrive as 1 and the key would not rotate",
            edit: (values) => (values.e2eOAuthSimulationKey.rotation = 1),
            message: `${F}e2eOAuthSimulationKey.rotation\` is 1 (a number); expected a short rotation marker such as "1" or "2026-11", quoted ("1").`,
        },
        {
            rule: "tells `version: 3` that it is a number where text belongs, not that 3 is not a version",
            edit: (values) => (values.services.backend.secrets.FERNET_KEY = { secret: "fernet-key-staging", version: 3 }),
            message: `${F}services.backend.secrets.FERNET_KEY.version\` is 3 (a number); expected text: "latest" or a version number, quoted ("3").`,
        },
        {
            rule: "calls an empty `env:` empty, not missing",
            edit: (values) => (values.services.backend.env = null),
            message: `${F}services.backend.env\` is empty; expected a map of variable names to values; list entries under it or remove the key.`,
        },
        {
            rule: "says that the maxInstances a minInstances exceeds is the default",
            edit: (values) => {
                values.services.auth.minInstances = 12;
                delete values.services.auth.maxInstances;
            },
            message: `${F}services.auth.minInstances\` is 12, above \`maxInstances\` (10, the default); expected at most 10; lower it or set \`maxInstances\`.`,
        },
        {
            rule: "refuses an `environment` label, which the program sets on every resource",
            edit: (values) => (values.labels = { environment: "prod" }),
            message: `${F}labels.environment\` is set by the program on the resources it labels (environment, managed-by, service, purpose); remove it from the stack file.`,
        },
        {
            rule: "refuses a lower-case `environment` variable beside the platform's ENVIRONMENT",
            edit: (values) => (values.services.auth.env.environment = "staging"),
            message: `${F}services.auth.env.environment\` differs only in letter case from \`ENVIRONMENT\`, which the platform sets; remove it.`,
        },
    ];
    for (const { rule, edit, message } of cases) {
        it(rule, () => expect(errorOf(edit)).to.equal(message));
    }
});

describe("stack config: Google Cloud's label rules, counting the program's labels", () => {
    it("refuses more labels than 64 minus the 3 the program adds", () => {
        const labels = Object.fromEntries(Array.from({ length: 62 }, (_, index) => [`l${index}`, "x"]));
        expect(errorOf((values) => (values.labels = labels))).to.equal(
            `${F}labels\` has 62 labels; Google Cloud allows 64 per resource and the program adds up to 3, so at most 61.`,
        );
    });

    it("accepts 61 labels, and international lower-case letters as Google allows", () => {
        const labels = Object.fromEntries(Array.from({ length: 60 }, (_, index) => [`l${index}`, "x"]));
        expect(Object.keys(parsed((values) => (values.labels = { ...labels, équipe: "données" })).labels)).to.have.length(61);
    });

    it("refuses an upper-case key and value, and a value longer than 63", () => {
        expect(errorOf((values) => (values.labels = { Team: "x", team: "Platform", owner: "o".repeat(64) })).split("\n")).to.deep.equal([
            `${F}labels.Team\` is not a valid label key; allowed: 1 to 63 lower-case letters, digits, _ and -, starting with a letter.`,
            `${F}labels.team\` is "Platform"; expected a label value (at most 63 lower-case letters, digits, _ and -).`,
            `${F}labels.owner\` is "${"o".repeat(64)}"; expected a label value (at most 63 lower-case letters, digits, _ and -).`,
        ]);
    });
});

describe("stack config: image references by the OCI reference grammar", () => {
    const cases: [string, string][] = [
        ["nginx:1", "has no registry; write it in full, such as gcr.io/<project>/<name>:<tag>"],
        ["gcr.io/netra-staging/Netra-Auth:latest", "has upper-case letters in its repository; repositories are lower case"],
        ["gcr.io/p/a", "has neither a tag nor a digest; add :<tag> or, better, @sha256:<digest>"],
        ["gcr.io/p/a@sha256:abc", "has a digest that is not sha256: followed by 64 lower-case hex digits"],
        [`gcr.io/p/a:${"t".repeat(129)}`, "has a tag longer than 128 characters"],
        ["gcr.io/p/a:-x", "has a tag that is not letters, digits, _, . and - (at most 128, not starting with . or -)"],
        ["gcr.io/p/a..b:1", "has a repository that is not lower-case letters and digits separated by /, ., _, __ or -"],
    ];
    for (const [image, problem] of cases) {
        it(`refuses ${image.length > 40 ? `${image.slice(0, 40)}...` : image}: ${problem}`, () => {
            expect(parseImageReference(image)).to.deep.equal({ ok: false, problem });
        });
    }

    it("accepts registries with ports, nested repositories, tags of 128 and sha256 digests", () => {
        const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
        for (const image of [
            "gcr.io/netra-staging/netra-backend-staging:latest",
            "us-central1-docker.pkg.dev/netra-staging/images/api__worker:v1.2_3",
            `localhost:5000/a/b/c:${"t".repeat(128)}`,
            `gcr.io/p/a@${digest}`,
            `gcr.io/p/a:1@${digest}`,
        ]) {
            expect(parseImageReference(image).ok, image).to.equal(true);
        }
    });

    it("names the image and the broken part in the stack file's line, cut when long", () => {
        expect(errorOf((values) => (values.services.auth.image = "gcr.io/netra-staging/Netra-Auth:latest"))).to.equal(
            `${F}services.auth.image\` is "gcr.io/netra-staging/Netra-Auth:latest", which has upper-case letters in its repository; repositories are lower case.`,
        );
    });
});

describe("stack config: keys the user chooses are data, whatever their name", () => {
    for (const name of ["__proto__", "constructor", "prototype", "toString"]) {
        it(`keeps \`${name}\` as a variable under env and under secrets, with its grant`, async () => {
            const raw = stagingRaw();
            raw.values.services.frontend.env = JSON.parse(`{"${name}": "value"}`) as Values;
            raw.values.services.backend.secrets = JSON.parse(`{"${name}": "some-secret-staging"}`) as Values;
            const config = parseStackConfig(raw, STAGING_SOURCE);
            const [backend, , frontend] = config.services;
            expect(Object.entries(frontend.env)).to.deep.equal([[name, "value"]]);
            expect(Object.entries(backend.secrets)).to.deep.equal([[name, { secret: "some-secret-staging", version: "latest" }]]);
            const { resources } = await runNetraStack(toCliConfig(raw));
            const service = resourceNamed(resources, "gcp:cloudrunv2/service:Service", "frontend-service");
            const envs = (service.inputs.template as { containers: { envs: { name: string; value?: string }[] }[] }).containers[0].envs;
            expect(envs.filter((entry) => entry.name === name)).to.deep.equal([{ name, value: "value" }]);
            expect(
                resourceNamed(resources, "gcp:secretmanager/secretIamMember:SecretIamMember", "backend-access-some-secret-staging").inputs
                    .secretId,
            ).to.equal("some-secret-staging");
        });
    }

    it("keeps `constructor` and `prototype` as labels, and refuses `__proto__` and `toString` by Google's rules instead of dropping them", () => {
        expect(parsed((values) => (values.labels = { constructor: "a", prototype: "b" })).labels).to.deep.equal(
            Object.assign(Object.create(null), { constructor: "a", prototype: "b" }),
        );
        expect(
            errorOf((values) => (values.labels = JSON.parse('{"__proto__": "a", "toString": "b"}') as Values)).split("\n"),
        ).to.deep.equal([
            `${F}labels.__proto__\` is not a valid label key; allowed: 1 to 63 lower-case letters, digits, _ and -, starting with a letter.`,
            `${F}labels.toString\` is not a valid label key; allowed: 1 to 63 lower-case letters, digits, _ and -, starting with a letter.`,
        ]);
    });

    it("reads a top-level `__proto__` key as an unknown key instead of losing it", () => {
        const raw = stagingRaw();
        const config = { ...toCliConfig(raw), "netra-platform:__proto__": "{}" };
        let message = "";
        try {
            readConfigFrom(config);
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).to.equal(
            `${F}__proto__\` is not a known key; allowed: environment, domain, adoptExisting, deletionProtection, labels, services, e2eOAuthSimulationKey.`,
        );
    });
});

describe("stack config: the supported size", () => {
    it("refuses a stack of more than 500 services with one line", () => {
        const services = Object.fromEntries(
            Array.from({ length: 501 }, (_, index) => [`svc-${index}`, { name: `netra-svc-${index}`, image: "gcr.io/p/a:1", port: 8080 }]),
        );
        expect(
            errorOf((values) => {
                values.services = services;
                delete values.e2eOAuthSimulationKey;
            }),
        ).to.equal(
            `${F}services\` declares 501 services; a stack supports at most 500 (the check of 500 stays within 2 GB); split it into several stacks.`,
        );
    });
});
