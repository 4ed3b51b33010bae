//! Talking to AWS with the official SDK: deploying a machine (`deploy`),
//! its execution role (`role`) and schedule (`schedule`), starting and
//! following executions (`execution`), and real task calls in a local run
//! (`live`). Everything else in nagare works without an account.
//!
//! The SDK is async; nagare is not. A `Session` owns a small current-thread
//! tokio runtime and blocks on each call, which keeps the commands linear
//! and lets the interpreter's `Tasks` trait stay synchronous.

mod errors;

pub mod deploy;
pub mod execution;
pub mod live;
pub mod role;
pub mod schedule;

use std::future::Future;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sfn::config::ProvideCredentials;

pub use errors::{Call, aws_error};

use crate::diagnostics::aws::AwsDiag;

/// Where and as whom to talk to AWS: the standard chain (environment,
/// profiles, SSO, instance roles), narrowed by the flags a user gives.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AwsArgs {
    /// The named profile to use (else AWS_PROFILE, else `default`).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The region to use (else AWS_REGION, else the profile's region).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Send every request here instead of AWS, for emulators such as moto
    /// or LocalStack (else AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

/// A resolved configuration (region and credentials known good) and the
/// runtime that drives its calls.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    config: SdkConfig,
}

impl Session {
    /// Loads the configuration and resolves the credentials once, so a
    /// missing region or credentials is reported before anything changes.
    pub fn connect(args: &AwsArgs) -> Result<Session, AwsDiag> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| AwsDiag::Unreachable {
                operation: "any call".into(),
                message: format!("cannot start the async runtime: {e}"),
                help: "this is a local resource problem (threads, file descriptors)".into(),
            })?;
        let config = runtime.block_on(async {
            let mut loader = aws_config::defaults(BehaviorVersion::latest());
            if let Some(profile) = &args.profile {
                loader = loader.profile_name(profile);
            }
            if let Some(region) = &args.region {
                loader = loader.region(Region::new(region.clone()));
            }
            if let Some(url) = &args.endpoint_url {
                loader = loader.endpoint_url(url);
            }
            loader.load().await
        });
        if config.region().is_none() {
            return Err(AwsDiag::NoRegion);
        }
        let Some(provider) = config.credentials_provider() else {
            return Err(AwsDiag::NoCredentials {
                detail: "no credentials provider is configured".into(),
            });
        };
        // The provider's error says which sources it tried, never a secret.
        runtime
            .block_on(provider.provide_credentials())
            .map_err(|e| AwsDiag::NoCredentials {
                detail: errors::chain(&e),
            })?;
        Ok(Session { runtime, config })
    }

    /// Runs one SDK call to completion.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// The region calls go to, for ARNs and messages.
    pub fn region(&self) -> &str {
        self.config.region().map(Region::as_ref).unwrap_or_default()
    }

    pub fn sfn(&self) -> aws_sdk_sfn::Client {
        aws_sdk_sfn::Client::new(&self.config)
    }

    pub fn lambda(&self) -> aws_sdk_lambda::Client {
        aws_sdk_lambda::Client::new(&self.config)
    }

    pub fn ecs(&self) -> aws_sdk_ecs::Client {
        aws_sdk_ecs::Client::new(&self.config)
    }

    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.config)
    }

    pub fn scheduler(&self) -> aws_sdk_scheduler::Client {
        aws_sdk_scheduler::Client::new(&self.config)
    }
}
