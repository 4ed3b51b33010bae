//! Values, strings and conditions: on one line when they fit and hold no
//! comment, else broken one entry or element per line.

use super::Printer;
use crate::source::Span;
use crate::syntax::ast::{Condition, ConditionKind, Entry, TypeName, Value, ValueKind};

/// A string literal with the canonical escapes: `\"`, `\\`, the short
/// control escapes, `\u00XX` for other control characters; everything else
/// as itself.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An object key: bare when it is a name the grammar reads as one.
fn key(text: &str) -> String {
    let mut chars = text.chars();
    let bare = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !text.contains("->");
    if bare { text.to_string() } else { string(text) }
}

/// A condition on one line, with parentheses only where the grammar needs
/// them (and where the source nested like operators, so the tree stays).
pub fn condition(c: &Condition, p: &Printer<'_>) -> String {
    match &c.kind {
        ConditionKind::Or(parts) => join(parts, " or ", p, |k| matches!(k, ConditionKind::Or(_))),
        ConditionKind::And(parts) => join(parts, " and ", p, |k| {
            matches!(k, ConditionKind::Or(_) | ConditionKind::And(_))
        }),
        ConditionKind::Not(inner) => {
            let text = condition(inner, p);
            match inner.kind {
                ConditionKind::Or(_) | ConditionKind::And(_) => format!("not ({text})"),
                _ => format!("not {text}"),
            }
        }
        ConditionKind::Compare { path, op, operand } => {
            let value = Value {
                kind: operand.kind.clone(),
                span: operand.span,
            };
            let right = inline(&value, p).unwrap_or_default();
            format!("{} {} {right}", path.text, op.node.as_str())
        }
        ConditionKind::Like { path, pattern } => {
            format!("{} like {}", path.text, string(&pattern.node))
        }
        ConditionKind::Exists(path) => format!("{} exists", path.text),
        ConditionKind::Is { path, type_name } => {
            let name = match type_name.node {
                TypeName::Null => "null",
                TypeName::String => "string",
                TypeName::Number => "number",
                TypeName::Boolean => "boolean",
                TypeName::Timestamp => "timestamp",
            };
            format!("{} is {name}", path.text)
        }
    }
}

fn join(
    parts: &[Condition],
    separator: &str,
    p: &Printer<'_>,
    needs_parens: impl Fn(&ConditionKind) -> bool,
) -> String {
    parts
        .iter()
        .map(|part| {
            let text = condition(part, p);
            if needs_parens(&part.kind) {
                format!("({text})")
            } else {
                text
            }
        })
        .collect::<Vec<_>>()
        .join(separator)
}

/// The value on one line, or `None` when it holds a comment.
pub fn inline(v: &Value, p: &Printer<'_>) -> Option<String> {
    if p.has_comment(v.span) {
        return None;
    }
    Some(match &v.kind {
        ValueKind::Null => "null".into(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Number(_) => p.literal(v.span),
        ValueKind::String(s) => string(s),
        ValueKind::Path(path) => path.text.clone(),
        ValueKind::Array(items) => {
            let parts: Option<Vec<String>> = items.iter().map(|i| inline(i, p)).collect();
            format!("[{}]", parts?.join(", "))
        }
        ValueKind::Object(object) if object.entries.is_empty() => "{}".into(),
        ValueKind::Object(object) => {
            let parts: Option<Vec<String>> = object
                .entries
                .iter()
                .map(|e| Some(format!("{}: {}", key(&e.key.node), inline(&e.value, p)?)))
                .collect();
            format!("{{ {} }}", parts?.join(", "))
        }
        ValueKind::Call(call) => {
            let parts: Option<Vec<String>> = call.args.iter().map(|a| inline(a, p)).collect();
            format!("{}({})", call.function.name, parts?.join(", "))
        }
    })
}

impl Printer<'_> {
    /// `prefix` and the value as one item: one line when it fits, else
    /// broken over lines, the value's inner items indented.
    pub(super) fn value_item(&mut self, prefix: &str, v: &Value, blank_before: bool) {
        self.value_with(prefix, v, "", v.span.start, blank_before);
    }

    fn value_with(&mut self, prefix: &str, v: &Value, suffix: &str, start: usize, blank: bool) {
        if let Some(text) = inline(v, self) {
            let line = format!("{prefix}{text}{suffix}");
            if line.chars().count() <= self.columns_left() || !breakable(v) {
                self.line(Span::new(start, v.span.end), &line, blank);
                return;
            }
        }
        match &v.kind {
            ValueKind::Object(object) => {
                self.open(start, v.span.start, prefix.trim_end(), blank);
                entries(self, &object.entries);
                self.close(v.span.end.saturating_sub(1), suffix);
            }
            ValueKind::Array(items) => {
                self.open_line(start, v.span.start, &format!("{prefix}["), blank);
                for item in items {
                    self.value_with("", item, ",", item.span.start, false);
                }
                self.close_with(v.span.end.saturating_sub(1), "]", suffix);
            }
            ValueKind::Call(call) => {
                let open = format!("{prefix}{}(", call.function.name);
                self.open_line(start, v.span.start, &open, blank);
                let last = call.args.len().saturating_sub(1);
                for (i, arg) in call.args.iter().enumerate() {
                    // The grammar allows no comma after a call's last argument.
                    let comma = if i == last { "" } else { "," };
                    self.value_with("", arg, comma, arg.span.start, false);
                }
                self.close_with(v.span.end.saturating_sub(1), ")", suffix);
            }
            // Scalars cannot break: one line, however long.
            _ => {
                let text = inline(v, self).unwrap_or_default();
                self.line(
                    Span::new(start, v.span.end),
                    &format!("{prefix}{text}{suffix}"),
                    blank,
                );
            }
        }
    }
}

/// Whether a value can be written over several lines.
fn breakable(v: &Value) -> bool {
    match &v.kind {
        ValueKind::Object(o) => !o.entries.is_empty(),
        ValueKind::Array(a) => !a.is_empty(),
        ValueKind::Call(c) => !c.args.is_empty(),
        _ => false,
    }
}

/// An object's entries, one per line (commas are optional there).
pub fn entries(p: &mut Printer<'_>, entries: &[Entry]) {
    for entry in entries {
        let prefix = format!("{}: ", key(&entry.key.node));
        p.value_with(&prefix, &entry.value, "", entry.key.span.start, false);
    }
}
