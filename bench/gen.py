#!/usr/bin/env python3
"""Writes the workloads of bench/compare.sh into a folder.

    python3 bench/gen.py OUTDIR

Every file is plain data, the same for every tool that reads it:

  validate/pass_N.asl.json    a chain of N Pass states (N = 100, 1,000, 10,000)
  validate/flow_N.flow        a chain of N `task sI after sI-1 { run lambda "f" }` stages
  exec/one_1.asl.json         a machine of one Pass state (start-up)
  exec/KIND_N.asl.json        an execution workload at size N, with
  exec/KIND_N.input.json      its input, and for `retry`
  exec/KIND_N.mocks.json      an AWS Step Functions Local mock configuration
                              (test case `Bench`): N failures, then a success

KIND and its size N:
  chain     N Pass states, one after another
  loop      a Pass/Choice loop of about N transitions: a counter in $.i is
            raised by States.MathAdd in a Pass until a Choice sees it reach N/2
  map       a Map over N items: ItemSelector from $$.Map.Item, a Pass with
            Parameters in the iterator. The items are one-digit numbers and the
            Map's results are dropped (ResultPath null): Step Functions limits
            an execution's input and each state's output to 256 KiB, and nagare
            enforces that, so 100,000 items must be this small (200 KB)
  parallel  a Parallel of N branches of one Pass state each
  retry     a Task whose first N calls fail with `Flaky` and whose next call
            succeeds; Retry allows N attempts (IntervalSeconds 1, simulated
            or overridden to 0 by each runner)

The sizes are in SIZES below: the full size of each workload (the one the
targets are judged on), its 1/2, 1/4 and 1/8 for growth, and the smaller
sizes moto is run at (MOTO_SIZES).
"""

import json
import os
import sys

VALIDATE_SIZES = [100, 1_000, 10_000]

FULL = {
    "chain": 5_000,
    "loop": 200_000,
    "map": 100_000,
    "parallel": 100,
    "retry": 20_000,
}

# moto runs about 1,500 transitions/s here, and far fewer Map items (about
# 300/s at 1,000 items, 140/s at 12,500), and its Task states call a real
# Lambda (in Docker), so it runs the Task-free workloads at sizes that take it
# a few seconds each.
MOTO_SIZES = {
    "chain": 5_000,
    "loop": 2_000,
    "map": 1_000,
    "parallel": 100,
}

RETRY_STATE = "Work"


def growth(full):
    """The four sizes of a workload: 1/8, 1/4, 1/2 and all of it."""
    return [max(1, full // 8), max(1, full // 4), max(1, full // 2), full]


def pass_chain(n):
    states = {}
    for i in range(n):
        if i + 1 < n:
            states[f"S{i}"] = {"Type": "Pass", "Next": f"S{i + 1}"}
        else:
            states[f"S{i}"] = {"Type": "Pass", "End": True}
    return {"Comment": f"A chain of {n} Pass states", "StartAt": "S0", "States": states}, {"x": 1}


def counter_loop(transitions):
    limit = max(1, transitions // 2)
    return {
        "Comment": f"A Pass/Choice loop of about {transitions} transitions",
        "StartAt": "Init",
        "States": {
            # Parameters, not `"Result": 0, "ResultPath": "$.i"`: aws-local-stepfunctions
            # 3.0 takes a Result of 0 for no Result and stores the whole input.
            "Init": {"Type": "Pass", "Parameters": {"i": 0}, "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.i", "NumericGreaterThanEquals": limit, "Next": "Done"}],
                "Default": "Add",
            },
            "Add": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
            "Done": {"Type": "Succeed"},
        },
    }, {}


def map_of(n):
    return {
        "Comment": f"A Map of {n} items",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
                "ItemProcessor": {
                    "StartAt": "P",
                    "States": {
                        "P": {"Type": "Pass", "Parameters": {"v.$": "$.value", "tag": "seen"}, "End": True},
                    },
                },
                "ResultPath": None,
                "End": True,
            }
        },
    }, {"items": [i % 10 for i in range(n)]}


def parallel_of(n):
    # State names are unique across branches, as AWS requires.
    branches = [{"StartAt": f"B{i}", "States": {f"B{i}": {"Type": "Pass", "End": True}}} for i in range(n)]
    return {
        "Comment": f"A Parallel of {n} branches",
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "Branches": branches, "End": True}},
    }, {"x": 1}


def retry_of(n):
    definition = {
        "Comment": f"A Task that fails {n} times, then succeeds",
        "StartAt": RETRY_STATE,
        "States": {
            RETRY_STATE: {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:flaky",
                "Retry": [
                    {"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": n, "BackoffRate": 1.0}
                ],
                "End": True,
            }
        },
    }
    return definition, {"x": 1}


def retry_mocks(name, n):
    """The mock configuration nagare reads: calls 0..n-1 throw, call n returns."""
    responses = {"0": {"Throw": {"Error": "Flaky", "Cause": "not yet"}}} if n == 1 else {
        f"0-{n - 1}": {"Throw": {"Error": "Flaky", "Cause": "not yet"}}
    }
    responses[str(n)] = {"Return": {"ok": True}}
    return {
        "StateMachines": {name: {"TestCases": {"Bench": {RETRY_STATE: "FlakyThenOk"}}}},
        "MockedResponses": {"FlakyThenOk": responses},
    }


KINDS = {
    "chain": pass_chain,
    "loop": counter_loop,
    "map": map_of,
    "parallel": parallel_of,
    "retry": retry_of,
}


def flow_chain(n):
    lines = ["// Generated by bench/gen.py: a chain of stages, each after the one before.", "flow bench_chain {"]
    for i in range(n):
        after = f" after s{i - 1}" if i else ""
        lines.append(f'  task s{i}{after} {{ run lambda "f" }}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def write(path, value):
    with open(path, "w") as f:
        json.dump(value, f, separators=(",", ":"))


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: gen.py OUTDIR  (writes OUTDIR/validate and OUTDIR/exec)")
    out = sys.argv[1]
    validate = os.path.join(out, "validate")
    execute = os.path.join(out, "exec")
    os.makedirs(validate, exist_ok=True)
    os.makedirs(execute, exist_ok=True)

    for n in VALIDATE_SIZES:
        definition, _ = pass_chain(n)
        with open(os.path.join(validate, f"pass_{n}.asl.json"), "w") as f:
            json.dump(definition, f, indent=2)
        with open(os.path.join(validate, f"flow_{n}.flow"), "w") as f:
            f.write(flow_chain(n))

    write(os.path.join(execute, "one_1.asl.json"),
          {"StartAt": "Only", "States": {"Only": {"Type": "Pass", "End": True}}})
    write(os.path.join(execute, "one_1.input.json"), {})

    for kind, make in KINDS.items():
        sizes = set(growth(FULL[kind]))
        if kind in MOTO_SIZES:
            sizes.add(MOTO_SIZES[kind])
        for n in sorted(sizes):
            stem = f"{kind}_{n}"
            definition, value = make(n)
            write(os.path.join(execute, f"{stem}.asl.json"), definition)
            write(os.path.join(execute, f"{stem}.input.json"), value)
            if kind == "retry":
                # nagare names a definition's machine after its file name up to the first dot.
                write(os.path.join(execute, f"{stem}.mocks.json"), retry_mocks(stem, n))

    # The sizes, for compare.sh to read: "kind 1/8 1/4 1/2 full moto-size" (moto-size `-`: not run).
    with open(os.path.join(out, "sizes.txt"), "w") as f:
        f.write("validate " + " ".join(map(str, VALIDATE_SIZES)) + "\n")
        for kind in KINDS:
            f.write(f"{kind} " + " ".join(map(str, growth(FULL[kind]))) + f" {MOTO_SIZES.get(kind, '-')}\n")


if __name__ == "__main__":
    main()
