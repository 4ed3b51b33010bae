#!/usr/bin/env python3
"""Writes the JSONata workloads of docs/performance.md into DIR:

    python3 bench/gen_jsonata.py DIR

jchain_same.asl.json   10,000 JSONata Pass states, the same two expressions in each
jchain_distinct.asl.json  10,000 states, 20,000 distinct expressions
jloop.asl.json         a Pass/Choice loop over variables; run it with
                       --input '{"n": 100000}' --max-transitions 10000000 (200,000 transitions)
"""

import json
import pathlib
import sys


def chain(n, distinct):
    states = {}
    for i in range(n):
        k = i if distinct else 1
        state = {
            "Type": "Pass",
            "Output": {"v": f"{{% $states.input.v + {k} %}}", "i": i},
            "Assign": {f"last{i % 50 if distinct else 0}": f"{{% $states.input.v * {k} %}}"},
        }
        if i + 1 < n:
            state["Next"] = f"S{i + 1}"
        else:
            state["End"] = True
        states[f"S{i}"] = state
    return {"QueryLanguage": "JSONata", "StartAt": "S0", "States": states}


LOOP = {
    "QueryLanguage": "JSONata",
    "StartAt": "Init",
    "States": {
        "Init": {"Type": "Pass", "Assign": {"i": 0, "sum": 0}, "Next": "Test"},
        "Test": {
            "Type": "Choice",
            "Choices": [{"Condition": "{% $i < $states.input.n %}", "Next": "Step"}],
            "Default": "Done",
        },
        "Step": {"Type": "Pass", "Assign": {"i": "{% $i + 1 %}", "sum": "{% $sum + $i %}"}, "Next": "Test"},
        "Done": {"Type": "Pass", "Output": {"i": "{% $i %}", "sum": "{% $sum %}"}, "End": True},
    },
}

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
(out / "jchain_same.asl.json").write_text(json.dumps(chain(10_000, False)))
(out / "jchain_distinct.asl.json").write_text(json.dumps(chain(10_000, True)))
(out / "jloop.asl.json").write_text(json.dumps(LOOP))
