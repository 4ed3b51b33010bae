//! The properties the fuzz targets (`fuzz/`) check, as plain functions, so
//! every input a fuzzer ever found is replayed by `cargo test` from
//! `tests/fuzz/` without a nightly toolchain. Each panics when a property
//! fails; on any input, none may panic otherwise, hang or blow up memory.

use serde_json::Value;

use crate::asl::lower::lower;
use crate::asl::validate::{problems, validate};
use crate::check::check_text;
use crate::diagnostics::Diag;
use crate::interp::{self, DryRun, Limits, Options};

/// Parse and check; a flow without errors must compile, and what it
/// compiles to must pass nagare's own ASL validation.
pub fn front_end(text: &str) {
    let checked = check_text(text);
    if checked.has_errors() {
        return;
    }
    let (Some(flow), Some(graph)) = (checked.flow(), &checked.graph) else {
        return;
    };
    let _ = crate::graph::render::mermaid(flow, graph, text);
    let _ = crate::graph::render::dot(flow, graph, text);
    if let Ok(lowered) = lower(flow, graph) {
        let json = crate::asl::write(&lowered.machine);
        let validated = validate(&json);
        let errors: Vec<String> = validated
            .diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}: {d}", d.code_str()))
            .collect();
        assert!(
            errors.is_empty(),
            "a checked flow compiled to invalid ASL: {errors:?}\n{json}"
        );
    }
}

/// The language's tokens, for grammar-shaped input: each byte picks one.
const TOKENS: &[&str] = &[
    "flow",
    "f",
    "{",
    "}",
    "collect",
    "transform",
    "visualize",
    "task",
    "handler",
    "a",
    "b",
    "c-d",
    "after",
    ",",
    "when",
    "foreach",
    "concurrency",
    "2",
    "run",
    "lambda",
    "athena",
    "ecs",
    "sns",
    "glue.crawler",
    "sdk",
    "resource",
    "\"fn\"",
    "\"s3:listObjectsV2\"",
    "payload",
    ":",
    "query",
    "\"q\"",
    "retry",
    "States.ALL",
    "States.TaskFailed",
    "max",
    "3",
    "interval",
    "5s",
    "backoff",
    "2.0",
    "max_delay",
    "1m",
    "jitter",
    "full",
    "catch",
    "->",
    "timeout",
    "1h",
    "heartbeat",
    "30s",
    "result",
    "comment",
    "\"c\"",
    "then",
    "fail",
    "succeed",
    "defaults",
    "schedule",
    "cron",
    "(",
    ")",
    "\"0 18 * * ? *\"",
    "rate",
    "1",
    "day",
    "output",
    "$.input.x",
    "$.steps.a",
    "$$.Execution.Id",
    "$.xs[0]",
    "$.x[?(@.v > 1)]",
    "==",
    "!=",
    "<",
    ">=",
    "and",
    "or",
    "not",
    "like",
    "exists",
    "is",
    "string",
    "true",
    "null",
    "[",
    "]",
    "States.Format",
    "States.JsonMerge",
    "States.ArrayLength",
    "test",
    "\"t\"",
    "input",
    "mock",
    "return",
    "throw",
    "expect",
    "succeeded",
    "failed",
    "ran",
    "skipped",
    "attempts",
    "\n",
    "// note\n",
    "/* c */",
    "-1.5e3",
    "\"\\u00e9\\n\"",
];

/// Bytes → a text of the language's tokens, separated by spaces.
pub fn tokens_to_text(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| TOKENS[usize::from(b) % TOKENS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Limits small enough that any input runs in milliseconds.
fn small_limits() -> Limits {
    Limits {
        max_events: 2_000,
        max_map_items: 200,
        max_depth: 16,
        max_payload: 64 * 1024,
    }
}

/// A definition, then optionally `\n---\n` and an input: validated, and
/// run when valid.
pub fn asl(text: &str) {
    let (definition, input) = text.split_once("\n---\n").unwrap_or((text, "{}"));
    let validated = validate(definition);
    let Some(machine) = validated.machine else {
        // `nagare check` reports the walk's problems alone: the typed
        // model must never refuse a definition the walk accepts.
        assert!(
            problems(definition).iter().any(Diag::is_error),
            "the walk accepted a definition the typed model refuses: {:?}",
            validated.diags
        );
        return;
    };
    let input: Value = serde_json::from_str(input).unwrap_or(Value::Object(Default::default()));
    let options = Options {
        limits: small_limits(),
        ..Options::default()
    };
    let _ = interp::run(&machine, input, &DryRun::default(), &options);
    let _ = crate::asl::policy::policy(&machine);
}

/// A JSONata expression, then optionally `\n---\n` and an input: compiled
/// and analysed (every span a range of the text on character
/// boundaries), evaluated with Step Functions' functions under small
/// limits, and checked and run as the `Output` of a JSONata Pass state,
/// its diagnostics rendered.
pub fn jsonata(text: &str) {
    use crate::asl::jsonata::{self, Limits};
    let (expr, input) = text.split_once("\n---\n").unwrap_or((text, "null"));
    let within = |(start, end): (usize, usize)| {
        start <= end
            && end <= expr.len()
            && expr.is_char_boundary(start)
            && expr.is_char_boundary(end)
    };
    let compiled = match jsonata::compile(expr) {
        Ok(compiled) => compiled,
        Err(e) => {
            assert!(
                e.span.is_none_or(within),
                "a syntax error outside the text: {e:?}"
            );
            return;
        }
    };
    let analysis = jsonata::analyse(&compiled);
    for (_, span) in &analysis.variables {
        assert!(
            within(*span),
            "a variable span outside the text: {analysis:?}"
        );
    }
    for (_, span) in &analysis.unsupported {
        assert!(within(*span), "a span outside the text: {analysis:?}");
    }
    let input: Option<Value> = serde_json::from_str(input).ok();
    let limits = Limits {
        time: std::time::Duration::from_millis(500),
        depth: 300,
        now: Some(0),
    };
    let variables = analysis
        .variables
        .iter()
        .map(|(name, _)| (name.as_str(), Value::from(1)))
        .collect();
    let _ = jsonata::evaluate(&compiled, input.as_ref(), variables, limits, 7);
    let machine = serde_json::json!({
        "QueryLanguage": "JSONata",
        "StartAt": "S",
        "States": {"S": {"Type": "Pass", "Output": format!("{{% {expr} %}}"), "End": true}}
    });
    let definition = machine.to_string();
    let validated = validate(&definition);
    let source = crate::source::Source::new("fuzz.asl.json", definition.clone());
    for diag in &validated.diags {
        let _ = crate::diagnostics::render::human(diag, &source, false);
    }
    if let Some(machine) = validated.machine {
        let options = Options {
            limits: small_limits(),
            ..Options::default()
        };
        let input = input.unwrap_or(Value::Null);
        let _ = interp::run(&machine, input, &DryRun::default(), &options);
    }
}

/// fmt keeps the tree and every comment, and is idempotent.
pub fn fmt_round_trip(text: &str) {
    let Ok(once) = crate::fmt::format(text) else {
        return;
    };
    assert_eq!(tree(&once), tree(text), "fmt changed the tree:\n{once}");
    assert_eq!(
        comments(&once),
        comments(text),
        "fmt lost a comment:\n{once}"
    );
    let twice = crate::fmt::format(&once).unwrap_or_default();
    assert_eq!(twice, once, "fmt is not idempotent");
}

/// The tree of a text with every span removed: what fmt may not change.
pub fn tree(text: &str) -> String {
    let parsed = crate::syntax::parse(text);
    let debug = format!("{:?}", parsed.file);
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug.as_str();
    while let Some(at) = rest.find("Span { start: ") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find('}').map_or(tail.len(), |e| e + 1);
        out.push_str("Span");
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// A text's comments, trimmed, in order.
pub fn comments(text: &str) -> Vec<String> {
    crate::syntax::comments(text)
        .into_iter()
        .filter_map(|c| text.get(c.start..c.end))
        .map(|c| c.trim_end().to_string())
        .collect()
}
