/**
 * What every value of a live export must be before anything maps it, in every input kind: nested at
 * most MAX_VALUE_DEPTH levels, and never Pulumi's unknown-value marker. The walk holds no recursion
 * (a list of pending values), so a file nested 100,000 levels deep is refused with its path instead
 * of overflowing the stack.
 */
import { MAX_VALUE_DEPTH, UNKNOWN } from "../check/analyzer-wire";
import { type DocumentReader, type JsonPath } from "./input-error";

/** What the file holds, for the unknown marker's hint. */
export type LiveValueSource = "state" | "live";

/** A value waiting to be checked, with its path as a chain to its parent (built into a list only for a message). */
interface Pending {
    readonly value: unknown;
    readonly parent: Pending | undefined;
    readonly step: string | number | undefined;
    readonly depth: number;
}

function pathOf(entry: Pending, base: JsonPath): JsonPath {
    const steps: (string | number)[] = [];
    for (let at: Pending | undefined = entry; at?.step !== undefined; at = at.parent) {
        steps.push(at.step);
    }
    return [...base, ...steps.reverse()];
}

/**
 * Why the marker is refused. The pack takes the string for a value not known yet (as in a first
 * preview) and does not judge what holds it, so a live file holding it would switch those policies off.
 */
function unknownMarker(source: LiveValueSource): string {
    const why =
        `is Pulumi's unknown-value marker (${UNKNOWN}), which the policies take for a value not known yet and do not judge; ` +
        "the audit judges known values only";
    return source === "state"
        ? `${why} (the engine writes it for a value that never resolved: export again after a successful pulumi up or pulumi refresh)`
        : why;
}

/**
 * Fails, naming the path, at the first value (in document order) nested deeper than MAX_VALUE_DEPTH
 * levels below the root of `value`'s document (`base` is its own path there) or equal to the unknown marker.
 */
export function checkLiveValues(reader: DocumentReader, value: unknown, base: JsonPath, source: LiveValueSource): void {
    const pending: Pending[] = [{ value, parent: undefined, step: undefined, depth: base.length }];
    for (let entry = pending.pop(); entry !== undefined; entry = pending.pop()) {
        const current = entry.value;
        if (current === UNKNOWN) {
            reader.fail(pathOf(entry, base), unknownMarker(source));
        }
        if (typeof current !== "object" || current === null) {
            continue;
        }
        if (entry.depth >= MAX_VALUE_DEPTH) {
            reader.fail(
                pathOf(entry, base),
                `nests deeper than ${MAX_VALUE_DEPTH} levels; no export the audit reads nests more than a few dozen (is it the right file?)`,
            );
        }
        const children: [string | number, unknown][] = Array.isArray(current)
            ? current.map((element, index) => [index, element])
            : Object.entries(current);
        // Pushed last first, so they are checked in document order.
        for (let index = children.length - 1; index >= 0; index--) {
            const [step, child] = children[index];
            pending.push({ value: child, parent: entry, step, depth: entry.depth + 1 });
        }
    }
}
