//! `nagare graph`: the dependency graph of one flow as Mermaid or DOT.

use std::path::Path;

use super::input::load_checked;
use super::{Output, exit, print_out};
use crate::graph::render::{GraphFormat, dot, mermaid};

pub fn run(path: &Path, format: GraphFormat, output: Output) -> u8 {
    let (source, checked) = match load_checked(path, output, "draw its graph") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let (Some(flow), Some(graph)) = (checked.flow(), &checked.graph) else {
        return exit::PROBLEMS;
    };
    let text = match format {
        GraphFormat::Mermaid => mermaid(flow, graph, source.text()),
        GraphFormat::Dot => dot(flow, graph, source.text()),
    };
    match print_out(&text) {
        Ok(()) => exit::CLEAN,
        Err(()) => exit::USAGE_OR_IO,
    }
}
