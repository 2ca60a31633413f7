/**
 * What the Pulumi CLI's YAML reader, Go's yaml.v3, makes of a plain (unquoted, untagged) scalar that the npm `yaml`
 * parser reads as text. The two follow different rules past YAML 1.2's core schema (yaml.v3 resolve.go, `resolve`):
 * yaml.v3 drops every `_` from a scalar that starts with a digit or a sign and reads the rest as Go's `ParseInt` with
 * base 0 does (`0b`, `0o`, `0x` and a leading `0` prefixes, a sign before any of them), or as a float, and reads an
 * unquoted date as a timestamp. A value the CLI reads as something else than the check does is refused, not guessed.
 */

/** Go's base-0 integer syntax once underscores are gone: a sign, then binary, octal, hexadecimal or decimal digits. */
const GO_INTEGER = /^[-+]?(?:0[bB][01]+|0[oO]?[0-7]+|0[xX][0-9a-fA-F]+|[0-9]+)$/;
/** yaml.v3's `yamlStyleFloat`. */
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** The date forms of yaml.v3's `allowedTimestampFormats`: a date, then optionally a time (Go's layouts take 1 or 2 digits). */
const GO_TIMESTAMP =
    /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ ]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?[ ]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?)?)?$/;

/**
 * "a timestamp", "the number 5", "a number": what yaml.v3 reads `text` as when it is written plain; undefined when it
 * reads text, as the npm parser did. Only scalars the npm parser left as text are asked about.
 */
export function goYamlReadsPlainAs(text: string): string | undefined {
    // yaml.v3 tries its other types only for a scalar that starts with a digit, a sign or a dot.
    if (!/^[-+.0-9]/.test(text)) {
        return undefined;
    }
    if (GO_TIMESTAMP.test(text)) {
        return "a timestamp";
    }
    const plain = text.replace(/_/g, "");
    if (GO_INTEGER.test(plain) || GO_FLOAT.test(plain)) {
        const number = goNumber(plain);
        return Number.isSafeInteger(number) ? `the number ${number}` : "a number";
    }
    return undefined;
}

/** The value of a Go integer or float literal in the forms above (NaN where JavaScript cannot say exactly). */
function goNumber(plain: string): number {
    const sign = plain.startsWith("-") ? -1 : 1;
    const unsigned = plain.replace(/^[-+]/, "");
    const prefixed = /^0([bBoOxX])/.exec(unsigned);
    if (prefixed !== null) {
        return sign * Number(`0${prefixed[1].toLowerCase()}${unsigned.slice(2)}`);
    }
    // A leading 0 makes the rest octal for ParseInt, when every digit is one.
    if (/^0[0-7]+$/.test(unsigned)) {
        return sign * Number(`0o${unsigned.slice(1)}`);
    }
    const value = sign * Number(unsigned);
    return Number.isInteger(value) && !/^[0-9]+$/.test(unsigned) ? Number.NaN : value;
}
