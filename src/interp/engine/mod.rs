//! Running states. The clock is simulated: waits, retry delays and task
//! durations move it forward without sleeping, so an execution with hours
//! of waiting ends at once and reports when each thing would have happened.
//! Parallel branches and Map iterations each start at the time their state
//! does and run on their own clock; the state ends when the last of them
//! does (with `MaxConcurrency`, an iteration waits for a free slot).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indexmap::IndexMap;
use serde_json::{Map as JsonMap, Value, json};

mod distributed;

use super::choice;
use super::data::{self, Env, Payload, filter, place, template, within_limit};
use super::failure::{self, Failure, matches};
use super::history::{Assigned, Detail, Event};
use super::intrinsics::{self, Rng};
use super::jsonata::{self as query, Scope};
use super::tasks::{Outcome, Tasks};
use super::time::{format_millis, parse_millis};
use super::vars::Vars;
use crate::asl::{
    Catcher, Choice, Comparison, Fail, Map, Parallel, Pass, QueryLanguage, Retrier, Setting, State,
    Task, Wait,
};

/// Limits that keep any definition from running away.
#[derive(Debug, Clone)]
pub struct Limits {
    /// History events, as AWS's 25,000.
    pub max_events: usize,
    /// Items one Map state may iterate over.
    pub max_map_items: usize,
    /// Nesting of Parallel and Map states inside each other.
    pub max_depth: usize,
    /// The largest payload, in serialised bytes (AWS: 256 KiB).
    pub max_payload: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_events: 25_000,
            max_map_items: 1_000_000,
            max_depth: 64,
            max_payload: data::MAX_PAYLOAD,
        }
    }
}

/// A failure and when it happened.
pub type Failed = (Failure, i64);

/// Real time, for `--real-time`: the simulated clock is paced by it.
#[derive(Debug, Clone, Copy)]
pub struct RealClock {
    pub origin: Instant,
    /// The simulated time that `origin` stands for.
    pub start: i64,
}

pub(super) struct Engine<'t> {
    pub tasks: &'t dyn Tasks,
    pub rng: Rng,
    pub limits: Limits,
    /// Events recorded by every engine of the execution (branches and
    /// iterations run on engines of their own), against `max_events`.
    pub recorded: &'t AtomicUsize,
    pub history: Vec<Event>,
    /// Set for `--real-time`: waits and retry delays sleep, and branches
    /// and iterations run on threads of their own.
    pub real: Option<RealClock>,
    /// The context object (`$$`); `State` and `Map` change as states run.
    pub context: Value,
    /// Whether the definition reads `$$` at all: if not, the per-state part
    /// of the context object is never built.
    pub uses_context: bool,
    /// When the whole execution times out (top-level `TimeoutSeconds`).
    pub deadline: Option<i64>,
    pub timed_out: bool,
    depth: usize,
    /// The variables this scope sees (`Assign`).
    pub vars: Vars,
    /// The machine's query language, which its states (nested ones too)
    /// speak unless they say otherwise.
    pub language: QueryLanguage,
    /// What the last attempt of a Task, Parallel or Map would assign: set
    /// by the attempt, assigned only when the state succeeds.
    pending: Option<Vec<(String, Value)>>,
    /// What the state that just ran assigned, for its exited event.
    assigned: Option<Vec<(String, Payload)>>,
    /// The directory standing in for S3 (`--s3-dir`).
    pub s3: Option<Arc<super::s3::LocalS3>>,
    /// The ARN of the Distributed Map Run under way.
    map_run: Option<String>,
    /// When the running state was entered (or last retried), on the
    /// simulated clock: JSONata's `$now()` and `$millis()`.
    clock: i64,
}

/// Results of branches or iterations, gathered in order: the outputs, the
/// latest end, and the failure that came first in simulated time (it is
/// the one that stops the others).
struct Gathered {
    outputs: Vec<Payload>,
    end: i64,
    first_failure: Option<Failed>,
}

impl Gathered {
    fn new(start: i64) -> Self {
        Gathered {
            outputs: Vec::new(),
            end: start,
            first_failure: None,
        }
    }

    fn add(&mut self, run: Result<(Payload, i64), Failed>) {
        match run {
            Ok((output, at)) => {
                self.end = self.end.max(at);
                self.outputs.push(output);
            }
            Err((f, at)) => {
                if self.first_failure.as_ref().is_none_or(|(_, t)| at < *t) {
                    self.first_failure = Some((f, at));
                }
            }
        }
    }
}

/// A thread's result; a panic in it is reported, not propagated.
fn joined(
    result: std::thread::Result<Result<(Payload, i64), Failed>>,
    now: i64,
) -> Result<(Payload, i64), Failed> {
    result.unwrap_or_else(|_| {
        Err((
            Failure::runtime("a branch of the run stopped unexpectedly"),
            now,
        ))
    })
}

/// Where a state sends the execution next.
enum Next {
    State(String),
    End,
}

impl<'t> Engine<'t> {
    pub fn new(
        tasks: &'t dyn Tasks,
        rng: Rng,
        limits: Limits,
        recorded: &'t AtomicUsize,
        context: Value,
    ) -> Self {
        Engine {
            tasks,
            rng,
            limits,
            recorded,
            history: Vec::new(),
            real: None,
            context,
            uses_context: true,
            deadline: None,
            timed_out: false,
            depth: 0,
            vars: Vars::default(),
            language: QueryLanguage::JsonPath,
            pending: None,
            assigned: None,
            s3: None,
            map_run: None,
            clock: 0,
        }
    }

    /// An engine for one branch or iteration: the same tasks, limits and
    /// event budget, its own history, and a random stream of its own.
    fn fork(&mut self) -> Engine<'t> {
        Engine {
            tasks: self.tasks,
            rng: Rng::seeded(self.rng.next_seed()),
            limits: self.limits.clone(),
            recorded: self.recorded,
            history: Vec::new(),
            real: self.real,
            context: self.context.clone(),
            uses_context: self.uses_context,
            deadline: self.deadline,
            timed_out: false,
            depth: self.depth + 1,
            vars: self.vars.inner(),
            language: self.language,
            pending: None,
            assigned: None,
            s3: self.s3.clone(),
            map_run: None,
            clock: self.clock,
        }
    }

    fn jsonata(&self, own: Option<QueryLanguage>) -> bool {
        own.unwrap_or(self.language) == QueryLanguage::Jsonata
    }

    /// What the JSONata expressions of state `name` see.
    fn scope<'s>(&'s mut self, name: &'s str, input: &'s Value) -> Scope<'s> {
        let seed = self.rng.next_seed();
        Scope {
            state: name,
            input,
            result: None,
            error_output: None,
            context: &self.context,
            vars: &self.vars,
            seed: std::cell::Cell::new(seed),
            now: self.clock,
        }
    }

    /// A JSONPath `Assign`: a payload template over `data` (the state's
    /// result, or its effective input for Choice and Wait).
    fn path_assignments(
        &mut self,
        assign: &Value,
        data: &Value,
    ) -> Result<Vec<(String, Value)>, Failure> {
        match template(
            assign,
            data,
            &Env::new(&self.context, &self.vars),
            &mut self.rng,
        )? {
            Value::Object(fields) => Ok(fields.into_iter().collect()),
            other => Err(Failure::runtime(format!(
                "`Assign` is an object of variables, not {}",
                data::kind(&other)
            ))),
        }
    }

    /// Assigns what a state computed, all at once.
    fn assign(&mut self, values: Option<Vec<(String, Value)>>) -> Result<(), Failure> {
        let Some(values) = values else { return Ok(()) };
        self.vars.assign(values.clone())?;
        self.assigned = Some(
            values
                .into_iter()
                .map(|(name, value)| (name, Arc::new(value)))
                .collect(),
        );
        Ok(())
    }

    /// Under `--real-time`, sleeps until the simulated time `at`.
    fn pace(&self, at: i64) {
        if let Some(clock) = self.real {
            let due = clock.origin + Duration::from_millis((at - clock.start).max(0) as u64);
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
        }
    }

    pub fn event(&mut self, at: i64, kind: &'static str, details: Detail) -> Result<(), Failed> {
        if self.recorded.fetch_add(1, Ordering::Relaxed) >= self.limits.max_events {
            return Err((
                Failure::runtime(format!(
                    "the execution reached the limit of {} history events (raise it with --max-transitions)",
                    self.limits.max_events
                )),
                at,
            ));
        }
        self.history.push(Event {
            // Numbered once the whole history is assembled.
            id: 0,
            timestamp: at,
            kind,
            depth: self.depth,
            details,
        });
        Ok(())
    }

    /// Runs a machine's states from `start` until one ends it.
    pub fn run_states(
        &mut self,
        states: &IndexMap<String, State>,
        start: &str,
        mut input: Payload,
        mut now: i64,
    ) -> Result<(Payload, i64), Failed> {
        let mut name = start.to_string();
        loop {
            if self.deadline.is_some_and(|d| now > d) {
                self.timed_out = true;
                return Err((
                    Failure::new(
                        failure::TIMEOUT,
                        "the execution ran longer than its TimeoutSeconds",
                    ),
                    now,
                ));
            }
            let Some(state) = states.get(&name) else {
                return Err((Failure::runtime(format!("no state named `{name}`")), now));
            };
            let kind = type_name(state);
            self.event(now, entered(kind), with_input(&name, &input))?;
            self.set_state_context(&name, now, 0);
            self.assigned = None;
            let (output, next, at) = match self.state(&name, state, input, now) {
                Ok(done) => done,
                Err((mut failure, at)) => {
                    self.evaluation_failed(&name, &mut failure, at)?;
                    return Err((failure, at));
                }
            };
            self.pace(at);
            now = at;
            if !matches!(state, State::Fail(_)) {
                let mut detail = with_output(&name, &output);
                if let Some(assigned) = self.assigned.take() {
                    detail.more_mut().assigned_variables = Some(Assigned(assigned));
                }
                self.event(now, exited(kind), detail)?;
            }
            match next {
                Next::State(to) => {
                    name = to;
                    input = output;
                }
                Next::End => return Ok((output, now)),
            }
        }
    }

    fn set_state_context(&mut self, name: &str, now: i64, retry: u64) {
        self.clock = now;
        if !self.uses_context {
            return;
        }
        if let Value::Object(ctx) = &mut self.context {
            ctx.insert(
                "State".into(),
                json!({ "Name": name, "EnteredTime": format_millis(now), "RetryCount": retry }),
            );
        }
    }

    fn state(
        &mut self,
        name: &str,
        state: &State,
        input: Payload,
        now: i64,
    ) -> Result<(Payload, Next, i64), Failed> {
        let at = |f: Failure| (f, now);
        match state {
            State::Pass(pass) => {
                let output = self.pass(name, pass, input).map_err(at)?;
                Ok((output, next_of(&pass.next), now))
            }
            State::Task(task) => self.retrying(name, &**task, input, now, |engine, input, now| {
                engine.task(name, task, input, now)
            }),
            State::Parallel(parallel) => {
                self.retrying(name, &**parallel, input, now, |engine, input, now| {
                    engine.parallel(name, parallel, input, now)
                })
            }
            State::Map(map) => self.retrying(name, &**map, input, now, |engine, input, now| {
                engine.map(name, map, input, now)
            }),
            State::Choice(c) => {
                let (output, next) = self.choice(name, c, input).map_err(at)?;
                Ok((output, Next::State(next), now))
            }
            State::Wait(wait) => {
                let (output, until) = self.wait(name, wait, input, now)?;
                Ok((output, next_of(&wait.next), until))
            }
            State::Succeed(s) if self.jsonata(s.query_language) => {
                let output = match &s.output {
                    Some(o) => Arc::new(self.scope(name, &input).value(o, "Output").map_err(at)?),
                    None => input,
                };
                Ok((output, Next::End, now))
            }
            State::Succeed(s) => {
                let env = Env::new(&self.context, &self.vars);
                let effective = filter(&s.input_path, input, &env).map_err(at)?;
                let output = filter(&s.output_path, effective, &env).map_err(at)?;
                Ok((output, Next::End, now))
            }
            State::Fail(fail) => Err((self.fail(name, fail, &input).map_err(at)?, now)),
        }
    }

    fn pass(&mut self, name: &str, pass: &Pass, input: Payload) -> Result<Payload, Failure> {
        if self.jsonata(pass.query_language) {
            let (output, assigned) =
                self.scope(name, &input)
                    .output_and_assign(&pass.output, &pass.assign, &input)?;
            self.assign(assigned)?;
            return Ok(output);
        }
        let effective = filter(
            &pass.input_path,
            input.clone(),
            &Env::new(&self.context, &self.vars),
        )?;
        let result = match (&pass.parameters, &pass.result) {
            (Some(parameters), _) => Arc::new(template(
                parameters,
                &effective,
                &Env::new(&self.context, &self.vars),
                &mut self.rng,
            )?),
            (None, Some(result)) => Arc::new(result.clone()),
            (None, None) => effective,
        };
        let assigned = match &pass.assign {
            Some(a) => Some(self.path_assignments(a, &result)?),
            None => None,
        };
        let placed = place(&pass.result_path, input, result)?;
        let output = filter(
            &pass.output_path,
            placed,
            &Env::new(&self.context, &self.vars),
        )?;
        self.assign(assigned)?;
        Ok(output)
    }

    fn choice(
        &mut self,
        name: &str,
        state: &Choice,
        input: Payload,
    ) -> Result<(Payload, String), Failure> {
        let no_match = |input: &Value| {
            Failure::new(
                failure::NO_CHOICE,
                format!("no Choice rule matched the input {}", data::preview(input)),
            )
        };
        if self.jsonata(state.query_language) {
            let scope = self.scope(name, &input);
            let mut chosen = None;
            for rule in &state.choices {
                let holds = match &rule.comparison {
                    Comparison::Condition(Value::Bool(b)) => *b,
                    Comparison::Condition(c) => scope.typed(c, "Condition", query::boolean)?,
                    _ => {
                        return Err(Failure::runtime(
                            "a JSONata Choice rule without `Condition`",
                        ));
                    }
                };
                if holds {
                    chosen = Some(rule);
                    break;
                }
            }
            // The chosen rule's Output and Assign, or the state's when no
            // rule matched (ASL: "Choice Rules", "State Machine Variables").
            let (output, assign, next) = match chosen {
                Some(rule) => (&rule.output, &rule.assign, rule.next.clone()),
                None => (&state.output, &state.assign, state.default.clone()),
            };
            let next = next.ok_or_else(|| no_match(&input))?;
            let (output, assigned) = scope.output_and_assign(output, assign, &input)?;
            self.assign(assigned)?;
            return Ok((output, next));
        }
        let effective = filter(
            &state.input_path,
            input,
            &Env::new(&self.context, &self.vars),
        )?;
        let mut chosen = None;
        for rule in &state.choices {
            if choice::matches(rule, &effective, &Env::new(&self.context, &self.vars))? {
                chosen = Some(rule);
                break;
            }
        }
        let (assign, next) = match chosen {
            Some(rule) => (&rule.assign, rule.next.clone()),
            None => (&state.assign, state.default.clone()),
        };
        let next = next.ok_or_else(|| no_match(&effective))?;
        let assigned = match assign {
            Some(a) => Some(self.path_assignments(a, &effective)?),
            None => None,
        };
        let output = filter(
            &state.output_path,
            effective,
            &Env::new(&self.context, &self.vars),
        )?;
        self.assign(assigned)?;
        Ok((output, next))
    }

    fn wait(
        &mut self,
        name: &str,
        wait: &Wait,
        input: Payload,
        now: i64,
    ) -> Result<(Payload, i64), Failed> {
        let at = |f: Failure| (f, now);
        let after = |seconds: u64| {
            now.saturating_add((seconds.min(i64::MAX as u64) as i64).saturating_mul(1000))
        };
        if self.jsonata(wait.query_language) {
            let scope = self.scope(name, &input);
            let until = match (&wait.seconds, &wait.timestamp) {
                (Some(Setting::Fixed(s)), _) => after(*s),
                (Some(Setting::Expression(e)), _) => after(
                    scope
                        .typed(&Value::String(e.clone()), "Seconds", query::count(0))
                        .map_err(at)?,
                ),
                (None, Some(t)) => {
                    let text = scope
                        .typed(&Value::String(t.clone()), "Timestamp", query::string)
                        .map_err(at)?;
                    parse_millis(&text).map(|t| t.max(now)).ok_or_else(|| {
                        at(Failure::new(
                            query::QUERY_EVALUATION,
                            format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"),
                        )
                        .in_field("Timestamp"))
                    })?
                }
                (None, None) => now,
            };
            let (output, assigned) = scope
                .output_and_assign(&wait.output, &wait.assign, &input)
                .map_err(at)?;
            self.assign(assigned).map_err(at)?;
            return Ok((output, until));
        }
        let effective = filter(
            &wait.input_path,
            input,
            &Env::new(&self.context, &self.vars),
        )
        .map_err(at)?;
        let seconds_at = |value: Value, field: &str| -> Result<i64, Failure> {
            value.as_u64().map(after).ok_or_else(|| {
                Failure::runtime(format!(
                    "{field} must select a non-negative integer, not {}",
                    data::preview(&value)
                ))
            })
        };
        let stamp_at = |value: Value, field: &str| -> Result<i64, Failure> {
            value
                .as_str()
                .and_then(parse_millis)
                .map(|t| t.max(now))
                .ok_or_else(|| {
                    Failure::runtime(format!(
                        "{field} must select a timestamp, not {}",
                        data::preview(&value)
                    ))
                })
        };
        let env = Env::new(&self.context, &self.vars);
        let until = if let Some(s) = wait.seconds.as_ref().and_then(Setting::fixed) {
            after(*s)
        } else if let Some(t) = &wait.timestamp {
            stamp_at(Value::String(t.clone()), "Timestamp").map_err(at)?
        } else if let Some(p) = &wait.seconds_path {
            seconds_at(data::read(p, &effective, &env).map_err(at)?, "SecondsPath").map_err(at)?
        } else if let Some(p) = &wait.timestamp_path {
            stamp_at(
                data::read(p, &effective, &env).map_err(at)?,
                "TimestampPath",
            )
            .map_err(at)?
        } else {
            now
        };
        let assigned = match &wait.assign {
            Some(a) => Some(self.path_assignments(a, &effective).map_err(at)?),
            None => None,
        };
        let output = filter(
            &wait.output_path,
            effective,
            &Env::new(&self.context, &self.vars),
        )
        .map_err(at)?;
        self.assign(assigned).map_err(at)?;
        Ok((output, until))
    }

    fn fail(&mut self, name: &str, fail: &Fail, input: &Value) -> Result<Failure, Failure> {
        if self.jsonata(fail.query_language) {
            let scope = self.scope(name, input);
            let text = |fixed: &Option<String>, field: &str| match fixed {
                Some(t) => scope.typed(&Value::String(t.clone()), field, query::string),
                None => Ok(String::new()),
            };
            return Ok(Failure::new(
                text(&fail.error, "Error")?,
                text(&fail.cause, "Cause")?,
            ));
        }
        let text = |engine: &mut Self,
                    fixed: &Option<String>,
                    path: &Option<String>|
         -> Result<String, Failure> {
            if let Some(fixed) = fixed {
                return Ok(fixed.clone());
            }
            let Some(path) = path else {
                return Ok(String::new());
            };
            let env = Env::new(&engine.context, &engine.vars);
            let value = if crate::asl::intrinsic::is_call(path) {
                intrinsics::evaluate(path, input, &env, &mut engine.rng)?
            } else {
                data::read(path, input, &env)?
            };
            value.as_str().map(str::to_string).ok_or_else(|| {
                Failure::runtime(format!(
                    "`{path}` must select a string, not {}",
                    data::kind(&value)
                ))
            })
        };
        Ok(Failure::new(
            text(self, &fail.error, &fail.error_path)?,
            text(self, &fail.cause, &fail.cause_path)?,
        ))
    }

    /// AWS's `EvaluationFailed` event, when a JSONata expression of state
    /// `name` failed: recorded once, where the failure arises (a branch's
    /// failure passing up through its Parallel is not recorded again).
    fn evaluation_failed(
        &mut self,
        name: &str,
        failure: &mut Failure,
        at: i64,
    ) -> Result<(), Failed> {
        let Some(location) = failure.location.take() else {
            return Ok(());
        };
        let mut detail = Detail::named(name).with_failure(failure);
        detail.more_mut().location = Some(location);
        self.event(at, "EvaluationFailed", detail)
    }

    /// A Task, Parallel or Map: its attempts under its `Retry` and `Catch`.
    fn retrying(
        &mut self,
        name: &str,
        state: &impl WithResult,
        input: Payload,
        now: i64,
        attempt: impl FnMut(&mut Self, Payload, i64) -> Result<(Payload, i64), Failed>,
    ) -> Result<(Payload, Next, i64), Failed> {
        let (retry, catch, next, language) = state.handling();
        let jsonata = self.jsonata(language);
        self.with_retries(name, jsonata, retry, catch, next, input, now, attempt)
    }

    /// Runs one attempt after another under `Retry`, then `Catch`.
    #[allow(clippy::too_many_arguments)]
    fn with_retries(
        &mut self,
        name: &str,
        jsonata: bool,
        retriers: &[Retrier],
        catchers: &[Catcher],
        next: &Option<String>,
        input: Payload,
        mut now: i64,
        mut attempt: impl FnMut(&mut Self, Payload, i64) -> Result<(Payload, i64), Failed>,
    ) -> Result<(Payload, Next, i64), Failed> {
        let mut counts = vec![0u64; retriers.len()];
        let mut retries = 0;
        loop {
            self.pending = None;
            let (mut failure, at) = match attempt(self, input.clone(), now) {
                Ok((output, at)) => {
                    // What the states inside a Map iteration assigned is
                    // not what the Map assigned.
                    self.assigned = None;
                    let assigned = self.pending.take();
                    self.assign(assigned).map_err(|f| (f, at))?;
                    return Ok((output, next_of(next), at));
                }
                Err(failed) => failed,
            };
            now = at;
            self.evaluation_failed(name, &mut failure, now)?;
            if self.timed_out {
                return Err((failure, now));
            }
            let retrier = retriers
                .iter()
                .position(|r| matches(&r.error_equals, &failure.error));
            if let Some(i) = retrier {
                let r = &retriers[i];
                if counts[i] < r.max_attempts.unwrap_or(3) {
                    let delay = self.delay(r, counts[i]);
                    counts[i] += 1;
                    retries += 1;
                    self.event(now, "StateRetryScheduled", {
                        // Which retrier: coverage reports the unused ones.
                        let mut d = Detail::named(name).with_index(i).with_failure(&failure);
                        d.more_mut().wait_seconds = Some(delay as f64 / 1000.0);
                        d
                    })?;
                    now += delay;
                    self.pace(now);
                    self.set_state_context(name, now, retries);
                    continue;
                }
            }
            let Some(catcher) = catchers
                .iter()
                .find(|c| matches(&c.error_equals, &failure.error))
            else {
                return Err((failure, now));
            };
            self.assigned = None;
            self.event(
                now,
                "StateCaught",
                Detail {
                    output: Some(Arc::new(Value::String(catcher.next.clone()))),
                    ..Detail::named(name).with_failure(&failure)
                },
            )?;
            let error_output = failure.to_json();
            let fail = |f: Failure| (f, now);
            // A catcher's Assign, not the state's, is evaluated; it assigns
            // in the scope the state is in (AWS: "Passing data between
            // states with variables").
            let (output, assigned) = if jsonata {
                let error_output = Arc::new(error_output);
                let mut scope = self.scope(name, &input);
                scope.error_output = Some(&error_output);
                scope
                    .output_and_assign(&catcher.output, &catcher.assign, &error_output)
                    .map_err(fail)?
            } else {
                let assigned = match &catcher.assign {
                    Some(a) => Some(self.path_assignments(a, &error_output).map_err(fail)?),
                    None => None,
                };
                let path = catcher.result_path.clone().or(Some(Some("$".into())));
                (
                    place(&path, input, Arc::new(error_output)).map_err(fail)?,
                    assigned,
                )
            };
            self.assign(assigned).map_err(fail)?;
            return Ok((output, Next::State(catcher.next.clone()), now));
        }
    }

    /// AWS's retry arithmetic: IntervalSeconds × BackoffRate^n, capped by
    /// MaxDelaySeconds, and with FULL jitter a random part of that.
    fn delay(&mut self, r: &Retrier, n: u64) -> i64 {
        let interval = r.interval_seconds.unwrap_or(1) as f64;
        let rate = r
            .backoff_rate
            .as_ref()
            .and_then(serde_json::Number::as_f64)
            .unwrap_or(2.0);
        let mut seconds = interval * rate.powi(n.min(i32::MAX as u64) as i32);
        if let Some(cap) = r.max_delay_seconds {
            seconds = seconds.min(cap as f64);
        }
        if r.jitter_strategy == Some(crate::asl::JitterStrategy::Full) {
            seconds *= self.rng.unit();
        }
        (seconds.min(1e12) * 1000.0).round() as i64
    }

    fn task(
        &mut self,
        name: &str,
        task: &Task,
        input: Payload,
        now: i64,
    ) -> Result<(Payload, i64), Failed> {
        let at = |f: Failure| (f, now);
        let jsonata = self.jsonata(task.query_language);
        let millis = |s: u64| (s.min(i64::MAX as u64 / 1000) as i64) * 1000;
        let (arguments, timeout, heartbeat) = if jsonata {
            let scope = self.scope(name, &input);
            let arguments = match &task.arguments {
                Some(a) => Arc::new(scope.value(a, "Arguments").map_err(at)?),
                None => input.clone(),
            };
            let seconds = |setting: &Option<Setting<u64>>, field: &str| match setting {
                Some(Setting::Fixed(s)) => Ok(Some(millis(*s))),
                Some(Setting::Expression(e)) => scope
                    .typed(&Value::String(e.clone()), field, query::count(1))
                    .map(|s| Some(millis(s))),
                None => Ok(None),
            };
            let timeout = seconds(&task.timeout_seconds, "TimeoutSeconds").map_err(at)?;
            let heartbeat = seconds(&task.heartbeat_seconds, "HeartbeatSeconds").map_err(at)?;
            (arguments, timeout, heartbeat)
        } else {
            let env = Env::new(&self.context, &self.vars);
            let effective = filter(&task.input_path, input.clone(), &env).map_err(at)?;
            let arguments = match &task.parameters {
                Some(p) => Arc::new(template(p, &effective, &env, &mut self.rng).map_err(at)?),
                None => effective.clone(),
            };
            let path_seconds = |path: &Option<String>| -> Result<Option<i64>, Failure> {
                match path {
                    Some(p) => Ok(data::read(p, &effective, &env)?.as_u64().map(millis)),
                    None => Ok(None),
                }
            };
            let timeout = match task.timeout_seconds.as_ref().and_then(Setting::fixed) {
                Some(s) => Some(millis(*s)),
                None => path_seconds(&task.timeout_seconds_path).map_err(at)?,
            };
            let heartbeat = match task.heartbeat_seconds.as_ref().and_then(Setting::fixed) {
                Some(s) => Some(millis(*s)),
                None => path_seconds(&task.heartbeat_seconds_path).map_err(at)?,
            };
            (arguments, timeout, heartbeat)
        };
        within_limit(&arguments, "task input", self.limits.max_payload).map_err(at)?;
        self.event(now, "TaskScheduled", {
            let mut d = Detail {
                input: Some(arguments.clone()),
                ..Detail::named(name)
            };
            d.more_mut().resource = Some(task.resource.clone());
            d
        })?;
        let Outcome {
            result,
            millis,
            source,
        } = self.tasks.call(name, &task.resource, &arguments);
        let end = now + millis.max(0);
        // Nothing in a dry run sends heartbeats: a task that outlasts its
        // heartbeat interval (and ends before its timeout) misses one.
        let expired = match (heartbeat, timeout) {
            (Some(beat), t) if millis > beat && t.is_none_or(|t| beat < t) => Some((
                beat,
                Failure::new(
                    failure::HEARTBEAT,
                    format!("no heartbeat within {} seconds", beat / 1000),
                ),
            )),
            (_, Some(limit)) if millis > limit => Some((
                limit,
                Failure::new(
                    failure::TIMEOUT,
                    format!("the task ran longer than {} seconds", limit / 1000),
                ),
            )),
            _ => None,
        };
        if let Some((after, failure)) = expired {
            self.event(
                now + after,
                "TaskTimedOut",
                Detail::named(name).with_failure(&failure),
            )?;
            return Err((failure, now + after));
        }
        let raw = match result {
            Ok(raw) => Arc::new(raw),
            Err(failure) => {
                self.event(
                    end,
                    "TaskFailed",
                    Detail::named(name)
                        .with_failure(&failure)
                        .with_source(source),
                )?;
                return Err((failure, end));
            }
        };
        self.event(
            end,
            "TaskSucceeded",
            Detail {
                output: Some(raw.clone()),
                ..Detail::named(name)
            }
            .with_source(source),
        )?;
        let at_end = |f: Failure| (f, end);
        within_limit(&raw, "task result", self.limits.max_payload).map_err(at_end)?;
        let output = self
            .result_to_output(name, jsonata, Outputs::of(task), input, raw)
            .map_err(at_end)?;
        Ok((output, end))
    }

    fn nested(&mut self, now: i64) -> Result<(), Failed> {
        if self.depth >= self.limits.max_depth {
            return Err((
                Failure::runtime(format!(
                    "Parallel and Map states are nested more than {} deep",
                    self.limits.max_depth
                )),
                now,
            ));
        }
        Ok(())
    }

    fn parallel(
        &mut self,
        name: &str,
        state: &Parallel,
        input: Payload,
        now: i64,
    ) -> Result<(Payload, i64), Failed> {
        self.nested(now)?;
        let at = |f: Failure| (f, now);
        let jsonata = self.jsonata(state.query_language);
        let branch_input = if jsonata {
            match &state.arguments {
                Some(a) => Arc::new(self.scope(name, &input).value(a, "Arguments").map_err(at)?),
                None => input.clone(),
            }
        } else {
            let env = Env::new(&self.context, &self.vars);
            let effective = filter(&state.input_path, input.clone(), &env).map_err(at)?;
            match &state.parameters {
                Some(p) => Arc::new(template(p, &effective, &env, &mut self.rng).map_err(at)?),
                None => effective,
            }
        };
        self.event(now, "ParallelStateStarted", Detail::default())?;
        let mut forks: Vec<Engine<'t>> = state.branches.iter().map(|_| self.fork()).collect();
        let jobs = forks.iter_mut().zip(&state.branches);
        let runs: Vec<Result<(Payload, i64), Failed>> = if self.real.is_some() {
            // Really side by side: each branch on a thread of its own.
            std::thread::scope(|scope| {
                let handles: Vec<_> = jobs
                    .map(|(fork, branch)| {
                        let input = branch_input.clone();
                        scope.spawn(move || {
                            fork.run_states(&branch.states, &branch.start_at, input, now)
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| joined(h.join(), now)).collect()
            })
        } else {
            jobs.map(|(fork, branch)| {
                fork.run_states(&branch.states, &branch.start_at, branch_input.clone(), now)
            })
            .collect()
        };
        let mut gathered = Gathered::new(now);
        for (fork, run) in forks.into_iter().zip(runs) {
            self.history.extend(fork.history);
            self.timed_out |= fork.timed_out;
            gathered.add(run);
        }
        let Gathered {
            outputs,
            end,
            first_failure,
        } = gathered;
        self.settle(
            first_failure,
            end,
            "ParallelStateFailed",
            "ParallelStateSucceeded",
        )?;
        self.finish(name, jsonata, Outputs::of(state), input, outputs, end)
    }

    fn map(
        &mut self,
        name: &str,
        state: &Map,
        input: Payload,
        now: i64,
    ) -> Result<(Payload, i64), Failed> {
        self.nested(now)?;
        let at = |f: Failure| (f, now);
        let Some(processor) = state.item_processor.as_ref().or(state.iterator.as_ref()) else {
            return Err(at(Failure::runtime("a Map without a processor")));
        };
        if processor
            .processor_config
            .as_ref()
            .is_some_and(|c| c.mode == "DISTRIBUTED")
        {
            return self.distributed_map(name, state, processor, input, now);
        }
        let jsonata = self.jsonata(state.query_language);
        let effective = self.map_input(state, jsonata, &input).map_err(at)?;
        let items = self
            .state_items(name, state, jsonata, &effective)
            .map_err(at)?;
        let concurrency = self
            .setting(
                name,
                jsonata,
                &effective,
                &state.max_concurrency,
                &state.max_concurrency_path,
                "MaxConcurrency",
            )
            .map_err(at)?
            .unwrap_or(0) as usize;
        if items.len() > self.limits.max_map_items {
            return Err(at(Failure::runtime(format!(
                "the Map has {} items; the limit is {}",
                items.len(),
                self.limits.max_map_items
            ))));
        }
        let selector = Selector::of(state, jsonata, name);
        self.event(
            now,
            "MapStateStarted",
            Detail::default().with_index(items.len()),
        )?;
        if self.real.is_some() {
            let inputs = items
                .into_iter()
                .enumerate()
                .map(|(index, item)| self.iteration_input(&selector, &effective, index, item, now))
                .collect::<Result<Vec<_>, _>>()?;
            let (outputs, end) = self.map_on_threads(processor, inputs, concurrency, now)?;
            return self.finish(name, jsonata, Outputs::of(state), input, outputs, end);
        }
        // Free times of the concurrency slots (all free at the start).
        let mut slots: BinaryHeap<Reverse<i64>> = BinaryHeap::new();
        let mut outputs = Vec::with_capacity(items.len());
        let mut end = now;
        let mut first_failure: Option<Failed> = None;
        self.depth += 1;
        for (index, item) in items.into_iter().enumerate() {
            let start = if concurrency == 0 || slots.len() < concurrency {
                now
            } else {
                slots.pop().map_or(now, |Reverse(t)| t.max(now))
            };
            let iteration_input =
                self.iteration_input(&selector, &effective, index, item, start)?;
            self.event(
                start,
                "MapIterationStarted",
                Detail::default().with_index(index),
            )?;
            let saved = self.context.get("State").cloned();
            // The iteration's own scope, dropped when it ends.
            let scope = self.vars.inner();
            let outer = std::mem::replace(&mut self.vars, scope);
            let run = self.run_states(
                &processor.states,
                &processor.start_at,
                iteration_input,
                start,
            );
            self.vars = outer;
            if let (Some(saved), Value::Object(ctx)) = (saved, &mut self.context) {
                ctx.insert("State".into(), saved);
            }
            match run {
                Ok((output, at)) => {
                    self.event(
                        at,
                        "MapIterationSucceeded",
                        Detail::default().with_index(index),
                    )?;
                    slots.push(Reverse(at));
                    end = end.max(at);
                    outputs.push(output);
                }
                Err((f, at)) => {
                    self.event(
                        at,
                        "MapIterationFailed",
                        Detail::failed(&f).with_index(index),
                    )?;
                    if first_failure.as_ref().is_none_or(|(_, t)| at < *t) {
                        first_failure = Some((f, at));
                    }
                    // An inline Map fails at its first failed iteration.
                    break;
                }
            }
        }
        self.depth -= 1;
        self.settle(first_failure, end, "MapStateFailed", "MapStateSucceeded")?;
        self.finish(name, jsonata, Outputs::of(state), input, outputs, end)
    }

    /// Ends a Parallel or Map: its failed event and the first failure, or
    /// its succeeded event.
    fn settle(
        &mut self,
        first_failure: Option<Failed>,
        end: i64,
        failed: &'static str,
        succeeded: &'static str,
    ) -> Result<(), Failed> {
        if let Some((failure, at)) = first_failure {
            self.event(at, failed, Detail::failed(&failure))?;
            return Err((failure, at));
        }
        self.event(end, succeeded, Detail::default())
    }

    /// An iteration's input: the item, or the ItemSelector evaluated with
    /// `$$.Map.Item` (JSONata: `$states.context.Map.Item`) set.
    fn iteration_input(
        &mut self,
        selector: &Option<Selector>,
        effective: &Value,
        index: usize,
        item: Value,
        at: i64,
    ) -> Result<Payload, Failed> {
        let Some(selector) = selector else {
            return Ok(Arc::new(item));
        };
        if let Value::Object(ctx) = &mut self.context {
            ctx.insert(
                "Map".into(),
                json!({ "Item": { "Index": index, "Value": item } }),
            );
        }
        let built = if selector.jsonata {
            self.scope(selector.state, effective)
                .value(selector.template, "ItemSelector")
        } else {
            template(
                selector.template,
                effective,
                &Env::new(&self.context, &self.vars),
                &mut self.rng,
            )
        };
        if let Value::Object(ctx) = &mut self.context {
            ctx.remove("Map");
        }
        built.map(Arc::new).map_err(|f| (f, at))
    }

    /// `--real-time` iterations: `concurrency` threads (all items at once
    /// for 0, at most `MAX_THREADS`) take items in order; the first failure
    /// stops new iterations. Histories join in item order.
    fn map_on_threads(
        &mut self,
        processor: &crate::asl::SubMachine,
        inputs: Vec<Payload>,
        concurrency: usize,
        now: i64,
    ) -> Result<(Vec<Payload>, i64), Failed> {
        const MAX_THREADS: usize = 64;
        let count = inputs.len();
        let workers = match concurrency {
            0 => count,
            n => n.min(count),
        }
        .clamp(1, MAX_THREADS);
        let clock = self.real.unwrap_or(RealClock {
            origin: Instant::now(),
            start: now,
        });
        let pending: Mutex<std::vec::IntoIter<(usize, Payload)>> = Mutex::new(
            inputs
                .into_iter()
                .enumerate()
                .collect::<Vec<_>>()
                .into_iter(),
        );
        let stop = AtomicBool::new(false);
        type Done = (usize, Vec<Event>, Result<(Payload, i64), Failed>);
        let done: Mutex<Vec<Done>> = Mutex::new(Vec::with_capacity(count));
        let mut forks: Vec<Engine<'t>> = (0..workers).map(|_| self.fork()).collect();
        let fresh = self.vars.inner();
        std::thread::scope(|scope| {
            for fork in &mut forks {
                let (pending, stop, done, fresh) = (&pending, &stop, &done, &fresh);
                scope.spawn(move || {
                    loop {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let next = pending.lock().map(|mut p| p.next()).unwrap_or(None);
                        let Some((index, input)) = next else {
                            break;
                        };
                        let start = clock.start + clock.origin.elapsed().as_millis() as i64;
                        // Each iteration starts from a scope of its own.
                        fork.vars = fresh.clone();
                        let index_detail = || Detail::default().with_index(index);
                        let mut run = fork
                            .event(start, "MapIterationStarted", index_detail())
                            .and_then(|()| {
                                fork.run_states(
                                    &processor.states,
                                    &processor.start_at,
                                    input,
                                    start,
                                )
                            });
                        let recorded = match &run {
                            Ok((_, at)) => fork.event(*at, "MapIterationSucceeded", index_detail()),
                            Err((f, at)) => {
                                stop.store(true, Ordering::Relaxed);
                                fork.event(
                                    *at,
                                    "MapIterationFailed",
                                    index_detail().with_failure(f),
                                )
                            }
                        };
                        if let (Err(e), Ok(_)) = (recorded, &run) {
                            run = Err(e);
                        }
                        let history = std::mem::take(&mut fork.history);
                        if let Ok(mut done) = done.lock() {
                            done.push((index, history, run));
                        }
                    }
                });
            }
        });
        let mut done = done
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        done.sort_by_key(|(index, ..)| *index);
        let mut gathered = Gathered::new(now);
        for (_, history, run) in done {
            self.history.extend(history);
            gathered.add(run);
        }
        let Gathered {
            outputs,
            end,
            first_failure,
        } = gathered;
        self.timed_out |= forks.iter().any(|f| f.timed_out);
        if let Some((failure, at)) = first_failure {
            self.event(at, "MapStateFailed", Detail::failed(&failure))?;
            return Err((failure, at));
        }
        if outputs.len() < count {
            return Err((
                Failure::runtime("the Map's iterations stopped unexpectedly"),
                end,
            ));
        }
        self.event(end, "MapStateSucceeded", Detail::default())?;
        Ok((outputs, end))
    }

    /// A Parallel's or Map's result array, turned into the state output.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &mut self,
        name: &str,
        jsonata: bool,
        fields: Outputs,
        input: Payload,
        outputs: Vec<Payload>,
        at: i64,
    ) -> Result<(Payload, i64), Failed> {
        // The outputs are copied into one array only when something reads
        // it: `ResultPath: null` with no selector drops it unseen.
        let dropped = !jsonata
            && fields.selector.is_none()
            && fields.assign.is_none()
            && *fields.result_path == Some(None);
        let result = if dropped {
            Arc::new(Value::Null)
        } else {
            Arc::new(Value::Array(
                outputs.into_iter().map(Arc::unwrap_or_clone).collect(),
            ))
        };
        self.result_to_output(name, jsonata, fields, input, result)
            .map(|output| (output, at))
            .map_err(|f| (f, at))
    }

    /// A Task's, Parallel's or Map's result, turned into the state output:
    /// in JSONata by `Output` (default: the result), in JSONPath by
    /// ResultSelector, ResultPath and OutputPath. `Assign` is computed
    /// alongside, from the same result, and assigned once the state
    /// succeeds.
    fn result_to_output(
        &mut self,
        name: &str,
        jsonata: bool,
        fields: Outputs,
        input: Payload,
        result: Payload,
    ) -> Result<Payload, Failure> {
        let (output, assigned) = if jsonata {
            let mut scope = self.scope(name, &input);
            scope.result = Some(&result);
            scope.output_and_assign(fields.output, fields.assign, &result)?
        } else {
            let assigned = match fields.assign {
                Some(a) => Some(self.path_assignments(a, &result)?),
                None => None,
            };
            let env = Env::new(&self.context, &self.vars);
            let selected = match fields.selector {
                Some(s) => Arc::new(template(s, &result, &env, &mut self.rng)?),
                None => result,
            };
            let placed = place(fields.result_path, input, selected)?;
            (filter(fields.output_path, placed, &env)?, assigned)
        };
        within_limit(&output, "state output", self.limits.max_payload)?;
        self.pending = assigned;
        Ok(output)
    }
}

/// The fields that turn a result into a state's output.
struct Outputs<'a> {
    selector: &'a Option<Value>,
    result_path: &'a Option<Option<String>>,
    output_path: &'a Option<Option<String>>,
    output: &'a Option<Value>,
    assign: &'a Option<Value>,
}

/// The states with a result: Task, Parallel and Map.
trait WithResult {
    fn outputs(&self) -> Outputs<'_>;
    /// `Retry`, `Catch`, `Next` and `QueryLanguage`.
    fn handling(&self) -> Handling<'_>;
}

type Handling<'a> = (
    &'a [Retrier],
    &'a [Catcher],
    &'a Option<String>,
    Option<QueryLanguage>,
);

macro_rules! with_result {
    ($($kind:ty),*) => {$(
        impl WithResult for $kind {
            fn outputs(&self) -> Outputs<'_> {
                Outputs {
                    selector: &self.result_selector,
                    result_path: &self.result_path,
                    output_path: &self.output_path,
                    output: &self.output,
                    assign: &self.assign,
                }
            }

            fn handling(&self) -> Handling<'_> {
                (&self.retry, &self.catch, &self.next, self.query_language)
            }
        }
    )*};
}

with_result!(Task, Parallel, Map);

impl<'a> Outputs<'a> {
    fn of(state: &'a impl WithResult) -> Self {
        state.outputs()
    }
}

/// A Map's ItemSelector (or Parameters), and how to evaluate it.
struct Selector<'a> {
    template: &'a Value,
    jsonata: bool,
    state: &'a str,
}

impl<'a> Selector<'a> {
    fn of(map: &'a Map, jsonata: bool, state: &'a str) -> Option<Self> {
        map.item_selector
            .as_ref()
            .or(map.parameters.as_ref())
            .map(|template| Selector {
                template,
                jsonata,
                state,
            })
    }
}

fn next_of(next: &Option<String>) -> Next {
    match next {
        Some(n) => Next::State(n.clone()),
        None => Next::End,
    }
}

fn type_name(state: &State) -> &'static str {
    match state {
        State::Task(_) => "Task",
        State::Pass(_) => "Pass",
        State::Choice(_) => "Choice",
        State::Wait(_) => "Wait",
        State::Succeed(_) => "Succeed",
        State::Fail(_) => "Fail",
        State::Parallel(_) => "Parallel",
        State::Map(_) => "Map",
    }
}

fn entered(kind: &str) -> &'static str {
    match kind {
        "Task" => "TaskStateEntered",
        "Pass" => "PassStateEntered",
        "Choice" => "ChoiceStateEntered",
        "Wait" => "WaitStateEntered",
        "Succeed" => "SucceedStateEntered",
        "Parallel" => "ParallelStateEntered",
        "Map" => "MapStateEntered",
        _ => "FailStateEntered",
    }
}

fn exited(kind: &str) -> &'static str {
    match kind {
        "Task" => "TaskStateExited",
        "Pass" => "PassStateExited",
        "Choice" => "ChoiceStateExited",
        "Wait" => "WaitStateExited",
        "Succeed" => "SucceedStateExited",
        "Parallel" => "ParallelStateExited",
        _ => "MapStateExited",
    }
}

fn with_input(name: &str, input: &Payload) -> Detail {
    Detail {
        input: Some(input.clone()),
        ..Detail::named(name)
    }
}

fn with_output(name: &str, output: &Payload) -> Detail {
    Detail {
        output: Some(output.clone()),
        ..Detail::named(name)
    }
}

/// The context object's fixed part: the execution and its state machine.
pub fn base_context(input: &Value, machine_name: &str, execution_name: &str, start: i64) -> Value {
    let machine_arn = format!("arn:aws:states:us-east-1:123456789012:stateMachine:{machine_name}");
    let mut ctx = JsonMap::new();
    ctx.insert(
        "Execution".into(),
        json!({
            "Id": format!("arn:aws:states:us-east-1:123456789012:execution:{machine_name}:{execution_name}"),
            "Input": input,
            "Name": execution_name,
            "RoleArn": "arn:aws:iam::123456789012:role/nagare-dry-run",
            "StartTime": format_millis(start),
            "RedriveCount": 0,
        }),
    );
    ctx.insert(
        "StateMachine".into(),
        json!({ "Id": machine_arn, "Name": machine_name }),
    );
    Value::Object(ctx)
}
