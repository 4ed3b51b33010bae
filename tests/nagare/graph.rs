//! `nagare graph`: shapes and refusal on broken flows.

use crate::harness::Test;

const FLOW: &str = r#"flow g {
  collect list {
    run sdk "s3:listObjectsV2" { Bucket: "b" }
  }
  transform each after list foreach $.steps.list.Contents concurrency 4 {
    run lambda "flatten" { payload: { key: $.item.Key } }
    catch States.ALL -> alert
  }
  visualize load after each when $.input.load == true {
    run ecs { task_definition: "embulk:1" }
  }
  handler alert {
    run sns { topic: "arn:aws:sns:ap-northeast-1:000000000000:alerts", message: $.error.Cause }
    then fail "Alerted" "flatten failed"
  }
}
"#;

#[test]
fn mermaid_shows_kinds_routes_when_and_foreach() {
    let out = Test::new()
        .file("g.flow", FLOW)
        .args(["graph", "g.flow"])
        .run()
        .success();
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn dot_shows_kinds_routes_when_and_foreach() {
    let out = Test::new()
        .file("g.flow", FLOW)
        .args(["graph", "--format", "dot", "g.flow"])
        .run()
        .success();
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn a_flow_with_errors_is_not_drawn() {
    Test::new()
        .file(
            "bad.flow",
            "flow b { task a after nowhere { run lambda \"f\" } }",
        )
        .args(["graph", "bad.flow", "--color", "never"])
        .run()
        .code(1)
        .stderr_has("unknown stage `nowhere`")
        .stderr_has("fix them to draw its graph");
}

#[test]
fn graph_reads_stdin() {
    Test::new()
        .args(["graph", "-"])
        .stdin(FLOW)
        .run()
        .success()
        .stdout_has("flowchart TD");
}
