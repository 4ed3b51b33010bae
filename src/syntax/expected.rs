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
        // pest names no rule when the file's first item fails outright.
        words.push("`flow NAME { … }`".to_string());
        words.push("a `test \"name\" { … }` block".to_string());
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
        // Point at the last character: an empty span draws no label.
        let start = text[..at.min(text.len())]
            .char_indices()
            .last()
            .map_or(at, |(i, _)| i);
        return ("end of file".into(), Span::new(start, at.max(start)));
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

/// Groups of rules that read better as one phrase; a group is used when any
/// of its rules was expected, and its rules are then not described one by one.
const GROUPS: &[(&[Rule], &[&str])] = &[
    (
        &[
            Rule::run,
            Rule::retry,
            Rule::catch,
            Rule::kw_run,
            Rule::kw_retry,
            Rule::kw_catch,
            Rule::kw_then,
        ],
        &[
            "a clause (`run`, `retry`, `catch`, `timeout`, `heartbeat`, `result`, `comment`, `then`)",
            "`}`",
        ],
    ),
    (
        &[
            Rule::stage,
            Rule::handler,
            Rule::stage_kind,
            Rule::kw_handler,
            Rule::schedule,
            Rule::kw_schedule,
            Rule::kw_defaults,
        ],
        &[
            "a stage (`collect`, `transform`, `visualize`, `task`) or `handler`",
            "a flow setting (`comment`, `schedule`, `timeout`, `defaults`, `output`)",
            "`}`",
        ],
    ),
    (
        &[
            Rule::test_input,
            Rule::mock,
            Rule::expect,
            Rule::kw_input,
            Rule::kw_mock,
            Rule::kw_expect,
        ],
        &["`input`, `mock` or `expect`", "`}`"],
    ),
    (
        &[
            Rule::mock_return,
            Rule::mock_throw,
            Rule::kw_return,
            Rule::kw_throw,
        ],
        &["`return VALUE` or `throw ERROR`", "`}`"],
    ),
    (
        &[
            Rule::expect_succeeded,
            Rule::kw_succeeded,
            Rule::kw_failed,
            Rule::kw_ran,
            Rule::kw_skipped,
            Rule::kw_attempts,
        ],
        &[
            "an expectation (`succeeded`, `failed`, `ran`, `not ran`, `skipped`, `attempts`, or `PATH == VALUE`)",
        ],
    ),
    (
        &[
            Rule::retry_max,
            Rule::kw_max,
            Rule::kw_interval,
            Rule::kw_backoff,
            Rule::kw_max_delay,
            Rule::kw_jitter,
        ],
        &["a retry option (`max`, `interval`, `backoff`, `max_delay`, `jitter`)"],
    ),
];

fn describe_all(rules: &[Rule]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut covered: Vec<Rule> = Vec::new();
    let push = |w: &str, words: &mut Vec<String>| {
        if !words.iter().any(|x| x == w) {
            words.push(w.to_string());
        }
    };
    for (members, phrases) in GROUPS {
        if members.iter().any(|m| rules.contains(m)) {
            covered.extend_from_slice(members);
            phrases.iter().for_each(|p| push(p, &mut words));
        }
    }
    for rule in rules.iter().filter(|r| !covered.contains(r)) {
        if let Some(w) = describe(*rule) {
            push(w, &mut words);
        }
    }
    // Closing braces read best last.
    if let Some(i) = words.iter().position(|w| w == "`}`") {
        let brace = words.remove(i);
        words.push(brace);
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
        compare_op => "a comparison operator (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
        kw_arrow => "`->`",
        kw_colon => "`:`",
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

/// A help line for every syntax error: the most specific hint that applies.
fn help_for(rules: &[Rule], text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..).unwrap_or("");
    let has = |r: Rule| rules.contains(&r);
    let next_word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let before = text.get(..at).unwrap_or("").trim_end();
    let prev_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(before.len(), |(i, _)| i);
    let prev_word = &before[prev_start..];
    let retry_words = ["max", "interval", "backoff", "max_delay", "jitter"];
    let hint = if has(Rule::duration) {
        "durations are whole, positive numbers with a unit: `s`, `m`, `h` or `d` (e.g. `90s`)"
    } else if has(Rule::jitter_mode) {
        "jitter is `full` (randomised waits) or `none`"
    } else if has(Rule::kw_arrow) {
        "a catch routes errors to a handler: `catch States.ALL -> alert`"
    } else if has(Rule::kw_colon) {
        "object entries are `key: value`"
    } else if rest.starts_with('\'') {
        "strings use double quotes: `\"…\"`"
    } else if ((has(Rule::error_name) || has(Rule::error_list))
        && retry_words.contains(&next_word.as_str()))
        || (has(Rule::kw_max) && retry_words.contains(&prev_word))
    {
        "a retry names the errors it retries first: `retry States.TaskFailed max 3`"
    } else if has(Rule::error_name) || has(Rule::error_list) {
        "error names are dotted names such as `States.TaskFailed` or `Lambda.ServiceException`"
    } else if has(Rule::integration) {
        "a stage runs one task: `run lambda \"NAME\"`, `run ecs { … }`, `run athena { … }`, `run glue.crawler \"NAME\"`, `run glue.job \"NAME\"`, `run codebuild \"NAME\"`, `run sns { … }`, `run sdk \"service:action\"` or `run resource \"ARN\"`"
    } else if has(Rule::clause_body) {
        "a stage is `KIND NAME [after …] [when …] [foreach …] { … }`"
    } else if [
        Rule::condition,
        Rule::disjunction,
        Rule::conjunction,
        Rule::negation,
        Rule::comparison,
        Rule::compare_op,
        Rule::kw_not,
    ]
    .iter()
    .any(|r| has(*r))
    {
        "a condition tests a path: `$.input.x == 1`, `$.input.f like \"*.csv\"`, `$.input.x exists` or `$.input.x is string`, joined with `and`, `or`, `not`"
    } else if has(Rule::value) || has(Rule::operand) {
        "a value is a string, a number, `true`, `false`, `null`, a list `[…]`, an object `{…}`, a path such as `$.input.x`, or an intrinsic call such as `States.Format(…)`"
    } else if has(Rule::ident) {
        "names start with a letter or `_`, followed by letters, digits, `_` or `-`"
    } else if has(Rule::string) {
        "strings are written in double quotes: `\"…\"`"
    } else if has(Rule::integer) || has(Rule::number) {
        "write a number such as `3`"
    } else if has(Rule::run) || has(Rule::kw_run) {
        "a stage body holds clauses: `run …`, `retry …`, `catch … -> handler`, `timeout 30m`, `heartbeat 1m`, `result { … }`, `comment \"…\"`"
    } else if has(Rule::stage_kind) || has(Rule::kw_handler) {
        "a flow holds stages (`collect NAME { … }` and the like), handlers and settings; see docs/language.md"
    } else if has(Rule::test_input) || has(Rule::kw_expect) {
        "a test holds `input VALUE`, `mock STAGE { return …  throw … }` and `expect …` lines"
    } else {
        "a .flow file holds one `flow NAME { … }` block, then optional `test \"name\" { … }` blocks; see docs/language.md"
    };
    Some(hint.to_string())
}

fn join_or(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::parse;

    /// Every prefix of a file full of multi-byte characters must yield a
    /// diagnostic, never a panic from slicing inside a character.
    #[test]
    fn errors_next_to_multibyte_characters() {
        let text =
            "\u{feff}flow f { task a /* é */ { run lambda \"日本\" retry E max 3 } }\u{feff}";
        for (i, _) in text.char_indices() {
            let _ = parse(&text[..i]);
        }
        let _ = parse("flow f { task a { retry\u{feff}max 3 } }");
    }
}
