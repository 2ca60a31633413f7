"""The Python side of the differential test (tests/detector/differential.test.ts): one JSON case per line on stdin,
{"env": {...}, "args": [...]}; one JSON answer per line on stdout, {"outcome": result or {code, message},
"cli": [exit status, stdout, stderr]}. One process for thousands of cases."""

import json
import sys

from support import netra_environment, outcome


def main():
    answers = []
    for line in sys.stdin.buffer.read().decode("utf-8").splitlines():
        case = json.loads(line)
        answers.append(json.dumps({"outcome": outcome(case["env"]), "cli": list(netra_environment.run_cli(case["args"], case["env"]))}))
    sys.stdout.write("".join(answer + "\n" for answer in answers))


if __name__ == "__main__":
    main()
