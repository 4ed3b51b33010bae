//! `nagare start`: start an execution on Step Functions; with `--wait`,
//! follow it and print its history as `nagare run` prints a local one.

use std::time::Duration;

use super::run_cmd::{read_input, timeline};
use super::{Output, RunFormat, exit, print_out};
use crate::aws::execution::{start, wait};
use crate::aws::{AwsArgs, Session, deploy};
use crate::diagnostics::aws::AwsDiag;
use crate::diagnostics::render::spanless;
use crate::interp::Status;

/// What `nagare start` was asked for.
#[derive(Debug, clap::Args)]
pub struct StartArgs {
    /// The state machine: its name in the account and region, or its ARN
    /// (a version or alias ARN too).
    #[arg(value_name = "NAME|ARN")]
    pub machine: String,
    /// The execution input: a file, `-` for standard input, or JSON text.
    #[arg(long, value_name = "FILE|-|JSON")]
    pub input: Option<String>,
    /// The execution's name (default: one AWS picks).
    #[arg(long = "execution-name", value_name = "NAME")]
    pub execution_name: Option<String>,
    /// Follow the execution to its end and print its timeline; exit 0 only
    /// if it succeeded.
    #[arg(long)]
    pub wait: bool,
    /// With --wait: a readable timeline, or one JSON document with the
    /// history (the shape of `nagare run --format json`).
    #[arg(long, value_enum, default_value_t = RunFormat::Human, requires = "wait")]
    pub format: RunFormat,
    /// With --wait: stop following after this many seconds (the execution
    /// goes on).
    #[arg(long, value_name = "SECONDS", requires = "wait")]
    pub timeout: Option<u64>,
    /// With --wait: the longest pause between two DescribeExecution calls.
    #[arg(long, value_name = "SECONDS", default_value_t = 5, requires = "wait")]
    pub poll: u64,
    #[command(flatten)]
    pub aws: AwsArgs,
}

pub fn run(args: &StartArgs, output: Output) -> u8 {
    let input = match read_input(args.input.as_deref()) {
        Ok(v) => v,
        Err(message) => {
            eprintln!("error: {message}");
            return exit::USAGE_OR_IO;
        }
    };
    match follow(args, &input, output) {
        Ok(code) => code,
        Err(diag) => {
            eprint!("{}", spanless(diag, output.color));
            exit::USAGE_OR_IO
        }
    }
}

fn follow(args: &StartArgs, input: &serde_json::Value, output: Output) -> Result<u8, AwsDiag> {
    let session = Session::connect(&args.aws)?;
    let machine_arn = if args.machine.starts_with("arn:") {
        args.machine.clone()
    } else {
        deploy::find(&session, &args.machine)?
            .map(|d| d.arn)
            .ok_or_else(|| AwsDiag::NotFound {
                what: format!("state machine `{}`", args.machine),
                message: format!("no state machine of that name in {}", session.region()),
            })?
    };
    // AWS names an unnamed execution with a UUID; naming it here does the
    // same and keeps emulators that forget to from naming every run alike.
    let name = args.execution_name.clone().unwrap_or_else(|| {
        uuid::Builder::from_random_bytes(rand::random())
            .into_uuid()
            .to_string()
    });
    let started = start(&session, &machine_arn, input, Some(&name))?;
    if !args.wait {
        return Ok(match print_out(&format!("{}\n", started.execution_arn)) {
            Ok(()) => exit::CLEAN,
            Err(()) => exit::USAGE_OR_IO,
        });
    }
    eprintln!("started {}", started.execution_arn);
    let execution = wait(
        &session,
        &started,
        Duration::from_secs(args.poll.max(1)),
        args.timeout.map(Duration::from_secs),
    )?;
    let text = if args.format == RunFormat::Json {
        serde_json::to_string_pretty(&execution).unwrap_or_default() + "\n"
    } else {
        timeline(&execution, started.start, output.stdout_color, true)
    };
    if print_out(&text).is_err() {
        return Ok(exit::USAGE_OR_IO);
    }
    Ok(match execution.status {
        Status::Succeeded => exit::CLEAN,
        _ => exit::PROBLEMS,
    })
}
