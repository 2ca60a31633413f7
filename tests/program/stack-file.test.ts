/**
 * The stack file as text: what the offline check refuses before the program runs, each with its one
 * exact line naming the file, the line and column, and the key. Fuzz-style cases as a table; each
 * edits the frozen staging file once.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { MAX_STACK_FILE_BYTES } from "../../check/stack-file";
import { readScratchStack, stackFileErrorOf } from "../support/scratch-project";
import { FROZEN_STAGING_DIR } from "../support/staging-fixture";

const STAGING = readFileSync(path.join(FROZEN_STAGING_DIR, "Pulumi.staging.yaml"), "utf8");
const SECRET_CIPHERTEXT = "v1:c2VjcmV0LXRoYXQtbXVzdC1ub3Qtc2hvdw==";

function edited(from: string, to: string): string {
    expect(STAGING, `fixture holds ${from}`).to.include(from);
    return STAGING.replace(from, to);
}

describe("stack file: refused with one line that names the place (fuzz-style table)", () => {
    const cases: { rule: string; content: string | Uint8Array; message: string }[] = [
        {
            rule: "gives a YAML error its line and column",
            content: "config:\n  gcp:project: netra-staging\n    gcp:region: us-central1\n",
            message: "Pulumi.t.yaml:2:16: is not valid YAML (Nested mappings are not allowed in compact mappings).",
        },
        {
            rule: "names a duplicate key and both of its lines",
            content: edited("      port: 8000\n", '      port: 8000\n      cpu: "2"\n'),
            message: "Pulumi.t.yaml:25:7: `netra-platform:services.backend.cpu` is set twice (lines 24 and 25); keep one.",
        },
        {
            rule: "names the namespace a misspelt key would be dropped from, and the key meant",
            content: edited("netra-platform:labels", "netra-platfrom:labels"),
            message:
                "Pulumi.t.yaml:10:3: `netra-platfrom:labels` is in namespace `netra-platfrom` (did you mean `netra-platform:labels`?), which neither the program nor a provider reads, so it would be dropped; namespaces read: netra-platform, gcp, random, pulumi.",
        },
        {
            rule: "catches the E2E key dropped by a misspelt namespace",
            content: edited("netra-platform:e2eOAuthSimulationKey", "netra-plaform:e2eOAuthSimulationKey"),
            message:
                "Pulumi.t.yaml:12:3: `netra-plaform:e2eOAuthSimulationKey` is in namespace `netra-plaform` (did you mean `netra-platform:e2eOAuthSimulationKey`?), which neither the program nor a provider reads, so it would be dropped; namespaces read: netra-platform, gcp, random, pulumi.",
        },
        {
            rule: "names a misspelt top-level key instead of reporting every setting missing",
            content: edited("\nconfig:\n", "\nconfg:\n"),
            message:
                "Pulumi.t.yaml:3:1: `confg` is not a stack file key (did you mean `config`?); allowed: config, environment, secretsprovider, encryptedkey, encryptionsalt.",
        },
        {
            rule: "names a provider setting the provider does not have",
            content: edited("gcp:project:", "gcp:projet:"),
            message:
                "Pulumi.t.yaml:4:3: `gcp:projet` is not a setting of the gcp provider (did you mean `gcp:project`?), so it would be dropped; remove it or correct its spelling.",
        },
        {
            rule: "refuses a key written with and without its namespace (the CLI would keep either one)",
            content: edited(
                "  netra-platform:deletionProtection: true\n",
                "  netra-platform:deletionProtection: true\n  deletionProtection: false\n",
            ),
            message:
                "Pulumi.t.yaml:10:3: `deletionProtection` and `netra-platform:deletionProtection` (line 9) are the same key, `netra-platform:deletionProtection`, written twice; keep one.",
        },
        {
            rule: "refuses a config key with more than one namespace separator",
            content: edited("  gcp:region: us-central1\n", "  gcp:region:us-central1: x\n  gcp:region: us-central1\n"),
            message:
                "Pulumi.t.yaml:5:3: `gcp:region:us-central1` is not a config key; write it as `<namespace>:<name>` (one `:`, both parts non-empty).",
        },
        {
            rule: "refuses Pulumi ESC environments, which the offline check cannot open",
            content: `environment:\n  - netra/staging\n${STAGING}`,
            message:
                "Pulumi.t.yaml:1:1: `environment` imports Pulumi ESC environments, which the offline check cannot open; keep the stack's config in `config`.",
        },
        {
            rule: "refuses 0755 unquoted: YAML readers disagree on it (755 here, 493 in Go)",
            content: edited('PYTHONUNBUFFERED: "1"', "PYTHONUNBUFFERED: 0755"),
            message:
                'Pulumi.t.yaml:40:27: `netra-platform:services.backend.env.PYTHONUNBUFFERED` is 0755 unquoted, which YAML reads as the number 755, not as written; quote it ("0755") to keep the text.',
        },
        {
            rule: 'refuses !!int "0755": the tag makes quoted text a number that YAML readers disagree on',
            content: edited('PYTHONUNBUFFERED: "1"', 'PYTHONUNBUFFERED: !!int "0755"'),
            message:
                'Pulumi.t.yaml:40:33: `netra-platform:services.backend.env.PYTHONUNBUFFERED` is !!int "0755", which YAML reads as the number 755, not as written; write 755, or drop the tag to keep the text ("0755").',
        },
        {
            rule: "refuses a tagged boolean not written true or false, whatever its quotes",
            content: edited("adoptExisting: false", "adoptExisting: !!bool 'False'"),
            message:
                "Pulumi.t.yaml:8:40: `netra-platform:adoptExisting` is !!bool 'False', which YAML reads as false, not as written; write false, or drop the tag to keep the text (\"False\").",
        },
        {
            rule: "refuses a tagged plain number not written canonically: quoting it alone would not keep the text",
            content: edited('rotation: "1"', "rotation: !!float 1.0"),
            message:
                'Pulumi.t.yaml:14:23: `netra-platform:e2eOAuthSimulationKey.rotation` is !!float 1.0, which YAML reads as the number 1, not as written; write 1, or drop the tag to keep the text ("1.0").',
        },
        {
            rule: "refuses a number too large to read back as written",
            content: edited('CLICKHOUSE_PORT: "8443"', "CLICKHOUSE_PORT: 1000000000000000000000000000000"),
            message:
                'Pulumi.t.yaml:45:26: `netra-platform:services.backend.env.CLICKHOUSE_PORT` is 1000000000000000000000000000000 unquoted, which YAML reads as the number 1e+30, not as written; quote it ("1000000000000000000000000000000") to keep the text.',
        },
        {
            rule: "refuses rotation: 1.0, which would arrive as 1 and not rotate",
            content: edited('rotation: "1"', "rotation: 1.0"),
            message:
                'Pulumi.t.yaml:14:15: `netra-platform:e2eOAuthSimulationKey.rotation` is 1.0 unquoted, which YAML reads as the number 1, not as written; quote it ("1.0") to keep the text.',
        },
        {
            rule: "refuses a boolean not written true or false",
            content: edited("adoptExisting: false", "adoptExisting: False"),
            message:
                'Pulumi.t.yaml:8:33: `netra-platform:adoptExisting` is False unquoted, which YAML reads as false; write false, or quote it ("False") to keep the text.',
        },
        {
            rule: "refuses UTF-16 text",
            content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(STAGING, "utf16le")]),
            message: "Pulumi.t.yaml: is UTF-16 text (it starts with the byte order mark 0xFF 0xFE); save it as UTF-8.",
        },
        {
            rule: "refuses UTF-16 text without a byte order mark",
            content: Buffer.from(STAGING, "utf16le"),
            message: "Pulumi.t.yaml: looks like UTF-16 text without a byte order mark (every other byte is NUL); save it as UTF-8.",
        },
        {
            rule: "refuses bytes that are not UTF-8, naming the byte and its place",
            content: Buffer.from(edited("team: platform", "team: platf\u00ffrm"), "latin1"),
            message: "Pulumi.t.yaml:11:16: is not valid UTF-8 (byte 0xFF); save the file as UTF-8.",
        },
        {
            rule: "refuses CR-only line endings, which would read as one comment line",
            content: STAGING.replace(/\n/g, "\r"),
            message:
                "Pulumi.t.yaml:1:94: uses CR line endings without LF (classic Mac OS), which YAML reads as one long line; save it with LF (or CRLF) line endings.",
        },
        {
            rule: "refuses a raw NUL",
            content: edited("team: platform", "team: plat\u0000form"),
            message: "Pulumi.t.yaml:11:15: holds the control character U+0000; a stack file is plain text.",
        },
        {
            rule: "refuses a NUL written as an escape, which would reach a container variable",
            content: edited('FORCE_HTTPS: "true"', 'FORCE_HTTPS: "tr\\0ue"'),
            message:
                "Pulumi.t.yaml:42:22: `netra-platform:services.backend.env.FORCE_HTTPS` holds the control character U+0000; remove it.",
        },
        {
            rule: "refuses a secure value used as a complex key without printing any of it",
            content: edited("config:\n", `config:\n  ? secure: ${SECRET_CIPHERTEXT}\n  : x\n`),
            message: "Pulumi.t.yaml:4:11: `config` has a map, a list or binary data as a key; keys must be plain text.",
        },
        {
            rule: "refuses an alias whose anchor is not defined above it, which this parser would read as null",
            content: edited("team: platform", "team: *owner"),
            message:
                "Pulumi.t.yaml:11:11: `netra-platform:labels.team` refers to the anchor `owner`, which is not defined before it; define `&owner` above it.",
        },
        {
            rule: "reports a YAML warning (an unresolved tag) as a problem of the file",
            content: edited("team: platform", "team: !custom platform"),
            message:
                "Pulumi.t.yaml:11:11: is ambiguous YAML (Unresolved tag: !custom); write it so that every YAML reader reads it the same.",
        },
        {
            rule: "escapes a newline and an ANSI sequence in a key, so they cannot forge or colour a line",
            content: edited("    team: platform", '    "te\\nam\\u001b[31m": platform'),
            message:
                "Pulumi.t.yaml:11:5: `netra-platform:labels.te\\nam\\u001b[31m` holds the control character U+001B in its name; remove it.",
        },
        {
            rule: "refuses a file beyond the supported size before parsing it",
            content: `config:\n#${"x".repeat(MAX_STACK_FILE_BYTES)}\n`,
            message: "Pulumi.t.yaml: is 1.0 MiB; the check reads stack files up to 1 MiB; split the stack.",
        },
    ];
    for (const { rule, content, message } of cases) {
        it(rule, () => expect(stackFileErrorOf(content)).to.equal(message));
    }
});

describe("stack file: bounded output", () => {
    it("cuts a 100 KB key to 64 characters and says how long it was", () => {
        // An explicit key (`? `): YAML limits implicit keys to 1024 characters.
        const message = stackFileErrorOf(`config:\n  ? x:${"k".repeat(100_000)}\n  : 1\n`);
        expect(message).to.equal(
            `Pulumi.t.yaml:2:5: \`x:${"k".repeat(62)}... (100,002 characters)\` is in namespace \`x\`, which neither the program nor a provider reads, so it would be dropped; namespaces read: netra-platform, gcp, random, pulumi.`,
        );
    });
});

describe("stack file: read as the CLI reads it", () => {
    it("prefixes a key without namespace with the project's, as the CLI does", () => {
        const file = readScratchStack(edited("netra-platform:adoptExisting: false", "adoptExisting: false"));
        expect(file.config["netra-platform:adoptExisting"]).to.equal("false");
    });

    it("strips a UTF-8 byte order mark, as the CLI does", () => {
        const file = readScratchStack(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(STAGING)]));
        expect(file.config["gcp:project"]).to.equal("netra-staging");
    });

    it("knows where each key is, with the namespace spelled out (for reports that point at lines)", () => {
        const file = readScratchStack(STAGING);
        expect(file.positions.get("netra-platform:services.backend.image")).to.deep.equal({ line: 22, column: 7 });
        expect(file.positions.get("gcp:project")).to.deep.equal({ line: 4, column: 3 });
    });

    it("passes a secure value as a secret placeholder, and never its ciphertext", () => {
        const file = readScratchStack(edited("config:\n", `config:\n  gcp:credentials:\n    secure: ${SECRET_CIPHERTEXT}\n`));
        expect(file.secretKeys).to.deep.equal(["gcp:credentials"]);
        expect(JSON.stringify(file)).not.to.include("c2VjcmV0");
    });
});
