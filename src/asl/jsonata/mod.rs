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
//!
//! `functions` adds what Step Functions adds to the language and takes
//! away what it removes; `analysis` tells, without evaluating, what an
//! expression reads (variables, `$states` fields, the input) and which
//! features of newer JSONata versions it uses.

pub mod analysis;
pub mod functions;

use std::time::Duration;

use jlens_core::{Bindings, Expression, Options};
use serde_json::Value;

pub use analysis::{Analysis, StatesRead, analyse};

/// An expression compiled, with what it reads.
#[derive(Debug)]
pub struct Compiled {
    pub expr: Expr,
    pub analysis: Analysis,
}

type Cache = std::collections::HashMap<
    String,
    std::rc::Rc<Result<Compiled, JsonataError>>,
    foldhash::fast::RandomState,
>;

thread_local! {
    /// Expressions compiled so far on this thread: the checker's two walks
    /// and a run's loops meet the same texts again and again.
    static COMPILED: std::cell::RefCell<Cache> = std::cell::RefCell::default();
}

/// Compiles and analyses `body` (the text inside `{% %}`), once per
/// distinct text on a thread.
pub fn compiled(body: &str) -> std::rc::Rc<Result<Compiled, JsonataError>> {
    if let Some(found) = COMPILED.with(|c| c.borrow().get(body).cloned()) {
        return found;
    }
    let made = std::rc::Rc::new(compile(body).map(|expr| Compiled {
        analysis: analyse(&expr),
        expr,
    }));
    COMPILED.with(|c| {
        let mut cache = c.borrow_mut();
        // A definition has few distinct expressions; the bound is a safety net.
        if cache.len() > 50_000 {
            cache.clear();
        }
        cache.insert(body.to_string(), made.clone());
    });
    made
}

/// A compiled expression.
#[derive(Debug, Clone)]
pub struct Expr(Expression);

impl Expr {
    /// The expression's text (without `{%` `%}`).
    pub fn source(&self) -> &str {
        self.0.source()
    }
}

/// A JSONata error: its code (`S0202`, `T2001`, `U1001`, …) and message,
/// and for syntax errors the byte range of the offending text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonataError {
    pub code: String,
    pub message: String,
    pub span: Option<(usize, usize)>,
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
            span: e.span().map(|s| (s.start, s.end)),
        }
    }
}

/// What one evaluation may spend, so that no expression runs away.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub time: Duration,
    /// Nesting of the evaluation (recursion), reported as `U1001`.
    pub depth: usize,
    /// What `$now()` and `$millis()` give, in milliseconds since the
    /// epoch (a dry run's simulated clock); `None`: the real clock.
    pub now: Option<i64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(5),
            depth: 10_000,
            now: None,
        }
    }
}

/// The text between `{%` and `%}` when `text` is an expression, as AWS
/// decides it: the string starts with `{%` and ends with `%}`.
pub fn delimited(text: &str) -> Option<&str> {
    (text.len() >= 4 && text.starts_with("{%") && text.ends_with("%}"))
        .then(|| &text[2..text.len() - 2])
}

/// Compiles an expression (without the `{%` `%}` around it).
pub fn compile(text: &str) -> Result<Expr, JsonataError> {
    Ok(Expr(Expression::compile(text)?))
}

/// Evaluates `expr` on `input` (`None`: undefined) with `variables` bound
/// (names without the `$`) and Step Functions' functions in place of
/// JSONata's (`seed` drives `$random()` and `$uuid()`). `Ok(None)` is
/// JSONata's *undefined*.
pub fn evaluate(
    expr: &Expr,
    input: Option<&Value>,
    variables: Vec<(&str, Value)>,
    limits: Limits,
    seed: u64,
) -> Result<Option<Value>, JsonataError> {
    run(
        expr,
        input,
        variables,
        functions::bind(Bindings::new(), seed),
        limits,
        seed,
    )
}

/// As [`evaluate`], binding only the Step Functions functions that
/// `names` (what the expression mentions, from [`analyse`]) holds.
pub fn evaluate_named(
    expr: &Expr,
    input: Option<&Value>,
    variables: Vec<(&str, Value)>,
    names: &[String],
    limits: Limits,
    seed: u64,
) -> Result<Option<Value>, JsonataError> {
    let wanted = |name: &str| names.iter().any(|n| n == name);
    run(
        expr,
        input,
        variables,
        functions::bind_named(Bindings::new(), seed, wanted),
        limits,
        seed,
    )
}

/// Evaluates as standard JSONata does, without Step Functions' changes
/// (what the official test suite expects).
pub fn evaluate_standard(
    expr: &Expr,
    input: Option<&Value>,
    variables: Vec<(&str, Value)>,
    limits: Limits,
) -> Result<Option<Value>, JsonataError> {
    run(expr, input, variables, Bindings::new(), limits, 0)
}

fn run(
    expr: &Expr,
    input: Option<&Value>,
    variables: Vec<(&str, Value)>,
    bindings: Bindings,
    limits: Limits,
    seed: u64,
) -> Result<Option<Value>, JsonataError> {
    let bindings = variables
        .into_iter()
        .fold(bindings, |b, (name, value)| b.var(name, value));
    let mut options = Options::new()
        .timeout(limits.time)
        .max_depth(limits.depth)
        .seed(seed);
    if let Some(now) = limits.now {
        options = options.now(now);
    }
    Ok(expr.0.evaluate_with(input, &bindings, &options)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(text: &str, input: &Value) -> Result<Option<Value>, JsonataError> {
        evaluate(
            &compile(text)?,
            Some(input),
            Vec::new(),
            Limits::default(),
            1,
        )
    }

    #[test]
    fn evaluates_with_input_and_variables() {
        let expr = compile("$sum(items.price) * $rate").expect("compiles");
        let input = json!({"items": [{"price": 2}, {"price": 3}]});
        let out = evaluate(
            &expr,
            Some(&input),
            vec![("rate", json!(10))],
            Limits::default(),
            1,
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
    fn expressions_are_delimited_as_aws_decides() {
        assert_eq!(delimited("{% $x %}"), Some(" $x "));
        assert_eq!(delimited("{%$x%}"), Some("$x"));
        assert_eq!(delimited(" {% $x %}"), None);
        assert_eq!(delimited("{% $x %} "), None);
        assert_eq!(delimited("{%}"), None);
        assert_eq!(delimited("plain"), None);
    }

    #[test]
    fn runaway_recursion_is_an_error_not_a_crash() {
        let runaway = "($f := function($n) { $n + $f($n + 1) }; $f(0))";
        let limits = Limits {
            time: Duration::from_secs(2),
            depth: 500,
            now: None,
        };
        let out = evaluate(
            &compile(runaway).expect("compiles"),
            None,
            Vec::new(),
            limits,
            1,
        );
        assert!(out.is_err(), "{out:?}");
    }
}
