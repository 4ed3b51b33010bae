//! JSONata states, and `Assign` in both query languages: the fields each
//! JSONata state takes, every `{% … %}` expression compiled, and AWS's
//! rules on what an expression may read ("Transforming data with JSONata
//! in Step Functions"): `$states.result` only in the `Output` and `Assign`
//! of a Task, Parallel or Map, `$states.errorOutput` only in a catcher's,
//! no input of its own (no top-level `$` or field name), no `$eval`, and
//! only the JSONata of version 2.0.6 (no `??` or `?:`).

use super::Cx;
use super::fields::{Fields, MAX_SECONDS, invalid, wrong_type};
use super::json::{Node, Value};
use super::values;
use crate::asl::jsonata;
use crate::diagnostics::Diag;
use crate::source::Span;

/// Which `$states` fields an expression may read besides `input` and
/// `context`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Reads {
    pub result: bool,
    pub error_output: bool,
}

pub(super) const PLAIN: Reads = Reads {
    result: false,
    error_output: false,
};
pub(super) const RESULT: Reads = Reads {
    result: true,
    error_output: false,
};
pub(super) const ERROR_OUTPUT: Reads = Reads {
    result: false,
    error_output: true,
};

/// AWS's longest variable name.
const MAX_NAME: usize = 80;

/// Checks a string node when it is an expression; `true` when it was one.
pub(super) fn expression(cx: &mut Cx, node: &Node, field: &str, reads: Reads) -> bool {
    let Some(text) = node.as_str() else {
        return false;
    };
    let Some(body) = jsonata::delimited(text) else {
        return false;
    };
    let at = |range: (usize, usize)| {
        // The body starts after `{%`; offsets map to the file only when
        // the string has no escapes (`values::inside` falls back to the
        // whole string).
        values::inside(node, range.0 + 2..range.1.max(range.0 + 1) + 2)
    };
    let bad = |span: Span, message: String, label: &str, help: &str| Diag::AslBadExpression {
        span,
        field: field.to_string(),
        message,
        label: label.to_string(),
        help: help.to_string(),
    };
    let compiled = jsonata::compiled(body);
    let analysis = match &*compiled {
        Ok(compiled) => &compiled.analysis,
        Err(e) => {
            let span = e.span.map_or(node.span, at);
            cx.diags.push(bad(
                span,
                format!("the JSONata expression does not compile: {}", e.message),
                &e.code,
                "fix the expression between `{%` and `%}` (JSONata 2.0 syntax)",
            ));
            return true;
        }
    };
    for (what, range) in &analysis.unsupported {
        cx.diags.push(bad(
            at(*range),
            format!("Step Functions does not support {what}"),
            "not in Step Functions",
            if what.contains("eval") {
                "Step Functions removes `$eval`; to read JSON text use `$parse`"
            } else {
                "Step Functions runs JSONata 2.0.6, which lacks `??` and `?:`; write `$exists(x) ? x : y` or `x ? x : y`"
            },
        ));
    }
    // `$eval` may read anything; it is reported above.
    let evaluates = analysis.unsupported.iter().any(|(w, _)| w.contains("eval"));
    let misreads = [
        (
            analysis.reads_input && !evaluates,
            "the expression reads an input, but a state's expressions have none",
            "no input here",
            "AWS evaluates expressions without an input document: read the state input as `$states.input.field`, not `field` or `$`",
        ),
        (
            analysis.states.result && !reads.result,
            "`$states.result` is read where there is no result",
            "no result here",
            "`$states.result` exists only in the `Output` and `Assign` of a Task, Parallel or Map state",
        ),
        (
            analysis.states.error_output && !reads.error_output,
            "`$states.errorOutput` is read outside a catcher",
            "no error here",
            "`$states.errorOutput` exists only in the `Output` and `Assign` of a `Catch` entry",
        ),
    ];
    for (_, message, label, help) in misreads.into_iter().filter(|m| m.0) {
        cx.diags.push(bad(node.span, message.into(), label, help));
    }
    true
}

/// A JSON value whose strings may be expressions, at any depth
/// (`Arguments`, `Output`, `ItemSelector`, an `Assign` value).
pub(super) fn template(cx: &mut Cx, node: &Node, field: &str, reads: Reads) {
    match &node.value {
        Value::String(_) => {
            expression(cx, node, field, reads);
        }
        Value::Object(members) => {
            for member in members {
                template(cx, &member.value, &format!("{field}/{}", member.key), reads);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                template(cx, item, &format!("{field}/{i}"), reads);
            }
        }
        _ => {}
    }
}

/// A number field that may be an expression instead.
pub(super) fn number(
    cx: &mut Cx,
    fields: &Fields,
    key: &str,
    (min, max): (f64, f64),
    integer: bool,
) -> Option<u64> {
    let node = fields.get(key)?;
    if node.as_str().is_some() {
        if !expression(cx, node, key, PLAIN) {
            cx.diags
                .push(wrong_type(node, key, "a number or a `{% … %}` expression"));
        }
        return None;
    }
    if integer {
        fields
            .integer(key, min as u64, max as u64, &mut cx.diags)
            .map(|(n, _)| n)
    } else {
        fields.number(key, min, max, &mut cx.diags);
        None
    }
}

/// A string field that may be an expression (`Error`, `Cause`, `Timestamp`).
pub(super) fn string<'a>(cx: &mut Cx, fields: &Fields<'a>, key: &str) -> Option<&'a str> {
    let node = fields.get(key)?;
    if expression(cx, node, key, PLAIN) {
        return None;
    }
    fields.string(key, &mut cx.diags).map(|(s, _)| s)
}

/// Whether `name` is a variable name AWS takes: a Unicode identifier of at
/// most 80 characters, and not the reserved `states`.
pub(super) fn variable_name_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let starts = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    if !starts || !chars.all(|c| c.is_alphanumeric() || c == '_') {
        return Some(format!(
            "`{name}` is not a variable name: it starts with a letter or `_` and holds only letters, digits and `_`"
        ));
    }
    if name.chars().count() > MAX_NAME {
        return Some(format!(
            "the variable name `{name}` is longer than {MAX_NAME} characters"
        ));
    }
    (name == "states").then(|| "`states` is reserved: `$states` is the state's own data".into())
}

/// `Assign`, in a state, a Choice rule or a catcher: an object of variable
/// names. In JSONPath a `name.$` key takes a path or intrinsic call; in
/// JSONata a value may hold expressions.
pub(super) fn assign(cx: &mut Cx, node: &Node, jsonata: bool, reads: Reads) {
    let Some(members) = node.as_object() else {
        cx.diags
            .push(wrong_type(node, "Assign", "an object of variables"));
        return;
    };
    for member in members {
        let (name, dynamic) = match member.key.strip_suffix(".$") {
            Some(name) if !jsonata => (name, true),
            _ => (member.key.as_str(), false),
        };
        if let Some(problem) = variable_name_problem(name) {
            cx.diags.push(Diag::AslInvalidValue {
                span: member.key_span,
                message: problem,
                label: "not a variable name".into(),
                help: "AWS's variable names are Unicode identifiers of up to 80 characters, other than `states`".into(),
            });
        }
        if jsonata::functions::is_function(name) {
            cx.diags.push(Diag::AslShadowedFunction {
                span: member.key_span,
                name: name.to_string(),
            });
        }
        let field = format!("Assign/{name}");
        if jsonata {
            template(cx, &member.value, &field, reads);
        } else if dynamic {
            values::dynamic(&member.value, &member.key, &mut cx.diags);
        } else {
            values::template_value(&member.value, &mut cx.diags);
        }
    }
}

/// The `Output` and `Assign` of a state, with what they may read.
fn output_and_assign(cx: &mut Cx, fields: &Fields, reads: Reads) {
    if let Some(node) = fields.get("Output") {
        template(cx, node, "Output", reads);
    }
    if let Some(node) = fields.get("Assign") {
        assign(cx, node, true, reads);
    }
}

/// The fields of a JSONata state of type `kind` (transitions, retriers,
/// catchers and nested machines are checked by the caller).
pub(super) fn state(cx: &mut Cx, kind: &str, fields: &Fields) {
    let with_result = matches!(kind, "Task" | "Parallel" | "Map");
    output_and_assign(cx, fields, if with_result { RESULT } else { PLAIN });
    if let Some(node) = fields.get("Arguments") {
        template(cx, node, "Arguments", PLAIN);
    }
    match kind {
        "Task" => {
            let range = (1.0, MAX_SECONDS as f64);
            let timeout = number(cx, fields, "TimeoutSeconds", range, true);
            let heartbeat = number(cx, fields, "HeartbeatSeconds", range, true);
            if let (Some(timeout), Some(heartbeat)) = (timeout, heartbeat)
                && heartbeat >= timeout
                && let (Some(t), Some(h)) =
                    (fields.get("TimeoutSeconds"), fields.get("HeartbeatSeconds"))
            {
                cx.diags.push(Diag::AslHeartbeatNotBelowTimeout {
                    span: h.span,
                    heartbeat,
                    timeout,
                    timeout_span: t.span,
                });
            }
            if let Some(c) = fields.get("Credentials") {
                template(cx, c, "Credentials", PLAIN);
            }
        }
        "Wait" => {
            fields.exactly_one(&["Seconds", "Timestamp"], &mut cx.diags);
            number(cx, fields, "Seconds", (0.0, MAX_SECONDS as f64), true);
            if let Some(stamp) = string(cx, fields, "Timestamp")
                && !values::is_timestamp(stamp)
                && let Some(node) = fields.get("Timestamp")
            {
                cx.diags.push(Diag::AslBadTimestamp {
                    span: node.span,
                    field: "Timestamp".into(),
                    value: stamp.to_string(),
                });
            }
        }
        "Fail" => {
            string(cx, fields, "Error");
            string(cx, fields, "Cause");
        }
        "Map" => map(cx, fields),
        _ => {}
    }
}

fn map(cx: &mut Cx, fields: &Fields) {
    if let Some(items) = fields.get("Items") {
        match &items.value {
            Value::Array(_) => template(cx, items, "Items", PLAIN),
            Value::String(_) if expression(cx, items, "Items", PLAIN) => {}
            _ => cx.diags.push(wrong_type(
                items,
                "Items",
                "an array or a `{% … %}` expression",
            )),
        }
    }
    if let Some(selector) = fields.get("ItemSelector") {
        template(cx, selector, "ItemSelector", PLAIN);
    }
    let count = (0.0, f64::from(u32::MAX));
    number(cx, fields, "MaxConcurrency", count, true);
    number(cx, fields, "ToleratedFailureCount", count, true);
    number(
        cx,
        fields,
        "ToleratedFailurePercentage",
        (0.0, 100.0),
        false,
    );
}

/// A JSONata Choice rule: `Condition`, `Next`, and optionally `Assign`,
/// `Output` and `Comment`.
pub(super) fn choice_rule(cx: &mut Cx, fields: &Fields) {
    fields.only(
        &["Condition", "Next", "Assign", "Output", "Comment"],
        &[],
        |key| {
            (key == "Variable" || crate::asl::Operator::from_name(key).is_some()
                || matches!(key, "And" | "Or" | "Not"))
            .then(|| {
                format!("`{key}` belongs to JSONPath Choice rules; a JSONata rule tests a `Condition`, such as `\"{{% $states.input.n > 1 %}}\"`")
            })
        },
        &mut cx.diags,
    );
    fields.string("Comment", &mut cx.diags);
    match fields.require(
        "Condition",
        "a JSONata Choice rule tests a `Condition`: `true`, `false` or an expression such as `\"{% $states.input.n > 1 %}\"`",
        &mut cx.diags,
    ) {
        Some(node) if matches!(node.value, Value::Bool(_)) => {}
        Some(node) if expression(cx, node, "Condition", PLAIN) => {}
        Some(node) => cx.diags.push(invalid(
            node,
            "`Condition` must be true, false or a `{% … %}` expression".into(),
            "not a condition",
            "write the test between `{%` and `%}`, such as `\"{% $states.input.n > 1 %}\"`",
        )),
        None => {}
    }
    output_and_assign(cx, fields, PLAIN);
}
