//! Pictures of the graph: Mermaid (renders in GitHub and most wikis) and
//! Graphviz DOT. Stages are grouped by kind; handler routes are dashed;
//! `when` and `foreach` are written on the stage.

use std::fmt::Write;

use super::{Edge, FlowGraph};
use crate::syntax::ast::{Flow, Stage, StageKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

const KINDS: [StageKind; 5] = [
    StageKind::Collect,
    StageKind::Transform,
    StageKind::Visualize,
    StageKind::Task,
    StageKind::Handler,
];

/// Fill colours per kind, shared by both formats so the pictures agree.
fn colour(kind: StageKind) -> &'static str {
    match kind {
        StageKind::Collect => "#dbeafe",
        StageKind::Transform => "#dcfce7",
        StageKind::Visualize => "#fef3c7",
        StageKind::Task => "#f3f4f6",
        StageKind::Handler => "#fee2e2",
    }
}

/// The lines written on a stage: its name, task, and `when`/`foreach`.
fn annotations(stage: &Stage, source: &str) -> Vec<String> {
    let mut lines = vec![stage.name.name.clone()];
    if let Some(run) = stage.run() {
        let mut task = run.integration.name.clone();
        if let Some(target) = &run.target {
            task.push(' ');
            task.push_str(&shorten(&target.node));
        }
        lines.push(task);
    }
    if let Some(condition) = stage.when() {
        lines.push(format!(
            "when {}",
            snippet(source, condition.span.start, condition.span.end)
        ));
    }
    if let Some((items, concurrency)) = stage.foreach() {
        let mut line = format!("foreach {}", items.text);
        if let Some(n) = concurrency {
            let _ = write!(line, " concurrency {}", n.node);
        }
        lines.push(line);
    }
    lines
}

/// Source text with runs of whitespace collapsed, for one-line labels.
fn snippet(source: &str, start: usize, end: usize) -> String {
    source
        .get(start..end)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Long ARNs make unreadable boxes: keep the part after the last `:` or `/`.
fn shorten(target: &str) -> String {
    if target.starts_with("arn:") {
        target
            .rsplit([':', '/'])
            .next()
            .unwrap_or(target)
            .to_string()
    } else {
        target.to_string()
    }
}

pub fn mermaid(flow: &Flow, graph: &FlowGraph, source: &str) -> String {
    let stages: Vec<&Stage> = flow.stages().collect();
    let mut out = String::from("flowchart TD\n");
    for kind in KINDS {
        let members: Vec<usize> = (0..stages.len())
            .filter(|&i| stages[i].kind.node == kind)
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  subgraph {}", kind.keyword());
        for i in members {
            let label = annotations(stages[i], source)
                .iter()
                .map(|l| mermaid_text(l))
                .collect::<Vec<_>>()
                .join("<br/>");
            let (open, close) = match (kind, graph.node(i).foreach) {
                (StageKind::Handler, _) => ("([", "])"),
                (_, true) => ("[[", "]]"),
                _ => ("[", "]"),
            };
            let _ = writeln!(out, "    s{i}{open}\"{label}\"{close}:::{}", kind.keyword());
        }
        out.push_str("  end\n");
    }
    for (from, to, edge) in graph.edges() {
        match edge {
            Edge::After { .. } => {
                let _ = writeln!(out, "  s{from} --> s{to}");
            }
            Edge::Catch { errors, .. } => {
                let _ = writeln!(
                    out,
                    "  s{from} -.->|\"{}\"| s{to}",
                    mermaid_text(&errors.join(", "))
                );
            }
        }
    }
    for kind in KINDS {
        let _ = writeln!(
            out,
            "  classDef {} fill:{},stroke:#555",
            kind.keyword(),
            colour(kind)
        );
    }
    out
}

/// Mermaid labels are quoted; quotes and markup characters become entities.
fn mermaid_text(text: &str) -> String {
    // `#` first: it starts Mermaid's entity codes, including the ones below.
    text.replace('#', "#35;")
        .replace('&', "#amp;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

pub fn dot(flow: &Flow, graph: &FlowGraph, source: &str) -> String {
    let stages: Vec<&Stage> = flow.stages().collect();
    let mut out = format!("digraph {} {{\n", dot_id(&flow.name.name));
    out.push_str(
        "  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for kind in KINDS {
        let members: Vec<usize> = (0..stages.len())
            .filter(|&i| stages[i].kind.node == kind)
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  subgraph cluster_{} {{", kind.keyword());
        let _ = writeln!(
            out,
            "    label={}; style=dashed; color=\"#999999\";",
            dot_string(kind.keyword())
        );
        for i in members {
            let label = annotations(stages[i], source).join("\n");
            let shape = match (kind, graph.node(i).foreach) {
                (StageKind::Handler, _) => ", shape=octagon",
                (_, true) => ", peripheries=2",
                _ => "",
            };
            let _ = writeln!(
                out,
                "    s{i} [label={}, fillcolor=\"{}\"{shape}];",
                dot_string(&label),
                colour(kind)
            );
        }
        out.push_str("  }\n");
    }
    for (from, to, edge) in graph.edges() {
        match edge {
            Edge::After { .. } => {
                let _ = writeln!(out, "  s{from} -> s{to};");
            }
            Edge::Catch { errors, .. } => {
                let _ = writeln!(
                    out,
                    "  s{from} -> s{to} [style=dashed, color=\"#b91c1c\", label={}];",
                    dot_string(&errors.join(", "))
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

fn dot_string(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

/// Graph names go through `dot_string` unless they are plain identifiers.
fn dot_id(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
    {
        name.to_string()
    } else {
        dot_string(name)
    }
}
