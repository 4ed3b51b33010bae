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

use std::collections::{BTreeSet, HashSet};

use indexmap::IndexMap;
use serde_json::{Map as JsonMap, Value as Json};

use super::integrations::task_call;
use super::template::{Template, Unsupported, object_template, template};
use super::{
    Catcher, Choice, ChoiceRule, Comparison, Fail, JitterStrategy, Map, Operator, Parallel, Pass,
    ProcessorConfig, Retrier, State, StateMachine, SubMachine, Succeed, Task, Wait,
};
use crate::diagnostics::Diag;
use crate::graph::FlowGraph;
use crate::graph::plan::{ForcedWait, Plan, plan};
use crate::syntax::ast::{self, Clause, Flow, FlowItem, Outcome, Stage};

/// The compiled machine and the waits its layout added.
#[derive(Debug)]
pub struct Lowered {
    pub machine: StateMachine,
    pub waits: Vec<ForcedWait>,
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
    };
    let mut top = Scope::new(false);
    let end = lowerer.finish(flow, &mut top);
    let first = lowerer.plan(&shape, Next::State(end), &mut top);
    let init = lowerer.unique("Init");
    let mut parameters = JsonMap::new();
    parameters.insert("input.$".into(), Json::String("$".into()));
    parameters.insert("steps".into(), Json::Object(JsonMap::new()));
    let init_state = State::Pass(Pass {
        comment: Some("nagare: the state is { input, steps }".into()),
        parameters: Some(Json::Object(parameters)),
        next: Some(first),
        ..Pass::default()
    });
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
            start_at: init,
            states,
            timeout_seconds,
            version: None,
        },
        waits,
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
}

/// The error a branch fails with to reach handler `name` outside it.
fn route_error(name: &str) -> String {
    format!("nagare.route:{name}")
}

/// `$.steps.<key>`: where a stage's result is stored (see `keys`).
fn step_path(key: &str) -> String {
    format!("$.steps.{key}")
}

impl<'a> Lowerer<'a> {
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
            State::Pass(Pass {
                parameters: Some(parameters),
                output_path,
                end: Some(true),
                ..Pass::default()
            }),
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
        let merged = (1..parts.len()).fold("$[0].steps".to_string(), |acc, i| {
            format!("States.JsonMerge({acc}, $[{i}].steps, false)")
        });
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
                    comment: None,
                })
                .collect()
        };
        let (next, end) = next.split();
        scope.states.insert(
            name.clone(),
            State::Parallel(Parallel {
                branches,
                result_selector: Some(Json::Object(selector)),
                result_path: Some(Some("$".into())),
                catch,
                next,
                end,
                ..Parallel::default()
            }),
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
        let (skip_next, skip_end) = next.split();
        scope.states.insert(
            skipped.clone(),
            State::Pass(Pass {
                comment: Some(format!("`when` is false: {name} does not run")),
                next: skip_next,
                end: skip_end,
                ..Pass::default()
            }),
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
        let next = match crawler_to_wait_for(stage) {
            Some(crawler) if stage.foreach().is_none() => {
                Next::State(self.crawler_poll(&name, &crawler, &catch, next, scope))
            }
            _ => next,
        };
        let (next_state, end) = next.split();
        let state = match stage.foreach() {
            None => {
                task.result_path = Some(Some(step_path(self.keys.key(&name))));
                task.catch = catch;
                task.next = next_state;
                task.end = end;
                State::Task(task)
            }
            Some((items, concurrency)) => {
                task.end = Some(true);
                let inner = self.unique(&format!("{name} item"));
                let mut selector = JsonMap::new();
                for (key, path) in [
                    ("input", "$.input"),
                    ("steps", "$.steps"),
                    ("item", "$$.Map.Item.Value"),
                    ("index", "$$.Map.Item.Index"),
                ] {
                    selector.insert(format!("{key}.$"), Json::String(path.into()));
                }
                State::Map(Map {
                    items_path: Some(items.text.clone()),
                    item_selector: Some(Json::Object(selector)),
                    item_processor: Some(SubMachine {
                        comment: None,
                        processor_config: Some(ProcessorConfig {
                            mode: "INLINE".into(),
                            execution_type: None,
                        }),
                        start_at: inner.clone(),
                        states: IndexMap::from([(inner, State::Task(task))]),
                    }),
                    max_concurrency: concurrency.map(|c| c.node),
                    result_path: Some(Some(step_path(self.keys.key(&name)))),
                    catch,
                    next: next_state,
                    end,
                    ..Map::default()
                })
            }
        };
        scope.states.insert(name.clone(), state);
        scope.states.extend(route_states);
        name
    }

    /// `glue.crawler` starts a crawl and, unless `wait: false`, polls
    /// `getCrawler` every 30 s until the crawler is READY again, then checks
    /// that the last crawl succeeded. A failed crawl raises
    /// `Glue.CrawlFailed` through the stage's catchers when one matches.
    /// Returns the loop's first state.
    fn crawler_poll(
        &mut self,
        name: &str,
        crawler: &str,
        catch: &[Catcher],
        next: Next,
        scope: &mut Scope,
    ) -> String {
        let wait = self.unique(&format!("{name}: wait for the crawl"));
        let status = self.unique(&format!("{name}: crawler status"));
        let ready = self.unique(&format!("{name}: crawl finished?"));
        let outcome = self.unique(&format!("{name}: crawl succeeded?"));
        let failed = self.unique(&format!("{name}: crawl failed"));
        let result = step_path(self.keys.key(name));
        let mut parameters = JsonMap::new();
        parameters.insert("Name".into(), Json::String(crawler.into()));
        let mut selector = JsonMap::new();
        selector.insert("State.$".into(), Json::String("$.Crawler.State".into()));
        selector.insert(
            "LastCrawl.$".into(),
            Json::String("$.Crawler.LastCrawl".into()),
        );
        let test = |variable: String, value: &str, next: String| ChoiceRule {
            comparison: Comparison::Test {
                variable,
                operator: Operator::StringEquals,
                value: Json::String(value.into()),
            },
            next: Some(next),
            comment: None,
        };
        // A Choice cannot end a machine: after the last stage of a branch,
        // a Succeed state ends it.
        let success = match next {
            Next::State(after) => after,
            Next::End => {
                let done = self.unique(&format!("{name}: done"));
                scope
                    .states
                    .insert(done.clone(), State::Succeed(Succeed::default()));
                done
            }
        };
        let failure_route = catch
            .iter()
            .find(|c| {
                c.error_equals
                    .iter()
                    .any(|e| e == "States.ALL" || e == "Glue.CrawlFailed")
            })
            .map(|c| c.next.clone());
        let failed_state = match failure_route {
            Some(route) => {
                let mut error = JsonMap::new();
                error.insert("Error".into(), Json::String("Glue.CrawlFailed".into()));
                error.insert(
                    "Cause.$".into(),
                    Json::String(format!("States.JsonToString({result}.LastCrawl)")),
                );
                State::Pass(Pass {
                    parameters: Some(Json::Object(error)),
                    result_path: Some(Some("$.error".into())),
                    next: Some(route),
                    ..Pass::default()
                })
            }
            None => State::Fail(Fail {
                error: Some("Glue.CrawlFailed".into()),
                cause: Some(format!(
                    "the last crawl of crawler {crawler} did not succeed"
                )),
                ..Fail::default()
            }),
        };
        let states = [
            (
                wait.clone(),
                State::Wait(Wait {
                    seconds: Some(30),
                    next: Some(status.clone()),
                    ..Wait::default()
                }),
            ),
            (
                status.clone(),
                State::Task(Task {
                    resource: "arn:aws:states:::aws-sdk:glue:getCrawler".into(),
                    parameters: Some(Json::Object(parameters)),
                    result_selector: Some(Json::Object(selector)),
                    result_path: Some(Some(result.clone())),
                    catch: catch.to_vec(),
                    next: Some(ready.clone()),
                    ..Task::default()
                }),
            ),
            (
                ready.clone(),
                State::Choice(Choice {
                    choices: vec![test(format!("{result}.State"), "READY", outcome.clone())],
                    default: Some(wait.clone()),
                    ..Choice::default()
                }),
            ),
            (
                outcome,
                State::Choice(Choice {
                    choices: vec![test(
                        format!("{result}.LastCrawl.Status"),
                        "SUCCEEDED",
                        success,
                    )],
                    default: Some(failed.clone()),
                    ..Choice::default()
                }),
            ),
            (failed, failed_state),
        ];
        scope.states.extend(states);
        wait
    }

    /// The Task of a stage or handler, without result path, catch or next.
    fn task(&mut self, stage: &Stage) -> Option<Task> {
        let run = stage.run()?;
        let call = match task_call(run) {
            Ok(call) => call,
            Err(e) => {
                self.unsupported(e);
                return None;
            }
        };
        let own = &stage.clauses[..];
        let inherit = !stage.is_handler();
        let defaults = self.defaults;
        let pick = |keyword: &str| -> Vec<&Clause> {
            let mine: Vec<&Clause> = own.iter().filter(|c| c.keyword() == keyword).collect();
            match defaults {
                Some(defaults) if mine.is_empty() && inherit => {
                    defaults.iter().filter(|c| c.keyword() == keyword).collect()
                }
                _ => mine,
            }
        };
        let retry = pick("retry")
            .into_iter()
            .filter_map(|c| match c {
                Clause::Retry(r) => Some(retrier(r)),
                _ => None,
            })
            .collect();
        let seconds = |keyword: &str| {
            pick(keyword).into_iter().find_map(|c| match c {
                Clause::Timeout(d) | Clause::Heartbeat(d) => Some(d.seconds),
                _ => None,
            })
        };
        let result_selector = match own.iter().find_map(|c| match c {
            Clause::Result(v) => Some(v),
            _ => None,
        }) {
            None => None,
            Some(ast::Value {
                kind: ast::ValueKind::Object(object),
                ..
            }) => match object_template(object) {
                Ok(map) => Some(Json::Object(map)),
                Err(e) => {
                    self.unsupported(e);
                    None
                }
            },
            Some(other) => {
                self.unsupported(Unsupported {
                    span: other.span,
                    reason: "a `result` that is not an object (ASL's ResultSelector builds an object)",
                });
                None
            }
        };
        let comment = own.iter().find_map(|c| match c {
            Clause::Comment(c) => Some(c.node.clone()),
            _ => None,
        });
        Some(Task {
            comment,
            resource: call.resource,
            parameters: call.parameters.map(Json::Object),
            result_selector,
            timeout_seconds: seconds("timeout"),
            heartbeat_seconds: seconds("heartbeat"),
            retry,
            ..Task::default()
        })
    }

    /// The catchers of a stage, and the states that route from inside a branch.
    fn catchers(
        &mut self,
        index: usize,
        scope: &mut Scope,
    ) -> (Vec<Catcher>, Vec<(String, State)>) {
        let mut catchers = Vec::new();
        let mut extra = Vec::new();
        let stage_name = self.stages[index].name.name.clone();
        let routes: Vec<(usize, Vec<String>)> = self
            .graph
            .routes_of(index)
            .into_iter()
            .map(|(h, errors)| (h, errors.to_vec()))
            .collect();
        for (handler, errors) in routes {
            let handler_name = self.stages[handler].name.name.clone();
            if !scope.in_branch {
                catchers.push(Catcher {
                    error_equals: errors,
                    next: handler_name,
                    result_path: Some(Some("$.error".into())),
                    comment: None,
                });
                continue;
            }
            scope.routes.insert(handler);
            let encode = self.unique(&format!("{stage_name} caught for {handler_name}"));
            let fail = self.unique(&format!("{stage_name} routes to {handler_name}"));
            let mut parameters = JsonMap::new();
            parameters.insert(
                "cause.$".into(),
                Json::String("States.JsonToString($.error)".into()),
            );
            extra.push((
                encode.clone(),
                State::Pass(Pass {
                    parameters: Some(Json::Object(parameters)),
                    next: Some(fail.clone()),
                    ..Pass::default()
                }),
            ));
            extra.push((
                fail,
                State::Fail(Fail {
                    comment: Some(format!("leaves the branch; the Parallel around it catches this and runs {handler_name}")),
                    error: Some(route_error(&handler_name)),
                    cause_path: Some("$.cause".into()),
                    ..Fail::default()
                }),
            ));
            catchers.push(Catcher {
                error_equals: errors,
                next: encode,
                result_path: Some(Some("$.error".into())),
                comment: None,
            });
        }
        (catchers, extra)
    }

    /// Every handler some stage routes to: its entry from a branch, its
    /// task, and how it ends.
    fn handlers(&mut self, states: &mut IndexMap<String, State>) {
        let handlers: Vec<usize> = (0..self.stages.len())
            .filter(|&i| self.stages[i].is_handler() && !self.graph.catchers_of(i).is_empty())
            .collect();
        for h in handlers {
            let stage = self.stages[h];
            let name = stage.name.name.clone();
            let mut decode = JsonMap::new();
            decode.insert("input.$".into(), Json::String("$.input".into()));
            decode.insert("steps.$".into(), Json::String("$.steps".into()));
            decode.insert(
                "error.$".into(),
                Json::String("States.StringToJson($.routed.Cause)".into()),
            );
            if self.routed.contains(&h) {
                let entry = routed_entry(&name);
                self.used.insert(entry.clone());
                states.insert(
                    entry,
                    State::Pass(Pass {
                        comment: Some(
                            "an error routed out of a Parallel branch: restore $.error".into(),
                        ),
                        parameters: Some(Json::Object(decode)),
                        next: Some(name.clone()),
                        ..Pass::default()
                    }),
                );
            }
            let outcome = stage.clauses.iter().find_map(|c| match c {
                Clause::Then(t) => Some(&t.outcome),
                _ => None,
            });
            let (end_name, end_state) = match outcome.unwrap_or(&Outcome::Reraise) {
                Outcome::Reraise => (
                    self.unique(&format!("{name} failed")),
                    State::Fail(Fail {
                        error_path: Some("$.error.Error".into()),
                        cause_path: Some("$.error.Cause".into()),
                        ..Fail::default()
                    }),
                ),
                Outcome::Fail { error, cause } => (
                    self.unique(&format!("{name} failed")),
                    State::Fail(Fail {
                        error: Some(error.node.clone()),
                        cause: cause.as_ref().map(|c| c.node.clone()),
                        ..Fail::default()
                    }),
                ),
                Outcome::Succeed => (
                    self.unique(&format!("{name} succeeded")),
                    State::Succeed(Succeed {
                        output_path: Some(Some("$.steps".into())),
                        ..Succeed::default()
                    }),
                ),
            };
            if let Some(mut task) = self.task(stage) {
                task.result_path = Some(Some(step_path(self.keys.key(&name))));
                task.next = Some(end_name.clone());
                states.insert(name, State::Task(task));
            }
            states.insert(end_name, end_state);
        }
    }
}

/// States listed in the order an execution meets them (breadth-first from
/// the start, following `Next`, choices, `Default` and catchers), so the
/// JSON reads top to bottom; branches are ordered the same way inside.
fn in_execution_order(mut states: IndexMap<String, State>, start: &str) -> IndexMap<String, State> {
    // The main path first; states reached only by a catcher after it.
    let mut order: Vec<String> = Vec::new();
    let mut queue = std::collections::VecDeque::from([start.to_string()]);
    let mut caught = std::collections::VecDeque::new();
    let mut seen: HashSet<String> = HashSet::new();
    while let Some(name) = queue.pop_front().or_else(|| caught.pop_front()) {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(state) = states.get(&name) {
            let (main, handlers) = successors(state);
            queue.extend(main);
            caught.extend(handlers);
            order.push(name);
        }
    }
    // Taking states out of a hash map keeps this linear; states no path
    // reaches keep their place after the others.
    let written: Vec<String> = states.keys().cloned().collect();
    let mut pool: std::collections::HashMap<String, State> = states.drain(..).collect();
    let mut ordered = IndexMap::with_capacity(pool.len());
    for name in order.into_iter().chain(written) {
        if let Some(mut state) = pool.remove(&name) {
            order_branches(&mut state);
            ordered.insert(name, state);
        }
    }
    ordered
}

fn order_branches(state: &mut State) {
    let reorder = |machine: &mut SubMachine| {
        let states = std::mem::take(&mut machine.states);
        machine.states = in_execution_order(states, &machine.start_at);
    };
    match state {
        State::Parallel(p) => p.branches.iter_mut().for_each(reorder),
        State::Map(m) => m.item_processor.iter_mut().for_each(reorder),
        _ => {}
    }
}

/// Where control can go from a state: the main path (`Next`, choices,
/// `Default`) and the catchers' targets.
fn successors(state: &State) -> (Vec<String>, Vec<String>) {
    let catch = |c: &[Catcher]| c.iter().map(|c| c.next.clone()).collect::<Vec<_>>();
    match state {
        State::Task(t) => (t.next.iter().cloned().collect(), catch(&t.catch)),
        State::Parallel(p) => (p.next.iter().cloned().collect(), catch(&p.catch)),
        State::Map(m) => (m.next.iter().cloned().collect(), catch(&m.catch)),
        State::Pass(p) => (p.next.iter().cloned().collect(), Vec::new()),
        State::Wait(w) => (w.next.iter().cloned().collect(), Vec::new()),
        State::Choice(c) => {
            let mut main: Vec<String> = c.choices.iter().filter_map(|r| r.next.clone()).collect();
            main.extend(c.default.clone());
            (main, Vec::new())
        }
        State::Succeed(_) | State::Fail(_) => (Vec::new(), Vec::new()),
    }
}

/// The crawler a `glue.crawler` stage waits for (`wait` defaults to true).
fn crawler_to_wait_for(stage: &Stage) -> Option<String> {
    let run = stage.run()?;
    if run.integration.name != "glue.crawler" {
        return None;
    }
    let no_wait = run
        .args
        .as_ref()
        .and_then(|a| a.get("wait"))
        .is_some_and(|e| matches!(e.value.kind, ast::ValueKind::Bool(false)));
    (!no_wait).then(|| {
        run.target
            .as_ref()
            .map(|t| t.node.clone())
            .unwrap_or_default()
    })
}

/// The Pass state that restores `$.error` for a handler reached from a branch.
fn routed_entry(handler: &str) -> String {
    format!("{handler} (from a branch)")
}

fn retrier(retry: &ast::Retry) -> Retrier {
    let mut r = Retrier {
        error_equals: retry.errors.iter().map(|e| e.name.clone()).collect(),
        interval_seconds: None,
        max_attempts: None,
        backoff_rate: None,
        max_delay_seconds: None,
        jitter_strategy: None,
        comment: None,
    };
    for option in &retry.options {
        match option {
            ast::RetryOption::Max(m) => r.max_attempts = Some(m.node),
            ast::RetryOption::Interval(d) => r.interval_seconds = Some(d.seconds),
            ast::RetryOption::Backoff(b) => r.backoff_rate = serde_json::Number::from_f64(b.node),
            ast::RetryOption::MaxDelay(d) => r.max_delay_seconds = Some(d.seconds),
            ast::RetryOption::Jitter(j) => {
                r.jitter_strategy = Some(match j.node {
                    ast::Jitter::Full => JitterStrategy::Full,
                    ast::Jitter::None => JitterStrategy::None,
                })
            }
        }
    }
    r
}
