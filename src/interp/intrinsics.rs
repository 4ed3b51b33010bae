//! The intrinsic functions, evaluated. A call's arguments are literals,
//! paths and nested calls; a wrong argument is `States.IntrinsicFailure`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use base64::Engine as _;
use rand::{Rng as _, SeedableRng};
use serde_json::{Map, Value};

use super::data::{self, Env, kind};
use super::failure::{self, Failure};
use crate::asl::intrinsic::{self, ArgKind, Call};
use crate::path::{self, Selection};

/// The random numbers of an execution: seedable, so a dry run can repeat
/// exactly (`States.UUID`, `States.MathRandom` without a seed, jitter).
pub struct Rng(rand::rngs::StdRng);

impl Rng {
    pub fn seeded(seed: u64) -> Self {
        Rng(rand::rngs::StdRng::seed_from_u64(seed))
    }

    /// A seed for a stream of its own (a branch, an iteration).
    pub fn next_seed(&mut self) -> u64 {
        self.0.random()
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        self.0.random()
    }

    fn bytes(&mut self) -> [u8; 16] {
        self.0.random()
    }
}

/// The largest list `States.ArrayRange` builds (AWS's limit).
const MAX_RANGE: i64 = 1000;

/// Evaluates a call written in a `.$` field, `ErrorPath` or `CausePath`.
pub fn evaluate(text: &str, data: &Value, env: &Env<'_>, rng: &mut Rng) -> Result<Value, Failure> {
    let cached = CALLS.with(|c| c.borrow().get(text).cloned());
    let call = match cached {
        Some(call) => call,
        None => {
            let call = Rc::new(intrinsic::parse(text).map_err(|e| {
                Failure::new(failure::INTRINSIC, format!("`{text}`: {}", e.message))
            })?);
            CALLS.with(|c| {
                let mut calls = c.borrow_mut();
                // A definition has few distinct calls; the bound is a safety net.
                if calls.len() > 100_000 {
                    calls.clear();
                }
                calls.insert(text.to_string(), call.clone());
            });
            call
        }
    };
    call_value(&call, data, env, rng)
}

thread_local! {
    /// Calls parsed so far, as paths are in `data`.
    static CALLS: RefCell<HashMap<String, Rc<Call>>> = RefCell::default();
}

fn fail(name: &str, why: impl std::fmt::Display) -> Failure {
    Failure::new(failure::INTRINSIC, format!("{name}: {why}"))
}

fn call_value(call: &Call, data: &Value, env: &Env<'_>, rng: &mut Rng) -> Result<Value, Failure> {
    let name = call.name.as_str();
    if name == "States.Format" {
        return format(call, data, env, rng);
    }
    let args: Vec<Value> = call
        .args
        .iter()
        .map(|arg| argument(&arg.kind, data, env, rng))
        .collect::<Result<_, _>>()?;
    let arity = |n: usize| -> Result<(), Failure> {
        if args.len() == n {
            Ok(())
        } else {
            Err(fail(
                name,
                format!("takes {n} arguments, not {}", args.len()),
            ))
        }
    };
    let string = |i: usize| -> Result<&str, Failure> {
        args[i].as_str().ok_or_else(|| {
            fail(
                name,
                format!(
                    "argument {} must be a string, not {}",
                    i + 1,
                    kind(&args[i])
                ),
            )
        })
    };
    let array = |i: usize| -> Result<&Vec<Value>, Failure> {
        args[i].as_array().ok_or_else(|| {
            fail(
                name,
                format!(
                    "argument {} must be an array, not {}",
                    i + 1,
                    kind(&args[i])
                ),
            )
        })
    };
    let integer = |i: usize| -> Result<i64, Failure> {
        match &args[i] {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                .ok_or_else(|| {
                    fail(
                        name,
                        format!("argument {} must be an integer, not {n}", i + 1),
                    )
                }),
            other => Err(fail(
                name,
                format!("argument {} must be an integer, not {}", i + 1, kind(other)),
            )),
        }
    };
    Ok(match name {
        "States.StringToJson" => {
            arity(1)?;
            serde_json::from_str(string(0)?).map_err(|e| fail(name, format!("not JSON: {e}")))?
        }
        "States.JsonToString" => {
            arity(1)?;
            Value::String(args[0].to_string())
        }
        "States.Array" => Value::Array(args.clone()),
        "States.ArrayPartition" => {
            arity(2)?;
            let size = integer(1)?;
            if size <= 0 {
                return Err(fail(name, "the chunk size must be positive"));
            }
            Value::Array(
                array(0)?
                    .chunks(size as usize)
                    .map(|c| Value::Array(c.to_vec()))
                    .collect(),
            )
        }
        "States.ArrayContains" => {
            arity(2)?;
            Value::Bool(array(0)?.contains(&args[1]))
        }
        "States.ArrayRange" => {
            arity(3)?;
            let (start, end, step) = (integer(0)?, integer(1)?, integer(2)?);
            if step == 0 {
                return Err(fail(name, "the step must not be 0"));
            }
            let count = if (end - start).signum() * step.signum() < 0 {
                0
            } else {
                (end - start) / step + 1
            };
            if count > MAX_RANGE {
                return Err(fail(
                    name,
                    format!("the range would hold {count} items; at most {MAX_RANGE}"),
                ));
            }
            Value::Array((0..count).map(|i| Value::from(start + i * step)).collect())
        }
        "States.ArrayGetItem" => {
            arity(2)?;
            let index = integer(1)?;
            let items = array(0)?;
            usize::try_from(index)
                .ok()
                .and_then(|i| items.get(i))
                .cloned()
                .ok_or_else(|| {
                    fail(
                        name,
                        format!("index {index} is outside the array of {}", items.len()),
                    )
                })?
        }
        "States.ArrayLength" => {
            arity(1)?;
            Value::from(array(0)?.len())
        }
        "States.ArrayUnique" => {
            arity(1)?;
            let mut unique: Vec<Value> = Vec::new();
            for item in array(0)? {
                if !unique.contains(item) {
                    unique.push(item.clone());
                }
            }
            Value::Array(unique)
        }
        "States.Base64Encode" => {
            arity(1)?;
            Value::String(base64::engine::general_purpose::STANDARD.encode(string(0)?))
        }
        "States.Base64Decode" => {
            arity(1)?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(string(0)?)
                .map_err(|e| fail(name, format!("not Base64: {e}")))?;
            Value::String(
                String::from_utf8(bytes)
                    .map_err(|_| fail(name, "the decoded data is not UTF-8 text"))?,
            )
        }
        "States.Hash" => {
            arity(2)?;
            let input = match &args[0] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Value::String(
                crate::asl::digest::hex(string(1)?, input.as_bytes()).ok_or_else(|| {
                    fail(
                        name,
                        "the algorithm is one of MD5, SHA-1, SHA-256, SHA-384, SHA-512",
                    )
                })?,
            )
        }
        "States.JsonMerge" => {
            arity(3)?;
            let (Value::Object(a), Value::Object(b)) = (&args[0], &args[1]) else {
                return Err(fail(name, "both inputs must be objects"));
            };
            if args[2] != Value::Bool(false) {
                return Err(fail(
                    name,
                    "only a shallow merge (false) is supported by Step Functions",
                ));
            }
            let mut merged: Map<String, Value> = a.clone();
            merged.extend(b.clone());
            Value::Object(merged)
        }
        "States.MathRandom" => {
            if !(2..=3).contains(&args.len()) {
                return Err(fail(name, "takes 2 or 3 arguments"));
            }
            let (start, end) = (integer(0)?, integer(1)?);
            if start >= end {
                return Err(fail(name, "the start must be less than the end"));
            }
            let unit = match args.get(2) {
                Some(_) => Rng::seeded(integer(2)? as u64).unit(),
                None => rng.unit(),
            };
            Value::from(start + ((end - start) as f64 * unit) as i64)
        }
        "States.MathAdd" => {
            arity(2)?;
            // Fractions are rounded half up first, as Java's Math.round does.
            let rounded = |i: usize| -> Result<i64, Failure> {
                match args[i].as_f64() {
                    Some(f) if f.is_finite() && f.fract() != 0.0 => Ok((f + 0.5).floor() as i64),
                    _ => integer(i),
                }
            };
            let (a, b) = (rounded(0)?, rounded(1)?);
            Value::from(
                a.checked_add(b)
                    .ok_or_else(|| fail(name, "the sum overflows"))?,
            )
        }
        "States.StringSplit" => {
            arity(2)?;
            let separators: Vec<char> = string(1)?.chars().collect();
            Value::Array(
                string(0)?
                    .split(|c| separators.contains(&c))
                    .filter(|part| !part.is_empty())
                    .map(|part| Value::String(part.to_string()))
                    .collect(),
            )
        }
        "States.UUID" => {
            arity(0)?;
            Value::String(
                uuid::Builder::from_random_bytes(rng.bytes())
                    .into_uuid()
                    .to_string(),
            )
        }
        other => return Err(fail(other, "unknown intrinsic function")),
    })
}

fn argument(arg: &ArgKind, data: &Value, env: &Env<'_>, rng: &mut Rng) -> Result<Value, Failure> {
    Ok(match arg {
        ArgKind::String(raw) => Value::String(intrinsic::unescape(raw)),
        ArgKind::Number(n) => Value::Number(n.clone()),
        ArgKind::Bool(b) => Value::Bool(*b),
        ArgKind::Null => Value::Null,
        ArgKind::Path(p) => match path::select(p, data::root(p, data, env)?, env.context) {
            Selection::One(v) => v.clone(),
            Selection::Many(vs) => Value::Array(vs.into_iter().cloned().collect()),
            Selection::Missing => {
                return Err(Failure::runtime(format!(
                    "an intrinsic argument path found nothing in {}",
                    data::preview(data)
                )));
            }
        },
        ArgKind::Call(inner) => call_value(inner, data, env, rng)?,
    })
}

/// `States.Format`: each unescaped `{}` in the template takes the next
/// argument (strings as they are, other values as JSON).
fn format(call: &Call, data: &Value, env: &Env<'_>, rng: &mut Rng) -> Result<Value, Failure> {
    let name = "States.Format";
    let Some((first, rest)) = call.args.split_first() else {
        return Err(fail(name, "needs a template"));
    };
    // A literal template keeps its escapes; one read from a path has none.
    let raw = match &first.kind {
        ArgKind::String(raw) => raw.clone(),
        other => match argument(other, data, env, rng)? {
            Value::String(s) => s.replace('\\', "\\\\"),
            v => {
                return Err(fail(
                    name,
                    format!("the template must be a string, not {}", kind(&v)),
                ));
            }
        },
    };
    let mut values = rest
        .iter()
        .map(|a| argument(&a.kind, data, env, rng))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter();
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    let mut used = 0;
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                used += 1;
                match values.next() {
                    Some(value) => out.push_str(&java_text(&value)),
                    None => {
                        return Err(fail(
                            name,
                            format!(
                                "the template has more `{{}}` than the {} arguments",
                                rest.len()
                            ),
                        ));
                    }
                }
            }
            c => out.push(c),
        }
    }
    if used != rest.len() {
        return Err(fail(
            name,
            format!(
                "the template has {used} `{{}}` for {} arguments",
                rest.len()
            ),
        ));
    }
    Ok(Value::String(out))
}

/// A value as Step Functions (a Java service) prints it into a string:
/// strings bare, objects as `{k=v, …}`, lists as `[a, b]`.
fn java_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(map) => {
            let fields: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}={}", java_text(v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(java_text).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(text: &str) -> Result<Value, Failure> {
        let data = json!({"a": [1, 2, 2, 3], "s": "a,b,,c", "o": {"x": 1}, "n": "it's"});
        evaluate(
            text,
            &data,
            &Env::new(&json!({}), &super::super::vars::Vars::default()),
            &mut Rng::seeded(7),
        )
    }

    #[test]
    fn every_function_computes_what_aws_documents() {
        for (text, expected) in [
            (
                r"States.Format('Hello {}, {} \{x\}', $.n, 3)",
                json!("Hello it's, 3 {x}"),
            ),
            ("States.StringToJson('{\"k\": 1}')", json!({"k": 1})),
            ("States.JsonToString($.o)", json!("{\"x\":1}")),
            ("States.Array(1, 'two', $.o)", json!([1, "two", {"x": 1}])),
            ("States.ArrayPartition($.a, 3)", json!([[1, 2, 2], [3]])),
            ("States.ArrayContains($.a, 3)", json!(true)),
            ("States.ArrayRange(1, 9, 2)", json!([1, 3, 5, 7, 9])),
            ("States.ArrayGetItem($.a, 3)", json!(3)),
            ("States.ArrayLength($.a)", json!(4)),
            ("States.ArrayUnique($.a)", json!([1, 2, 3])),
            (
                "States.Base64Encode('Data to encode')",
                json!("RGF0YSB0byBlbmNvZGU="),
            ),
            (
                "States.Base64Decode('RGF0YSB0byBlbmNvZGU=')",
                json!("Data to encode"),
            ),
            (
                "States.Hash('input data', 'SHA-1')",
                json!("aaff4a450a104cd177d28d18d74485e8cae074b7"),
            ),
            (
                "States.JsonMerge($.o, States.StringToJson('{\"y\": 2}'), false)",
                json!({"x": 1, "y": 2}),
            ),
            ("States.MathAdd(111, -1)", json!(110)),
            ("States.StringSplit($.s, ',')", json!(["a", "b", "c"])),
        ] {
            assert_eq!(eval(text).expect(text), expected, "{text}");
        }
        let uuid = eval("States.UUID()").expect("uuid");
        assert_eq!(uuid.as_str().map(str::len), Some(36));
        let random = eval("States.MathRandom(1, 10, 42)").expect("random");
        assert_eq!(random, eval("States.MathRandom(1, 10, 42)").expect("again"));
    }

    #[test]
    fn wrong_arguments_are_intrinsic_failures() {
        for text in [
            "States.Format('{} {}', 1)",
            "States.ArrayGetItem($.a, 9)",
            "States.StringToJson('nope')",
            "States.MathAdd('one', 1)",
            "States.Hash('x', 'SHA-3')",
            "States.ArrayRange(1, 5000, 1)",
        ] {
            assert_eq!(
                eval(text).expect_err(text).error,
                "States.IntrinsicFailure",
                "{text}"
            );
        }
    }
}
