//! The clauses of one stage, handler or `defaults` block: how many of each,
//! where they may appear, retry settings, `States.ALL` placement, durations.

use crate::diagnostics::Diag;
use crate::source::Span;
use crate::syntax::ast::*;

/// Step Functions' upper bound for `TimeoutSeconds`, `IntervalSeconds` and
/// friends (AWS documents them as "positive integer, maximum 99999999").
pub const MAX_SECONDS: u64 = 99_999_999;

/// `MaxDelaySeconds` must stay below 31622401 (366 days).
pub const MAX_DELAY_SECONDS: u64 = 31_622_400;

/// `MaxConcurrency` is a JSON integer that Step Functions reads as a 32-bit int.
pub const MAX_CONCURRENCY: u64 = i32::MAX as u64;

/// The error names Step Functions itself raises; `States.` is reserved for them.
pub const STATES_ERRORS: &[&str] = &[
    "States.ALL",
    "States.BranchFailed",
    "States.DataLimitExceeded",
    "States.ExceedToleratedFailureThreshold",
    "States.HeartbeatTimeout",
    "States.Http.Socket",
    "States.IntrinsicFailure",
    "States.ItemReaderFailed",
    "States.NoChoiceMatched",
    "States.ParameterPathFailure",
    "States.Permissions",
    "States.QueryEvaluationError",
    "States.ResultPathMatchFailure",
    "States.ResultWriterFailed",
    "States.Runtime",
    "States.TaskFailed",
    "States.Timeout",
];

/// A name with the reserved `States.` prefix (in any case) must be one of
/// Step Functions' own: `States.All` would silently never match.
pub fn check_error_name(error: &ErrorName, diags: &mut Vec<Diag>) {
    let reserved = error
        .name
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("States."));
    if !reserved || STATES_ERRORS.contains(&error.name.as_str()) {
        return;
    }
    let same_but_case = STATES_ERRORS
        .iter()
        .find(|e| e.eq_ignore_ascii_case(&error.name));
    let help = match same_but_case
        .copied()
        .or_else(|| super::suggest::closest(&error.name, STATES_ERRORS.iter().copied()))
    {
        Some(best) => format!(
            "did you mean `{best}`? Error names are case-sensitive, and the `States.` prefix is reserved for Step Functions' own errors"
        ),
        None => format!(
            "the `States.` prefix is reserved for Step Functions' own errors: {}",
            STATES_ERRORS.join(", ")
        ),
    };
    diags.push(Diag::UnknownStatesError {
        span: error.span,
        name: error.name.clone(),
        help,
    });
}

pub fn check_stage(stage: &Stage, diags: &mut Vec<Diag>) {
    check_headers(stage, diags);
    let name = &stage.name.name;
    let mut first_run: Option<Span> = None;
    for clause in &stage.clauses {
        match clause {
            Clause::Run(run) => match first_run {
                Some(first) => diags.push(Diag::ExtraRun {
                    span: run.span,
                    stage: name.clone(),
                    first,
                }),
                None => first_run = Some(run.span),
            },
            Clause::Then(then) if !stage.is_handler() => diags.push(Diag::ThenOutsideHandler {
                span: then.span,
                stage: name.clone(),
            }),
            Clause::Catch(catch) if stage.is_handler() => diags.push(Diag::CatchInHandler {
                span: catch.span,
                handler: name.clone(),
            }),
            _ => {}
        }
    }
    if first_run.is_none() {
        diags.push(Diag::MissingRun {
            span: stage.name.span,
            stage: name.clone(),
        });
    }
    check_clause_list(&stage.clauses, diags);
}

/// `defaults { … }`: only clauses that make sense for every task stage.
pub fn check_defaults(defaults: &Defaults, diags: &mut Vec<Diag>) {
    for clause in &defaults.clauses {
        if matches!(
            clause,
            Clause::Run(_) | Clause::Result(_) | Clause::Comment(_) | Clause::Then(_)
        ) {
            diags.push(Diag::NotADefault {
                span: clause.span(),
                keyword: clause.keyword(),
            });
        }
    }
    check_clause_list(&defaults.clauses, diags);
}

fn check_headers(stage: &Stage, diags: &mut Vec<Diag>) {
    let mut seen: Vec<&Header> = Vec::new();
    for header in &stage.headers {
        if stage.is_handler() {
            diags.push(Diag::HandlerHeader {
                span: header.span(),
                keyword: header.keyword(),
                name: stage.name.name.clone(),
            });
        }
        if let Header::Foreach {
            concurrency: Some(n),
            ..
        } = header
            && !(1..=MAX_CONCURRENCY).contains(&n.node)
        {
            diags.push(Diag::ConcurrencyOutOfRange {
                span: n.span,
                value: n.node,
            });
        }
        match seen.iter().find(|h| h.keyword() == header.keyword()) {
            Some(first) => diags.push(Diag::DuplicateHeader {
                span: header.span(),
                keyword: header.keyword(),
                stage: stage.name.name.clone(),
                first: first.span(),
            }),
            None => seen.push(header),
        }
    }
}

/// Rules shared by stages, handlers and defaults.
fn check_clause_list(clauses: &[Clause], diags: &mut Vec<Diag>) {
    check_single_clauses(clauses, diags);
    let retries: Vec<&Retry> = clauses
        .iter()
        .filter_map(|c| match c {
            Clause::Retry(r) => Some(r),
            _ => None,
        })
        .collect();
    let catches: Vec<&Catch> = clauses
        .iter()
        .filter_map(|c| match c {
            Clause::Catch(c) => Some(c),
            _ => None,
        })
        .collect();
    for error in retries
        .iter()
        .flat_map(|r| &r.errors)
        .chain(catches.iter().flat_map(|c| &c.errors))
    {
        check_error_name(error, diags);
    }
    check_states_all(
        "retry",
        retries.iter().map(|r| (&r.errors[..], r.span)),
        diags,
    );
    check_states_all(
        "catch",
        catches.iter().map(|c| (&c.errors[..], c.span)),
        diags,
    );
    for retry in retries {
        check_retry(retry, diags);
    }
    check_timeouts(clauses, diags);
}

/// `timeout`, `heartbeat`, `result`, `comment`, `then`: at most one each.
fn check_single_clauses(clauses: &[Clause], diags: &mut Vec<Diag>) {
    let single = |c: &Clause| {
        matches!(
            c,
            Clause::Timeout(_)
                | Clause::Heartbeat(_)
                | Clause::Result(_)
                | Clause::Comment(_)
                | Clause::Then(_)
        )
    };
    let mut seen: Vec<&Clause> = Vec::new();
    for clause in clauses.iter().filter(|c| single(c)) {
        match seen.iter().find(|c| c.keyword() == clause.keyword()) {
            Some(first) => diags.push(Diag::DuplicateClause {
                span: clause.span(),
                keyword: clause.keyword(),
                first: first.span(),
            }),
            None => seen.push(clause),
        }
    }
}

/// `States.ALL` must be alone in its list, and in the last retrier/catcher.
fn check_states_all<'a>(
    keyword: &'static str,
    lists: impl Iterator<Item = (&'a [ErrorName], Span)>,
    diags: &mut Vec<Diag>,
) {
    let mut wildcard_at: Option<Span> = None;
    for (errors, clause_span) in lists {
        if let Some(at) = wildcard_at.take() {
            diags.push(Diag::StatesAllNotLast {
                span: at,
                keyword,
                later: clause_span,
            });
        }
        if let Some(all) = errors.iter().find(|e| e.name == STATES_ALL) {
            if errors.len() > 1 {
                diags.push(Diag::StatesAllNotAlone { span: all.span });
            }
            wildcard_at = Some(all.span);
        }
    }
}

fn check_retry(retry: &Retry, diags: &mut Vec<Diag>) {
    let mut seen: Vec<&RetryOption> = Vec::new();
    for option in &retry.options {
        if let Some(first) = seen.iter().find(|o| o.keyword() == option.keyword()) {
            diags.push(Diag::DuplicateRetryOption {
                span: option.span(),
                option: option.keyword(),
                first: first.span(),
            });
            continue;
        }
        seen.push(option);
        match option {
            RetryOption::Max(max) if max.node > MAX_SECONDS => diags.push(Diag::RetryMaxTooLarge {
                span: max.span,
                value: max.node,
            }),
            RetryOption::Interval(d) => check_retry_duration(option.keyword(), d, diags),
            RetryOption::MaxDelay(d) if d.seconds > MAX_DELAY_SECONDS => diags.push(Diag::DurationOutOfRange {
                span: d.span,
                keyword: "max_delay",
                seconds: d.seconds,
                help: format!("Step Functions accepts a `max_delay` of 1s to {MAX_DELAY_SECONDS}s (366 days)"),
            }),
            RetryOption::MaxDelay(d) => check_retry_duration(option.keyword(), d, diags),
            RetryOption::Backoff(b) if b.node < 1.0 => diags.push(Diag::BackoffTooSmall {
                span: b.span,
                value: b.node,
            }),
            _ => {}
        }
    }
    let interval = seen.iter().find_map(|o| match o {
        RetryOption::Interval(d) => Some(*d),
        _ => None,
    });
    let max_delay = seen.iter().find_map(|o| match o {
        RetryOption::MaxDelay(d) => Some(*d),
        _ => None,
    });
    if let Some(max_delay) = max_delay {
        // ASL's default interval is 1s.
        let (interval_seconds, interval_span) =
            interval.map_or((1, retry.span), |d| (d.seconds, d.span));
        if max_delay.seconds > 0 && max_delay.seconds < interval_seconds {
            diags.push(Diag::MaxDelayBelowInterval {
                span: max_delay.span,
                max_delay: max_delay.seconds,
                interval_span,
                interval: interval_seconds,
            });
        }
    }
}

fn check_retry_duration(option: &'static str, d: &Duration, diags: &mut Vec<Diag>) {
    if d.seconds == 0 {
        diags.push(Diag::RetryDurationTooShort {
            span: d.span,
            option,
        });
    } else if d.seconds > MAX_SECONDS {
        diags.push(out_of_range(option, d));
    }
}

fn check_timeouts(clauses: &[Clause], diags: &mut Vec<Diag>) {
    let timeout = clauses.iter().find_map(|c| match c {
        Clause::Timeout(d) => Some(d),
        _ => None,
    });
    let heartbeat = clauses.iter().find_map(|c| match c {
        Clause::Heartbeat(d) => Some(d),
        _ => None,
    });
    for (keyword, d) in [("timeout", timeout), ("heartbeat", heartbeat)] {
        if let Some(d) = d.filter(|d| d.seconds == 0 || d.seconds > MAX_SECONDS) {
            diags.push(out_of_range(keyword, d));
        }
    }
    if let (Some(t), Some(h)) = (timeout, heartbeat) {
        check_heartbeat(h, t, diags);
    }
}

/// A heartbeat must be shorter than the timeout it sits in.
pub fn check_heartbeat(heartbeat: &Duration, timeout: &Duration, diags: &mut Vec<Diag>) {
    if heartbeat.seconds >= timeout.seconds && heartbeat.seconds > 0 {
        diags.push(Diag::HeartbeatNotBelowTimeout {
            span: heartbeat.span,
            label: "heartbeat".into(),
            other: timeout.span,
            other_label: "timeout".into(),
            heartbeat: heartbeat.seconds,
            timeout: timeout.seconds,
        });
    }
}

/// A stage's own `timeout` or `heartbeat` against the other from `defaults`:
/// reported at the stage's clause, so each stage gets its own report.
pub fn check_heartbeat_with_default(
    stage: &str,
    own: &Duration,
    own_is_heartbeat: bool,
    default: &Duration,
    diags: &mut Vec<Diag>,
) {
    let (heartbeat, timeout) = if own_is_heartbeat {
        (own, default)
    } else {
        (default, own)
    };
    if heartbeat.seconds >= timeout.seconds && heartbeat.seconds > 0 {
        let (own_kw, default_kw) = if own_is_heartbeat {
            ("heartbeat", "timeout")
        } else {
            ("timeout", "heartbeat")
        };
        diags.push(Diag::HeartbeatNotBelowTimeout {
            span: own.span,
            label: format!("`{stage}`'s {own_kw}"),
            other: default.span,
            other_label: format!("the default {default_kw}"),
            heartbeat: heartbeat.seconds,
            timeout: timeout.seconds,
        });
    }
}

pub fn out_of_range(keyword: &'static str, d: &Duration) -> Diag {
    Diag::DurationOutOfRange {
        span: d.span,
        keyword,
        seconds: d.seconds,
        help: format!("Step Functions accepts 1s to {MAX_SECONDS}s (about 3 years)"),
    }
}
