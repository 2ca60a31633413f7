/**
 * Random JSON trees for the property tests of what travels inside a google.protobuf.Struct: null, booleans, finite
 * numbers, strings, arrays and objects, nested a few levels, with the keys each test allows and, when asked, secrets
 * in the SDK's wire form at any depth.
 */
import * as fc from "fast-check";
import { SECRET_SIG, SIG_KEY } from "../../check/analyzer-wire";

export function jsonTrees(key: fc.Arbitrary<string>, options: { readonly secrets: boolean }): fc.Arbitrary<unknown> {
    return fc.letrec<{ value: unknown }>((tie) => ({
        value: fc.oneof(
            { depthSize: "small" },
            fc.constant(null),
            fc.boolean(),
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            fc.string(),
            fc.array(tie("value"), { maxLength: 4 }),
            fc.dictionary(key, tie("value"), { maxKeys: 4 }),
            ...(options.secrets ? [tie("value").map((value) => ({ [SIG_KEY]: SECRET_SIG, value }))] : []),
        ),
    })).value;
}
