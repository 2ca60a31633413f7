/**
 * The loader's contract on arbitrary stack documents (fast-check): whatever the keys and values, the
 * stack file reader and the config loader either accept the stack or refuse it with a StackFileError
 * or StackConfigError (the check's exit 2), never another error; the message is at most 11 lines
 * (ten problems and a count), each one line of printable ASCII naming the file, with no stack trace,
 * bounded in length, and holding no part of any `secure:` value.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { StackFileError } from "../../check/stack-file";
import { StackConfigError } from "../../components/config/config-error";
import { parseStackConfig } from "../../components/config/parse-stack-config";
import { rawStackConfig } from "../../components/config/read-stack-config";
import { readScratchStack } from "../support/scratch-project";
import { FROZEN_STAGING_DIR } from "../support/staging-fixture";

const STAGING_TEXT = readFileSync(path.join(FROZEN_STAGING_DIR, "Pulumi.staging.yaml"), "utf8");
const STAGING = YAML.parse(STAGING_TEXT) as { config: Record<string, unknown> };

/** The longest line the contract allows: keys and values are cut to 64 characters before escaping. */
const MAX_LINE = 4096;

/** What the loader did with one document. */
type Outcome = { accepted: true } | { accepted: false; message: string };

function load(content: string): Outcome {
    try {
        const file = readScratchStack(content);
        parseStackConfig(
            rawStackConfig(file.config, file.project, (key) => file.secretKeys.includes(key)),
            {
                file: file.file,
                namespace: file.project,
                stack: file.stack,
            },
        );
        return { accepted: true };
    } catch (error) {
        if (error instanceof StackFileError || error instanceof StackConfigError) {
            return { accepted: false, message: error.message };
        }
        throw error;
    }
}

function expectContract(outcome: Outcome, secrets: readonly string[]): void {
    if (outcome.accepted) {
        return;
    }
    const lines = outcome.message.split("\n");
    expect(lines.length).to.be.within(1, 11);
    for (const line of lines) {
        expect(line).to.match(/^Pulumi\.(t\.)?yaml[:\s]/);
        expect(line).to.match(/^[\x20-\x7e]*$/);
        expect(line).not.to.match(/^\s+at |Error:/);
        expect(line.length).to.be.at.most(MAX_LINE);
    }
    for (const secret of secrets) {
        // No part of a secure value: not even ten characters of it in a row.
        for (let start = 0; start + 10 <= secret.length; start++) {
            expect(outcome.message).not.to.include(secret.slice(start, start + 10));
        }
    }
}

const specialKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "secure", "config", "env", "labels");
const anyKey = fc.oneof(
    specialKey,
    fc.string({ maxLength: 12 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ minLength: 70, maxLength: 300 }),
);
const namespacedKey = fc.oneof(
    anyKey,
    anyKey.map((key) => `netra-platform:${key}`),
    anyKey.map((key) => `gcp:${key}`),
    fc.constantFrom("netra-platfrom:labels", "netra-platform:services", "netra-platform:e2eOAuthSimulationKey", "gcp:project"),
);
/** A ciphertext with a random body, so its absence from messages can be checked. */
const ciphertext = fc.stringMatching(/^[A-Za-z0-9+/]{24,40}$/).map((body) => `v1:${body}`);
const scalar = fc.oneof(
    fc.string({ unit: "binary", maxLength: 80 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom("0755", "1e30", "True", "~", "500m", "16Gi", "gcr.io/p/A:latest"),
);

interface Generated {
    readonly value: unknown;
    readonly secrets: string[];
}

/** Values up to three levels deep, with secure values among them (also as map keys). */
const value: fc.Arbitrary<Generated> = fc.letrec<{ node: Generated }>((tie) => ({
    node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        scalar.map((item) => ({ value: item, secrets: [] })),
        ciphertext.map((secret) => ({ value: { secure: secret }, secrets: [secret] })),
        fc.array(tie("node"), { maxLength: 4 }).map((items) => ({
            value: items.map((item) => item.value),
            secrets: items.flatMap((item) => item.secrets),
        })),
        fc.array(fc.tuple(anyKey, tie("node")), { maxLength: 5 }).map((pairs) => ({
            value: new Map(pairs.map(([key, item]) => [key, item.value])),
            secrets: pairs.flatMap(([, item]) => item.secrets),
        })),
        fc.tuple(ciphertext, tie("node")).map(([secret, item]) => ({
            value: new Map([[new Map([["secure", secret]]), item.value]]),
            secrets: [secret, ...item.secrets],
        })),
    ),
})).node;

describe("stack file and config loader: the contract on arbitrary documents (fast-check)", function () {
    this.timeout(120_000);

    it("keeps it for arbitrary keys and values added to the staging config and to a service", () => {
        fc.assert(
            fc.property(
                fc.array(fc.tuple(namespacedKey, value), { maxLength: 6 }),
                fc.array(fc.tuple(anyKey, value), { maxLength: 4 }),
                fc.option(ciphertext),
                (top, env, secureKey) => {
                    const config = new Map<unknown, unknown>(Object.entries(STAGING.config));
                    for (const [key, item] of top) {
                        config.set(key, item.value);
                    }
                    if (secureKey !== null) {
                        // A secure value used as a key (a YAML complex key), once in a while at the top.
                        config.set(new Map([["secure", secureKey]]), "x");
                    }
                    const services = structuredClone(STAGING.config["netra-platform:services"]) as Record<string, Record<string, unknown>>;
                    services.backend.env = new Map([
                        ...Object.entries(services.backend.env as object),
                        ...env.map(([key, item]) => [key, item.value] as const),
                    ]);
                    config.set("netra-platform:services", services);
                    const text = YAML.stringify(new Map([["config", config]]));
                    expectContract(load(text), [...top, ...env].flatMap(([, item]) => item.secrets).concat(secureKey ?? []));
                },
            ),
            { numRuns: 150 },
        );
    });

    it("keeps it for the staging file's text with arbitrary characters inserted anywhere", () => {
        const insertion = fc.oneof(
            fc.string({ unit: "binary", maxLength: 8 }),
            fc.constantFrom(
                "\n",
                "\r",
                "\u0000",
                "\t",
                ":",
                "- ",
                "? ",
                "&a ",
                "*a",
                "!!binary ",
                "{",
                "[",
                '"',
                "'",
                "\ufeff",
                "\u200b",
                "\u001b[31m",
            ),
        );
        fc.assert(
            fc.property(
                fc.array(fc.tuple(fc.nat({ max: STAGING_TEXT.length }), insertion), { minLength: 1, maxLength: 5 }),
                ciphertext,
                (edits, secret) => {
                    let text = STAGING_TEXT.replace(
                        "  netra-platform:domain: staging.netrasystems.ai\n",
                        `  netra-platform:domain: staging.netrasystems.ai\n  gcp:credentials:\n    secure: ${secret}\n`,
                    );
                    for (const [at, inserted] of edits) {
                        text = `${text.slice(0, at)}${inserted}${text.slice(at)}`;
                    }
                    expectContract(load(text), [secret]);
                },
            ),
            { numRuns: 150 },
        );
    });
});
