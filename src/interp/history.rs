//! The execution history, with the event names of Step Functions'
//! GetExecutionHistory, so a local run reads like one on AWS.

use serde::Serialize;
use serde::ser::SerializeStruct;

use super::data::Payload;

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

/// What an event says, in the fields AWS's event details use. A long run
/// holds hundreds of thousands of these, so what only a few events say is
/// boxed in `more`: the common event stays a quarter of the size.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Detail {
    pub name: Option<String>,
    pub index: Option<usize>,
    pub input: Option<Payload>,
    pub output: Option<Payload>,
    pub more: Option<Box<More>>,
}

/// The fields of task, failure and retry events.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct More {
    pub resource: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// Seconds waited: a Wait state, or the delay before a retry.
    pub wait_seconds: Option<f64>,
    /// Whether a task's response came from a mock, a local program, or
    /// nowhere (an unmocked task answers `{}`).
    pub source: Option<&'static str>,
    /// What a state assigned, on its exited event.
    pub assigned_variables: Option<Assigned>,
    /// The field whose expression failed, on an `EvaluationFailed` event.
    pub location: Option<String>,
}

const NOTHING_MORE: &More = &More {
    resource: None,
    error: None,
    cause: None,
    wait_seconds: None,
    source: None,
    assigned_variables: None,
    location: None,
};

/// Variables and their new values, written as AWS's history writes them:
/// each value as JSON text (`"assignedVariables": {"n": "42"}`).
#[derive(Debug, Clone, PartialEq)]
pub struct Assigned(pub Vec<(String, Payload)>);

impl Serialize for Assigned {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            m.serialize_entry(name, &value.to_string())?;
        }
        m.end()
    }
}

/// Flat, in the order the fields always had, as if `more` were not boxed.
impl Serialize for Detail {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fn field<M: SerializeStruct, T: Serialize>(
            m: &mut M,
            key: &'static str,
            value: &Option<T>,
        ) -> Result<(), M::Error> {
            match value {
                Some(v) => m.serialize_field(key, v),
                None => m.skip_field(key),
            }
        }
        let more = self.more();
        let mut m = s.serialize_struct("Detail", 11)?;
        field(&mut m, "name", &self.name)?;
        field(&mut m, "resource", &more.resource)?;
        field(&mut m, "index", &self.index)?;
        field(&mut m, "input", &self.input)?;
        field(&mut m, "output", &self.output)?;
        field(&mut m, "error", &more.error)?;
        field(&mut m, "cause", &more.cause)?;
        field(&mut m, "location", &more.location)?;
        field(&mut m, "waitSeconds", &more.wait_seconds)?;
        field(&mut m, "source", &more.source)?;
        field(&mut m, "assignedVariables", &more.assigned_variables)?;
        m.end()
    }
}

impl Detail {
    fn is_empty(&self) -> bool {
        *self == Detail::default()
    }

    /// The rarer fields, empty when there are none.
    pub fn more(&self) -> &More {
        self.more.as_deref().unwrap_or(NOTHING_MORE)
    }

    pub fn more_mut(&mut self) -> &mut More {
        self.more.get_or_insert_default()
    }

    /// The error and cause of a failure.
    pub fn failed(failure: &super::Failure) -> Self {
        Detail::default().with_failure(failure)
    }

    pub fn with_failure(mut self, failure: &super::Failure) -> Self {
        let more = self.more_mut();
        more.error = Some(failure.error.clone());
        more.cause = Some(failure.cause.clone());
        self
    }

    pub fn with_source(mut self, source: &'static str) -> Self {
        self.more_mut().source = Some(source);
        self
    }

    pub fn with_index(mut self, index: usize) -> Self {
        self.index = Some(index);
        self
    }

    pub fn named(name: &str) -> Self {
        Detail {
            name: Some(name.to_string()),
            ..Detail::default()
        }
    }
}
