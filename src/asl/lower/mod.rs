//! Graph IR → ASL model. The state is `{ "input": …, "steps": { … } }`:
//! `Init` builds it from the execution input, every stage stores its result
//! at `$.steps.<name>`, and the execution ends with `$.steps` (or the flow's
//! `output`). The stage plan (`graph::plan`) gives the shape: sequences
//! chain states, parallel parts become Parallel branches whose results are
//! merged back with `States.JsonMerge`.
//!
//! Catch routing: a catcher can only name a state of its own machine, so a
//! stage inside a Parallel branch that routes an error to a handler fails
//! its branch with the error `nagare.route:<handler>`, the original error
//! encoded in the cause; the outermost Parallel catches that error and a
//! Pass state decodes `$.error` before the handler runs. Errors inside a Map
//! iteration propagate to the Map state, which carries the stage's catchers.

mod condition;
mod keys;
mod order;
mod routing;
mod task;

use std::collections::{BTreeSet, HashSet};

use indexmap::IndexMap;
use serde_json::{Map as JsonMap, Value as Json};

use super::template::{Template, Unsupported, template};
use super::{
    Catcher, Choice, Map, Parallel, Pass, ProcessorConfig, State, StateMachine, SubMachine, Succeed,
};
use crate::diagnostics::Diag;
use crate::graph::FlowGraph;
use crate::graph::plan::{ForcedWait, Plan, plan};
use crate::syntax::ast::{Clause, Flow, FlowItem, Stage};
use order::in_execution_order;
use routing::{route_error, routed_entry};
use task::{crawler_to_wait_for, unwrap_result, wraps_result};

/// The compiled machine and the waits its layout added.
#[derive(Debug)]
pub struct Lowered {
    pub machine: StateMachine,
    pub waits: Vec<ForcedWait>,
    /// Stages whose result key differs from their name, as (key, name):
    /// the interpreter shows results under the names the flow uses.
    pub renamed: Vec<(String, String)>,
    /// The states each stage compiled to.
    pub states_of_stages: Vec<StageState>,
}

/// Lowers a checked flow (no errors) to a state machine.
pub fn lower(flow: &Flow, graph: &FlowGraph) -> Result<Lowered, Vec<Diag>> {
    let (shape, waits) = plan(graph);
    let keys = keys::Keys::new(&flow.stages().collect::<Vec<_>>());
    let flow = &keys.rewrite(flow);
    let stages: Vec<&Stage> = flow.stages().collect();
    let mut lowerer = Lowerer {
        stages: stages.clone(),
        graph,
        defaults: flow.items.iter().find_map(|i| match i {
            FlowItem::Defaults(d) => Some(&d.clauses[..]),
            _ => None,
        }),
        used: stages.iter().map(|s| s.name.name.clone()).collect(),
        keys: &keys,
        routed: BTreeSet::new(),
        errors: Vec::new(),
        states_of_stages: Vec::new(),
    };
    let mut top = Scope::new(false);
    let end = lowerer.finish(flow, &mut top);
    let first = lowerer.plan(&shape, Next::State(end), &mut top);
    let init = lowerer.unique("Init");
    let mut parameters = JsonMap::new();
    parameters.insert("input.$".into(), Json::String("$".into()));
    parameters.insert("steps".into(), Json::Object(JsonMap::new()));
    let init_state = State::Pass(Box::new(Pass {
        comment: Some("nagare: the state is { input, steps }".into()),
        parameters: Some(Json::Object(parameters)),
        next: Some(first),
        ..Pass::default()
    }));
    let mut states = IndexMap::new();
    states.insert(init.clone(), init_state);
    states.extend(top.states);
    lowerer.handlers(&mut states);
    let states = in_execution_order(states, &init);
    if !lowerer.errors.is_empty() {
        return Err(lowerer.errors);
    }
    let comment = flow.items.iter().find_map(|i| match i {
        FlowItem::Comment(c) => Some(c.node.clone()),
        _ => None,
    });
    let timeout_seconds = flow.items.iter().find_map(|i| match i {
        FlowItem::Timeout(d) => Some(d.seconds),
        _ => None,
    });
    Ok(Lowered {
        machine: StateMachine {
            comment,
            query_language: None,
            start_at: init,
            states,
            timeout_seconds,
            version: None,
        },
        waits,
        renamed: keys.renamed(),
        states_of_stages: lowerer.states_of_stages,
    })
}

/// Where control goes after a state.
#[derive(Debug, Clone)]
enum Next {
    State(String),
    End,
}

impl Next {
    fn split(self) -> (Option<String>, Option<bool>) {
        match self {
            Next::State(s) => (Some(s), None),
            Next::End => (None, Some(true)),
        }
    }
}

/// The states of one machine (the top level or a Parallel branch).
struct Scope {
    states: IndexMap<String, State>,
    in_branch: bool,
    /// Handlers that states of this scope route errors to from inside branches.
    routes: BTreeSet<usize>,
}

impl Scope {
    fn new(in_branch: bool) -> Self {
        Scope {
            states: IndexMap::new(),
            in_branch,
            routes: BTreeSet::new(),
        }
    }
}

struct Lowerer<'a> {
    stages: Vec<&'a Stage>,
    keys: &'a keys::Keys,
    graph: &'a FlowGraph,
    defaults: Option<&'a [Clause]>,
    used: HashSet<String>,
    /// Handlers that errors reach from inside a top-level Parallel.
    routed: BTreeSet<usize>,
    errors: Vec<Diag>,
    states_of_stages: Vec<StageState>,
}

/// Which state does what for a stage: tests mock and observe stages, and
/// this says which compiled states those are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageState {
    pub stage: String,
    pub state: String,
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The Task that calls the stage's integration (in a `foreach`, the
    /// Task inside the Map, called once per item).
    Call,
    /// The Task that polls a Glue crawl until it ends.
    Poll,
    /// The Pass state reached when `when` is false.
    Skip,
}

/// The branches' `steps` merged into one object. A balanced tree of
/// `States.JsonMerge` calls: AWS nests at most 10 intrinsic calls in a
/// field, and a chain would need one per branch.
fn merge_steps(branches: std::ops::Range<usize>) -> String {
    if branches.len() <= 1 {
        return format!("$[{}].steps", branches.start);
    }
    let middle = branches.start + branches.len() / 2;
    format!(
        "States.JsonMerge({}, {}, false)",
        merge_steps(branches.start..middle),
        merge_steps(middle..branches.end)
    )
}

/// `$.steps.<key>`: where a stage's result is stored (see `keys`).
fn step_path(key: &str) -> String {
    format!("$.steps.{key}")
}

impl<'a> Lowerer<'a> {
    fn record(&mut self, stage: &str, state: &str, role: Role) {
        self.states_of_stages.push(StageState {
            stage: stage.to_string(),
            state: state.to_string(),
            role,
        });
    }

    /// A state name not used yet (ASL names are unique in the whole machine
    /// and at most 80 characters).
    fn unique(&mut self, base: &str) -> String {
        let base: String = base.chars().take(72).collect();
        let mut name = base.clone();
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{base} {n}");
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }

    fn unsupported(&mut self, e: Unsupported) {
        self.errors.push(Diag::NotExpressible {
            span: e.span,
            reason: e.reason,
        });
    }

    /// The end of the main path: the flow's `output`, or `$.steps`.
    fn finish(&mut self, flow: &Flow, top: &mut Scope) -> String {
        let output = flow.items.iter().find_map(|i| match i {
            FlowItem::Output(v) => Some(v),
            _ => None,
        });
        let Some(value) = output else {
            let done = self.unique("Done");
            top.states.insert(
                done.clone(),
                State::Succeed(Succeed {
                    output_path: Some(Some("$.steps".into())),
                    ..Succeed::default()
                }),
            );
            return done;
        };
        let name = self.unique("Output");
        let (parameters, output_path) = match template(value) {
            Ok(Template::Literal(Json::Object(map))) => (Json::Object(map), None),
            Ok(Template::Literal(other)) => {
                let mut map = JsonMap::new();
                map.insert("value".into(), other);
                (Json::Object(map), Some(Some("$.value".to_string())))
            }
            Ok(Template::Dynamic(expr)) => {
                let mut map = JsonMap::new();
                map.insert("value.$".into(), Json::String(expr));
                (Json::Object(map), Some(Some("$.value".to_string())))
            }
            Err(e) => {
                self.unsupported(e);
                (Json::Object(JsonMap::new()), None)
            }
        };
        top.states.insert(
            name.clone(),
            State::Pass(Box::new(Pass {
                parameters: Some(parameters),
                output_path,
                end: Some(true),
                ..Pass::default()
            })),
        );
        name
    }

    /// Lowers a plan; returns its entry state.
    fn plan(&mut self, shape: &Plan, next: Next, scope: &mut Scope) -> String {
        match shape {
            Plan::Stage(i) => self.stage(*i, next, scope),
            Plan::Seq(parts) => {
                let mut next = next;
                for part in parts.iter().rev() {
                    next = Next::State(self.plan(part, next, scope));
                }
                match next {
                    Next::State(entry) => entry,
                    // An empty flow is a checker error; keep lowering total.
                    Next::End => self.unique("Empty"),
                }
            }
            Plan::Par(parts) => self.parallel(parts, next, scope),
        }
    }

    fn parallel(&mut self, parts: &[Plan], next: Next, scope: &mut Scope) -> String {
        let names: Vec<String> = parts.iter().map(|p| self.first_stage_name(p)).collect();
        let name = self.unique(&format!("parallel: {}", names.join(", ")));
        let mut branches = Vec::new();
        let mut routes = BTreeSet::new();
        for part in parts {
            let mut branch = Scope::new(true);
            let start_at = self.plan(part, Next::End, &mut branch);
            routes.extend(branch.routes);
            branches.push(SubMachine {
                comment: None,
                processor_config: None,
                start_at,
                states: branch.states,
            });
        }
        let merged = merge_steps(0..parts.len());
        let mut selector = JsonMap::new();
        selector.insert("input.$".into(), Json::String("$[0].input".into()));
        selector.insert("steps.$".into(), Json::String(merged));
        let catch = if scope.in_branch {
            scope.routes.extend(routes);
            Vec::new()
        } else {
            self.routed.extend(routes.iter().copied());
            routes
                .iter()
                .map(|&h| Catcher {
                    error_equals: vec![route_error(&self.stages[h].name.name)],
                    next: routed_entry(&self.stages[h].name.name),
                    result_path: Some(Some("$.routed".into())),
                    output: None,
                    assign: None,
                    comment: None,
                })
                .collect()
        };
        let (next, end) = next.split();
        scope.states.insert(
            name.clone(),
            State::Parallel(Box::new(Parallel {
                branches,
                result_selector: Some(Json::Object(selector)),
                result_path: Some(Some("$".into())),
                catch,
                next,
                end,
                ..Parallel::default()
            })),
        );
        name
    }

    fn first_stage_name(&self, shape: &Plan) -> String {
        match shape {
            Plan::Stage(i) => self.stages[*i].name.name.clone(),
            Plan::Seq(parts) | Plan::Par(parts) => parts
                .first()
                .map(|p| self.first_stage_name(p))
                .unwrap_or_default(),
        }
    }

    /// A stage: optional `when` choice, then its Task (or Map for `foreach`).
    fn stage(&mut self, index: usize, next: Next, scope: &mut Scope) -> String {
        let stage = self.stages[index];
        let name = stage.name.name.clone();
        let task_entry = self.task_or_map(index, next.clone(), scope);
        let Some(condition) = stage.when() else {
            return task_entry;
        };
        let skipped = self.unique(&format!("{name} skipped"));
        self.record(&name, &skipped, Role::Skip);
        let (skip_next, skip_end) = next.split();
        scope.states.insert(
            skipped.clone(),
            State::Pass(Box::new(Pass {
                comment: Some(format!("`when` is false: {name} does not run")),
                next: skip_next,
                end: skip_end,
                ..Pass::default()
            })),
        );
        let choice_name = self.unique(&format!("{name}?"));
        let mut rule = condition::rule(condition);
        rule.next = Some(task_entry);
        scope.states.insert(
            choice_name.clone(),
            State::Choice(Choice {
                choices: vec![rule],
                default: Some(skipped),
                ..Choice::default()
            }),
        );
        choice_name
    }

    fn task_or_map(&mut self, index: usize, next: Next, scope: &mut Scope) -> String {
        let stage = self.stages[index];
        let name = stage.name.name.clone();
        let Some(mut task) = self.task(stage) else {
            return name;
        };
        let (catch, route_states) = self.catchers(index, scope);
        let crawler = crawler_to_wait_for(stage);
        // A crawl's poll loop replaces the result, so there is nothing to unwrap.
        let unwrap = wraps_result(stage) && crawler.is_none();
        let next = match &crawler {
            Some(crawler) if stage.foreach().is_none() => {
                Next::State(self.crawler_poll(&name, crawler, &catch, next, false, scope))
            }
            _ if unwrap && stage.foreach().is_none() => {
                let state = self.unique(&format!("{name}: keep the result"));
                let path = step_path(self.keys.key(&name));
                scope
                    .states
                    .insert(state.clone(), unwrap_result(&path, next));
                Next::State(state)
            }
            _ => next,
        };
        let (next_state, end) = next.split();
        if stage.foreach().is_none() {
            self.record(&name, &name, Role::Call);
        }
        let state = match stage.foreach() {
            None => {
                task.result_path = Some(Some(step_path(self.keys.key(&name))));
                task.catch = catch;
                task.next = next_state;
                task.end = end;
                State::Task(Box::new(task))
            }
            Some((items, concurrency)) => {
                let inner = self.unique(&format!("{name} item"));
                self.record(&name, &inner, Role::Call);
                // Each iteration waits for its own crawl. Errors leave the
                // iteration uncaught and fail the Map, whose catchers apply.
                let mut processor = Scope::new(true);
                match &crawler {
                    Some(crawler) => {
                        task.result_path = Some(Some(step_path(self.keys.key(&name))));
                        let poll =
                            self.crawler_poll(&name, crawler, &[], Next::End, true, &mut processor);
                        task.next = Some(poll);
                    }
                    None if unwrap => {
                        let state = self.unique(&format!("{name}: keep the result"));
                        processor
                            .states
                            .insert(state.clone(), unwrap_result("$", Next::End));
                        task.next = Some(state);
                    }
                    None => task.end = Some(true),
                }
                let mut states = IndexMap::from([(inner.clone(), State::Task(Box::new(task)))]);
                states.extend(processor.states);
                let mut selector = JsonMap::new();
                for (key, path) in [
                    ("input", "$.input"),
                    ("steps", "$.steps"),
                    ("item", "$$.Map.Item.Value"),
                    ("index", "$$.Map.Item.Index"),
                ] {
                    selector.insert(format!("{key}.$"), Json::String(path.into()));
                }
                State::Map(Box::new(Map {
                    items_path: Some(items.text.clone()),
                    item_selector: Some(Json::Object(selector)),
                    item_processor: Some(SubMachine {
                        comment: None,
                        processor_config: Some(ProcessorConfig {
                            mode: "INLINE".into(),
                            execution_type: None,
                        }),
                        start_at: inner,
                        states,
                    }),
                    max_concurrency: concurrency.map(|c| crate::asl::Setting::Fixed(c.node)),
                    result_path: Some(Some(step_path(self.keys.key(&name)))),
                    catch,
                    next: next_state,
                    end,
                    ..Map::default()
                }))
            }
        };
        scope.states.insert(name.clone(), state);
        scope.states.extend(route_states);
        name
    }
}

#[cfg(test)]
mod tests {
    use super::merge_steps;

    #[test]
    fn branch_merges_nest_no_deeper_than_aws_allows() {
        assert_eq!(merge_steps(0..1), "$[0].steps");
        assert_eq!(
            merge_steps(0..3),
            "States.JsonMerge($[0].steps, States.JsonMerge($[1].steps, $[2].steps, false), false)"
        );
        for branches in [2, 14, 100, 1024] {
            let text = merge_steps(0..branches);
            let call = crate::asl::intrinsic::parse(&text).expect("within the nesting limit");
            assert_eq!(call.name, "States.JsonMerge");
            for i in 0..branches {
                assert!(
                    text.contains(&format!("$[{i}].steps")),
                    "{branches}: branch {i}"
                );
            }
        }
    }
}
