//! `nagare run`: a dry run of a flow or a definition, with tasks answered
//! by mocks or local programs, on a simulated clock.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::input::{check_loaded, is_definition, load_text};
use super::{Output, exit, print_out};
use crate::asl::StateMachine;
use crate::asl::lower::{Role, lower};
use crate::asl::validate::validate;
use crate::diagnostics::render;
use crate::interp::{self, DryRun, Event, Execution, Limits, Options, Status, format_millis};
use crate::syntax::ast::FlowItem;

/// What `nagare run` was asked for.
pub struct RunArgs {
    pub file: PathBuf,
    pub input: Option<String>,
    pub mock_config: Option<PathBuf>,
    pub test_case: Option<String>,
    pub tasks: Vec<String>,
    pub json: bool,
    pub max_transitions: usize,
    pub seed: u64,
    pub real_time: bool,
    pub s3_dir: Option<PathBuf>,
    /// `--live`: `None` runs nothing live; an empty list, every task that can.
    #[cfg(feature = "aws")]
    pub live: Option<Vec<String>>,
    #[cfg(feature = "aws")]
    pub aws: crate::aws::AwsArgs,
}

/// A machine ready to run, with what the output should call its results.
pub(super) struct Runnable {
    pub machine: StateMachine,
    pub name: String,
    pub renamed: Vec<(String, String)>,
    /// A flow's stages as (stage, the Task state that calls it).
    #[cfg_attr(not(feature = "aws"), allow(dead_code))]
    pub stages: Vec<(String, String)>,
    /// A flow's `schedule` as an EventBridge expression.
    #[cfg_attr(not(feature = "aws"), allow(dead_code))]
    pub schedule: Option<String>,
    /// Compiled from a flow (not a hand-written definition).
    #[cfg_attr(not(feature = "aws"), allow(dead_code))]
    pub from_flow: bool,
}

pub fn run(args: &RunArgs, output: Output) -> u8 {
    let runnable = match load_machine(&args.file, output) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let input = match read_input(args.input.as_deref()) {
        Ok(v) => v,
        Err(message) => return usage(&message),
    };
    let mut dry = DryRun::default();
    if let Some(path) = &args.mock_config {
        let Some(case) = &args.test_case else {
            return usage(
                "--mock-config needs --test-case NAME: the test case whose responses to use",
            );
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => return usage(&format!("cannot read {}: {e}", path.display())),
        };
        if let Err(message) = dry.load_mock_config(&text, case, &runnable.name) {
            return usage(&format!("{}: {message}", path.display()));
        }
    } else if args.test_case.is_some() {
        return usage("--test-case names a test case of a --mock-config file; give the file too");
    }
    for task in &args.tasks {
        let Some((state, command)) = task.split_once('=') else {
            return usage(&format!("--task takes STATE=COMMAND, not `{task}`"));
        };
        if !has_task(&runnable.machine.states, state) {
            return usage(&format!(
                "--task names `{state}`, which is not a Task state of the machine"
            ));
        }
        dry.program(state, command);
    }
    let options = Options {
        machine_name: runnable.name.clone(),
        seed: args.seed,
        real_time: args.real_time,
        s3_dir: args.s3_dir.clone(),
        limits: Limits {
            max_events: args.max_transitions,
            ..Limits::default()
        },
        ..Options::default()
    };
    #[cfg(feature = "aws")]
    let mut execution = match &args.live {
        None => interp::run(&runnable.machine, input, &dry, &options),
        Some(names) => match live_run(&runnable, names, &args.aws, &dry, input, &options) {
            Ok(execution) => execution,
            Err(diag) => {
                eprint!("{}", render::spanless(diag, output.color));
                return exit::USAGE_OR_IO;
            }
        },
    };
    #[cfg(not(feature = "aws"))]
    let mut execution = interp::run(&runnable.machine, input, &dry, &options);
    execution.unmocked = dry.unmocked();
    if let Some(out) = &mut execution.output {
        rename(out, &runnable.renamed);
    }
    let text = if args.json {
        // Streamed: a long history's JSON is larger than the history.
        if super::write_json_out(&execution).is_err() {
            return exit::USAGE_OR_IO;
        }
        String::new()
    } else {
        timeline(
            &execution,
            options.start,
            output.stdout_color,
            args.real_time,
        )
    };
    if print_out(&text).is_err() {
        return exit::USAGE_OR_IO;
    }
    let code = match execution.status {
        Status::Succeeded => exit::CLEAN,
        Status::Failed | Status::TimedOut | Status::Aborted => exit::PROBLEMS,
    };
    // The process ends next: freeing a long history value by value costs
    // time (2% of a long run) and gives nothing back.
    std::mem::forget(execution);
    std::mem::forget(text);
    code
}

fn usage(message: &str) -> u8 {
    eprintln!("error: {message}");
    exit::USAGE_OR_IO
}

/// A flow is checked and compiled; a definition (a `.json` file, or
/// standard input starting with `{`) is validated.
pub(super) fn load_machine(path: &Path, output: Output) -> Result<Runnable, u8> {
    let stem = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| n.split('.').next().unwrap_or(n).to_string())
        .unwrap_or_else(|| "machine".into());
    let source = load_text(path, output).map_err(|_| exit::USAGE_OR_IO)?;
    if is_definition(&source) {
        let validated = validate(source.text());
        for diag in &validated.diags {
            eprint!("{}", render::human(diag, &source, output.color));
        }
        return match validated.machine {
            Some(machine) => Ok(Runnable {
                machine,
                name: stem,
                renamed: Vec::new(),
                stages: Vec::new(),
                schedule: None,
                from_flow: false,
            }),
            None => {
                eprintln!("error: {} has errors; fix them to run it", source.name());
                Err(exit::USAGE_OR_IO)
            }
        };
    }
    let (source, checked) =
        check_loaded(source, output, "run it").map_err(|_| exit::USAGE_OR_IO)?;
    let (Some(flow), Some(graph)) = (checked.flow(), &checked.graph) else {
        return Err(exit::USAGE_OR_IO);
    };
    match lower(flow, graph) {
        Ok(lowered) => Ok(Runnable {
            machine: lowered.machine,
            name: flow.name.name.clone(),
            renamed: lowered.renamed,
            stages: lowered
                .states_of_stages
                .into_iter()
                .filter(|s| s.role == Role::Call)
                .map(|s| (s.stage, s.state))
                .collect(),
            schedule: flow.items.iter().find_map(|item| match item {
                FlowItem::Schedule(s) => Some(s.expression()),
                _ => None,
            }),
            from_flow: true,
        }),
        Err(diags) => {
            for diag in &diags {
                eprint!("{}", render::human(diag, &source, output.color));
            }
            Err(exit::USAGE_OR_IO)
        }
    }
}

/// A run whose chosen tasks call AWS. The names are checked, and the
/// credentials resolved, before the first state runs.
#[cfg(feature = "aws")]
fn live_run(
    runnable: &Runnable,
    names: &[String],
    aws: &crate::aws::AwsArgs,
    dry: &DryRun,
    input: Value,
    options: &Options,
) -> Result<Execution, crate::diagnostics::aws::AwsDiag> {
    use crate::aws::live::{LiveTasks, select};
    let mut tasks = Vec::new();
    task_states(&runnable.machine.states, &mut tasks);
    let resources: Vec<(String, String)> = tasks
        .iter()
        .map(|(n, r, _)| (n.clone(), r.clone()))
        .collect();
    let live = select(&resources, &runnable.stages, names)?;
    let session = crate::aws::Session::connect(aws)?;
    let live_tasks = LiveTasks {
        session: &session,
        live,
        fallback: dry,
        poll: std::time::Duration::from_secs(5),
        timeouts: tasks
            .into_iter()
            .filter_map(|(name, _, timeout)| Some((name, timeout?)))
            .collect(),
    };
    Ok(interp::run(&runnable.machine, input, &live_tasks, options))
}

/// Every Task state, nested ones included, as (name, resource, timeout).
#[cfg(feature = "aws")]
fn task_states(
    states: &indexmap::IndexMap<String, crate::asl::State>,
    out: &mut Vec<(String, String, Option<u64>)>,
) {
    use crate::asl::State;
    for (name, state) in states {
        match state {
            State::Task(t) => out.push((
                name.clone(),
                t.resource.clone(),
                t.timeout_seconds.as_ref().and_then(|s| s.fixed().copied()),
            )),
            State::Parallel(p) => p.branches.iter().for_each(|b| task_states(&b.states, out)),
            State::Map(m) => m
                .item_processor
                .iter()
                .chain(&m.iterator)
                .for_each(|p| task_states(&p.states, out)),
            _ => {}
        }
    }
}

/// `--input`: a file, `-` for standard input, or JSON text; `{}` if absent.
pub(super) fn read_input(arg: Option<&str>) -> Result<Value, String> {
    let Some(arg) = arg else {
        return Ok(Value::Object(Default::default()));
    };
    let (text, what) = if arg == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        (text, "standard input".to_string())
    } else if Path::new(arg).is_file() {
        let text = std::fs::read_to_string(arg).map_err(|e| format!("cannot read {arg}: {e}"))?;
        (text, arg.to_string())
    } else {
        (arg.to_string(), "--input".to_string())
    };
    serde_json::from_str(&text).map_err(|e| {
        format!("{what} is not JSON ({e}); --input takes a file, `-` or JSON text such as '{{\"date\": \"2026-11-25\"}}'")
    })
}

fn has_task(states: &indexmap::IndexMap<String, crate::asl::State>, name: &str) -> bool {
    use crate::asl::State;
    states.iter().any(|(n, s)| match s {
        State::Task(_) => n == name,
        State::Parallel(p) => p.branches.iter().any(|b| has_task(&b.states, name)),
        State::Map(m) => m
            .item_processor
            .iter()
            .chain(&m.iterator)
            .any(|p| has_task(&p.states, name)),
        _ => false,
    })
}

/// Results stored under keys (`lambda_example`) are shown under the stage
/// names the flow uses (`lambda-example`).
fn rename(output: &mut Value, renamed: &[(String, String)]) {
    if let Value::Object(map) = output {
        for (key, name) in renamed {
            if let Some(v) = map.shift_remove(key) {
                map.insert(name.clone(), v);
            }
        }
    }
}

/// The human timeline: one line per thing that happened, at its simulated
/// time, indented inside branches and iterations.
pub(super) fn timeline(execution: &Execution, start: i64, color: bool, real_time: bool) -> String {
    let clock_kind = if real_time { "real time" } else { "simulated" };
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let left = exit_times(&execution.history);
    let mut out = String::new();
    for (i, event) in execution.history.iter().enumerate() {
        let Some(mut line) = describe(event, &paint) else {
            continue;
        };
        // A state that took time says when it was left.
        if let Some(&at) = left.get(&i)
            && at > event.timestamp
        {
            line += &paint("2", &format!(", left at {}", clock(at - start)));
        }
        out += &format!(
            "{}  {}{line}\n",
            paint("2", &clock(event.timestamp - start)),
            "  ".repeat(event.depth)
        );
    }
    let took = clock(execution.duration_ms);
    let took = took.trim_start_matches('+');
    match execution.status {
        Status::Succeeded => {
            out += &format!("{} in {took} ({clock_kind})\n", paint("32;1", "SUCCEEDED"));
            if let Some(output) = &execution.output {
                let pretty = serde_json::to_string_pretty(output).unwrap_or_default();
                out += &format!("output: {pretty}\n");
            }
        }
        Status::Failed | Status::TimedOut | Status::Aborted => {
            let word = match execution.status {
                Status::Failed => "FAILED",
                Status::TimedOut => "TIMED OUT",
                _ => "ABORTED",
            };
            out += &format!(
                "{} in {took} ({clock_kind}): {}: {}\n",
                paint("31;1", word),
                execution.error.as_deref().unwrap_or_default(),
                execution.cause.as_deref().unwrap_or_default()
            );
        }
    }
    if !execution.unmocked.is_empty() {
        out += &format!(
            "note: no mock answered {}; they returned {{}} (use --mock-config or --task)\n",
            execution.unmocked.join(", ")
        );
    }
    out
}

/// For each `…StateEntered` event (by position), when its state was left.
fn exit_times(history: &[Event]) -> std::collections::HashMap<usize, i64> {
    let mut open: std::collections::HashMap<(usize, &str), Vec<usize>> = Default::default();
    let mut left = std::collections::HashMap::new();
    for (i, event) in history.iter().enumerate() {
        let name = event.details.name.as_deref().unwrap_or_default();
        if event.kind.ends_with("StateEntered") {
            open.entry((event.depth, name)).or_default().push(i);
        } else if event.kind.ends_with("StateExited")
            && let Some(entered) = open.get_mut(&(event.depth, name)).and_then(Vec::pop)
        {
            left.insert(entered, event.timestamp);
        }
    }
    left
}

fn describe(event: &Event, paint: &dyn Fn(&str, &str) -> String) -> Option<String> {
    let d = &event.details;
    let name = d.name.as_deref().unwrap_or_default();
    let failure = || {
        format!(
            "{}: {}",
            d.more().error.as_deref().unwrap_or_default(),
            d.more().cause.as_deref().unwrap_or_default()
        )
    };
    Some(match event.kind {
        "ExecutionStarted" => "started".to_string(),
        kind if kind.ends_with("StateEntered") => {
            format!(
                "{} {}",
                paint("1", name),
                paint("2", &format!("({})", kind.trim_end_matches("StateEntered")))
            )
        }
        "TaskScheduled" => format!(
            "  calls {}",
            d.more().resource.as_deref().unwrap_or_default()
        ),
        "TaskSucceeded" => format!(
            "  {} ({})",
            paint("32", "returned"),
            d.more().source.unwrap_or_default()
        ),
        "TaskFailed" | "TaskTimedOut" => format!("  {} {}", paint("31", "failed"), failure()),
        "EvaluationFailed" => format!(
            "  {} in {}",
            paint("31", "expression failed"),
            d.more().location.as_deref().unwrap_or_default()
        ),
        "StateRetryScheduled" => format!(
            "  retry in {}s after {}",
            d.more().wait_seconds.unwrap_or_default(),
            d.more().error.as_deref().unwrap_or_default()
        ),
        "StateCaught" => format!(
            "  caught {}, going to {}",
            d.more().error.as_deref().unwrap_or_default(),
            d.output
                .as_deref()
                .and_then(Value::as_str)
                .unwrap_or_default()
        ),
        "MapIterationStarted" => format!("iteration {}", d.index.unwrap_or_default()),
        "MapIterationFailed" => format!(
            "iteration {} {} {}",
            d.index.unwrap_or_default(),
            paint("31", "failed"),
            failure()
        ),
        "ParallelStateFailed" | "MapStateFailed" => {
            format!("{} {}", paint("31", "failed"), failure())
        }
        _ => return None,
    })
}

/// Simulated time since the start, `+H:MM:SS.mmm`.
fn clock(millis: i64) -> String {
    let stamp = format_millis(millis);
    let hours = millis / 3_600_000;
    format!("+{hours}:{}", &stamp[14..23])
}
