/**
 * The bytes of the Analyze and AnalyzeStack requests, written directly: byte for byte what
 * google-protobuf's `serializeBinary()` gives for the messages the engine fills (its
 * `marshalResourceOptions` and `MarshalProperties`), without building them; the tests build those
 * messages as google-protobuf objects (tests/support/analyzer-messages.ts) and compare. On 500
 * services (8,185 resources) building each request as google-protobuf objects (a Struct, a Value per property) and
 * serialising them was the largest part of the check's own thread and of its garbage.
 *
 * What google-protobuf does and this file copies: fields in field-number order; a proto3 scalar at
 * its default (empty string, false, 0) is left out, a set message is written even when empty; a
 * map's entries (Struct fields, property dependencies) are sorted by key as JavaScript sorts
 * strings; NaN is written as the double 0x7fffffffffffffff; strings as google-protobuf encodes
 * them, which differs from UTF-8 only for unpaired surrogates (see `writeStringSlow`).
 */
import {
    type AnalyzerProviderInput,
    type AnalyzerResourceInput,
    type AnalyzerResourceOptionsInput,
    normalizeProperties,
    timeoutSeconds,
    urnName,
    type WireObject,
    type WireValue,
    WireFormatError,
} from "./analyzer-wire";

/** Protobuf wire types. */
const VARINT = 0;
const FIXED64 = 1;
const DELIMITED = 2;

function tag(field: number, wireType: number): number {
    return (field << 3) | wireType;
}

/** The largest length prefix written in place before it is known (one byte: 0..127). */
const ONE_BYTE_VARINT = 0x80;

/** A UTF-16 surrogate: strings with one take google-protobuf's own encoding (`writeStringSlow`). */
const SURROGATE = /[\ud800-\udfff]/;

/** A growing byte buffer with the few protobuf writes the Analyzer requests need. */
class ProtoWriter {
    private buffer: Buffer;
    private position = 0;

    constructor(initialBytes: number) {
        this.buffer = Buffer.allocUnsafe(initialBytes);
    }

    /** The bytes written, in a buffer of their own. */
    finish(): Buffer {
        return Buffer.from(this.buffer.subarray(0, this.position));
    }

    reset(): void {
        this.position = 0;
    }

    private reserve(bytes: number): void {
        const needed = this.position + bytes;
        if (needed > this.buffer.length) {
            const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
            this.buffer.copy(grown, 0, 0, this.position);
            this.buffer = grown;
        }
    }

    /** An unsigned varint below 2^32 (tags and lengths). */
    varint(value: number): void {
        this.reserve(5);
        let rest = value >>> 0;
        while (rest >= ONE_BYTE_VARINT) {
            this.buffer[this.position++] = (rest & 0x7f) | ONE_BYTE_VARINT;
            rest >>>= 7;
        }
        this.buffer[this.position++] = rest;
    }

    bool(field: number, value: boolean): void {
        this.varint(tag(field, VARINT));
        this.varint(value ? 1 : 0);
    }

    /** An enum field (google.protobuf.NullValue is one, always 0). */
    enumValue(field: number, value: number): void {
        this.varint(tag(field, VARINT));
        this.varint(value);
    }

    double(field: number, value: number): void {
        this.varint(tag(field, FIXED64));
        this.reserve(8);
        if (Number.isNaN(value)) {
            // google-protobuf's splitFloat64 writes NaN with every mantissa bit set.
            this.buffer.writeUInt32LE(0xffffffff, this.position);
            this.buffer.writeUInt32LE(0x7fffffff, this.position + 4);
        } else {
            this.buffer.writeDoubleLE(value, this.position);
        }
        this.position += 8;
    }

    string(field: number, value: string): void {
        this.varint(tag(field, DELIMITED));
        if (!SURROGATE.test(value)) {
            // UTF-8, Buffer's default.
            const length = Buffer.byteLength(value);
            this.varint(length);
            this.reserve(length);
            this.position += this.buffer.write(value, this.position);
        } else {
            this.writeStringSlow(value);
        }
    }

    /**
     * A string with a surrogate, encoded as google-protobuf's BinaryEncoder.writeString
     * does: a pair as UTF-8's four bytes, a lone low surrogate or a high surrogate at the end as three bytes of its own code unit,
     * and a high surrogate followed by anything but a low one dropped.
     */
    private writeStringSlow(value: string): void {
        const bytes: number[] = [];
        for (let index = 0; index < value.length; index++) {
            let code = value.charCodeAt(index);
            if (code < 0x80) {
                bytes.push(code);
            } else if (code < 0x800) {
                bytes.push((code >> 6) | 0xc0, (code & 0x3f) | 0x80);
            } else if (code >= 0xd800 && code <= 0xdbff && index + 1 < value.length) {
                const next = value.charCodeAt(index + 1);
                if (next >= 0xdc00 && next <= 0xdfff) {
                    code = (code - 0xd800) * 0x400 + next - 0xdc00 + 0x10000;
                    bytes.push((code >> 18) | 0xf0, ((code >> 12) & 0x3f) | 0x80, ((code >> 6) & 0x3f) | 0x80, (code & 0x3f) | 0x80);
                    index++;
                }
            } else {
                bytes.push((code >> 12) | 0xe0, ((code >> 6) & 0x3f) | 0x80, (code & 0x3f) | 0x80);
            }
        }
        this.varint(bytes.length);
        this.reserve(bytes.length);
        for (const byte of bytes) {
            this.buffer[this.position++] = byte;
        }
    }

    /** Starts a length-delimited field; returns where its one-byte length placeholder is. */
    begin(field: number): number {
        this.varint(tag(field, DELIMITED));
        this.reserve(1);
        return this.position++;
    }

    /** Ends the field `begin` started: writes its length, moving the contents when it takes more than one byte. */
    end(placeholder: number): void {
        const length = this.position - placeholder - 1;
        if (length < ONE_BYTE_VARINT) {
            this.buffer[placeholder] = length;
            return;
        }
        let extra = 0;
        for (let rest = length >>> 7; rest >= ONE_BYTE_VARINT; rest >>>= 7) {
            extra++;
        }
        extra++;
        this.reserve(extra);
        this.buffer.copyWithin(placeholder + 1 + extra, placeholder + 1, this.position);
        const contentEnd = this.position + extra;
        this.position = placeholder;
        this.varint(length);
        this.position = contentEnd;
    }
}

/** A google.protobuf.Value (struct.proto: null_value 1, number_value 2, string_value 3, bool_value 4, struct_value 5, list_value 6). */
function writeValue(writer: ProtoWriter, value: WireValue): void {
    if (value === null) {
        writer.enumValue(1, 0);
    } else if (typeof value === "number") {
        writer.double(2, value);
    } else if (typeof value === "string") {
        writer.string(3, value);
    } else if (typeof value === "boolean") {
        writer.bool(4, value);
    } else if (Array.isArray(value)) {
        const list = writer.begin(6);
        for (const element of value) {
            const entry = writer.begin(1); // ListValue.values
            writeValue(writer, element);
            writer.end(entry);
        }
        writer.end(list);
    } else {
        const struct = writer.begin(5);
        writeStructFields(writer, value);
        writer.end(struct);
    }
}

/** A google.protobuf.Struct's fields (map<string, Value> fields = 1), sorted by key as google-protobuf writes a map. */
function writeStructFields(writer: ProtoWriter, object: WireObject): void {
    for (const key of Object.keys(object).sort()) {
        const entry = writer.begin(1);
        writer.string(1, key);
        const value = writer.begin(2);
        writeValue(writer, object[key]);
        writer.end(value);
        writer.end(entry);
    }
}

function writeStruct(writer: ProtoWriter, field: number, object: WireObject): void {
    const struct = writer.begin(field);
    writeStructFields(writer, object);
    writer.end(struct);
}

function writeNonEmptyString(writer: ProtoWriter, field: number, value: string): void {
    if (value.length > 0) {
        writer.string(field, value);
    }
}

function writeStrings(writer: ProtoWriter, field: number, values: readonly string[] | undefined): void {
    for (const value of values ?? []) {
        writer.string(field, value);
    }
}

/** AnalyzerResourceOptions (analyzer.proto), as the engine's `marshalResourceOptions` fills it. */
function writeOptions(
    writer: ProtoWriter,
    field: number,
    options: AnalyzerResourceOptionsInput | undefined,
    parent: string | undefined,
): void {
    const opts = options ?? {};
    const message = writer.begin(field);
    if (opts.protect === true) {
        writer.bool(1, true);
    }
    writeStrings(writer, 2, opts.ignoreChanges);
    if (opts.deleteBeforeReplace !== undefined) {
        if (opts.deleteBeforeReplace) {
            writer.bool(3, true);
        }
        writer.bool(4, true); // deleteBeforeReplaceDefined
    }
    writeStrings(writer, 5, opts.additionalSecretOutputs);
    writeStrings(writer, 6, opts.aliases);
    const timeouts = writer.begin(7);
    const seconds = [
        timeoutSeconds(opts.customTimeouts?.create, "customTimeouts.create"),
        timeoutSeconds(opts.customTimeouts?.update, "customTimeouts.update"),
        timeoutSeconds(opts.customTimeouts?.delete, "customTimeouts.delete"),
    ];
    seconds.forEach((value, index) => {
        if (value !== 0) {
            writer.double(index + 1, value);
        }
    });
    writer.end(timeouts);
    writeNonEmptyString(writer, 8, parent ?? opts.parent ?? "");
    writer.end(message);
}

/** AnalyzerProviderResource: type 1, properties 2, urn 3, name 4. */
function writeProvider(writer: ProtoWriter, field: number, provider: AnalyzerProviderInput): void {
    const message = writer.begin(field);
    writeNonEmptyString(writer, 1, provider.type);
    const name = provider.name ?? urnName(provider.urn);
    writeStruct(writer, 2, normalizeProperties(provider.properties ?? {}));
    writeNonEmptyString(writer, 3, provider.urn);
    writeNonEmptyString(writer, 4, name);
    writer.end(message);
}

/** The fields an AnalyzeRequest and an AnalyzerResource share (1 to 6), checked in `fillResource`'s order. */
function writeResourceFields(writer: ProtoWriter, resource: AnalyzerResourceInput): void {
    const name = resource.name ?? urnName(resource.urn);
    const properties = normalizeProperties(resource.properties);
    writeNonEmptyString(writer, 1, resource.type);
    writeStruct(writer, 2, properties);
    writeNonEmptyString(writer, 3, resource.urn);
    writeNonEmptyString(writer, 4, name);
    writeOptions(writer, 5, resource.options, resource.parent);
    if (resource.provider) {
        writeProvider(writer, 6, resource.provider);
    }
}

/** Runs `write`, naming the resource in any WireFormatError it throws (as analyzer-wire's `forResource`). */
function forResource(urn: string, write: () => void): void {
    try {
        write();
    } catch (error) {
        if (error instanceof WireFormatError) {
            throw new WireFormatError(`cannot send ${urn} to the policy pack: ${error.message}`);
        }
        throw error;
    }
}

/** One writer reused by every request: its buffer grows to the largest request and stays. */
// Stryker disable next-line ArithmeticOperator: the first size only spares early growth; any size writes the same bytes
const shared = new ProtoWriter(64 * 1024);

/** The bytes of the AnalyzeRequest the engine sends for one resource (always with options). */
export function encodeAnalyzeRequest(resource: AnalyzerResourceInput): Buffer {
    shared.reset();
    forResource(resource.urn, () => writeResourceFields(shared, resource));
    return shared.finish();
}

/** An AnalyzerResource's fields 7 to 9: parent, dependencies and non-empty property dependencies (sorted by key). */
function writeStackResource(writer: ProtoWriter, resource: AnalyzerResourceInput): void {
    writeResourceFields(writer, resource);
    writeNonEmptyString(writer, 7, resource.parent ?? resource.options?.parent ?? "");
    writeStrings(writer, 8, resource.dependencies);
    const propertyDependencies = resource.propertyDependencies ?? {};
    for (const key of Object.keys(propertyDependencies).sort()) {
        const urns = propertyDependencies[key];
        if (urns.length === 0) {
            continue;
        }
        const entry = writer.begin(9);
        writer.string(1, key);
        const dependencies = writer.begin(2);
        writeStrings(writer, 1, urns);
        writer.end(dependencies);
        writer.end(entry);
    }
}

/** The bytes of an AnalyzeStackRequest: each resource with its parent and dependencies. */
export function encodeAnalyzeStackRequest(resources: readonly AnalyzerResourceInput[]): Buffer {
    shared.reset();
    for (const resource of resources) {
        const message = shared.begin(1);
        forResource(resource.urn, () => writeStackResource(shared, resource));
        shared.end(message);
    }
    return shared.finish();
}
