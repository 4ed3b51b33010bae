//! Choice rules, evaluated: every operator and its `*Path` form. Values of
//! the wrong type never match; a `Variable` that is not there is
//! `States.Runtime` (except for `IsPresent`, which asks exactly that).

use serde_json::Value;

use super::data::{Env, parse_path, read, root};
use super::failure::Failure;
use super::time::parse_millis;
use crate::asl::{ChoiceRule, Comparison, Operand, Operator};
use crate::path::{self, Selection};

pub fn matches(rule: &ChoiceRule, input: &Value, env: &Env<'_>) -> Result<bool, Failure> {
    Ok(match &rule.comparison {
        Comparison::And(rules) => {
            for r in rules {
                if !matches(r, input, env)? {
                    return Ok(false);
                }
            }
            true
        }
        Comparison::Or(rules) => {
            for r in rules {
                if matches(r, input, env)? {
                    return Ok(true);
                }
            }
            false
        }
        Comparison::Not(r) => !matches(r, input, env)?,
        Comparison::Test {
            variable,
            operator,
            value,
        } => test(variable, *operator, value, input, env)?,
        // The checker keeps `Condition` to JSONata states, which the
        // engine evaluates itself.
        Comparison::Condition(_) => {
            return Err(Failure::runtime(
                "a JSONata `Condition` in a JSONPath Choice rule",
            ));
        }
    })
}

fn test(
    variable: &str,
    op: Operator,
    operand: &Value,
    input: &Value,
    env: &Env<'_>,
) -> Result<bool, Failure> {
    if op == Operator::IsPresent {
        let parsed = parse_path(variable)?;
        let present = !matches!(
            path::select(&parsed, root(&parsed, input, env)?, env.context),
            Selection::Missing
        );
        return Ok(Some(present) == operand.as_bool());
    }
    let value = read(variable, input, env)?;
    if op.operand() == Operand::TypeTest {
        let is = match op {
            Operator::IsNull => value.is_null(),
            Operator::IsNumeric => value.is_number(),
            Operator::IsString => value.is_string(),
            Operator::IsBoolean => value.is_boolean(),
            Operator::IsTimestamp => value.as_str().and_then(parse_millis).is_some(),
            _ => false,
        };
        return Ok(Some(is) == operand.as_bool());
    }
    let other = if op.operand() == Operand::Path {
        read(operand.as_str().unwrap_or_default(), input, env)?
    } else {
        operand.clone()
    };
    let name = op.name().trim_end_matches("Path");
    Ok(compare(name, &value, &other))
}

fn compare(name: &str, a: &Value, b: &Value) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let (family, relation) = split(name);
    let order = match (family, a, b) {
        ("String", Value::String(x), Value::String(y)) if relation == "Matches" => {
            return wildcard(y, x);
        }
        ("String", Value::String(x), Value::String(y)) => x.cmp(y),
        ("Numeric", Value::Number(x), Value::Number(y)) => {
            match x
                .as_f64()
                .zip(y.as_f64())
                .and_then(|(x, y)| x.partial_cmp(&y))
            {
                Some(o) => o,
                None => return false,
            }
        }
        ("Boolean", Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        ("Timestamp", Value::String(x), Value::String(y)) => {
            match parse_millis(x).zip(parse_millis(y)) {
                Some((x, y)) => x.cmp(&y),
                None => return false,
            }
        }
        _ => return false,
    };
    match relation {
        "Equals" => order == Equal,
        "LessThan" => order == Less,
        "GreaterThan" => order == Greater,
        "LessThanEquals" => order != Greater,
        "GreaterThanEquals" => order != Less,
        _ => false,
    }
}

/// `NumericLessThanEquals` → (`Numeric`, `LessThanEquals`).
fn split(name: &str) -> (&str, &str) {
    for family in ["String", "Numeric", "Boolean", "Timestamp"] {
        if let Some(relation) = name.strip_prefix(family) {
            return (family, relation);
        }
    }
    ("", name)
}

/// `StringMatches`: `*` matches any run of characters; `\*` is a literal
/// asterisk and `\\` a literal backslash.
fn wildcard(pattern: &str, text: &str) -> bool {
    // Tokens: Some(c) a literal character, None a wildcard.
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => tokens.push(Some(chars.next().unwrap_or('\\'))),
            '*' => tokens.push(None),
            c => tokens.push(Some(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Greedy matching with backtracking to the last star: linear in practice.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Some(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(None) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(Option::is_none)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(json: Value) -> ChoiceRule {
        serde_json::from_value(json).expect("a rule")
    }

    fn check(r: Value, input: Value) -> Result<bool, Failure> {
        matches(
            &rule(r),
            &input,
            &Env::new(&json!({}), &crate::interp::vars::Vars::default()),
        )
    }

    #[test]
    fn operators_compare_by_type() {
        let input =
            json!({"n": 5, "s": "log-2026.txt", "t": "2026-01-01T00:00:00Z", "b": true, "m": 7});
        for (r, expected) in [
            (json!({"Variable": "$.n", "NumericGreaterThan": 3}), true),
            (
                json!({"Variable": "$.n", "NumericLessThanEqualsPath": "$.m"}),
                true,
            ),
            (json!({"Variable": "$.s", "NumericEquals": 5}), false),
            (
                json!({"Variable": "$.s", "StringMatches": "log-*.txt"}),
                true,
            ),
            (
                json!({"Variable": "$.s", "StringMatches": "log-\\*"}),
                false,
            ),
            (
                json!({"Variable": "$.t", "TimestampLessThan": "2026-01-01T00:00:01Z"}),
                true,
            ),
            (json!({"Variable": "$.b", "BooleanEquals": true}), true),
            (json!({"Variable": "$.x", "IsPresent": false}), true),
            (json!({"Variable": "$.n", "IsNumeric": true}), true),
            (json!({"Variable": "$.t", "IsTimestamp": true}), true),
            (
                json!({"Not": {"Variable": "$.n", "NumericEquals": 5}}),
                false,
            ),
            (
                json!({"And": [{"Variable": "$.n", "IsPresent": true}, {"Variable": "$.b", "BooleanEquals": true}]}),
                true,
            ),
        ] {
            assert_eq!(
                check(r.clone(), input.clone()).expect("evaluates"),
                expected,
                "{r}"
            );
        }
        let missing = check(json!({"Variable": "$.x", "NumericEquals": 1}), input);
        assert_eq!(missing.expect_err("missing").error, "States.Runtime");
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("*", ""));
        assert!(wildcard("a*b*c", "aXXbYYc"));
        assert!(!wildcard("a*b", "aXXc"));
        assert!(wildcard("a\\*", "a*"));
        assert!(!wildcard("a\\*", "ab"));
    }
}
