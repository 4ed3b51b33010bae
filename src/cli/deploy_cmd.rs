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
    // A flow's schedule is deployed, or (gone from the flow) removed; a
    // definition has none, and leaves schedules alone.
    let schedule = match (&runnable.schedule, args.no_schedule) {
        (_, true) => Wanted::Untouched,
        (Some(expression), false) => Wanted::Schedule(expression.clone()),
        (None, false) if runnable.from_flow => Wanted::None,
        (None, false) => Wanted::Untouched,
    };
    if let Wanted::Schedule(expression) = &schedule {
        if args.schedule_role_arn.is_none() && !args.create_role {
            return Err(Failed::Usage(format!(
                "{} has a schedule ({expression}); give --schedule-role-arn ARN (a role EventBridge Scheduler may assume, allowed states:StartExecution), or --create-role, or --no-schedule",
                args.file.display(),
            )));
        }
        schedule::check_name(&name).map_err(Failed::Usage)?;
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
    if args.diff {
        let plan = DiffPlan {
            name: &name,
            definition: &definition,
            deployed: deployed.as_ref(),
            tags: &tags,
            role_spec: &role_spec,
            schedule: &schedule,
        };
        return show_diff(&session, args, &plan, output.stdout_color);
    }

    // The role first: the machine needs its ARN (and its permissions).
    let mut say = Vec::new();
    let mut role_arn = args.role_arn.clone();
    let mut role_change = None;
    if args.create_role
        && let Some(outcome) = ensure_role(&session, &role_spec, false)?
    {
        say.push(format!("role {role_name}: {}", role_word(&outcome)));
        role_arn = Some(outcome.arn.clone());
        role_change = Some(outcome);
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
    let fresh_role = role_change.as_ref().is_some_and(|o| o.created || o.updated);
    let applied = match retry_while_role_propagates(fresh_role, || {
        deploy::apply(&session, deployed.as_ref(), &request, &plan)
    }) {
        Ok(applied) => applied,
        Err(e) => {
            // The machine stayed as it was: so does its role.
            if let Some(outcome) = &role_change {
                crate::aws::role::undo(&session, &role_name, outcome);
            }
            return Err(e.into());
        }
    };
    say.insert(0, plan_summary(&name, &plan));
    if let Some(version) = &applied.version_arn {
        say.push(format!("published version {version}"));
    }

    match &schedule {
        Wanted::Schedule(expression) => {
            let (schedule_role, fresh) = match &args.schedule_role_arn {
                Some(arn) => (arn.clone(), false),
                None => {
                    let scheduler_role = role_name_for(&name, "-scheduler");
                    let policy = schedule::role_policy(&applied.arn);
                    let spec = scheduler_role_spec(&scheduler_role, &policy);
                    let outcome = ensure_role(&session, &spec, false)?;
                    let word = outcome.as_ref().map_or("created", role_word);
                    say.push(format!("role {scheduler_role}: {word}"));
                    outcome.map_or((String::new(), true), |o| {
                        let fresh = o.created || o.updated;
                        (o.arn, fresh)
                    })
                }
            };
            let spec = ScheduleSpec {
                name: &name,
                expression,
                machine_arn: &applied.arn,
                role_arn: &schedule_role,
            };
            let outcome = retry_while_role_propagates(fresh, || schedule::ensure(&session, &spec))
                .inspect_err(|_| report_partial(&say))?;
            say.push(format!(
                "schedule {name} ({expression}, UTC): {}",
                match outcome {
                    ScheduleOutcome::Created => "created",
                    ScheduleOutcome::Updated => "updated",
                    ScheduleOutcome::Unchanged => "unchanged",
                }
            ));
        }
        Wanted::None => {
            let removed = schedule::remove(&session, &name, &applied.arn, false)
                .inspect_err(|_| report_partial(&say))?;
            if removed {
                say.push(format!(
                    "schedule {name}: deleted (the flow has no schedule any more)"
                ));
            }
        }
        Wanted::Untouched => {}
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

/// What the flow wants of the schedule named after the machine.
enum Wanted {
    Schedule(String),
    /// A flow without `schedule`: none should start the machine.
    None,
    /// A definition, or --no-schedule: not nagare's business this time.
    Untouched,
}

/// When the machine changed but its schedule could not be made, say what
/// did happen before the error.
fn report_partial(said: &[String]) {
    for line in said {
        eprintln!("{line}");
    }
    eprintln!("the state machine was deployed; its schedule was not:");
}

fn plan_summary(name: &str, plan: &Plan) -> String {
    match plan {
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
    }
}

/// IAM takes some seconds before a service may assume a role just created
/// or given a new trust policy; AWS refuses the machine or schedule until
/// then. Only in that case, wait and retry, for up to 30 seconds.
fn retry_while_role_propagates<T>(
    fresh_role: bool,
    mut call: impl FnMut() -> Result<T, AwsDiag>,
) -> Result<T, AwsDiag> {
    let mut attempt = 0;
    loop {
        match call() {
            Err(AwsDiag::AccessDenied { message, .. } | AwsDiag::Refused { message, .. })
                if fresh_role && attempt < 10 && message.contains("assume") =>
            {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_secs(3));
            }
            other => return other,
        }
    }
}

/// Everything `--diff` compares.
struct DiffPlan<'a> {
    name: &'a str,
    definition: &'a Value,
    deployed: Option<&'a deploy::Deployed>,
    tags: &'a [(String, String)],
    role_spec: &'a RoleSpec<'a>,
    schedule: &'a Wanted,
}

fn show_diff(
    session: &Session,
    args: &DeployArgs,
    p: &DiffPlan<'_>,
    color: bool,
) -> Result<u8, Failed> {
    let name = p.name;
    let mut out = String::new();
    let mut role_arn = args.role_arn.clone();
    let mut role_to_create = false;
    if args.create_role {
        match ensure_role(session, p.role_spec, true)? {
            None => {
                role_to_create = true;
                out += &format!("role {}: would be created\n", p.role_spec.name);
            }
            Some(outcome) => {
                if outcome.updated {
                    out += &format!("role {}: would be updated\n", p.role_spec.name);
                }
                role_arn = Some(outcome.arn);
            }
        }
    }
    let request = Request {
        name,
        definition: p.definition,
        role_arn: role_arn.as_deref(),
        tags: p.tags,
        publish: args.publish,
        version_description: args.version_description.as_deref(),
    };
    let plan = deploy::plan(p.deployed, &request);
    let mut changes = String::new();
    if let (true, Some(d)) = (role_to_create, p.deployed) {
        // The role does not exist yet, so neither does its ARN.
        changes += &format!(
            "~ role: {} → {} (to be created)\n",
            d.role_arn, p.role_spec.name
        );
    }
    match &plan {
        Plan::Create => out += &format!("state machine {name}: would be created\n"),
        Plan::Update {
            definition,
            role,
            tags,
        } => {
            changes += &render(definition, color);
            if let Some((old, new)) = role {
                changes += &format!("~ role: {old} → {new}\n");
            }
            for (key, old, new) in tags {
                match old {
                    Some(old) => changes += &format!("~ tag {key}: {old} → {new}\n"),
                    None => changes += &format!("+ tag {key}: {new}\n"),
                }
            }
            if changes.is_empty() {
                out += &format!("state machine {name}: no changes\n");
            }
        }
    }
    out += &changes;
    match (p.schedule, p.deployed) {
        (Wanted::Schedule(expression), Some(d)) => {
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
        }
        (Wanted::Schedule(expression), None) => {
            out += &format!("schedule {name} ({expression}, UTC): would be created\n");
        }
        (Wanted::None, Some(d)) if schedule::remove(session, name, &d.arn, true)? => {
            out += &format!("schedule {name}: would be deleted (the flow has no schedule)\n");
        }
        _ => {}
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

/// IAM role names are at most 64 characters. A name too long is cut, and
/// a hash of the whole name keeps two long names from sharing a role.
fn role_name_for(machine: &str, suffix: &str) -> String {
    let room = 64 - "nagare-".len() - suffix.len();
    if machine.chars().count() <= room {
        return format!("nagare-{machine}{suffix}");
    }
    use sha2::Digest;
    let hash = sha2::Sha256::digest(machine.as_bytes());
    let tag: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let cut: String = machine.chars().take(room - 9).collect();
    format!("nagare-{cut}-{tag}{suffix}")
}

/// Step Functions' rule for names, checked before any call: 1 to 80
/// characters, none of whitespace, brackets, wildcards, control characters
/// or `"#%\\^|~`$&,;:/`.
fn check_name(name: &str) -> Result<(), String> {
    let bad =
        |c: char| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c);
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(bad) {
        return Err(format!(
            "`{name}` cannot name a state machine: use 1 to 80 characters without spaces, brackets, wildcards or any of \"#%\\^|~`$&,;:/ (pass --name)"
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
        // AWS's tag alphabet: letters, digits, spaces and _ . : / = + - @.
        let allowed = |c: char| c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c);
        if !key.chars().chain(value.chars()).all(allowed) {
            return Err(format!(
                "tag `{tag}`: AWS allows letters, digits, spaces and _ . : / = + - @ in tags"
            ));
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            return Err(format!(
                "tag `{key}`: keys starting with `aws:` are AWS's own"
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
        assert!(check_name("daily.platform").is_ok());
        assert!(check_name("daily platform").is_err());
        assert!(check_name("a/b").is_err());
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
        assert!(parse_tags(&["aws:owner=me".into()]).is_err());
        assert!(parse_tags(&["team=a|b".into()]).is_err());
        assert!(parse_tags(&["a=1".into(), "a=2".into()]).is_err());
    }

    #[test]
    fn role_names_fit_iam_limits() {
        let long = "m".repeat(80);
        assert_eq!(role_name_for(&long, "-scheduler").len(), 64);
        assert_eq!(role_name_for(&long, "").len(), 64);
        assert_eq!(role_name_for("daily", ""), "nagare-daily");
        // Long names that share a start still get roles of their own.
        let other = format!("{long}x");
        assert_ne!(role_name_for(&long, ""), role_name_for(&other, ""));
    }
}
