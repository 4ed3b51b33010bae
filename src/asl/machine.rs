//! The state machine as a whole, its nested machines (Parallel branches and
//! Map processors), retriers and catchers, and reading and writing JSON.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::serde_util::{NullablePath, nullable, present};
use super::state::State;

/// A whole definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StateMachine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    pub start_at: String,
    pub states: IndexMap<String, State>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// `QueryLanguage`, at the top or per state. A state without one speaks
/// the machine's; a machine without one speaks JSONPath.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum QueryLanguage {
    #[default]
    #[serde(rename = "JSONPath")]
    JsonPath,
    #[serde(rename = "JSONata")]
    Jsonata,
}

/// A machine inside a Parallel branch or a Map's `ItemProcessor`/`Iterator`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SubMachine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Only in a Map's `ItemProcessor`: `{ "Mode": "INLINE" | "DISTRIBUTED", … }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor_config: Option<super::state::ProcessorConfig>,
    pub start_at: String,
    pub states: IndexMap<String, State>,
}

/// One entry of `Retry`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_rate: Option<serde_json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_strategy: Option<JitterStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum JitterStrategy {
    Full,
    None,
}

/// One entry of `Catch`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: String,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_path: NullablePath,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub output: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Why a definition could not be read: the message names the offending
/// field; `line` and `column` (1-based) locate it in the JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (line {}, column {})",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for ReadError {}

/// Reads a definition from JSON text. Unknown fields, missing required
/// fields and wrongly typed values are errors.
pub fn read(json: &str) -> Result<StateMachine, ReadError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    // serde_json bounds its recursion (128 levels), so hostile nesting is an
    // error, not a stack overflow.
    let machine = StateMachine::deserialize(&mut deserializer).map_err(|e| ReadError {
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    deserializer.end().map_err(|e| ReadError {
        message: "unexpected data after the definition".into(),
        line: e.line(),
        column: e.column(),
    })?;
    Ok(machine)
}

/// Pretty JSON with a final newline: the same machine always gives the same bytes.
pub fn write(machine: &StateMachine) -> String {
    // Serialising plain data with string keys cannot fail.
    let mut text = crate::pretty::to_string(machine).unwrap_or_default();
    text.push('\n');
    text
}
