//! `nagare check`: every problem in every file (flows and ASL definitions),
//! in the chosen format.

use std::path::PathBuf;

use serde::Serialize;

use super::input::{Loaded, is_definition, load_all};
use super::{Output, exit, print_out};
use crate::asl::validate::problems;
use crate::check::check_text;
use crate::diagnostics::Diag;
use crate::diagnostics::render::{self, Format, JsonFile};
use crate::source::Source;

/// The `--format json` document (docs/cli.md).
#[derive(Serialize)]
struct JsonReport {
    version: u32,
    files: Vec<JsonFile>,
    summary: Summary,
}

#[derive(Serialize, Default)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    unreadable: usize,
}

pub fn run(paths: &[PathBuf], format: Format, deny_warnings: bool, output: Output) -> u8 {
    let mut summary = Summary::default();
    let mut json_files = Vec::new();
    let mut written = Ok(());
    for loaded in load_all(paths) {
        let (source, diags) = match loaded {
            Loaded::Failed(message) => {
                eprintln!("error: {message}");
                summary.unreadable += 1;
                continue;
            }
            Loaded::Text(source, Some(encoding)) => (source, vec![encoding]),
            Loaded::Text(source, None) if is_definition(&source) => {
                let diags = problems(source.text());
                (source, diags)
            }
            Loaded::Text(source, None) => {
                let diags = check_text(source.text()).diags;
                (source, diags)
            }
        };
        summary.files += 1;
        summary.errors += diags.iter().filter(|d| d.is_error()).count();
        summary.warnings += diags.iter().filter(|d| !d.is_error()).count();
        match format {
            Format::Human => print_human(&diags, &source, output),
            Format::Github if written.is_ok() => {
                let lines: String = diags
                    .iter()
                    .map(|d| render::github(d, &source) + "\n")
                    .collect();
                written = print_out(&lines);
            }
            Format::Github => {}
            Format::Json => json_files.push(render::json(&diags, &source)),
        }
    }
    match format {
        Format::Json => {
            let report = JsonReport {
                version: 1,
                files: json_files,
                summary,
            };
            written = match serde_json::to_string_pretty(&report) {
                Ok(text) => print_out(&(text + "\n")),
                Err(e) => {
                    eprintln!("error: cannot write JSON: {e}");
                    Err(())
                }
            };
            if written.is_err() {
                return exit::USAGE_OR_IO;
            }
            return exit_code(&report.summary, deny_warnings);
        }
        Format::Human => eprintln!("{}", summary_line(&summary)),
        Format::Github if written.is_err() => return exit::USAGE_OR_IO,
        Format::Github => {}
    }
    exit_code(&summary, deny_warnings)
}

/// Past this many, a file's reports are summarised: nobody reads the
/// thousandth, and rendering each one rescans the file.
const HUMAN_LIMIT: usize = 200;

fn print_human(diags: &[Diag], source: &Source, output: Output) {
    for diag in diags.iter().take(HUMAN_LIMIT) {
        eprint!("{}", render::human(diag, source, output.color));
    }
    if diags.len() > HUMAN_LIMIT {
        eprintln!(
            "… and {} more problems in {} (`--format json` lists them all)",
            diags.len() - HUMAN_LIMIT,
            source.name()
        );
    }
}

fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!("checked {}: ", plural(s.files, "file"));
    line += &match (s.errors, s.warnings) {
        (0, 0) => "no problems".to_string(),
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    };
    if s.unreadable > 0 {
        line += &format!("; {} could not be read", plural(s.unreadable, "input"));
    }
    line
}

fn exit_code(s: &Summary, deny_warnings: bool) -> u8 {
    if s.unreadable > 0 {
        exit::USAGE_OR_IO
    } else if s.errors > 0 || (deny_warnings && s.warnings > 0) {
        exit::PROBLEMS
    } else {
        exit::CLEAN
    }
}
