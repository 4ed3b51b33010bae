//! `Retry` and `Catch`: their fields and ranges, and where `States.ALL` may
//! stand (alone, in the last entry), which AWS's specification requires and
//! neither asl-validator nor statelint checks.

use super::Cx;
use super::fields::{Fields, MAX_SECONDS, invalid};
use super::json::Node;
use super::transitions::{Edge, ScopeState};
use super::values::{self, PathRule};
use crate::diagnostics::Diag;

/// The longest `MaxDelaySeconds` AWS accepts: one year and one day.
const MAX_DELAY: u64 = 31_622_400;

pub fn retriers(cx: &mut Cx, state: &Fields) {
    let Some(list) = entries(cx, state, "Retry") else {
        return;
    };
    for (i, node) in list.iter().enumerate() {
        let field = format!("Retry[{i}]");
        let Some(fields) = Fields::of(
            node,
            &field,
            format!("retrier {}", i + 1).into(),
            &mut cx.diags,
        ) else {
            continue;
        };
        fields.only(
            &[
                "ErrorEquals",
                "IntervalSeconds",
                "MaxAttempts",
                "BackoffRate",
                "MaxDelaySeconds",
                "JitterStrategy",
                "Comment",
            ],
            &[],
            |_| None,
            &mut cx.diags,
        );
        error_equals(cx, &fields, i + 1 == list.len(), "retrier");
        fields.string("Comment", &mut cx.diags);
        fields.integer("IntervalSeconds", 1, MAX_SECONDS, &mut cx.diags);
        fields.integer("MaxAttempts", 0, MAX_SECONDS, &mut cx.diags);
        fields.number("BackoffRate", 1.0, f64::INFINITY, &mut cx.diags);
        fields.integer("MaxDelaySeconds", 1, MAX_DELAY, &mut cx.diags);
        fields.one_of("JitterStrategy", &["FULL", "NONE"], &mut cx.diags);
    }
}

pub fn catchers<'a>(
    cx: &mut Cx<'a>,
    state: &Fields<'a>,
    entry: &mut ScopeState<'a>,
    jsonata: bool,
) {
    let Some(list) = entries(cx, state, "Catch") else {
        entry.edges_known &= !state.has("Catch");
        return;
    };
    for (i, node) in list.iter().enumerate() {
        let field = format!("Catch[{i}]");
        let Some(fields) = Fields::of(
            node,
            &field,
            format!("catcher {}", i + 1).into(),
            &mut cx.diags,
        ) else {
            entry.edges_known = false;
            continue;
        };
        let (known, other): (&[&str], &str) = if jsonata {
            (
                &["ErrorEquals", "Next", "Output", "Assign", "Comment"],
                "ResultPath",
            )
        } else {
            (
                &["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"],
                "Output",
            )
        };
        fields.only(
            known,
            &[],
            |key| {
                (key == other).then(|| {
                    if jsonata {
                        "`ResultPath` belongs to JSONPath catchers; a JSONata catcher shapes its output with `Output` (`$states.errorOutput` is the error)".to_string()
                    } else {
                        "`Output` belongs to JSONata catchers; a JSONPath catcher places the error with `ResultPath`".to_string()
                    }
                })
            },
            &mut cx.diags,
        );
        error_equals(cx, &fields, i + 1 == list.len(), "catcher");
        fields.string("Comment", &mut cx.diags);
        if let Some(node) = fields.get("ResultPath")
            && node.value != super::json::Value::Null
            && !jsonata
        {
            values::path(node, "ResultPath", PathRule::Result, &mut cx.diags);
        }
        if jsonata && let Some(node) = fields.get("Output") {
            super::jsonata::template(cx, node, "Output", super::jsonata::ERROR_OUTPUT);
        }
        if let Some(node) = fields.get("Assign") {
            super::jsonata::assign(cx, node, jsonata, super::jsonata::ERROR_OUTPUT);
        }
        fields.require(
            "Next",
            "a catcher's `Next` names the state that handles the error",
            &mut cx.diags,
        );
        match fields.name("Next", &mut cx.diags) {
            Some((target, node)) => entry.edges.push(Edge {
                target,
                span: node.span,
                field: "Next",
            }),
            None => entry.edges_known = false,
        }
    }
}

/// The state's `Retry` or `Catch` array.
fn entries<'a>(cx: &mut Cx, state: &Fields<'a>, key: &str) -> Option<&'a [Node]> {
    let node = state.get(key)?;
    match node.as_array() {
        Some(items) => Some(items),
        None => {
            cx.diags
                .push(super::fields::wrong_type(node, key, "an array"));
            None
        }
    }
}

fn error_equals(cx: &mut Cx, fields: &Fields, last: bool, what: &str) {
    fields.require(
        "ErrorEquals",
        "`ErrorEquals` lists the error names this entry handles, e.g. [\"States.ALL\"]",
        &mut cx.diags,
    );
    let Some(names) = fields.array("ErrorEquals", &mut cx.diags) else {
        return;
    };
    for (i, name) in names.iter().enumerate() {
        match name.as_str() {
            None => cx.diags.push(super::fields::wrong_type(
                name,
                &format!("ErrorEquals[{i}]"),
                "an error name (a string)",
            )),
            Some("") => cx.diags.push(invalid(
                name,
                "an error name is empty".into(),
                "empty",
                "write an error name such as \"States.TaskFailed\"",
            )),
            Some("States.ALL") if names.len() > 1 => cx.diags.push(Diag::AslCatchAllPlacement {
                span: name.span,
                message: "`States.ALL` is not alone in its `ErrorEquals`".into(),
                label: "with other error names".into(),
            }),
            Some("States.ALL") if !last => cx.diags.push(Diag::AslCatchAllPlacement {
                span: name.span,
                message: format!("`States.ALL` is in a {what} that is not the last"),
                label: format!("the {what}s after this one can never match"),
            }),
            Some(_) => {}
        }
    }
}
