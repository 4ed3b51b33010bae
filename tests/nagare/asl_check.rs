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
