//! AST → checked flow. Every rule of `docs/language.md` that the grammar
//! cannot express lives here, one concern per file. Checks collect every
//! problem (sorted by position at the end); none stops at the first.

mod clauses;
mod dataflow;
mod integrations;
mod intrinsics;
mod lints;
mod names;
pub mod schedule;
mod settings;
mod suggest;
mod tests;
mod values;

use crate::diagnostics::{self, Diag};
use crate::graph::FlowGraph;
use crate::source::Span;
use crate::syntax::{self, ast};

pub use integrations::{INTEGRATIONS, Integration};
pub use intrinsics::INTRINSICS;

/// A file after checking: its tree, its graph when the flow is sound enough
/// to build one, and every problem found.
#[derive(Debug)]
pub struct Checked {
    pub file: Option<ast::File>,
    pub graph: Option<FlowGraph>,
    pub diags: Vec<Diag>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diag::is_error)
    }

    /// The file's one flow, when it has exactly one.
    pub fn flow(&self) -> Option<&ast::Flow> {
        self.file.as_ref().and_then(|f| f.flows.first())
    }
}

/// Parses and checks a whole source text.
pub fn check_text(text: &str) -> Checked {
    let parsed = syntax::parse(text);
    let mut diags = parsed.diags;
    let Some(file) = parsed.file else {
        return Checked {
            file: None,
            graph: None,
            diags,
        };
    };
    let graph = check_file(&file, text.len(), &mut diags);
    diagnostics::sort(&mut diags);
    Checked {
        file: Some(file),
        graph,
        diags,
    }
}

fn check_file(file: &ast::File, len: usize, diags: &mut Vec<Diag>) -> Option<FlowGraph> {
    let Some(flow) = file.flows.first() else {
        diags.push(Diag::NoFlow {
            span: Span::new(0, len.min(1)),
        });
        return None;
    };
    for extra in &file.flows[1..] {
        diags.push(Diag::ExtraFlow {
            span: extra.name.span,
            name: extra.name.name.clone(),
            first: flow.name.span,
        });
    }
    settings::check(flow, diags);
    let table = names::check(flow, diags);
    for stage in flow.stages() {
        clauses::check_stage(stage, diags);
        integrations::check_stage(stage, diags);
    }
    let graph = FlowGraph::build(flow, &table);
    diags.extend(graph.cycle_diagnostics());
    let reads = values::check_flow(flow, &graph, diags);
    if graph.is_acyclic() {
        dataflow::check(flow, &graph, &reads, diags);
    }
    lints::check(flow, &graph, diags);
    tests::check(file, &graph, diags);
    Some(graph)
}
