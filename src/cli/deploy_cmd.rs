//! `nagare deploy`: compile, then bring the state machine (and with
//! `--create-role` its role, and a flow's schedule) to what the file says.
//! Everything local is checked before the first change; the machine's ARN
//! goes to standard output, what happened to standard error.

use std::path::PathBuf;

use serde_json::Value;

use super::{Output, exit, print_out};
use crate::asl::diff::render;
use crate::aws::deploy::{self, Plan, Request};
use crate::aws::role::{RoleOutcome, RoleSpec, ensure_role};
use crate::aws::schedule::{self, ScheduleOutcome, ScheduleSpec};
use crate::aws::{AwsArgs, Session};
use crate::diagnostics::aws::AwsDiag;
use crate::diagnostics::render::spanless;

/// What `nagare deploy` was asked for.
#[derive(Debug, clap::Args)]
pub struct DeployArgs {
    /// A .flow file or an ASL definition (.json).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The state machine's name (default: the flow's name, or the file's).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The execution role (needed to create; an update keeps the deployed
    /// role unless given).
    #[arg(long, value_name = "ARN", conflicts_with = "create_role")]
    pub role_arn: Option<String>,
    /// Create or update a role with exactly `nagare policy`'s permissions,
    /// and use it.
    #[arg(long)]
    pub create_role: bool,
    /// The name of the role --create-role manages (default: nagare-NAME).
    #[arg(long, value_name = "NAME", requires = "create_role")]
    pub role_name: Option<String>,
    /// A tag for the state machine (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// Publish a version of what was deployed.
    #[arg(long)]
    pub publish: bool,
    /// The published version's description.
    #[arg(long, value_name = "TEXT", requires = "publish")]
    pub version_description: Option<String>,
    /// Show what would change (a structural diff of the definition, the
    /// role, tags and schedule) and change nothing.
    #[arg(long, visible_alias = "dry-run")]
    pub diff: bool,
    /// The role EventBridge Scheduler assumes to start the machine on the
    /// flow's schedule (with --create-role, one is made).
    #[arg(long, value_name = "ARN")]
    pub schedule_role_arn: Option<String>,
    /// Deploy a flow that has a schedule without creating the schedule.
    #[arg(long, conflicts_with = "schedule_role_arn")]
    pub no_schedule: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

pub fn run(args: &DeployArgs, output: Output) -> u8 {
    match deploy(args, output) {
        Ok(code) => code,
        Err(Failed::Aws(diag)) => {
            eprint!("{}", spanless(diag, output.color));
            exit::USAGE_OR_IO
        }
        Err(Failed::Usage(message)) => {
            eprintln!("error: {message}");
            exit::USAGE_OR_IO
        }
        Err(Failed::Code(code)) => code,
    }
}

enum Failed {
    Aws(AwsDiag),
    Usage(String),
    Code(u8),
}

impl From<AwsDiag> for Failed {
    fn from(d: AwsDiag) -> Self {
        Failed::Aws(d)
    }
}

fn deploy(args: &DeployArgs, output: Output) -> Result<u8, Failed> {
    let runnable = super::run_cmd::load_machine(&args.file, output).map_err(Failed::Code)?;
    let name = args.name.clone().unwrap_or_else(|| runnable.name.clone());
    check_name(&name).map_err(Failed::Usage)?;
    let tags = parse_tags(&args.tags).map_err(Failed::Usage)?;
    let schedule = runnable.schedule.clone().filter(|_| !args.no_schedule);
    if schedule.is_some() && args.schedule_role_arn.is_none() && !args.create_role {
        return Err(Failed::Usage(format!(
            "{} has a schedule ({}); give --schedule-role-arn ARN (a role EventBridge Scheduler may assume, allowed states:StartExecution), or --create-role, or --no-schedule",
            args.file.display(),
            schedule.unwrap_or_default()
        )));
    }
    let definition = serde_json::to_value(&runnable.machine)
        .map_err(|e| Failed::Usage(format!("cannot write the definition: {e}")))?;
    let policy = serde_json::to_value(crate::asl::policy::policy(&runnable.machine))
        .map_err(|e| Failed::Usage(format!("cannot write the policy: {e}")))?;
    let session = Session::connect(&args.aws)?;
    let deployed = deploy::find(&session, &name)?;
    if deployed.is_none() && args.role_arn.is_none() && !args.create_role {
        return Err(Failed::Usage(format!(
            "state machine `{name}` does not exist in {} yet; creating it needs an execution role: --role-arn ARN, or --create-role",
            session.region()
        )));
    }

    let role_name = args
        .role_name
        .clone()
        .unwrap_or_else(|| role_name_for(&name, ""));
    let role_spec = RoleSpec {
        name: &role_name,
        service: "states.amazonaws.com",
        policy: &policy,
        description: "Execution role of a state machine deployed by nagare",
    };
    let mut say = Vec::new();
    if args.diff {
        return show_diff(
            &session,
            args,
            &name,
            &definition,
            deployed.as_ref(),
            &tags,
            &role_spec,
            schedule.as_deref(),
            output.stdout_color,
        );
    }

    // The role first: the machine needs its ARN.
    let mut role_arn = args.role_arn.clone();
    let mut role_created = false;
    if args.create_role
        && let Some(outcome) = ensure_role(&session, &role_spec, false)?
    {
        say.push(format!("role {role_name}: {}", role_word(&outcome)));
        role_created = outcome.created;
        role_arn = Some(outcome.arn);
    }
    let request = Request {
        name: &name,
        definition: &definition,
        role_arn: role_arn.as_deref(),
        tags: &tags,
        publish: args.publish,
        version_description: args.version_description.as_deref(),
    };
    let plan = deploy::plan(deployed.as_ref(), &request);
    let applied =
        apply_waiting_for_new_role(&session, deployed.as_ref(), &request, &plan, role_created)?;
    say.insert(
        0,
        match &plan {
            Plan::Create => format!("created state machine {name}"),
            p if p.is_unchanged() => format!("state machine {name} is unchanged"),
            Plan::Update {
                definition,
                role,
                tags,
            } => {
                let mut parts = Vec::new();
                if !definition.is_empty() {
                    parts.push(format!("{} change(s) to the definition", definition.len()));
                }
                if role.is_some() {
                    parts.push("a new role".to_string());
                }
                if !tags.is_empty() {
                    parts.push(format!("{} tag(s)", tags.len()));
                }
                format!("updated state machine {name}: {}", parts.join(", "))
            }
        },
    );
    if let Some(version) = &applied.version_arn {
        say.push(format!("published version {version}"));
    }

    if let Some(expression) = &schedule {
        let schedule_role = match &args.schedule_role_arn {
            Some(arn) => arn.clone(),
            None => {
                let scheduler_role = role_name_for(&name, "-scheduler");
                let policy = schedule::role_policy(&applied.arn);
                let spec = scheduler_role_spec(&scheduler_role, &policy);
                let outcome = ensure_role(&session, &spec, false)?.unwrap_or(RoleOutcome {
                    arn: String::new(),
                    created: false,
                    updated: false,
                });
                say.push(format!("role {scheduler_role}: {}", role_word(&outcome)));
                outcome.arn
            }
        };
        let spec = ScheduleSpec {
            name: &name,
            expression,
            machine_arn: &applied.arn,
            role_arn: &schedule_role,
        };
        let outcome = schedule::ensure(&session, &spec)?;
        say.push(format!(
            "schedule {name} ({expression}, UTC): {}",
            match outcome {
                ScheduleOutcome::Created => "created",
                ScheduleOutcome::Updated => "updated",
                ScheduleOutcome::Unchanged => "unchanged",
            }
        ));
    }
    for line in say {
        eprintln!("{line}");
    }
    let mut out = format!("{}\n", applied.arn);
    if let Some(version) = &applied.version_arn {
        out += &format!("{version}\n");
    }
    print_out(&out).map_err(|()| Failed::Code(exit::USAGE_OR_IO))?;
    Ok(exit::CLEAN)
}

/// IAM takes some seconds to let Step Functions assume a role it has just
/// created; AWS then refuses the machine. Only in that case, wait and retry.
fn apply_waiting_for_new_role(
    session: &Session,
    deployed: Option<&deploy::Deployed>,
    request: &Request<'_>,
    plan: &Plan,
    role_created: bool,
) -> Result<deploy::Applied, AwsDiag> {
    let mut attempt = 0;
    loop {
        match deploy::apply(session, deployed, request, plan) {
            Err(AwsDiag::AccessDenied { message, .. } | AwsDiag::Refused { message, .. })
                if role_created && attempt < 10 && message.contains("assume") =>
            {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_secs(3));
            }
            other => return other,
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn show_diff(
    session: &Session,
    args: &DeployArgs,
    name: &str,
    definition: &Value,
    deployed: Option<&deploy::Deployed>,
    tags: &[(String, String)],
    role_spec: &RoleSpec<'_>,
    schedule: Option<&str>,
    color: bool,
) -> Result<u8, Failed> {
    let mut out = String::new();
    let mut role_arn = args.role_arn.clone();
    if args.create_role {
        match ensure_role(session, role_spec, true)? {
            None => out += &format!("role {}: would be created\n", role_spec.name),
            Some(outcome) => {
                if outcome.updated {
                    out += &format!("role {}: would be updated\n", role_spec.name);
                }
                role_arn = Some(outcome.arn);
            }
        }
    }
    let request = Request {
        name,
        definition,
        role_arn: role_arn.as_deref(),
        tags,
        publish: args.publish,
        version_description: args.version_description.as_deref(),
    };
    let plan = deploy::plan(deployed, &request);
    match &plan {
        Plan::Create => {
            out += &format!("state machine {name}: would be created\n");
        }
        p if p.is_unchanged() => out += &format!("state machine {name}: no changes\n"),
        Plan::Update {
            definition,
            role,
            tags,
        } => {
            out += &render(definition, color);
            if let Some((old, new)) = role {
                out += &format!("~ role: {old} → {new}\n");
            }
            for (key, old, new) in tags {
                match old {
                    Some(old) => out += &format!("~ tag {key}: {old} → {new}\n"),
                    None => out += &format!("+ tag {key}: {new}\n"),
                }
            }
        }
    }
    if let (Some(expression), Some(d)) = (schedule, deployed) {
        // The schedule's role: given, or the one --create-role manages.
        let mut role = args.schedule_role_arn.clone();
        if args.create_role {
            let scheduler_role = role_name_for(name, "-scheduler");
            let policy = schedule::role_policy(&d.arn);
            let spec = scheduler_role_spec(&scheduler_role, &policy);
            match ensure_role(session, &spec, true)? {
                None => out += &format!("role {scheduler_role}: would be created\n"),
                Some(outcome) => {
                    if outcome.updated {
                        out += &format!("role {scheduler_role}: would be updated\n");
                    }
                    role = Some(outcome.arn);
                }
            }
        }
        let spec = ScheduleSpec {
            name,
            expression,
            machine_arn: &d.arn,
            role_arn: role.as_deref().unwrap_or_default(),
        };
        let word = match schedule::compare(session, &spec)? {
            ScheduleOutcome::Created => "would be created",
            ScheduleOutcome::Updated => "would be updated",
            ScheduleOutcome::Unchanged => "no changes",
        };
        out += &format!("schedule {name} ({expression}, UTC): {word}\n");
    } else if let Some(expression) = schedule {
        out += &format!("schedule {name} ({expression}, UTC): would be created\n");
    }
    print_out(&out).map_err(|()| Failed::Code(exit::USAGE_OR_IO))?;
    Ok(exit::CLEAN)
}

fn scheduler_role_spec<'a>(name: &'a str, policy: &'a Value) -> RoleSpec<'a> {
    RoleSpec {
        name,
        service: "scheduler.amazonaws.com",
        policy,
        description: "Lets EventBridge Scheduler start a state machine deployed by nagare",
    }
}

fn role_word(outcome: &RoleOutcome) -> &'static str {
    if outcome.created {
        "created"
    } else if outcome.updated {
        "updated"
    } else {
        "unchanged"
    }
}

/// IAM role names are at most 64 characters.
fn role_name_for(machine: &str, suffix: &str) -> String {
    let room = 64 - "nagare-".len() - suffix.len();
    let cut: String = machine.chars().take(room).collect();
    format!("nagare-{cut}{suffix}")
}

/// Step Functions' rule for names, checked before any call.
fn check_name(name: &str) -> Result<(), String> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if name.is_empty() || name.chars().count() > 80 || !name.chars().all(ok_char) {
        return Err(format!(
            "`{name}` cannot name a state machine: use 1 to 80 letters, digits, `-` and `_` (pass --name)"
        ));
    }
    Ok(())
}

/// `--tag KEY=VALUE`, as AWS limits tags: keys 1-128, values 0-256.
fn parse_tags(raw: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut tags: Vec<(String, String)> = Vec::new();
    for tag in raw {
        let Some((key, value)) = tag.split_once('=') else {
            return Err(format!("--tag takes KEY=VALUE, not `{tag}`"));
        };
        if key.is_empty() || key.chars().count() > 128 || value.chars().count() > 256 {
            return Err(format!(
                "tag `{tag}`: keys are 1 to 128 characters and values at most 256"
            ));
        }
        if tags.iter().any(|(k, _)| k == key) {
            return Err(format!("tag `{key}` is given twice"));
        }
        tags.push((key.to_string(), value.to_string()));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_step_functions_rules() {
        assert!(check_name("daily-platform_2").is_ok());
        assert!(check_name("daily platform").is_err());
        assert!(check_name(&"x".repeat(81)).is_err());
    }

    #[test]
    fn tags_are_key_value_pairs_given_once() {
        assert_eq!(
            parse_tags(&["team=data".into(), "empty=".into()]).unwrap(),
            [
                ("team".into(), "data".into()),
                ("empty".into(), String::new())
            ]
        );
        assert!(parse_tags(&["novalue".into()]).is_err());
        assert!(parse_tags(&["a=1".into(), "a=2".into()]).is_err());
    }

    #[test]
    fn role_names_fit_iam_limits() {
        let long = "m".repeat(80);
        assert_eq!(role_name_for(&long, "-scheduler").len(), 64);
        assert_eq!(role_name_for("daily", ""), "nagare-daily");
    }
}
