#!/usr/bin/env python3
"""Runs one execution with moto's Step Functions executor, for bench/compare.sh.

    python bench/moto_run.py DEF.asl.json INPUT.json

One process per execution, as bench/interp_vs_moto.py does: moto 5 in
process (`mock_aws` with `execute_state_machine`), the state machine created
through boto3, the execution started and polled every 10 ms until it ends.
Prints the output on stdout and the seconds the execution itself took on
stderr. Exit status: 0 succeeded, 1 otherwise.
"""

import json
import os
import sys
import time

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: moto_run.py DEF.asl.json INPUT.json")
    with open(sys.argv[1]) as f:
        definition = f.read()
    with open(sys.argv[2]) as f:
        value = f.read()
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        client = boto3.client("stepfunctions", region_name="us-east-1")
        arn = client.create_state_machine(
            name="bench", definition=definition,
            roleArn="arn:aws:iam::123456789012:role/bench")["stateMachineArn"]
        start = time.perf_counter()
        execution = client.start_execution(stateMachineArn=arn, input=value)["executionArn"]
        while True:
            described = client.describe_execution(executionArn=execution)
            if described["status"] != "RUNNING":
                break
            time.sleep(0.01)
        elapsed = time.perf_counter() - start
    print(f"moto: {described['status']} in {elapsed:.3f} s", file=sys.stderr)
    if described["status"] != "SUCCEEDED":
        print(json.dumps({k: described.get(k) for k in ("status", "error", "cause")}), file=sys.stderr)
        return 1
    print(described.get("output", "null"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
