#!/usr/bin/env python3
"""Compute or check the expected results of the ASL conformance cases with moto.

Each case in cases/NNN_name.json holds an ASL definition, an input and the
result expected from an execution: {"status": "SUCCEEDED", "output": ...} or
{"status": "FAILED", "error": "States.X"} (errors are compared by name only).
The results come from moto's Step Functions executor (a LocalStack-derived
interpreter), run in-process with one mock_aws context per case.

Where moto departs from AWS's documented behaviour, aws_differs.json lists the
case with the AWS behaviour ("expected", which the case file holds too) and
what moto gives ("moto"); check mode then checks that moto still gives that.

Case conventions, forced by moto: no case ends with a top-level string output
(moto returns it unquoted, so "5" and 5 could not be told apart); values that
are unpredictable (States.UUID, States.MathRandom) are checked by a Choice and
never recorded; waits are 0 or 1 s (moto sleeps for real); no Task states.

Run with the oracle venv's python (standard library + boto3 + moto only):

    target/oracles/venv/bin/python tests/conformance/moto_expect.py          # check
    target/oracles/venv/bin/python tests/conformance/moto_expect.py --write  # rewrite
    ... moto_expect.py [--write] 012 map_     # only cases whose name contains a filter
"""

import argparse
import contextlib
import io
import json
import logging
import os
import sys
import time
from pathlib import Path

# Dummy credentials and a fixed region, set before boto3/moto are imported:
# moto intercepts every call in-process, nothing goes to the network.
for _key, _value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}.items():
    os.environ[_key] = _value
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

# moto logs every failed execution's stack of components at ERROR level; the
# error name is all that is compared.
logging.getLogger("moto").setLevel(logging.CRITICAL)

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
DIFFERS = HERE / "aws_differs.json"
KEY_ORDER = ("description", "definition", "input", "expected")
ROLE = "arn:aws:iam::123456789012:role/conformance"
TIMEOUT_S = 60.0


def run_in_moto(definition, input_value, timeout=TIMEOUT_S):
    """Run one execution in a fresh mock_aws context; return its result record."""
    # moto's ANTLR parser prints syntax complaints (e.g. about escapes) on stderr.
    with contextlib.redirect_stderr(io.StringIO()), \
            mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        client = boto3.client("stepfunctions", region_name="us-east-1")
        arn = client.create_state_machine(
            name="conformance",
            definition=json.dumps(definition),
            roleArn=ROLE,
        )["stateMachineArn"]
        execution = client.start_execution(
            stateMachineArn=arn, input=json.dumps(input_value)
        )["executionArn"]
        deadline = time.monotonic() + timeout
        delay = 0.01
        while True:
            described = client.describe_execution(executionArn=execution)
            if described["status"] != "RUNNING":
                break
            if time.monotonic() > deadline:
                client.stop_execution(executionArn=execution)
                raise TimeoutError(f"execution still RUNNING after {timeout:.0f} s")
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
    status = described["status"]
    if status == "SUCCEEDED":
        # moto omits the output of a null result and does not JSON-encode a string
        # result (it returns abc, not "abc"): cases keep their outputs non-strings.
        text = described.get("output")
        if text is None:
            return {"status": status, "output": None}
        try:
            return {"status": status, "output": json.loads(text)}
        except json.JSONDecodeError:
            raise RuntimeError(f"moto returned an output that is not JSON: {text[:200]!r}")
    if status == "FAILED":
        return {"status": status, "error": described.get("error")}
    return {"status": status}


def canonical(value):
    """A comparable form of a JSON value: booleans never equal numbers."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def dump(value):
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def load_cases(filters):
    paths = sorted(CASES.glob("*.json"))
    if filters:
        paths = [p for p in paths if any(f in p.stem for f in filters)]
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true",
                        help="record moto's results as the expected results")
    parser.add_argument("filters", nargs="*",
                        help="only cases whose file name contains one of these")
    args = parser.parse_args()

    started = time.monotonic()
    differs = json.loads(DIFFERS.read_text()) if DIFFERS.exists() else {}
    paths = load_cases(args.filters)
    if not paths:
        print("no cases matched", file=sys.stderr)
        return 1
    problems = []
    notes = []

    if not args.filters:
        names = {p.stem for p in paths}
        for name in sorted(set(differs) - names):
            problems.append(f"{name}: listed in aws_differs.json but no such case")
    for name, entry in sorted(differs.items()):
        lacking = [k for k in ("reason", "aws_doc", "moto", "expected") if k not in entry]
        if lacking:
            problems.append(f"{name}: aws_differs.json entry lacks {lacking}")

    for path in paths:
        name = path.stem
        case = json.loads(path.read_text())
        missing = [k for k in KEY_ORDER if k not in case and not (args.write and k == "expected")]
        if missing:
            problems.append(f"{name}: missing keys {missing}")
            continue
        try:
            got = run_in_moto(case["definition"], case["input"])
        except Exception as exc:  # moto raising is a result worth reporting, not a crash
            problems.append(f"{name}: moto raised {type(exc).__name__}: {str(exc)[:300]}")
            continue
        entry = differs.get(name)

        if args.write:
            if entry is not None:
                if canonical(got) == canonical(entry["expected"]):
                    notes.append(f"{name}: moto now agrees with AWS; drop it from aws_differs.json")
                entry["moto"] = got
                expected = entry["expected"]
            else:
                expected = got
            ordered = {k: case[k] for k in KEY_ORDER if k in case and k != "expected"}
            ordered["expected"] = expected
            for k in case:
                if k not in ordered:
                    ordered[k] = case[k]
            path.write_text(dump(ordered))
            continue

        if entry is not None:
            if canonical(got) != canonical(entry["moto"]):
                problems.append(f"{name}: moto gave {canonical(got)}, "
                                f"aws_differs.json records moto {canonical(entry['moto'])}")
            if canonical(case["expected"]) != canonical(entry["expected"]):
                problems.append(f"{name}: case expected {canonical(case['expected'])} is not "
                                f"the AWS behaviour in aws_differs.json {canonical(entry['expected'])}")
        elif canonical(got) != canonical(case["expected"]):
            problems.append(f"{name}: expected {canonical(case['expected'])}, "
                            f"moto gave {canonical(got)}")

    if args.write and differs:
        DIFFERS.write_text(dump(differs))

    elapsed = time.monotonic() - started
    for line in notes:
        print("note:", line)
    for line in problems:
        print("MISMATCH:", line)
    allowed = sum(1 for p in paths if p.stem in differs)
    mode = "wrote" if args.write else "checked"
    print(f"moto_expect: {mode} {len(paths)} cases ({allowed} allowlisted as moto != AWS), "
          f"{len(problems)} mismatches, {elapsed:.1f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
