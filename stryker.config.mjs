// @ts-check
// Mutation testing (StrykerJS 9.6.1, its mocha runner; 10.x needs Node 22).
// `npm run mutate` runs every area below, `npm run mutate -- <area>` one of them
// (mutation/run.ts). `npx stryker run` alone mutates every area's files at once
// against every area's tests.
//
// An area is a set of source files and the in-process tests that judge them.
// Tests that spawn a CLI are left out on purpose: a child process runs the
// mutant, but Stryker cannot see which test covered it, and they are slow.

/** @typedef {{ description: string, mutate: string[], tests: string[] }} MutationArea */

/** @type {Record<string, MutationArea>} */
export const areas = {
    detector: {
        description: "the runtime environment detector (TypeScript side)",
        mutate: ["detector/*.ts", "!detector/cli.ts", "detector/build/python-constants.ts"],
        // generated.test.ts is left out: it compiles the sources, which the sandbox holds instrumented.
        tests: [
            "tests/detector/vectors.test.ts",
            "tests/detector/properties.test.ts",
            "tests/detector/signals.test.ts",
            "tests/detector/metadata.test.ts",
            "tests/detector/python-constants.test.ts",
            "tests/detector/purity.test.ts",
            "tests/detector/run-cli.test.ts",
            "tests/detector/detect.test.ts",
            "tests/detector/fast-paths.test.ts",
            "tests/detector/compiled-access.test.ts",
            "tests/detector/reading-once.test.ts",
        ],
    },
    "env-policies": {
        description: "the Cloud Run variable policies and the workload view",
        mutate: [
            "policies/cloudrun-required-env-vars.ts",
            "policies/cloudrun-environment-matches-stack.ts",
            "policies/cloudrun-reserved-env-names.ts",
            "policies/cloudrun-no-plaintext-secrets.ts",
            "policies/lib/workloads.ts",
            "policies/lib/props.ts",
            "policies/lib/stack-environment.ts",
            "policies/lib/key-material.ts",
            "policies/lib/policy-config.ts",
            "policies/lib/validate-workload.ts",
            "policies/lib/not-applicable.ts",
            "policies/lib/read-properties-once.ts",
            "rules/cloudrun-env.ts",
            // Shared with the audit (audit/knative.ts), whose area's tests also cover it.
            "rules/cloudrun-secret-aliases.ts",
            "rules/plaintext-secret.ts",
            "rules/secretlint-preset.ts",
        ],
        // malformed-props.test.ts is left out: its fast-check properties (thousands of random props) touch nearly
        // every line, and this area's many static mutants (the rule tables, each run in a fresh process, since
        // mocha cannot reload a module) would each run them. It runs in npm test.
        tests: [
            "tests/policies/cloudrun-required-env-vars.test.ts",
            "tests/policies/cloudrun-environment-matches-stack.test.ts",
            "tests/policies/cloudrun-reserved-env-names.test.ts",
            "tests/policies/cloudrun-no-plaintext-secrets.test.ts",
            "tests/policies/env-corpus.test.ts",
            "tests/policies/workloads.test.ts",
            "tests/policies/not-applicable.test.ts",
            "tests/policies/read-properties-once.test.ts",
            "tests/policies/key-material.test.ts",
            "tests/policies/secret-rules.test.ts",
            "tests/policies/plaintext-rule-agreement.test.ts",
            "tests/policies/policy-helpers.test.ts",
            "tests/policies/env-policy-edges.test.ts",
            "tests/policies/env-policy-metadata.test.ts",
            "tests/rules/cloudrun-secret-aliases.test.ts",
            // The pack's policy names and type tokens, written out and held to @pulumi/gcp's own (a second to load).
            "tests/policies/policy-pack.test.ts",
        ],
    },
    "secret-access": {
        description: "who may read a secret, and the E2E key's own policies",
        mutate: [
            "policies/secret-access-scoped-to-service-account.ts",
            "policies/e2e-key-only-on-staging.ts",
            "policies/secret-version-survives-rotation.ts",
            "policies/lib/secret-grants.ts",
            "policies/lib/service-accounts.ts",
            "policies/lib/secret-ids.ts",
            "policies/lib/e2e-key.ts",
            "rules/secret-access.ts",
            "rules/e2e-key.ts",
        ],
        tests: [
            "tests/policies/secret-access-scoped-to-service-account.test.ts",
            "tests/policies/secret-access-wider-grants.test.ts",
            "tests/policies/e2e-key-only-on-staging.test.ts",
            "tests/policies/secret-version-survives-rotation.test.ts",
            "tests/policies/malformed-props.test.ts",
            "tests/policies/policy-helpers.test.ts",
        ],
    },
    "workload-policies": {
        description: "accounts, public access, ingress, names and images of every workload",
        mutate: [
            "policies/cloudrun-dedicated-service-account.ts",
            "policies/cloudrun-public-access-allowed.ts",
            "policies/cloudrun-private-service-ingress.ts",
            "policies/cloudrun-names-match-stack-environment.ts",
            "policies/cloudrun-images-pinned-by-digest.ts",
            "policies/lib/public-access.ts",
            "policies/lib/resource-types.ts",
            "rules/oci-image-reference.ts",
            "rules/gcp-labels.ts",
            "rules/cloudrun-limits.ts",
        ],
        tests: [
            "tests/policies/cloudrun-dedicated-service-account.test.ts",
            "tests/policies/cloudrun-public-access-allowed.test.ts",
            "tests/policies/cloudrun-names-match-stack-environment.test.ts",
            "tests/policies/cloudrun-images-pinned-by-digest.test.ts",
            "tests/policies/cloudrun-private-service-ingress.test.ts",
            "tests/policies/malformed-props.test.ts",
            "tests/policies/policy-helpers.test.ts",
            "tests/rules/oci-image-reference.test.ts",
            "tests/rules/gcp-labels.test.ts",
            "tests/rules/cloudrun-limits.test.ts",
            "tests/policies/policy-pack.test.ts",
        ],
    },
    "stack-config": {
        description: "the typed stack config: parsing, limits and error messages",
        mutate: ["components/config/*.ts"],
        // Not stack-invariants.test.ts: it spawns the check on every stack file, and its `before` runs the
        // loader outside any test, so every mutant of these files would run it. Not stack-file-properties.test.ts:
        // it asserts only the shape of an error (the check area runs it), at 14 s a run.
        tests: [
            "tests/program/parse-stack-config.test.ts",
            "tests/program/stack-config-limits.test.ts",
            "tests/program/config-text.test.ts",
            "tests/program/project-file.test.ts",
            "tests/program/staging-stack.test.ts",
        ],
    },
    components: {
        description: "the Cloud Run service and E2E key components, under Pulumi's mocks",
        mutate: ["components/*.ts"],
        tests: ["tests/program/cloud-run-service.test.ts", "tests/program/e2e-oauth-key.test.ts", "tests/program/staging-stack.test.ts"],
    },
    check: {
        description:
            "the offline check's stack file reader, its YAML tree, where a JSON text breaks, the policy config and the argument scanner",
        mutate: ["check/stack-file.ts", "check/stack-yaml/*.ts", "check/json-text.ts", "check/policy-config.ts", "check/cli-args.ts"],
        // stack-file-bounds.test.ts and stack-file-properties.test.ts are left out: each of their
        // tests takes seconds (tens on a loaded machine) and covers nearly every line, so every
        // surviving mutant would run them all.
        tests: [
            "tests/program/stack-file.test.ts",
            "tests/program/stack-file-text.test.ts",
            "tests/program/stack-file-read.test.ts",
            "tests/check/go-yaml-plain.test.ts",
            "tests/check/json-text.test.ts",
            "tests/check/policy-config.test.ts",
            "tests/check/cli-args.test.ts",
        ],
    },
    "check-wire": {
        description: "the offline check's analyzer wire, request bytes and inputs, the offline invokes and the mock cloud",
        mutate: [
            "check/analyzer-wire.ts",
            "check/analyzer-encoding.ts",
            "check/analyzer-inputs.ts",
            "check/offline-invokes.ts",
            "check/mock-cloud.ts",
        ],
        tests: [
            "tests/check/analyzer-wire.test.ts",
            "tests/check/analyzer-encoding.test.ts",
            "tests/check/analyzer-inputs.test.ts",
            "tests/check/policy-config.test.ts",
            "tests/check/offline-invokes.test.ts",
            "tests/check/mock-cloud.test.ts",
        ],
    },
    "check-report": {
        description: "the check's report model and writers (human, Markdown, SARIF) and the stack file locations",
        mutate: ["check/report/*.ts", "check/stack-locations.ts"],
        // sarif-cli.test.ts (the spawned check's SARIF) is left out.
        tests: ["tests/check/report-writers.test.ts", "tests/check/sarif.test.ts"],
    },
    "pack-host": {
        description:
            "the policy pack host: starting the pack as the CLI does, its project file, the Analyzer client and session, their errors",
        mutate: [
            "check/pack-process.ts",
            "check/policy-pack-project.ts",
            "check/policy-pack-error.ts",
            "check/analyzer-client.ts",
            "check/policy-pack-host.ts",
            "check/pack-connect.ts",
            "check/rpc-deadlines.ts",
        ],
        // Stand-in packs (a bare node that prints the port of an Analyzer server run by the test itself), so
        // each test spawns only a node and the host's every line runs inside a test. policy-pack-host.test.ts
        // (the real and fixture packs, seconds a start) stays in npm test only.
        tests: [
            "tests/check/pack-process.test.ts",
            "tests/check/pack-project.test.ts",
            "tests/check/pack-session.test.ts",
            "tests/check/pack-connect.test.ts",
            "tests/check/analyzer-client.test.ts",
            "tests/check/rpc-deadlines.test.ts",
        ],
    },
    "check-run": {
        description:
            "the offline check's and the audit's runs: the program in its worker thread, what it registered, the steps around the pack",
        mutate: [
            "check/isolated-program/run-isolated.ts",
            "check/isolated-program/program-failure.ts",
            "check/run-program.ts",
            "check/unknown-invokes.ts",
            "check/run-check.ts",
            "check/analyze-stream.ts",
            "audit/run-audit.ts",
        ],
        // Stand-in workers and a stand-in pack session judge most lines in milliseconds. One whole run of each of
        // the check and the audit is in: they start the real pack (seconds), but only the mutants on their own
        // lines run them. check-programs.test.ts (spawned) stays in npm test only.
        tests: [
            "tests/check/isolated-program.test.ts",
            "tests/check/isolated-worker.test.ts",
            "tests/check/program-failure.test.ts",
            "tests/check/run-program.test.ts",
            "tests/check/run-check.test.ts",
            "tests/check/analyze-stream.test.ts",
            "tests/audit/run-audit.test.ts",
        ],
    },
    startup: {
        description:
            "the start-up hooks' logic (the sucrase cache, the lazy SDK modules) and the program run as the CLI's language host does",
        mutate: ["startup/sucrase-cache.js", "startup/lazy-module.js", "language-host/*.ts"],
        // The installers (startup/cached-sucrase-register.js, lazy-sdk-modules.js) are left out: each is a
        // guard and one assignment into Node's module loader, proven in a fresh process by tests/speed/startup.test.ts.
        tests: ["tests/startup/startup-parts.test.ts", "tests/language-host/language-host.test.ts"],
    },
    "check-startup": {
        description: "the offline check's start-up caches: policy config validators kept as ajv standalone code",
        mutate: ["check/schema-validators.ts"],
        tests: ["tests/check/schema-validators.test.ts", "tests/check/policy-config.test.ts"],
    },
    audit: {
        description: "the live audit's readers of gcloud, Admin API, state and IAM exports",
        // run-audit.ts is in check-run: its one whole run starts the real pack, which the readers' tests need not wait for.
        mutate: ["audit/*.ts", "!audit/cli.ts", "!audit/run-audit.ts"],
        tests: [
            "tests/audit/knative.test.ts",
            "tests/audit/admin-api-v2.test.ts",
            "tests/audit/state-export.test.ts",
            "tests/audit/iam-policy.test.ts",
            "tests/audit/malformed-input.test.ts",
            "tests/audit/audit-args.test.ts",
            "tests/audit/report.test.ts",
            "tests/audit/declared-workloads.test.ts",
            "tests/audit/sarif.test.ts",
            "tests/audit/worker-pools.test.ts",
            "tests/audit/live-values.test.ts",
        ],
    },
};

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
const config = {
    $schema: "./node_modules/@stryker-mutator/core/schema/stryker-schema.json",
    packageManager: "npm",
    testRunner: "mocha",
    plugins: ["@stryker-mutator/mocha-runner"],
    // The tests run TypeScript through ts-node without type-checking, so a
    // mutant that does not type-check still runs; `// @ts-nocheck` is not needed
    // (and would shift the lines of a source file a test reads).
    disableTypeChecks: false,
    coverageAnalysis: "perTest",
    mutate: [...new Set(Object.values(areas).flatMap((area) => area.mutate))],
    mochaOptions: {
        // Not .mocharc.json: its parallel mode and full spec are for `npm test`.
        "no-config": true,
        "no-package": true,
        spec: [...new Set(Object.values(areas).flatMap((area) => area.tests))],
        extension: ["ts"],
        // mocha-timeout.js: .mocharc.json's 60 s test timeout, which no-config leaves out (see there).
        require: ["ts-node/register/transpile-only", "./mutation/mocha-timeout.js"],
    },
    // The sandbox is a folder of the checkout; node_modules is linked, not copied.
    tempDirName: ".stryker-tmp",
    cleanTempDir: "always",
    ignorePatterns: ["reports", ".stryker-tmp", "tests/fixtures/**/node_modules"],
    reporters: ["html", "json", "clear-text", "progress"],
    htmlReporter: { fileName: "reports/mutation/mutation.html" },
    jsonReporter: { fileName: "reports/mutation/mutation.json" },
    thresholds: { high: 95, low: 90 },
    timeoutMS: 10000,
};

export default config;
