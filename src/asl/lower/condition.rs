//! `when` conditions as Choice rules. Every compared path is guarded with
//! `IsPresent`, so a missing field makes a comparison false instead of
//! failing the execution, and `!=` is `not ==` (true when the field is
//! missing), as docs/language.md promises.

use serde_json::Value as Json;

use crate::asl::{ChoiceRule, Comparison, Operator};
use crate::syntax::ast::{CompareOp, Condition, ConditionKind, Operand, TypeName, ValueKind};

/// The rule for a condition (without `Next`).
pub fn rule(condition: &Condition) -> ChoiceRule {
    bare(match &condition.kind {
        ConditionKind::And(parts) => Comparison::And(parts.iter().map(rule).collect()),
        ConditionKind::Or(parts) => Comparison::Or(parts.iter().map(rule).collect()),
        ConditionKind::Not(inner) => Comparison::Not(Box::new(rule(inner))),
        ConditionKind::Exists(path) => test(&path.text, Operator::IsPresent, Json::Bool(true)),
        ConditionKind::Like { path, pattern } => guarded(
            &path.text,
            test(
                &path.text,
                Operator::StringMatches,
                Json::String(pattern.node.clone()),
            ),
        ),
        ConditionKind::Is { path, type_name } => {
            let operator = match type_name.node {
                TypeName::Null => Operator::IsNull,
                TypeName::String => Operator::IsString,
                TypeName::Number => Operator::IsNumeric,
                TypeName::Boolean => Operator::IsBoolean,
                TypeName::Timestamp => Operator::IsTimestamp,
            };
            guarded(&path.text, test(&path.text, operator, Json::Bool(true)))
        }
        ConditionKind::Compare { path, op, operand } => {
            let equal_or_ordered = compare(&path.text, op.node, operand);
            if op.node == CompareOp::Ne {
                Comparison::Not(Box::new(bare(equal_or_ordered)))
            } else {
                equal_or_ordered
            }
        }
    })
}

fn bare(comparison: Comparison) -> ChoiceRule {
    ChoiceRule {
        comparison,
        next: None,
        comment: None,
        assign: None,
        output: None,
    }
}

fn test(variable: &str, operator: Operator, value: Json) -> Comparison {
    Comparison::Test {
        variable: variable.to_string(),
        operator,
        value,
    }
}

/// `IsPresent(path) and comparison`.
fn guarded(path: &str, comparison: Comparison) -> Comparison {
    Comparison::And(vec![
        bare(test(path, Operator::IsPresent, Json::Bool(true))),
        bare(comparison),
    ])
}

/// The comparison for `==` (also used under `not` for `!=`) and the orderings.
fn compare(path: &str, op: CompareOp, operand: &Operand) -> Comparison {
    let family = |string: Operator, number: Operator, timestamp: Operator| match &operand.kind {
        ValueKind::Number(_) => number,
        ValueKind::String(s) if is_timestamp(s) => timestamp,
        _ => string,
    };
    use Operator::*;
    let literal = |operator: Operator| {
        let value = match &operand.kind {
            ValueKind::String(s) => Json::String(s.clone()),
            ValueKind::Number(n) => Json::Number(n.clone()),
            ValueKind::Bool(b) => Json::Bool(*b),
            _ => Json::Null,
        };
        guarded(path, test(path, operator, value))
    };
    if let ValueKind::Path(other) = &operand.kind {
        return path_compare(path, &other.text, op);
    }
    if let ValueKind::Bool(_) = operand.kind {
        return literal(BooleanEquals);
    }
    literal(match op {
        CompareOp::Eq | CompareOp::Ne => family(StringEquals, NumericEquals, TimestampEquals),
        CompareOp::Lt => family(StringLessThan, NumericLessThan, TimestampLessThan),
        CompareOp::Le => family(
            StringLessThanEquals,
            NumericLessThanEquals,
            TimestampLessThanEquals,
        ),
        CompareOp::Gt => family(StringGreaterThan, NumericGreaterThan, TimestampGreaterThan),
        CompareOp::Ge => family(
            StringGreaterThanEquals,
            NumericGreaterThanEquals,
            TimestampGreaterThanEquals,
        ),
    })
}

/// Two paths: their type is known only at run time, so each type family is
/// tried behind a type test (a mismatch is simply false).
fn path_compare(left: &str, right: &str, op: CompareOp) -> Comparison {
    use Operator::*;
    let (string, number, boolean) = match op {
        CompareOp::Eq | CompareOp::Ne => {
            (StringEqualsPath, NumericEqualsPath, Some(BooleanEqualsPath))
        }
        CompareOp::Lt => (StringLessThanPath, NumericLessThanPath, None),
        CompareOp::Le => (StringLessThanEqualsPath, NumericLessThanEqualsPath, None),
        CompareOp::Gt => (StringGreaterThanPath, NumericGreaterThanPath, None),
        CompareOp::Ge => (
            StringGreaterThanEqualsPath,
            NumericGreaterThanEqualsPath,
            None,
        ),
    };
    let typed = |is: Operator, cmp: Operator| {
        bare(Comparison::And(vec![
            bare(test(left, IsPresent, Json::Bool(true))),
            bare(test(right, IsPresent, Json::Bool(true))),
            bare(test(left, is, Json::Bool(true))),
            bare(test(right, is, Json::Bool(true))),
            bare(test(left, cmp, Json::String(right.to_string()))),
        ]))
    };
    let mut options = vec![typed(IsString, string), typed(IsNumeric, number)];
    if let Some(boolean) = boolean {
        options.push(typed(IsBoolean, boolean));
    }
    Comparison::Or(options)
}

/// An RFC 3339 timestamp literal (`2026-01-01T00:00:00Z`) compares as a timestamp.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't')
        && b[13] == b':'
        && b[16] == b':'
        && (s.ends_with('Z') || s.ends_with('z') || s[19..].contains(['+', '-']))
}

#[cfg(test)]
mod tests {
    use super::is_timestamp;

    #[test]
    fn timestamps() {
        assert!(is_timestamp("2026-01-01T00:00:00Z"));
        assert!(is_timestamp("2026-01-01T00:00:00.5+09:00"));
        assert!(!is_timestamp("2026-01-01"));
        assert!(!is_timestamp("hello world, this is long"));
    }
}
