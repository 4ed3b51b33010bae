//! The checked flow as a dependency graph (petgraph). Every graph question
//! later stages ask (order, ancestors, concurrency, handler routes, cycles)
//! is answered here; nothing else walks edges.
//!
//! Node `i` is the `i`-th stage of `Flow::stages` (handlers included). An
//! `After` edge runs from a dependency to its dependent; a `Catch` edge from
//! a stage to the handler its errors are routed to.

pub mod plan;
pub mod render;

use std::collections::HashMap;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::diagnostics::Diag;
use crate::source::Span;
use crate::syntax::ast::{Catch, Clause, Flow, FlowItem, Stage, StageKind};

#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub kind: StageKind,
    /// The span of the stage's name.
    pub span: Span,
    /// Has a `when` condition, so it may be skipped.
    pub conditional: bool,
    /// Runs its task once per element (`foreach`).
    pub foreach: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Edge {
    /// The dependent's `after` names the dependency at `span`.
    After { span: Span },
    /// Errors named in `errors` go to the handler. `from_defaults` when the
    /// route comes from the flow's `defaults`.
    Catch {
        errors: Vec<String>,
        from_defaults: bool,
    },
}

#[derive(Debug)]
pub struct FlowGraph {
    graph: DiGraph<Node, Edge>,
    by_name: HashMap<String, usize>,
    /// Stage indices in dependency order; empty when the graph has a cycle.
    order: Vec<usize>,
    /// Each stage's position in `order`.
    position: Vec<usize>,
}

impl FlowGraph {
    /// Builds the graph of a flow whose names were resolved into `table`
    /// (name → first stage of that name). Unresolved references are left out:
    /// the checker has reported them.
    pub fn build(flow: &Flow, table: &HashMap<String, usize>) -> FlowGraph {
        let stages: Vec<&Stage> = flow.stages().collect();
        let mut graph = DiGraph::with_capacity(stages.len(), stages.len());
        for stage in &stages {
            graph.add_node(Node {
                name: stage.name.name.clone(),
                kind: stage.kind.node,
                span: stage.name.span,
                conditional: stage.when().is_some(),
                foreach: stage.foreach().is_some(),
            });
        }
        let default_catches: Vec<&Catch> = flow
            .items
            .iter()
            .filter_map(|i| match i {
                FlowItem::Defaults(d) => Some(&d.clauses),
                _ => None,
            })
            .flatten()
            .filter_map(|c| match c {
                Clause::Catch(c) => Some(c),
                _ => None,
            })
            .collect();
        let is_handler = |i: usize| stages[i].is_handler();
        for (index, stage) in stages.iter().enumerate().filter(|(_, s)| !s.is_handler()) {
            let mut seen = Vec::new();
            for dep in stage.after() {
                if let Some(&d) = table.get(&dep.name)
                    && !is_handler(d)
                    && !seen.contains(&d)
                {
                    seen.push(d);
                    graph.add_edge(
                        NodeIndex::new(d),
                        NodeIndex::new(index),
                        Edge::After { span: dep.span },
                    );
                }
            }
            let own: Vec<&Catch> = stage.catches().collect();
            let from_defaults = own.is_empty();
            let catches = if from_defaults {
                &default_catches
            } else {
                &own
            };
            for catch in catches {
                if let Some(&h) = table.get(&catch.handler.name).filter(|&&h| is_handler(h)) {
                    let errors = catch.errors.iter().map(|e| e.name.clone()).collect();
                    graph.add_edge(
                        NodeIndex::new(index),
                        NodeIndex::new(h),
                        Edge::Catch {
                            errors,
                            from_defaults,
                        },
                    );
                }
            }
        }
        let order = source_ordered_toposort(&graph);
        let mut position = vec![0; stages.len()];
        for (pos, &stage) in order.iter().enumerate() {
            position[stage] = pos;
        }
        FlowGraph {
            graph,
            by_name: table.clone(),
            order,
            position,
        }
    }

    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    pub fn node(&self, stage: usize) -> &Node {
        &self.graph[NodeIndex::new(stage)]
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// Names of stages and handlers, in source order.
    pub fn stage_names(&self) -> impl Iterator<Item = &str> + Clone {
        self.graph
            .raw_nodes()
            .iter()
            .map(|n| n.weight.name.as_str())
    }

    pub fn is_handler(&self, stage: usize) -> bool {
        self.node(stage).kind == StageKind::Handler
    }

    pub fn is_acyclic(&self) -> bool {
        self.order.len() == self.len()
    }

    /// Stages in an order where each comes after all it depends on (handlers
    /// after the stages that route to them). Empty when there is a cycle.
    pub fn topological_order(&self) -> &[usize] {
        &self.order
    }

    /// What `stage` runs after, directly.
    pub fn dependencies(&self, stage: usize) -> Vec<usize> {
        self.neighbours(stage, Incoming, |e| matches!(e, Edge::After { .. }))
    }

    /// What runs directly after `stage`.
    pub fn dependents(&self, stage: usize) -> Vec<usize> {
        self.neighbours(stage, Outgoing, |e| matches!(e, Edge::After { .. }))
    }

    /// Stages that start when the execution starts.
    pub fn roots(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&s| !self.is_handler(s) && self.dependencies(s).is_empty())
            .collect()
    }

    /// The stages whose errors may be routed to `handler`.
    pub fn catchers_of(&self, handler: usize) -> Vec<usize> {
        self.neighbours(handler, Incoming, |e| matches!(e, Edge::Catch { .. }))
    }

    /// The catch routes leaving `stage`: (handler, errors), in clause order.
    pub fn routes_of(&self, stage: usize) -> Vec<(usize, &[String])> {
        let mut routes: Vec<_> = self
            .graph
            .edges_directed(NodeIndex::new(stage), Outgoing)
            .filter_map(|e| match e.weight() {
                Edge::Catch { errors, .. } => {
                    Some((e.id().index(), e.target().index(), errors.as_slice()))
                }
                _ => None,
            })
            .collect();
        routes.sort_by_key(|(id, ..)| *id);
        routes
            .into_iter()
            .map(|(_, h, errors)| (h, errors))
            .collect()
    }

    /// Every edge as (from, to, edge), in insertion order.
    pub fn edges(&self) -> impl Iterator<Item = (usize, usize, &Edge)> {
        self.graph
            .edge_references()
            .map(|e| (e.source().index(), e.target().index(), e.weight()))
    }

    fn neighbours(
        &self,
        stage: usize,
        dir: petgraph::Direction,
        keep: impl Fn(&Edge) -> bool,
    ) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .graph
            .edges_directed(NodeIndex::new(stage), dir)
            .filter(|e| keep(e.weight()))
            .map(|e| {
                if dir == Incoming {
                    e.source().index()
                } else {
                    e.target().index()
                }
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether `ancestor` always finishes before `stage` starts: a path of
    /// `after` edges leads from it to `stage`. The search walks backwards from
    /// `stage` and prunes every stage earlier in topological order than
    /// `ancestor`, which cannot lead to it; typical reads are answered in a
    /// few steps even in flows of thousands of stages.
    pub fn is_ancestor(&self, ancestor: usize, stage: usize) -> bool {
        if !self.is_acyclic()
            || ancestor == stage
            || self.position[ancestor] >= self.position[stage]
        {
            return false;
        }
        let floor = self.position[ancestor];
        let mut seen = vec![false; self.len()];
        let mut stack = vec![stage];
        while let Some(s) = stack.pop() {
            for dep in self.dependencies(s) {
                if dep == ancestor {
                    return true;
                }
                if !seen[dep] && self.position[dep] > floor {
                    seen[dep] = true;
                    stack.push(dep);
                }
            }
        }
        false
    }

    /// All stages `stage` runs after, directly or transitively, sorted.
    pub fn ancestors(&self, stage: usize) -> Vec<usize> {
        let mut seen = vec![false; self.len()];
        let mut stack = vec![stage];
        while let Some(s) = stack.pop() {
            for dep in self.dependencies(s) {
                if !seen[dep] {
                    seen[dep] = true;
                    stack.push(dep);
                }
            }
        }
        (0..self.len()).filter(|&s| seen[s]).collect()
    }

    /// Two stages may run at the same time when neither depends on the other.
    pub fn can_run_concurrently(&self, a: usize, b: usize) -> bool {
        a != b
            && !self.is_handler(a)
            && !self.is_handler(b)
            && !self.is_ancestor(a, b)
            && !self.is_ancestor(b, a)
    }

    /// One diagnostic per cycle of `after` dependencies, naming every stage
    /// in it in dependency order.
    pub fn cycle_diagnostics(&self) -> Vec<Diag> {
        let mut diags = Vec::new();
        for scc in petgraph::algo::kosaraju_scc(&self.graph) {
            let looped = scc.len() > 1 || self.graph.contains_edge(scc[0], scc[0]);
            if !looped {
                continue;
            }
            let members: Vec<usize> = scc.iter().map(|n| n.index()).collect();
            let cycle = self.cycle_through(&members);
            diags.push(self.cycle_diag(&cycle));
        }
        diags
    }

    /// A cycle inside a strongly connected component, as edges (from, to, span),
    /// starting from its first stage in source order.
    fn cycle_through(&self, members: &[usize]) -> Vec<(usize, usize, Span)> {
        let start = members.iter().copied().min().unwrap_or(0);
        // Breadth-first search inside the component for the shortest way back.
        let mut parent: HashMap<usize, (usize, Span)> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(s) = queue.pop_front() {
            for edge in self.graph.edges_directed(NodeIndex::new(s), Outgoing) {
                let Edge::After { span } = edge.weight() else {
                    continue;
                };
                let next = edge.target().index();
                if !members.contains(&next) {
                    continue;
                }
                if next == start {
                    let mut cycle = vec![(s, start, *span)];
                    let mut at = s;
                    while at != start {
                        let Some(&(from, span)) = parent.get(&at) else {
                            break;
                        };
                        cycle.push((from, at, span));
                        at = from;
                    }
                    cycle.reverse();
                    return cycle;
                }
                if let std::collections::hash_map::Entry::Vacant(v) = parent.entry(next) {
                    v.insert((s, *span));
                    queue.push_back(next);
                }
            }
        }
        Vec::new()
    }

    fn cycle_diag(&self, cycle: &[(usize, usize, Span)]) -> Diag {
        let mut names: Vec<&str> = cycle
            .iter()
            .map(|&(from, ..)| self.node(from).name.as_str())
            .collect();
        if let Some(&(first, ..)) = cycle.first() {
            names.push(&self.node(first).name);
        }
        let (closing, rest) = match cycle.split_last() {
            Some((last, rest)) => (last.2, rest),
            None => (Span::default(), &[][..]),
        };
        let others = rest
            .iter()
            .map(|&(from, to, span)| {
                let label = format!(
                    "`{}` runs after `{}`",
                    self.node(to).name,
                    self.node(from).name
                );
                miette::LabeledSpan::new_with_span(Some(label), span)
            })
            .collect();
        Diag::Cycle {
            span: closing,
            cycle: names.join(" → "),
            others,
        }
    }
}

/// Kahn's algorithm, always taking the ready stage written first: the order
/// respects every edge and otherwise follows the source, so plans, output
/// and messages come out in the order the user wrote. Empty on a cycle.
fn source_ordered_toposort(graph: &DiGraph<Node, Edge>) -> Vec<usize> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut waiting: Vec<usize> = graph
        .node_indices()
        .map(|n| graph.edges_directed(n, Incoming).count())
        .collect();
    let mut ready: BinaryHeap<Reverse<usize>> = (0..waiting.len())
        .filter(|&i| waiting[i] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(waiting.len());
    while let Some(Reverse(stage)) = ready.pop() {
        order.push(stage);
        for edge in graph.edges_directed(NodeIndex::new(stage), Outgoing) {
            let next = edge.target().index();
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.push(Reverse(next));
            }
        }
    }
    if order.len() == waiting.len() {
        order
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use crate::check::check_text;

    const DIAMOND: &str = r#"flow d {
        task a { run lambda "x" }
        task b after a { run lambda "x" }
        task c after a { run lambda "x" catch States.ALL -> h }
        task d after b, c { run lambda "x" }
        task e { run lambda "x" }
        handler h { run sns { topic: "t", message: "m" } }
    }"#;

    #[test]
    fn queries_on_a_diamond() {
        let checked = check_text(DIAMOND);
        assert!(checked.diags.is_empty(), "{:?}", checked.diags);
        let g = checked.graph.expect("graph");
        let [a, b, c, d, e, h] = [0, 1, 2, 3, 4, 5];
        assert!(g.is_ancestor(a, d));
        assert!(!g.is_ancestor(d, a));
        assert!(!g.is_ancestor(b, c));
        assert!(g.can_run_concurrently(b, c));
        assert!(g.can_run_concurrently(e, d));
        assert!(!g.can_run_concurrently(a, d));
        assert_eq!(g.ancestors(d), vec![a, b, c]);
        assert_eq!(g.roots(), vec![a, e]);
        assert_eq!(g.catchers_of(h), vec![c]);
        assert_eq!(g.routes_of(c), vec![(h, &["States.ALL".to_string()][..])]);
        let order = g.topological_order();
        let pos = |s| order.iter().position(|&x| x == s).expect("in order");
        assert!(pos(a) < pos(b) && pos(b) < pos(d) && pos(c) < pos(d) && pos(c) < pos(h));
    }
}
