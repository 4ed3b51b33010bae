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
#[derive(Debug, Clone, PartialEq)]
pub struct RoleOutcome {
    pub arn: String,
    pub created: bool,
    /// The trust or the inline policy was rewritten.
    pub updated: bool,
    /// What the role held before (trust, inline policy), so a deploy that
    /// fails later can put it back.
    pub before: Option<(Value, Option<Value>)>,
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
/// (`None`: it would be created).
pub fn ensure_role(
    session: &Session,
    spec: &RoleSpec<'_>,
    dry_run: bool,
) -> Result<Option<RoleOutcome>, AwsDiag> {
    let iam = session.iam();
    let subject = format!("role `{}`", spec.name);
    let call = |action| Call {
        action,
        subject: &subject,
    };
    let trust = trust_policy(spec.service);
    let wanted_policy = wants_policy(spec).then_some(spec.policy);
    let existing = session.block_on(iam.get_role().role_name(spec.name).send());
    let role = match existing {
        Ok(out) => out.role,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            None
        }
        Err(e) => return Err(aws_error(call("iam:GetRole"), e)),
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
            .map_err(|e| aws_error(call("iam:CreateRole"), e))?;
        let arn = created.role.map(|r| r.arn).unwrap_or_default();
        set_policy(session, spec.name, wanted_policy)?;
        return Ok(Some(RoleOutcome {
            arn,
            created: true,
            updated: false,
            before: None,
        }));
    };
    let current_trust = role
        .assume_role_policy_document
        .as_deref()
        .and_then(policy_document)
        .unwrap_or(Value::Null);
    let current_policy = match session.block_on(
        iam.get_role_policy()
            .role_name(spec.name)
            .policy_name(POLICY_NAME)
            .send(),
    ) {
        Ok(out) => policy_document(&out.policy_document),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            None
        }
        Err(e) => return Err(aws_error(call("iam:GetRolePolicy"), e)),
    };
    let trust_matches = current_trust == trust;
    let policy_matches = current_policy.as_ref() == wanted_policy;
    let updated = !(trust_matches && policy_matches);
    if updated && !dry_run {
        if !trust_matches {
            set_trust(session, spec.name, &trust)?;
        }
        if !policy_matches {
            set_policy(session, spec.name, wanted_policy)?;
        }
    }
    Ok(Some(RoleOutcome {
        arn: role.arn,
        created: false,
        updated,
        before: Some((current_trust, current_policy)),
    }))
}

/// Puts a role back as it was before `ensure_role` changed it: a role it
/// created is deleted, a role it rewrote gets its old documents back.
/// Best effort: this runs after another failure, which is what gets
/// reported.
pub fn undo(session: &Session, name: &str, outcome: &RoleOutcome) {
    if outcome.created {
        let iam = session.iam();
        let _ = set_policy(session, name, None);
        let _ = session.block_on(iam.delete_role().role_name(name).send());
    } else if let (true, Some((trust, policy))) = (outcome.updated, &outcome.before) {
        if !trust.is_null() {
            let _ = set_trust(session, name, trust);
        }
        let _ = set_policy(session, name, policy.as_ref());
    }
}

fn set_trust(session: &Session, name: &str, trust: &Value) -> Result<(), AwsDiag> {
    let subject = format!("role `{name}`");
    session
        .block_on(
            session
                .iam()
                .update_assume_role_policy()
                .role_name(name)
                .policy_document(trust.to_string())
                .send(),
        )
        .map(|_| ())
        .map_err(|e| {
            aws_error(
                Call {
                    action: "iam:UpdateAssumeRolePolicy",
                    subject: &subject,
                },
                e,
            )
        })
}

/// Writes the inline policy, or removes it (`None`; already absent is fine).
fn set_policy(session: &Session, name: &str, policy: Option<&Value>) -> Result<(), AwsDiag> {
    let subject = format!("role `{name}`");
    let iam = session.iam();
    match policy {
        Some(document) => session
            .block_on(
                iam.put_role_policy()
                    .role_name(name)
                    .policy_name(POLICY_NAME)
                    .policy_document(document.to_string())
                    .send(),
            )
            .map(|_| ())
            .map_err(|e| {
                aws_error(
                    Call {
                        action: "iam:PutRolePolicy",
                        subject: &subject,
                    },
                    e,
                )
            }),
        None => match session.block_on(
            iam.delete_role_policy()
                .role_name(name)
                .policy_name(POLICY_NAME)
                .send(),
        ) {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_no_such_entity_exception()) =>
            {
                Ok(())
            }
            Err(e) => Err(aws_error(
                Call {
                    action: "iam:DeleteRolePolicy",
                    subject: &subject,
                },
                e,
            )),
        },
    }
}

/// A machine without tasks needs no permissions, and IAM refuses a policy
/// without statements: such a role gets no inline policy.
fn wants_policy(spec: &RoleSpec<'_>) -> bool {
    spec.policy["Statement"]
        .as_array()
        .is_some_and(|s| !s.is_empty())
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
