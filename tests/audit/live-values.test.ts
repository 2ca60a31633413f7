/**
 * Values no live export holds (audit/live-values.ts), in every input kind: Pulumi's unknown-value
 * marker, which would switch the policies that read it off, and nesting deeper than the wire carries,
 * which overflowed the stack with no file or path.
 */
import { expect } from "chai";
import { AuditInputError } from "../../audit/input-error";
import { readAuditInput } from "../../audit/read-input";
import { scratchFiles } from "./support";

const MARKER = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const WHY =
    `is Pulumi's unknown-value marker (${MARKER}), which the policies take for a value not known yet and do not judge; ` +
    "the audit judges known values only";
const STATE_HINT = " (the engine writes it for a value that never resolved: export again after a successful pulumi up or pulumi refresh)";
const DEEP = "nests deeper than 256 levels; no export the audit reads nests more than a few dozen (is it the right file?)";

function outcome(file: string, content: unknown): string {
    const dir = scratchFiles({ [file]: content });
    try {
        return `read: ${readAuditInput(dir, file).resources.length} resource(s)`;
    } catch (error) {
        expect(error).to.be.instanceOf(AuditInputError);
        return (error as Error).message;
    }
}

const knative = (serviceAccountName: unknown) => [
    {
        apiVersion: "serving.knative.dev/v1",
        kind: "Service",
        metadata: { name: "netra-api" },
        spec: { template: { spec: { serviceAccountName, containers: [{ image: "gcr.io/p/api" }] } } },
    },
];
const state = (inputs: unknown) => ({
    version: 3,
    deployment: {
        resources: [{ urn: "urn:pulumi:staging::netra-platform::gcp:storage/bucket:Bucket::b", type: "gcp:storage/bucket:Bucket", inputs }],
    },
});

/** `levels` lists nested, the innermost holding "leaf". */
function nested(levels: number): unknown {
    let value: unknown = "leaf";
    for (let level = 0; level < levels; level++) {
        value = [value];
    }
    return value;
}

describe("audit: Pulumi's unknown-value marker in a live export", () => {
    it("is refused wherever it stands, in every input kind, naming its path and why", () => {
        expect(outcome("services.json", knative(MARKER))).to.equal(`services.json: $[0].spec.template.spec.serviceAccountName: ${WHY}`);
        expect(outcome("v2.json", { services: [{ name: "projects/p/locations/l/services/s", ingress: MARKER }] })).to.equal(
            `v2.json: $.services[0].ingress: ${WHY}`,
        );
        expect(outcome("k.secret-iam.json", { bindings: [{ role: "roles/secretmanager.secretAccessor", members: [MARKER] }] })).to.equal(
            `k.secret-iam.json: $.bindings[0].members[0]: ${WHY}`,
        );
        expect(outcome("state.json", state({ location: MARKER }))).to.equal(
            `state.json: $.deployment.resources[0].inputs.location: ${WHY}${STATE_HINT}`,
        );
    });

    it("is refused inside a decrypted secret too", () => {
        const plaintext = JSON.stringify({ password: MARKER });
        expect(outcome("state.json", state({ auth: { [SIG]: SECRET, plaintext } }))).to.equal(
            `state.json: $.deployment.resources[0].inputs.auth.plaintext.password: ${WHY}${STATE_HINT}`,
        );
    });

    it("is data when it only looks like the marker: another case, padded, or inside a longer string", () => {
        for (const near of [MARKER.toUpperCase(), ` ${MARKER}`, `${MARKER}x`, MARKER.slice(1)]) {
            expect(outcome("services.json", knative(near)), near).to.equal("read: 1 resource(s)");
        }
    });

    it("is a key like any other", () => {
        expect(outcome("state.json", state({ labels: { [MARKER]: "x" } }))).to.equal("read: 1 resource(s)");
    });
});

describe("audit: nesting deeper than any export", () => {
    // The state export's value sits at $.deployment.resources[0].inputs.x, at depth 5: its innermost list
    // is at depth 4 + levels, and a list at depth 256 is refused.
    it("is read up to 256 levels below the file's root and refused one level deeper, naming the path", () => {
        expect(outcome("state.json", state({ x: nested(251) }))).to.equal("read: 1 resource(s)");
        expect(outcome("state.json", state({ x: nested(252) }))).to.equal(
            `state.json: $.deployment.resources[0].inputs.x${"[0]".repeat(88)}[0... (487 more characters): ${DEEP}`,
        );
    });

    it("is refused in every input kind, however deep, before anything recurses", () => {
        // Written as text: JSON.stringify itself overflows on 100,000 levels.
        const deepText = `${"[".repeat(100_000)}"leaf"${"]".repeat(100_000)}`;
        const withDeep = (document: unknown): string => JSON.stringify(document).replace('"@deep@"', deepText);
        const documents: [string, unknown][] = [
            ["services.json", knative("@deep@")],
            ["v2.json", { services: [{ name: "projects/p/locations/l/services/s", template: "@deep@" }] }],
            ["state.json", state({ x: "@deep@" })],
            ["p.project-iam.json", { bindings: [{ role: "roles/viewer", condition: { expression: "@deep@" } }] }],
        ];
        for (const [file, document] of documents) {
            const message = outcome(file, withDeep(document));
            expect(message.endsWith(DEEP), message).to.equal(true);
        }
    });

    it("counts a decrypted secret's levels from the file's root", () => {
        // The plaintext is at depth 6: its innermost list at depth 5 + levels.
        const plaintext = JSON.stringify(nested(250));
        expect(outcome("state.json", state({ x: { [SIG]: SECRET, plaintext } }))).to.equal("read: 1 resource(s)");
        expect(outcome("state.json", state({ x: { [SIG]: SECRET, plaintext: JSON.stringify(nested(251)) } })).endsWith(DEEP)).to.equal(
            true,
        );
    });
});
