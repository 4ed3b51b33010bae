//! A stage's Task: its call, retriers, limits and result selector; and the
//! poll loop that waits for a Glue crawl.

use serde_json::{Map as JsonMap, Value as Json};

use super::super::integrations::task_call;
use super::super::template::{insert, object_template, template};
use super::super::{
    Catcher, Choice, ChoiceRule, Comparison, Fail, JitterStrategy, Operator, Pass, Retrier,
    Setting, State, Succeed, Task, Wait,
};
use super::{Lowerer, Next, Scope, step_path};
use crate::syntax::ast::{self, Clause, Stage};

impl Lowerer<'_> {
    /// `glue.crawler` starts a crawl and, unless `wait: false`, polls
    /// `getCrawler` every 30 s until the crawler is READY again, then checks
    /// that the last crawl succeeded. A failed crawl raises
    /// `Glue.CrawlFailed` through the stage's catchers when one matches.
    /// Returns the loop's first state. In a Map iteration (`in_iteration`)
    /// a finished loop outputs the crawl's result alone, which becomes the
    /// iteration's element of the stage's result list.
    pub(super) fn crawler_poll(
        &mut self,
        name: &str,
        crawler: &str,
        catch: &[Catcher],
        next: Next,
        in_iteration: bool,
        scope: &mut Scope,
    ) -> String {
        let wait = self.unique(&format!("{name}: wait for the crawl"));
        let status = self.unique(&format!("{name}: crawler status"));
        self.record(name, &status, super::Role::Poll);
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
            assign: None,
            output: None,
        };
        // A Choice cannot end a machine: after the last stage of a branch,
        // a Succeed state ends it.
        let success = match next {
            Next::State(after) => after,
            Next::End => {
                let done = self.unique(&format!("{name}: done"));
                let state = if in_iteration {
                    State::Pass(Box::new(Pass {
                        output_path: Some(Some(result.clone())),
                        end: Some(true),
                        ..Pass::default()
                    }))
                } else {
                    State::Succeed(Succeed::default())
                };
                scope.states.insert(done.clone(), state);
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
                State::Pass(Box::new(Pass {
                    parameters: Some(Json::Object(error)),
                    result_path: Some(Some("$.error".into())),
                    next: Some(route),
                    ..Pass::default()
                }))
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
                    seconds: Some(Setting::Fixed(30)),
                    next: Some(status.clone()),
                    ..Wait::default()
                }),
            ),
            (
                status.clone(),
                State::Task(Box::new(Task {
                    resource: "arn:aws:states:::aws-sdk:glue:getCrawler".into(),
                    parameters: Some(Json::Object(parameters)),
                    result_selector: Some(Json::Object(selector)),
                    result_path: Some(Some(result.clone())),
                    catch: catch.to_vec(),
                    next: Some(ready.clone()),
                    ..Task::default()
                })),
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
    pub(super) fn task(&mut self, stage: &Stage) -> Option<Task> {
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
            // ResultSelector builds only objects: wrap the value, and the
            // stage unwraps it after the call (see `unwrap_result`).
            Some(other) => match template(other) {
                Ok(value) => {
                    let mut map = JsonMap::new();
                    insert(&mut map, "value", value);
                    Some(Json::Object(map))
                }
                Err(e) => {
                    self.unsupported(e);
                    None
                }
            },
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
            timeout_seconds: seconds("timeout").map(Setting::Fixed),
            heartbeat_seconds: seconds("heartbeat").map(Setting::Fixed),
            retry,
            ..Task::default()
        })
    }
}

/// Whether a stage's `result` is not an object, so its task's selector
/// wraps it as `{ "value": … }` and a Pass state unwraps it.
pub(super) fn wraps_result(stage: &Stage) -> bool {
    stage
        .clauses
        .iter()
        .any(|c| matches!(c, Clause::Result(v) if !matches!(v.kind, ast::ValueKind::Object(_))))
}

/// The Pass state that replaces `{ "value": v }` at `path` with `v`:
/// ResultPath merges into the raw input, so the wrapper is overwritten.
pub(super) fn unwrap_result(path: &str, next: Next) -> State {
    let (next, end) = next.split();
    State::Pass(Box::new(Pass {
        comment: Some("`result` is not an object: keep the value alone".into()),
        input_path: Some(Some(format!("{path}.value"))),
        result_path: Some(Some(path.to_string())),
        next,
        end,
        ..Pass::default()
    }))
}

/// The crawler a `glue.crawler` stage waits for (`wait` defaults to true).
pub(super) fn crawler_to_wait_for(stage: &Stage) -> Option<String> {
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
