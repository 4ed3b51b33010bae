//! `nagare start`: StartExecution, and with `--wait`, following the
//! execution to its end and reading its history into the interpreter's
//! `Execution`, so a run on AWS prints exactly like a local one.

use std::time::{Duration, Instant};

use aws_sdk_sfn::primitives::DateTime;
use aws_sdk_sfn::types::{ExecutionStatus, HistoryEvent, HistoryEventType};
use serde_json::Value;

use super::{Call, Session, aws_error};
use crate::diagnostics::aws::AwsDiag;
use crate::interp::{Detail, Event, Execution, Status};

/// A started execution.
#[derive(Debug, Clone)]
pub struct Started {
    pub execution_arn: String,
    /// Milliseconds since the Unix epoch.
    pub start: i64,
}

/// Starts an execution of the machine `machine_arn`.
pub fn start(
    session: &Session,
    machine_arn: &str,
    input: &Value,
    name: Option<&str>,
) -> Result<Started, AwsDiag> {
    let subject = format!("state machine `{machine_arn}`");
    let out = session
        .block_on(
            session
                .sfn()
                .start_execution()
                .state_machine_arn(machine_arn)
                .input(input.to_string())
                .set_name(name.map(str::to_string))
                .send(),
        )
        .map_err(|e| {
            aws_error(
                Call {
                    action: "states:StartExecution",
                    subject: &subject,
                },
                e,
            )
        })?;
    Ok(Started {
        execution_arn: out.execution_arn,
        start: millis(&out.start_date),
    })
}

/// Polls DescribeExecution until the execution ends (or `timeout` passes,
/// which leaves it running and says so), then reads its whole history.
pub fn wait(
    session: &Session,
    started: &Started,
    poll: Duration,
    timeout: Option<Duration>,
) -> Result<Execution, AwsDiag> {
    let sfn = session.sfn();
    let subject = format!("execution `{}`", started.execution_arn);
    let call = Call {
        action: "states:DescribeExecution",
        subject: &subject,
    };
    let begun = Instant::now();
    let mut delay = poll.min(Duration::from_millis(200));
    let described = loop {
        let out = session
            .block_on(
                sfn.describe_execution()
                    .execution_arn(&started.execution_arn)
                    .send(),
            )
            .map_err(|e| aws_error(call, e))?;
        if out.status != ExecutionStatus::Running && out.status != ExecutionStatus::PendingRedrive {
            break out;
        }
        if timeout.is_some_and(|t| begun.elapsed() >= t) {
            return Err(AwsDiag::StillRunning {
                execution: started.execution_arn.clone(),
                seconds: begun.elapsed().as_secs(),
            });
        }
        std::thread::sleep(delay);
        // Quick executions answer within the first polls; long ones are
        // not asked more than once per `poll`.
        delay = (delay * 2).min(poll);
    };
    let status = match described.status {
        ExecutionStatus::Succeeded => Status::Succeeded,
        ExecutionStatus::TimedOut => Status::TimedOut,
        ExecutionStatus::Aborted => Status::Aborted,
        _ => Status::Failed,
    };
    let end = described
        .stop_date
        .as_ref()
        .map(millis)
        .unwrap_or(started.start);
    let history = history(session, &started.execution_arn)?;
    let (error, cause) = match status {
        Status::Succeeded => (None, None),
        _ => (
            described
                .error
                .or_else(|| last_detail(&history, |d| &d.more().error)),
            described
                .cause
                .or_else(|| last_detail(&history, |d| &d.more().cause)),
        ),
    };
    Ok(Execution {
        status,
        output: described.output.as_deref().map(json_or_text),
        error,
        cause,
        duration_ms: end - started.start,
        unmocked: Vec::new(),
        history,
    })
}

fn last_detail(history: &[Event], field: impl Fn(&Detail) -> &Option<String>) -> Option<String> {
    history.iter().rev().find_map(|e| field(&e.details).clone())
}

/// Every page of GetExecutionHistory, as interpreter events.
fn history(session: &Session, execution_arn: &str) -> Result<Vec<Event>, AwsDiag> {
    let sfn = session.sfn();
    let subject = format!("execution `{execution_arn}`");
    let mut events = Vec::new();
    let mut depths = Depths::default();
    let mut token = None;
    loop {
        let out = session
            .block_on(
                sfn.get_execution_history()
                    .execution_arn(execution_arn)
                    .max_results(1000)
                    .set_next_token(token)
                    .send(),
            )
            .map_err(|e| {
                aws_error(
                    Call {
                        action: "states:GetExecutionHistory",
                        subject: &subject,
                    },
                    e,
                )
            })?;
        for event in &out.events {
            if let Some(converted) = convert(event, &mut depths) {
                events.push(converted);
            }
        }
        token = out.next_token;
        if token.is_none() {
            break;
        }
    }
    Ok(events)
}

/// How deep each event is. AWS's events do not say; they do say which
/// event led to each (`previousEventId`), and a Map or Parallel opens a
/// level at its start and closes it at its end. Concurrent branches
/// interleave in the history, so a running counter would drift; following
/// the previous event does not. Without a known previous event (an
/// emulator that leaves it out), the order of events decides.
#[derive(Default)]
pub(crate) struct Depths {
    by_id: std::collections::HashMap<i64, (usize, &'static str)>,
    running: usize,
}

const OPENS: [&str; 2] = ["MapStateStarted", "ParallelStateStarted"];
const CLOSES: [&str; 6] = [
    "MapStateSucceeded",
    "MapStateFailed",
    "MapStateAborted",
    "ParallelStateSucceeded",
    "ParallelStateFailed",
    "ParallelStateAborted",
];

impl Depths {
    fn of(&mut self, event: &HistoryEvent, kind: &'static str) -> usize {
        let base = match self.by_id.get(&event.previous_event_id) {
            Some(&(depth, previous)) => depth + usize::from(OPENS.contains(&previous)),
            None => self.running,
        };
        let depth = if CLOSES.contains(&kind) {
            base.saturating_sub(1)
        } else {
            base
        };
        self.by_id.insert(event.id, (depth, kind));
        self.running = depth + usize::from(OPENS.contains(&kind));
        depth
    }
}

/// One AWS history event in the interpreter's terms.
pub(crate) fn convert(event: &HistoryEvent, depths: &mut Depths) -> Option<Event> {
    let kind = static_name(&event.r#type)?;
    Some(Event {
        id: usize::try_from(event.id).unwrap_or_default(),
        timestamp: millis(&event.timestamp),
        kind,
        depth: depths.of(event, kind),
        details: details(event),
    })
}

/// AWS's event type as the `&'static str` the interpreter's events use;
/// a type this SDK does not know is left out of the timeline.
fn static_name(kind: &HistoryEventType) -> Option<&'static str> {
    HistoryEventType::values()
        .iter()
        .find(|v| **v == kind.as_str())
        .copied()
}

fn details(e: &HistoryEvent) -> Detail {
    let mut d = Detail::default();
    if let Some(s) = &e.state_entered_event_details {
        d.name = Some(s.name.clone());
        d.input = s.input.as_deref().map(payload);
    }
    if let Some(s) = &e.state_exited_event_details {
        d.name = Some(s.name.clone());
        d.output = s.output.as_deref().map(payload);
    }
    if let Some(t) = &e.task_scheduled_event_details {
        d.more_mut().resource = Some(resource(&t.resource_type, &t.resource));
        d.input = Some(payload(&t.parameters));
    }
    if let Some(t) = &e.task_succeeded_event_details {
        d.output = t.output.as_deref().map(payload);
        d.more_mut().source = Some("aws");
    }
    if let Some(t) = &e.task_failed_event_details {
        failed(&mut d, &t.error, &t.cause);
    }
    if let Some(t) = &e.task_timed_out_event_details {
        failed(&mut d, &t.error, &t.cause);
    }
    if let Some(t) = &e.task_start_failed_event_details {
        failed(&mut d, &t.error, &t.cause);
    }
    if let Some(t) = &e.task_submit_failed_event_details {
        failed(&mut d, &t.error, &t.cause);
    }
    if let Some(l) = &e.lambda_function_scheduled_event_details {
        d.more_mut().resource = Some(l.resource.clone());
        d.input = l.input.as_deref().map(payload);
    }
    if let Some(l) = &e.lambda_function_succeeded_event_details {
        d.output = l.output.as_deref().map(payload);
        d.more_mut().source = Some("aws");
    }
    if let Some(l) = &e.lambda_function_failed_event_details {
        failed(&mut d, &l.error, &l.cause);
    }
    if let Some(l) = &e.lambda_function_timed_out_event_details {
        failed(&mut d, &l.error, &l.cause);
    }
    for m in [
        &e.map_iteration_started_event_details,
        &e.map_iteration_succeeded_event_details,
        &e.map_iteration_failed_event_details,
        &e.map_iteration_aborted_event_details,
    ]
    .into_iter()
    .flatten()
    {
        d.index = usize::try_from(m.index).ok();
    }
    if let Some(x) = &e.execution_started_event_details {
        d.input = x.input.as_deref().map(payload);
    }
    if let Some(x) = &e.execution_succeeded_event_details {
        d.output = x.output.as_deref().map(payload);
    }
    for f in [
        e.execution_failed_event_details
            .as_ref()
            .map(|x| (&x.error, &x.cause)),
        e.execution_timed_out_event_details
            .as_ref()
            .map(|x| (&x.error, &x.cause)),
        e.execution_aborted_event_details
            .as_ref()
            .map(|x| (&x.error, &x.cause)),
    ]
    .into_iter()
    .flatten()
    {
        failed(&mut d, f.0, f.1);
    }
    d
}

/// AWS splits an integration's ARN into a type and a resource
/// (`lambda`, `invoke`); the timeline shows the ARN the definition wrote.
fn resource(kind: &str, name: &str) -> String {
    if name.starts_with("arn:") {
        name.to_string()
    } else {
        format!("arn:aws:states:::{kind}:{name}")
    }
}

/// Payloads in the history are JSON text; an engine may send other text.
fn json_or_text(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

fn failed(d: &mut Detail, error: &Option<String>, cause: &Option<String>) {
    let more = d.more_mut();
    (more.error, more.cause) = (error.clone(), cause.clone());
}

/// An event's payload as the interpreter's history holds it.
fn payload(text: &str) -> std::sync::Arc<Value> {
    std::sync::Arc::new(json_or_text(text))
}

fn millis(t: &DateTime) -> i64 {
    t.to_millis().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use aws_sdk_sfn::types::{
        MapIterationEventDetails, StateEnteredEventDetails, TaskScheduledEventDetails,
    };

    use super::*;

    fn event(id: i64, kind: HistoryEventType) -> aws_sdk_sfn::types::builders::HistoryEventBuilder {
        HistoryEvent::builder()
            .id(id)
            .r#type(kind)
            .timestamp(DateTime::from_millis(1_000 * id))
    }

    #[test]
    fn events_read_like_local_ones_with_nesting_from_map_boundaries() {
        let raw = [
            event(1, HistoryEventType::MapStateEntered)
                .state_entered_event_details(
                    StateEnteredEventDetails::builder()
                        .name("each")
                        .input("{\"xs\":[1]}")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
            event(2, HistoryEventType::MapStateStarted).build().unwrap(),
            event(3, HistoryEventType::MapIterationStarted)
                .map_iteration_started_event_details(
                    MapIterationEventDetails::builder().index(0).build(),
                )
                .build()
                .unwrap(),
            event(4, HistoryEventType::TaskScheduled)
                .task_scheduled_event_details(
                    TaskScheduledEventDetails::builder()
                        .resource_type("lambda")
                        .resource("invoke")
                        .region("us-east-1")
                        .parameters("{\"FunctionName\":\"f\"}")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
            event(5, HistoryEventType::MapStateSucceeded)
                .build()
                .unwrap(),
        ];
        let mut depths = Depths::default();
        let events: Vec<Event> = raw.iter().filter_map(|e| convert(e, &mut depths)).collect();
        let shape: Vec<(&str, usize)> = events.iter().map(|e| (e.kind, e.depth)).collect();
        assert_eq!(
            shape,
            [
                ("MapStateEntered", 0),
                ("MapStateStarted", 0),
                ("MapIterationStarted", 1),
                ("TaskScheduled", 1),
                ("MapStateSucceeded", 0)
            ]
        );
        assert_eq!(
            events[0].details.input,
            Some(std::sync::Arc::new(serde_json::json!({"xs": [1]})))
        );
        assert_eq!(events[2].details.index, Some(0));
        assert_eq!(
            events[3].details.more().resource.as_deref(),
            Some("arn:aws:states:::lambda:invoke")
        );
        assert_eq!(events[3].timestamp, 4_000);
    }

    #[test]
    fn interleaved_branches_keep_their_depth_through_previous_events() {
        use HistoryEventType as T;
        // Two Parallel branches, each with a Map, whose events interleave.
        let e =
            |id: i64, prev: i64, kind: T| event(id, kind).previous_event_id(prev).build().unwrap();
        let raw = [
            e(1, 0, T::ParallelStateEntered),
            e(2, 1, T::ParallelStateStarted),
            e(3, 2, T::MapStateEntered),
            e(4, 2, T::MapStateEntered),
            e(5, 3, T::MapStateStarted),
            e(6, 4, T::MapStateStarted),
            e(7, 5, T::MapIterationStarted),
            e(8, 6, T::MapIterationStarted),
            e(9, 7, T::MapStateSucceeded),
            e(10, 8, T::MapStateSucceeded),
            e(11, 10, T::ParallelStateSucceeded),
        ];
        let mut depths = Depths::default();
        let shape: Vec<usize> = raw
            .iter()
            .filter_map(|x| convert(x, &mut depths))
            .map(|x| x.depth)
            .collect();
        assert_eq!(shape, [0, 0, 1, 1, 1, 1, 2, 2, 1, 1, 0]);
    }
}
