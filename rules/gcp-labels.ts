/**
 * Google Cloud's rules for resource labels, from
 * https://cloud.google.com/resource-manager/docs/labels-overview#requirements (read 2026-12):
 * at most 64 labels per resource; keys 1 to 63 characters, values 0 to 63; only lower-case letters,
 * digits, `_` and `-`, international (UTF-8) characters allowed; keys start with a lower-case letter
 * or an international character.
 */

/** Labels one resource may carry, counting those the program adds. */
export const MAX_LABELS_PER_RESOURCE = 64;

/** Characters of a key or value. */
export const MAX_LABEL_LENGTH = 63;

// "Lower-case letters" in Google's sense: ASCII a-z plus international letters that are lower case or
// have no case (\p{Lo}: CJK, Arabic, ...). Upper-case letters of any script are refused.
const KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{Nd}_-]*$/u;
const VALUE = /^[\p{Ll}\p{Lo}\p{Nd}_-]*$/u;

function length(text: string): number {
    return Array.from(text).length;
}

/** True when `key` is a valid label key. */
export function isLabelKey(key: string): boolean {
    return length(key) >= 1 && length(key) <= MAX_LABEL_LENGTH && KEY.test(key);
}

/** True when `value` is a valid label value (it may be empty). */
export function isLabelValue(value: string): boolean {
    return length(value) <= MAX_LABEL_LENGTH && VALUE.test(value);
}

/** For messages. */
export const LABEL_KEY_RULE = "1 to 63 lower-case letters, digits, _ and -, starting with a letter";
export const LABEL_VALUE_RULE = "at most 63 lower-case letters, digits, _ and -";
