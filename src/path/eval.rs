//! Evaluating a path against JSON, as Step Functions (Jayway) does: a
//! definite path (names and indexes only) selects at most one value, any
//! other path selects a list, possibly empty.

use serde_json::Value;

use super::{CompareOp, FilterExpr, JsonPath, Literal, Operand, Step, UnionItem};

/// What a path selected.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection<'v> {
    /// A definite path that found its value.
    One(&'v Value),
    /// A definite path that found nothing.
    Missing,
    /// An indefinite path: every match, in document order.
    Many(Vec<&'v Value>),
}

impl Selection<'_> {
    /// The selected value as AWS passes it on: one value, or a list of the
    /// matches; `None` for a definite path that found nothing.
    pub fn to_value(&self) -> Option<Value> {
        match self {
            Selection::One(v) => Some((*v).clone()),
            Selection::Missing => None,
            Selection::Many(vs) => Some(Value::Array(vs.iter().map(|v| (*v).clone()).collect())),
        }
    }
}

/// Selects with `path` from `data` (for `$`) or `context` (for `$$`).
pub fn select<'v>(path: &JsonPath, data: &'v Value, context: &'v Value) -> Selection<'v> {
    let root = if path.context { context } else { data };
    let mut current = vec![root];
    for step in &path.steps {
        let mut next = Vec::new();
        for value in current {
            apply(step, value, &mut next);
        }
        current = next;
    }
    if path.is_definite() {
        current
            .first()
            .map_or(Selection::Missing, |v| Selection::One(v))
    } else {
        Selection::Many(current)
    }
}

fn apply<'v>(step: &Step, value: &'v Value, out: &mut Vec<&'v Value>) {
    match step {
        Step::Field(name) => out.extend(value.get(name.as_str())),
        Step::Index(i) => out.extend(index(value, *i)),
        Step::Wildcard => match value {
            Value::Object(map) => out.extend(map.values()),
            Value::Array(items) => out.extend(items.iter()),
            _ => {}
        },
        Step::Union(items) => {
            for item in items {
                match item {
                    UnionItem::Field(name) => out.extend(value.get(name.as_str())),
                    UnionItem::Index(i) => out.extend(index(value, *i)),
                }
            }
        }
        Step::Slice { start, end, step } => {
            if let Value::Array(items) = value {
                let len = items.len() as i64;
                let clamp = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
                let from = clamp(start.unwrap_or(0));
                let to = clamp(end.unwrap_or(len));
                let stride = step.unwrap_or(1).max(1) as usize;
                if from < to {
                    out.extend(items[from as usize..to as usize].iter().step_by(stride));
                }
            }
        }
        Step::Descendant(inner) => descend(inner, value, out),
        Step::Filter(filter) => {
            let candidates: Vec<&Value> = match value {
                Value::Array(items) => items.iter().collect(),
                Value::Object(map) => map.values().collect(),
                _ => Vec::new(),
            };
            out.extend(candidates.into_iter().filter(|c| test(filter, c)));
        }
    }
}

/// `..step`: the step applied at this node and at every node below it,
/// parents before children (Jayway's order).
fn descend<'v>(step: &Step, value: &'v Value, out: &mut Vec<&'v Value>) {
    // An explicit stack: deep documents must not exhaust the call stack.
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        apply(step, node, out);
        match node {
            Value::Object(map) => stack.extend(map.values().rev()),
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
}

fn index(value: &Value, i: i64) -> Option<&Value> {
    let items = value.as_array()?;
    let at = if i < 0 { items.len() as i64 + i } else { i };
    usize::try_from(at).ok().and_then(|at| items.get(at))
}

/// A filter condition on one candidate (`@`).
fn test(filter: &FilterExpr, current: &Value) -> bool {
    match filter {
        FilterExpr::Or(a, b) => test(a, current) || test(b, current),
        FilterExpr::And(a, b) => test(a, current) && test(b, current),
        FilterExpr::Not(a) => !test(a, current),
        FilterExpr::Exists(steps) => relative(steps, current).is_some(),
        FilterExpr::Compare { left, op, right } => {
            match (operand(left, current), operand(right, current)) {
                (Some(a), Some(b)) => compare(&a, *op, &b),
                _ => false,
            }
        }
    }
}

fn relative<'v>(steps: &[Step], current: &'v Value) -> Option<&'v Value> {
    let mut values = vec![current];
    for step in steps {
        let mut next = Vec::new();
        for value in values {
            apply(step, value, &mut next);
        }
        values = next;
    }
    values.first().copied()
}

fn operand(operand: &Operand, current: &Value) -> Option<Value> {
    match operand {
        Operand::Current(steps) => relative(steps, current).cloned(),
        Operand::Literal(Literal::String(s)) => Some(Value::String(s.clone())),
        Operand::Literal(Literal::Number(n)) => serde_json::Number::from_f64(*n).map(Value::Number),
        Operand::Literal(Literal::Bool(b)) => Some(Value::Bool(*b)),
        Operand::Literal(Literal::Null) => Some(Value::Null),
    }
}

/// Numbers compare as numbers, strings as strings; other values only
/// for (in)equality; values of different types are never equal.
fn compare(a: &Value, op: CompareOp, b: &Value) -> bool {
    use std::cmp::Ordering;
    let order = match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .zip(y.as_f64())
            .and_then(|(x, y)| x.partial_cmp(&y)),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ if a == b => Some(Ordering::Equal),
        _ => None,
    };
    match (op, order) {
        (CompareOp::Eq, Some(o)) => o == Ordering::Equal,
        (CompareOp::Ne, Some(o)) => o != Ordering::Equal,
        (CompareOp::Ne, None) => true,
        (CompareOp::Lt, Some(o)) => o == Ordering::Less,
        (CompareOp::Le, Some(o)) => o != Ordering::Greater,
        (CompareOp::Gt, Some(o)) => o == Ordering::Greater,
        (CompareOp::Ge, Some(o)) => o != Ordering::Less,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sel(path: &str, data: &Value) -> Option<Value> {
        let path = super::super::parse(path).expect(path);
        select(&path, data, &json!({"Execution": {"Id": "x"}})).to_value()
    }

    #[test]
    fn definite_paths_give_one_value_or_none() {
        let data = json!({"a": [{"b": 1}, {"b": 2}, {"b": 3}], "c": {"d-e": true}});
        assert_eq!(sel("$.a[2].b", &data), Some(json!(3)));
        assert_eq!(sel("$.a[-1].b", &data), Some(json!(3)));
        assert_eq!(sel("$['c']['d-e']", &data), Some(json!(true)));
        assert_eq!(sel("$.nope", &data), None);
        assert_eq!(sel("$", &data), Some(data.clone()));
        assert_eq!(sel("$$.Execution.Id", &data), Some(json!("x")));
    }

    #[test]
    fn indefinite_paths_give_lists() {
        let data = json!({"a": [{"b": 1}, {"b": 2}, {"b": 3, "c": {"b": 4}}]});
        assert_eq!(sel("$.a[*].b", &data), Some(json!([1, 2, 3])));
        assert_eq!(sel("$.a[0:2].b", &data), Some(json!([1, 2])));
        assert_eq!(sel("$..b", &data), Some(json!([1, 2, 3, 4])));
        assert_eq!(sel("$.a[?(@.b > 1)].b", &data), Some(json!([2, 3])));
        assert_eq!(sel("$.a[?(@.c)].b", &data), Some(json!([3])));
        assert_eq!(sel("$.x[*]", &data), Some(json!([])));
        assert_eq!(sel("$.a[0,2].b", &data), Some(json!([1, 3])));
    }
}
