//! The fields of JSONata states, evaluated as AWS's "Transforming data
//! with JSONata in Step Functions" describes: a string that starts with
//! `{%` and ends with `%}` is an expression, other values are taken as
//! written, and objects and arrays are walked to any depth. An expression
//! sees `$states` (`input`, `context`, and where the state has them
//! `result` and `errorOutput`) and the state machine's variables, never an
//! input of its own.
//!
//! Every failure is `States.QueryEvaluationError`, with a cause worded as
//! AWS words it: the expression gave nothing (undefined), gave a value of
//! the wrong type, or threw a JSONata error.

use std::cell::Cell;

use serde_json::{Map, Value};

use std::sync::Arc;

use super::data::{Payload, kind, preview};
use super::failure::Failure;
use super::vars::Vars;
use crate::asl::jsonata::{self, Limits};

pub const QUERY_EVALUATION: &str = "States.QueryEvaluationError";

/// Variables and the values an `Assign` gives them.
pub type Assignments = Vec<(String, Value)>;

/// What the expressions of one state see.
pub struct Scope<'a> {
    pub state: &'a str,
    pub input: &'a Value,
    pub result: Option<&'a Value>,
    pub error_output: Option<&'a Value>,
    pub context: &'a Value,
    pub vars: &'a Vars,
    /// Seeds `$random()` and `$uuid()`; moved on at each evaluation.
    pub seed: Cell<u64>,
    /// The simulated time, in milliseconds: `$now()` and `$millis()`.
    pub now: i64,
}

impl Scope<'_> {
    fn failure(&self, body: &str, field: &str, what: &str) -> Failure {
        self.failure_text(body, field, what).in_field(field)
    }

    fn failure_text(&self, body: &str, field: &str, what: &str) -> Failure {
        Failure::new(
            QUERY_EVALUATION,
            format!(
                "An error occurred while executing the state '{}'. The JSONata expression '{}' specified for the field '{field}' {what}",
                self.state,
                body.trim()
            ),
        )
    }

    /// Evaluates one expression (the text inside `{% %}`); `None` is
    /// undefined.
    pub fn expression(&self, body: &str, field: &str) -> Result<Option<Value>, Failure> {
        let compiled = jsonata::compiled(body);
        let compiled = match &*compiled {
            Ok(c) => c,
            Err(e) => {
                return Err(self.failure(
                    body,
                    field,
                    &format!(
                        "threw an error during evaluation. {}: {}",
                        e.code, e.message
                    ),
                ));
            }
        };
        let mut bound: Vec<(&str, Value)> = Vec::new();
        let wants = compiled.analysis.states;
        if wants.any() {
            let mut states = Map::new();
            if wants.input {
                states.insert("input".into(), self.input.clone());
            }
            if wants.context {
                states.insert("context".into(), self.context.clone());
            }
            if let (true, Some(result)) = (wants.result, self.result) {
                states.insert("result".into(), result.clone());
            }
            if let (true, Some(error)) = (wants.error_output, self.error_output) {
                states.insert("errorOutput".into(), error.clone());
            }
            bound.push(("states", Value::Object(states)));
        }
        // Every name the expression mentions that is a variable, those
        // named like JSONata's functions too: the variable stands in.
        for name in &compiled.analysis.names {
            if let Some(value) = self.vars.get(name) {
                bound.push((name.as_str(), Value::clone(value)));
            }
        }
        let seed = self.seed.get();
        self.seed
            .set(seed.wrapping_mul(6364136223846793005).wrapping_add(1));
        let limits = Limits {
            now: Some(self.now),
            ..Limits::default()
        };
        let names = &compiled.analysis.names;
        jsonata::evaluate_named(&compiled.expr, None, bound, names, limits, seed).map_err(|e| {
            self.failure(
                body,
                field,
                &format!(
                    "threw an error during evaluation. {}: {}",
                    e.code, e.message
                ),
            )
        })
    }

    /// A field's value: expressions evaluated, objects and arrays walked.
    /// An expression that gives nothing is an error wherever it is (AWS
    /// names the place, e.g. `Output/result`).
    pub fn value(&self, template: &Value, field: &str) -> Result<Value, Failure> {
        match template {
            Value::String(text) => match jsonata::delimited(text) {
                Some(body) => self
                    .expression(body, field)?
                    .ok_or_else(|| self.failure(body, field, "returned nothing (undefined).")),
                None => Ok(template.clone()),
            },
            Value::Object(fields) => {
                let mut out = Map::with_capacity(fields.len());
                for (key, value) in fields {
                    out.insert(key.clone(), self.value(value, &format!("{field}/{key}"))?);
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| self.value(item, &format!("{field}/{i}")))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            other => Ok(other.clone()),
        }
    }

    /// A field that must give a value of one type, checked by `accept`
    /// (which names the type it expected when it refuses).
    pub fn typed<T>(
        &self,
        template: &Value,
        field: &str,
        accept: impl Fn(&Value) -> Result<T, &'static str>,
    ) -> Result<T, Failure> {
        let value = self.value(template, field)?;
        accept(&value).map_err(|expected| {
            let body = match template {
                Value::String(text) => jsonata::delimited(text).unwrap_or(text),
                _ => "",
            };
            self.failure(
                body,
                field,
                &format!(
                    "returned an unexpected result type. Expected '{expected}', but was '{}' for value: {}",
                    type_name(&value),
                    preview(&value)
                ),
            )
        })
    }

    /// A state's `Output` (`default` without one) and the values of its
    /// `Assign`, both from what the state saw on entry: AWS evaluates them
    /// side by side, so `Output` does not see this state's assignments.
    pub fn output_and_assign(
        &self,
        output: &Option<Value>,
        assign: &Option<Value>,
        default: &Payload,
    ) -> Result<(Payload, Option<Assignments>), Failure> {
        let output = match output {
            Some(o) => Arc::new(self.value(o, "Output")?),
            None => default.clone(),
        };
        let assigned = assign.as_ref().map(|a| self.assignments(a)).transpose()?;
        Ok((output, assigned))
    }

    /// `Assign`: every value computed from what the state saw on entry;
    /// the caller assigns them all at once.
    pub fn assignments(&self, assign: &Value) -> Result<Assignments, Failure> {
        let Value::Object(fields) = assign else {
            return Err(Failure::new(
                QUERY_EVALUATION,
                format!("`Assign` is an object of variables, not {}", kind(assign)),
            ));
        };
        fields
            .iter()
            .map(|(name, value)| Ok((name.clone(), self.value(value, &format!("Assign/{name}"))?)))
            .collect()
    }
}

/// JSONata's names for types, as AWS's messages use them.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A whole number of at least `min`, as the count fields need.
pub fn count(min: u64) -> impl Fn(&Value) -> Result<u64, &'static str> {
    move |value| {
        value
            .as_f64()
            .filter(|n| n.fract() == 0.0 && *n >= min as f64 && *n <= u64::MAX as f64)
            .map(|n| n as u64)
            .ok_or(if min > 0 {
                "positive integer"
            } else {
                "non-negative integer"
            })
    }
}

pub fn boolean(value: &Value) -> Result<bool, &'static str> {
    value.as_bool().ok_or("boolean")
}

pub fn string(value: &Value) -> Result<String, &'static str> {
    value.as_str().map(str::to_string).ok_or("string")
}

pub fn array(value: &Value) -> Result<Vec<Value>, &'static str> {
    match value {
        Value::Array(items) => Ok(items.clone()),
        _ => Err("array"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope<'a>(input: &'a Value, vars: &'a Vars, context: &'a Value) -> Scope<'a> {
        Scope {
            state: "S",
            input,
            result: None,
            error_output: None,
            context,
            vars,
            seed: Cell::new(1),
            now: 1_767_225_600_000,
        }
    }

    #[test]
    fn templates_evaluate_expressions_at_any_depth() {
        let mut vars = Vars::default();
        vars.assign(vec![("rate".into(), json!(3))])
            .expect("assigned");
        let input = json!({"n": 2});
        let ctx = json!({"Execution": {"Name": "run"}});
        let s = scope(&input, &vars, &ctx);
        let out = s.value(
            &json!({"x": "{% $states.input.n * $rate %}", "l": [1, "{% $states.context.Execution.Name %}"], "k": "{ %not% }"}),
            "Output",
        );
        assert_eq!(out, Ok(json!({"x": 6, "l": [1, "run"], "k": "{ %not% }"})));
        // `$now()` is the simulated clock's.
        assert_eq!(
            s.value(&json!("{% $now() %}"), "Output"),
            Ok(json!("2026-01-01T00:00:00.000Z"))
        );
    }

    #[test]
    fn a_variable_named_like_a_function_stands_in_for_it() {
        let mut vars = Vars::default();
        vars.assign(vec![("sum".into(), json!(40))])
            .expect("assigned");
        let (input, ctx) = (json!({}), json!({}));
        let s = scope(&input, &vars, &ctx);
        assert_eq!(s.value(&json!("{% $sum + 2 %}"), "Output"), Ok(json!(42)));
        let none = Vars::default();
        let s = scope(&input, &none, &ctx);
        assert_eq!(
            s.value(&json!("{% $sum([1, 2]) %}"), "Output"),
            Ok(json!(3))
        );
    }

    #[test]
    fn failures_name_the_field_as_aws_does() {
        let (input, vars, ctx) = (json!({}), Vars::default(), json!({}));
        let s = scope(&input, &vars, &ctx);
        let undefined = s
            .value(&json!({"result": "{% $nothing %}"}), "Output")
            .expect_err("undefined");
        assert_eq!(undefined.error, QUERY_EVALUATION);
        assert_eq!(
            undefined.cause,
            "An error occurred while executing the state 'S'. The JSONata expression '$nothing' specified for the field 'Output/result' returned nothing (undefined)."
        );
        let typed = s
            .typed(&json!("{% 'ten' %}"), "TimeoutSeconds", count(1))
            .expect_err("a string");
        assert!(
            typed.cause.ends_with(
                "returned an unexpected result type. Expected 'positive integer', but was 'string' for value: \"ten\""
            ),
            "{}",
            typed.cause
        );
        let thrown = s
            .value(&json!("{% 1 + 'a' %}"), "Output")
            .expect_err("T2002");
        assert!(
            thrown
                .cause
                .contains("threw an error during evaluation. T2002"),
            "{}",
            thrown.cause
        );
    }
}
