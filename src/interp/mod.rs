//! The interpreter: runs an ASL state machine (the compiler's output or a
//! hand-written definition) with Step Functions' semantics, on a simulated
//! clock, with tasks answered by mocks or local programs (`tasks`).
//!
//! `engine` runs states (`engine::distributed` the Distributed Map, with
//! `reader` and `s3` for its items and results); `data` is the JSONPath
//! data flow and `jsonata` JSONata states' fields; `vars` the variables;
//! `choice`, `intrinsics` and `time` evaluate what the definition
//! computes; `failure` holds the error names and AWS's rules for matching
//! them; `history` the events a run leaves.

mod choice;
mod data;
mod engine;
mod failure;
mod history;
mod intrinsics;
mod jsonata;
mod reader;
mod s3;
mod tasks;
mod time;
mod vars;

use serde::Serialize;
use serde_json::Value;

use crate::asl::StateMachine;
pub use engine::Limits;
pub use failure::{Failure, TASK_FAILED, TIMEOUT};
pub use history::{Detail, Event};
pub use tasks::{DryRun, Outcome, Response, Tasks};
pub use time::format_millis;

/// How an execution ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Succeeded,
    Failed,
    TimedOut,
    /// Stopped by StopExecution: seen only when following a run on AWS.
    Aborted,
}

/// A finished execution.
#[derive(Debug, Clone, Serialize)]
pub struct Execution {
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Simulated milliseconds from start to end.
    pub duration_ms: i64,
    /// Task states that no mock or program answered (they returned `{}`).
    pub unmocked: Vec<String>,
    pub history: Vec<Event>,
}

/// What a run needs besides the machine and its input.
#[derive(Debug, Clone)]
pub struct Options {
    pub machine_name: String,
    pub execution_name: String,
    /// Simulated start, in milliseconds since the Unix epoch.
    pub start: i64,
    /// Seeds jitter, `States.UUID` and `States.MathRandom` without a seed.
    pub seed: u64,
    pub limits: Limits,
    /// Sleep through waits and retry delays, and run branches and
    /// iterations on threads, instead of simulating the clock.
    pub real_time: bool,
    /// The directory that stands in for S3 (`--s3-dir`): a Distributed
    /// Map reads `s3://bucket/key` from `DIR/bucket/key` and writes its
    /// results there.
    pub s3_dir: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            machine_name: "machine".into(),
            execution_name: "dry-run".into(),
            // 2026-01-01T00:00:00Z: a fixed start makes runs repeatable.
            start: 1_767_225_600_000,
            seed: 0,
            limits: Limits::default(),
            real_time: false,
            s3_dir: None,
        }
    }
}

/// Runs `machine` on `input`.
pub fn run(
    machine: &StateMachine,
    input: Value,
    tasks: &dyn Tasks,
    options: &Options,
) -> Execution {
    let context = engine::base_context(
        &input,
        &options.machine_name,
        &options.execution_name,
        options.start,
    );
    let rng = intrinsics::Rng::seeded(options.seed);
    let recorded = std::sync::atomic::AtomicUsize::new(0);
    let mut engine = engine::Engine::new(tasks, rng, options.limits.clone(), &recorded, context);
    engine.real = options.real_time.then(|| engine::RealClock {
        origin: std::time::Instant::now(),
        start: options.start,
    });
    let text = crate::asl::write(machine);
    engine.uses_context = text.contains("$$") || text.contains("$states");
    engine.language = machine.query_language.unwrap_or_default();
    engine.s3 = options
        .s3_dir
        .as_ref()
        .map(|dir| std::sync::Arc::new(s3::LocalS3::new(dir)));
    engine.deadline = machine.timeout_seconds.map(|s| {
        options
            .start
            .saturating_add((s as i64).saturating_mul(1000))
    });
    let input = std::sync::Arc::new(input);
    let started = engine.event(
        options.start,
        "ExecutionStarted",
        Detail {
            input: Some(input.clone()),
            ..Detail::default()
        },
    );
    // AWS refuses to start an execution with an input over its payload limit.
    let result = started
        .and_then(|()| {
            data::within_limit(&input, "execution input", options.limits.max_payload)
                .map_err(|f| (f, options.start))
        })
        .and_then(|()| engine.run_states(&machine.states, &machine.start_at, input, options.start));
    let (status, output, failure, end) = match result {
        Ok((output, end)) => (Status::Succeeded, Some(output), None, end),
        Err((failure, end)) if engine.timed_out => (Status::TimedOut, None, Some(failure), end),
        Err((failure, end)) => (Status::Failed, None, Some(failure), end),
    };
    let (kind, details) = match (&status, &failure) {
        (Status::Succeeded, _) => (
            "ExecutionSucceeded",
            Detail {
                output: output.clone(),
                ..Detail::default()
            },
        ),
        (_, f) => (
            if status == Status::TimedOut {
                "ExecutionTimedOut"
            } else {
                "ExecutionFailed"
            },
            f.as_ref().map(Detail::failed).unwrap_or_default(),
        ),
    };
    // The closing event is recorded even at the event limit.
    engine.limits.max_events = usize::MAX;
    let _ = engine.event(end, kind, details);
    for (i, event) in engine.history.iter_mut().enumerate() {
        event.id = i + 1;
    }
    Execution {
        status,
        output: output.map(std::sync::Arc::unwrap_or_clone),
        error: failure.as_ref().map(|f| f.error.clone()),
        cause: failure.map(|f| f.cause),
        duration_ms: end - options.start,
        unmocked: Vec::new(),
        history: engine.history,
    }
}

#[cfg(test)]
mod tests;
