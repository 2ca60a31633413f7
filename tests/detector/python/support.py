"""Shared by the Python tests: the repository root, the module under test on sys.path, the vectors."""

import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PACKAGE_DIR = os.path.join(ROOT, "detector", "python")
VECTORS_PATH = os.path.join(ROOT, "detector", "vectors.json")

if PACKAGE_DIR not in sys.path:
    sys.path.insert(0, PACKAGE_DIR)

import netra_environment  # noqa: E402  (after the path is set)


def load_vectors():
    with open(VECTORS_PATH, encoding="utf-8") as file:
        return json.load(file)["vectors"]


def outcome(environ):
    """The result as a dict, or the error's code and message: what a caller can observe."""
    try:
        return netra_environment.detect_environment(environ).as_dict()
    except netra_environment.EnvironmentDetectionError as error:
        return {"code": error.code, "message": error.message}
