//! The execution history, with the event names of Step Functions'
//! GetExecutionHistory, so a local run reads like one on AWS.

use serde::Serialize;
use serde_json::Value;

/// One event. `timestamp` is simulated milliseconds since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: usize,
    #[serde(serialize_with = "as_text")]
    pub timestamp: i64,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Nesting: 0 at the top, one more inside each branch or iteration.
    #[serde(skip)]
    pub depth: usize,
    #[serde(skip_serializing_if = "Detail::is_empty")]
    pub details: Detail,
}

/// Events come in runs with one timestamp (the simulated clock does not
/// move through Pass and Choice states), so the last text is kept: it was
/// a third of the work of writing a long history as JSON.
fn as_text<S: serde::Serializer>(millis: &i64, s: S) -> Result<S::Ok, S::Error> {
    thread_local! {
        static LAST: std::cell::RefCell<(i64, String)> =
            const { std::cell::RefCell::new((i64::MIN, String::new())) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != *millis {
            *last = (*millis, super::time::format_millis(*millis));
        }
        s.serialize_str(&last.1)
    })
}

/// What an event says, in the fields AWS's event details use.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Detail {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Seconds waited: a Wait state, or the delay before a retry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait_seconds: Option<f64>,
    /// Whether a task's response came from a mock, a local program, or
    /// nowhere (an unmocked task answers `{}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'static str>,
}

impl Detail {
    fn is_empty(&self) -> bool {
        *self == Detail::default()
    }

    /// The error and cause of a failure.
    pub fn failed(failure: &super::Failure) -> Self {
        Detail {
            error: Some(failure.error.clone()),
            cause: Some(failure.cause.clone()),
            ..Detail::default()
        }
    }

    pub fn named(name: &str) -> Self {
        Detail {
            name: Some(name.to_string()),
            ..Detail::default()
        }
    }
}
