//! Turns pest's "expected one of these rules" into words a user knows:
//! "expected a stage body `{`", never a rule name.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::grammar::Rule;
use crate::diagnostics::Diag;
use crate::source::Span;

pub fn diagnostic(text: &str, error: &Error<Rule>) -> Diag {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((start, _)) => start,
    };
    let expected: Vec<Rule> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let (found, span) = found_at(text, at);
    let mut words = describe_all(&expected);
    if words.is_empty() {
        words.push("something else".to_string());
    }
    Diag::Syntax {
        message: format!("expected {}", join_or(&words)),
        span,
        label: format!("unexpected {found}"),
        help: help_for(&expected, text, at),
    }
}

/// What the parser met instead: a word, a symbol, or the end of the file.
fn found_at(text: &str, at: usize) -> (String, Span) {
    let rest = &text[at.min(text.len())..];
    let Some(c) = rest.chars().next() else {
        return ("end of file".into(), Span::new(at, at));
    };
    let len = if c.is_alphanumeric() || c == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '-'))
            .unwrap_or(rest.len())
    } else {
        c.len_utf8()
    };
    let token = &rest[..len];
    let shown = if c.is_control() {
        format!("character {:?}", c)
    } else {
        format!("`{token}`")
    };
    (shown, Span::new(at, at + len))
}

/// Describes the expected rules, merging groups into one phrase.
fn describe_all(rules: &[Rule]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut push = |w: String| {
        if !words.contains(&w) {
            words.push(w);
        }
    };
    let has = |r: Rule| rules.contains(&r);
    if has(Rule::run) || has(Rule::retry) || has(Rule::catch) {
        push("a clause (`run`, `retry`, `catch`, `timeout`, `heartbeat`, `result`, `comment`, `then`)".into());
        push("`}`".into());
    }
    if has(Rule::stage) || has(Rule::handler) {
        push("a stage (`collect`, `transform`, `visualize`, `task`) or `handler`".into());
        push("a flow setting (`comment`, `schedule`, `timeout`, `defaults`, `output`)".into());
        push("`}`".into());
    }
    if has(Rule::test_input) || has(Rule::mock) || has(Rule::expect) {
        push("`input`, `mock` or `expect`".into());
        push("`}`".into());
    }
    if has(Rule::mock_return) || has(Rule::mock_throw) {
        push("`return VALUE` or `throw ERROR`".into());
        push("`}`".into());
    }
    if has(Rule::expect_succeeded) {
        push("an expectation (`succeeded`, `failed`, `ran`, `not ran`, `skipped`, `attempts`, or `PATH == VALUE`)".into());
    }
    if has(Rule::retry_max) {
        push("a retry option (`max`, `interval`, `backoff`, `max_delay`, `jitter`)".into());
    }
    for &rule in rules {
        if let Some(w) = describe(rule) {
            push(w.to_string());
        }
    }
    words
}

/// One rule in words; `None` for rules covered by a group above.
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        flow | kw_flow => "`flow NAME { … }`",
        test | kw_test => "a `test \"name\" { … }` block",
        EOI => "end of file",
        ident => "a name",
        error_name | error_list => "an error name such as `States.TaskFailed`",
        integration => "an integration such as `lambda`",
        string => "a string",
        number => "a number",
        integer => "a whole number",
        duration => "a duration such as `30s`, `45m`, `3h` or `1d`",
        flow_body => "a flow body `{`",
        clause_body => "a stage body `{`",
        test_body => "a test body `{`",
        mock_body => "a mock body `{`",
        cron | kw_cron => "`cron(\"…\")`",
        rate | kw_rate => "`rate(N unit)`",
        schedule | kw_schedule => "`schedule`",
        after | kw_after => "`after`",
        when | kw_when => "`when`",
        foreach | kw_foreach => "`foreach`",
        kw_concurrency => "`concurrency`",
        stage_kind => "a stage kind (`collect`, `transform`, `visualize` or `task`)",
        jitter_mode => "`full` or `none`",
        then_fail | kw_fail => "`fail`",
        then_succeed | kw_succeed => "`succeed`",
        value => "a value",
        object => "an object `{ … }`",
        entry | key => "an object entry `key: value`",
        array => "a list `[ … ]`",
        call => "an intrinsic call such as `States.Format(…)`",
        path => "a path such as `$.input.date`",
        condition | disjunction | conjunction | negation => "a condition such as `$.input.x == 1`",
        comparison | like | exists | is_type => "a condition such as `$.input.x == 1`",
        compare_op => "a comparison operator (`==`, `!=`, `<`, `<=`, `>`, `>=`), `like`, `exists` or `is`",
        operand => "a string, number, boolean or path to compare with",
        type_name => "a type (`null`, `string`, `number`, `boolean` or `timestamp`)",
        kw_is => "`is`",
        kw_like => "`like`",
        kw_exists => "`exists`",
        kw_and => "`and`",
        kw_or => "`or`",
        kw_not => "`not`",
        true_lit => "`true`",
        false_lit => "`false`",
        null_lit => "`null`",
        kw_input => "`input`",
        kw_mock => "`mock`",
        kw_expect => "`expect`",
        kw_return => "`return`",
        kw_throw => "`throw`",
        expect_path => "`PATH == VALUE`",
        _ => return None,
    })
}

fn help_for(rules: &[Rule], text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..).unwrap_or("");
    if rules.contains(&Rule::duration) && rest.starts_with(|c: char| c.is_ascii_digit()) {
        return Some("durations are whole numbers with a unit: `s`, `m`, `h` or `d` (e.g. `90s`)".into());
    }
    if rules.contains(&Rule::jitter_mode) {
        return Some("jitter is `full` (randomised waits) or `none`".into());
    }
    if rules.contains(&Rule::clause_body) {
        return Some("a stage is `KIND NAME [after …] [when …] [foreach …] { … }`".into());
    }
    if rules.contains(&Rule::flow) && rules.contains(&Rule::test) {
        return Some("a .flow file holds one `flow NAME { … }` block, then optional `test` blocks".into());
    }
    if rest.starts_with('\'') {
        return Some("strings use double quotes: `\"…\"`".into());
    }
    None
}

fn join_or(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
