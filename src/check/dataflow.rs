//! The data-flow rule: a stage may read `$.steps.X` only when X always runs
//! before it (X is an ancestor in the graph), and a read of a stage that
//! `when` may skip is worth a warning.

use super::values::{Reader, StepRead};
use crate::diagnostics::Diag;
use crate::graph::FlowGraph;
use crate::syntax::ast::Flow;

pub fn check(flow: &Flow, graph: &FlowGraph, reads: &[StepRead], diags: &mut Vec<Diag>) {
    let stages: Vec<_> = flow.stages().collect();
    for read in reads {
        let source = stages[read.stage];
        if let Reader::Stage(reader) = read.reader {
            if !available_to(graph, read.stage, reader) {
                diags.push(Diag::ReadsNonAncestor {
                    span: read.span,
                    reader: stages[reader].name.name.clone(),
                    stage: source.name.name.clone(),
                    declared: source.name.span,
                });
                continue;
            }
        }
        if let Some(condition) = source.when() {
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
