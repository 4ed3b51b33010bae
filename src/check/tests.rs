//! `test` blocks: they must name real stages, and their inputs, mock
//! responses and expected values must be literal JSON.

use super::suggest::did_you_mean;
use super::values::{Scope, ValueChecker};
use crate::diagnostics::Diag;
use crate::graph::FlowGraph;
use crate::source::Span;
use crate::syntax::ast::*;

pub fn check(file: &File, graph: &FlowGraph, diags: &mut Vec<Diag>) {
    for (i, test) in file.tests.iter().enumerate() {
        if let Some(first) = file.tests[..i]
            .iter()
            .find(|t| t.name.node == test.name.node)
        {
            diags.push(Diag::DuplicateTestName {
                span: test.name.span,
                name: test.name.node.clone(),
                first: first.name.span,
            });
        }
        check_test(test, graph, diags);
    }
}

fn check_test(test: &Test, graph: &FlowGraph, diags: &mut Vec<Diag>) {
    let mut input: Option<Span> = None;
    let mut mocks: Vec<&Mock> = Vec::new();
    for item in &test.items {
        match item {
            TestItem::Input(value) => {
                if let Some(first) = input {
                    diags.push(Diag::DuplicateClause {
                        span: value.span,
                        keyword: "input",
                        first,
                    });
                }
                input = Some(value.span);
                literal(value, diags);
            }
            TestItem::Mock(mock) => {
                known_stage(&mock.stage, "mock", graph, diags);
                if let Some(first) = mocks.iter().find(|m| m.stage.name == mock.stage.name) {
                    diags.push(Diag::DuplicateMock {
                        span: mock.stage.span,
                        name: mock.stage.name.clone(),
                        first: first.stage.span,
                    });
                }
                mocks.push(mock);
                if mock.responses.is_empty() {
                    diags.push(Diag::EmptyMock {
                        span: mock.span,
                        name: mock.stage.name.clone(),
                    });
                }
                for response in &mock.responses {
                    match response {
                        MockResponse::Return(value) => literal(value, diags),
                        MockResponse::Throw { error, .. } => {
                            super::clauses::check_error_name(error, diags)
                        }
                    }
                }
            }
            TestItem::Expect(expect) => check_expect(expect, graph, diags),
        }
    }
}

fn check_expect(expect: &Expect, graph: &FlowGraph, diags: &mut Vec<Diag>) {
    match &expect.kind {
        ExpectKind::Ran(stage) | ExpectKind::NotRan(stage) | ExpectKind::Skipped(stage) => {
            known_stage(stage, "expect", graph, diags);
        }
        ExpectKind::Attempts { stage, .. } => {
            if known_stage(stage, "expect", graph, diags)
                && graph
                    .index_of(&stage.name)
                    .is_some_and(|i| graph.is_handler(i))
            {
                diags.push(Diag::AttemptsOfHandler {
                    span: stage.span,
                    name: stage.name.clone(),
                });
            }
        }
        ExpectKind::Path { path, value, .. } => {
            let mut checker = ValueChecker {
                graph,
                diags,
                reads: Vec::new(),
            };
            checker.path(path, Scope::of(None));
            literal(value, diags);
        }
        ExpectKind::Succeeded | ExpectKind::Failed(_) => {}
    }
}

fn known_stage(
    stage: &Ident,
    keyword: &'static str,
    graph: &FlowGraph,
    diags: &mut Vec<Diag>,
) -> bool {
    if graph.index_of(&stage.name).is_some() {
        return true;
    }
    diags.push(Diag::TestUnknownStage {
        span: stage.span,
        keyword,
        name: stage.name.clone(),
        help: did_you_mean(&stage.name, graph.stage_names(), "stages are"),
    });
    false
}

/// Test data is fixed JSON: a path or call has nothing to be evaluated against.
fn literal(value: &Value, diags: &mut Vec<Diag>) {
    match &value.kind {
        ValueKind::Path(_) | ValueKind::Call(_) => diags.push(Diag::DynamicInTest {
            span: value.span,
            found: value.kind.describe(),
        }),
        ValueKind::Array(items) => items.iter().for_each(|v| literal(v, diags)),
        ValueKind::Object(object) => object.entries.iter().for_each(|e| literal(&e.value, diags)),
        _ => {}
    }
}
