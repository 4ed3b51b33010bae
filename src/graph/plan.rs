//! How the stages run, as ASL can express it: in sequence or in parallel
//! branches. A dependency graph is series-parallel when it can be built from
//! those two alone; then the plan keeps every dependency and all the
//! concurrency. Other graphs (a→c, b→c, b→d) cannot be: the plan then makes
//! some stages wait for stages they do not depend on, chooses the split that
//! adds the fewest such waits, and reports them (`nagare compile --explain`).
//!
//! Method: within a weakly connected set of stages, give each stage its
//! depth (longest chain of dependencies inside the set). A boundary between
//! depths d and d+1 is a clean series split when every stage at depth d+1
//! depends on every stage that ends the part before it; the set becomes a
//! sequence of the blocks between clean boundaries. Disconnected parts run
//! in parallel. A connected set with no clean boundary is split where the
//! fewest false waits appear.

use std::collections::HashMap;

use super::FlowGraph;

/// The shape of an execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    Stage(usize),
    /// One after the other.
    Seq(Vec<Plan>),
    /// All at once, as branches of a Parallel state.
    Par(Vec<Plan>),
}

/// A place where a stage waits for another it does not depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForcedWait {
    pub stage: usize,
    pub waits_for: usize,
}

/// The plan of every stage (handlers excluded) and the waits it had to add.
pub fn plan(graph: &FlowGraph) -> (Plan, Vec<ForcedWait>) {
    let stages: Vec<usize> = graph
        .topological_order()
        .iter()
        .copied()
        .filter(|&s| !graph.is_handler(s))
        .collect();
    let mut planner = Planner {
        graph,
        position: graph
            .topological_order()
            .iter()
            .enumerate()
            .map(|(p, &s)| (s, p))
            .collect(),
        waits: Vec::new(),
    };
    let plan = if stages.is_empty() {
        Plan::Seq(Vec::new())
    } else {
        planner.decompose(stages)
    };
    (plan, planner.waits)
}

/// Beyond this many stages in one inseparable set, the cheapest split is
/// not searched for (it costs pairs of ancestor queries); the first one is used.
const SEARCH_LIMIT: usize = 300;

struct Planner<'g> {
    graph: &'g FlowGraph,
    position: HashMap<usize, usize>,
    waits: Vec<ForcedWait>,
}

impl Planner<'_> {
    /// `stages` are in topological order.
    fn decompose(&mut self, stages: Vec<usize>) -> Plan {
        if stages.len() == 1 {
            return Plan::Stage(stages[0]);
        }
        let components = self.components(&stages);
        if components.len() > 1 {
            return Plan::Par(components.into_iter().map(|c| self.decompose(c)).collect());
        }
        let depth = self.depths(&stages);
        let max_depth = depth.values().copied().max().unwrap_or(0);
        let clean = self.clean_boundaries(&stages, &depth, max_depth);
        let boundaries = if clean.is_empty() {
            vec![self.cheapest_split(&stages, &depth, max_depth)]
        } else {
            clean
        };
        let mut blocks: Vec<Vec<usize>> = vec![Vec::new(); boundaries.len() + 1];
        for &s in &stages {
            // Boundaries are sorted: the block is how many lie below the depth.
            let block = boundaries.partition_point(|&b| b < depth[&s]);
            blocks[block].push(s);
        }
        let parts = blocks
            .into_iter()
            .filter(|b| !b.is_empty())
            .map(|b| self.decompose(b))
            .collect();
        Plan::Seq(parts)
    }

    /// Weakly connected parts of `stages`, each in topological order,
    /// ordered by their first stage.
    fn components(&self, stages: &[usize]) -> Vec<Vec<usize>> {
        let index: HashMap<usize, usize> =
            stages.iter().enumerate().map(|(i, &s)| (s, i)).collect();
        let mut parent: Vec<usize> = (0..stages.len()).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (i, &s) in stages.iter().enumerate() {
            for dep in self.graph.dependencies(s) {
                if let Some(&j) = index.get(&dep) {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of: HashMap<usize, usize> = HashMap::new();
        for (i, &s) in stages.iter().enumerate() {
            let root = find(&mut parent, i);
            let g = *group_of.entry(root).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(s);
        }
        groups
    }

    /// Longest chain of dependencies inside the set, per stage.
    fn depths(&self, stages: &[usize]) -> HashMap<usize, usize> {
        let mut depth: HashMap<usize, usize> = HashMap::new();
        for &s in stages {
            let d = self
                .graph
                .dependencies(s)
                .iter()
                .filter_map(|dep| depth.get(dep))
                .map(|d| d + 1)
                .max()
                .unwrap_or(0);
            depth.insert(s, d);
        }
        depth
    }

    /// Every depth d (0 ≤ d < max) whose boundary is a clean series split:
    /// each stage at depth d+1 depends on every stage that ends the part up
    /// to d. The ends are kept incrementally, level by level, so the scan is
    /// linear in the set plus the ancestor queries it needs.
    fn clean_boundaries(
        &self,
        stages: &[usize],
        depth: &HashMap<usize, usize>,
        max_depth: usize,
    ) -> Vec<usize> {
        let mut levels: Vec<Vec<usize>> = vec![Vec::new(); max_depth + 1];
        for &s in stages {
            levels[depth[&s]].push(s);
        }
        let mut ends: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
        let mut clean = Vec::new();
        for d in 0..max_depth {
            for &s in &levels[d] {
                for dep in self.graph.dependencies(s) {
                    ends.remove(&dep);
                }
                ends.insert(s);
            }
            if levels[d + 1]
                .iter()
                .all(|&b| ends.iter().all(|&a| self.graph.is_ancestor(a, b)))
            {
                clean.push(d);
            }
        }
        clean
    }

    /// The boundary that adds the fewest false waits; records them.
    fn cheapest_split(
        &mut self,
        stages: &[usize],
        depth: &HashMap<usize, usize>,
        max_depth: usize,
    ) -> usize {
        let candidates = if stages.len() <= SEARCH_LIMIT {
            0..max_depth
        } else {
            0..max_depth.min(1)
        };
        let best = candidates
            .min_by_key(|&d| (self.false_waits(stages, depth, d).len(), d))
            .unwrap_or(0);
        let mut waits = self.false_waits(stages, depth, best);
        waits.sort_by_key(|w| (self.position[&w.stage], self.position[&w.waits_for]));
        self.waits.extend(waits);
        best
    }

    /// Pairs (b, a) where b, after the boundary, would wait for a, before
    /// it, without depending on it.
    fn false_waits(
        &self,
        stages: &[usize],
        depth: &HashMap<usize, usize>,
        d: usize,
    ) -> Vec<ForcedWait> {
        let before: Vec<usize> = stages.iter().copied().filter(|s| depth[s] <= d).collect();
        let mut waits = Vec::new();
        for &b in stages.iter().filter(|s| depth[s] > d) {
            for &a in &before {
                if !self.graph.is_ancestor(a, b) {
                    waits.push(ForcedWait {
                        stage: b,
                        waits_for: a,
                    });
                }
            }
        }
        waits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_text;

    /// Builds a flow from `name after deps` lines and returns its plan with
    /// stage names, plus the forced waits as "stage<-waited".
    fn plan_of(spec: &[&str]) -> (String, Vec<String>) {
        let stages: String = spec
            .iter()
            .map(|line| {
                let (name, deps) = line.split_once(':').unwrap_or((line, ""));
                let after = if deps.is_empty() {
                    String::new()
                } else {
                    format!(" after {deps}")
                };
                format!("task {name}{after} {{ run lambda \"f\" }}\n")
            })
            .collect();
        let checked = check_text(&format!("flow f {{\n{stages}}}"));
        assert!(!checked.has_errors(), "{:?}", checked.diags);
        let graph = checked.graph.expect("graph");
        let (plan, waits) = plan(&graph);
        let name = |s: usize| graph.node(s).name.clone();
        fn show(p: &Plan, name: &dyn Fn(usize) -> String) -> String {
            match p {
                Plan::Stage(s) => name(*s),
                Plan::Seq(ps) => format!(
                    "({})",
                    ps.iter()
                        .map(|p| show(p, name))
                        .collect::<Vec<_>>()
                        .join(" ; ")
                ),
                Plan::Par(ps) => format!(
                    "[{}]",
                    ps.iter()
                        .map(|p| show(p, name))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ),
            }
        }
        let waits = waits
            .iter()
            .map(|w| format!("{}<-{}", name(w.stage), name(w.waits_for)))
            .collect();
        (show(&plan, &name), waits)
    }

    #[test]
    fn chains_and_independent_stages() {
        assert_eq!(plan_of(&["a", "b:a", "c:b"]).0, "(a ; b ; c)");
        assert_eq!(plan_of(&["a", "b", "c"]).0, "[a | b | c]");
    }

    #[test]
    fn series_parallel_graphs_keep_all_concurrency() {
        assert_eq!(
            plan_of(&["a", "b:a", "c:a", "d:b,c"]),
            ("(a ; [b | c] ; d)".into(), vec![])
        );
        // Fan-in of two chains, then a tail.
        assert_eq!(
            plan_of(&["a", "b:a", "x", "y:x", "z:b,y", "t:z"]),
            ("([(a ; b) | (x ; y)] ; z ; t)".into(), vec![])
        );
        // Nested: a ; [ (b ; [c | d]) | e ] ; f
        assert_eq!(
            plan_of(&["a", "b:a", "c:b", "d:b", "e:a", "f:c,d,e"]).0,
            "(a ; [(b ; [c | d]) | e] ; f)"
        );
    }

    #[test]
    fn non_series_parallel_graphs_keep_every_dependency_and_report_waits() {
        // a→c, b→c, b→d: d must wait for a (or a for b); one wait is added.
        let (plan, waits) = plan_of(&["a", "b", "c:a,b", "d:b"]);
        assert_eq!(plan, "([a | b] ; [c | d])");
        assert_eq!(waits, vec!["d<-a"]);
    }

    #[test]
    fn long_chains_do_not_recurse_deeply() {
        let lines: Vec<String> = (0..3000)
            .map(|i| {
                if i == 0 {
                    "s0".to_string()
                } else {
                    format!("s{i}:s{}", i - 1)
                }
            })
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (plan, waits) = plan_of(&refs);
        assert!(plan.starts_with("(s0 ; s1 ; s2"));
        assert!(waits.is_empty());
    }
}
