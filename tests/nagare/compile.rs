//! `nagare compile`: every example compiles, the ASL is snapshotted and
//! byte-stable, outputs are written atomically, and the emitted definitions
//! (examples and the corpus's valid flows) pass asl-validator, statelint
//! (installed by .ci/run) and nagare's own check.

use crate::harness::{Test, examples, root};

fn compile(file: &std::path::Path) -> String {
    Test::new()
        .args([
            "compile",
            "--color",
            "never",
            file.to_str().expect("utf-8 path"),
        ])
        .run()
        .success()
        .stdout
}

/// Compiles a flow given as text; the definition and its typed reading.
fn compile_text(flow: &str) -> (String, nagare::asl::StateMachine) {
    let out = Test::new()
        .args(["compile", "-"])
        .stdin(flow)
        .run()
        .success()
        .stdout;
    let machine = nagare::asl::read(&out).expect("the definition reads back");
    (out, machine)
}

#[test]
fn every_example_compiles_to_stable_snapshotted_asl() {
    for file in examples() {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        let first = compile(&file);
        assert_eq!(first, compile(&file), "{name}: output differs between runs");
        let machine = nagare::asl::read(&first)
            .unwrap_or_else(|e| panic!("{name}: own output unreadable: {e}"));
        assert!(machine.states.len() >= 3);
        insta::assert_snapshot!(format!("{name}.asl"), first);
    }
}

#[test]
fn output_files_are_written_whole() {
    let out = Test::new()
        .file("f.flow", crate::harness::VALID)
        .file("out/old.json", "old")
        .args(["compile", "f.flow", "-o", "out/old.json"])
        .run()
        .success();
    let dir = out.dir.path();
    let written = std::fs::read_to_string(dir.join("out/old.json")).expect("written");
    assert!(nagare::asl::read(&written).is_ok());
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("out")).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "no temporary files are left behind");
}

#[test]
fn a_flow_with_errors_compiles_nothing() {
    let out = Test::new()
        .file(
            "bad.flow",
            "flow b { task a after nowhere { run lambda \"f\" } }",
        )
        .file("out.json", "kept")
        .args(["compile", "--color", "never", "bad.flow", "-o", "out.json"])
        .run()
        .code(1)
        .stderr_has("nagare::E021")
        .stderr_has("nothing was compiled");
    let kept = std::fs::read_to_string(out.dir.path().join("out.json")).expect("still there");
    assert_eq!(
        kept, "kept",
        "a failed compile leaves the old output untouched"
    );
}

#[test]
fn explain_names_the_waits_of_a_non_series_parallel_graph() {
    let flow = r#"flow n {
        task a { run lambda "f" }
        task b { run lambda "f" }
        task c after a, b { run lambda "f" }
        task d after b { run lambda "f" }
    }"#;
    Test::new()
        .file("n.flow", flow)
        .args(["compile", "--explain", "n.flow"])
        .run()
        .success()
        .stderr_has("`d` waits for `a`, which it does not depend on");
    Test::new()
        .args(["compile", "--explain", "-"])
        .stdin(crate::harness::VALID)
        .run()
        .success()
        .stderr_has("every dependency kept");
}

/// The flows of the diagnostics corpus that only warn: valid flows that
/// exercise corners the examples do not.
fn warning_fixtures() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("tests/diagnostics"))
        .expect("tests/diagnostics")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.starts_with('W') && name.ends_with(".flow")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 5, "warning fixtures: {files:?}");
    files
}

#[test]
fn emitted_definitions_pass_asl_validator_and_statelint() {
    let dir = tempfile::tempdir().expect("temp dir");
    let flows = examples().into_iter().chain(warning_fixtures());
    let definitions: Vec<String> = flows.map(|f| compile(&f)).collect();
    for json in &definitions {
        let validated = nagare::asl::validate::validate(json);
        assert!(validated.diags.is_empty(), "{json}\n{:?}", validated.diags);
    }
    crate::oracles::assert_both_accept(&crate::oracles::write_all(dir.path(), &definitions));
}

/// The seed platform's hand-written workflow and its .flow version call the
/// same resources with the same parameters, state by state.
#[test]
fn the_seed_workflow_compiles_to_the_hand_written_calls() {
    use nagare::asl::State;
    let written =
        std::fs::read_to_string(root().join("tests/asl/seed_workflow.asl.json")).expect("seed");
    let original = nagare::asl::read(&written).expect("seed reads");
    let compiled =
        nagare::asl::read(&compile(&root().join("examples/seed_workflow.flow"))).expect("compiled");
    for (name, state) in &original.states {
        let (State::Task(want), Some(State::Task(got))) = (state, compiled.states.get(name)) else {
            panic!("{name}: both must be Task states");
        };
        assert_eq!(got.resource, want.resource, "{name}: resource");
        assert_eq!(got.parameters, want.parameters, "{name}: parameters");
    }
}

#[test]
fn crawls_are_waited_for_unless_told_not_to() {
    let flow = |wait: &str| {
        format!(
            r#"flow c {{
                transform crawl {{ run glue.crawler "lake" {wait} catch States.ALL -> alert }}
                handler alert {{ run sns {{ topic: "t", message: "m" }} }}
            }}"#
        )
    };
    let (polled, machine) = compile_text(&flow(""));
    assert!(polled.contains("aws-sdk:glue:getCrawler"), "{polled}");
    let failed = machine
        .states
        .get("crawl: crawl failed")
        .expect("a failure state");
    // The stage's catch-all routes a failed crawl to its handler.
    let nagare::asl::State::Pass(pass) = failed else {
        panic!("{failed:?}")
    };
    assert_eq!(pass.next.as_deref(), Some("alert"));
    let (fire_and_forget, _) = compile_text(&flow("{ wait: false }"));
    assert!(!fire_and_forget.contains("getCrawler"));
}

#[test]
fn crawls_in_a_foreach_are_waited_for_in_each_iteration() {
    let flow = r#"flow c {
        transform crawl foreach $.input.days concurrency 1 {
            run glue.crawler "lake"
            catch States.ALL -> alert
        }
        handler alert { run sns { topic: "t", message: "m" } }
    }"#;
    let (out, machine) = compile_text(flow);
    let Some(nagare::asl::State::Map(map)) = machine.states.get("crawl") else {
        panic!("crawl is not a Map:\n{out}")
    };
    let processor = map.item_processor.as_ref().expect("a processor");
    // The poll loop runs inside the iteration; the Map's own catcher routes
    // a failed crawl (the iteration's Fail state) to the handler.
    assert!(
        processor.states.values().any(
            |s| matches!(s, nagare::asl::State::Task(t) if t.resource.ends_with("glue:getCrawler"))
        ),
        "{out}"
    );
    assert!(
        processor.states.contains_key("crawl: crawl failed"),
        "{out}"
    );
    assert!(
        map.catch.iter().any(|c| c.next == "alert"),
        "the Map routes failures to the handler:\n{out}"
    );
    let validated = nagare::asl::validate::validate(&out);
    assert!(validated.diags.is_empty(), "{:?}", validated.diags);
    let dir = tempfile::tempdir().expect("temp dir");
    crate::oracles::assert_both_accept(&crate::oracles::write_all(dir.path(), &[out]));
}

#[test]
fn a_result_that_is_not_an_object_is_stored_as_itself() {
    let flow = r#"flow r {
        collect one { run lambda "f" result $.Payload catch States.ALL -> alert }
        transform each after one foreach $.input.days { run lambda "g" result $.Payload.count }
        handler alert { run lambda "h" result States.Format("{}", $.StatusCode) }
    }"#;
    let (out, machine) = compile_text(flow);
    let nagare::asl::State::Task(one) = &machine.states["one"] else {
        panic!("{out}")
    };
    assert_eq!(
        one.result_selector,
        Some(serde_json::json!({ "value.$": "$.Payload" }))
    );
    assert_eq!(one.next.as_deref(), Some("one: keep the result"));
    let nagare::asl::State::Pass(keep) = &machine.states["one: keep the result"] else {
        panic!("{out}")
    };
    assert_eq!(keep.input_path, Some(Some("$.steps.one.value".into())));
    assert_eq!(keep.result_path, Some(Some("$.steps.one".into())));
    // In a foreach, each iteration unwraps its own value.
    let nagare::asl::State::Map(each) = &machine.states["each"] else {
        panic!("{out}")
    };
    let processor = each.item_processor.as_ref().expect("processor");
    assert!(
        processor.states.contains_key("each: keep the result"),
        "{out}"
    );
    assert!(
        machine.states.contains_key("alert: keep the result"),
        "{out}"
    );
    let validated = nagare::asl::validate::validate(&out);
    assert!(validated.diags.is_empty(), "{:?}", validated.diags);
    let dir = tempfile::tempdir().expect("temp dir");
    crate::oracles::assert_both_accept(&crate::oracles::write_all(dir.path(), &[out]));
}
