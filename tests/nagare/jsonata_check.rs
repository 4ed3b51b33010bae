//! `nagare check` and `nagare run` on JSONata states and variables: AWS's
//! rules ("Transforming data with JSONata in Step Functions", "Passing
//! data between states with variables"), each problem a located
//! diagnostic, and bad input (malformed expressions, runaway recursion,
//! huge `$range`, an `Assign` over 256 KiB) an error AWS would raise, never
//! a panic or a hang.

use serde_json::{Value, json};

use crate::harness::Test;

fn codes(definition: &Value) -> Vec<String> {
    crate::asl_check::codes(&definition.to_string())
}

/// A JSONata machine of one state, and a `Done` when it goes there.
fn jsonata(state: Value) -> Value {
    let mut machine = json!({"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": state}});
    if machine.to_string().contains("\"Done\"") {
        machine["States"]["Done"] = json!({"Type": "Succeed"});
    }
    machine
}

fn pass(extra: Value) -> Value {
    let mut state = json!({"Type": "Pass", "End": true});
    for (k, v) in extra.as_object().expect("fields") {
        state[k] = v.clone();
    }
    jsonata(state)
}

#[test]
fn jsonata_rules_are_checked_where_aws_checks_them() {
    let cases: Vec<(Value, Vec<&str>)> = vec![
        // Clean: every field of each JSONata state.
        (
            pass(json!({"Output": {"a": "{% $states.input.a %}"}, "Assign": {"x": 1}})),
            vec![],
        ),
        (
            jsonata(
                json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                "TimeoutSeconds": "{% 10 %}", "HeartbeatSeconds": 5,
                "Output": "{% $states.result.Payload %}", "Assign": {"r": "{% $states.result %}"},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Assign": {"e": "{% $states.errorOutput.Error %}"}, "Next": "Done"}],
                "End": true}),
            ),
            vec![],
        ),
        // Malformed expressions and what Step Functions lacks.
        (pass(json!({"Output": "{% 1 + %}"})), vec!["E221"]),
        (pass(json!({"Output": "{% $eval('1') %}"})), vec!["E221"]),
        (
            pass(json!({"Output": "{% $states.input.a ?? 1 %}"})),
            vec!["E221"],
        ),
        (
            pass(json!({"Output": "{% $states.input.a ?: 1 %}"})),
            vec!["E221"],
        ),
        // No input of its own; `$states` placement.
        (pass(json!({"Output": "{% total * 2 %}"})), vec!["E221"]),
        (
            pass(json!({"Output": "{% $states.result %}"})),
            vec!["E221"],
        ),
        (
            pass(json!({"Assign": {"e": "{% $states.errorOutput %}"}})),
            vec!["E221"],
        ),
        (
            jsonata(
                json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": "{% $states.result %}", "End": true}),
            ),
            vec!["E221"],
        ),
        // JSONPath fields in a JSONata state, and the other way round.
        (pass(json!({"ResultPath": "$.x"})), vec!["E202"]),
        (pass(json!({"Parameters": {}})), vec!["E202"]),
        (
            json!({"StartAt": "S", "States": {"S": {"Type": "Pass", "Output": {}, "End": true}}}),
            vec!["E202"],
        ),
        // Typed fields take a value or an expression, nothing else.
        (
            jsonata(json!({"Type": "Wait", "Seconds": "ten", "End": true})),
            vec!["E204"],
        ),
        (
            jsonata(
                json!({"Type": "Wait", "Seconds": "{% 1 %}", "Timestamp": "{% 'x' %}", "End": true}),
            ),
            vec!["E206"],
        ),
        // JSONata Choice rules test a Condition.
        (
            jsonata(
                json!({"Type": "Choice", "Choices": [{"Variable": "$.a", "BooleanEquals": true, "Next": "Done"}], "Default": "Done"}),
            ),
            vec!["E203", "E202", "E202"],
        ),
        (
            jsonata(
                json!({"Type": "Choice", "Choices": [{"Condition": 3, "Next": "Done"}], "Default": "Done"}),
            ),
            vec!["E205"],
        ),
        // Variable names.
        (pass(json!({"Assign": {"states": 1}})), vec!["E205"]),
        (pass(json!({"Assign": {"9lives": 1}})), vec!["E205"]),
        // A JSONata machine holds no JSONPath state.
        (
            json!({"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}}}),
            vec!["E205"],
        ),
        // JSONata catchers have no ResultPath.
        (
            jsonata(
                json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "Done"}], "End": true}),
            ),
            vec!["E202"],
        ),
    ];
    for (definition, expected) in cases {
        assert_eq!(codes(&definition), expected, "{definition}");
    }
}

#[test]
fn variables_are_followed_across_states_and_scopes() {
    let cases: Vec<(Value, Vec<&str>)> = vec![
        // Assigned before, read after: clean, in either language.
        (
            json!({"StartAt": "A", "States": {
                "A": {"Type": "Pass", "Assign": {"n.$": "$.n"}, "Next": "B"},
                "B": {"Type": "Pass", "Parameters": {"v.$": "$n", "f.$": "States.Format('{}', $n)"}, "Next": "C"},
                "C": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $n %}", "End": true}}}),
            vec![],
        ),
        // A state's own Assign is not visible to itself.
        (
            pass(json!({"Assign": {"a": 1}, "Output": "{% $a %}"})),
            vec!["W222"],
        ),
        // Assigned on one branch of a Choice only: some path assigns it.
        (
            json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
                "C": {"Type": "Choice", "Choices": [{"Condition": "{% true %}", "Next": "Use", "Assign": {"v": 1}}], "Default": "Use"},
                "Use": {"Type": "Pass", "Output": "{% $v %}", "End": true}}}),
            vec![],
        ),
        // Assigned only after the read.
        (
            json!({"StartAt": "Use", "States": {
                "Use": {"Type": "Pass", "Parameters": {"v.$": "$late"}, "Next": "Set"},
                "Set": {"Type": "Pass", "Assign": {"late": 1}, "End": true}}}),
            vec!["W222"],
        ),
        // A catcher's Assign reaches its handler.
        (
            json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
                "P": {"Type": "Parallel", "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}],
                      "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"err": "{% $states.errorOutput.Error %}"}, "Next": "H"}], "Next": "H"},
                "H": {"Type": "Pass", "Output": "{% $err %}", "End": true}}}),
            vec![],
        ),
        // Inner scopes read outer variables, and may not assign their names.
        (
            json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
                "A": {"Type": "Pass", "Assign": {"rate": 2}, "Next": "M"},
                "M": {"Type": "Map", "Items": [1, 2], "ItemProcessor": {"StartAt": "I", "States": {
                    "I": {"Type": "Pass", "Output": "{% $states.input * $rate %}", "Assign": {"rate": 3}, "End": true}}}, "End": true}}}),
            vec!["E223"],
        ),
        // A Distributed Map's children see no outer variables.
        (
            json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
                "A": {"Type": "Pass", "Assign": {"rate": 2}, "Next": "M"},
                "M": {"Type": "Map", "Items": [1, 2], "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "I", "States": {"I": {"Type": "Pass", "Output": "{% $rate %}", "End": true}}}, "End": true}}}),
            vec!["W222"],
        ),
        // ResultPath writes into the state, never into a variable.
        (
            json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$x", "End": true}}}),
            vec!["E211"],
        ),
    ];
    for (definition, expected) in cases {
        assert_eq!(codes(&definition), expected, "{definition}");
    }
}

fn run(definition: &Value, input: &str) -> Value {
    let out = Test::new()
        .file("m.asl.json", definition.to_string())
        .args(["run", "m.asl.json", "--input", input, "--format", "json"])
        .run();
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", out.stdout, out.stderr))
}

#[test]
fn bad_expressions_fail_as_aws_fails_them() {
    // Runaway recursion is bounded: an error, not a crash or a hang.
    let runaway = pass(json!({"Output": "{% ($f := function($n) { $n + $f($n + 1) }; $f(0)) %}"}));
    let report = run(&runaway, "{}");
    assert_eq!(report["error"], "States.QueryEvaluationError", "{report}");
    // A huge $range.
    let range = pass(json!({"Output": "{% $range(0, 1000000, 1) %}"}));
    let report = run(&range, "{}");
    assert_eq!(report["error"], "States.QueryEvaluationError");
    assert!(
        report["cause"]
            .as_str()
            .is_some_and(|c| c.contains("at most 1000")),
        "{report}"
    );
    // An Assign over AWS's 256 KiB.
    let big = pass(
        json!({"Assign": {"blob": "{% $join($map($range(1, 1000, 1), function($i) { $pad('', 300, 'x') }), '') %}"}}),
    );
    let report = run(&big, "{}");
    assert_eq!(report["error"], "States.DataLimitExceeded", "{report}");
    // An expression that gives nothing.
    let report = run(
        &pass(json!({"Output": {"v": "{% $states.input.nope %}"}})),
        "{}",
    );
    assert_eq!(report["error"], "States.QueryEvaluationError");
    assert_eq!(
        report["cause"],
        "An error occurred while executing the state 'S'. The JSONata expression '$states.input.nope' specified for the field 'Output/v' returned nothing (undefined)."
    );
}

#[test]
fn the_history_shows_what_each_state_assigned() {
    let machine = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"n": 1, "s.$": "$.s"}, "Next": "B"},
        "B": {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"n": "{% $n + 1 %}"}, "Output": "{% $n %}", "End": true}}});
    let report = run(&machine, r#"{"s": "text"}"#);
    // Output sees the value at the state's entry, not its own Assign.
    assert_eq!(report["output"], 1);
    let assigned: Vec<&Value> = report["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["details"].get("assignedVariables"))
        .collect();
    assert_eq!(
        assigned,
        [&json!({"n": "1", "s": "\"text\""}), &json!({"n": "2"})]
    );
}

#[test]
fn a_map_shows_only_its_own_assignments() {
    let machine = json!({"QueryLanguage": "JSONata", "StartAt": "M", "States": {
        "M": {"Type": "Map", "Items": [1, 2], "ItemProcessor": {"StartAt": "I", "States": {
            "I": {"Type": "Pass", "Assign": {"inner": "{% $states.input %}"}, "End": true}}}, "End": true}}});
    let report = run(&machine, "{}");
    let exited: Vec<&Value> = report["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["type"] == "MapStateExited")
        .collect();
    assert_eq!(exited.len(), 1);
    assert!(
        exited[0]["details"].get("assignedVariables").is_none(),
        "{}",
        exited[0]
    );
}

#[test]
fn a_failed_expression_is_recorded_once_where_it_failed() {
    let machine = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {
            "B": {"Type": "Pass", "Output": {"v": "{% $states.input.nope %}"}, "End": true}}}], "End": true}}});
    let report = run(&machine, "{}");
    assert_eq!(report["error"], "States.QueryEvaluationError");
    let failed: Vec<&Value> = report["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["type"] == "EvaluationFailed")
        .collect();
    assert_eq!(failed.len(), 1, "{report}");
    assert_eq!(failed[0]["details"]["name"], "B");
    assert_eq!(failed[0]["details"]["location"], "Output/v");
    assert_eq!(failed[0]["details"]["error"], "States.QueryEvaluationError");
    let human = Test::new()
        .file("m.asl.json", machine.to_string())
        .args(["run", "m.asl.json", "--color", "never"])
        .run();
    assert!(
        human.stdout.contains("expression failed in Output/v"),
        "{}",
        human.stdout
    );
}
