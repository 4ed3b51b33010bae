//! Problems talking to AWS (`deploy`, `start`, `run --live`): E3xx. They
//! concern an account, not a source file, so they carry no span; each says
//! what was asked, what AWS answered, and what to do about it. No variant
//! ever holds a credential: only error codes and AWS's own messages.

use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Clone, Error, Diagnostic, PartialEq)]
pub enum AwsDiag {
    #[error("no AWS region is set")]
    #[diagnostic(
        code(nagare::E300),
        help(
            "pass --region us-east-1 (say), set AWS_REGION, or give the profile a `region` in ~/.aws/config"
        )
    )]
    NoRegion,

    #[error("no AWS credentials found: {detail}")]
    #[diagnostic(
        code(nagare::E301),
        help(
            "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pick a profile with --profile or AWS_PROFILE (after `aws sso login` for SSO), or run where an instance or task role is attached"
        )
    )]
    NoCredentials { detail: String },

    #[error("AWS rejected the credentials ({code}): {message}")]
    #[diagnostic(
        code(nagare::E302),
        help(
            "the access key is unknown, expired, or signs for another partition: refresh the session (`aws sso login`, new keys) or pick another --profile"
        )
    )]
    BadCredentials { code: String, message: String },

    #[error("access denied: {operation} ({code}): {message}")]
    #[diagnostic(code(nagare::E303), help("{help}"))]
    AccessDenied {
        operation: String,
        code: String,
        message: String,
        help: String,
    },

    #[error("AWS throttled {operation} ({code}) even after retrying")]
    #[diagnostic(
        code(nagare::E304),
        help(
            "the account is over a request rate quota: wait a minute and run again, or ask for a higher quota in Service Quotas"
        )
    )]
    Throttled { operation: String, code: String },

    #[error("{what} does not exist: {message}")]
    #[diagnostic(
        code(nagare::E305),
        help(
            "check the name, and that --region and the account (--profile) are the ones it lives in"
        )
    )]
    NotFound { what: String, message: String },

    #[error("cannot reach AWS for {operation}: {message}")]
    #[diagnostic(code(nagare::E306), help("{help}"))]
    Unreachable {
        operation: String,
        message: String,
        help: String,
    },

    #[error("AWS refused {operation} ({code}): {message}")]
    #[diagnostic(code(nagare::E307), help("{help}"))]
    Refused {
        operation: String,
        code: String,
        message: String,
        help: String,
    },

    #[error("`{state}` calls {resource}, which cannot run live")]
    #[diagnostic(
        code(nagare::E308),
        help(
            "live runs call Lambda (lambda:invoke, or a function ARN) and ECS (ecs:runTask.sync); mock `{state}` (--mock-config or --task) and leave it out of --live"
        )
    )]
    NotLive { state: String, resource: String },

    #[error("execution {execution} is still running after {seconds}s")]
    #[diagnostic(
        code(nagare::E310),
        help(
            "--timeout ended the wait, not the execution: it goes on on AWS (see it in the console, or `aws stepfunctions describe-execution --execution-arn ARN`); wait longer with a larger --timeout"
        )
    )]
    StillRunning { execution: String, seconds: u64 },

    #[error("--live names `{name}`, which is not a {what}")]
    #[diagnostic(code(nagare::E309), help("{help}"))]
    UnknownLive {
        name: String,
        what: String,
        help: String,
    },
}
