//! SDK errors → diagnostics. AWS names its errors by code; the codes that
//! mean "your credentials", "your permissions", "slow down" and "no such
//! thing" are the same across services, so one table serves every call.

use std::error::Error;

use aws_sdk_sfn::error::{ProvideErrorMetadata, SdkError};

use crate::diagnostics::aws::AwsDiag;

/// One API call, named as IAM names its permission, and what it was about.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// `states:CreateStateMachine`: the API and the permission at once.
    pub action: &'a str,
    /// `state machine daily-platform`: what a "not found" is about.
    pub subject: &'a str,
}

const CREDENTIALS: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "MissingAuthenticationToken",
    "RequestExpired",
    "InvalidAccessKeyId",
];

const DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "NotAuthorized",
    "AuthorizationError",
];

const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
];

const NOT_FOUND: &[&str] = &[
    "ResourceNotFoundException",
    "StateMachineDoesNotExist",
    "ExecutionDoesNotExist",
    "NoSuchEntity",
    "ClusterNotFoundException",
];

/// The diagnostic for a failed call.
pub fn aws_error<E, R>(call: Call<'_>, err: SdkError<E, R>) -> AwsDiag
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let operation = call.action.to_string();
    match &err {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => AwsDiag::Unreachable {
            operation,
            message: chain(&err),
            help: "check the network connection; with --endpoint-url or AWS_ENDPOINT_URL, check that the emulator is running at that address".into(),
        },
        SdkError::ServiceError(_) => {
            let code = err.code().unwrap_or("Unknown").to_string();
            let message = err.message().unwrap_or("(no message)").to_string();
            classify(call, code, message)
        }
        _ => AwsDiag::Refused {
            operation,
            code: "(no response)".into(),
            message: chain(&err),
            help: "the request could not be made or its answer not read; run again, and report it if it persists".into(),
        },
    }
}

/// Picks the diagnostic for an error code AWS returned.
pub(super) fn classify(call: Call<'_>, code: String, message: String) -> AwsDiag {
    let operation = call.action.to_string();
    let is = |list: &[&str]| list.contains(&code.as_str());
    if is(CREDENTIALS) {
        AwsDiag::BadCredentials { code, message }
    } else if is(DENIED) {
        AwsDiag::AccessDenied {
            help: denied_help(call, &message),
            operation,
            code,
            message,
        }
    } else if is(THROTTLED) {
        AwsDiag::Throttled { operation, code }
    } else if is(NOT_FOUND) {
        AwsDiag::NotFound {
            what: call.subject.to_string(),
            message,
        }
    } else {
        AwsDiag::Refused {
            help: hint(&code).to_string(),
            operation,
            code,
            message,
        }
    }
}

/// What to grant. AWS's message often names the permission that was
/// missing ("not authorized to perform: iam:PassRole on …"), which may not
/// be the call's own; a role Step Functions may not assume is a trust
/// policy problem, not a permission of the caller.
fn denied_help(call: Call<'_>, message: &str) -> String {
    if message.contains("assume") {
        return "the role's trust policy must let the service assume it (Principal {\"Service\": \"states.amazonaws.com\"}, or scheduler.amazonaws.com for a schedule's role); --create-role makes such a role".into();
    }
    let action = message
        .split("perform: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .map(|a| a.trim_end_matches([',', '.']))
        .filter(|a| a.contains(':'))
        .unwrap_or(call.action);
    format!(
        "the identity behind these credentials needs `{action}` ({}); grant it, or use another --profile",
        call.subject
    )
}

/// Help for the codes deploy meets most.
fn hint(code: &str) -> &'static str {
    match code {
        "InvalidDefinition" => {
            "AWS rejected the definition; `nagare check` on the compiled JSON shows what nagare knows of the rules, and AWS's message names the rest"
        }
        "InvalidArn" => {
            "an ARN looks like arn:aws:iam::123456789012:role/NAME; check --role-arn and the account"
        }
        "InvalidName" => {
            "names are 1 to 80 characters of letters, digits, `-` and `_`; pass another --name"
        }
        "StateMachineDeleting" => {
            "the machine is being deleted; wait until it is gone, then deploy"
        }
        "ConflictException" => {
            "another change to this machine is in progress; run again when it has finished"
        }
        "ValidationException" => "AWS's message names the field it rejected",
        _ => "AWS's message says what it did not accept",
    }
}

/// An error and its sources on one line: the SDK's outer messages alone
/// ("dispatch failure") say too little.
pub(crate) fn chain(err: &dyn Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALL: Call<'static> = Call {
        action: "states:CreateStateMachine",
        subject: "state machine `daily`",
    };

    fn code_of(d: &AwsDiag) -> String {
        use miette::Diagnostic;
        d.code().map(|c| c.to_string()).unwrap_or_default()
    }

    #[test]
    fn codes_pick_the_diagnostic() {
        let cases = [
            ("ExpiredTokenException", "nagare::E302"),
            ("AccessDeniedException", "nagare::E303"),
            ("ThrottlingException", "nagare::E304"),
            ("StateMachineDoesNotExist", "nagare::E305"),
            ("InvalidDefinition", "nagare::E307"),
        ];
        for (code, want) in cases {
            let d = classify(CALL, code.into(), "m".into());
            assert_eq!(code_of(&d), want, "{code}");
        }
    }

    #[test]
    fn access_denied_names_the_permission_aws_says_is_missing() {
        let d = classify(
            CALL,
            "AccessDeniedException".into(),
            "User: arn:aws:iam::1:user/u is not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/r".into(),
        );
        let AwsDiag::AccessDenied { help, .. } = d else {
            panic!("not AccessDenied");
        };
        assert!(help.contains("`iam:PassRole`"), "{help}");
        let d = classify(
            CALL,
            "AccessDeniedException".into(),
            "Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role.".into(),
        );
        let AwsDiag::AccessDenied { help, .. } = d else {
            panic!("not AccessDenied");
        };
        assert!(help.contains("trust policy"), "{help}");
    }

    #[test]
    fn access_denied_names_the_permission_to_grant() {
        let d = classify(CALL, "AccessDeniedException".into(), "no".into());
        let AwsDiag::AccessDenied { help, .. } = d else {
            panic!("not AccessDenied");
        };
        assert!(help.contains("`states:CreateStateMachine`"), "{help}");
    }
}
