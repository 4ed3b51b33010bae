//! The execution role's least-privilege IAM policy: for every Task of a
//! machine, the actions its integration needs (as AWS documents them for
//! Step Functions), on the resources the definition names, or `*` where a
//! value is only known at run time.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use crate::asl::{State, StateMachine, Task};

/// A policy document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    pub version: &'static str,
    pub statement: Vec<Statement>,
}

/// One statement: these actions on these resources.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    pub sid: String,
    pub effect: &'static str,
    pub action: Vec<String>,
    pub resource: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Value>,
}

/// The policy `machine`'s role needs. Statements with the same actions
/// merge their resources; the result is sorted, so it is stable.
pub fn policy(machine: &StateMachine) -> Policy {
    let mut needs: Vec<Need> = Vec::new();
    collect(&machine.states, &mut needs);
    // Same actions (and condition) → one statement with every resource.
    let mut merged: BTreeMap<(Vec<String>, String), Merged> = BTreeMap::new();
    for need in needs {
        let mut actions = need.actions;
        actions.sort();
        actions.dedup();
        let key = (
            actions,
            need.condition
                .as_ref()
                .map(Value::to_string)
                .unwrap_or_default(),
        );
        let entry = merged
            .entry(key)
            .or_insert_with(|| (need.sid.clone(), Vec::new(), need.condition.clone()));
        entry.1.extend(need.resources);
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let statement: Vec<Statement> = merged
        .into_iter()
        .map(|((actions, _), (sid, mut resources, condition))| {
            resources.sort();
            resources.dedup();
            if resources.iter().any(|r| r == "*") {
                resources = vec!["*".into()];
            }
            // IAM requires each Sid to be unique in its policy.
            let count = seen.entry(sid.clone()).or_insert(0);
            *count += 1;
            let sid = if *count == 1 {
                sid
            } else {
                format!("{sid}{count}")
            };
            Statement {
                sid,
                effect: "Allow",
                action: actions,
                resource: resources,
                condition,
            }
        })
        .collect();
    Policy {
        version: "2012-10-17",
        statement,
    }
}

/// A statement being assembled: its Sid, resources and condition.
type Merged = (String, Vec<String>, Option<Value>);

struct Need {
    sid: String,
    actions: Vec<String>,
    resources: Vec<String>,
    condition: Option<Value>,
}

fn need(sid: &str, actions: &[&str], resources: Vec<String>) -> Need {
    Need {
        sid: sid.to_string(),
        actions: actions.iter().map(|a| a.to_string()).collect(),
        resources,
        condition: None,
    }
}

fn collect(states: &IndexMap<String, State>, out: &mut Vec<Need>) {
    for state in states.values() {
        match state {
            State::Task(task) => task_needs(task, out),
            State::Parallel(p) => p.branches.iter().for_each(|b| collect(&b.states, out)),
            State::Map(m) => {
                distributed_needs(m, out);
                m.item_processor
                    .iter()
                    .chain(&m.iterator)
                    .for_each(|p| collect(&p.states, out))
            }
            _ => {}
        }
    }
}

/// A Distributed Map starts child executions of the machine, and reads
/// and writes S3 when it has an ItemReader or a ResultWriter ("IAM
/// policies for using Distributed Map states").
fn distributed_needs(map: &crate::asl::Map, out: &mut Vec<Need>) {
    let distributed = map
        .item_processor
        .as_ref()
        .and_then(|p| p.processor_config.as_ref())
        .is_some_and(|c| c.mode == "DISTRIBUTED");
    if !distributed {
        return;
    }
    out.push(need(
        "DistributedMapChildren",
        &["states:StartExecution"],
        vec!["*".into()],
    ));
    out.push(need(
        "DistributedMapRuns",
        &["states:DescribeExecution", "states:StopExecution"],
        vec!["*".into()],
    ));
    // A bucket named in the definition narrows the resource; a computed
    // one is only known at run time.
    let bucket = |io: &Value| {
        ["Parameters", "Arguments"]
            .iter()
            .find_map(|k| io.get(k)?.get("Bucket")?.as_str())
            .filter(|b| !is_computed(b))
            .map(str::to_string)
    };
    if let Some(reader) = &map.item_reader {
        let resource = reader.get("Resource").and_then(Value::as_str).unwrap_or("");
        let bucket = bucket(reader);
        if resource.contains("listObjectsV2") {
            let arn = bucket.map_or("*".into(), |b| format!("arn:aws:s3:::{b}"));
            out.push(need("ReadItemsFromS3", &["s3:ListBucket"], vec![arn]));
        } else {
            let arn = bucket.map_or("*".into(), |b| format!("arn:aws:s3:::{b}/*"));
            out.push(need("ReadItemsFromS3", &["s3:GetObject"], vec![arn]));
        }
    }
    if let Some(writer) = &map.result_writer
        && writer.get("Resource").is_some()
    {
        let arn = bucket(writer).map_or("*".into(), |b| format!("arn:aws:s3:::{b}/*"));
        out.push(need(
            "WriteResultsToS3",
            &[
                "s3:PutObject",
                "s3:GetObject",
                "s3:ListMultipartUploadParts",
                "s3:AbortMultipartUpload",
            ],
            vec![arn],
        ));
    }
}

/// Whether a parameter's value is computed at run time: a JSONata
/// expression.
fn is_computed(text: &str) -> bool {
    crate::asl::jsonata::delimited(text).is_some()
}

/// A literal string parameter (`Parameters`, or a JSONata state's
/// `Arguments`), or `None` when it is computed (`Name.$`, `{% … %}`).
fn literal<'t>(task: &'t Task, key: &str) -> Option<&'t str> {
    task.parameters
        .as_ref()
        .or(task.arguments.as_ref())?
        .get(key)?
        .as_str()
        .filter(|v| !is_computed(v))
}

/// The managed EventBridge rule Step Functions uses to wait for a `.sync`
/// job of `service` (ECS, CodeBuild, Glue, …).
fn sync_rule(rule: &str) -> Need {
    need(
        "ManagedSyncRule",
        &["events:PutTargets", "events:PutRule", "events:DescribeRule"],
        vec![format!("arn:aws:events:*:*:rule/{rule}")],
    )
}

fn task_needs(task: &Task, out: &mut Vec<Need>) {
    let resource = task.resource.as_str();
    let service = resource.strip_prefix("arn:aws:states:::");
    let sync = resource.ends_with(".sync");
    match service.map(|s| {
        s.trim_end_matches(".sync")
            .trim_end_matches(".waitForTaskToken")
    }) {
        Some("lambda:invoke") => {
            let arns = match literal(task, "FunctionName") {
                Some(name) => lambda_arns(name),
                None => vec!["*".into()],
            };
            out.push(need("InvokeLambda", &["lambda:InvokeFunction"], arns));
        }
        Some("ecs:runTask") => {
            let definition = literal(task, "TaskDefinition").map_or("*".to_string(), |d| {
                // family, family:revision or an ARN: any revision of the family.
                let family = d
                    .rsplit('/')
                    .next()
                    .unwrap_or(d)
                    .split(':')
                    .next()
                    .unwrap_or(d);
                format!("arn:aws:ecs:*:*:task-definition/{family}:*")
            });
            out.push(need("RunEcsTask", &["ecs:RunTask"], vec![definition]));
            out.push(need(
                "WatchEcsTask",
                &["ecs:StopTask", "ecs:DescribeTasks"],
                vec!["*".into()],
            ));
            let mut pass = need("PassEcsTaskRoles", &["iam:PassRole"], vec!["*".into()]);
            pass.condition = Some(serde_json::json!({
                "StringEquals": { "iam:PassedToService": "ecs-tasks.amazonaws.com" }
            }));
            out.push(pass);
            if sync {
                out.push(sync_rule("StepFunctionsGetEventsForECSTaskRule"));
            }
        }
        Some("athena:startQueryExecution") => {
            let workgroup = literal(task, "WorkGroup").unwrap_or("primary");
            out.push(need(
                "RunAthenaQuery",
                &[
                    "athena:StartQueryExecution",
                    "athena:GetQueryExecution",
                    "athena:GetQueryResults",
                    "athena:StopQueryExecution",
                    "athena:GetWorkGroup",
                ],
                vec![format!("arn:aws:athena:*:*:workgroup/{workgroup}")],
            ));
            // A query reads and writes the Glue catalog and S3 (a CTAS
            // creates a table and writes its data).
            out.push(need(
                "AthenaCatalog",
                &[
                    "glue:GetDatabase",
                    "glue:GetDatabases",
                    "glue:GetTable",
                    "glue:GetTables",
                    "glue:CreateTable",
                    "glue:DeleteTable",
                    "glue:GetPartition",
                    "glue:GetPartitions",
                    "glue:BatchCreatePartition",
                ],
                vec!["*".into()],
            ));
            out.push(need(
                "AthenaData",
                &[
                    "s3:GetBucketLocation",
                    "s3:GetObject",
                    "s3:ListBucket",
                    "s3:PutObject",
                    "s3:AbortMultipartUpload",
                    "s3:ListMultipartUploadParts",
                ],
                vec!["*".into()],
            ));
        }
        Some("glue:startJobRun") => {
            let job = literal(task, "JobName")
                .map_or("*".to_string(), |j| format!("arn:aws:glue:*:*:job/{j}"));
            out.push(need(
                "RunGlueJob",
                &[
                    "glue:StartJobRun",
                    "glue:GetJobRun",
                    "glue:GetJobRuns",
                    "glue:BatchStopJobRun",
                ],
                vec![job],
            ));
        }
        Some("codebuild:startBuild") => {
            let project = literal(task, "ProjectName").map_or("*".to_string(), |p| {
                format!("arn:aws:codebuild:*:*:project/{p}")
            });
            out.push(need(
                "RunCodeBuild",
                &[
                    "codebuild:StartBuild",
                    "codebuild:StopBuild",
                    "codebuild:BatchGetBuilds",
                ],
                vec![project],
            ));
            if sync {
                out.push(sync_rule(
                    "StepFunctionsGetEventsForCodeBuildStartBuildRule",
                ));
            }
        }
        Some("sns:publish") => {
            let topic = literal(task, "TopicArn").map_or("*".to_string(), str::to_string);
            out.push(need("PublishSns", &["sns:Publish"], vec![topic]));
        }
        Some(other) if other.starts_with("aws-sdk:") => {
            let mut parts = other.trim_start_matches("aws-sdk:").splitn(2, ':');
            let (service, api) = (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            );
            let action = iam_action(service, api);
            let resource = sdk_resource(service, &action, task);
            out.push(Need {
                sid: "SdkCalls".into(),
                actions: vec![action],
                resources: vec![resource],
                condition: None,
            });
        }
        Some(other) if other.starts_with("dynamodb:") => {
            let api = other.trim_start_matches("dynamodb:");
            let table = literal(task, "TableName").map_or("*".to_string(), |t| {
                format!("arn:aws:dynamodb:*:*:table/{t}")
            });
            out.push(need(
                "DynamoDb",
                &[&iam_action("dynamodb", api)],
                vec![table],
            ));
        }
        Some(other) => {
            // An optimised integration nagare does not know: the service's
            // action named after it, on every resource.
            let (service, action) = other.split_once(':').unwrap_or((other, ""));
            out.push(need(
                "OtherIntegrations",
                &[&iam_action(service, action)],
                vec!["*".into()],
            ));
        }
        None if resource.starts_with("arn:aws:lambda:") => {
            out.push(need(
                "InvokeLambda",
                &["lambda:InvokeFunction"],
                vec![resource.to_string(), format!("{resource}:*")],
            ));
        }
        None => out.push(need(
            "ActivitiesAndOther",
            &["states:GetActivityTask"],
            vec![resource.to_string()],
        )),
    }
}

/// A function name, partial ARN or ARN as the ARNs to allow: the function
/// and its versions and aliases.
fn lambda_arns(name: &str) -> Vec<String> {
    let base = if name.starts_with("arn:") {
        name.to_string()
    } else {
        format!("arn:aws:lambda:*:*:function:{name}")
    };
    vec![base.clone(), format!("{base}:*")]
}

/// The IAM action of an SDK call: the service prefix and the API name in
/// PascalCase, with the exceptions IAM makes (S3 lists are `ListBucket`).
fn iam_action(service: &str, api: &str) -> String {
    let prefix = match service {
        "sfn" => "states",
        "cloudwatchlogs" => "logs",
        "eventbridge" => "events",
        other => other,
    };
    let action = match (service, api) {
        ("s3", "listObjectsV2" | "listObjects") => "ListBucket".to_string(),
        ("s3", "headObject") => "GetObject".to_string(),
        ("s3", "copyObject") => "PutObject".to_string(),
        (_, api) => {
            let mut chars = api.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
    };
    format!("{prefix}:{action}")
}

/// Narrowed resources for SDK calls whose target the definition names:
/// a Glue crawler, an S3 bucket (for `ListBucket`) or its objects.
fn sdk_resource(service: &str, action: &str, task: &Task) -> String {
    match service {
        "glue" if action.contains("Crawler") => {
            literal(task, "Name").map_or("*".into(), |n| format!("arn:aws:glue:*:*:crawler/{n}"))
        }
        "s3" => match (literal(task, "Bucket"), action) {
            (Some(bucket), "s3:ListBucket") => format!("arn:aws:s3:::{bucket}"),
            (Some(bucket), _) => match literal(task, "Key") {
                Some(key) => format!("arn:aws:s3:::{bucket}/{key}"),
                None => format!("arn:aws:s3:::{bucket}/*"),
            },
            (None, _) => "*".into(),
        },
        _ => "*".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn statements(task: Value) -> Vec<(String, Vec<String>, Vec<String>)> {
        let machine: StateMachine = serde_json::from_value(json!({
            "StartAt": "T", "States": {"T": task}
        }))
        .expect("a machine");
        policy(&machine)
            .statement
            .into_iter()
            .map(|s| (s.sid, s.action, s.resource))
            .collect()
    }

    fn task(resource: &str, parameters: Value) -> Value {
        json!({"Type": "Task", "Resource": resource, "Parameters": parameters, "End": true})
    }

    #[test]
    fn jsonata_arguments_name_resources_unless_computed() {
        let jsonata = |arguments: Value| json!({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": arguments, "End": true});
        let named = statements(jsonata(json!({"FunctionName": "flatten"})));
        assert_eq!(named[0].2[0], "arn:aws:lambda:*:*:function:flatten");
        let computed = statements(jsonata(json!({"FunctionName": "{% $states.input.fn %}"})));
        assert_eq!(computed[0].2, ["*"]);
    }

    #[test]
    fn a_distributed_map_starts_children_and_reads_and_writes_s3() {
        let s = statements(json!({
            "Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "in"}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "p"}},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}
            },
            "End": true
        }));
        let find = |sid: &str| {
            s.iter()
                .find(|(id, ..)| id == sid)
                .map(|(_, a, r)| (a.clone(), r.clone()))
        };
        assert_eq!(
            find("ReadItemsFromS3"),
            Some((vec!["s3:ListBucket".into()], vec!["arn:aws:s3:::in".into()]))
        );
        assert_eq!(
            find("WriteResultsToS3").map(|(_, r)| r),
            Some(vec!["arn:aws:s3:::out/*".into()])
        );
        assert_eq!(
            find("DistributedMapChildren").map(|(a, _)| a),
            Some(vec!["states:StartExecution".into()])
        );
    }

    #[test]
    fn lambda_invoke_names_the_function_and_its_versions() {
        let s = statements(task(
            "arn:aws:states:::lambda:invoke",
            json!({"FunctionName": "flatten"}),
        ));
        assert_eq!(
            s,
            [(
                "InvokeLambda".into(),
                vec!["lambda:InvokeFunction".into()],
                vec![
                    "arn:aws:lambda:*:*:function:flatten".into(),
                    "arn:aws:lambda:*:*:function:flatten:*".into()
                ]
            )]
        );
        let dynamic = statements(task(
            "arn:aws:states:::lambda:invoke",
            json!({"FunctionName.$": "$.f"}),
        ));
        assert_eq!(dynamic[0].2, ["*"]);
    }

    #[test]
    fn ecs_sync_runs_watches_passes_roles_and_uses_the_managed_rule() {
        let s = statements(task(
            "arn:aws:states:::ecs:runTask.sync",
            json!({"TaskDefinition": "arn:aws:ecs:eu-west-1:1:task-definition/embulk:3", "Cluster": "c"}),
        ));
        let sids: Vec<&str> = s.iter().map(|x| x.0.as_str()).collect();
        assert!(
            sids.contains(&"RunEcsTask")
                && sids.contains(&"PassEcsTaskRoles")
                && sids.contains(&"ManagedSyncRule"),
            "{sids:?}"
        );
        let run = s.iter().find(|x| x.0 == "RunEcsTask").expect("RunTask");
        assert_eq!(run.2, ["arn:aws:ecs:*:*:task-definition/embulk:*"]);
        let rule = s.iter().find(|x| x.0 == "ManagedSyncRule").expect("rule");
        assert_eq!(
            rule.2,
            ["arn:aws:events:*:*:rule/StepFunctionsGetEventsForECSTaskRule"]
        );
    }

    #[test]
    fn athena_glue_codebuild_sns_and_sdk_calls() {
        let athena = statements(task(
            "arn:aws:states:::athena:startQueryExecution.sync",
            json!({"WorkGroup": "etl"}),
        ));
        assert!(
            athena
                .iter()
                .any(|s| s.2 == ["arn:aws:athena:*:*:workgroup/etl"]
                    && s.1.contains(&"athena:GetQueryExecution".to_string()))
        );
        assert!(
            athena
                .iter()
                .any(|s| s.1.contains(&"glue:CreateTable".to_string()))
        );
        assert!(
            athena
                .iter()
                .any(|s| s.1.contains(&"s3:PutObject".to_string()))
        );
        let job = statements(task(
            "arn:aws:states:::glue:startJobRun.sync",
            json!({"JobName": "etl"}),
        ));
        assert_eq!(job[0].2, ["arn:aws:glue:*:*:job/etl"]);
        let build = statements(task(
            "arn:aws:states:::codebuild:startBuild.sync",
            json!({"ProjectName": "export"}),
        ));
        assert!(
            build
                .iter()
                .any(|s| s.2 == ["arn:aws:codebuild:*:*:project/export"])
        );
        assert!(build.iter().any(|s| s.0 == "ManagedSyncRule"));
        let sns = statements(task(
            "arn:aws:states:::sns:publish",
            json!({"TopicArn": "arn:aws:sns:eu-west-1:1:t", "Message": "m"}),
        ));
        assert_eq!(sns[0].1, ["sns:Publish"]);
        assert_eq!(sns[0].2, ["arn:aws:sns:eu-west-1:1:t"]);
        let list = statements(task(
            "arn:aws:states:::aws-sdk:s3:listObjectsV2",
            json!({"Bucket": "lake"}),
        ));
        assert_eq!(
            (list[0].1.clone(), list[0].2.clone()),
            (
                vec!["s3:ListBucket".to_string()],
                vec!["arn:aws:s3:::lake".to_string()]
            )
        );
        let crawl = statements(task(
            "arn:aws:states:::aws-sdk:glue:startCrawler",
            json!({"Name": "lake"}),
        ));
        assert_eq!(
            (crawl[0].1.clone(), crawl[0].2.clone()),
            (
                vec!["glue:StartCrawler".to_string()],
                vec!["arn:aws:glue:*:*:crawler/lake".to_string()]
            )
        );
        let put = statements(task(
            "arn:aws:states:::dynamodb:putItem",
            json!({"TableName": "runs"}),
        ));
        assert_eq!(
            (put[0].1.clone(), put[0].2.clone()),
            (
                vec!["dynamodb:PutItem".to_string()],
                vec!["arn:aws:dynamodb:*:*:table/runs".to_string()]
            )
        );
    }

    #[test]
    fn statements_with_the_same_actions_merge() {
        let machine: StateMachine = serde_json::from_value(json!({"StartAt": "A", "States": {
            "A": task("arn:aws:states:::lambda:invoke", json!({"FunctionName": "a"})).as_object().map(|o| { let mut o = o.clone(); o.remove("End"); o.insert("Next".into(), json!("B")); Value::Object(o) }).unwrap_or_default(),
            "B": task("arn:aws:states:::lambda:invoke", json!({"FunctionName": "b"}))
        }}))
        .expect("machine");
        let p = policy(&machine);
        assert_eq!(p.statement.len(), 1);
        assert_eq!(p.statement[0].resource.len(), 4);
    }
}
