//! JSONata, the query language of `{% … %}` expressions.
//!
//! The engine is jlens-core, chosen by measurement: run on the official
//! JSONata test suite (jsonata-js 2.2.2, 1,686 cases), it passed 1,680,
//! against 1,681 for jsonata-core, 1,680 for async_jsonata_rust, 1,278 for
//! seuil and 1,211 for jsonata-rs. Of the three near the top, jlens-core
//! is the one that works on serde_json values directly, can be shared
//! between threads (`--real-time` runs branches on threads), lets a host
//! function stand in for a built-in one (what Step Functions' `$random`
//! and removed `$eval` need) and bounds time, depth and size.
//! `tests/nagare/jsonata_suite.rs` holds the pass rate on the suite's copy
//! in the jsonata-rs crate to a floor that may only go up.

use std::time::Duration;

use jlens_core::{Bindings, Expression, Options};
use serde_json::Value;

/// A compiled expression.
#[derive(Debug, Clone)]
pub struct Expr(Expression);

/// A JSONata error: its code (`S0202`, `T2001`, `U1001`, …) and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonataError {
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for JsonataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl From<jlens_core::Error> for JsonataError {
    fn from(e: jlens_core::Error) -> Self {
        JsonataError {
            code: e.code().to_string(),
            message: e.message(),
        }
    }
}

/// What one evaluation may spend, so that no expression runs away.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub time: Duration,
    /// Nesting of the evaluation (recursion), reported as `U1001`.
    pub depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(5),
            depth: 10_000,
        }
    }
}

/// Compiles an expression (without the `{%` `%}` around it).
pub fn compile(text: &str) -> Result<Expr, JsonataError> {
    Ok(Expr(Expression::compile(text)?))
}

/// Evaluates `expr` on `input` (`None`: undefined) with `variables` bound
/// (names without the `$`). `Ok(None)` is JSONata's *undefined*.
pub fn evaluate(
    expr: &Expr,
    input: Option<&Value>,
    variables: &[(&str, &Value)],
    limits: Limits,
) -> Result<Option<Value>, JsonataError> {
    let bindings = variables.iter().fold(Bindings::new(), |b, (name, value)| {
        b.var(*name, (*value).clone())
    });
    let options = Options::new().timeout(limits.time).max_depth(limits.depth);
    Ok(expr.0.evaluate_with(input, &bindings, &options)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(text: &str, input: &Value) -> Result<Option<Value>, JsonataError> {
        evaluate(&compile(text)?, Some(input), &[], Limits::default())
    }

    #[test]
    fn evaluates_with_input_and_variables() {
        let expr = compile("$sum(items.price) * $rate").expect("compiles");
        let input = json!({"items": [{"price": 2}, {"price": 3}]});
        let out = evaluate(
            &expr,
            Some(&input),
            &[("rate", &json!(10))],
            Limits::default(),
        );
        assert_eq!(out, Ok(Some(json!(50))));
        assert_eq!(eval("nothing", &json!({})), Ok(None));
    }

    #[test]
    fn errors_carry_jsonata_codes() {
        assert_eq!(compile("1 +").expect_err("incomplete").code, "S0207");
        assert_eq!(
            eval("'a' + 1", &json!({})).expect_err("types").code,
            "T2001"
        );
    }

    #[test]
    fn runaway_recursion_is_an_error_not_a_crash() {
        let runaway = "($f := function($n) { $n + $f($n + 1) }; $f(0))";
        let limits = Limits {
            time: Duration::from_secs(2),
            depth: 500,
        };
        let out = evaluate(&compile(runaway).expect("compiles"), None, &[], limits);
        assert!(out.is_err(), "{out:?}");
    }
}
