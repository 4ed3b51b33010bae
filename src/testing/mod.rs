//! The `test` blocks of a flow, run: each test is a fresh execution of the
//! compiled machine with the test's input and mocks, then its `expect`s are
//! checked. Tests name stages; which compiled states a stage became is the
//! compiler's record (`Lowered::states_of_stages`).

use serde::Serialize;
use serde_json::{Value, json};

use crate::asl::lower::{Lowered, Role};
use crate::asl::template::{Template, template};
use crate::interp::{self, DryRun, Execution, Failure, Options, Response, Status};
use crate::path::{self, Selection};
use crate::source::Span;
use crate::syntax::ast::{self, CompareOp, ExpectKind, MockResponse, TestItem};

/// One test's result.
#[derive(Debug, Clone, Serialize)]
pub struct TestRun {
    pub name: String,
    #[serde(skip)]
    pub span: Span,
    pub passed: bool,
    /// Simulated duration of the run.
    pub duration_ms: i64,
    /// Wall time the run took, in milliseconds.
    pub wall_ms: f64,
    pub unmet: Vec<Unmet>,
    #[serde(skip)]
    pub execution: Execution,
}

/// An expectation that did not hold.
#[derive(Debug, Clone, Serialize)]
pub struct Unmet {
    #[serde(skip)]
    pub span: Span,
    /// The `expect` as written.
    pub expectation: String,
    pub expected: String,
    pub actual: String,
}

/// The crawl a mocked or unmocked crawler stage's poll sees: finished.
fn finished_crawl() -> Value {
    json!({"Crawler": {"State": "READY", "LastCrawl": {"Status": "SUCCEEDED"}}})
}

/// Runs the tests of `file` whose name contains `filter`, concurrently.
pub fn run(
    file: &ast::File,
    text: &str,
    flow_name: &str,
    lowered: &Lowered,
    filter: Option<&str>,
) -> Vec<TestRun> {
    let chosen: Vec<&ast::Test> = file
        .tests
        .iter()
        .filter(|t| filter.is_none_or(|f| t.name.node.contains(f)))
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(chosen.len().max(1));
    let chunk = chosen.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = chosen
            .chunks(chunk)
            .map(|tests| {
                scope.spawn(move || {
                    tests
                        .iter()
                        .map(|t| run_one(t, text, flow_name, lowered))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

fn literal(value: &ast::Value) -> Value {
    match template(value) {
        Ok(Template::Literal(json)) => json,
        // The checker allows only literal test data (E105).
        _ => Value::Null,
    }
}

fn states<'l>(lowered: &'l Lowered, stage: &str, role: Role) -> impl Iterator<Item = &'l str> {
    lowered
        .states_of_stages
        .iter()
        .filter(move |s| s.stage == stage && s.role == role)
        .map(|s| s.state.as_str())
}

fn run_one(test: &ast::Test, text: &str, flow_name: &str, lowered: &Lowered) -> TestRun {
    let started = std::time::Instant::now();
    let mut input = json!({});
    let mut dry = DryRun::default();
    for poll in lowered
        .states_of_stages
        .iter()
        .filter(|s| s.role == Role::Poll)
    {
        dry.mock(&poll.state, vec![Response::Return(finished_crawl())]);
    }
    for item in &test.items {
        match item {
            TestItem::Input(value) => input = literal(value),
            TestItem::Mock(mock) => {
                let responses: Vec<Response> = mock
                    .responses
                    .iter()
                    .map(|r| match r {
                        MockResponse::Return(v) => Response::Return(literal(v)),
                        MockResponse::Throw { error, cause, .. } => Response::Throw(Failure::new(
                            error.name.clone(),
                            cause.as_ref().map(|c| c.node.clone()).unwrap_or_default(),
                        )),
                    })
                    .collect();
                for state in states(lowered, &mock.stage.name, Role::Call) {
                    dry.mock(state, responses.clone());
                }
            }
            TestItem::Expect(_) => {}
        }
    }
    let options = Options {
        machine_name: flow_name.to_string(),
        execution_name: test
            .name
            .node
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-"),
        ..Options::default()
    };
    let mut execution = interp::run(&lowered.machine, input, &dry, &options);
    let unmet: Vec<Unmet> = test
        .items
        .iter()
        .filter_map(|item| match item {
            TestItem::Expect(expect) => check(expect, text, &execution, lowered),
            _ => None,
        })
        .collect();
    // A passed test's history is only needed for coverage: keep what it
    // reads (names, kinds, indexes), not every payload, so a thousand tests
    // over a large flow stay small.
    if unmet.is_empty() {
        for event in &mut execution.history {
            event.details.input = None;
            event.details.output = None;
        }
        execution.output = None;
    }
    TestRun {
        name: test.name.node.clone(),
        span: test.name.span,
        passed: unmet.is_empty(),
        duration_ms: execution.duration_ms,
        wall_ms: started.elapsed().as_secs_f64() * 1000.0,
        unmet,
        execution,
    }
}

fn entered(execution: &Execution, state: &str) -> bool {
    execution
        .history
        .iter()
        .any(|e| e.kind.ends_with("StateEntered") && e.details.name.as_deref() == Some(state))
}

fn calls(execution: &Execution, state: &str) -> usize {
    execution
        .history
        .iter()
        .filter(|e| e.kind == "TaskScheduled" && e.details.name.as_deref() == Some(state))
        .count()
}

/// The state document at the end: the input of the last top-level state,
/// with results under the stage names the flow uses.
fn final_state(execution: &Execution, lowered: &Lowered) -> Value {
    let mut state = execution
        .history
        .iter()
        .rev()
        .find(|e| e.depth == 0 && e.kind.ends_with("StateEntered"))
        .and_then(|e| e.details.input.as_deref().cloned())
        .unwrap_or(Value::Null);
    if let Some(Value::Object(steps)) = state.get_mut("steps") {
        for (key, name) in &lowered.renamed {
            if let Some(v) = steps.shift_remove(key) {
                steps.insert(name.clone(), v);
            }
        }
    }
    state
}

fn status_word(execution: &Execution) -> String {
    match execution.status {
        Status::Succeeded => "succeeded".into(),
        Status::Failed => format!(
            "failed with {}: {}",
            execution.error.as_deref().unwrap_or_default(),
            execution.cause.as_deref().unwrap_or_default()
        ),
        Status::TimedOut => "timed out".into(),
        Status::Aborted => "aborted".into(),
    }
}

fn check(
    expect: &ast::Expect,
    text: &str,
    execution: &Execution,
    lowered: &Lowered,
) -> Option<Unmet> {
    let unmet = |expected: String, actual: String| Unmet {
        span: expect.span,
        expectation: text
            .get(expect.span.start..expect.span.end)
            .unwrap_or_default()
            .to_string(),
        expected,
        actual,
    };
    // A stage ran when its task was called (docs/language.md, Tests): a
    // `foreach` over no items, or a `when` that was false, calls nothing.
    let ran = |stage: &str| states(lowered, stage, Role::Call).any(|s| calls(execution, s) > 0);
    match &expect.kind {
        ExpectKind::Succeeded => (execution.status != Status::Succeeded)
            .then(|| unmet("the execution succeeds".into(), status_word(execution))),
        ExpectKind::Failed(error) => {
            let failed_as_wanted = execution.status != Status::Succeeded
                && error
                    .as_ref()
                    .is_none_or(|e| execution.error.as_deref() == Some(e.name.as_str()));
            (!failed_as_wanted).then(|| {
                let wanted = error
                    .as_ref()
                    .map_or("the execution fails".to_string(), |e| {
                        format!("the execution fails with {}", e.name)
                    });
                unmet(wanted, status_word(execution))
            })
        }
        ExpectKind::Ran(stage) => (!ran(&stage.name))
            .then(|| unmet(format!("{} runs", stage.name), "it did not run".into())),
        ExpectKind::NotRan(stage) => {
            ran(&stage.name).then(|| unmet(format!("{} does not run", stage.name), "it ran".into()))
        }
        ExpectKind::Skipped(stage) => {
            let skipped = states(lowered, &stage.name, Role::Skip).any(|s| entered(execution, s));
            (!skipped).then(|| {
                let actual = if ran(&stage.name) {
                    "it ran"
                } else {
                    "it was not reached"
                };
                unmet(
                    format!("{} is skipped by its `when`", stage.name),
                    actual.into(),
                )
            })
        }
        ExpectKind::Attempts { stage, count } => {
            let made: usize = states(lowered, &stage.name, Role::Call)
                .map(|s| calls(execution, s))
                .sum();
            (made as u64 != count.node).then(|| {
                unmet(
                    format!("{} call(s) of {}", count.node, stage.name),
                    format!("{made} call(s)"),
                )
            })
        }
        ExpectKind::Path { path: p, op, value } => {
            let wanted = literal(value);
            let state = final_state(execution, lowered);
            let actual = path::parse(&p.text).ok().and_then(|parsed| {
                match path::select(&parsed, &state, &Value::Null) {
                    Selection::Missing => None,
                    found => found.to_value(),
                }
            });
            // A missing path makes every comparison false but `!=`.
            let holds = match &actual {
                Some(a) => compare(a, op.node, &wanted),
                None => op.node == CompareOp::Ne,
            };
            (!holds).then(|| {
                unmet(
                    format!("{} {} {}", p.text, op.node.as_str(), wanted),
                    actual.map_or("nothing at that path".to_string(), |a| {
                        describe(&a, op.node, &wanted)
                    }),
                )
            })
        }
    }
}

/// The actual value, and why an ordering could not hold when the two
/// values are of different types.
fn describe(actual: &Value, op: CompareOp, wanted: &Value) -> String {
    let ordering = !matches!(op, CompareOp::Eq | CompareOp::Ne);
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    let comparable = matches!(
        (actual, wanted),
        (Value::Number(_), Value::Number(_)) | (Value::String(_), Value::String(_))
    );
    if ordering && !comparable {
        format!(
            "{actual} ({} cannot be ordered against {}; `{}` compares two numbers or two strings)",
            kind(actual),
            kind(wanted),
            op.as_str()
        )
    } else {
        actual.to_string()
    }
}

/// `==`/`!=` on any values; ordering on two numbers or two strings.
fn compare(actual: &Value, op: CompareOp, wanted: &Value) -> bool {
    use std::cmp::Ordering;
    let order = match (actual, wanted) {
        (Value::Number(a), Value::Number(b)) => a
            .as_f64()
            .zip(b.as_f64())
            .and_then(|(a, b)| a.partial_cmp(&b)),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    };
    match op {
        CompareOp::Eq => order.map_or(actual == wanted, |o| o == Ordering::Equal),
        CompareOp::Ne => order.map_or(actual != wanted, |o| o != Ordering::Equal),
        CompareOp::Lt => order == Some(Ordering::Less),
        CompareOp::Le => matches!(order, Some(Ordering::Less | Ordering::Equal)),
        CompareOp::Gt => order == Some(Ordering::Greater),
        CompareOp::Ge => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
    }
}

/// A route of a flow that no test took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// `stage`, `catch`, `retry`, `when true` or `when false`.
    pub kind: &'static str,
    pub what: String,
}

/// What no test exercised: stages that never ran, catch routes never
/// taken, retriers never used, and `when` conditions never true or never
/// false. Failure handling is what tests most often leave untried.
pub fn coverage(
    flow: &ast::Flow,
    graph: &crate::graph::FlowGraph,
    lowered: &Lowered,
    runs: &[TestRun],
) -> Vec<Gap> {
    let executions: Vec<&Execution> = runs.iter().map(|r| &r.execution).collect();
    let any = |test: &dyn Fn(&Execution) -> bool| executions.iter().any(|e| test(e));
    let mut gaps = Vec::new();
    for (index, stage) in flow.stages().enumerate() {
        let name = stage.name.name.as_str();
        let called = |e: &Execution| states(lowered, name, Role::Call).any(|s| calls(e, s) > 0);
        if !any(&called) {
            gaps.push(Gap {
                kind: "stage",
                what: format!("{name} never ran"),
            });
        }
        for (handler, errors) in graph.routes_of(index) {
            let handler = graph.node(handler).name.as_str();
            let caught = |e: &Execution| {
                entered(e, handler)
                    && e.history.iter().any(|ev| {
                        ev.kind == "StateCaught"
                            && states(lowered, name, Role::Call)
                                .chain([name])
                                .any(|s| ev.details.name.as_deref() == Some(s))
                    })
            };
            if !any(&caught) {
                gaps.push(Gap {
                    kind: "catch",
                    what: format!(
                        "{name}: catch {} -> {handler} never taken",
                        errors.join(", ")
                    ),
                });
            }
        }
        // A stage's retriers sit on its call (in a foreach, the Task inside the Map).
        for call in states(lowered, name, Role::Call) {
            for (i, retrier) in retriers(&lowered.machine.states, call).iter().enumerate() {
                let used = |e: &Execution| {
                    e.history.iter().any(|ev| {
                        ev.kind == "StateRetryScheduled"
                            && ev.details.index == Some(i)
                            && ev.details.name.as_deref() == Some(call)
                    })
                };
                if !any(&used) {
                    gaps.push(Gap {
                        kind: "retry",
                        what: format!(
                            "{name}: retry {} never used",
                            retrier.error_equals.join(", ")
                        ),
                    });
                }
            }
        }
        if stage.when().is_some() {
            let skipped = |e: &Execution| states(lowered, name, Role::Skip).any(|s| entered(e, s));
            if !any(&|e| entered(e, name)) {
                gaps.push(Gap {
                    kind: "when true",
                    what: format!("{name}: `when` never true"),
                });
            }
            if !any(&skipped) {
                gaps.push(Gap {
                    kind: "when false",
                    what: format!("{name}: `when` never false"),
                });
            }
        }
    }
    gaps
}

/// The retriers of the state named `name`, wherever it sits.
fn retriers<'m>(
    states: &'m indexmap::IndexMap<String, crate::asl::State>,
    name: &str,
) -> Vec<&'m crate::asl::Retrier> {
    use crate::asl::State;
    for (state_name, state) in states {
        let nested = match state {
            State::Task(t) if state_name == name => return t.retry.iter().collect(),
            State::Map(m) if state_name == name => return m.retry.iter().collect(),
            State::Parallel(p) => p
                .branches
                .iter()
                .map(|b| retriers(&b.states, name))
                .find(|r| !r.is_empty()),
            State::Map(m) => m
                .item_processor
                .iter()
                .map(|p| retriers(&p.states, name))
                .find(|r| !r.is_empty()),
            _ => None,
        };
        if let Some(found) = nested {
            return found;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_hold_by_type_and_say_why_not() {
        assert!(compare(&json!(5), CompareOp::Ge, &json!(5.0)));
        assert!(compare(&json!("b"), CompareOp::Gt, &json!("a")));
        assert!(compare(&json!({"a": 1}), CompareOp::Eq, &json!({"a": 1})));
        assert!(!compare(&json!(5), CompareOp::Gt, &json!("ten")));
        assert!(compare(&json!(5), CompareOp::Ne, &json!("ten")));
        let why = describe(&json!(5), CompareOp::Gt, &json!("ten"));
        assert!(
            why.contains("a number cannot be ordered against a string"),
            "{why}"
        );
        assert_eq!(describe(&json!(5), CompareOp::Eq, &json!(6)), "5");
    }
}
