//! Each `run` integration as the Task ASL needs: the resource ARN AWS
//! documents for the optimized (or SDK) integration, and `Parameters` with
//! the API's own field names.

use serde_json::{Map, Value as Json};

use super::template::{Template, Unsupported, insert, object_template, template};
use crate::syntax::ast::{Object, Run, Value, ValueKind};

/// What a Task state calls.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskCall {
    pub resource: String,
    pub parameters: Option<Map<String, Json>>,
}

/// The Task call of a checked `run` clause.
pub fn task_call(run: &Run) -> Result<TaskCall, Unsupported> {
    let target = run
        .target
        .as_ref()
        .map(|t| t.node.as_str())
        .unwrap_or_default();
    let args = Args(run.args.as_ref());
    let mut p = Map::new();
    let resource = match run.integration.name.as_str() {
        "lambda" => {
            p.insert("FunctionName".into(), Json::String(target.into()));
            args.put(&mut p, "payload", "Payload")?;
            args.put(&mut p, "qualifier", "Qualifier")?;
            "arn:aws:states:::lambda:invoke".to_string()
        }
        "ecs" => {
            ecs(&args, &mut p)?;
            "arn:aws:states:::ecs:runTask.sync".to_string()
        }
        "athena" => {
            args.put(&mut p, "query", "QueryString")?;
            args.put(&mut p, "workgroup", "WorkGroup")?;
            args.nested(&mut p, "database", "QueryExecutionContext", "Database")?;
            args.nested(&mut p, "output", "ResultConfiguration", "OutputLocation")?;
            "arn:aws:states:::athena:startQueryExecution.sync".to_string()
        }
        "glue.crawler" => {
            p.insert("Name".into(), Json::String(target.into()));
            "arn:aws:states:::aws-sdk:glue:startCrawler".to_string()
        }
        "glue.job" => {
            p.insert("JobName".into(), Json::String(target.into()));
            args.put(&mut p, "arguments", "Arguments")?;
            "arn:aws:states:::glue:startJobRun.sync".to_string()
        }
        "codebuild" => {
            p.insert("ProjectName".into(), Json::String(target.into()));
            if let Some(environment) = args.object("environment") {
                let variables = name_value_list(environment, true)?;
                p.insert(
                    "EnvironmentVariablesOverride".into(),
                    Json::Array(variables),
                );
            }
            "arn:aws:states:::codebuild:startBuild.sync".to_string()
        }
        "sns" => {
            args.put(&mut p, "topic", "TopicArn")?;
            args.put(&mut p, "message", "Message")?;
            args.put(&mut p, "subject", "Subject")?;
            "arn:aws:states:::sns:publish".to_string()
        }
        "sdk" => {
            as_written(&args, &mut p)?;
            format!("arn:aws:states:::aws-sdk:{target}")
        }
        _ => {
            as_written(&args, &mut p)?;
            target.to_string()
        }
    };
    Ok(TaskCall {
        resource,
        parameters: (!p.is_empty()).then_some(p),
    })
}

/// The args block, looked up by name.
struct Args<'a>(Option<&'a Object>);

impl Args<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.and_then(|o| o.get(name)).map(|e| &e.value)
    }

    fn object(&self, name: &str) -> Option<&Object> {
        match self.get(name).map(|v| &v.kind) {
            Some(ValueKind::Object(o)) => Some(o),
            _ => None,
        }
    }

    /// Copies arg `name` to field `field`, if given.
    fn put(&self, p: &mut Map<String, Json>, name: &str, field: &str) -> Result<(), Unsupported> {
        if let Some(value) = self.get(name) {
            insert(p, field, template(value)?);
        }
        Ok(())
    }

    /// Copies arg `name` to `outer.inner`, if given.
    fn nested(
        &self,
        p: &mut Map<String, Json>,
        name: &str,
        outer: &str,
        inner: &str,
    ) -> Result<(), Unsupported> {
        if let Some(value) = self.get(name) {
            let mut object = Map::new();
            insert(&mut object, inner, template(value)?);
            p.insert(outer.into(), Json::Object(object));
        }
        Ok(())
    }
}

/// ECS RunTask: network configuration for `awsvpc` and one container override.
fn ecs(args: &Args, p: &mut Map<String, Json>) -> Result<(), Unsupported> {
    args.put(p, "launch_type", "LaunchType")?;
    args.put(p, "cluster", "Cluster")?;
    args.put(p, "task_definition", "TaskDefinition")?;
    let mut vpc = Map::new();
    args.put(&mut vpc, "subnets", "Subnets")?;
    args.put(&mut vpc, "security_groups", "SecurityGroups")?;
    if let Some(public) = args.get("assign_public_ip") {
        match &public.kind {
            ValueKind::Bool(b) => {
                let setting = if *b { "ENABLED" } else { "DISABLED" };
                vpc.insert("AssignPublicIp".into(), Json::String(setting.into()));
            }
            _ => insert(&mut vpc, "AssignPublicIp", template(public)?),
        }
    }
    if !vpc.is_empty() {
        let mut network = Map::new();
        network.insert("AwsvpcConfiguration".into(), Json::Object(vpc));
        p.insert("NetworkConfiguration".into(), Json::Object(network));
    }
    let mut container = Map::new();
    args.put(&mut container, "command", "Command")?;
    if let Some(environment) = args.object("environment") {
        container.insert(
            "Environment".into(),
            Json::Array(name_value_list(environment, false)?),
        );
    }
    if !container.is_empty() || args.get("container").is_some() {
        let name = match args.get("container") {
            Some(value) => template(value)?,
            None => Template::Literal(Json::String(default_container(args.get("task_definition")))),
        };
        let mut named = Map::new();
        insert(&mut named, "Name", name);
        named.extend(container);
        let overrides = Json::Array(vec![Json::Object(named)]);
        let mut wrapper = Map::new();
        wrapper.insert("ContainerOverrides".into(), overrides);
        p.insert("Overrides".into(), Json::Object(wrapper));
    }
    Ok(())
}

/// ECS needs a container name for overrides. Without `container`, nagare
/// uses the task definition's family (`…:task-definition/embulk:1` →
/// `embulk`), the usual name of a single-container task's container.
fn default_container(task_definition: Option<&Value>) -> String {
    let text = match task_definition.map(|v| &v.kind) {
        Some(ValueKind::String(s)) => s.as_str(),
        _ => "",
    };
    let family = text.rsplit('/').next().unwrap_or(text);
    family.split(':').next().unwrap_or(family).to_string()
}

/// `{ KEY: value }` as `[{ "Name": KEY, "Value": value }]`, the shape of ECS
/// and CodeBuild environment variables (CodeBuild also wants a `Type`).
fn name_value_list(object: &Object, typed: bool) -> Result<Vec<Json>, Unsupported> {
    object
        .entries
        .iter()
        .map(|entry| {
            let mut item = Map::new();
            item.insert("Name".into(), Json::String(entry.key.node.clone()));
            insert(&mut item, "Value", template(&entry.value)?);
            if typed {
                item.insert("Type".into(), Json::String("PLAINTEXT".into()));
            }
            Ok(Json::Object(item))
        })
        .collect()
}

/// `sdk` and `resource`: the args are the API's own parameters.
fn as_written(args: &Args, p: &mut Map<String, Json>) -> Result<(), Unsupported> {
    if let Some(object) = args.0 {
        p.extend(object_template(object)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_text;

    /// The task call of the single stage of `flow f { task a { RUN } }`.
    fn call(run: &str) -> TaskCall {
        let checked = check_text(&format!("flow f {{ task a {{ {run} }} }}"));
        assert!(!checked.has_errors(), "{run}: {:?}", checked.diags);
        let stage = checked
            .flow()
            .and_then(|f| f.stages().next())
            .expect("stage");
        task_call(stage.run().expect("run")).expect("supported")
    }

    fn params(run: &str) -> String {
        serde_json::to_string(&call(run).parameters).expect("json")
    }

    #[test]
    fn lambda_invoke() {
        let c = call(
            r#"run lambda "arn:aws:lambda:ap-northeast-1:000000000000:function:flatten" { payload: { d: $.input.date }, qualifier: "live" }"#,
        );
        assert_eq!(c.resource, "arn:aws:states:::lambda:invoke");
        assert_eq!(
            params(r#"run lambda "f" { payload: $.input }"#),
            r#"{"FunctionName":"f","Payload.$":"$.input"}"#
        );
    }

    #[test]
    fn ecs_run_task_sync_with_network_and_overrides() {
        let c = call(
            r#"run ecs {
                cluster: "arn:aws:ecs:ap-northeast-1:000000000000:cluster/default"
                task_definition: "arn:aws:ecs:ap-northeast-1:000000000000:task-definition/embulk:1"
                launch_type: "FARGATE"
                subnets: ["subnet-0", "subnet-1"]
                security_groups: ["sg-0"]
                assign_public_ip: true
                command: ["run", "athena2mysql.yml.liquid"]
                environment: { QUERY_ID: $.input.q }
            }"#,
        );
        assert_eq!(c.resource, "arn:aws:states:::ecs:runTask.sync");
        assert_eq!(
            serde_json::to_string(&c.parameters).expect("json"),
            concat!(
                r#"{"LaunchType":"FARGATE","Cluster":"arn:aws:ecs:ap-northeast-1:000000000000:cluster/default","#,
                r#""TaskDefinition":"arn:aws:ecs:ap-northeast-1:000000000000:task-definition/embulk:1","#,
                r#""NetworkConfiguration":{"AwsvpcConfiguration":{"Subnets":["subnet-0","subnet-1"],"SecurityGroups":["sg-0"],"AssignPublicIp":"ENABLED"}},"#,
                r#""Overrides":{"ContainerOverrides":[{"Name":"embulk","Command":["run","athena2mysql.yml.liquid"],"#,
                r#""Environment":[{"Name":"QUERY_ID","Value.$":"$.input.q"}]}]}}"#
            )
        );
    }

    #[test]
    fn athena_glue_codebuild_sns() {
        assert_eq!(
            params(
                r#"run athena { query: "SELECT 1", database: "lake", workgroup: "primary", output: "s3://r/" }"#
            ),
            r#"{"QueryString":"SELECT 1","WorkGroup":"primary","QueryExecutionContext":{"Database":"lake"},"ResultConfiguration":{"OutputLocation":"s3://r/"}}"#
        );
        assert_eq!(
            call(r#"run glue.crawler "lake""#).resource,
            "arn:aws:states:::aws-sdk:glue:startCrawler"
        );
        assert_eq!(
            params(r#"run glue.job "etl" { arguments: { "--day": $.input.day } }"#),
            r#"{"JobName":"etl","Arguments":{"--day.$":"$.input.day"}}"#
        );
        assert_eq!(
            params(r#"run codebuild "export" { environment: { DAY: "1" } }"#),
            r#"{"ProjectName":"export","EnvironmentVariablesOverride":[{"Name":"DAY","Value":"1","Type":"PLAINTEXT"}]}"#
        );
        assert_eq!(
            params(
                r#"run sns { topic: "arn:t", message: States.Format("failed: {}", $.input.x), subject: "s" }"#
            ),
            r#"{"TopicArn":"arn:t","Message.$":"States.Format('failed: {}', $.input.x)","Subject":"s"}"#
        );
    }

    #[test]
    fn sdk_and_resource_pass_args_through() {
        let c = call(r#"run sdk "s3:listObjectsV2" { Bucket: "b", Prefix: $.input.p }"#);
        assert_eq!(c.resource, "arn:aws:states:::aws-sdk:s3:listObjectsV2");
        assert_eq!(
            params(r#"run sdk "s3:listObjectsV2" { Bucket: "b", Prefix: $.input.p }"#),
            r#"{"Bucket":"b","Prefix.$":"$.input.p"}"#
        );
        let raw = call(r#"run resource "arn:aws:states:::sqs:sendMessage" { QueueUrl: "q" }"#);
        assert_eq!(raw.resource, "arn:aws:states:::sqs:sendMessage");
        assert_eq!(
            call(r#"run resource "arn:aws:lambda:us-east-1:123456789012:function:x""#).parameters,
            None
        );
    }
}
