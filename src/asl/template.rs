//! `.flow` values as ASL payload templates: literal JSON stays JSON; a path
//! or intrinsic call becomes a `"key.$"` field whose string ASL evaluates at
//! run time; intrinsic arguments are written in ASL's own syntax, with its
//! escaping rules for string literals.

use serde_json::{Map, Number, Value as Json};

use crate::syntax::ast::{Call, Object, Value, ValueKind};

/// A value as ASL needs it: literal JSON, or an expression to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    Literal(Json),
    /// A path (`$.input.date`) or an intrinsic call (`States.Format('{}', $.x)`).
    Dynamic(String),
}

/// A value ASL's JSONPath templates cannot express.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    pub span: crate::source::Span,
    pub reason: &'static str,
}

/// Converts one value.
pub fn template(value: &Value) -> Result<Template, Unsupported> {
    Ok(match &value.kind {
        ValueKind::Null => Template::Literal(Json::Null),
        ValueKind::Bool(b) => Template::Literal(Json::Bool(*b)),
        ValueKind::Number(n) => Template::Literal(Json::Number(n.clone())),
        ValueKind::String(s) => Template::Literal(Json::String(s.clone())),
        ValueKind::Path(path) => Template::Dynamic(path.text.clone()),
        ValueKind::Call(call) => Template::Dynamic(intrinsic(call)?),
        ValueKind::Object(object) => Template::Literal(Json::Object(object_template(object)?)),
        ValueKind::Array(items) => array(items)?,
    })
}

/// An object's entries, with `.$` keys for the dynamic ones.
pub fn object_template(object: &Object) -> Result<Map<String, Json>, Unsupported> {
    let mut map = Map::new();
    for entry in &object.entries {
        insert(&mut map, &entry.key.node, template(&entry.value)?);
    }
    Ok(map)
}

/// Puts a converted value under `key` (as `key.$` when it is dynamic).
pub fn insert(map: &mut Map<String, Json>, key: &str, value: Template) {
    match value {
        Template::Literal(json) => map.insert(key.to_string(), json),
        Template::Dynamic(expr) => map.insert(format!("{key}.$"), Json::String(expr)),
    };
}

/// A list element cannot be a `.$` field: a list with run-time elements is
/// built with `States.Array(…)`, which takes scalars, paths and calls.
/// Objects inside a literal list may still have `.$` fields (AWS evaluates
/// payload templates at any depth, e.g. ECS `ContainerOverrides`).
fn array(items: &[Value]) -> Result<Template, Unsupported> {
    if items.iter().any(|item| item.kind.is_dynamic()) {
        let args = items.iter().map(argument).collect::<Result<Vec<_>, _>>()?;
        return Ok(Template::Dynamic(format!(
            "States.Array({})",
            args.join(", ")
        )));
    }
    let elements = items
        .iter()
        .map(|item| match template(item)? {
            Template::Literal(json) => Ok(json),
            Template::Dynamic(_) => Err(Unsupported {
                span: item.span,
                reason: "a list with run-time values inside another list",
            }),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Template::Literal(Json::Array(elements)))
}

/// An intrinsic call in ASL syntax.
pub fn intrinsic(call: &Call) -> Result<String, Unsupported> {
    let is_format = call.function.name == "States.Format";
    let args = call
        .args
        .iter()
        .enumerate()
        .map(|(i, arg)| match (&arg.kind, is_format && i == 0) {
            (ValueKind::String(s), true) => Ok(quote(&escape_template(s))),
            _ => argument(arg),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!("{}({})", call.function.name, args.join(", ")))
}

/// One intrinsic argument: a literal, a path or a nested call.
fn argument(value: &Value) -> Result<String, Unsupported> {
    Ok(match &value.kind {
        ValueKind::Null => "null".into(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Number(n) => number(n),
        ValueKind::String(s) => quote(&escape_literal(s)),
        ValueKind::Path(path) => path.text.clone(),
        ValueKind::Call(call) => intrinsic(call)?,
        ValueKind::Object(_) | ValueKind::Array(_) => {
            return Err(Unsupported {
                span: value.span,
                reason: "an object or list as an intrinsic argument, or inside a list with run-time values",
            });
        }
    })
}

fn number(n: &Number) -> String {
    n.to_string()
}

fn quote(s: &str) -> String {
    format!("'{s}'")
}

/// A string literal in an intrinsic: `'`, `{`, `}` and `\` are escaped.
fn escape_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\'' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A `States.Format` template: `{}` pairs are placeholders and stay; the
/// user's `\{` and `\}` are literal braces and stay escaped; any other brace,
/// quote or backslash is escaped.
fn escape_template(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('{' | '}')) => {
                out.push('\\');
                out.extend(chars.next());
            }
            '{' if chars.peek() == Some(&'}') => {
                out.push_str("{}");
                chars.next();
            }
            '\'' | '{' | '}' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_text;
    use crate::syntax::ast::FlowItem;

    /// The template of the `output` of `flow f { task a { run lambda "x" } output VALUE }`.
    fn convert(value: &str) -> Result<Template, Unsupported> {
        let source = format!(r#"flow f {{ task a {{ run lambda "x" }} output {value} }}"#);
        let checked = check_text(&source);
        let flow = checked.flow().expect("flow");
        let output = flow
            .items
            .iter()
            .find_map(|i| match i {
                FlowItem::Output(v) => Some(v.clone()),
                _ => None,
            })
            .expect("output");
        template(&output)
    }

    fn json(value: &str) -> Json {
        match convert(value) {
            Ok(Template::Literal(j)) => j,
            other => panic!("{value}: {other:?}"),
        }
    }

    fn dynamic(value: &str) -> String {
        match convert(value) {
            Ok(Template::Dynamic(s)) => s,
            other => panic!("{value}: {other:?}"),
        }
    }

    #[test]
    fn literals_stay_json() {
        assert_eq!(
            json(r#"{ a: 1, "b-c": [true, null, "s"], d: { e: 1.5 } }"#).to_string(),
            r#"{"a":1,"b-c":[true,null,"s"],"d":{"e":1.5}}"#
        );
    }

    #[test]
    fn run_time_values_get_dollar_keys() {
        assert_eq!(
            json(r#"{ date: $.input.date, id: $$.Execution.Id, n: 1 }"#).to_string(),
            r#"{"date.$":"$.input.date","id.$":"$$.Execution.Id","n":1}"#
        );
        assert_eq!(dynamic("$.steps"), "$.steps");
    }

    #[test]
    fn lists_with_run_time_values_become_states_array() {
        assert_eq!(
            dynamic(r#"[$.input.a, "x", 2]"#),
            "States.Array($.input.a, 'x', 2)"
        );
    }

    #[test]
    fn intrinsic_strings_are_escaped() {
        assert_eq!(
            dynamic(r#"States.Format("it's {} of {}", $.input.a, "{b}")"#),
            r"States.Format('it\'s {} of {}', $.input.a, '\{b\}')"
        );
        // `\{` in the .flow string is a literal brace; the lone `}` after it is escaped too.
        assert_eq!(
            dynamic(r#"States.Format("literal \\{}", $.input.a)"#),
            r"States.Format('literal \{\}', $.input.a)"
        );
        assert_eq!(
            dynamic(r#"States.StringSplit($.input.csv, ",")"#),
            "States.StringSplit($.input.csv, ',')"
        );
        assert_eq!(
            dynamic(r#"States.JsonToString(States.Array(1, 2))"#),
            "States.JsonToString(States.Array(1, 2))"
        );
    }

    #[test]
    fn objects_inside_lists_keep_their_dollar_keys() {
        assert_eq!(
            json(r#"[{ a: $.input.a }]"#).to_string(),
            r#"[{"a.$":"$.input.a"}]"#
        );
        assert!(convert(r#"[[$.input.a]]"#).is_err());
        assert!(convert(r#"[$.input.a, { b: 1 }]"#).is_err());
    }
}
