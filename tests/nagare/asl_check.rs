//! `nagare check` on hand-written ASL: a corpus of invalid definitions (one
//! problem each, tests/asl/invalid/) that nagare must reject, with the
//! report snapshotted, and of valid but tricky ones (tests/asl/valid/) that
//! it must accept; both held against asl-validator and statelint.

use std::path::PathBuf;

use crate::harness::{Test, examples, root};
use crate::oracles::{BOTH, assert_both_accept};

/// Invalid definitions both external validators accept, and why each is
/// invalid all the same. Everything else in the corpus must be rejected by
/// at least one of them too, so the corpus cannot drift from what the
/// validators (and AWS) hold.
const ONLY_NAGARE_REJECTS: &[(&str, &str)] = &[
    (
        "states_all_not_last_retrier.asl.json",
        "ASL spec, Retry: States.ALL must appear alone, in the last retrier",
    ),
    (
        "states_all_not_alone_retrier.asl.json",
        "ASL spec, Retry: States.ALL must appear alone in its ErrorEquals",
    ),
    (
        "task_heartbeat_not_below_timeout.asl.json",
        "ASL spec, Task: HeartbeatSeconds must be smaller than TimeoutSeconds",
    ),
    (
        "map_max_concurrency_not_integer.asl.json",
        "ASL spec, Map: MaxConcurrency is a non-negative integer",
    ),
    (
        "map_item_batcher_empty.asl.json",
        "ASL spec, Batching items: ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or a Path form)",
    ),
    (
        "parameters_not_object.asl.json",
        "ASL spec, Payload templates: Parameters must be a JSON object",
    ),
];

fn corpus(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .expect("corpus directory")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.to_string_lossy().ends_with(".json"))
        .collect();
    files.sort();
    files
}

fn check(file: &std::path::Path) -> crate::harness::Output {
    Test::new()
        .args(["check", "--color", "never"])
        .args([file.to_string_lossy()])
        .run()
}

#[test]
fn every_invalid_definition_is_rejected_with_a_located_report() {
    insta::glob!("../asl/invalid", "*.asl.json", |path| {
        let out = check(path);
        assert_eq!(out.code, 1, "{} passed:\n{}", path.display(), out.stderr);
        assert!(out.stderr.contains("nagare::E"), "{}", out.stderr);
        let report = out
            .stderr
            .replace(&root().join("tests/asl/invalid/").display().to_string(), "");
        insta::assert_snapshot!(report);
    });
}

#[test]
fn valid_definitions_pass() {
    let mut files = corpus("tests/asl/valid");
    files.extend(corpus("tests/asl"));
    assert!(files.len() >= 10, "the valid corpus is too small");
    for file in &files {
        let out = check(file);
        assert_eq!(out.code, 0, "{}:\n{}", file.display(), out.stderr);
    }
}

#[test]
fn compiled_examples_pass_nagares_own_check() {
    for flow in examples() {
        let compiled = Test::new()
            .args(["compile"])
            .args([flow.to_string_lossy()])
            .run()
            .success();
        let out = Test::new()
            .file("machine.asl.json", &compiled.stdout)
            .args(["check", "machine.asl.json"])
            .run();
        assert_eq!(out.code, 0, "{}:\n{}", flow.display(), out.stderr);
    }
}

#[test]
fn the_corpus_agrees_with_the_external_validators() {
    // The valid corpus passes both (the seed is left out: statelint refuses
    // its hyphenated paths, which AWS accepts; see docs/cli.md).
    assert_both_accept(&corpus("tests/asl/valid"));
    // Each invalid definition is refused by at least one of them, unless it
    // is listed above with the rule both miss.
    let invalid = corpus("tests/asl/invalid");
    let mut refused = std::collections::BTreeSet::new();
    let mut ran = 0;
    for oracle in BOTH {
        if let Some(rejected) = oracle.rejected(&invalid) {
            ran += 1;
            refused.extend(rejected.into_keys());
        }
    }
    if ran < BOTH.len() {
        return;
    }
    for file in &invalid {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let listed = ONLY_NAGARE_REJECTS.iter().any(|(n, _)| *n == name);
        assert!(
            refused.contains(file) != listed,
            "{name}: {}",
            if listed {
                "listed as missed by both validators, but one rejects it: remove it from the list"
            } else {
                "neither validator rejects it: fix the file, or list it with the rule both miss"
            }
        );
    }
}

#[test]
fn standard_input_starting_with_a_brace_is_a_definition() {
    Test::new()
        .stdin(r#"{"StartAt": "A", "States": {"A": {"Type": "Pas", "End": true}}}"#)
        .args(["check", "--color", "never", "-"])
        .run()
        .code(1)
        .stderr_has("nagare::E205")
        .stderr_has("did you mean `Pass`?");
}

#[test]
fn directories_are_searched_for_definitions_but_not_other_json() {
    let out = Test::new()
        .file("flows/bad.asl.json", r#"{"StartAt": "A", "States": {}}"#)
        .file("flows/package.json", r#"{"name": "not a definition"}"#)
        .args(["check", "--format", "json", "flows"])
        .run()
        .code(1);
    assert!(out.stdout.contains("bad.asl.json"), "{}", out.stdout);
    assert!(!out.stdout.contains("package.json"), "{}", out.stdout);
}

#[test]
fn json_output_locates_problems_in_the_definition() {
    let out = Test::new()
        .file(
            "m.json",
            "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}\n  }\n}\n",
        )
        .args(["check", "--format", "json", "m.json"])
        .run()
        .code(1);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let diag = &report["files"][0]["diagnostics"][0];
    assert_eq!(diag["code"], "nagare::E208", "{report:#}");
    assert_eq!(diag["span"]["line"], 4, "{report:#}");
}

/// The codes `nagare check` reports for a definition, in order. None may
/// be the typed model's refusal of what the checks let through.
pub(crate) fn codes(json: &str) -> Vec<String> {
    let validated = nagare::asl::validate::validate(json);
    for diag in &validated.diags {
        assert!(
            !diag.to_string().contains("cannot be read"),
            "{json}: the checks missed what the model refuses: {diag}"
        );
    }
    validated
        .diags
        .iter()
        .map(|d| d.code_str().trim_start_matches("nagare::").to_string())
        .collect()
}

/// One mistake, one report: problems that hide where a state leads do not
/// also make every later state "unreachable" or the machine "endless".
#[test]
fn one_mistake_gives_one_report() {
    let machine = |first: &str| {
        format!(
            r#"{{"StartAt": "A", "States": {{"A": {first}, "B": {{"Type": "Pass", "Next": "C"}}, "C": {{"Type": "Succeed"}}}}}}"#
        )
    };
    for (first, code) in [
        (r#"{"Type": "Pas", "Next": "B"}"#, "E205"),
        (r#"{"Next": "B"}"#, "E203"),
        (r#"["Pass"]"#, "E204"),
        (r#"{"Type": "Pass", "Next": null}"#, "E204"),
        (r#"{"Type": "Pass", "Next": ""}"#, "E205"),
        (r#"{"Type": "Succeed", "Next": "B"}"#, "E202"),
        (r#"{"Type": "Pass", "Next": "B", "End": false}"#, "E206"),
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, "Catch": {"ErrorEquals": ["States.ALL"], "Next": "B"}}"#,
            "E204",
        ),
        (
            r#"{"Type": "Choice", "Choices": {"Variable": "$.x", "IsPresent": true, "Next": "B"}}"#,
            "E204",
        ),
    ] {
        assert_eq!(codes(&machine(first)), [code], "{first}");
    }
}

#[test]
fn corner_cases_found_in_review() {
    let wrap = |state: &str| format!(r#"{{"StartAt": "A", "States": {{"A": {state}}}}}"#);
    let map = |extra: &str| {
        wrap(&format!(
            r#"{{"Type": "Map", "End": true, "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}, "StartAt": "P", "States": {{"P": {{"Type": "Pass", "End": true}}}}}}{extra}}}"#
        ))
    };
    let cases: Vec<(String, Vec<&str>)> = vec![
        // AWS documents a ResultWriter with only WriterConfig.
        (
            map(r#", "ResultWriter": {"WriterConfig": {"OutputType": "JSONL", "Transformation": "FLATTEN"}}"#),
            vec![],
        ),
        (
            map(r#", "ResultWriter": {"WriterConfig": {"OutputType": "XML"}}"#),
            vec!["E205"],
        ),
        (
            map(r#", "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject"}"#),
            vec!["E203"],
        ),
        // Jayway trims paths; a published AWS sample relies on it.
        (
            wrap(r#"{"Type": "Pass", "Parameters": {"n.$": "$$.Execution.Name "}, "End": true}"#),
            vec![],
        ),
        // Numbers a double cannot hold, and nesting the typed read cannot.
        (
            wrap(r#"{"Type": "Pass", "Result": 1e400, "End": true}"#),
            vec!["E205"],
        ),
        (
            format!("{}{}", "[".repeat(101), "]".repeat(101)),
            vec!["E005"],
        ),
        // Only string-returning calls in ErrorPath; at most 10 nested calls.
        (
            wrap(r#"{"Type": "Fail", "ErrorPath": "States.ArrayLength($.e)"}"#),
            vec!["E212"],
        ),
        (
            wrap(&format!(
                r#"{{"Type": "Pass", "Parameters": {{"x.$": "{}1{}"}}, "End": true}}"#,
                "States.Array(".repeat(11),
                ")".repeat(11)
            )),
            vec!["E212"],
        ),
        // A duplicate key: AWS keeps the last value, and so do the checks.
        (
            wrap(r#"{"Type": "Pass", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}"#),
            vec!["E201"],
        ),
        // JSONata states are read with their own fields.
        (
            r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Condition": "{% true %}", "Next": "B"}], "Default": "B"}, "B": {"Type": "Wait", "Seconds": "{% 1 %}", "End": true}}}"#.to_string(),
            vec![],
        ),
        // A JSONata machine holds no JSONPath state.
        (
            r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}}}"#.to_string(),
            vec!["E205"],
        ),
        // JSONPath fields in a JSONata state are wrong, as AWS says.
        (
            r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$.x", "End": true}}}"#.to_string(),
            vec!["E202"],
        ),
        // JSONata fields in a JSONPath state are wrong, as AWS says.
        (
            wrap(r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {}, "End": true}"#),
            vec!["E202"],
        ),
        (
            wrap(r#"{"Type": "Pass", "QueryLanguage": "JSONPath", "Assign": {"x": 1}, "End": true}"#),
            vec![],
        ),
        (
            wrap(r#"{"Type": "Task", "Resource": "arn:${AWS::Partition}:states:::lambda:invoke", "End": true}"#),
            vec!["E218"],
        ),
        (
            wrap(r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": -0}], "End": true}"#),
            vec!["E205"],
        ),
        ("\u{feff}{}".to_string(), vec!["E200"]),
    ];
    for (json, expected) in cases {
        assert_eq!(codes(&json), expected, "{json}");
    }
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("temp dir");
    let states: Vec<String> = (0..5_000)
        .map(|i| format!(r#""S{i}": {{"Type": "Pass", "End": true}}"#))
        .collect();
    let file = dir.path().join("m.asl.json");
    std::fs::write(
        &file,
        format!(r#"{{"StartAt": "S0", "States": {{{}}}}}"#, states.join(",")),
    )
    .expect("write");
    for format in ["json", "github"] {
        let mut child = Command::new(crate::harness::binary())
            .args(["check", "--format", format])
            .arg(&file)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut first = [0u8; 16];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut first)
            .expect("some output");
        // The pipe closes here, with most of the report unread.
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("stderr");
        let status = child.wait().expect("exit");
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert_eq!(status.code(), Some(1), "{format}: {stderr}");
    }
}
