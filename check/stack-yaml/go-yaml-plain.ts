/**
 * What the Pulumi CLI's YAML reader, Go's yaml.v3, makes of a plain (unquoted, untagged) scalar that the npm `yaml`
 * parser reads as text. The two follow different rules past YAML 1.2's core schema (yaml.v3 resolve.go, `resolve`):
 * yaml.v3 drops every `_` from a scalar that starts with a digit or a sign and reads the rest as Go's `ParseInt` with
 * base 0 does (`0b`, `0o`, `0x` and a leading `0` prefixes, a sign before any of them), or as a float, and reads an
 * unquoted date as a timestamp. A value the CLI reads as something else than the check does is refused, not guessed.
 */

/** Go's base-0 integer syntax once underscores are gone: a sign, then binary, octal, hexadecimal or decimal digits. */
const GO_INTEGER = /^([-+]?)(?:0[bB]([01]+)|0[oO]([0-7]+)|0[xX]([0-9a-fA-F]+)|0([0-7]+)|([0-9]+))$/;
/** yaml.v3's `yamlStyleFloat`. */
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** The forms of yaml.v3's `allowedTimestampFormats`: a date, or a date and a time after `T`, `t` or spaces (Go's layouts take 1 or 2 digits). */
const GO_TIMESTAMP =
    /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]| +)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})?)?$/;

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
    const integer = GO_INTEGER.exec(plain);
    if (integer !== null) {
        const [, sign, binary, octal, hex, leadingZeroOctal, decimal] = integer;
        const digits = binary ?? octal ?? hex ?? leadingZeroOctal ?? decimal;
        const base = binary !== undefined ? 2 : hex !== undefined ? 16 : decimal !== undefined ? 10 : 8;
        const value = parseInt(digits, base) * (sign === "-" ? -1 : 1);
        return Number.isSafeInteger(value) ? `the number ${value}` : "a number";
    }
    return GO_FLOAT.test(plain) ? "a number" : undefined;
}
