//! `nagare run`: every example dry-runs to success with its input and the
//! mocks in examples/mocks.json; failures, bad input and the JSON report.

use crate::harness::{Test, examples, root};

fn dry_run(flow: &std::path::Path, format: &str) -> crate::harness::Output {
    let name = flow.file_stem().and_then(|s| s.to_str()).expect("name");
    let input = root().join(format!("examples/inputs/{name}.json"));
    let mocks = root().join("examples/mocks.json");
    Test::new()
        .args(["run", "--format", format, "--test-case", "HappyPath"])
        .args(["--input".to_string(), input.display().to_string()])
        .args(["--mock-config".to_string(), mocks.display().to_string()])
        .args([flow.display().to_string()])
        .run()
}

#[test]
fn every_example_dry_runs_to_success() {
    for flow in examples() {
        let out = dry_run(&flow, "human");
        assert_eq!(
            out.code,
            0,
            "{}:\n{}{}",
            flow.display(),
            out.stdout,
            out.stderr
        );
        assert!(out.stdout.contains("SUCCEEDED"), "{}", out.stdout);
        assert!(
            !out.stdout.contains("no mock answered"),
            "{}:\n{}",
            flow.display(),
            out.stdout
        );
    }
}

#[test]
fn the_json_report_has_status_output_and_aws_event_names() {
    let flow = root().join("examples/daily_platform.flow");
    let out = dry_run(&flow, "json");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(report["status"], "SUCCEEDED");
    assert_eq!(report["output"]["ctas_trips"]["query_id"], "q-ctas");
    let kinds: Vec<&str> = report["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    for kind in [
        "ExecutionStarted",
        "ParallelStateEntered",
        "TaskScheduled",
        "TaskFailed",
        "StateRetryScheduled",
        "WaitStateEntered",
        "ChoiceStateEntered",
        "ExecutionSucceeded",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing: {kinds:?}");
    }
    // The crawl is polled twice, 30 s apart, and the CTAS retried once.
    assert!(report["duration_ms"].as_i64().expect("duration") >= 60_000);
}

#[test]
fn a_failed_execution_exits_1_with_the_error() {
    let out = Test::new()
        .file("m.asl.json", r#"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Custom", "Cause": "why"}}}"#)
        .args(["run", "--color", "never", "m.asl.json"])
        .run()
        .code(1);
    assert!(out.stdout.contains("FAILED"), "{}", out.stdout);
    assert!(out.stdout.contains("Custom: why"), "{}", out.stdout);
}

#[test]
fn local_programs_answer_tasks() {
    let out = Test::new()
        .file(
            "m.asl.json",
            r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#,
        )
        .args(["run", "--format", "json", "--input", r#"{"n": 2}"#, "--task", "T=cat", "m.asl.json"])
        .run()
        .code(0);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(report["output"], serde_json::json!({"n": 2}));
}

#[test]
fn bad_input_is_a_usage_error() {
    let definition = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
    for (args, message) in [
        (vec!["--input", "{not json"], "is not JSON"),
        (vec!["--task", "Nope=cat"], "not a Task state"),
        (vec!["--task", "no-equals"], "STATE=COMMAND"),
        (
            vec!["--mock-config", "missing.json", "--test-case", "X"],
            "cannot read",
        ),
    ] {
        let out = Test::new()
            .file("m.asl.json", definition)
            .args(["run"])
            .args(args)
            .args(["m.asl.json"])
            .run()
            .code(2);
        assert!(out.stderr.contains(message), "{message}:\n{}", out.stderr);
    }
    Test::new()
        .file("bad.asl.json", r#"{"StartAt": "X", "States": {}}"#)
        .args(["run", "bad.asl.json"])
        .run()
        .code(2)
        .stderr_has("fix them to run it");
}

#[test]
fn a_definition_can_come_from_standard_input() {
    let out = Test::new()
        .stdin(r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": true}, "End": true}}}"#)
        .args(["run", "--format", "json", "-"])
        .run()
        .code(0);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(report["output"], serde_json::json!({"ok": true}));
}

#[test]
fn an_input_over_256_kib_fails_as_on_aws() {
    let big = format!(r#"{{"blob": "{}"}}"#, "x".repeat(300 * 1024));
    let out = Test::new()
        .file(
            "m.asl.json",
            r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#,
        )
        .file("big.json", big)
        .args([
            "run",
            "--format",
            "json",
            "--input",
            "big.json",
            "m.asl.json",
        ])
        .run()
        .code(1);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(report["error"], "States.DataLimitExceeded");
}

#[test]
fn real_time_runs_branches_and_iterations_side_by_side() {
    let parallel = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 1, "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 1, "End": true}}}]}}}"#;
    let started = std::time::Instant::now();
    Test::new()
        .file("p.asl.json", parallel)
        .args(["run", "--real-time", "p.asl.json"])
        .run()
        .code(0)
        .stdout_has("(real time)");
    let took = started.elapsed().as_secs_f64();
    // It really waited, and the two 1 s waits overlapped (one after the
    // other would take 2 s).
    assert!((1.0..1.8).contains(&took), "{took} s");

    let map = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 2, "End": true,
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}}}}}"#;
    let out = Test::new()
        .file("m.asl.json", map)
        .args([
            "run",
            "--real-time",
            "--format",
            "json",
            "--input",
            "[1, 2, 3, 4]",
            "m.asl.json",
        ])
        .run()
        .code(0);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    // Two at a time: items 2 and 3 start when 0 and 1 have ended.
    let starts: Vec<i64> = report["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["type"] == "MapIterationStarted")
        .map(|e| {
            let stamp = e["timestamp"].as_str().expect("timestamp");
            stamp[17..19].parse::<i64>().expect("seconds") * 1000
                + stamp[20..23].parse::<i64>().expect("ms")
        })
        .collect();
    assert_eq!(starts.len(), 4, "{starts:?}");
    assert!(
        starts[1] - starts[0] < 500 && starts[2] - starts[0] >= 900,
        "{starts:?}"
    );
    assert_eq!(report["output"], serde_json::json!([1, 2, 3, 4]));
}
