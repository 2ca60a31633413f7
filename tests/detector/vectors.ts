/**
 * Loads detector/vectors.json, the table of env-in, result-or-error-out cases shared with ports of the detector.
 */

import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { DetectionResult } from "../../detector/detect";
import type { DetectionErrorCode } from "../../detector/errors";

/** One row of the table: exactly one of `result` and `error` is present. */
export interface DetectionVector {
    readonly name: string;
    readonly env: Readonly<Record<string, string>>;
    readonly result?: DetectionResult;
    readonly error?: { readonly code: DetectionErrorCode; readonly message: string };
}

/** The path of the vector file, for tests that hand it to other tools. */
export const VECTORS_PATH = path.join(__dirname, "..", "..", "detector", "vectors.json");

/** Every vector in file order. */
export function loadVectors(): DetectionVector[] {
    const file = JSON.parse(readFileSync(VECTORS_PATH, "utf8")) as { vectors: DetectionVector[] };
    return file.vectors;
}
