//! `nagare test`: the examples' tests pass through the real binary; a
//! failing test reads well (snapshotted); filters, JSON and bad tests.

use crate::harness::{Test, root};

const FLOW: &str = r#"flow orders {
  collect fetch {
    run lambda "fetch-orders"
    retry Lambda.TooManyRequestsException max 2 interval 1s
    catch States.ALL -> alert
  }
  transform total after fetch when $.input.skip != true {
    run lambda "total" { payload: { orders: $.steps.fetch.Payload } }
    result { sum: $.Payload.sum }
  }
  handler alert { run sns { topic: "arn:aws:sns:eu-west-1:000000000000:alerts", message: $.error } }
}

test "totals the orders" {
  input { skip: false }
  mock fetch { return { Payload: [1, 2] } }
  mock total { return { Payload: { sum: 3 } } }
  expect succeeded
  expect $.steps.total.sum == 3
  expect attempts fetch == 1
}

test "a throttled fetch is retried" {
  mock fetch {
    throw Lambda.TooManyRequestsException
    return { Payload: [] }
  }
  mock total { return { Payload: { sum: 0 } } }
  expect attempts fetch == 2
  expect ran total
}

test "this one is wrong on purpose" {
  mock fetch { throw Lambda.Unknown "boom" }
  expect succeeded
  expect $.steps.total.sum >= 10
  expect skipped total
  expect not ran alert
}
"#;

#[test]
fn every_example_test_passes() {
    let out = Test::new()
        .args(["test", "--color", "never"])
        .args([root().join("examples").display().to_string()])
        .run()
        .code(0);
    let summary = out.stdout.lines().last().unwrap_or_default().to_string();
    assert!(summary.ends_with(" passed, 0 failed"), "{}", out.stdout);
    let passed: usize = summary
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(passed >= 20, "{summary}");
}

#[test]
fn a_failing_test_says_what_it_expected_and_what_happened() {
    let out = Test::new()
        .file("orders.flow", FLOW)
        .args(["test", "--color", "never", "orders.flow"])
        .run()
        .code(1);
    assert!(
        out.stdout.ends_with("2 passed, 1 failed\n"),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn filters_and_json() {
    let out = Test::new()
        .file("orders.flow", FLOW)
        .args([
            "test",
            "--format",
            "json",
            "--filter",
            "throttled",
            "orders.flow",
        ])
        .run()
        .code(0);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        (report["passed"].as_u64(), report["failed"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(
        report["files"][0]["tests"][0]["name"],
        "a throttled fetch is retried"
    );
}

#[test]
fn a_test_naming_an_unknown_stage_is_a_diagnostic() {
    let flow = FLOW.replace(
        "mock total { return { Payload: { sum: 3 } } }",
        "mock totl { return {} }",
    );
    let out = Test::new()
        .file("orders.flow", flow)
        .args(["test", "--color", "never", "orders.flow"])
        .run()
        .code(2);
    assert!(out.stderr.contains("totl"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

#[test]
fn the_current_directory_is_searched_by_default() {
    Test::new()
        .file(
            "flows/orders.flow",
            FLOW.replace(
                "expect succeeded\n  expect $.steps.total.sum >= 10",
                "expect failed",
            ),
        )
        .args(["test", "--color", "never"])
        .run()
        .code(1)
        .stdout_has("flows/orders.flow");
}

#[test]
fn junit_output_is_xml_with_the_usual_shape() {
    let out = Test::new()
        .file("orders.flow", FLOW)
        .args(["test", "--format", "junit", "orders.flow"])
        .run()
        .code(1);
    let doc = roxmltree::Document::parse(&out.stdout).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(
        (root.attribute("tests"), root.attribute("failures")),
        (Some("3"), Some("1"))
    );
    let suite = root
        .children()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("a testsuite");
    assert_eq!(suite.attribute("name"), Some("orders.flow"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 3);
    for case in &cases {
        assert!(case.attribute("name").is_some() && case.attribute("classname") == Some("orders"));
        assert!(
            case.attribute("time")
                .and_then(|t| t.parse::<f64>().ok())
                .is_some()
        );
    }
    let failures: Vec<_> = cases[2]
        .children()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 4, "one failure per unmet expectation");
    assert!(cases[0].children().all(|n| !n.has_tag_name("failure")));
}

#[test]
fn github_annotations_point_at_the_failing_expect_lines() {
    let out = Test::new()
        .file("orders.flow", FLOW)
        .args(["test", "--format", "github", "orders.flow"])
        .run()
        .code(1);
    let annotations: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(annotations.len(), 4, "{}", out.stdout);
    assert!(
        annotations[0].contains("file=orders.flow,line=35,"),
        "{}",
        annotations[0]
    );
    assert!(out.stdout.ends_with("2 passed, 1 failed\n"));
}

fn gaps(extra: &[&str]) -> Vec<String> {
    let out = Test::new()
        .file("orders.flow", FLOW)
        .args(["test", "--format", "json", "--coverage"])
        .args(extra)
        .args(["orders.flow"])
        .run();
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    report["files"][0]["coverage"]
        .as_array()
        .expect("coverage")
        .iter()
        .map(|g| {
            format!(
                "{}: {}",
                g["kind"].as_str().unwrap_or(""),
                g["what"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn coverage_lists_exactly_the_routes_no_test_took() {
    // All three tests: only the `when` of total is never false.
    assert_eq!(gaps(&[]), ["when false: total: `when` never false"]);
    // The happy path alone leaves the retry, the catch and the handler untried.
    assert_eq!(
        gaps(&["--filter", "totals"]),
        [
            "catch: fetch: catch States.ALL -> alert never taken",
            "retry: fetch: retry Lambda.TooManyRequestsException never used",
            "when false: total: `when` never false",
            "stage: alert never ran",
        ]
    );
}

#[test]
fn ran_means_called_and_a_missing_path_is_only_unequal() {
    let flow = r#"flow empty {
  transform each foreach $.input.items { run lambda "per-item" }
}

test "nothing to do" {
  input { items: [] }
  expect succeeded
  expect not ran each
  expect attempts each == 0
  expect $.steps.each[5] != 1
}
"#;
    Test::new()
        .file("empty.flow", flow)
        .args(["test", "--color", "never", "empty.flow"])
        .run()
        .code(0)
        .stdout_has("1 passed, 0 failed");
}
