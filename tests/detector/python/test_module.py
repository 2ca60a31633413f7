"""The module itself: Python 3.9 syntax, standard library only, installable offline, one file."""

import ast
import os
import subprocess
import sys
import tempfile
import unittest

from support import PACKAGE_DIR

MODULE_PATH = os.path.join(PACKAGE_DIR, "netra_environment.py")
STANDARD_LIBRARY = {"__future__", "errno", "json", "os", "re", "socket", "sys", "threading", "time", "typing", "urllib.parse"}


class ModuleTest(unittest.TestCase):
    def test_parses_as_python_3_9(self):
        with open(MODULE_PATH, encoding="utf-8") as file:
            ast.parse(file.read(), MODULE_PATH, feature_version=(3, 9))

    def test_imports_only_the_standard_library(self):
        with open(MODULE_PATH, encoding="utf-8") as file:
            tree = ast.parse(file.read())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module)
        self.assertEqual(imported, STANDARD_LIBRARY)

    def test_installs_with_pip_offline_and_runs(self):
        with tempfile.TemporaryDirectory() as target:
            install = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--disable-pip-version-check", "--target", target, PACKAGE_DIR],
                capture_output=True,
                text=True,
                timeout=300,
            )
            self.assertEqual(install.returncode, 0, install.stderr)
            self.assertEqual(sorted(set(os.listdir(target)) - {"__pycache__"}), ["bin", "netra_environment-0.1.0.dist-info", "netra_environment.py"])
            env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": target, "ENVIRONMENT": "prod"}
            run = subprocess.run([sys.executable, "-m", "netra_environment"], env=env, capture_output=True, text=True, timeout=60, cwd=target)
            self.assertEqual((run.returncode, run.stdout, run.stderr), (0, "production (explicit)\n", ""))


if __name__ == "__main__":
    unittest.main()
