//! Errors an execution raises, and which `Retry`/`Catch` entries match them.

use serde_json::{Value, json};

/// An error raised in a state: a name (`States.Timeout`, `Lambda.Unknown`…)
/// and a cause.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub error: String,
    pub cause: String,
    /// The field whose JSONata expression failed (`Output/total`), for the
    /// history's `EvaluationFailed` event; taken once it is recorded.
    pub location: Option<String>,
}

impl Failure {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Failure {
            error: error.into(),
            cause: cause.into(),
            location: None,
        }
    }

    /// The failure of an expression in `field`.
    pub fn in_field(mut self, field: impl Into<String>) -> Self {
        self.location = Some(field.into());
        self
    }

    /// `States.Runtime`: a path that finds nothing, a value of the wrong
    /// type. Never retried, never caught.
    pub fn runtime(cause: impl Into<String>) -> Self {
        Failure::new(RUNTIME, cause)
    }

    /// The error object a catcher's `ResultPath` receives.
    pub fn to_json(&self) -> Value {
        json!({ "Error": self.error, "Cause": self.cause })
    }
}

pub const RUNTIME: &str = "States.Runtime";
pub const DATA_LIMIT: &str = "States.DataLimitExceeded";
pub const TIMEOUT: &str = "States.Timeout";
pub const TASK_FAILED: &str = "States.TaskFailed";
pub const INTRINSIC: &str = "States.IntrinsicFailure";
pub const RESULT_PATH: &str = "States.ResultPathMatchFailure";
pub const NO_CHOICE: &str = "States.NoChoiceMatched";
pub const HEARTBEAT: &str = "States.HeartbeatTimeout";
pub const ITEM_READER: &str = "States.ItemReaderFailed";
pub const RESULT_WRITER: &str = "States.ResultWriterFailed";
pub const TOLERATED: &str = "States.ExceedToleratedFailureThreshold";

/// Whether an `ErrorEquals` list matches `error`, by AWS's rules:
/// `States.ALL` matches every error but `States.Runtime` and
/// `States.DataLimitExceeded`; `States.TaskFailed` matches every error but
/// those and `States.Timeout`; `States.Runtime` is never caught at all.
pub fn matches(error_equals: &[String], error: &str) -> bool {
    if error == RUNTIME {
        return false;
    }
    let terminal = error == DATA_LIMIT;
    error_equals.iter().any(|name| match name.as_str() {
        "States.ALL" => !terminal,
        TASK_FAILED => !terminal && error != TIMEOUT,
        name => name == error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(names: &[&str], error: &str) -> bool {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        matches(&names, error)
    }

    #[test]
    fn wildcards_follow_aws() {
        assert!(m(&["States.ALL"], "Lambda.Unknown"));
        assert!(m(&["States.ALL"], "States.Timeout"));
        assert!(!m(&["States.ALL"], "States.Runtime"));
        assert!(!m(&["States.ALL"], "States.DataLimitExceeded"));
        assert!(m(&["States.DataLimitExceeded"], "States.DataLimitExceeded"));
        assert!(m(&["States.TaskFailed"], "MyError"));
        assert!(!m(&["States.TaskFailed"], "States.Timeout"));
        assert!(!m(&["States.Runtime"], "States.Runtime"));
        assert!(m(&["A", "B"], "B"));
        assert!(!m(&["A"], "B"));
    }
}
