"""CPython microseconds per detect_environment call, for bench/detector.bench.ts (which prints them beside Node's).

    python3 bench/detector-python.bench.py     # prints one JSON object: case -> median microseconds per call

Cases match the Node rows: explicit ENVIRONMENT with Cloud Run signals, Cloud Run with agreeing signals (platform),
the local default, values new to the process (cold), and os.environ.
"""

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "detector", "python"))
import netra_environment  # noqa: E402

CLOUD_RUN_BACKEND = {
    "K_SERVICE": "netra-backend-staging",
    "K_REVISION": "netra-backend-staging-00042-abc",
    "K_CONFIGURATION": "netra-backend-staging",
    "GCP_PROJECT_ID": "netra-staging",
    "AUTH_SERVICE_URL": "https://auth.staging.netrasystems.ai",
    "FRONTEND_URL": "https://staging.netrasystems.ai",
    "NODE_ENV": "production",
    "PORT": "8000",
    "PYTHONUNBUFFERED": "1",
}
EXPLICIT = dict(CLOUD_RUN_BACKEND, ENVIRONMENT="staging")
LOCAL = {"HOME": "/home/dev", "PATH": "/usr/local/bin:/usr/bin", "SHELL": "/bin/bash", "NODE_ENV": "development"}
COLD = [
    dict(
        CLOUD_RUN_BACKEND,
        K_SERVICE="netra-backend-%d-staging" % index,
        K_REVISION="netra-backend-%d-staging-00042-abc" % index,
        K_CONFIGURATION="netra-backend-%d-staging" % index,
        GCP_PROJECT_ID="netra-staging-%d" % index,
        AUTH_SERVICE_URL="https://auth-%d.staging.netrasystems.ai" % index,
        FRONTEND_URL="https://app-%d.staging.netrasystems.ai" % index,
    )
    for index in range(4096)
]
RUNS = 7
CALLS = 10000


def per_call_us(environments):
    detect = netra_environment.detect_environment
    count = len(environments)
    medians = []
    for run in range(RUNS + 1):
        started = time.perf_counter()
        for index in range(CALLS):
            detect(environments[index % count])
        elapsed = time.perf_counter() - started
        if run > 0:  # the first run warms up
            medians.append(elapsed / CALLS * 1e6)
    return statistics.median(medians)


def main():
    figures = {
        "python": sys.version.split()[0],
        "explicit": per_call_us([EXPLICIT]),
        "platform": per_call_us([CLOUD_RUN_BACKEND]),
        "default": per_call_us([LOCAL]),
        "cold": per_call_us(COLD),
        "os.environ": per_call_us([os.environ]),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
