//! Warnings: legal flows that are probably not what the author meant.

use crate::diagnostics::Diag;
use crate::graph::FlowGraph;
use crate::syntax::ast::{Flow, Ident, Stage};

pub fn check(flow: &Flow, graph: &FlowGraph, diags: &mut Vec<Diag>) {
    let stages: Vec<&Stage> = flow.stages().collect();
    for (index, stage) in stages.iter().enumerate() {
        if stage.is_handler()
            && graph.catchers_of(index).is_empty()
            && graph.index_of(&stage.name.name) == Some(index)
        {
            diags.push(Diag::UnusedHandler {
                span: stage.name.span,
                name: stage.name.name.clone(),
            });
        }
        let mut listed: Vec<&Ident> = Vec::new();
        for dep in stage.after() {
            if let Some(first) = listed.iter().find(|d| d.name == dep.name) {
                diags.push(Diag::DuplicateDependency {
                    span: dep.span,
                    name: dep.name.clone(),
                    first: first.span,
                });
                continue;
            }
            listed.push(dep);
            backward_edge(stage, dep, &stages, graph, diags);
        }
    }
}

/// collect → transform → visualize: a dependency on a later environment.
fn backward_edge(
    stage: &Stage,
    dep: &Ident,
    stages: &[&Stage],
    graph: &FlowGraph,
    diags: &mut Vec<Diag>,
) {
    let Some(target) = graph.index_of(&dep.name).map(|i| stages[i]) else {
        return;
    };
    let (Some(own), Some(theirs)) = (
        stage.kind.node.environment_rank(),
        target.kind.node.environment_rank(),
    ) else {
        return;
    };
    if theirs > own {
        diags.push(Diag::BackwardEdge {
            span: dep.span,
            stage: stage.name.name.clone(),
            stage_kind: stage.kind.node.keyword(),
            dependency: dep.name.clone(),
            dependency_kind: target.kind.node.keyword(),
        });
    }
}
