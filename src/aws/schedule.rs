//! A flow's `schedule` on deploy: an EventBridge Scheduler schedule, named
//! after the machine, that starts an execution (input `{}`) at each tick.
//! Created when missing, updated when the expression, target or role
//! drifted, left alone otherwise.

use aws_sdk_scheduler::types::{FlexibleTimeWindow, FlexibleTimeWindowMode, ScheduleState, Target};

use super::{Call, Session, aws_error};
use crate::diagnostics::aws::AwsDiag;

/// The flow language writes EventBridge syntax, in UTC.
pub const TIMEZONE: &str = "UTC";

/// The schedule wanted.
pub struct ScheduleSpec<'a> {
    pub name: &'a str,
    pub expression: &'a str,
    pub machine_arn: &'a str,
    pub role_arn: &'a str,
}

/// What ensuring the schedule did (or would do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleOutcome {
    Created,
    Updated,
    Unchanged,
}

/// EventBridge Scheduler's names: 1 to 64 of letters, digits, `-`, `_`, `.`.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() || name.len() > 64 || !name.chars().all(ok) {
        return Err(format!(
            "the schedule is named after the machine, and `{name}` cannot name a schedule (1 to 64 letters, digits, `-`, `_`, `.`): pass a shorter --name, or --no-schedule"
        ));
    }
    Ok(())
}

/// The schedule of that name: its expression, timezone, target and state.
struct Current {
    expression: Option<String>,
    timezone: Option<String>,
    target: Option<(String, String)>,
    state: Option<ScheduleState>,
}

fn current(session: &Session, name: &str) -> Result<Option<Current>, AwsDiag> {
    let subject = format!("schedule `{name}`");
    match session.block_on(session.scheduler().get_schedule().name(name).send()) {
        Ok(s) => Ok(Some(Current {
            expression: s.schedule_expression,
            timezone: s.schedule_expression_timezone,
            target: s.target.map(|t| (t.arn, t.role_arn)),
            state: s.state,
        })),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(aws_error(
            Call {
                action: "scheduler:GetSchedule",
                subject: &subject,
            },
            e,
        )),
    }
}

/// What ensuring `spec` would do to the schedule of that name. Its state
/// (enabled or disabled) is the user's and never counts as a difference.
pub fn compare(session: &Session, spec: &ScheduleSpec<'_>) -> Result<ScheduleOutcome, AwsDiag> {
    Ok(match current(session, spec.name)? {
        None => ScheduleOutcome::Created,
        Some(c) if same(&c, spec) => ScheduleOutcome::Unchanged,
        Some(_) => ScheduleOutcome::Updated,
    })
}

fn same(c: &Current, spec: &ScheduleSpec<'_>) -> bool {
    c.expression.as_deref() == Some(spec.expression)
        && c.timezone.as_deref().unwrap_or("UTC") == TIMEZONE
        && c.target
            .as_ref()
            .map(|(arn, role)| (arn.as_str(), role.as_str()))
            == Some((spec.machine_arn, spec.role_arn))
}

/// A flow that no longer has a schedule: the schedule named after the
/// machine that starts this machine is deleted (`dry_run`: only found).
/// A schedule of that name aimed elsewhere is not nagare's, and is kept.
pub fn remove(
    session: &Session,
    name: &str,
    machine_arn: &str,
    dry_run: bool,
) -> Result<bool, AwsDiag> {
    let ours = current(session, name)?
        .and_then(|c| c.target)
        .is_some_and(|(arn, _)| arn == machine_arn);
    if ours && !dry_run {
        let subject = format!("schedule `{name}`");
        session
            .block_on(session.scheduler().delete_schedule().name(name).send())
            .map_err(|e| {
                aws_error(
                    Call {
                        action: "scheduler:DeleteSchedule",
                        subject: &subject,
                    },
                    e,
                )
            })?;
    }
    Ok(ours)
}

/// Creates or updates the schedule as `compare` finds necessary; an update
/// keeps the schedule's state, so a schedule the user disabled stays so.
pub fn ensure(session: &Session, spec: &ScheduleSpec<'_>) -> Result<ScheduleOutcome, AwsDiag> {
    let found = current(session, spec.name)?;
    let outcome = match &found {
        None => ScheduleOutcome::Created,
        Some(c) if same(c, spec) => ScheduleOutcome::Unchanged,
        Some(_) => ScheduleOutcome::Updated,
    };
    let state = found.and_then(|c| c.state);
    let subject = format!("schedule `{}`", spec.name);
    let invalid = |e: aws_sdk_scheduler::error::BuildError| AwsDiag::Refused {
        operation: "scheduler:CreateSchedule".into(),
        code: "InvalidRequest".into(),
        message: e.to_string(),
        help: "this is a bug in nagare; please report it".into(),
    };
    let window = FlexibleTimeWindow::builder()
        .mode(FlexibleTimeWindowMode::Off)
        .build()
        .map_err(invalid)?;
    let target = Target::builder()
        .arn(spec.machine_arn)
        .role_arn(spec.role_arn)
        .input("{}")
        .build()
        .map_err(invalid)?;
    let scheduler = session.scheduler();
    let description = "Starts the state machine; deployed by nagare";
    match outcome {
        ScheduleOutcome::Unchanged => {}
        ScheduleOutcome::Created => {
            session
                .block_on(
                    scheduler
                        .create_schedule()
                        .name(spec.name)
                        .schedule_expression(spec.expression)
                        .schedule_expression_timezone(TIMEZONE)
                        .flexible_time_window(window)
                        .target(target)
                        .description(description)
                        .send(),
                )
                .map_err(|e| {
                    aws_error(
                        Call {
                            action: "scheduler:CreateSchedule",
                            subject: &subject,
                        },
                        e,
                    )
                })?;
        }
        ScheduleOutcome::Updated => {
            session
                .block_on(
                    scheduler
                        .update_schedule()
                        .name(spec.name)
                        .set_state(state.clone())
                        .schedule_expression(spec.expression)
                        .schedule_expression_timezone(TIMEZONE)
                        .flexible_time_window(window)
                        .target(target)
                        .description(description)
                        .send(),
                )
                .map_err(|e| {
                    aws_error(
                        Call {
                            action: "scheduler:UpdateSchedule",
                            subject: &subject,
                        },
                        e,
                    )
                })?;
        }
    }
    Ok(outcome)
}

/// The scheduler role's policy: start this machine, nothing else.
pub fn role_policy(machine_arn: &str) -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "StartTheMachine",
            "Effect": "Allow",
            "Action": ["states:StartExecution"],
            "Resource": [machine_arn]
        }]
    })
}
