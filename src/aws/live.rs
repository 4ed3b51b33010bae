//! `nagare run --live`: chosen Task states call AWS for real while the rest
//! of the run stays local (mocks, programs, the simulated clock). Lambda
//! Invoke and ECS RunTask run live; their answers and errors take the shape
//! and names Step Functions gives them, so Retry and Catch behave as on AWS.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use aws_sdk_ecs::types as ecs;
use aws_sdk_lambda::operation::RequestId;
use aws_sdk_lambda::primitives::Blob;
use serde_json::{Map, Value, json};

use super::Session;
use crate::diagnostics::aws::AwsDiag;
use crate::interp::{Failure, Outcome, TASK_FAILED, Tasks};

/// What a live Task calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveCall {
    /// `arn:aws:states:::lambda:invoke`: the answer wrapped as Step
    /// Functions wraps it (`Payload`, `StatusCode`, …).
    LambdaInvoke,
    /// A function ARN as the resource: the answer is the payload itself.
    LambdaFunction,
    /// `ecs:runTask.sync`: wait until the task stops.
    EcsRunTaskSync,
    /// `ecs:runTask`: the RunTask response, without waiting.
    EcsRunTask,
}

impl LiveCall {
    /// The live call for a Task resource, if it has one.
    pub fn of(resource: &str) -> Option<LiveCall> {
        // arn:PARTITION:SERVICE:…, in any partition (aws, aws-cn, aws-us-gov).
        let mut parts = resource.splitn(6, ':');
        let (arn, _partition, service) = (parts.next(), parts.next(), parts.next());
        if arn != Some("arn") {
            return None;
        }
        let rest: Vec<&str> = parts.collect();
        match (service, rest.as_slice()) {
            (Some("states"), ["", "", "lambda:invoke"]) => Some(LiveCall::LambdaInvoke),
            (Some("states"), ["", "", "ecs:runTask.sync"]) => Some(LiveCall::EcsRunTaskSync),
            (Some("states"), ["", "", "ecs:runTask"]) => Some(LiveCall::EcsRunTask),
            (Some("lambda"), [_, _, function]) if function.starts_with("function:") => {
                Some(LiveCall::LambdaFunction)
            }
            _ => None,
        }
    }
}

/// Which Task states run live. `tasks` lists (state, resource) of every
/// Task; `stages` maps a flow's stage names to their calling state.
/// `wanted` empty means every Task that can; otherwise each name must be a
/// stage (or, for a definition, a state) whose integration runs live.
pub fn select(
    tasks: &[(String, String)],
    stages: &[(String, String)],
    wanted: &[String],
) -> Result<BTreeSet<String>, AwsDiag> {
    if wanted.is_empty() {
        return Ok(tasks
            .iter()
            .filter(|(_, resource)| LiveCall::of(resource).is_some())
            .map(|(state, _)| state.clone())
            .collect());
    }
    let mut chosen = BTreeSet::new();
    for name in wanted {
        let states: Vec<&String> = if stages.is_empty() {
            tasks
                .iter()
                .filter(|(s, _)| s == name)
                .map(|(s, _)| s)
                .collect()
        } else {
            stages
                .iter()
                .filter(|(stage, _)| stage == name)
                .map(|(_, s)| s)
                .collect()
        };
        if states.is_empty() {
            let (what, known): (&str, Vec<&String>) = if stages.is_empty() {
                ("Task state", tasks.iter().map(|(s, _)| s).collect())
            } else {
                (
                    "stage that runs a task",
                    stages.iter().map(|(s, _)| s).collect(),
                )
            };
            let listed: Vec<&str> = known.iter().map(|s| s.as_str()).collect();
            return Err(AwsDiag::UnknownLive {
                name: name.clone(),
                what: what.into(),
                help: match crate::check::suggest::closest(name, listed.iter().copied()) {
                    Some(close) => format!(
                        "did you mean `{close}`? the choices are: {}",
                        listed.join(", ")
                    ),
                    None => format!("the choices are: {}", listed.join(", ")),
                },
            });
        }
        for state in states {
            let resource = tasks
                .iter()
                .find(|(s, _)| s == state)
                .map(|(_, r)| r.as_str())
                .unwrap_or_default();
            if LiveCall::of(resource).is_none() {
                return Err(AwsDiag::NotLive {
                    state: name.clone(),
                    resource: resource.to_string(),
                });
            }
            chosen.insert(state.clone());
        }
    }
    Ok(chosen)
}

/// Tasks answered by AWS for the live states and by `fallback` otherwise.
pub struct LiveTasks<'a> {
    pub session: &'a Session,
    pub live: BTreeSet<String>,
    pub fallback: &'a dyn Tasks,
    /// The longest wait between DescribeTasks polls of a `.sync` ECS task.
    pub poll: Duration,
    /// Each live state's `TimeoutSeconds`: a `.sync` wait stops there,
    /// stops the task and fails with States.Timeout, as Step Functions does.
    pub timeouts: std::collections::HashMap<String, u64>,
}

impl Tasks for LiveTasks<'_> {
    fn call(&self, state: &str, resource: &str, input: &Value) -> Outcome {
        let Some(kind) = LiveCall::of(resource).filter(|_| self.live.contains(state)) else {
            return self.fallback.call(state, resource, input);
        };
        let started = Instant::now();
        let result = match kind {
            LiveCall::LambdaInvoke => self.lambda(input, true),
            LiveCall::LambdaFunction => {
                self.lambda(&json!({"FunctionName": resource, "Payload": input}), false)
            }
            LiveCall::EcsRunTaskSync => self.ecs(input, self.deadline(state, started)),
            LiveCall::EcsRunTask => self.ecs(input, None),
        };
        Outcome {
            result,
            millis: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
            source: "live",
        }
    }
}

impl LiveTasks<'_> {
    /// When a `.sync` wait gives up: the state's timeout, else 99,999,999 s
    /// (Step Functions' default for a Task without one).
    fn deadline(&self, state: &str, started: Instant) -> Option<Instant> {
        let seconds = self.timeouts.get(state).copied().unwrap_or(99_999_999);
        Some(started + Duration::from_secs(seconds))
    }

    fn lambda(&self, params: &Value, wrapped: bool) -> Result<Value, Failure> {
        check_lambda_fields(params)?;
        let function = params["FunctionName"]
            .as_str()
            .ok_or_else(|| Failure::runtime("lambda:invoke needs a FunctionName string"))?;
        let mut call = self
            .session
            .lambda()
            .invoke()
            .function_name(function)
            .set_qualifier(params["Qualifier"].as_str().map(str::to_string));
        if let Some(payload) = params.get("Payload") {
            // A string payload is sent as it is; anything else as JSON.
            let bytes = match payload {
                Value::String(s) => s.clone().into_bytes(),
                other => other.to_string().into_bytes(),
            };
            call = call.payload(Blob::new(bytes));
        }
        let out = self.session.block_on(call.send()).map_err(|e| {
            use aws_sdk_lambda::error::ProvideErrorMetadata;
            service_failure("Lambda", e.code(), e.message(), &e)
        })?;
        let raw = out
            .payload
            .as_ref()
            .map(|b| String::from_utf8_lossy(b.as_ref()).into_owned())
            .unwrap_or_default();
        let payload: Value = serde_json::from_str(&raw).unwrap_or(Value::String(raw.clone()));
        if out.function_error.is_some() {
            return Err(function_failure(&payload, raw));
        }
        if !wrapped {
            return Ok(payload);
        }
        let request_id = out.request_id().unwrap_or_default().to_string();
        let version = out
            .executed_version
            .clone()
            .unwrap_or_else(|| "$LATEST".into());
        Ok(json!({
            "ExecutedVersion": version,
            "Payload": payload,
            "SdkHttpMetadata": {
                "HttpHeaders": {
                    "X-Amz-Executed-Version": version,
                    "x-amzn-RequestId": request_id,
                },
                "HttpStatusCode": out.status_code,
            },
            "SdkResponseMetadata": {"RequestId": request_id},
            "StatusCode": out.status_code,
        }))
    }

    /// RunTask; with a deadline (`.sync`), DescribeTasks until the task
    /// stops or the deadline passes.
    fn ecs(&self, params: &Value, deadline: Option<Instant>) -> Result<Value, Failure> {
        let request = run_task_request(params)?;
        let client = self.session.ecs();
        let mut call = client
            .run_task()
            .task_definition(request.task_definition)
            .set_cluster(request.cluster.clone())
            .set_launch_type(request.launch_type)
            .set_platform_version(request.platform_version)
            .set_group(request.group)
            .set_network_configuration(request.network)
            .set_overrides(request.overrides)
            .set_tags(request.tags)
            .started_by(
                request
                    .started_by
                    .unwrap_or_else(|| "AWS Step Functions".into()),
            );
        if let Some(count) = request.count {
            call = call.count(count);
        }
        let out = self
            .session
            .block_on(call.send())
            .map_err(|e| ecs_failure(&e))?;
        let Some(deadline) = deadline else {
            return Ok(json!({
                "Tasks": out.tasks.iter().flatten().map(task_json).collect::<Vec<_>>(),
                "Failures": out.failures.iter().flatten().map(failure_json).collect::<Vec<_>>(),
            }));
        };
        if let Some(failures) = out.failures.as_ref().filter(|f| !f.is_empty()) {
            let cause = Value::Array(failures.iter().map(failure_json).collect()).to_string();
            return Err(Failure::new("AmazonECS.Unknown", cause));
        }
        let arns: Vec<String> = out
            .tasks
            .iter()
            .flatten()
            .filter_map(|t| t.task_arn.clone())
            .collect();
        if arns.is_empty() {
            return Err(Failure::new(
                "AmazonECS.Unknown",
                "RunTask started no task and reported no failure",
            ));
        }
        let mut delay = Duration::from_millis(100);
        loop {
            let described = self
                .session
                .block_on(
                    client
                        .describe_tasks()
                        .set_cluster(request.cluster.clone())
                        .set_tasks(Some(arns.clone()))
                        .send(),
                )
                .map_err(|e| ecs_failure(&e))?;
            // A task ECS no longer knows (MISSING) never stops: fail now.
            if let Some(failures) = described.failures.as_ref().filter(|f| !f.is_empty()) {
                let cause = Value::Array(failures.iter().map(failure_json).collect()).to_string();
                return Err(Failure::new("AmazonECS.Unknown", cause));
            }
            let tasks = described.tasks.unwrap_or_default();
            if tasks.is_empty() {
                return Err(Failure::new(
                    "AmazonECS.Unknown",
                    format!("DescribeTasks does not know {}", arns.join(", ")),
                ));
            }
            if tasks
                .iter()
                .all(|t| t.last_status.as_deref() == Some("STOPPED"))
            {
                return finished(&tasks);
            }
            if Instant::now() >= deadline {
                for arn in &arns {
                    // Best effort, as Step Functions stops a timed-out task.
                    let _ = self.session.block_on(
                        client
                            .stop_task()
                            .set_cluster(request.cluster.clone())
                            .task(arn)
                            .reason("the Step Functions state timed out (nagare run --live)")
                            .send(),
                    );
                }
                return Err(Failure::new(
                    crate::interp::TIMEOUT,
                    "the ECS task did not stop within the state's TimeoutSeconds; it was stopped",
                ));
            }
            std::thread::sleep(delay.min(deadline.saturating_duration_since(Instant::now())));
            delay = (delay * 2).min(self.poll);
        }
    }
}

/// A stopped task succeeds when every container exited 0; one that exited
/// otherwise, or never started, fails the state with States.TaskFailed and
/// the task as its cause.
fn finished(tasks: &[ecs::Task]) -> Result<Value, Failure> {
    let json: Vec<Value> = tasks.iter().map(task_json).collect();
    let failed = tasks.iter().any(|t| {
        t.containers
            .iter()
            .flatten()
            .any(|c| c.exit_code.is_none_or(|code| code != 0))
    });
    let single = if json.len() == 1 {
        json[0].clone()
    } else {
        Value::Array(json)
    };
    if failed {
        Err(Failure::new(TASK_FAILED, single.to_string()))
    } else {
        Ok(single)
    }
}

/// What a live Invoke passes on; anything else is refused by name, as is
/// an asynchronous or dry-run invocation, which Invoke would not wait for.
fn check_lambda_fields(params: &Value) -> Result<(), Failure> {
    const FIELDS: &[&str] = &[
        "FunctionName",
        "Payload",
        "Qualifier",
        "InvocationType",
        "LogType",
    ];
    if let Some(map) = params.as_object()
        && let Some(other) = map.keys().find(|k| !FIELDS.contains(&k.as_str()))
    {
        return Err(Failure::runtime(format!(
            "a live run cannot pass `{other}` to Lambda Invoke yet (it passes {}); mock this state instead",
            FIELDS.join(", ")
        )));
    }
    match params["InvocationType"].as_str() {
        None | Some("RequestResponse") => Ok(()),
        Some(other) => Err(Failure::runtime(format!(
            "a live run invokes with RequestResponse only, not `{other}`; mock this state instead"
        ))),
    }
}

fn ecs_failure<E, R>(e: &aws_sdk_ecs::error::SdkError<E, R>) -> Failure
where
    E: aws_sdk_ecs::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    use aws_sdk_ecs::error::ProvideErrorMetadata;
    service_failure("ECS", e.code(), e.message(), e)
}

/// A failed service call, named as Step Functions names it: the service's
/// prefix and AWS's error code (`Lambda.ResourceNotFoundException`); with
/// no answer at all, the SDK client failed (`Lambda.SdkClientException`).
fn service_failure(
    service: &str,
    code: Option<&str>,
    message: Option<&str>,
    err: &dyn std::error::Error,
) -> Failure {
    match code {
        Some(code) => Failure::new(format!("{service}.{code}"), message.unwrap_or(code)),
        None => Failure::new(
            format!("{service}.SdkClientException"),
            super::errors::chain(err),
        ),
    }
}

/// A function that raised: its own error type names the error, as in Step
/// Functions, and the cause is the payload; without a type (a crash, a
/// timeout) the error is Lambda.Unknown.
fn function_failure(payload: &Value, raw: String) -> Failure {
    let error = payload["errorType"].as_str().unwrap_or("Lambda.Unknown");
    Failure::new(error, raw)
}

/// RunTask's parameters, read from the state's effective input.
struct RunTaskRequest {
    task_definition: String,
    cluster: Option<String>,
    launch_type: Option<ecs::LaunchType>,
    platform_version: Option<String>,
    group: Option<String>,
    started_by: Option<String>,
    count: Option<i32>,
    network: Option<ecs::NetworkConfiguration>,
    overrides: Option<ecs::TaskOverride>,
    tags: Option<Vec<ecs::Tag>>,
}

const RUN_TASK_FIELDS: &[&str] = &[
    "TaskDefinition",
    "Cluster",
    "LaunchType",
    "PlatformVersion",
    "Group",
    "StartedBy",
    "Count",
    "NetworkConfiguration",
    "Overrides",
    "Tags",
];

/// A live run passes what it understands and refuses the rest by name
/// (States.Runtime, which no Catch takes), rather than dropping a field.
fn run_task_request(p: &Value) -> Result<RunTaskRequest, Failure> {
    let Value::Object(map) = p else {
        return Err(Failure::runtime(
            "ecs:runTask needs an object of RunTask parameters",
        ));
    };
    if let Some(other) = map.keys().find(|k| !RUN_TASK_FIELDS.contains(&k.as_str())) {
        return Err(Failure::runtime(format!(
            "a live run cannot pass `{other}` to ECS RunTask yet (it passes {}); mock this state instead",
            RUN_TASK_FIELDS.join(", ")
        )));
    }
    let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
    let task_definition = text("TaskDefinition")
        .ok_or_else(|| Failure::runtime("ecs:runTask needs TaskDefinition"))?;
    let network = map
        .get("NetworkConfiguration")
        .and_then(|n| n.get("AwsvpcConfiguration"))
        .map(|vpc| {
            let list = |key: &str| strings(vpc.get(key));
            ecs::AwsVpcConfiguration::builder()
                .set_subnets(list("Subnets"))
                .set_security_groups(list("SecurityGroups"))
                .set_assign_public_ip(
                    vpc["AssignPublicIp"]
                        .as_str()
                        .map(ecs::AssignPublicIp::from),
                )
                .build()
                .map_err(|e| Failure::runtime(format!("NetworkConfiguration: {e}")))
        })
        .transpose()?
        .map(|vpc| {
            ecs::NetworkConfiguration::builder()
                .awsvpc_configuration(vpc)
                .build()
        });
    let overrides = map.get("Overrides").map(overrides);
    let tags = map.get("Tags").and_then(Value::as_array).map(|tags| {
        tags.iter()
            .map(|t| {
                ecs::Tag::builder()
                    .set_key(t["Key"].as_str().map(str::to_string))
                    .set_value(t["Value"].as_str().map(str::to_string))
                    .build()
            })
            .collect()
    });
    Ok(RunTaskRequest {
        task_definition,
        cluster: text("Cluster"),
        launch_type: text("LaunchType").map(|t| ecs::LaunchType::from(t.as_str())),
        platform_version: text("PlatformVersion"),
        group: text("Group"),
        started_by: text("StartedBy"),
        count: map
            .get("Count")
            .and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok()),
        network,
        overrides,
        tags,
    })
}

fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    value.and_then(Value::as_array).map(|items| {
        items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    })
}

fn overrides(o: &Value) -> ecs::TaskOverride {
    let containers = o["ContainerOverrides"].as_array().map(|list| {
        list.iter()
            .map(|c| {
                let environment = c["Environment"].as_array().map(|vars| {
                    vars.iter()
                        .map(|v| {
                            ecs::KeyValuePair::builder()
                                .set_name(v["Name"].as_str().map(str::to_string))
                                .set_value(v["Value"].as_str().map(str::to_string))
                                .build()
                        })
                        .collect()
                });
                ecs::ContainerOverride::builder()
                    .set_name(c["Name"].as_str().map(str::to_string))
                    .set_command(strings(c.get("Command")))
                    .set_environment(environment)
                    .set_cpu(c["Cpu"].as_i64().and_then(|n| i32::try_from(n).ok()))
                    .set_memory(c["Memory"].as_i64().and_then(|n| i32::try_from(n).ok()))
                    .build()
            })
            .collect()
    });
    ecs::TaskOverride::builder()
        .set_container_overrides(containers)
        .set_task_role_arn(o["TaskRoleArn"].as_str().map(str::to_string))
        .set_execution_role_arn(o["ExecutionRoleArn"].as_str().map(str::to_string))
        .set_cpu(o["Cpu"].as_str().map(str::to_string))
        .set_memory(o["Memory"].as_str().map(str::to_string))
        .build()
}

/// The task as Step Functions returns it: DescribeTasks' fields with
/// capitalised keys, times in epoch milliseconds (the fields a workflow
/// reads; attachments and the like are left out).
fn task_json(t: &ecs::Task) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            m.insert(k.into(), v);
        }
    };
    let text = |s: &Option<String>| s.clone().map(Value::String);
    let time = |d: &Option<aws_sdk_ecs::primitives::DateTime>| {
        d.as_ref().and_then(|d| d.to_millis().ok()).map(Value::from)
    };
    put("TaskArn", text(&t.task_arn));
    put("ClusterArn", text(&t.cluster_arn));
    put("TaskDefinitionArn", text(&t.task_definition_arn));
    put("Group", text(&t.group));
    put("StartedBy", text(&t.started_by));
    put(
        "LaunchType",
        t.launch_type.as_ref().map(|l| Value::from(l.as_str())),
    );
    put("LastStatus", text(&t.last_status));
    put("DesiredStatus", text(&t.desired_status));
    put(
        "StopCode",
        t.stop_code.as_ref().map(|c| Value::from(c.as_str())),
    );
    put("StoppedReason", text(&t.stopped_reason));
    put("CreatedAt", time(&t.created_at));
    put("StartedAt", time(&t.started_at));
    put("StoppedAt", time(&t.stopped_at));
    let containers: Vec<Value> = t
        .containers
        .iter()
        .flatten()
        .map(|c| {
            let mut o = Map::new();
            for (k, v) in [
                ("ContainerArn", text(&c.container_arn)),
                ("Name", text(&c.name)),
                ("Image", text(&c.image)),
                ("LastStatus", text(&c.last_status)),
                ("ExitCode", c.exit_code.map(Value::from)),
                ("Reason", text(&c.reason)),
            ] {
                if let Some(v) = v {
                    o.insert(k.into(), v);
                }
            }
            Value::Object(o)
        })
        .collect();
    put("Containers", Some(Value::Array(containers)));
    Value::Object(m)
}

fn failure_json(f: &ecs::Failure) -> Value {
    json!({"Arn": f.arn, "Reason": f.reason, "Detail": f.detail})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tasks() -> Vec<(String, String)> {
        vec![
            ("load".into(), "arn:aws:states:::lambda:invoke".into()),
            ("crunch".into(), "arn:aws:states:::ecs:runTask.sync".into()),
            ("report".into(), "arn:aws:states:::sns:publish".into()),
        ]
    }

    #[test]
    fn without_names_every_lambda_and_ecs_task_runs_live() {
        let chosen = select(&tasks(), &[], &[]).unwrap();
        assert_eq!(chosen.into_iter().collect::<Vec<_>>(), ["crunch", "load"]);
    }

    #[test]
    fn a_named_task_of_another_integration_is_refused_with_its_resource() {
        let err = select(&tasks(), &[], &["report".into()]).unwrap_err();
        assert_eq!(
            err,
            AwsDiag::NotLive {
                state: "report".into(),
                resource: "arn:aws:states:::sns:publish".into()
            }
        );
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        let stages = vec![("load-data".to_string(), "load".to_string())];
        let err = select(&tasks(), &stages, &["load-dat".into()]).unwrap_err();
        let AwsDiag::UnknownLive { help, .. } = err else {
            panic!("expected UnknownLive");
        };
        assert!(help.contains("did you mean `load-data`"), "{help}");
    }

    #[test]
    fn stage_names_select_their_calling_state() {
        let stages = vec![("load-data".to_string(), "load".to_string())];
        let chosen = select(&tasks(), &stages, &["load-data".into()]).unwrap();
        assert_eq!(chosen.into_iter().collect::<Vec<_>>(), ["load"]);
    }

    #[test]
    fn a_stopped_task_with_a_non_zero_exit_fails_as_step_functions_says() {
        let container = |code| {
            ecs::Container::builder()
                .name("main")
                .set_exit_code(code)
                .build()
        };
        let task = |code| {
            ecs::Task::builder()
                .task_arn("arn:aws:ecs:us-east-1:123456789012:task/c/1")
                .last_status("STOPPED")
                .containers(container(code))
                .build()
        };
        let ok = finished(&[task(Some(0))]).unwrap();
        assert_eq!(ok["Containers"][0]["ExitCode"], 0);
        let failed = finished(&[task(Some(2))]).unwrap_err();
        assert_eq!(failed.error, "States.TaskFailed");
        assert!(failed.cause.contains("\"ExitCode\":2"), "{}", failed.cause);
        let never_started = finished(&[task(None)]).unwrap_err();
        assert_eq!(never_started.error, "States.TaskFailed");
    }

    #[test]
    fn unknown_run_task_fields_are_named_not_dropped() {
        let err = run_task_request(&json!({"TaskDefinition": "td", "EnableECSManagedTags": true}))
            .err()
            .unwrap();
        assert_eq!(err.error, "States.Runtime");
        assert!(err.cause.contains("`EnableECSManagedTags`"));
    }

    #[test]
    fn function_and_service_errors_take_step_functions_names() {
        let raw = r#"{"errorType":"HandlerError","errorMessage":"no"}"#;
        let payload: Value = serde_json::from_str(raw).unwrap();
        assert_eq!(
            function_failure(&payload, raw.into()),
            Failure::new("HandlerError", raw)
        );
        assert_eq!(
            function_failure(&Value::String("crash".into()), "crash".into()).error,
            "Lambda.Unknown"
        );
        let io = std::io::Error::other("connection reset");
        assert_eq!(
            service_failure(
                "Lambda",
                Some("ResourceNotFoundException"),
                Some("gone"),
                &io
            ),
            Failure::new("Lambda.ResourceNotFoundException", "gone")
        );
        assert_eq!(
            service_failure("ECS", None, None, &io),
            Failure::new("ECS.SdkClientException", "connection reset")
        );
    }

    #[test]
    fn lambda_fields_a_live_run_cannot_honour_are_refused() {
        let ok = json!({"FunctionName": "f", "Payload": {}, "InvocationType": "RequestResponse"});
        assert!(check_lambda_fields(&ok).is_ok());
        let event = json!({"FunctionName": "f", "InvocationType": "Event"});
        assert!(
            check_lambda_fields(&event)
                .unwrap_err()
                .cause
                .contains("`Event`")
        );
        let context = json!({"FunctionName": "f", "ClientContext": "x"});
        assert!(
            check_lambda_fields(&context)
                .unwrap_err()
                .cause
                .contains("`ClientContext`")
        );
    }

    #[test]
    fn resources_that_run_live() {
        assert_eq!(
            LiveCall::of("arn:aws-cn:states:::ecs:runTask.sync"),
            Some(LiveCall::EcsRunTaskSync)
        );
        assert_eq!(
            LiveCall::of("arn:aws:states:::lambda:invoke"),
            Some(LiveCall::LambdaInvoke)
        );
        assert_eq!(
            LiveCall::of("arn:aws:lambda:us-east-1:123456789012:function:f"),
            Some(LiveCall::LambdaFunction)
        );
        assert_eq!(
            LiveCall::of("arn:aws:states:::lambda:invoke.waitForTaskToken"),
            None
        );
        assert_eq!(LiveCall::of("arn:aws:states:::glue:startJobRun.sync"), None);
    }
}
