"""python -m netra_environment, spawned as a container entrypoint runs it, one case per exit status."""

import json
import os
import subprocess
import sys
import unittest

from support import PACKAGE_DIR

USAGE = "python -m netra_environment [--json] [--strict] [--help]"
INFERRED = (
    "`ENVIRONMENT` is not set; staging was inferred from K_SERVICE, GCP_PROJECT_ID. "
    "Set ENVIRONMENT=staging on the Cloud Run service."
)
STAGING_SERVICE = {"K_SERVICE": "netra-backend-staging", "GCP_PROJECT_ID": "netra-staging", "NODE_ENV": "production"}
SIGNALS = {
    "K_SERVICE": {"value": "netra-backend-staging", "environments": ["staging"]},
    "GCP_PROJECT_ID": {"value": "netra-staging", "environments": ["staging"]},
}


def detect(args, environ):
    """(exit status, stdout, stderr) of the module run with exactly `environ` (plus what Python needs to start)."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": PACKAGE_DIR, **environ}
    done = subprocess.run(
        [sys.executable, "-m", "netra_environment", *args], env=env, capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stdout, done.stderr


class ExitZeroTest(unittest.TestCase):
    def test_prints_the_environment_and_its_source(self):
        self.assertEqual(detect([], {"ENVIRONMENT": " Stage "}), (0, "staging (explicit)\n", ""))

    def test_prints_the_development_default_off_cloud_run(self):
        self.assertEqual(detect([], {"NODE_ENV": "production"}), (0, "development (default)\n", ""))

    def test_prints_warnings_on_stderr_and_still_exits_zero(self):
        self.assertEqual(detect([], STAGING_SERVICE), (0, "staging (platform)\n", "detect: warning: %s\n" % INFERRED))

    def test_prints_one_line_of_json(self):
        expected = {"environment": "staging", "source": "platform", "signals": SIGNALS, "warnings": [INFERRED]}
        code, stdout, stderr = detect(["--json"], STAGING_SERVICE)
        self.assertEqual((code, stderr), (0, "detect: warning: %s\n" % INFERRED))
        self.assertEqual(stdout, json.dumps(expected, separators=(",", ":")) + "\n")

    def test_prints_its_help(self):
        code, stdout, stderr = detect(["--help"], {})
        self.assertEqual((code, stderr, stdout.split("\n")[0]), (0, "", "Usage: " + USAGE))
        self.assertIn("Exit status: 0 decided; 2 cannot decide, invalid value or usage error; 3 warnings under --strict.\n", stdout)


class ExitTwoTest(unittest.TestCase):
    def test_refuses_a_cloud_run_job_whose_signals_name_no_environment(self):
        self.assertEqual(
            detect(["--json"], {"CLOUD_RUN_JOB": "netra-db-migrate", "CLOUD_RUN_TASK_INDEX": "0"}),
            (
                2,
                "",
                "detect: Cannot tell the environment on this Cloud Run job: `ENVIRONMENT` is not set and no signal names "
                "one (CLOUD_RUN_JOB=netra-db-migrate). Set ENVIRONMENT to one of: development, test, staging, production.\n",
            ),
        )

    def test_refuses_a_look_alike_environment_saying_it_holds_non_ascii(self):
        self.assertEqual(
            detect([], {"ENVIRONMENT": "\u0455taging"}),
            (
                2,
                "",
                'detect: `ENVIRONMENT` is "\\u0455taging", which holds non-ASCII characters, which no environment name has; '
                "use one of: development (dev, local), test (testing), staging (stage), production (prod).\n",
            ),
        )

    def test_refuses_an_unknown_option_escaped_and_cut(self):
        code, stdout, stderr = detect(["--json", "--verbose\x1b[31m" + "x" * 100], {"ENVIRONMENT": "staging"})
        self.assertEqual(
            (code, stdout, stderr),
            (2, "", "detect: unknown option `--verbose\\u001b[31m" + "x" * 50 + "...`; usage: %s\n" % USAGE),
        )

    def test_refuses_a_positional_argument(self):
        self.assertEqual(detect(["staging"], {}), (2, "", "detect: unexpected argument `staging`; usage: %s\n" % USAGE))


class ExitThreeTest(unittest.TestCase):
    def test_fails_on_the_warning_that_environment_is_missing(self):
        self.assertEqual(
            detect(["--strict"], STAGING_SERVICE),
            (3, "staging (platform)\n", "detect: warning: %s\ndetect: --strict: failing on 1 warning\n" % INFERRED),
        )

    def test_fails_on_an_explicit_environment_that_contradicts_a_worker_pool(self):
        environ = {"ENVIRONMENT": "production", "CLOUD_RUN_WORKER_POOL": "netra-worker-staging"}
        warning = "`ENVIRONMENT` is production, but CLOUD_RUN_WORKER_POOL (netra-worker-staging) says staging; production is kept."
        self.assertEqual(
            detect(["--strict"], environ),
            (3, "production (explicit)\n", "detect: warning: %s\ndetect: --strict: failing on 1 warning\n" % warning),
        )


if __name__ == "__main__":
    unittest.main()
