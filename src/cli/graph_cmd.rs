//! `nagare graph`: the dependency graph of one flow as Mermaid or DOT.

use std::path::Path;

use super::input::{Loaded, load};
use super::{Output, exit};
use crate::check::check_text;
use crate::diagnostics::render;
use crate::graph::render::{GraphFormat, dot, mermaid};

pub fn run(path: &Path, format: GraphFormat, output: Output) -> u8 {
    let source = match load(path) {
        Loaded::Failed(message) => {
            eprintln!("error: {message}");
            return exit::USAGE_OR_IO;
        }
        Loaded::Text(source, Some(encoding)) => {
            eprint!("{}", render::human(&encoding, &source, output.color));
            return exit::PROBLEMS;
        }
        Loaded::Text(source, None) => source,
    };
    let checked = check_text(source.text());
    for diag in &checked.diags {
        eprint!("{}", render::human(diag, &source, output.color));
    }
    // A graph of a flow with errors would draw something that is not the flow.
    let (Some(flow), Some(graph), false) = (checked.flow(), &checked.graph, checked.has_errors())
    else {
        eprintln!(
            "error: {} has errors; fix them to draw its graph",
            source.name()
        );
        return exit::PROBLEMS;
    };
    let text = match format {
        GraphFormat::Mermaid => mermaid(flow, graph, source.text()),
        GraphFormat::Dot => dot(flow, graph, source.text()),
    };
    print!("{text}");
    exit::CLEAN
}
