//! Catch routing and handlers. A catcher names a state of its own machine:
//! at the top level it names the handler; inside a Parallel branch it leads
//! to a Fail with `nagare.route:<handler>` (the original error, as JSON, in
//! the cause), which the outermost Parallel catches and decodes.

use indexmap::IndexMap;
use serde_json::{Map as JsonMap, Value as Json};

use super::super::{Catcher, Fail, Pass, State, Succeed};
use super::task::{unwrap_result, wraps_result};
use super::{Lowerer, Next, Scope, step_path};
use crate::syntax::ast::{Clause, Outcome};

impl Lowerer<'_> {
    /// The catchers of a stage, and the states that route from inside a branch.
    pub(super) fn catchers(
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
                    output: None,
                    assign: None,
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
                State::Pass(Box::new(Pass {
                    parameters: Some(Json::Object(parameters)),
                    next: Some(fail.clone()),
                    ..Pass::default()
                })),
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
                output: None,
                assign: None,
                comment: None,
            });
        }
        (catchers, extra)
    }

    /// Every handler some stage routes to: its entry from a branch, its
    /// task, and how it ends.
    pub(super) fn handlers(&mut self, states: &mut IndexMap<String, State>) {
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
                    State::Pass(Box::new(Pass {
                        comment: Some(
                            "an error routed out of a Parallel branch: restore $.error".into(),
                        ),
                        parameters: Some(Json::Object(decode)),
                        next: Some(name.clone()),
                        ..Pass::default()
                    })),
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
                self.record(&name, &name, super::Role::Call);
                let path = step_path(self.keys.key(&name));
                task.result_path = Some(Some(path.clone()));
                task.next = Some(end_name.clone());
                if wraps_result(stage) {
                    let unwrap = self.unique(&format!("{name}: keep the result"));
                    states.insert(
                        unwrap.clone(),
                        unwrap_result(&path, Next::State(end_name.clone())),
                    );
                    task.next = Some(unwrap);
                }
                states.insert(name, State::Task(Box::new(task)));
            }
            states.insert(end_name, end_state);
        }
    }
}

/// The error a branch fails with to reach handler `name` outside it.
pub(super) fn route_error(name: &str) -> String {
    format!("nagare.route:{name}")
}

/// The Pass state that restores `$.error` for a handler reached from a branch.
pub(super) fn routed_entry(handler: &str) -> String {
    format!("{handler} (from a branch)")
}
