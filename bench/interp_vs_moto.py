#!/usr/bin/env python3
"""The interpreter side by side with moto's Step Functions executor.

Runs the same workloads through `nagare run` (whole process, release
build) and through moto 5 in-process, and prints each time and the ratio.
moto runs about 100-200 transitions per second, so its workloads are
small; nagare's figures at full size come from `cargo bench --bench interp`.

    python3 -m venv target/oracles/venv
    target/oracles/venv/bin/pip install 'moto[server]>=5,<6' boto3
    cargo build --release
    target/oracles/venv/bin/python bench/interp_vs_moto.py
"""

import json
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAGARE = os.path.join(ROOT, "target", "release", "nagare")


def pass_chain(n):
    states = {}
    for i in range(n):
        states[f"S{i}"] = {"Type": "Pass", "Next": f"S{i + 1}"} if i + 1 < n else {"Type": "Pass", "End": True}
    return {"StartAt": "S0", "States": states}, {}


def counter_loop(n):
    return {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": 0, "ResultPath": "$.i", "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$.i", "NumericGreaterThanEquals": n, "Next": "Done"}], "Default": "Add"},
        "Add": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"},
    }}, {}


def map_of(n):
    return {"StartAt": "M", "States": {"M": {
        "Type": "Map", "ItemsPath": "$.items", "End": True,
        "ItemSelector": {"value.$": "$$.Map.Item.Value"},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    }}}, {"items": list(range(n))}


def parallel_of(n):
    # State names are unique across branches (AWS rejects repeats).
    branches = [{"StartAt": f"B{i}", "States": {f"B{i}": {"Type": "Pass", "End": True}}} for i in range(n)]
    return {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": branches}}}, {"x": 1}


def in_moto(definition, value):
    """Seconds moto takes to run the execution to its end, and its status."""
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        client = boto3.client("stepfunctions", region_name="us-east-1")
        arn = client.create_state_machine(
            name="bench", definition=json.dumps(definition),
            roleArn="arn:aws:iam::123456789012:role/bench")["stateMachineArn"]
        start = time.perf_counter()
        execution = client.start_execution(stateMachineArn=arn, input=json.dumps(value))["executionArn"]
        while True:
            status = client.describe_execution(executionArn=execution)["status"]
            if status != "RUNNING":
                return time.perf_counter() - start, status
            time.sleep(0.01)


def in_nagare(definition, value):
    """Seconds `nagare run` takes as a whole process, and its status."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench.asl.json")
        with open(path, "w") as f:
            json.dump(definition, f)
        start = time.perf_counter()
        run = subprocess.run(
            [NAGARE, "run", "--format", "json", "--max-transitions", "100000000",
             "--input", json.dumps(value), path],
            capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        status = json.loads(run.stdout)["status"] if run.stdout else run.stderr.strip()
        return elapsed, status


def main():
    if not os.path.exists(NAGARE):
        sys.exit("build nagare first: cargo build --release")
    workloads = [
        ("Pass chain, 1,000 states", pass_chain(1000)),
        ("Pass/Choice loop, 200 iterations", counter_loop(200)),
        ("Map, 200 items", map_of(200)),
        ("Parallel, 100 branches", parallel_of(100)),
    ]
    print(f"{'workload':<34} {'moto s':>9} {'nagare s':>9} {'moto/nagare':>12}")
    for label, (definition, value) in workloads:
        moto_s, moto_status = in_moto(definition, value)
        nagare_s, nagare_status = in_nagare(definition, value)
        note = "" if moto_status == nagare_status == "SUCCEEDED" else f"  ({moto_status} / {nagare_status})"
        print(f"{label:<34} {moto_s:>9.3f} {nagare_s:>9.3f} {moto_s / nagare_s:>11.0f}x{note}")


if __name__ == "__main__":
    main()
