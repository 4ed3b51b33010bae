//! A flow's `schedule` on deploy: an EventBridge Scheduler schedule, named
//! after the machine, that starts an execution (input `{}`) at each tick.
//! Created when missing, updated when the expression, target or role
//! drifted, left alone otherwise.

use aws_sdk_scheduler::types::{FlexibleTimeWindow, FlexibleTimeWindowMode, Target};

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

/// What the schedule of that name looks like now, compared with `spec`.
pub fn compare(session: &Session, spec: &ScheduleSpec<'_>) -> Result<ScheduleOutcome, AwsDiag> {
    let subject = format!("schedule `{}`", spec.name);
    let current = session.block_on(session.scheduler().get_schedule().name(spec.name).send());
    match current {
        Ok(s) => {
            let target = s.target.as_ref();
            let same = s.schedule_expression.as_deref() == Some(spec.expression)
                && s.schedule_expression_timezone.as_deref().unwrap_or("UTC") == TIMEZONE
                && target.map(|t| t.arn.as_str()) == Some(spec.machine_arn)
                && target.map(|t| t.role_arn.as_str()) == Some(spec.role_arn);
            Ok(if same {
                ScheduleOutcome::Unchanged
            } else {
                ScheduleOutcome::Updated
            })
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(ScheduleOutcome::Created)
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

/// Creates or updates the schedule as `compare` found necessary.
pub fn ensure(session: &Session, spec: &ScheduleSpec<'_>) -> Result<ScheduleOutcome, AwsDiag> {
    let outcome = compare(session, spec)?;
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
