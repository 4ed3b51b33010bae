//! A structural diff of two definitions: what `nagare deploy --diff` shows
//! between the deployed machine and the new one. Objects are compared by
//! key (order never matters to Step Functions), arrays by position.

use serde_json::Value;

/// One difference, at a path such as `States.load.Retry[0].MaxAttempts`.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Added {
        path: String,
        value: Value,
    },
    Removed {
        path: String,
        value: Value,
    },
    Changed {
        path: String,
        old: Value,
        new: Value,
    },
}

impl Change {
    pub fn path(&self) -> &str {
        match self {
            Change::Added { path, .. }
            | Change::Removed { path, .. }
            | Change::Changed { path, .. } => path,
        }
    }
}

/// The differences from `old` to `new`, in document order.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    walk(old, new, String::new(), &mut changes);
    changes
}

fn walk(old: &Value, new: &Value, path: String, out: &mut Vec<Change>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, old_value) in a {
                let at = member(&path, key);
                match b.get(key) {
                    Some(new_value) => walk(old_value, new_value, at, out),
                    None => out.push(Change::Removed {
                        path: at,
                        value: old_value.clone(),
                    }),
                }
            }
            for (key, new_value) in b {
                if !a.contains_key(key) {
                    out.push(Change::Added {
                        path: member(&path, key),
                        value: new_value.clone(),
                    });
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, pair) in a.iter().zip(b).enumerate() {
                walk(pair.0, pair.1, format!("{path}[{i}]"), out);
            }
            for (i, value) in a.iter().enumerate().skip(b.len()) {
                out.push(Change::Removed {
                    path: format!("{path}[{i}]"),
                    value: value.clone(),
                });
            }
            for (i, value) in b.iter().enumerate().skip(a.len()) {
                out.push(Change::Added {
                    path: format!("{path}[{i}]"),
                    value: value.clone(),
                });
            }
        }
        _ if !same(old, new) => out.push(Change::Changed {
            path: if path.is_empty() {
                "(root)".into()
            } else {
                path
            },
            old: old.clone(),
            new: new.clone(),
        }),
        _ => {}
    }
}

/// Equal as JSON values: `1` and `1.0` are the same number to AWS.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// `path.key`, quoting keys that are not plain words (state names often
/// hold spaces or colons).
fn member(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if plain {
        key.to_string()
    } else {
        serde_json::to_string(key).unwrap_or_else(|_| key.to_string())
    };
    if path.is_empty() {
        key
    } else {
        format!("{path}.{key}")
    }
}

/// The diff as lines for a terminal: `+` added, `-` removed, `~` changed,
/// values on one line and shortened.
pub fn render(changes: &[Change], color: bool) -> String {
    let paint = |code: &str, text: String| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text
        }
    };
    let mut out = String::new();
    for change in changes {
        let line = match change {
            Change::Added { path, value } => paint("32", format!("+ {path}: {}", short(value))),
            Change::Removed { path, value } => paint("31", format!("- {path}: {}", short(value))),
            Change::Changed { path, old, new } => {
                paint("33", format!("~ {path}: {} → {}", short(old), short(new)))
            }
        };
        out += &line;
        out.push('\n');
    }
    out
}

/// A value on one line, cut to a readable length on a character boundary.
fn short(value: &Value) -> String {
    const MAX: usize = 100;
    let text = value.to_string();
    if text.chars().count() <= MAX {
        return text;
    }
    let cut: String = text.chars().take(MAX).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn equal_definitions_have_no_changes_whatever_the_key_order() {
        let a = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
        let b = json!({"States": {"A": {"End": true, "Type": "Pass"}}, "StartAt": "A"});
        assert_eq!(diff(&a, &b), vec![]);
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(diff(&json!({"x": 1}), &json!({"x": 1.0})), vec![]);
    }

    #[test]
    fn reports_added_removed_and_changed_members_with_their_paths() {
        let old = json!({"States": {"load": {"TimeoutSeconds": 300, "Retry": [{"MaxAttempts": 2}]},
                                    "old one": {"Type": "Pass"}}});
        let new = json!({"States": {"load": {"TimeoutSeconds": 600, "Retry": [{"MaxAttempts": 2}, {"MaxAttempts": 1}]},
                                    "report": {"Type": "Succeed"}}});
        let changes = diff(&old, &new);
        let text = render(&changes, false);
        assert_eq!(
            text,
            "~ States.load.TimeoutSeconds: 300 → 600\n\
             + States.load.Retry[1]: {\"MaxAttempts\":1}\n\
             - States.\"old one\": {\"Type\":\"Pass\"}\n\
             + States.report: {\"Type\":\"Succeed\"}\n"
        );
    }

    #[test]
    fn long_values_are_shortened_on_a_character_boundary() {
        let long = "é".repeat(300);
        let text = render(&diff(&json!({"x": 1}), &json!({"x": long})), false);
        assert!(text.ends_with("…\n"), "{text}");
        assert!(text.chars().count() < 140);
    }

    #[test]
    fn a_change_of_type_at_the_root_is_one_change() {
        let changes = diff(&json!([1]), &json!({"a": 1}));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].path(), "(root)");
    }
}
