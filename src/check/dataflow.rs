//! The data-flow rule: a stage may read `$.steps.X` only when X always runs
//! before it (X is an ancestor in the graph). Reading a stage that `when`
//! may skip is worth a warning, unless the reader's own `when` guards it.

use super::values::{Reader, StepRead};
use crate::diagnostics::Diag;
use crate::graph::FlowGraph;
use crate::path;
use crate::syntax::ast::{CompareOp, Condition, ConditionKind, Flow, Stage};

pub fn check(flow: &Flow, graph: &FlowGraph, reads: &[StepRead], diags: &mut Vec<Diag>) {
    let stages: Vec<&Stage> = flow.stages().collect();
    for read in reads {
        let source = stages[read.stage];
        if let Reader::Stage(reader) = read.reader
            && !available_to(graph, read.stage, reader)
        {
            diags.push(Diag::ReadsNonAncestor {
                span: read.span,
                reader: stages[reader].name.name.clone(),
                stage: source.name.name.clone(),
                declared: source.name.span,
                help: fix_for(graph, stages[reader], read.stage, reader, &source.name.name),
            });
            continue;
        }
        let Some(condition) = source.when() else {
            continue;
        };
        let guarded = match read.reader {
            Reader::Stage(r) => {
                read.in_when
                    || stages[r]
                        .when()
                        .is_some_and(|c| guards(c, &source.name.name))
            }
            Reader::Output => false,
        };
        if !guarded {
            let reader = match read.reader {
                Reader::Stage(r) => stages[r].name.name.clone(),
                Reader::Output => "output".to_string(),
            };
            diags.push(Diag::ReadsMaybeSkipped {
                span: read.span,
                reader,
                stage: source.name.name.clone(),
                condition: condition.span,
            });
        }
    }
}

/// Whether `stage`'s result is in the state when `reader` runs. A handler
/// runs after whichever stage caught the error, so the result must be there
/// for every one of them.
fn available_to(graph: &FlowGraph, stage: usize, reader: usize) -> bool {
    if graph.is_handler(reader) {
        let catchers = graph.catchers_of(reader);
        return catchers.iter().all(|&c| graph.is_ancestor(stage, c));
    }
    graph.is_ancestor(stage, reader)
}

fn fix_for(
    graph: &FlowGraph,
    reader: &Stage,
    stage: usize,
    reader_index: usize,
    name: &str,
) -> String {
    let reader_name = &reader.name.name;
    if graph.is_handler(stage) {
        return format!(
            "`{name}` is a handler: the execution ends after it, so no stage ever sees its result"
        );
    }
    if graph.is_handler(reader_index) && graph.catchers_of(reader_index).contains(&stage) {
        return format!(
            "`{name}` routes its errors to `{reader_name}`, so when `{reader_name}` runs, `{name}` failed and stored no result; read the error from `$.error`"
        );
    }
    if stage == reader_index {
        return "a stage's own result does not exist while it runs; shape the raw task result with `result { }` instead".to_string();
    }
    if graph.is_handler(reader_index) {
        let missing: Vec<String> = graph
            .catchers_of(reader_index)
            .into_iter()
            .filter(|&c| !graph.is_ancestor(stage, c))
            .map(|c| format!("`{}`", graph.node(c).name))
            .collect();
        return format!(
            "handler `{reader_name}` is reached from {}, which may fail before `{name}` ran; add `after {name}` to them, or stop reading it here",
            missing.join(", ")
        );
    }
    format!(
        "add `after {name}` to `{reader_name}` (or to a stage it runs after), so the result exists when `{reader_name}` runs"
    )
}

/// Whether a `when` condition is false whenever `$.steps.STAGE` is missing:
/// any test of a path under it, in a position every branch must satisfy.
fn guards(condition: &Condition, stage: &str) -> bool {
    match &condition.kind {
        ConditionKind::And(parts) => parts.iter().any(|c| guards(c, stage)),
        ConditionKind::Or(parts) => !parts.is_empty() && parts.iter().all(|c| guards(c, stage)),
        // `!=` is `not ==`: true when the path is missing, so no guard.
        ConditionKind::Not(_) => false,
        ConditionKind::Compare { op, .. } if op.node == CompareOp::Ne => false,
        ConditionKind::Compare { path, .. }
        | ConditionKind::Like { path, .. }
        | ConditionKind::Exists(path)
        | ConditionKind::Is { path, .. } => path::parse(&path.text)
            .is_ok_and(|p| !p.context && p.field_prefix().get(..2) == Some(&["steps", stage][..])),
    }
}
