//! Reading one JSON object's fields with a diagnostic for each wrong one:
//! unknown, missing, of the wrong type, out of range, or set together with
//! a field it excludes.

use super::json::{Member, Node, Value};
use crate::check::suggest::did_you_mean;
use crate::diagnostics::Diag;
use crate::source::Span;

/// AWS's largest value for seconds fields (`TimeoutSeconds`, `Seconds`,
/// `IntervalSeconds`, `MaxAttempts`): 99999999.
pub const MAX_SECONDS: u64 = 99_999_999;

/// One object and where it sits ("Task state `Load`", "a retrier").
pub struct Fields<'a> {
    pub node: &'a Node,
    pub members: &'a [Member],
    pub place: Place<'a>,
}

/// Where an object sits, in words. A state's is only written out when a
/// problem is reported: a definition of 10,000 states has few problems.
pub enum Place<'a> {
    Text(String),
    /// A state, and its type once known.
    State(Option<&'static str>, &'a str),
}

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Text(text) => f.write_str(text),
            Place::State(None, name) => write!(f, "state `{name}`"),
            Place::State(Some(kind), name) => write!(f, "the {kind} state `{name}`"),
        }
    }
}

impl From<String> for Place<'_> {
    fn from(text: String) -> Self {
        Place::Text(text)
    }
}

impl From<&str> for Place<'_> {
    fn from(text: &str) -> Self {
        Place::Text(text.to_string())
    }
}

impl<'a> Fields<'a> {
    /// The object's fields, or a type error when `node` is not an object.
    pub fn of(
        node: &'a Node,
        field: &str,
        place: Place<'a>,
        diags: &mut Vec<Diag>,
    ) -> Option<Self> {
        match node.as_object() {
            Some(members) => Some(Fields {
                node,
                members,
                place,
            }),
            None => {
                diags.push(wrong_type(node, field, "an object"));
                None
            }
        }
    }

    /// The value of `key`. A repeated key is reported separately (E201);
    /// like AWS, the checks read its last value.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.member(key).map(|m| &m.value)
    }

    pub fn member(&self, key: &str) -> Option<&'a Member> {
        self.members.iter().rev().find(|m| m.key == key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.member(key).is_some()
    }

    /// Reports every field not in `allowed` (nor in `reported`, fields
    /// another check reports in its own words). `elsewhere` may explain a
    /// field valid in another place ("`Resource` belongs to Task states").
    pub fn only(
        &self,
        allowed: &[&str],
        reported: &[&str],
        elsewhere: impl Fn(&str) -> Option<String>,
        diags: &mut Vec<Diag>,
    ) {
        for member in self.members {
            let key = member.key.as_str();
            if allowed.contains(&key) || reported.contains(&key) {
                continue;
            }
            let help = elsewhere(&member.key)
                .or_else(|| did_you_mean(&member.key, allowed.iter().copied(), "allowed here"))
                .unwrap_or_default();
            diags.push(Diag::AslUnknownField {
                span: member.key_span,
                field: member.key.clone(),
                place: self.place.to_string(),
                help,
            });
        }
    }

    /// A required field; reports its absence at the object's opening brace.
    pub fn require(&self, key: &str, help: &str, diags: &mut Vec<Diag>) -> Option<&'a Node> {
        let found = self.get(key);
        if found.is_none() {
            diags.push(Diag::AslMissingField {
                span: self.opening(),
                field: key.to_string(),
                place: self.place.to_string(),
                help: help.to_string(),
            });
        }
        found
    }

    /// The span of the opening `{`, where a missing field is reported.
    pub fn opening(&self) -> Span {
        Span::new(self.node.span.start, self.node.span.start + 1)
    }

    pub fn string(&self, key: &str, diags: &mut Vec<Diag>) -> Option<(&'a str, &'a Node)> {
        let node = self.get(key)?;
        match node.as_str() {
            Some(s) => Some((s, node)),
            None => {
                diags.push(wrong_type(node, key, "a string"));
                None
            }
        }
    }

    /// A non-empty string: names, error codes and targets are never blank.
    pub fn name(&self, key: &str, diags: &mut Vec<Diag>) -> Option<(&'a str, &'a Node)> {
        let (s, node) = self.string(key, diags)?;
        if s.is_empty() {
            diags.push(invalid(
                node,
                format!("`{key}` is empty"),
                "empty",
                "write a name here",
            ));
            return None;
        }
        Some((s, node))
    }

    /// An integer in `min..=max`.
    pub fn integer(
        &self,
        key: &str,
        min: u64,
        max: u64,
        diags: &mut Vec<Diag>,
    ) -> Option<(u64, &'a Node)> {
        let node = self.get(key)?;
        let Value::Number(text, number) = &node.value else {
            diags.push(wrong_type(node, key, "an integer"));
            return None;
        };
        if text.contains(['.', 'e', 'E']) {
            let found = if number.fract() == 0.0 {
                "a number with a decimal point or exponent"
            } else {
                "a fraction"
            };
            diags.push(wrong_type_found(node, key, "an integer", found));
            return None;
        }
        if text == "-0" {
            // Zero to AWS, but not an unsigned integer to a JSON reader.
            diags.push(invalid(
                node,
                format!("`{key}` is written `-0`"),
                "negative zero",
                "write `0`",
            ));
            return None;
        }
        match text.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Some((n, node)),
            _ => {
                diags.push(out_of_range(node, key, *number, min as f64, max as f64));
                None
            }
        }
    }

    /// Any number in `min..=max`.
    pub fn number(
        &self,
        key: &str,
        min: f64,
        max: f64,
        diags: &mut Vec<Diag>,
    ) -> Option<(f64, &'a Node)> {
        let node = self.get(key)?;
        let Value::Number(_, number) = &node.value else {
            diags.push(wrong_type(node, key, "a number"));
            return None;
        };
        if !(min..=max).contains(number) {
            diags.push(out_of_range(node, key, *number, min, max));
            return None;
        }
        Some((*number, node))
    }

    pub fn bool(&self, key: &str, diags: &mut Vec<Diag>) -> Option<(bool, &'a Node)> {
        let node = self.get(key)?;
        match node.value {
            Value::Bool(b) => Some((b, node)),
            _ => {
                diags.push(wrong_type(node, key, "true or false"));
                None
            }
        }
    }

    /// A non-empty array.
    pub fn array(&self, key: &str, diags: &mut Vec<Diag>) -> Option<&'a [Node]> {
        let node = self.get(key)?;
        match node.as_array() {
            Some([]) => {
                diags.push(invalid(
                    node,
                    format!("`{key}` is empty"),
                    "empty",
                    &format!("`{key}` needs at least one entry"),
                ));
                None
            }
            Some(items) => Some(items),
            None => {
                diags.push(wrong_type(node, key, "an array"));
                None
            }
        }
    }

    /// A string field with a fixed set of values.
    pub fn one_of(&self, key: &str, allowed: &[&str], diags: &mut Vec<Diag>) {
        if let Some((value, node)) = self.string(key, diags)
            && !allowed.contains(&value)
        {
            diags.push(invalid(
                node,
                format!("unknown `{key}` `{value}`"),
                "unknown value",
                &format!("`{key}` takes {}", or_list(allowed)),
            ));
        }
    }

    /// At most one of `keys` may be set; reports each pair that is.
    pub fn exclusive(&self, keys: &[&str], diags: &mut Vec<Diag>) {
        let present: Vec<&Member> = keys.iter().filter_map(|k| self.member(k)).collect();
        if let [first, rest @ ..] = present.as_slice() {
            for second in rest {
                diags.push(Diag::AslConflictingFields {
                    span: second.key_span,
                    field: second.key.clone(),
                    other: first.key.clone(),
                    other_span: first.key_span,
                    help: format!("{} takes only one of {}", self.place, or_list(keys)),
                });
            }
        }
    }

    /// Exactly one of `keys` must be set.
    pub fn exactly_one(&self, keys: &[&str], diags: &mut Vec<Diag>) {
        if keys.iter().any(|k| self.has(k)) {
            self.exclusive(keys, diags);
        } else {
            diags.push(Diag::AslMissingField {
                span: self.opening(),
                field: keys.join("` or `"),
                place: self.place.to_string(),
                help: format!("set exactly one of {}", or_list(keys)),
            });
        }
    }
}

/// `A`, `B` or `C`.
pub fn or_list(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

pub fn wrong_type(node: &Node, field: &str, expected: &str) -> Diag {
    wrong_type_found(node, field, expected, node.kind())
}

fn wrong_type_found(node: &Node, field: &str, expected: &str, found: &'static str) -> Diag {
    Diag::AslWrongType {
        span: node.span,
        field: field.to_string(),
        expected: expected.to_string(),
        found,
        help: format!("write `{field}` as {expected}"),
    }
}

pub fn invalid(node: &Node, message: String, label: &str, help: &str) -> Diag {
    Diag::AslInvalidValue {
        span: node.span,
        message,
        label: label.to_string(),
        help: help.to_string(),
    }
}

fn out_of_range(node: &Node, field: &str, value: f64, min: f64, max: f64) -> Diag {
    let bound = if value < min || value.is_nan() {
        format!("at least {min}")
    } else {
        format!("at most {max}")
    };
    let accepted = if max.is_finite() {
        format!("AWS accepts `{field}` from {min} to {max}")
    } else {
        format!("AWS accepts `{field}` of {min} or more")
    };
    invalid(
        node,
        format!("`{field}` must be {bound}"),
        "out of range",
        &accepted,
    )
}
