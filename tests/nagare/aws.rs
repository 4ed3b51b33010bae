//! `deploy`, `start` and `run --live` against moto's server, started on a
//! free loopback port by each test and stopped when it ends. Nothing here
//! reaches a non-loopback address: every client gets AWS_ENDPOINT_URL on
//! 127.0.0.1, dummy credentials, no config files and no instance metadata.
//!
//! `.ci/run` installs moto and names its `moto_server` in NAGARE_MOTO_SERVER;
//! under CI a missing one fails, locally the moto tests are skipped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{Output, Test, root};

/// A moto server on 127.0.0.1, killed on drop.
struct Moto {
    child: Child,
    port: u16,
    python: PathBuf,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// Starts a server with Step Functions execution and Docker-less Lambda
    /// turned on, or `None` (locally) when moto is not installed.
    fn start() -> Option<Moto> {
        let server = match std::env::var("NAGARE_MOTO_SERVER") {
            Ok(path) if !path.is_empty() => PathBuf::from(path),
            _ => {
                let local = root().join("target/oracles/venv/bin/moto_server");
                assert!(
                    std::env::var_os("CI").is_none() || local.exists(),
                    "NAGARE_MOTO_SERVER must be set under CI (.ci/run installs moto)"
                );
                if !local.exists() {
                    eprintln!("skipping: moto is not installed (run .ci/run)");
                    return None;
                }
                local
            }
        };
        let python = server.with_file_name("python");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(&server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let moto = Moto {
            child,
            port,
            python,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        moto.post(
            "/moto-api/config",
            r#"{"stepfunctions": {"execute_state_machine": true}, "lambda": {"use_docker": false}}"#,
        );
        Some(moto)
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A POST to moto's own API, in plain HTTP/1.1 (no client crate needed).
    fn post(&self, path: &str, body: &str) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to moto");
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("send");
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(
            answer.starts_with("HTTP/1.1 20") || answer.starts_with("HTTP/1.0 20"),
            "moto refused {path}: {answer}"
        );
    }

    /// Creates the Lambda function, cluster, task definition and network
    /// the live tests call; returns the ids it made.
    fn setup(&self) -> Value {
        let out = Command::new(&self.python)
            .arg(root().join("tests/aws/moto_setup.py"))
            .arg(self.endpoint())
            .output()
            .expect("run moto_setup.py");
        assert!(
            out.status.success(),
            "moto_setup.py failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("moto_setup.py prints JSON")
    }

    /// `nagare ARGS` as a user with dummy credentials would run it here.
    fn nagare(&self, test: Test) -> Output {
        let out = aws_env(test)
            .env("AWS_ENDPOINT_URL", &self.endpoint())
            .run();
        assert!(!out.stdout.contains(SECRET) && !out.stderr.contains(SECRET));
        out
    }
}

/// A hermetic AWS environment: dummy keys, a region, no profiles or config
/// files, no instance metadata lookups, and an endpoint on loopback where
/// nothing listens, for tests that expect to fail before any request (a
/// moto test points it at its server).
fn aws_env(test: Test) -> Test {
    let mut test = test
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/nagare-test")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/nagare-test");
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_REGION",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ] {
        test = test.env_remove(var);
    }
    test.env("AWS_ENDPOINT_URL", &dead_endpoint())
}

/// A loopback address just freed: nothing listens there.
fn dead_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("port");
    let port = listener.local_addr().expect("addr").port();
    format!("http://127.0.0.1:{port}")
}

/// The dummy secret key: no output may ever contain it.
const SECRET: &str = "s3cr3t-never-printed";

const ROLE: &str = "arn:aws:iam::123456789012:role/sfn";
const ARN: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:";

const PIPELINE: &str = r#"flow pipeline {
  transform shape {
    run lambda "shape" { payload: { date: $.input.date } }
    timeout 5m
  }
  visualize report after shape {
    run sns { topic: "arn:aws:sns:us-east-1:123456789012:t", message: "done" }
  }
}
"#;

fn deploy(moto: &Moto, files: &[(&str, &str)], args: &[&str]) -> Output {
    let mut test = Test::new();
    for (name, text) in files {
        test = test.file(name, text);
    }
    moto.nagare(test.args(["deploy"]).args(args))
}

#[test]
fn deploy_creates_then_says_unchanged_then_diffs_and_updates() {
    let Some(moto) = Moto::start() else { return };
    let files = [("p.flow", PIPELINE)];
    let created = deploy(&moto, &files, &["p.flow", "--role-arn", ROLE]).success();
    assert_eq!(created.stdout, format!("{ARN}pipeline\n"));
    assert!(
        created.stderr.contains("created state machine pipeline"),
        "{}",
        created.stderr
    );

    let again = deploy(&moto, &files, &["p.flow"]).success();
    assert_eq!(again.stdout, format!("{ARN}pipeline\n"));
    assert_eq!(again.stderr, "state machine pipeline is unchanged\n");

    let changed = PIPELINE.replace("timeout 5m", "timeout 10m");
    let files = [("p.flow", changed.as_str())];
    let diff = deploy(&moto, &files, &["p.flow", "--diff", "--tag", "team=data"]).success();
    assert_eq!(
        diff.stdout,
        "~ States.shape.TimeoutSeconds: 300 → 600\n+ tag team: data\n"
    );
    // --diff changed nothing: the same diff again.
    let dry = deploy(
        &moto,
        &files,
        &["p.flow", "--dry-run", "--tag", "team=data"],
    )
    .success();
    assert_eq!(dry.stdout, diff.stdout);

    let updated = deploy(
        &moto,
        &files,
        &[
            "p.flow",
            "--tag",
            "team=data",
            "--publish",
            "--version-description",
            "longer",
        ],
    )
    .success();
    assert_eq!(
        updated.stdout,
        format!("{ARN}pipeline\n{ARN}pipeline:1\n"),
        "the machine's ARN, then the published version's"
    );
    assert!(
        updated
            .stderr
            .contains("updated state machine pipeline: 1 change(s) to the definition, 1 tag(s)"),
        "{}",
        updated.stderr
    );
    let after = deploy(&moto, &files, &["p.flow", "--diff", "--tag", "team=data"]).success();
    assert_eq!(after.stdout, "state machine pipeline: no changes\n");
}

#[test]
fn a_deploy_that_fails_leaves_the_machine_as_it_was() {
    let Some(moto) = Moto::start() else { return };
    let files = [("p.flow", PIPELINE)];
    deploy(&moto, &files, &["p.flow", "--role-arn", ROLE]).success();

    // A flow with errors is refused before anything reaches AWS.
    let broken = PIPELINE.replace("after shape", "after nowhere");
    deploy(&moto, &[("p.flow", broken.as_str())], &["p.flow"])
        .code(2)
        .stderr_has("nowhere");
    // So are bad tags and names, even with a change to deploy. (moto accepts
    // any update, so AWS's own refusal of one cannot be shown here; the
    // definition and role change in one UpdateStateMachine call.)
    let changed = PIPELINE.replace("timeout 5m", "timeout 10m");
    let changed = [("p.flow", changed.as_str())];
    deploy(&moto, &changed, &["p.flow", "--tag", "novalue"])
        .code(2)
        .stderr_has("--tag takes KEY=VALUE");
    deploy(&moto, &changed, &["p.flow", "--name", "has space"])
        .code(2)
        .stderr_has("cannot name a state machine");
    deploy(&moto, &files, &["p.flow", "--diff"])
        .success()
        .stdout_has("no changes");

    // A new machine with an invalid role is not created.
    deploy(
        &moto,
        &files,
        &["p.flow", "--name", "other", "--role-arn", "not-an-arn"],
    )
    .code(2)
    .stderr_has("nagare::E307")
    .stderr_has("InvalidArn");
    moto.nagare(Test::new().args(["start", "other"]))
        .code(2)
        .stderr_has("nagare::E305");
}

const BRANCHY: &str = r#"{
  "StartAt": "Seed",
  "States": {
    "Seed": {"Type": "Pass", "Result": [1, 2], "ResultPath": "$.xs", "Next": "Each"},
    "Each": {
      "Type": "Map", "ItemsPath": "$.xs", "ResultPath": "$.doubled", "Next": "Both",
      "ItemProcessor": {"StartAt": "Double", "States": {
        "Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "End": true}}}
    },
    "Both": {
      "Type": "Parallel", "ResultPath": "$.both", "Next": "Big?",
      "Branches": [
        {"StartAt": "L", "States": {"L": {"Type": "Pass", "Result": "l", "End": true}}},
        {"StartAt": "R", "States": {"R": {"Type": "Pass", "Result": "r", "End": true}}}
      ]
    },
    "Big?": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Too big"}],
      "Default": "Done"
    },
    "Too big": {"Type": "Fail", "Error": "TooBig", "Cause": "n is over 10"},
    "Done": {"Type": "Succeed"}
  }
}
"#;

/// The event types of a history, in order: the part of a timeline that
/// must read the same locally and on AWS.
fn types(run: &Output) -> Vec<String> {
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON execution");
    doc["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|e| e["type"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn start_wait_prints_the_same_execution_as_a_local_run() {
    let Some(moto) = Moto::start() else { return };
    let files = [("branchy.asl.json", BRANCHY)];
    deploy(&moto, &files, &["branchy.asl.json", "--role-arn", ROLE]).success();

    for (input, status, code) in [
        (r#"{"n": 1}"#, "SUCCEEDED", 0),
        (r#"{"n": 11}"#, "FAILED", 1),
    ] {
        let remote = moto
            .nagare(Test::new().args([
                "start", "branchy", "--wait", "--format", "json", "--input", input,
            ]))
            .code(code);
        let local = Test::new()
            .file("branchy.asl.json", BRANCHY)
            .args([
                "run",
                "branchy.asl.json",
                "--format",
                "json",
                "--input",
                input,
            ])
            .run()
            .code(code);
        let (r, l): (Value, Value) = (
            serde_json::from_str(&remote.stdout).expect("JSON"),
            serde_json::from_str(&local.stdout).expect("JSON"),
        );
        assert_eq!(r["status"], status);
        assert_eq!(r["status"], l["status"]);
        assert_eq!(r["output"], l["output"], "input {input}");
        assert_eq!(r["error"], l["error"]);
        // moto records the states and their order as AWS does; it leaves
        // out the Map and Parallel lifecycle events, so compare the rest.
        let lifecycle = |t: &String| {
            !(t.starts_with("MapIteration")
                || t.starts_with("MapState") && !t.ends_with("Entered") && !t.ends_with("Exited")
                || t.starts_with("ParallelState")
                    && !t.ends_with("Entered")
                    && !t.ends_with("Exited"))
        };
        let remote_types: Vec<String> = types(&remote).into_iter().filter(lifecycle).collect();
        let local_types: Vec<String> = types(&local).into_iter().filter(lifecycle).collect();
        assert_eq!(remote_types, local_types, "input {input}");
    }

    let human = moto
        .nagare(Test::new().args(["start", "branchy", "--wait", "--input", r#"{"n": 11}"#]))
        .code(1);
    assert!(
        human
            .stderr
            .starts_with("started arn:aws:states:us-east-1:123456789012:execution:branchy:")
    );
    assert!(human.stdout.contains("Big? (Choice)"), "{}", human.stdout);
    assert!(
        human.stdout.contains("FAILED in ")
            && human.stdout.contains("(real time): TooBig: n is over 10"),
        "{}",
        human.stdout
    );

    // --timeout ends the wait, not the execution, and says so.
    let waiting =
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": true}}}"#;
    deploy(
        &moto,
        &[("slow.asl.json", waiting)],
        &["slow.asl.json", "--role-arn", ROLE],
    )
    .success();
    moto.nagare(Test::new().args(["start", "slow", "--wait", "--timeout", "1", "--poll", "1"]))
        .code(2)
        .stderr_has("nagare::E310")
        .stderr_has("still running");

    // Without --wait: the execution's ARN, and nothing else on stdout.
    let started = moto
        .nagare(Test::new().args([
            "start",
            &format!("{ARN}branchy"),
            "--execution-name",
            "by-arn",
        ]))
        .success();
    assert_eq!(
        started.stdout,
        "arn:aws:states:us-east-1:123456789012:execution:branchy:by-arn\n"
    );
}

#[test]
fn create_role_and_schedule_are_created_once_and_match_the_policy() {
    let Some(moto) = Moto::start() else { return };
    let flow =
        std::fs::read_to_string(root().join("examples/daily_platform.flow")).expect("example");
    let files = [("daily.flow", flow.as_str())];
    // A schedule needs a role for the scheduler: asked for, not guessed.
    deploy(&moto, &files, &["daily.flow", "--role-arn", ROLE])
        .code(2)
        .stderr_has("--schedule-role-arn");
    let first = deploy(&moto, &files, &["daily.flow", "--create-role"]).success();
    assert_eq!(
        first.stderr,
        "created state machine daily_platform\n\
         role nagare-daily_platform: created\n\
         role nagare-daily_platform-scheduler: created\n\
         schedule daily_platform (cron(0 18 * * ? *), UTC): created\n"
    );
    let second = deploy(&moto, &files, &["daily.flow", "--create-role"]).success();
    assert_eq!(
        second.stderr,
        "state machine daily_platform is unchanged\n\
         role nagare-daily_platform: unchanged\n\
         role nagare-daily_platform-scheduler: unchanged\n\
         schedule daily_platform (cron(0 18 * * ? *), UTC): unchanged\n"
    );
    // The role holds exactly `nagare policy`'s document, and the machine uses it.
    let policy = Test::new()
        .file("daily.flow", &flow)
        .args(["policy", "daily.flow"])
        .run()
        .success();
    let script = "import boto3,json,sys,urllib.parse as u\n\
        iam=boto3.client('iam',region_name='us-east-1',endpoint_url=sys.argv[1],aws_access_key_id='t',aws_secret_access_key='t')\n\
        sfn=boto3.client('stepfunctions',region_name='us-east-1',endpoint_url=sys.argv[1],aws_access_key_id='t',aws_secret_access_key='t')\n\
        doc=iam.get_role_policy(RoleName='nagare-daily_platform',PolicyName='nagare')['PolicyDocument']\n\
        doc=doc if isinstance(doc,dict) else json.loads(u.unquote(doc))\n\
        m=[x for x in sfn.list_state_machines()['stateMachines'] if x['name']=='daily_platform'][0]\n\
        s=boto3.client('scheduler',region_name='us-east-1',endpoint_url=sys.argv[1],aws_access_key_id='t',aws_secret_access_key='t').get_schedule(Name='daily_platform')\n\
        print(json.dumps({'policy':doc,'role':sfn.describe_state_machine(stateMachineArn=m['stateMachineArn'])['roleArn'],'target':s['Target']['Arn'],'expr':s['ScheduleExpression']}))";
    let out = Command::new(&moto.python)
        .args(["-c", script, &moto.endpoint()])
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let wanted: Value = serde_json::from_str(&policy.stdout).expect("policy JSON");
    assert_eq!(seen["policy"], wanted);
    assert_eq!(
        seen["role"],
        "arn:aws:iam::123456789012:role/nagare-daily_platform"
    );
    assert_eq!(seen["target"], format!("{ARN}daily_platform"));
    assert_eq!(seen["expr"], "cron(0 18 * * ? *)");

    // A new schedule is a schedule update, shown first by --diff.
    let later = flow.replace("0 18 * * ? *", "0 19 * * ? *");
    let files = [("daily.flow", later.as_str())];
    deploy(&moto, &files, &["daily.flow", "--create-role", "--diff"])
        .success()
        .stdout_has("schedule daily_platform (cron(0 19 * * ? *), UTC): would be updated");
    deploy(&moto, &files, &["daily.flow", "--create-role"])
        .success()
        .stderr_has("schedule daily_platform (cron(0 19 * * ? *), UTC): updated");

    // A flow whose schedule is gone: the schedule goes too.
    let unscheduled = flow.replace("schedule cron(\"0 18 * * ? *\")", "");
    assert_ne!(unscheduled, flow);
    let files = [("daily.flow", unscheduled.as_str())];
    deploy(&moto, &files, &["daily.flow", "--create-role", "--diff"])
        .success()
        .stdout_has("schedule daily_platform: would be deleted");
    deploy(&moto, &files, &["daily.flow", "--create-role"])
        .success()
        .stderr_has("schedule daily_platform: deleted");
    deploy(&moto, &files, &["daily.flow", "--create-role", "--diff"])
        .success()
        .stdout_has("no changes")
        .stdout_lacks("schedule");
}

#[test]
fn live_lambda_and_ecs_tasks_call_aws_and_the_rest_stays_mocked() {
    let Some(moto) = Moto::start() else { return };
    let ids = moto.setup();
    // Each DescribeTasks moves the task one step towards STOPPED, so the
    // .sync wait really polls (moto jumps straight to STOPPED otherwise).
    moto.post(
        "/moto-api/state-manager/set-transition",
        r#"{"model_name": "ecs::task", "transition": {"progression": "manual", "times": 1}}"#,
    );
    let flow = format!(
        r#"flow live {{
  transform greet {{
    run lambda "echo" {{ payload: {{ who: $.input.who }} }}
    result {{ said: $.Payload.who }}
  }}
  visualize crunch after greet {{
    run ecs {{
      launch_type: "FARGATE"
      cluster: "jobs"
      task_definition: "crunch:1"
      subnets: ["{}"]
      security_groups: ["{}"]
      command: ["go"]
    }}
    result {{ status: $.LastStatus, exit: $.Containers[0].ExitCode }}
  }}
  visualize report after crunch {{
    run sns {{ topic: "arn:aws:sns:us-east-1:123456789012:t", message: "done" }}
  }}
}}
"#,
        ids["subnet"].as_str().expect("subnet"),
        ids["security_group"].as_str().expect("group")
    );
    let run = moto
        .nagare(Test::new().file("live.flow", &flow).args([
            "run",
            "live.flow",
            "--input",
            r#"{"who": "nagare"}"#,
            "--format",
            "json",
            "--live",
            "greet,crunch",
        ]))
        .success();
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        doc["output"]["greet"],
        serde_json::json!({"said": "nagare"})
    );
    assert_eq!(
        doc["output"]["crunch"],
        serde_json::json!({"status": "STOPPED", "exit": 0})
    );
    assert_eq!(doc["unmocked"], serde_json::json!(["report"]));
    let sources: Vec<&str> = doc["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["type"] == "TaskSucceeded")
        .filter_map(|e| e["details"]["source"].as_str())
        .collect();
    assert_eq!(sources, ["live", "live", "unmocked"]);

    // The answer is Lambda's: moto's Docker-less Lambda returns what its
    // queue holds. (It cannot raise a function error or a missing function;
    // the unit tests of aws::live map those.)
    moto.post(
        "/moto-api/static/lambda-simple/response",
        r#"{"results": ["{\"who\": \"queued\"}"], "region": "us-east-1"}"#,
    );
    let queued = moto
        .nagare(Test::new().file("live.flow", &flow).args([
            "run",
            "live.flow",
            "--input",
            r#"{"who": "x"}"#,
            "--format",
            "json",
            // Alone: every Lambda and ECS task runs live, the SNS one not.
            "--live",
        ]))
        .success();
    let doc: Value = serde_json::from_str(&queued.stdout).expect("JSON");
    assert_eq!(
        doc["output"]["greet"],
        serde_json::json!({"said": "queued"})
    );
}

#[test]
fn live_runs_refuse_what_cannot_run_live_before_calling_anything() {
    // No server: these fail before any request.
    let flow = PIPELINE;
    aws_env(
        Test::new()
            .file("p.flow", flow)
            .args(["run", "p.flow", "--live", "report"]),
    )
    .run()
    .code(2)
    .stderr_has("nagare::E308")
    .stderr_has("arn:aws:states:::sns:publish");
    aws_env(
        Test::new()
            .file("p.flow", flow)
            .args(["run", "p.flow", "--live", "shap"]),
    )
    .run()
    .code(2)
    .stderr_has("nagare::E309")
    .stderr_has("did you mean `shape`");
}

#[test]
fn missing_region_credentials_or_endpoint_are_diagnosed() {
    let files = ("p.flow", PIPELINE);
    aws_env(
        Test::new()
            .file(files.0, files.1)
            .args(["deploy", "p.flow"]),
    )
    .env_remove("AWS_REGION")
    .run()
    .code(2)
    .stderr_has("nagare::E300")
    .stderr_has("--region");
    let no_keys = aws_env(
        Test::new()
            .file(files.0, files.1)
            .args(["deploy", "p.flow"]),
    )
    .env_remove("AWS_ACCESS_KEY_ID")
    .env_remove("AWS_SECRET_ACCESS_KEY")
    .run()
    .code(2)
    .stderr_has("nagare::E301");
    assert!(!no_keys.stderr.contains(SECRET), "{}", no_keys.stderr);
    let unreachable = aws_env(Test::new().file(files.0, files.1).args([
        "deploy",
        "p.flow",
        "--endpoint-url",
        &dead_endpoint(),
    ]))
    .run()
    .code(2)
    .stderr_has("nagare::E306")
    .stderr_has("--endpoint-url");
    // The secret never appears, whatever went wrong.
    assert!(
        !unreachable.stderr.contains(SECRET),
        "{}",
        unreachable.stderr
    );
}

#[test]
fn profiles_and_the_region_flag_pick_where_to_deploy() {
    let Some(moto) = Moto::start() else { return };
    let config = "[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIDEV\naws_secret_access_key = s3cr3t-never-printed\n";
    // The profile's region and keys, from the config file AWS_CONFIG_FILE names.
    let dir = tempfile::tempdir().expect("dir");
    let config_path = dir.path().join("config");
    std::fs::write(&config_path, config).expect("config");
    let run = |args: &[&str]| {
        let out = aws_env(Test::new().file("p.flow", PIPELINE).args(args))
            .env("AWS_ENDPOINT_URL", &moto.endpoint())
            .env("AWS_CONFIG_FILE", config_path.to_str().expect("utf-8"))
            .env_remove("AWS_REGION")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .run();
        assert!(!out.stderr.contains(SECRET), "{}", out.stderr);
        out
    };
    run(&["deploy", "p.flow", "--profile", "dev", "--role-arn", ROLE])
        .success()
        .stdout_has("arn:aws:states:eu-west-1:123456789012:stateMachine:pipeline");
    // --region overrides the profile's.
    run(&[
        "deploy",
        "p.flow",
        "--profile",
        "dev",
        "--region",
        "ap-northeast-1",
        "--role-arn",
        ROLE,
    ])
    .success()
    .stdout_has("arn:aws:states:ap-northeast-1:");
    // A profile that is not there: no region, no credentials, said so.
    run(&["deploy", "p.flow", "--profile", "nosuch"])
        .code(2)
        .stderr_has("nagare::E30");
}

#[test]
fn a_live_ecs_task_that_outlives_its_timeout_is_stopped_and_times_out() {
    let Some(moto) = Moto::start() else { return };
    let ids = moto.setup();
    // The task never gets to STOPPED by itself (a thousand polls per step).
    moto.post(
        "/moto-api/state-manager/set-transition",
        r#"{"model_name": "ecs::task", "transition": {"progression": "manual", "times": 1000}}"#,
    );
    let flow = format!(
        r#"flow slow {{
  visualize crunch {{
    run ecs {{
      launch_type: "FARGATE"
      cluster: "jobs"
      task_definition: "crunch:1"
      subnets: ["{}"]
    }}
    timeout 2s
  }}
}}
"#,
        ids["subnet"].as_str().expect("subnet")
    );
    let run = moto
        .nagare(
            Test::new()
                .file("slow.flow", &flow)
                .args(["run", "slow.flow", "--live"]),
        )
        .code(1);
    assert!(
        run.stdout
            .contains("States.Timeout: the task ran longer than 2 seconds"),
        "{}",
        run.stdout
    );
}
