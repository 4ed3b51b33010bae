//! The `nagare` command line: argument parsing and dispatch. Each command is
//! a file; they share `input` (reading files) and `Output` (colour, streams).

mod check_cmd;
mod compile_cmd;
#[cfg(feature = "aws")]
mod deploy_cmd;
mod fmt_cmd;
mod graph_cmd;
mod input;
mod policy_cmd;
mod run_cmd;
#[cfg(feature = "aws")]
mod start_cmd;
mod test_cmd;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostics::render::Format;
use crate::graph::render::GraphFormat;

/// Exit codes: what a script or CI job can rely on.
pub mod exit {
    /// No errors (and no warnings under `--deny-warnings`).
    pub const CLEAN: u8 = 0;
    /// The input has errors.
    pub const PROBLEMS: u8 = 1;
    /// Bad usage, or a file could not be read.
    pub const USAGE_OR_IO: u8 = 2;
}

#[derive(Debug, Parser)]
#[command(
    name = "nagare",
    version,
    about = "Check, draw, compile and dry-run .flow workflows for AWS Step Functions",
    long_about = None,
)]
pub struct Cli {
    /// When to colour output: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check .flow files and ASL definitions (.json) and report every problem.
    Check {
        /// Files or directories (searched for *.flow and *.asl.json); `-` reads
        /// standard input (a definition when it starts with `{`).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Rewrite .flow files in the one canonical layout, comments kept.
    Fmt {
        /// Files or directories (searched for *.flow); `-` formats standard
        /// input to standard output; the current directory by default.
        #[arg(value_name = "FILE|DIR")]
        files: Vec<PathBuf>,
        /// Change nothing; list the files that would change and exit 1 if any.
        #[arg(long)]
        check: bool,
    },
    /// Serve the Language Server Protocol on stdin/stdout (for editors).
    Lsp,
    /// Compile a flow to Step Functions ASL JSON.
    Compile {
        /// A .flow file; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Write the definition here (atomically) instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Say how the stages were laid out, and where a stage had to wait
        /// for one it does not depend on.
        #[arg(long)]
        explain: bool,
    },
    /// Dry-run a flow or a definition locally: tasks answered by mocks or
    /// local programs, waits and retries on a simulated clock.
    Run {
        /// A .flow file or an ASL definition (.json).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The execution input: a file, `-` for standard input, or JSON text.
        #[arg(long, value_name = "FILE|-|JSON")]
        input: Option<String>,
        /// An AWS Step Functions Local mock configuration file.
        #[arg(long, value_name = "FILE", requires = "test_case")]
        mock_config: Option<PathBuf>,
        /// The test case of the mock configuration to use.
        #[arg(long, value_name = "NAME")]
        test_case: Option<String>,
        /// Answer a Task state with a local program: its input as JSON on
        /// stdin, its result as JSON on stdout (repeatable).
        #[arg(long = "task", value_name = "STATE=COMMAND")]
        tasks: Vec<String>,
        /// A readable timeline, or one JSON document with the history.
        #[arg(long, value_enum, default_value_t = RunFormat::Human)]
        format: RunFormat,
        /// Stop after this many history events (AWS stops at 25,000).
        #[arg(long, value_name = "N", default_value_t = 25_000)]
        max_transitions: usize,
        /// Seed for jitter, States.UUID and States.MathRandom.
        #[arg(long, value_name = "N", default_value_t = 0)]
        seed: u64,
        /// Sleep through waits and retry delays, and run branches and Map
        /// iterations on threads, instead of simulating the clock.
        #[arg(long)]
        real_time: bool,
        /// A directory standing in for S3: a Distributed Map reads the
        /// object s3://bucket/key from DIR/bucket/key, and writes its
        /// ResultWriter files there.
        #[arg(long, value_name = "DIR")]
        s3_dir: Option<PathBuf>,
        /// Call AWS for real in these stages (or, for a definition, Task
        /// states); alone, in every Lambda and ECS task. Others stay mocked.
        #[cfg(feature = "aws")]
        #[arg(long, value_name = "STAGE,...", num_args = 0..=1, value_delimiter = ',')]
        live: Option<Vec<String>>,
        #[cfg(feature = "aws")]
        #[command(flatten)]
        aws: crate::aws::AwsArgs,
    },
    /// Deploy to AWS Step Functions: create the state machine, or update it
    /// when it changed (`--diff` shows what would change).
    #[cfg(feature = "aws")]
    Deploy(deploy_cmd::DeployArgs),
    /// Start an execution on AWS Step Functions; `--wait` follows it and
    /// prints its timeline like `nagare run`.
    #[cfg(feature = "aws")]
    Start(start_cmd::StartArgs),
    /// Run the `test` blocks of flows: each a fresh dry run with its mocks,
    /// its expectations checked. Exit 0 only when every test passes.
    Test {
        /// Files or directories (searched for *.flow); the current directory
        /// by default.
        #[arg(value_name = "FILE|DIR")]
        files: Vec<PathBuf>,
        /// Only the tests whose name contains TEXT.
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        /// One line per test, one JSON document, JUnit XML or GitHub annotations.
        #[arg(long, value_enum, default_value_t = test_cmd::TestFormat::Human)]
        format: test_cmd::TestFormat,
        /// Also list the stages, catch routes, retriers and `when` branches
        /// that no test exercised.
        #[arg(long)]
        coverage: bool,
    },
    /// Print the least-privilege IAM policy the state machine's execution
    /// role needs for the tasks it calls.
    Policy {
        /// A .flow file or an ASL definition (.json); `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Draw a flow's dependency graph.
    Graph {
        /// A .flow file; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Mermaid (GitHub renders it) or Graphviz DOT.
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
}

/// Writes to standard output. A reader that stops early (`nagare … | head`)
/// ends the output quietly; any other failure (a full disk) is reported, and
/// the command then exits with `USAGE_OR_IO`, never claiming success.
pub(crate) fn print_out(text: &str) -> Result<(), ()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    written(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// A write to standard output, judged: a closed pipe is a reader that
/// stopped early, anything else an error to report.
fn written(result: std::io::Result<()>) -> Result<(), ()> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            Err(())
        }
    }
}

/// Writes `value` as pretty JSON and a newline to standard output through
/// a buffer, without building the text first; a reader that stops early
/// ends it quietly, as in `print_out`.
pub(crate) fn write_json_out<T: serde::Serialize>(value: &T) -> Result<(), ()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    written(
        crate::pretty::to_writer(&mut out, value)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush()),
    )
}

/// How `nagare run` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    Human,
    Json,
}

/// What every command needs to know about where output goes.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Colour diagnostics on standard error.
    pub color: bool,
    /// Colour what goes to standard output (the `run` timeline).
    pub stdout_color: bool,
}

/// Runs the command line; the binary's `main` only calls this.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE_OR_IO
            } else {
                exit::CLEAN
            });
        }
    };
    // Parsing recurses; bounded nesting keeps it shallow, and a roomy stack
    // keeps even debug builds far from the limit.
    let worker = std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(move || run(cli));
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => ExitCode::from(exit::USAGE_OR_IO),
    }
}

fn run(cli: Cli) -> u8 {
    let wanted = |terminal: bool| match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let output = Output {
        color: wanted(std::io::stderr().is_terminal()),
        stdout_color: wanted(std::io::stdout().is_terminal()),
    };
    match cli.command {
        Command::Check {
            files,
            format,
            deny_warnings,
        } => check_cmd::run(&files, format, deny_warnings, output),
        Command::Graph { file, format } => graph_cmd::run(&file, format, output),
        Command::Fmt { files, check } => fmt_cmd::run(&files, check, output),
        Command::Lsp => match crate::lsp::serve() {
            Ok(()) => exit::CLEAN,
            Err(e) => {
                eprintln!("error: nagare lsp: {e}");
                exit::USAGE_OR_IO
            }
        },
        Command::Compile {
            file,
            output: out,
            explain,
        } => compile_cmd::run(&file, out.as_deref(), explain, output),
        Command::Policy { file } => policy_cmd::run(&file, output),
        Command::Test {
            files,
            filter,
            format,
            coverage,
        } => test_cmd::run(&files, filter.as_deref(), format, coverage, output),
        Command::Run {
            file,
            input,
            mock_config,
            test_case,
            tasks,
            format,
            max_transitions,
            seed,
            real_time,
            s3_dir,
            #[cfg(feature = "aws")]
            live,
            #[cfg(feature = "aws")]
            aws,
        } => run_cmd::run(
            &run_cmd::RunArgs {
                file,
                input,
                mock_config,
                test_case,
                tasks,
                json: format == RunFormat::Json,
                max_transitions,
                seed,
                real_time,
                s3_dir,
                #[cfg(feature = "aws")]
                live,
                #[cfg(feature = "aws")]
                aws,
            },
            output,
        ),
        #[cfg(feature = "aws")]
        Command::Deploy(args) => deploy_cmd::run(&args, output),
        #[cfg(feature = "aws")]
        Command::Start(args) => start_cmd::run(&args, output),
    }
}
