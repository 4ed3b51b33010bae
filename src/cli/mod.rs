//! The `nagare` command line: argument parsing and dispatch. Each command is
//! a file; they share `input` (reading files) and `Output` (colour, streams).

mod check_cmd;
mod compile_cmd;
mod graph_cmd;
mod input;

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
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            Err(())
        }
    }
}

/// What every command needs to know about where output goes.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Colour diagnostics on standard error.
    pub color: bool,
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
    let output = Output {
        color: match cli.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stderr().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        },
    };
    match cli.command {
        Command::Check {
            files,
            format,
            deny_warnings,
        } => check_cmd::run(&files, format, deny_warnings, output),
        Command::Graph { file, format } => graph_cmd::run(&file, format, output),
        Command::Compile {
            file,
            output: out,
            explain,
        } => compile_cmd::run(&file, out.as_deref(), explain, output),
    }
}
