//! What Step Functions changes in JSONata's function library ("JSONata
//! functions provided by Step Functions", in AWS's page "Transforming data
//! with JSONata in Step Functions"): `$partition`, `$range`, `$hash`,
//! `$random` with an optional seed, `$uuid` and `$parse` are added, and
//! `$eval` is removed.
//!
//! AWS documents what each function computes but not the words of its
//! errors: a wrong argument here fails with a code of nagare's own
//! (`SF01xx`), which Step Functions would report as
//! `States.QueryEvaluationError` all the same.

use std::sync::{Arc, Mutex, OnceLock};

use jlens_core::{Bindings, Error, HostFunction};
use rand::{Rng as _, SeedableRng};
use serde_json::Value;

use crate::asl::digest;

/// The functions Step Functions adds, by name (without `$`).
pub const ADDED: [&str; 6] = ["partition", "range", "hash", "random", "uuid", "parse"];

/// The functions Step Functions removes.
pub const REMOVED: [&str; 1] = ["eval"];

/// Whether `name` is a function in Step Functions' JSONata: a built-in
/// of JSONata or one Step Functions adds.
pub fn is_function(name: &str) -> bool {
    static BUILT_IN: OnceLock<Vec<&'static str>> = OnceLock::new();
    let built_in = BUILT_IN.get_or_init(|| {
        jlens_core::function_catalog()
            .into_iter()
            .map(|f| f.name)
            .collect()
    });
    (ADDED.contains(&name) || built_in.contains(&name)) && !REMOVED.contains(&name)
}

/// The most items `$range` builds (as `States.ArrayRange`, ASL appendix B).
pub const MAX_RANGE: i64 = 1000;

/// A function of its arguments only.
type Function = fn(&[Option<Value>]) -> Result<Option<Value>, Error>;

fn fail(code: &str, message: String) -> Error {
    Error::new(code).with("message", message)
}

/// Integer arguments are rounded down, as AWS documents for its functions.
fn integer(args: &[Option<Value>], i: usize, function: &str) -> Result<i64, Error> {
    args.get(i)
        .and_then(Option::as_ref)
        .and_then(Value::as_f64)
        .filter(|n| n.is_finite() && n.abs() < 9e15)
        .map(|n| n.floor() as i64)
        .ok_or_else(|| {
            fail(
                "SF0101",
                format!("${function}: argument {} must be a number", i + 1),
            )
        })
}

fn partition(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let items = match args.first().and_then(Option::as_ref) {
        Some(Value::Array(items)) => items.clone(),
        Some(single) => vec![single.clone()],
        None => return Ok(None),
    };
    let size = integer(args, 1, "partition")?;
    if size <= 0 {
        return Err(fail(
            "SF0102",
            format!("$partition: the chunk size must be a positive integer, not {size}"),
        ));
    }
    Ok(Some(Value::Array(
        items
            .chunks(size as usize)
            .map(|c| Value::Array(c.to_vec()))
            .collect(),
    )))
}

fn range(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let (start, end, step) = (
        integer(args, 0, "range")?,
        integer(args, 1, "range")?,
        integer(args, 2, "range")?,
    );
    if step == 0 {
        return Err(fail("SF0103", "$range: the step must not be 0".into()));
    }
    let count = if (end - start).signum() * step.signum() < 0 {
        0
    } else {
        (end - start) / step + 1
    };
    if count > MAX_RANGE {
        return Err(fail(
            "SF0104",
            format!(
                "$range: the range would hold {count} items; Step Functions allows at most {MAX_RANGE}"
            ),
        ));
    }
    let mut items: Vec<Value> = (0..count).map(|i| Value::from(start + i * step)).collect();
    // A JSONata sequence of one item is that item: `$range(1, 9, 9)` is 1.
    Ok(match items.len() {
        0 => None,
        1 => items.pop(),
        _ => Some(Value::Array(items)),
    })
}

fn hash(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let Some(data) = args.first().and_then(Option::as_ref) else {
        return Ok(None);
    };
    let text = match data {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let algorithm = args
        .get(1)
        .and_then(Option::as_ref)
        .and_then(Value::as_str)
        .unwrap_or_default();
    digest::hex(algorithm, text.as_bytes())
        .map(|h| Some(Value::String(h)))
        .ok_or_else(|| {
            fail(
                "SF0105",
                format!(
                    "$hash: the algorithm is one of {}, not `{algorithm}`",
                    digest::ALGORITHMS.join(", ")
                ),
            )
        })
}

fn parse(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let Some(text) = args.first().and_then(Option::as_ref) else {
        return Ok(None);
    };
    let text = text.as_str().unwrap_or_default();
    serde_json::from_str(text)
        .map(Some)
        .map_err(|e| fail("SF0106", format!("$parse: the text is not JSON: {e}")))
}

/// A random number for `$random(seed)`: the same seed gives the same
/// number. AWS documents only that; the number is the first
/// `nextDouble()` of Java's `java.util.Random`, which is what Step
/// Functions has been observed to return (`$random(42)` is
/// 0.7275636800328681).
fn seeded_unit(seed: i64) -> f64 {
    const MULTIPLIER: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;
    let mut state = (seed as u64 ^ MULTIPLIER) & MASK;
    let mut next = |bits: u32| {
        state = (state.wrapping_mul(MULTIPLIER).wrapping_add(0xB)) & MASK;
        state >> (48 - bits)
    };
    let high = next(26);
    let low = next(27);
    ((high << 27) + low) as f64 / (1u64 << 53) as f64
}

/// The functions that need no state of their own, made once: making a
/// host function parses its signature.
fn stateless() -> &'static [(&'static str, HostFunction)] {
    static MADE: OnceLock<Vec<(&'static str, HostFunction)>> = OnceLock::new();
    MADE.get_or_init(|| {
        let host = |signature: &str, f: Function| {
            HostFunction::with_signature(signature, move |args, _| f(args))
                .map(HostFunction::without_input)
        };
        [
            ("partition", host("<an:a>", partition)),
            ("range", host("<nnn:a>", range)),
            ("hash", host("<xs:s>", hash)),
            ("parse", host("<s:x>", parse)),
        ]
        .into_iter()
        // The signatures are fixed text: they always parse.
        .filter_map(|(name, f)| f.ok().map(|f| (name, f)))
        .collect()
    })
}

/// Adds Step Functions' functions to `bindings`, and removes `$eval` by
/// binding a name that is not a function (calling it fails with JSONata's
/// own `T1006`, as a function that does not exist does). `seed` drives
/// `$random()` and `$uuid()`, so that a dry run repeats exactly.
pub fn bind(bindings: Bindings, seed: u64) -> Bindings {
    bind_named(bindings, seed, |_| true)
}

/// As [`bind`], only the names `wanted` accepts (those an expression
/// mentions: binding the others would be work for nothing).
pub fn bind_named(bindings: Bindings, seed: u64, wanted: impl Fn(&str) -> bool) -> Bindings {
    let mut b = bindings;
    for (name, function) in stateless() {
        if wanted(name) {
            b = b.function(*name, function.clone());
        }
    }
    let (random, uuid) = (wanted("random"), wanted("uuid"));
    if random || uuid {
        let stream = Arc::new(Mutex::new(rand::rngs::StdRng::seed_from_u64(seed)));
        let for_random = stream.clone();
        let for_uuid = stream;
        if random
            && let Ok(f) = HostFunction::with_signature("<n?:n>", move |args, _| {
                let n = match args.first().and_then(Option::as_ref) {
                    Some(_) => seeded_unit(integer(args, 0, "random")?),
                    None => for_random
                        .lock()
                        .map(|mut r| r.random::<f64>())
                        .unwrap_or(0.5),
                };
                Ok(Some(Value::from(n)))
            })
        {
            b = b.function("random", f.without_input());
        }
        if uuid
            && let Ok(f) = HostFunction::with_signature("<:s>", move |_, _| {
                let bytes: [u8; 16] = for_uuid.lock().map(|mut r| r.random()).unwrap_or([0; 16]);
                Ok(Some(Value::String(
                    uuid::Builder::from_random_bytes(bytes)
                        .into_uuid()
                        .to_string(),
                )))
            })
        {
            b = b.function("uuid", f.without_input());
        }
    }
    if wanted("eval") {
        b = b.var("eval", Value::Null);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::super::{Limits, compile, evaluate};
    use serde_json::{Value, json};

    fn eval(text: &str) -> Result<Option<Value>, String> {
        let expr = compile(text).map_err(|e| e.code)?;
        evaluate(&expr, None, Vec::new(), Limits::default(), 7).map_err(|e| e.code)
    }

    #[test]
    fn added_functions_compute_what_aws_documents() {
        assert_eq!(
            eval("$partition([1,2,3,4], 3)"),
            Ok(Some(json!([[1, 2, 3], [4]])))
        );
        assert_eq!(eval("$range(0, 10, 3)"), Ok(Some(json!([0, 3, 6, 9]))));
        assert_eq!(eval("$range(1, 9, 9)"), Ok(Some(json!(1))));
        assert_eq!(eval("$range(5, 1, -2)"), Ok(Some(json!([5, 3, 1]))));
        assert_eq!(eval("$range(0.9, 2.5, 1)"), Ok(Some(json!([0, 1, 2]))));
        assert_eq!(
            eval("$hash('input data', 'SHA-1')"),
            Ok(Some(json!("aaff4a450a104cd177d28d18d74485e8cae074b7")))
        );
        assert_eq!(eval("$parse('{\"a\": [1]}').a"), Ok(Some(json!([1]))));
        assert_eq!(eval("$random(7) = $random(7)"), Ok(Some(json!(true))));
        assert_eq!(eval("$random(42)"), Ok(Some(json!(0.7275636800328681))));
        let n = eval("$random()").expect("random").expect("a number");
        assert!(n.as_f64().is_some_and(|n| (0.0..1.0).contains(&n)));
        let id = eval("$uuid()").expect("uuid").expect("a string");
        assert_eq!(id.as_str().map(str::len), Some(36));
        assert_eq!(eval("$uuid() = $uuid()"), Ok(Some(json!(false))));
    }

    #[test]
    fn knows_which_names_are_functions() {
        assert!(super::is_function("sum"));
        assert!(super::is_function("partition"));
        assert!(!super::is_function("eval"));
        assert!(!super::is_function("total"));
    }

    #[test]
    fn wrong_arguments_and_removed_functions_fail() {
        assert_eq!(eval("$range(0, 5000, 1)"), Err("SF0104".into()));
        assert_eq!(eval("$range(0, 5, 0)"), Err("SF0103".into()));
        assert_eq!(eval("$partition([1], 0)"), Err("SF0102".into()));
        assert_eq!(eval("$hash('x', 'CRC32')"), Err("SF0105".into()));
        assert_eq!(eval("$parse('{')"), Err("SF0106".into()));
        assert_eq!(eval("$eval('1 + 1')"), Err("T1006".into()));
    }
}
