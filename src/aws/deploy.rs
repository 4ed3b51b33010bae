//! `nagare deploy`: create the state machine, or update it in one
//! UpdateStateMachine call when its definition or role changed; tags are
//! added or corrected after. Deciding what to do (`plan`) is separate from
//! doing it (`apply`), so `--diff` shows exactly what `deploy` would change.

use serde_json::Value;

use super::{Call, Session, aws_error};
use crate::asl::diff::{Change, diff};
use crate::diagnostics::aws::AwsDiag;

/// What the user asked to deploy.
pub struct Request<'a> {
    pub name: &'a str,
    pub definition: &'a Value,
    /// The execution role; `None` keeps the deployed machine's role.
    pub role_arn: Option<&'a str>,
    pub tags: &'a [(String, String)],
    pub publish: bool,
    pub version_description: Option<&'a str>,
}

/// The machine as AWS has it.
#[derive(Debug, Clone)]
pub struct Deployed {
    pub arn: String,
    pub definition: Value,
    pub role_arn: String,
    pub revision_id: Option<String>,
    pub tags: Vec<(String, String)>,
}

/// What deploying would change.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    Create,
    Update {
        definition: Vec<Change>,
        /// (deployed, new) when the role changes.
        role: Option<(String, String)>,
        /// Tags to add or correct, as (key, deployed value, new value).
        tags: Vec<(String, Option<String>, String)>,
    },
}

impl Plan {
    /// Nothing to do: the deployed machine already is what was asked.
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Plan::Update { definition, role, tags }
            if definition.is_empty() && role.is_none() && tags.is_empty())
    }
}

/// What `apply` did.
#[derive(Debug, Clone)]
pub struct Applied {
    pub arn: String,
    pub version_arn: Option<String>,
}

/// Finds the machine named `name` in the session's account and region.
pub fn find(session: &Session, name: &str) -> Result<Option<Deployed>, AwsDiag> {
    let sfn = session.sfn();
    let subject = format!("state machine `{name}`");
    let mut token = None;
    let arn = loop {
        let page = session
            .block_on(
                sfn.list_state_machines()
                    .max_results(1000)
                    .set_next_token(token)
                    .send(),
            )
            .map_err(|e| {
                aws_error(
                    Call {
                        action: "states:ListStateMachines",
                        subject: "the account's state machines",
                    },
                    e,
                )
            })?;
        if let Some(found) = page.state_machines.iter().find(|m| m.name == name) {
            break found.state_machine_arn.clone();
        }
        token = page.next_token;
        if token.is_none() {
            return Ok(None);
        }
    };
    let described = session
        .block_on(sfn.describe_state_machine().state_machine_arn(&arn).send())
        .map_err(|e| {
            aws_error(
                Call {
                    action: "states:DescribeStateMachine",
                    subject: &subject,
                },
                e,
            )
        })?;
    let tags = session
        .block_on(sfn.list_tags_for_resource().resource_arn(&arn).send())
        .map_err(|e| {
            aws_error(
                Call {
                    action: "states:ListTagsForResource",
                    subject: &subject,
                },
                e,
            )
        })?
        .tags
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| Some((t.key?, t.value.unwrap_or_default())))
        .collect();
    Ok(Some(Deployed {
        arn,
        // A definition AWS holds is JSON; if an emulator returns something
        // else, everything counts as changed rather than failing.
        definition: serde_json::from_str(&described.definition)
            .unwrap_or(Value::String(described.definition)),
        role_arn: described.role_arn,
        revision_id: described.revision_id,
        tags,
    }))
}

/// What deploying `request` over `deployed` would change.
pub fn plan(deployed: Option<&Deployed>, request: &Request<'_>) -> Plan {
    let Some(deployed) = deployed else {
        return Plan::Create;
    };
    let role = request
        .role_arn
        .filter(|arn| *arn != deployed.role_arn)
        .map(|arn| (deployed.role_arn.clone(), arn.to_string()));
    let tags = request
        .tags
        .iter()
        .filter_map(|(key, value)| {
            let current = deployed.tags.iter().find(|(k, _)| k == key).map(|t| &t.1);
            (current != Some(value)).then(|| (key.clone(), current.cloned(), value.clone()))
        })
        .collect();
    Plan::Update {
        definition: diff(&deployed.definition, request.definition),
        role,
        tags,
    }
}

/// Makes the change `plan` describes. The definition and role change in
/// one UpdateStateMachine call, which AWS applies whole or not at all.
pub fn apply(
    session: &Session,
    deployed: Option<&Deployed>,
    request: &Request<'_>,
    plan: &Plan,
) -> Result<Applied, AwsDiag> {
    let definition = serde_json::to_string_pretty(request.definition).unwrap_or_default();
    let description = request
        .version_description
        .filter(|_| request.publish)
        .map(str::to_string);
    match (plan, deployed) {
        (
            Plan::Update {
                definition: changes,
                role,
                tags,
            },
            Some(deployed),
        ) => update(
            session,
            deployed,
            request,
            (changes, role, tags),
            definition,
            description,
        ),
        _ => create(session, request, definition, description),
    }
}

fn create(
    session: &Session,
    request: &Request<'_>,
    definition: String,
    description: Option<String>,
) -> Result<Applied, AwsDiag> {
    let sfn = session.sfn();
    let subject = format!("state machine `{}`", request.name);
    let Some(role_arn) = request.role_arn else {
        return Err(AwsDiag::Refused {
            operation: "states:CreateStateMachine".into(),
            code: "MissingRole".into(),
            message: format!("state machine `{}` does not exist yet", request.name),
            help: "a new machine needs an execution role: pass --role-arn ARN, or --create-role"
                .into(),
        });
    };
    let tags = request
        .tags
        .iter()
        .map(|(k, v)| aws_sdk_sfn::types::Tag::builder().key(k).value(v).build())
        .collect();
    let out = session
        .block_on(
            sfn.create_state_machine()
                .name(request.name)
                .definition(definition)
                .role_arn(role_arn)
                .set_tags(Some(tags))
                .publish(request.publish)
                .set_version_description(description)
                .send(),
        )
        .map_err(|e| {
            aws_error(
                Call {
                    action: "states:CreateStateMachine",
                    subject: &subject,
                },
                e,
            )
        })?;
    Ok(Applied {
        arn: out.state_machine_arn,
        version_arn: out.state_machine_version_arn,
    })
}

type Changes<'p> = (
    &'p [Change],
    &'p Option<(String, String)>,
    &'p [(String, Option<String>, String)],
);

fn update(
    session: &Session,
    deployed: &Deployed,
    request: &Request<'_>,
    (changes, role, tags): Changes<'_>,
    definition: String,
    description: Option<String>,
) -> Result<Applied, AwsDiag> {
    let sfn = session.sfn();
    let subject = format!("state machine `{}`", request.name);
    let mut version_arn = None;
    if !changes.is_empty() || role.is_some() {
        let out = session
            .block_on(
                sfn.update_state_machine()
                    .state_machine_arn(&deployed.arn)
                    .definition(definition)
                    .set_role_arn(role.as_ref().map(|(_, new)| new.clone()))
                    .publish(request.publish)
                    .set_version_description(description)
                    .send(),
            )
            .map_err(|e| {
                aws_error(
                    Call {
                        action: "states:UpdateStateMachine",
                        subject: &subject,
                    },
                    e,
                )
            })?;
        version_arn = out.state_machine_version_arn;
    } else if request.publish {
        // Unchanged: publishing the current revision is idempotent on AWS
        // (the revision's existing version comes back).
        let out = session
            .block_on(
                sfn.publish_state_machine_version()
                    .state_machine_arn(&deployed.arn)
                    .set_revision_id(deployed.revision_id.clone())
                    .set_description(description)
                    .send(),
            )
            .map_err(|e| {
                aws_error(
                    Call {
                        action: "states:PublishStateMachineVersion",
                        subject: &subject,
                    },
                    e,
                )
            })?;
        version_arn = Some(out.state_machine_version_arn);
    }
    if !tags.is_empty() {
        let tags = tags
            .iter()
            .map(|(k, _, v)| aws_sdk_sfn::types::Tag::builder().key(k).value(v).build())
            .collect();
        session
            .block_on(
                sfn.tag_resource()
                    .resource_arn(&deployed.arn)
                    .set_tags(Some(tags))
                    .send(),
            )
            .map_err(|e| {
                aws_error(
                    Call {
                        action: "states:TagResource",
                        subject: &subject,
                    },
                    e,
                )
            })?;
    }
    Ok(Applied {
        arn: deployed.arn.clone(),
        version_arn,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn deployed() -> Deployed {
        Deployed {
            arn: "arn:aws:states:us-east-1:123456789012:stateMachine:m".into(),
            definition: json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}),
            role_arn: "arn:aws:iam::123456789012:role/r".into(),
            revision_id: None,
            tags: vec![("team".into(), "data".into())],
        }
    }

    fn request<'a>(definition: &'a Value, tags: &'a [(String, String)]) -> Request<'a> {
        Request {
            name: "m",
            definition,
            role_arn: None,
            tags,
            publish: false,
            version_description: None,
        }
    }

    #[test]
    fn a_missing_machine_is_created() {
        let definition = json!({});
        assert_eq!(plan(None, &request(&definition, &[])), Plan::Create);
    }

    #[test]
    fn the_same_definition_and_tags_change_nothing() {
        let d = deployed();
        let tags = [("team".to_string(), "data".to_string())];
        assert!(plan(Some(&d), &request(&d.definition, &tags)).is_unchanged());
    }

    #[test]
    fn a_new_tag_value_or_role_is_a_change() {
        let d = deployed();
        let tags = [("team".to_string(), "ml".to_string())];
        let mut r = request(&d.definition, &tags);
        r.role_arn = Some("arn:aws:iam::123456789012:role/other");
        let Plan::Update {
            definition,
            role,
            tags,
        } = plan(Some(&d), &r)
        else {
            panic!("expected an update");
        };
        assert!(definition.is_empty());
        assert_eq!(role.map(|r| r.1).as_deref(), Some(r.role_arn.unwrap()));
        assert_eq!(tags, [("team".into(), Some("data".into()), "ml".into())]);
    }
}
