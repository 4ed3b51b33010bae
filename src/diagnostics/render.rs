//! Diagnostics as users see them: miette's graphical report for people,
//! a stable JSON shape for tools, and GitHub Actions annotations for CI.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, Report};
use serde::Serialize;

use super::Diag;
use crate::source::{Source, Span};

/// How `check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// miette's graphical handler as nagare configures it.
fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        // Wrapping would break help text inside `code spans` (at hyphens or
        // between `$$`); terminals wrap long lines themselves.
        .with_wrap_lines(false)
        .with_links(false)
}

/// Renders one diagnostic the way a terminal user sees it.
pub fn human(diag: &Diag, source: &Source, color: bool) -> String {
    let handler = handler(color);
    let report = Report::new(diag.clone()).with_source_code(source.clone());
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        // Rendering only fails on a formatter error; fall back to the message.
        out = format!("{}: {diag}\n", diag.code_str());
    }
    out
}

/// One file's diagnostics in the JSON shape documented in docs/cli.md.
#[derive(Debug, Serialize)]
pub struct JsonFile {
    pub file: String,
    pub diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub code: String,
    pub severity: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub span: JsonSpan,
    pub labels: Vec<JsonLabel>,
}

#[derive(Debug, Serialize)]
pub struct JsonLabel {
    pub message: Option<String>,
    pub span: JsonSpan,
}

/// Byte offsets plus 1-based line and column (in characters) of both ends.
#[derive(Debug, Serialize)]
pub struct JsonSpan {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl JsonSpan {
    fn new(source: &Source, start: usize, end: usize) -> Self {
        let (line, column) = source.line_col(start);
        let (end_line, end_column) = source.line_col(end);
        JsonSpan {
            start,
            end,
            line,
            column,
            end_line,
            end_column,
        }
    }
}

pub fn json(diags: &[Diag], source: &Source) -> JsonFile {
    JsonFile {
        file: source.name().to_string(),
        diagnostics: diags.iter().map(|d| json_diagnostic(d, source)).collect(),
    }
}

fn json_diagnostic(diag: &Diag, source: &Source) -> JsonDiagnostic {
    let primary = diag.primary_span();
    let labels = diag
        .labels()
        .map(|labels| {
            labels
                .map(|l| JsonLabel {
                    message: l.label().map(str::to_string),
                    span: JsonSpan::new(source, l.offset(), l.offset() + l.len()),
                })
                .collect()
        })
        .unwrap_or_default();
    JsonDiagnostic {
        code: diag.code_str(),
        severity: if diag.is_error() { "error" } else { "warning" },
        message: diag.to_string(),
        help: diag.help().map(|h| h.to_string()),
        span: JsonSpan::new(source, primary.start, primary.end),
        labels,
    }
}

/// A GitHub Actions workflow command that annotates the offending line.
pub fn github(diag: &Diag, source: &Source) -> String {
    let level = if diag.is_error() { "error" } else { "warning" };
    let mut message = diag.to_string();
    if let Some(help) = diag.help() {
        message.push_str("\nhelp: ");
        message.push_str(&help.to_string());
    }
    annotation(
        level,
        source,
        diag.primary_span(),
        &diag.code_str(),
        &message,
    )
}

/// A GitHub Actions workflow command that annotates `span` of `source`.
pub fn annotation(level: &str, source: &Source, span: Span, title: &str, message: &str) -> String {
    let (line, col) = source.line_col(span.start);
    let (end_line, end_col) = source.line_col(span.end);
    format!(
        "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
        escape_property(source.name()),
        escape_property(title),
        escape_data(message)
    )
}

// GitHub's workflow-command escaping: data escapes %, CR, LF; properties also `:` and `,`.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders a diagnostic that points into no file (an AWS error): the code,
/// the message and the help, in the same graphical style.
pub fn spanless<D: Diagnostic + Send + Sync + 'static>(diag: D, color: bool) -> String {
    let handler = handler(color);
    let fallback = format!("{diag}\n");
    let report = Report::new(diag);
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = fallback;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn github_annotation_escapes_and_points_at_the_line() {
        let source = Source::new("a,b.flow", "flow x {\n  bad\n}\n");
        let diag = Diag::UnknownStage {
            span: Span::new(11, 14),
            name: "bad".into(),
            help: Some("50% sure".into()),
        };
        let line = github(&diag, &source);
        assert_eq!(
            line,
            "::error file=a%2Cb.flow,line=2,col=3,endLine=2,endColumn=6,title=nagare%3A%3AE021::unknown stage `bad`%0Ahelp: 50%25 sure"
        );
    }
}
