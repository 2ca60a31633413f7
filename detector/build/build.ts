/**
 * `npm run build:detector`: writes detector/dist (the runtime as JavaScript) and the generated constants of the Python
 * twin. Run it after changing any detector module; the tests say when it was forgotten.
 */

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { compileDist, DIST_DIR } from "./dist";
import { PYTHON_MODULE_PATH, withGeneratedConstants } from "./python-constants";

function build(): void {
    const files = compileDist();
    mkdirSync(DIST_DIR, { recursive: true });
    for (const stale of readdirSync(DIST_DIR).filter((name) => !files.has(name))) {
        rmSync(path.join(DIST_DIR, stale));
    }
    for (const [name, text] of files) {
        writeFileSync(path.join(DIST_DIR, name), text);
    }
    writeFileSync(PYTHON_MODULE_PATH, withGeneratedConstants(readFileSync(PYTHON_MODULE_PATH, "utf8")));
    console.log(
        `build:detector: wrote ${files.size} files to ${path.relative(process.cwd(), DIST_DIR)} and the constants of ${path.relative(process.cwd(), PYTHON_MODULE_PATH)}`,
    );
}

build();
