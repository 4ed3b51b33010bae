//! Whole executions of small definitions.

use serde_json::{Value, json};

use super::*;

fn machine(definition: Value) -> StateMachine {
    crate::asl::read(&definition.to_string()).expect("a valid definition")
}

fn execute(definition: Value, input: Value, dry: &DryRun) -> Execution {
    run(&machine(definition), input, dry, &Options::default())
}

fn kinds(execution: &Execution) -> Vec<&'static str> {
    execution.history.iter().map(|e| e.kind).collect()
}

#[test]
fn pass_states_shape_data() {
    let out = execute(
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Parameters": {"x.$": "$.in", "id.$": "$$.Execution.Name"}, "ResultPath": "$.p", "Next": "B"},
            "B": {"Type": "Pass", "Result": {"k": 1}, "ResultPath": "$.r", "OutputPath": "$.r", "End": true}
        }}),
        json!({"in": 5}),
        &DryRun::default(),
    );
    assert_eq!(out.status, Status::Succeeded, "{out:?}");
    assert_eq!(out.output, Some(json!({"k": 1})));
    assert_eq!(
        kinds(&out),
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[test]
fn retries_wait_by_aws_arithmetic_then_catch() {
    let mut dry = DryRun::default();
    let boom = Response::Throw(Failure::new("Boom", "again"));
    dry.mock("Call", vec![boom.clone(), boom.clone(), boom]);
    let out = execute(
        json!({"StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "MaxAttempts": 2, "BackoffRate": 3.0}],
                     "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}],
                     "End": true},
            "Handled": {"Type": "Succeed"}
        }}),
        json!({"keep": true}),
        &dry,
    );
    assert_eq!(out.status, Status::Succeeded, "{out:?}");
    assert_eq!(
        out.output,
        Some(json!({"keep": true, "error": {"Error": "Boom", "Cause": "again"}}))
    );
    // 2 s, then 2 × 3 = 6 s.
    assert_eq!(out.duration_ms, 8_000);
    let delays: Vec<f64> = out
        .history
        .iter()
        .filter_map(|e| e.details.more().wait_seconds)
        .collect();
    assert_eq!(delays, [2.0, 6.0]);
}

#[test]
fn runtime_errors_are_never_caught() {
    let out = execute(
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"x.$": "$.missing"},
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}], "End": true},
            "H": {"Type": "Succeed"}
        }}),
        json!({}),
        &DryRun::default(),
    );
    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
}

#[test]
fn parallel_and_map_run_on_their_own_clocks() {
    let out = execute(
        json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "M", "ResultPath": "$.p", "Branches": [
                {"StartAt": "W1", "States": {"W1": {"Type": "Wait", "Seconds": 10, "End": true}}},
                {"StartAt": "W2", "States": {"W2": {"Type": "Wait", "Seconds": 30, "End": true}}}
            ]},
            "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "ResultPath": "$.m",
                  "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
                  "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}},
                  "End": true}
        }}),
        json!({"items": ["a", "b", "c"]}),
        &DryRun::default(),
    );
    assert_eq!(out.status, Status::Succeeded, "{out:?}");
    // Branches overlap: 30 s, not 40. Three items, two at a time: 10 s.
    assert_eq!(out.duration_ms, 40_000);
    let output = out.output.expect("output");
    assert_eq!(
        output["m"],
        json!([{"v": "a", "i": 0}, {"v": "b", "i": 1}, {"v": "c", "i": 2}])
    );
    assert_eq!(output["p"].as_array().map(Vec::len), Some(2));
}

#[test]
fn choices_fall_to_default_or_fail() {
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}]},
        "Big": {"Type": "Succeed"}
    }});
    let big = execute(definition.clone(), json!({"n": 2}), &DryRun::default());
    assert_eq!(big.status, Status::Succeeded);
    let none = execute(definition, json!({"n": 0}), &DryRun::default());
    assert_eq!(none.error.as_deref(), Some("States.NoChoiceMatched"));
}

#[test]
fn fail_states_and_timeouts() {
    let failed = execute(
        json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('code {}', $.c)"}}}),
        json!({"e": "Custom.Error", "c": 7}),
        &DryRun::default(),
    );
    assert_eq!(
        (failed.error.as_deref(), failed.cause.as_deref()),
        (Some("Custom.Error"), Some("code 7"))
    );
    let slow = execute(
        json!({"TimeoutSeconds": 60, "StartAt": "W", "States": {
            "W": {"Type": "Wait", "Seconds": 3600, "Next": "Done"}, "Done": {"Type": "Succeed"}}}),
        json!({}),
        &DryRun::default(),
    );
    assert_eq!(slow.status, Status::TimedOut);
    assert_eq!(slow.error.as_deref(), Some("States.Timeout"));
}

#[test]
fn endless_loops_stop_at_the_event_limit() {
    let out = run(
        &machine(json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}, "C": {"Type": "Succeed"}}})),
        json!({}),
        &DryRun::default(),
        &Options {
            limits: Limits {
                max_events: 100,
                ..Limits::default()
            },
            ..Options::default()
        },
    );
    assert_eq!(out.status, Status::Failed);
    assert!(out.history.len() <= 101);
}
