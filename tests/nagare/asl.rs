//! The ASL model reads real definitions and writes them back unchanged, and
//! refuses what it does not know instead of dropping it.

use nagare::asl::{State, read, write};

use crate::harness::root;

fn fixtures() -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("tests/asl"))
        .expect("tests/asl")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 3);
    files
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).expect("fixture"),
            )
        })
        .collect()
}

#[test]
fn real_definitions_round_trip() {
    for (name, text) in fixtures() {
        let machine = read(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let written = write(&machine);
        let before: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
        let after: serde_json::Value = serde_json::from_str(&written).expect("output is JSON");
        assert_eq!(before, after, "{name} changed in a round trip");
        let again = write(&read(&written).expect("own output reads"));
        assert_eq!(written, again, "{name}: writing is not stable");
    }
}

#[test]
fn the_seed_workflow_reads_as_typed_states() {
    let text =
        std::fs::read_to_string(root().join("tests/asl/seed_workflow.asl.json")).expect("seed");
    let machine = read(&text).expect("seed reads");
    assert_eq!(machine.start_at, "lambda-example");
    let Some(State::Task(ecs)) = machine.states.get("ecs-example") else {
        panic!("ecs-example is a Task");
    };
    assert_eq!(ecs.resource, "arn:aws:states:::ecs:runTask.sync");
    assert_eq!(ecs.result_path, Some(Some("$.ecs-example".into())));
    assert_eq!(ecs.end, Some(true));
    // State order is kept as written.
    assert_eq!(
        machine.states.keys().collect::<Vec<_>>(),
        ["lambda-example", "ecs-example"]
    );
}

#[track_caller]
fn rejects(json: &str, needle: &str) {
    match read(json) {
        Ok(_) => panic!("accepted:\n{json}"),
        Err(e) => assert!(e.to_string().contains(needle), "{e} lacks {needle:?}"),
    }
}

#[test]
fn unknown_and_invalid_fields_are_reported() {
    let task = |extra: &str| {
        format!(
            r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "arn:x", {extra} "End": true}}}}}}"#
        )
    };
    rejects(&task(r#""Timeout": 3,"#), "unknown field `Timeout`");
    rejects(
        &task(r#""Retry": [{"ErrorEquals": ["E"], "Attempts": 2}],"#),
        "unknown field `Attempts`",
    );
    rejects(&task(r#""TimeoutSeconds": "3","#), "invalid type");
    rejects(
        &task(r#""Retry": [{"ErrorEquals": ["E"], "JitterStrategy": "SOME"}],"#),
        "unknown variant `SOME`",
    );
    rejects(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Sleep"}}}"#,
        "unknown variant `Sleep`",
    );
    rejects(r#"{"States": {}}"#, "missing field `StartAt`");
    rejects(
        r#"{"StartAt": "A", "States": {}, "Foo": 1}"#,
        "unknown field `Foo`",
    );
    rejects(
        r#"{"StartAt": "A", "States": {}} trailing"#,
        "unexpected data",
    );
    let choice = |rule: &str| {
        format!(
            r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [{rule}]}}}}}}"#
        )
    };
    rejects(
        &choice(r#"{"Variable": "$.a", "StringEquals": 1, "Next": "C"}"#),
        "needs a string",
    );
    rejects(
        &choice(r#"{"Variable": "$.a", "Next": "C"}"#),
        "no comparison operator",
    );
    rejects(
        &choice(r#"{"Variable": "$.a", "IsNull": true, "Extra": 1, "Next": "C"}"#),
        "`Extra`",
    );
    rejects(&choice(r#"{"And": [], "Next": "C"}"#), "non-empty list");
}

#[test]
fn errors_say_where() {
    let err = read("{\n  \"StartAt\": \"A\",\n  \"States\": {},\n  \"Bogus\": true\n}")
        .expect_err("unknown field");
    assert_eq!((err.line, err.message.contains("Bogus")), (4, true));
}

#[test]
fn hostile_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Pass", "Result": {}1{}, "End": true}}}}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    rejects(&deep, "recursion limit");
}
