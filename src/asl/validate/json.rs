//! JSON text → a tree in which every key and value keeps its byte span, so a
//! problem in a definition points at the exact spot.
//!
//! A byte scan first bounds nesting (128 levels), so hostile input is an
//! error, not a stack overflow. serde_json is then the authority on syntax:
//! it accepts strict JSON only. jsonc-parser, with every extension turned off, then supplies
//! the spans; it only ever sees text serde_json accepted.

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::diagnostics::Diag;
use crate::source::Span;

/// Deepest nesting read: well inside serde_json's recursion limit (128),
/// which the typed read of an accepted definition must stay under.
const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number as written; `f64` for comparisons.
    Number(String, f64),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// What kind of JSON value this is, in words.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(..) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The span of a string's contents, without its quotes.
    pub fn inner_span(&self) -> Span {
        match self.value {
            Value::String(_) if self.span.len() >= 2 => {
                Span::new(self.span.start + 1, self.span.end - 1)
            }
            _ => self.span,
        }
    }

    /// The value as plain JSON, for the typed model.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(text, _) => serde_json::from_str(text).unwrap_or(J::Null),
            Value::String(s) => J::String(s.clone()),
            Value::Array(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Object(members) => J::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), m.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parses JSON text into a spanned tree, or says where and why it is not JSON.
pub fn parse(text: &str) -> Result<Node, Diag> {
    if text.starts_with('\u{feff}') {
        return Err(Diag::AslJsonSyntax {
            span: Span::new(0, 3),
            message: "the file starts with a byte order mark (BOM)".into(),
        });
    }
    check_depth(text)?;
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Err(syntax_error(text, &e));
    }
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict);
    match parsed {
        Ok(jsonc_parser::ParseResult {
            value: Some(value), ..
        }) => Ok(convert(value)),
        // serde_json accepted the text, so this is a disagreement between
        // the two parsers; report it rather than guess.
        Ok(_) => Err(Diag::AslJsonSyntax {
            span: Span::new(0, 0),
            message: "the file holds no JSON value".into(),
        }),
        Err(e) => Err(Diag::AslJsonSyntax {
            span: Span::new(e.range().start, e.range().end),
            message: e.kind().to_string(),
        }),
    }
}

fn convert(value: ast::Value<'_>) -> Node {
    let (span, value) = match value {
        ast::Value::NullKeyword(n) => (n.range, Value::Null),
        ast::Value::BooleanLit(b) => (b.range, Value::Bool(b.value)),
        ast::Value::NumberLit(n) => (
            n.range,
            Value::Number(n.value.to_string(), n.value.parse().unwrap_or(f64::NAN)),
        ),
        ast::Value::StringLit(s) => (s.range, Value::String(s.value.into_owned())),
        ast::Value::Array(a) => (
            a.range,
            Value::Array(a.elements.into_iter().map(convert).collect()),
        ),
        ast::Value::Object(o) => (
            o.range,
            Value::Object(o.properties.into_iter().map(member).collect()),
        ),
    };
    Node {
        span: Span::new(span.start, span.end),
        value,
    }
}

fn member(prop: ast::ObjectProp<'_>) -> Member {
    let (key, range) = match prop.name {
        ast::ObjectPropName::String(s) => (s.value.into_owned(), s.range),
        ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
    };
    Member {
        key,
        key_span: Span::new(range.start, range.end),
        value: convert(prop.value),
    }
}

/// Refuses nesting deeper than `MAX_DEPTH` before any parser recurses into it.
fn check_depth(text: &str) -> Result<(), Diag> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, byte) in text.bytes().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'[' | b'{' if !in_string => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Diag::NestingTooDeep {
                        span: Span::new(i, i + 1),
                        limit: MAX_DEPTH,
                    });
                }
            }
            b']' | b'}' if !in_string => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The byte offset of a 1-based line and byte column, as serde_json reports them.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// serde_json reports a line and a byte column; turn them into a span.
fn syntax_error(text: &str, e: &serde_json::Error) -> Diag {
    let at = offset_of(text, e.line(), e.column());
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    Diag::AslJsonSyntax {
        span: Span::new(at, end),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = r#"{"a": [1, "x"], "b": null}"#;
        let node = parse(text).expect("valid");
        let members = node.as_object().expect("object");
        assert_eq!(
            &text[members[0].key_span.start..members[0].key_span.end],
            "\"a\""
        );
        let items = members[0].value.as_array().expect("array");
        assert_eq!(&text[items[1].span.start..items[1].span.end], "\"x\"");
        assert_eq!(members[1].value.value, Value::Null);
    }

    #[test]
    fn duplicate_keys_are_kept_for_the_checker() {
        let node = parse(r#"{"a": 1, "a": 2}"#).expect("valid");
        assert_eq!(node.as_object().map(<[Member]>::len), Some(2));
    }

    #[test]
    fn non_json_is_reported_where_it_goes_wrong() {
        for (text, at) in [
            ("{\"a\": 1,}", 8),
            ("{'a': 1}", 1),
            ("{\"a\": 1} // c", 9),
            ("[1, 2", 5),
        ] {
            let diag = parse(text).expect_err(text);
            assert!(
                diag.primary_span().start <= at && at <= diag.primary_span().end + 1,
                "{text}: {:?}",
                diag.primary_span()
            );
        }
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(matches!(parse(&text), Err(Diag::NestingTooDeep { .. })));
    }
}
