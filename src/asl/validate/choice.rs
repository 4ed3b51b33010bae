//! Choice states and their rules: a top-level rule has `Next`, a nested one
//! (inside `And`, `Or`, `Not`) has none; a rule is exactly one of `And`,
//! `Or`, `Not` or a comparison of `Variable` with an operand of the type
//! its operator takes.

use super::Cx;
use super::fields::{Fields, wrong_type};
use super::json::{Node, Value};
use super::transitions::{Edge, ScopeState};
use super::values::{self, PathRule};
use crate::asl::{Operand, Operator};
use crate::check::suggest::closest;
use crate::diagnostics::Diag;

/// Rules nest at most this deep; deeper is refused rather than recursed into.
const MAX_DEPTH: usize = 64;

pub fn state<'a>(cx: &mut Cx<'a>, fields: &Fields<'a>, entry: &mut ScopeState<'a>, jsonata: bool) {
    fields.require(
        "Choices",
        "`Choices` lists the rules tried in order; the first that matches picks `Next`",
        &mut cx.diags,
    );
    let rules = fields.array("Choices", &mut cx.diags);
    entry.edges_known &= rules.is_some();
    for (i, rule) in rules.unwrap_or_default().iter().enumerate() {
        match top_rule(cx, rule, i, jsonata) {
            Some(next) => entry.edges.push(next),
            None => entry.edges_known = false,
        }
    }
    match fields.name("Default", &mut cx.diags) {
        Some((target, node)) => entry.edges.push(Edge {
            target,
            span: node.span,
            field: "Default",
        }),
        None => entry.edges_known &= !fields.has("Default"),
    }
}

fn top_rule<'a>(cx: &mut Cx<'a>, node: &'a Node, i: usize, jsonata: bool) -> Option<Edge<'a>> {
    let fields = Fields::of(
        node,
        &format!("Choices[{i}]"),
        "a Choice rule".into(),
        &mut cx.diags,
    )?;
    if jsonata {
        super::jsonata::choice_rule(cx, &fields);
    } else {
        rule(cx, &fields, 0);
        if let Some(assign) = fields.get("Assign") {
            super::jsonata::assign(cx, assign, false, super::jsonata::PLAIN);
        }
    }
    if !fields.has("Next") {
        cx.diags.push(Diag::AslBadChoiceRule {
            span: fields.opening(),
            message: "a Choice rule has no `Next`".into(),
            label: "which state does it choose?".into(),
            help: "each rule in `Choices` names the state to go to when it matches: add `\"Next\": \"<state>\"`".into(),
        });
    }
    let (target, next) = fields.name("Next", &mut cx.diags)?;
    Some(Edge {
        target,
        span: next.span,
        field: "Next",
    })
}

/// One rule's shape, at any depth.
fn rule(cx: &mut Cx, fields: &Fields, depth: usize) {
    if depth > MAX_DEPTH {
        cx.diags.push(Diag::AslBadChoiceRule {
            span: fields.opening(),
            message: format!("Choice rules are nested more than {MAX_DEPTH} levels deep"),
            label: "too deep".into(),
            help: "flatten the rule with `And`/`Or` lists".into(),
        });
        return;
    }
    fields.string("Comment", &mut cx.diags);
    let operators: Vec<(&str, Option<Operator>)> = fields
        .members
        .iter()
        .filter_map(|m| match m.key.as_str() {
            k @ ("And" | "Or" | "Not") => Some((k, None)),
            k => Operator::from_name(k).map(|op| (k, Some(op))),
        })
        .collect();
    let mut unknown = false;
    for member in fields.members {
        let key = member.key.as_str();
        let known = matches!(key, "Variable" | "Comment" | "Next")
            || (key == "Assign" && depth == 0)
            || operators.iter().any(|(k, _)| *k == key);
        if !known {
            unknown = true;
            let candidates = Operator::ALL
                .iter()
                .map(|op| op.name())
                .chain(["And", "Or", "Not", "Variable", "Next", "Comment"]);
            let help = match key {
                "Condition" | "Output" => format!(
                    "`{key}` belongs to JSONata Choice rules; set `\"QueryLanguage\": \"JSONata\"` on the state to use it"
                ),
                "Assign" => "only a rule in `Choices` assigns variables, not one inside `And`, `Or` or `Not`".into(),
                _ => closest(key, candidates).map_or_else(
                    || "a rule is `Variable` with a comparison such as `StringEquals`, or `And`, `Or` or `Not`".into(),
                    |best| format!("did you mean `{best}`?"),
                ),
            };
            cx.diags.push(Diag::AslUnknownField {
                span: member.key_span,
                field: key.to_string(),
                place: "a Choice rule".into(),
                help,
            });
        }
        if key == "Next" && depth > 0 {
            cx.diags.push(Diag::AslBadChoiceRule {
                span: member.key_span,
                message: "a rule inside `And`, `Or` or `Not` has a `Next`".into(),
                label: "only top-level rules choose a state".into(),
                help: "move `Next` to the rule in `Choices` that holds this one".into(),
            });
        }
    }
    match operators.as_slice() {
        [] if unknown => {}
        [] => cx.diags.push(Diag::AslBadChoiceRule {
            span: fields.opening(),
            message: "a Choice rule has no comparison".into(),
            label: "compares nothing".into(),
            help: "write `Variable` with an operator such as `\"StringEquals\": \"x\"`, or `And`, `Or` or `Not`".into(),
        }),
        [(key, op)] => match op {
            None => combinator(cx, fields, key, depth),
            Some(op) => comparison(cx, fields, *op, key),
        },
        [_, (second, _), ..] => {
            let span = fields.member(second).map_or(fields.opening(), |m| m.key_span);
            cx.diags.push(Diag::AslBadChoiceRule {
                span,
                message: "a Choice rule has more than one comparison".into(),
                label: "a second comparison".into(),
                help: "combine comparisons with `And` or `Or`: each rule holds exactly one".into(),
            });
        }
    }
}

fn combinator(cx: &mut Cx, fields: &Fields, key: &str, depth: usize) {
    if let Some(variable) = fields.member("Variable") {
        cx.diags.push(Diag::AslBadChoiceRule {
            span: variable.key_span,
            message: format!("`Variable` has no meaning next to `{key}`"),
            label: "unused".into(),
            help: format!("put `Variable` in the rules inside `{key}`"),
        });
    }
    let nested: Vec<&Node> = if key == "Not" {
        fields.get("Not").into_iter().collect()
    } else {
        fields
            .array(key, &mut cx.diags)
            .unwrap_or_default()
            .iter()
            .collect()
    };
    for (i, node) in nested.into_iter().enumerate() {
        let field = if key == "Not" {
            key.to_string()
        } else {
            format!("{key}[{i}]")
        };
        if let Some(inner) = Fields::of(node, &field, "a Choice rule".into(), &mut cx.diags) {
            rule(cx, &inner, depth + 1);
        }
    }
}

fn comparison(cx: &mut Cx, fields: &Fields, op: Operator, key: &str) {
    match fields.get("Variable") {
        Some(variable) => {
            values::path(variable, "Variable", PathRule::Any, &mut cx.diags);
        }
        None => cx.diags.push(Diag::AslBadChoiceRule {
            span: fields.opening(),
            message: format!("the comparison `{key}` has no `Variable`"),
            label: "compares what?".into(),
            help: "add `\"Variable\": \"$.field\"`, the path to the value compared".into(),
        }),
    }
    let Some(value) = fields.get(key) else { return };
    let ok = matches!(
        (op.operand(), &value.value),
        (
            Operand::String | Operand::Timestamp | Operand::Path,
            Value::String(_)
        ) | (Operand::Number, Value::Number(..))
            | (Operand::Boolean | Operand::TypeTest, Value::Bool(_))
    );
    if !ok {
        let expected = match op.operand() {
            Operand::String => "a string",
            Operand::Timestamp => "a timestamp string",
            Operand::Path => "a path string",
            Operand::Number => "a number",
            Operand::Boolean | Operand::TypeTest => "true or false",
        };
        cx.diags.push(wrong_type(value, key, expected));
        return;
    }
    match op.operand() {
        Operand::Path => {
            values::path(value, key, PathRule::Reference, &mut cx.diags);
        }
        Operand::Timestamp => {
            let text = value.as_str().unwrap_or_default();
            if !values::is_timestamp(text) {
                cx.diags.push(Diag::AslBadTimestamp {
                    span: value.span,
                    field: key.to_string(),
                    value: text.to_string(),
                });
            }
        }
        _ => {}
    }
}
