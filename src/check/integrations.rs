//! The `run` targets: which integrations exist, what target and args each
//! takes, and the types of those args (docs/language.md, "Integrations").

use super::suggest::{closest, did_you_mean};
use crate::diagnostics::Diag;
use crate::syntax::ast::*;

/// One integration of the table.
#[derive(Debug)]
pub struct Integration {
    pub name: &'static str,
    /// What the target is, and an example, when the integration takes one.
    pub target: Option<(&'static str, &'static str)>,
    pub args: &'static [Arg],
    /// `sdk` and `resource` pass their args through as written.
    pub open_args: bool,
    pub resource: &'static str,
}

#[derive(Debug)]
pub struct Arg {
    pub name: &'static str,
    pub ty: ArgType,
    pub required: bool,
}

#[derive(Debug, Clone, Copy)]
pub enum ArgType {
    String,
    Bool,
    StringList,
    /// An object whose values are strings (environment variables, job arguments).
    StringMap,
    Object,
    Any,
    OneOf(&'static [&'static str]),
}

impl ArgType {
    pub fn describe(self) -> &'static str {
        match self {
            ArgType::String | ArgType::OneOf(_) => "a string",
            ArgType::Bool => "a boolean",
            ArgType::StringList => "a list of strings",
            ArgType::StringMap => "an object of strings",
            ArgType::Object => "an object",
            ArgType::Any => "a value",
        }
    }
}

const fn arg(name: &'static str, ty: ArgType, required: bool) -> Arg {
    Arg { name, ty, required }
}

use ArgType::{Any, Bool, OneOf, StringList, StringMap};

pub static INTEGRATIONS: &[Integration] = &[
    Integration {
        name: "lambda",
        target: Some(("function name or ARN", "run lambda \"my-function\"")),
        args: &[
            arg("payload", Any, false),
            arg("qualifier", ArgType::String, false),
        ],
        open_args: false,
        resource: "arn:aws:states:::lambda:invoke",
    },
    Integration {
        name: "ecs",
        target: None,
        args: &[
            arg("cluster", ArgType::String, false),
            arg("task_definition", ArgType::String, true),
            arg("launch_type", OneOf(&["FARGATE", "EC2", "EXTERNAL"]), false),
            arg("subnets", StringList, false),
            arg("security_groups", StringList, false),
            arg("assign_public_ip", Bool, false),
            arg("container", ArgType::String, false),
            arg("command", StringList, false),
            arg("environment", ArgType::StringMap, false),
        ],
        open_args: false,
        resource: "arn:aws:states:::ecs:runTask.sync",
    },
    Integration {
        name: "athena",
        target: None,
        args: &[
            arg("query", ArgType::String, true),
            arg("database", ArgType::String, false),
            arg("workgroup", ArgType::String, false),
            arg("output", ArgType::String, false),
        ],
        open_args: false,
        resource: "arn:aws:states:::athena:startQueryExecution.sync",
    },
    Integration {
        name: "glue.crawler",
        target: Some(("crawler name", "run glue.crawler \"datalake\"")),
        args: &[arg("wait", Bool, false)],
        open_args: false,
        resource: "arn:aws:states:::aws-sdk:glue:startCrawler",
    },
    Integration {
        name: "glue.job",
        target: Some(("job name", "run glue.job \"nightly-etl\"")),
        args: &[arg("arguments", ArgType::StringMap, false)],
        open_args: false,
        resource: "arn:aws:states:::glue:startJobRun.sync",
    },
    Integration {
        name: "codebuild",
        target: Some(("project name", "run codebuild \"aurora-snapshot-export\"")),
        args: &[arg("environment", ArgType::StringMap, false)],
        open_args: false,
        resource: "arn:aws:states:::codebuild:startBuild.sync",
    },
    Integration {
        name: "sns",
        target: None,
        args: &[
            arg("topic", ArgType::String, true),
            arg("message", Any, true),
            arg("subject", ArgType::String, false),
        ],
        open_args: false,
        resource: "arn:aws:states:::sns:publish",
    },
    Integration {
        name: "sdk",
        target: Some(("\"service:action\"", "run sdk \"s3:listObjectsV2\"")),
        args: &[],
        open_args: true,
        resource: "arn:aws:states:::aws-sdk:",
    },
    Integration {
        name: "resource",
        target: Some((
            "resource ARN",
            "run resource \"arn:aws:states:::sqs:sendMessage\"",
        )),
        args: &[],
        open_args: true,
        resource: "",
    },
];

pub fn find(name: &str) -> Option<&'static Integration> {
    INTEGRATIONS.iter().find(|i| i.name == name)
}

pub fn check_stage(stage: &Stage, diags: &mut Vec<Diag>) {
    for clause in &stage.clauses {
        if let Clause::Run(run) = clause {
            check_run(run, diags);
        }
    }
}

fn check_run(run: &Run, diags: &mut Vec<Diag>) {
    let name = &run.integration.name;
    let Some(integration) = find(name) else {
        let names = INTEGRATIONS.iter().map(|i| i.name);
        let list = names.clone().collect::<Vec<_>>().join(", ");
        let help = match closest(name, names) {
            Some(best) => format!("did you mean `{best}`? Integrations are: {list}"),
            None => format!("integrations are: {list}"),
        };
        diags.push(Diag::UnknownIntegration {
            span: run.integration.span,
            name: name.clone(),
            help,
        });
        return;
    };
    check_target(run, integration, diags);
    if let Some(args) = run.args.as_ref().filter(|_| !integration.open_args) {
        check_args(args, integration, diags);
    }
    if !integration.open_args {
        for required in integration.args.iter().filter(|a| a.required) {
            if run
                .args
                .as_ref()
                .and_then(|a| a.get(required.name))
                .is_none()
            {
                diags.push(Diag::MissingArg {
                    span: run.args.as_ref().map_or(run.integration.span, |a| a.span),
                    integration: name.clone(),
                    arg: required.name,
                });
            }
        }
    }
}

fn check_target(run: &Run, integration: &Integration, diags: &mut Vec<Diag>) {
    match (&run.target, integration.target) {
        (None, Some((what, example))) => diags.push(Diag::MissingTarget {
            span: run.integration.span,
            integration: integration.name.to_string(),
            what,
            example,
        }),
        (Some(target), None) => diags.push(Diag::UnexpectedTarget {
            span: target.span,
            integration: integration.name.to_string(),
            args: integration
                .args
                .iter()
                .map(|a| a.name)
                .collect::<Vec<_>>()
                .join(", "),
        }),
        (Some(target), Some((what, _))) => {
            if let Some(help) = target_problem(integration.name, &target.node) {
                diags.push(Diag::InvalidTarget {
                    span: target.span,
                    target: target.node.clone(),
                    what,
                    help,
                });
            }
        }
        _ => {}
    }
}

/// Why a target is unusable, if it is: as help text.
fn target_problem(integration: &str, target: &str) -> Option<&'static str> {
    if target.trim().is_empty() {
        return Some("the target names what to run; it cannot be empty");
    }
    match integration {
        "sdk" if !is_sdk_action(target) => Some(
            "write the service and the API action as `\"service:action\"`, e.g. `run sdk \"s3:listObjectsV2\"`",
        ),
        "resource" if !target.starts_with("arn:") => Some(
            "`run resource` takes a full ARN such as `\"arn:aws:states:::sqs:sendMessage\"`; for Lambda, use `run lambda \"NAME\"`",
        ),
        "resource" => crate::asl::validate::arn_problem(target),
        _ => None,
    }
}

/// `service:action`, e.g. `s3:listObjectsV2`: two non-empty identifier parts.
fn is_sdk_action(target: &str) -> bool {
    let part = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    };
    matches!(target.split_once(':'), Some((service, action)) if part(service) && part(action))
}

fn check_args(args: &Object, integration: &Integration, diags: &mut Vec<Diag>) {
    let accepted = || integration.args.iter().map(|a| a.name);
    for entry in &args.entries {
        let Some(spec) = integration.args.iter().find(|a| a.name == entry.key.node) else {
            let list = accepted().collect::<Vec<_>>().join(", ");
            let help = match did_you_mean(&entry.key.node, accepted(), "") {
                Some(h) if h.starts_with("did you mean") => {
                    format!("{h} `{}` accepts: {list}", integration.name)
                }
                _ if list.is_empty() => format!("`{}` takes no args", integration.name),
                _ => format!("`{}` accepts: {list}", integration.name),
            };
            diags.push(Diag::UnknownArg {
                span: entry.key.span,
                arg: entry.key.node.clone(),
                integration: integration.name.to_string(),
                help,
            });
            continue;
        };
        check_arg_type(&entry.key.node, spec, &entry.value, diags);
    }
}

fn check_arg_type(name: &str, spec: &Arg, value: &Value, diags: &mut Vec<Diag>) {
    if value.kind.is_dynamic() {
        return; // known only at run time
    }
    let ok = match (spec.ty, &value.kind) {
        (Any, _) => true,
        (ArgType::String | OneOf(_), ValueKind::String(_)) => true,
        (Bool, ValueKind::Bool(_)) => true,
        (ArgType::Object, ValueKind::Object(_)) => true,
        (StringList, ValueKind::Array(items)) => {
            let what = || format!("each element of `{name}`");
            strings_only(items.iter(), what, "write every element as a string", diags);
            true
        }
        (StringMap, ValueKind::Object(object)) => {
            let what = || format!("each value of `{name}`");
            let help =
                "Step Functions passes these as strings: quote numbers and booleans (`\"1\"`)";
            strings_only(object.entries.iter().map(|e| &e.value), what, help, diags);
            true
        }
        _ => false,
    };
    if !ok {
        let help = match spec.ty {
            StringList => format!("write `{name}: [\"a\", \"b\"]`"),
            OneOf(values) => format!("one of: {}", values.join(", ")),
            Bool => format!("write `{name}: true` or `{name}: false`"),
            ArgType::Object => format!("write `{name}: {{ KEY: value }}`"),
            StringMap => format!("write `{name}: {{ KEY: \"value\" }}`"),
            _ => "a path or intrinsic call is also accepted; it is evaluated at run time".into(),
        };
        diags.push(wrong_type(
            format!("`{name}`"),
            spec.ty.describe(),
            value,
            &help,
        ));
        return;
    }
    if let (ArgType::String, ValueKind::String(s)) = (spec.ty, &value.kind)
        && spec.required
        && s.trim().is_empty()
    {
        diags.push(Diag::InvalidArgValue {
            span: value.span,
            value: format!("\"{s}\""),
            arg: spec.name,
            help: format!("`{}` is required and cannot be empty", spec.name),
        });
    }
    if let (OneOf(values), ValueKind::String(s)) = (spec.ty, &value.kind)
        && !values.contains(&s.as_str())
    {
        diags.push(Diag::InvalidArgValue {
            span: value.span,
            value: s.clone(),
            arg: spec.name,
            help: format!("`{}` is one of: {}", spec.name, values.join(", ")),
        });
    }
}

/// Reports every value that is neither a string nor known only at run time.
fn strings_only<'a>(
    values: impl Iterator<Item = &'a Value>,
    what: impl Fn() -> String,
    help: &str,
    diags: &mut Vec<Diag>,
) {
    for value in values {
        if !matches!(value.kind, ValueKind::String(_)) && !value.kind.is_dynamic() {
            diags.push(wrong_type(what(), "a string", value, help));
        }
    }
}

fn wrong_type(what: String, expected: &'static str, value: &Value, help: &str) -> Diag {
    Diag::WrongArgType {
        span: value.span,
        what,
        expected,
        found: value.kind.describe(),
        help: help.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_actions() {
        assert!(is_sdk_action("s3:listObjectsV2"));
        assert!(is_sdk_action("glue:startCrawler"));
        assert!(!is_sdk_action("s3"));
        assert!(!is_sdk_action("s3:"));
        assert!(!is_sdk_action("s3 list"));
    }
}
