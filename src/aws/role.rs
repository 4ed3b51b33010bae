//! `deploy --create-role`: an IAM role that a service may assume, holding
//! exactly one inline policy. Created when missing, brought back to the
//! wanted trust and policy when it drifted, left alone when it matches.

use serde_json::{Value, json};

use super::{Call, Session, aws_error};
use crate::diagnostics::aws::AwsDiag;

/// The inline policy's name on roles nagare manages.
pub const POLICY_NAME: &str = "nagare";

/// A role to ensure.
pub struct RoleSpec<'a> {
    pub name: &'a str,
    /// The service that assumes it, e.g. `states.amazonaws.com`.
    pub service: &'a str,
    pub policy: &'a Value,
    pub description: &'a str,
}

/// What ensuring a role did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleOutcome {
    pub arn: String,
    pub created: bool,
    /// The trust or the inline policy was rewritten.
    pub updated: bool,
}

/// The trust policy that lets `service` assume the role.
pub fn trust_policy(service: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole"
        }]
    })
}

/// Creates or updates the role; with `dry_run`, only says what it would do
/// (the ARN then comes from the existing role, if any).
pub fn ensure_role(
    session: &Session,
    spec: &RoleSpec<'_>,
    dry_run: bool,
) -> Result<Option<RoleOutcome>, AwsDiag> {
    let iam = session.iam();
    let subject = format!("role `{}`", spec.name);
    let trust = trust_policy(spec.service);
    let existing = session.block_on(iam.get_role().role_name(spec.name).send());
    let role = match existing {
        Ok(out) => out.role,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            None
        }
        Err(e) => {
            return Err(aws_error(
                Call {
                    action: "iam:GetRole",
                    subject: &subject,
                },
                e,
            ));
        }
    };
    let Some(role) = role else {
        if dry_run {
            return Ok(None);
        }
        let created = session
            .block_on(
                iam.create_role()
                    .role_name(spec.name)
                    .assume_role_policy_document(trust.to_string())
                    .description(spec.description)
                    .send(),
            )
            .map_err(|e| {
                aws_error(
                    Call {
                        action: "iam:CreateRole",
                        subject: &subject,
                    },
                    e,
                )
            })?;
        let arn = created.role.map(|r| r.arn).unwrap_or_default();
        if wants_policy(spec) {
            put_policy(session, spec, &subject)?;
        }
        return Ok(Some(RoleOutcome {
            arn,
            created: true,
            updated: false,
        }));
    };
    let trust_matches = role
        .assume_role_policy_document
        .as_deref()
        .and_then(policy_document)
        .is_some_and(|doc| doc == trust);
    let current_policy = session.block_on(
        iam.get_role_policy()
            .role_name(spec.name)
            .policy_name(POLICY_NAME)
            .send(),
    );
    let policy_matches = match current_policy {
        Ok(out) => policy_document(&out.policy_document).is_some_and(|doc| &doc == spec.policy),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            !wants_policy(spec)
        }
        Err(e) => {
            return Err(aws_error(
                Call {
                    action: "iam:GetRolePolicy",
                    subject: &subject,
                },
                e,
            ));
        }
    };
    let updated = !(trust_matches && policy_matches);
    if updated && !dry_run {
        if !trust_matches {
            session
                .block_on(
                    iam.update_assume_role_policy()
                        .role_name(spec.name)
                        .policy_document(trust.to_string())
                        .send(),
                )
                .map_err(|e| {
                    aws_error(
                        Call {
                            action: "iam:UpdateAssumeRolePolicy",
                            subject: &subject,
                        },
                        e,
                    )
                })?;
        }
        if !policy_matches && wants_policy(spec) {
            put_policy(session, spec, &subject)?;
        } else if !policy_matches {
            session
                .block_on(
                    iam.delete_role_policy()
                        .role_name(spec.name)
                        .policy_name(POLICY_NAME)
                        .send(),
                )
                .map_err(|e| {
                    aws_error(
                        Call {
                            action: "iam:DeleteRolePolicy",
                            subject: &subject,
                        },
                        e,
                    )
                })?;
        }
    }
    Ok(Some(RoleOutcome {
        arn: role.arn,
        created: false,
        updated,
    }))
}

/// A machine without tasks needs no permissions, and IAM refuses a policy
/// without statements: such a role gets no inline policy.
fn wants_policy(spec: &RoleSpec<'_>) -> bool {
    spec.policy["Statement"]
        .as_array()
        .is_some_and(|s| !s.is_empty())
}

fn put_policy(session: &Session, spec: &RoleSpec<'_>, subject: &str) -> Result<(), AwsDiag> {
    session
        .block_on(
            session
                .iam()
                .put_role_policy()
                .role_name(spec.name)
                .policy_name(POLICY_NAME)
                .policy_document(spec.policy.to_string())
                .send(),
        )
        .map(|_| ())
        .map_err(|e| {
            aws_error(
                Call {
                    action: "iam:PutRolePolicy",
                    subject,
                },
                e,
            )
        })
}

/// IAM returns policy documents URL-encoded (RFC 3986); some emulators
/// return them plain. Either way, the JSON inside.
fn policy_document(text: &str) -> Option<Value> {
    serde_json::from_str(text)
        .ok()
        .or_else(|| serde_json::from_str(&percent_decode(text)?).ok())
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_url_encoded_and_plain_policy_documents() {
        let plain = r#"{"Version":"2012-10-17","Statement":[]}"#;
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        let want = json!({"Version": "2012-10-17", "Statement": []});
        assert_eq!(policy_document(plain), Some(want.clone()));
        assert_eq!(policy_document(encoded), Some(want));
        assert_eq!(policy_document("%7"), None);
    }

    #[test]
    fn the_trust_policy_names_the_service() {
        let trust = trust_policy("states.amazonaws.com");
        assert_eq!(
            trust["Statement"][0]["Principal"]["Service"],
            "states.amazonaws.com"
        );
    }
}
