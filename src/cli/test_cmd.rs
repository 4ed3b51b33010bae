//! `nagare test`: runs the `test` blocks of flows and reports each test,
//! then `N passed, N failed`.

use std::path::PathBuf;

use serde::Serialize;

use super::input::{Loaded, check_loaded, load_all};
use super::{Output, exit, print_out};
use crate::asl::lower::lower;
use crate::diagnostics::render;
use crate::source::Source;
use crate::testing::{self, Gap, TestRun};

/// How `nagare test` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    Human,
    Json,
    /// JUnit XML, which CI systems read.
    Junit,
    /// GitHub Actions annotations on the failing `expect` lines.
    Github,
}

#[derive(Serialize)]
struct JsonFile {
    file: String,
    tests: Vec<TestRun>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<Vec<Gap>>,
}

#[derive(Serialize)]
struct JsonReport {
    files: Vec<JsonFile>,
    passed: usize,
    failed: usize,
}

pub fn run(
    paths: &[PathBuf],
    filter: Option<&str>,
    format: TestFormat,
    coverage: bool,
    output: Output,
) -> u8 {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let (mut passed, mut failed, mut broken) = (0, 0, false);
    let mut human = String::new();
    let mut files = Vec::new();
    let mut suites = String::new();
    for loaded in load_all(&paths) {
        let source = match loaded {
            Loaded::Failed(message) => {
                eprintln!("error: {message}");
                broken = true;
                continue;
            }
            Loaded::Text(source, Some(encoding)) => {
                eprint!("{}", render::human(&encoding, &source, output.color));
                broken = true;
                continue;
            }
            // Definitions have no test blocks.
            Loaded::Text(source, None) if super::input::is_definition(&source) => continue,
            Loaded::Text(source, None) => source,
        };
        let Some((source, runs, gaps)) = run_file(source, filter, output) else {
            broken = true;
            continue;
        };
        let gaps = coverage.then_some(gaps);
        if runs.is_empty() {
            continue;
        }
        passed += runs.iter().filter(|r| r.passed).count();
        failed += runs.iter().filter(|r| !r.passed).count();
        match format {
            TestFormat::Human => {
                human += &report(&source, &runs, output.stdout_color);
                if let Some(gaps) = &gaps {
                    human += &coverage_report(gaps);
                }
            }
            TestFormat::Github => human += &annotations(&source, &runs),
            TestFormat::Junit => suites += &junit_suite(&source, &runs),
            TestFormat::Json => files.push(JsonFile {
                file: source.name().to_string(),
                tests: runs,
                coverage: gaps,
            }),
        }
    }
    let text = match format {
        TestFormat::Human | TestFormat::Github => {
            format!("{human}{passed} passed, {failed} failed\n")
        }
        TestFormat::Junit => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"nagare test\" tests=\"{}\" failures=\"{failed}\">\n{suites}</testsuites>\n",
            passed + failed
        ),
        TestFormat::Json => {
            let report = JsonReport {
                files,
                passed,
                failed,
            };
            serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
        }
    };
    if print_out(&text).is_err() {
        return exit::USAGE_OR_IO;
    }
    if broken {
        exit::USAGE_OR_IO
    } else if failed > 0 {
        exit::PROBLEMS
    } else {
        exit::CLEAN
    }
}

/// Checks and compiles one flow, then runs its tests; `None` (with the
/// diagnostics printed) when it has errors.
fn run_file(
    source: Source,
    filter: Option<&str>,
    output: Output,
) -> Option<(Source, Vec<TestRun>, Vec<Gap>)> {
    let (source, checked) = check_loaded(source, output, "run its tests").ok()?;
    let file = checked.file.as_ref()?;
    let flow = checked.flow()?;
    let graph = checked.graph.as_ref()?;
    let lowered = match lower(flow, graph) {
        Ok(lowered) => lowered,
        Err(diags) => {
            for diag in &diags {
                eprint!("{}", render::human(diag, &source, output.color));
            }
            return None;
        }
    };
    let runs = testing::run(file, source.text(), &flow.name.name, &lowered, filter);
    let gaps = testing::coverage(flow, graph, &lowered, &runs);
    Some((source, runs, gaps))
}

/// How many lines of a failed test's timeline to show.
const TIMELINE_TAIL: usize = 6;

/// One line per test; under a failed one, each unmet expectation with the
/// expected and the actual value, and how the execution ended.
fn report(source: &Source, runs: &[TestRun], color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = format!("{}\n", source.name());
    for run in runs {
        let took = crate::interp::format_millis(run.duration_ms);
        let took = format!("{}:{}", run.duration_ms / 3_600_000, &took[14..19]);
        let mark = if run.passed {
            paint("32", "ok  ")
        } else {
            paint("31;1", "FAIL")
        };
        out += &format!(
            "  {mark}  {}  {}\n",
            run.name,
            paint("2", &format!("({took} simulated)"))
        );
        for unmet in &run.unmet {
            let (line, _) = source.line_col(unmet.span.start);
            out += &format!(
                "        {}  {}\n",
                unmet.expectation,
                paint("2", &format!("(line {line})"))
            );
            out += &format!("          expected: {}\n", unmet.expected);
            out += &format!("          actual:   {}\n", unmet.actual);
        }
        if !run.passed {
            // The end of the run's timeline: what happened just before.
            let timeline = super::run_cmd::timeline(
                &run.execution,
                crate::interp::Options::default().start,
                color,
                false,
            );
            let lines: Vec<&str> = timeline
                .lines()
                .filter(|l| {
                    !l.starts_with("output:") && !l.starts_with("  ") && !l.starts_with('}')
                })
                .collect();
            out += "        the run ended with:\n";
            for line in &lines[lines.len().saturating_sub(TIMELINE_TAIL)..] {
                out += &format!("          {line}\n");
            }
        }
    }
    out
}

/// One `::error` annotation per unmet expectation, on its `expect` line.
fn annotations(source: &Source, runs: &[TestRun]) -> String {
    let mut out = String::new();
    for run in runs {
        for unmet in &run.unmet {
            let message = format!(
                "test \"{}\" failed: {}\nexpected: {}\nactual: {}",
                run.name, unmet.expectation, unmet.expected, unmet.actual
            );
            out += &render::annotation("error", source, unmet.span, "nagare test", &message);
            out.push('\n');
        }
    }
    out
}

/// One `<testsuite>` per flow, one `<testcase>` per test; `time` is the
/// wall time of the run (the simulated duration is in `<system-out>`).
fn junit_suite(source: &Source, runs: &[TestRun]) -> String {
    let failures = runs.iter().filter(|r| !r.passed).count();
    let class = source
        .name()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".flow")
        .to_string();
    let mut out = format!(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">\n",
        xml(source.name()),
        runs.len()
    );
    for run in runs {
        out += &format!(
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\">\n",
            xml(&run.name),
            xml(&class),
            run.wall_ms / 1000.0,
        );
        for unmet in &run.unmet {
            let (line, _) = source.line_col(unmet.span.start);
            out += &format!(
                "      <failure message=\"{}\" type=\"expectation\">line {line}: expected {}; actual {}</failure>\n",
                xml(&unmet.expectation),
                xml(&unmet.expected),
                xml(&unmet.actual)
            );
        }
        out += &format!(
            "      <system-out>simulated duration: {:.3} s</system-out>\n    </testcase>\n",
            run.duration_ms as f64 / 1000.0
        );
    }
    out + "  </testsuite>\n"
}

/// Text for XML content and attributes.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot hold most control characters at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// The routes of a flow that no test took, after its tests.
fn coverage_report(gaps: &[Gap]) -> String {
    if gaps.is_empty() {
        return "  coverage: every stage, catch route, retrier and `when` branch was exercised\n"
            .to_string();
    }
    let mut out = format!("  coverage: {} route(s) no test took\n", gaps.len());
    for gap in gaps {
        out += &format!("    {:<10}  {}\n", gap.kind, gap.what);
    }
    out
}
