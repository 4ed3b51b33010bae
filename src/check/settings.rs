//! Flow-level items: one of each setting, the schedule, the execution timeout,
//! `defaults`, and limits that only hold once defaults meet a stage's own.

use super::clauses::{self, MAX_SECONDS};
use super::schedule::{check_cron, check_rate};
use crate::diagnostics::Diag;
use crate::source::Span;
use crate::syntax::ast::*;

pub fn check(flow: &Flow, diags: &mut Vec<Diag>) {
    let mut seen: Vec<(&'static str, Span)> = Vec::new();
    for item in &flow.items {
        let (keyword, span) = match item {
            FlowItem::Comment(c) => ("comment", c.span),
            FlowItem::Schedule(s) => ("schedule", s.span()),
            FlowItem::Timeout(d) => ("timeout", d.span),
            FlowItem::Defaults(d) => ("defaults", d.span),
            FlowItem::Output(v) => ("output", v.span),
            FlowItem::Stage(_) => continue,
        };
        match seen.iter().find(|(k, _)| *k == keyword) {
            Some(&(_, first)) => diags.push(Diag::DuplicateFlowSetting {
                span,
                keyword,
                first,
            }),
            None => seen.push((keyword, span)),
        }
        match item {
            FlowItem::Schedule(schedule) => check_schedule(schedule, diags),
            FlowItem::Timeout(d) if d.seconds == 0 || d.seconds > MAX_SECONDS => {
                diags.push(clauses::out_of_range("timeout", d));
            }
            FlowItem::Defaults(defaults) => clauses::check_defaults(defaults, diags),
            _ => {}
        }
    }
    check_limits_with_defaults(flow, diags);
}

fn check_schedule(schedule: &Schedule, diags: &mut Vec<Diag>) {
    match schedule {
        Schedule::Cron(expr) => {
            if let Err(problem) = check_cron(&expr.node) {
                // Offsets are within the string's contents, one past the quote.
                let range = problem.range.start + 1..problem.range.end + 1;
                // With escapes in the literal, offsets in the text no longer
                // match offsets in the value: point at the whole string.
                let escaped = source_has_escape(expr);
                let span = if problem.range.is_empty() || escaped {
                    expr.span
                } else {
                    expr.span.inner(range)
                };
                diags.push(Diag::InvalidCron {
                    span,
                    message: problem.message,
                    help: problem.help,
                });
            }
        }
        Schedule::Rate { value, unit, .. } => {
            if let Err(problem) = check_rate(&value.node, &unit.name) {
                diags.push(Diag::InvalidRate {
                    span: if problem.on_unit {
                        unit.span
                    } else {
                        value.span
                    },
                    message: problem.message,
                    help: problem.help,
                });
            }
        }
    }
}

/// A stage's own `heartbeat` against a default `timeout`, or the reverse:
/// each is fine alone, but together they would make an invalid Task.
fn check_limits_with_defaults(flow: &Flow, diags: &mut Vec<Diag>) {
    let Some(defaults) = flow.items.iter().find_map(|i| match i {
        FlowItem::Defaults(d) => Some(d),
        _ => None,
    }) else {
        return;
    };
    let default_timeout = find_duration(&defaults.clauses, "timeout");
    let default_heartbeat = find_duration(&defaults.clauses, "heartbeat");
    for stage in flow.stages().filter(|s| !s.is_handler()) {
        let own_timeout = find_duration(&stage.clauses, "timeout");
        let own_heartbeat = find_duration(&stage.clauses, "heartbeat");
        match (
            own_timeout,
            own_heartbeat,
            default_timeout,
            default_heartbeat,
        ) {
            (Some(t), None, _, Some(h)) => {
                clauses::check_heartbeat_with_default(&stage.name.name, t, false, h, diags)
            }
            (None, Some(h), Some(t), _) => {
                clauses::check_heartbeat_with_default(&stage.name.name, h, true, t, diags)
            }
            _ => {}
        }
    }
}

fn find_duration<'a>(clauses: &'a [Clause], keyword: &str) -> Option<&'a Duration> {
    clauses.iter().find_map(|c| match c {
        Clause::Timeout(d) if keyword == "timeout" => Some(d),
        Clause::Heartbeat(d) if keyword == "heartbeat" => Some(d),
        _ => None,
    })
}

/// Whether a string literal was written with escapes: its value is shorter
/// than its span without the quotes.
fn source_has_escape(expr: &crate::syntax::ast::Spanned<String>) -> bool {
    expr.node.len() + 2 != expr.span.len()
}
