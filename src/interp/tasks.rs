//! Who answers a Task in a dry run: a local program (`--task STATE=CMD`),
//! an AWS Step Functions Local mock configuration (`--mock-config F
//! --test-case N`), or nobody (`{}`, and the state is listed as unmocked).

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Instant;

use serde::Deserialize;
use serde_json::Value;

use super::failure::{self, Failure};

/// A task's answer and how long it took (simulated milliseconds).
pub struct Outcome {
    pub result: Result<Value, Failure>,
    pub millis: i64,
    /// `mock`, `program` or `unmocked`.
    pub source: &'static str,
}

/// Answers tasks; shared by concurrent branches and iterations, hence `Sync`.
pub trait Tasks: Sync {
    /// Answers one call of the Task state `state`, with its effective input.
    fn call(&self, state: &str, resource: &str, input: &Value) -> Outcome;
}

/// The responses of a dry run, and what was asked that nobody answered.
#[derive(Default)]
pub struct DryRun {
    mocks: HashMap<String, Vec<(u64, u64, Response)>>,
    programs: HashMap<String, String>,
    calls: Mutex<HashMap<String, u64>>,
    unmocked: Mutex<BTreeSet<String>>,
}

/// One mocked response: a result or an error.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    Return(Value),
    Throw(Failure),
}

impl DryRun {
    /// Answers `state` with `responses`, one per call; the last repeats.
    pub fn mock(&mut self, state: &str, responses: Vec<Response>) {
        let entries = responses
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i as u64, i as u64, r))
            .collect();
        self.mocks.insert(state.to_string(), entries);
    }

    /// Answers `state` by running `command` with the shell.
    pub fn program(&mut self, state: &str, command: &str) {
        self.programs.insert(state.to_string(), command.to_string());
    }

    /// Loads the test case `case` of an AWS Step Functions Local mock
    /// configuration. `machine` picks the state machine when several have
    /// a test case of that name.
    pub fn load_mock_config(
        &mut self,
        text: &str,
        case: &str,
        machine: &str,
    ) -> Result<(), String> {
        let config: MockConfig =
            serde_json::from_str(text).map_err(|e| format!("not a mock configuration: {e}"))?;
        let holders: Vec<&String> = config
            .state_machines
            .iter()
            .filter(|(_, m)| m.test_cases.contains_key(case))
            .map(|(name, _)| name)
            .collect();
        let chosen = match holders.as_slice() {
            [] => return Err(format!("no state machine in the mock configuration has a test case `{case}`")),
            [one] => *one,
            many => many
                .iter()
                .find(|n| n.as_str() == machine)
                .copied()
                .ok_or_else(|| format!("test case `{case}` is in several state machines ({}); none is named `{machine}`", many.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")))?,
        };
        let test_case = &config.state_machines[chosen].test_cases[case];
        for (state, response_name) in test_case {
            let responses = config.mocked_responses.get(response_name).ok_or_else(|| {
                format!(
                    "state `{state}` uses mocked response `{response_name}`, which is not defined"
                )
            })?;
            let mut entries = Vec::new();
            for (key, response) in responses {
                let (from, to) = attempts(key).ok_or_else(|| {
                    format!("mocked response `{response_name}` has key `{key}`; keys are call numbers such as \"0\" or \"1-2\"")
                })?;
                entries.push((from, to, response.to_response(response_name, key)?));
            }
            entries.sort_by_key(|(from, ..)| *from);
            self.mocks.insert(state.clone(), entries);
        }
        Ok(())
    }

    fn mocked(&self, state: &str, call: u64) -> Option<Response> {
        let entries = self.mocks.get(state)?;
        entries
            .iter()
            .find(|(from, to, _)| (*from..=*to).contains(&call))
            .or_else(|| entries.iter().max_by_key(|(_, to, _)| *to))
            .map(|(.., r)| r.clone())
    }
}

impl DryRun {
    /// Task states that nothing answered, in name order.
    pub fn unmocked(&self) -> Vec<String> {
        lock(&self.unmocked).iter().cloned().collect()
    }
}

/// A lock that a panicking holder cannot poison for the others: the data
/// (counters, names) stays meaningful.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Tasks for DryRun {
    fn call(&self, state: &str, _resource: &str, input: &Value) -> Outcome {
        let call = {
            let mut calls = lock(&self.calls);
            let count = calls.entry(state.to_string()).or_insert(0);
            *count += 1;
            *count - 1
        };
        if let Some(command) = self.programs.get(state) {
            return run_program(command, input);
        }
        match self.mocked(state, call) {
            Some(Response::Return(value)) => Outcome {
                result: Ok(value),
                millis: 0,
                source: "mock",
            },
            Some(Response::Throw(f)) => Outcome {
                result: Err(f),
                millis: 0,
                source: "mock",
            },
            None => {
                lock(&self.unmocked).insert(state.to_string());
                Outcome {
                    result: Ok(Value::Object(Default::default())),
                    millis: 0,
                    source: "unmocked",
                }
            }
        }
    }
}

/// `"0"` → calls 0..=0, `"1-2"` → 1..=2.
fn attempts(key: &str) -> Option<(u64, u64)> {
    match key.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (a <= b).then_some((a, b))
        }
        None => key.trim().parse().ok().map(|n| (n, n)),
    }
}

/// Runs a local program as the task: input on stdin, result on stdout.
fn run_program(command: &str, input: &Value) -> Outcome {
    let started = Instant::now();
    let outcome = |result| Outcome {
        result,
        millis: started.elapsed().as_millis() as i64,
        source: "program",
    };
    let child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            return outcome(Err(Failure::new(
                failure::TASK_FAILED,
                format!("cannot start `{command}`: {e}"),
            )));
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A program that does not read its input is not an error.
        let _ = stdin.write_all(input.to_string().as_bytes());
    }
    let output = match child.wait_with_output() {
        Ok(output) => output,
        Err(e) => {
            return outcome(Err(Failure::new(
                failure::TASK_FAILED,
                format!("`{command}` failed: {e}"),
            )));
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    if output.status.success() {
        let result = if stdout.trim().is_empty() {
            Ok(Value::Object(Default::default()))
        } else {
            serde_json::from_str(&stdout).map_err(|e| {
                Failure::new(
                    failure::TASK_FAILED,
                    format!("`{command}` printed no JSON result: {e}"),
                )
            })
        };
        return outcome(result);
    }
    let reported = serde_json::from_str::<Value>(&stdout).ok().and_then(|v| {
        let error = v.get("Error")?.as_str()?.to_string();
        let cause = v
            .get("Cause")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        Some(Failure::new(error, cause))
    });
    outcome(Err(reported.unwrap_or_else(|| {
        Failure::new(
            failure::TASK_FAILED,
            String::from_utf8_lossy(&output.stderr).trim().to_string(),
        )
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MockConfig {
    #[serde(default)]
    state_machines: HashMap<String, MachineCases>,
    #[serde(default)]
    mocked_responses: HashMap<String, HashMap<String, MockResponse>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MachineCases {
    #[serde(default)]
    test_cases: HashMap<String, HashMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MockResponse {
    #[serde(default)]
    r#return: Option<Value>,
    #[serde(default)]
    throw: Option<Throw>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Throw {
    error: String,
    #[serde(default)]
    cause: String,
}

impl MockResponse {
    fn to_response(&self, name: &str, key: &str) -> Result<Response, String> {
        match (&self.r#return, &self.throw) {
            (Some(v), None) => Ok(Response::Return(v.clone())),
            (None, Some(t)) => Ok(Response::Throw(Failure::new(
                t.error.clone(),
                t.cause.clone(),
            ))),
            _ => Err(format!(
                "mocked response `{name}` call `{key}` needs exactly one of Return or Throw"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mock_configs_answer_by_call_number() {
        let config = json!({
            "StateMachines": { "m": { "TestCases": { "Retry": { "Load": "Flaky" } } } },
            "MockedResponses": { "Flaky": {
                "0": { "Throw": { "Error": "Lambda.ServiceException", "Cause": "busy" } },
                "1-2": { "Return": { "StatusCode": 200 } }
            } }
        });
        let mut dry = DryRun::default();
        dry.load_mock_config(&config.to_string(), "Retry", "m")
            .expect("loads");
        let results: Vec<_> = (0..4)
            .map(|_| dry.call("Load", "arn", &json!({})).result)
            .collect();
        assert_eq!(
            results[0].clone().expect_err("throws").error,
            "Lambda.ServiceException"
        );
        assert_eq!(
            results[1].clone().expect("returns"),
            json!({"StatusCode": 200})
        );
        assert_eq!(
            results[3].clone().expect("the last repeats"),
            json!({"StatusCode": 200})
        );
        let other = dry.call("Other", "arn", &json!({}));
        assert_eq!(other.result.expect("unmocked"), json!({}));
        assert_eq!(dry.unmocked(), ["Other"]);
    }

    #[test]
    fn programs_answer_with_their_output() {
        let mut dry = DryRun::default();
        dry.program("Echo", "cat");
        dry.program(
            "Boom",
            "echo '{\"Error\": \"Custom\", \"Cause\": \"why\"}'; exit 3",
        );
        assert_eq!(
            dry.call("Echo", "arn", &json!({"a": 1}))
                .result
                .expect("echo"),
            json!({"a": 1})
        );
        let failed = dry
            .call("Boom", "arn", &json!({}))
            .result
            .expect_err("fails");
        assert_eq!(
            (failed.error.as_str(), failed.cause.as_str()),
            ("Custom", "why")
        );
    }
}
