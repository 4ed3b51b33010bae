//! The JSONPath data flow of a state: InputPath, payload templates
//! (Parameters, ItemSelector, ResultSelector), ResultPath and OutputPath,
//! with the errors AWS raises when they fail.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::failure::{self, Failure};
use super::intrinsics;
use super::vars::Vars;
use crate::asl::intrinsic;
use crate::path::{self, JsonPath, Selection, Step};

/// A state's input or output. Shared rather than copied: the history
/// holds the very value one state passes to the next, and a long run
/// would otherwise copy every payload three or four times.
pub type Payload = Arc<Value>;

/// What a path may read besides the state's data: the context object
/// (`$$`) and the variables (`$name`).
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub context: &'a Value,
    pub vars: &'a Vars,
}

impl<'a> Env<'a> {
    pub fn new(context: &'a Value, vars: &'a Vars) -> Self {
        Env { context, vars }
    }
}

/// The value a path starts from: the data, or the variable it names
/// (`$$` paths start from the context object inside `path::select`).
pub fn root<'v>(parsed: &JsonPath, data: &'v Value, env: &Env<'v>) -> Result<&'v Value, Failure> {
    match &parsed.variable {
        None => Ok(data),
        Some(name) => env.vars.get(name).map(|v| &**v).ok_or_else(|| {
            Failure::runtime(format!("the variable `${name}` has not been assigned"))
        }),
    }
}

/// The largest payload a state may take or give: 256 KiB, as serialised.
pub const MAX_PAYLOAD: usize = 256 * 1024;

thread_local! {
    /// Paths parsed so far: a loop reads the same few paths again and again.
    static PATHS: RefCell<HashMap<String, Rc<JsonPath>>> = RefCell::default();
}

/// Parses a path from a definition (once per distinct text). Definitions
/// are validated before they run, so a failure here is unexpected.
pub fn parse_path(text: &str) -> Result<Rc<JsonPath>, Failure> {
    if let Some(parsed) = PATHS.with(|p| p.borrow().get(text).cloned()) {
        return Ok(parsed);
    }
    let parsed = path::parse_asl(text.trim_matches(|c: char| c <= ' '))
        .map_err(|e| Failure::runtime(format!("invalid path `{text}`: {e}")))?;
    let parsed = Rc::new(parsed);
    PATHS.with(|p| {
        let mut paths = p.borrow_mut();
        // A definition has few distinct paths; the bound is a safety net.
        if paths.len() > 100_000 {
            paths.clear();
        }
        paths.insert(text.to_string(), parsed.clone());
    });
    Ok(parsed)
}

/// Reads a path; a definite path that finds nothing is `States.Runtime`.
pub fn read(text: &str, data: &Value, env: &Env<'_>) -> Result<Value, Failure> {
    let parsed = parse_path(text)?;
    match path::select(&parsed, root(&parsed, data, env)?, env.context) {
        Selection::One(v) => Ok(v.clone()),
        Selection::Many(vs) => Ok(Value::Array(vs.into_iter().cloned().collect())),
        Selection::Missing => Err(Failure::runtime(format!(
            "the JSONPath `{text}` could not be found in the input {}",
            preview(if parsed.context { env.context } else { data })
        ))),
    }
}

/// `InputPath`/`OutputPath`: absent is `$`, `null` gives `{}`.
pub fn filter(
    path: &Option<Option<String>>,
    value: Payload,
    env: &Env<'_>,
) -> Result<Payload, Failure> {
    match path {
        None => Ok(value),
        Some(None) => Ok(Arc::new(Value::Object(Map::new()))),
        Some(Some(p)) if p == "$" => Ok(value),
        Some(Some(p)) => read(p, &value, env).map(Arc::new),
    }
}

/// Evaluates a payload template: `"key.$"` fields take a path's value or
/// a call's result; other fields are copied, objects walked at any depth.
pub fn template(
    template: &Value,
    data: &Value,
    env: &Env<'_>,
    rng: &mut intrinsics::Rng,
) -> Result<Value, Failure> {
    Ok(match template {
        Value::Object(fields) => {
            let mut out = Map::with_capacity(fields.len());
            for (key, value) in fields {
                match key.strip_suffix(".$") {
                    Some(name) => {
                        let text = value.as_str().unwrap_or_default();
                        let computed = if intrinsic::is_call(text) {
                            intrinsics::evaluate(text, data, env, rng)?
                        } else {
                            read(text, data, env)?
                        };
                        out.insert(name.to_string(), computed);
                    }
                    None => {
                        out.insert(key.clone(), template_value(value, data, env, rng)?);
                    }
                }
            }
            Value::Object(out)
        }
        other => template_value(other, data, env, rng)?,
    })
}

fn template_value(
    value: &Value,
    data: &Value,
    env: &Env<'_>,
    rng: &mut intrinsics::Rng,
) -> Result<Value, Failure> {
    match value {
        Value::Object(_) => template(value, data, env, rng),
        Value::Array(items) => items
            .iter()
            .map(|item| template_value(item, data, env, rng))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// `ResultPath`: absent replaces the input, `null` keeps the input and
/// drops the result, a path places the result inside the input (creating
/// objects on the way; anything else in the way is
/// `States.ResultPathMatchFailure`).
pub fn place(
    path: &Option<Option<String>>,
    input: Payload,
    result: Payload,
) -> Result<Payload, Failure> {
    let text = match path {
        None => return Ok(result),
        Some(None) => return Ok(input),
        Some(Some(text)) => text,
    };
    let parsed = parse_path(text)?;
    if parsed.steps.is_empty() {
        return Ok(result);
    }
    // Copied only if the history still holds the input.
    let mut root = Arc::unwrap_or_clone(input);
    let mut slot = &mut root;
    let failed = |why: &str| {
        Failure::new(
            failure::RESULT_PATH,
            format!("unable to apply ResultPath `{text}`: {why}"),
        )
    };
    for step in &parsed.steps {
        slot = match (step, slot) {
            (Step::Field(name), Value::Object(map)) => map
                .entry(name.clone())
                .or_insert_with(|| Value::Object(Map::new())),
            (Step::Index(i), Value::Array(items)) => {
                let len = items.len() as i64;
                let at = if *i < 0 { len + i } else { *i };
                match usize::try_from(at).ok().filter(|&at| at < items.len()) {
                    Some(at) => &mut items[at],
                    None => return Err(failed("the index is outside the array")),
                }
            }
            (_, other) => {
                return Err(failed(&format!(
                    "the path goes through {}, which is not an object",
                    kind(other)
                )));
            }
        };
    }
    *slot = Arc::unwrap_or_clone(result);
    Ok(Arc::new(root))
}

/// `States.DataLimitExceeded` when a payload is over 256 KiB.
pub fn within_limit(value: &Value, what: &str, limit: usize) -> Result<(), Failure> {
    if limit == usize::MAX {
        return Ok(());
    }
    let size = serde_json::to_vec(value).map_or(0, |v| v.len());
    if size > limit {
        return Err(Failure::new(
            failure::DATA_LIMIT,
            format!("the {what} is {size} bytes, over the limit of {limit} bytes"),
        ));
    }
    Ok(())
}

pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value in a message, cut short.
pub fn preview(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn result_path_places_and_fails_like_aws() {
        let input = Arc::new(json!({"a": {"b": 1}, "s": "text"}));
        let two = || Arc::new(json!(2));
        let placed = |path: &str| place(&Some(Some(path.into())), input.clone(), two());
        assert_eq!(
            *placed("$.a.c").expect("placed"),
            json!({"a": {"b": 1, "c": 2}, "s": "text"})
        );
        assert_eq!(
            *placed("$.new.deep").expect("placed"),
            json!({"a": {"b": 1}, "s": "text", "new": {"deep": 2}})
        );
        // Placing into a shared input leaves the shared value as it was.
        assert_eq!(*input, json!({"a": {"b": 1}, "s": "text"}));
        assert_eq!(
            *place(&None, input.clone(), two()).expect("replaced"),
            json!(2)
        );
        assert!(Arc::ptr_eq(
            &place(&Some(None), input.clone(), two()).expect("kept"),
            &input
        ));
        let failed = placed("$.s.x").expect_err("a string");
        assert_eq!(failed.error, "States.ResultPathMatchFailure");
    }

    #[test]
    fn templates_read_paths_and_context() {
        let mut rng = intrinsics::Rng::seeded(1);
        let t =
            json!({"x.$": "$.a", "k": {"y.$": "$$.Map.Item.Index"}, "l": [{"z.$": "$.a"}], "c": 1});
        let out = template(
            &t,
            &json!({"a": 5}),
            &Env::new(&json!({"Map": {"Item": {"Index": 3}}}), &Vars::default()),
            &mut rng,
        )
        .expect("evaluated");
        assert_eq!(out, json!({"x": 5, "k": {"y": 3}, "l": [{"z": 5}], "c": 1}));
        let missing = template(
            &json!({"x.$": "$.nope"}),
            &json!({}),
            &Env::new(&json!({}), &Vars::default()),
            &mut rng,
        );
        assert_eq!(missing.expect_err("missing").error, "States.Runtime");
    }
}
