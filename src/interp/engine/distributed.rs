//! The Distributed Map, locally ("Using Map state in Distributed mode for
//! large-scale parallel workloads in Step Functions"): items from the
//! state's data or from S3 (`ItemReader`, through `--s3-dir`), each
//! shaped by `ItemSelector`, grouped by `ItemBatcher`, and run as child
//! executions that see none of the parent's variables. Failed children
//! are counted against `ToleratedFailureCount`/`Percentage` rather than
//! stopping the run; `ResultWriter` writes the results back to S3.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use serde_json::{Map as JsonMap, Value, json};

use super::super::data::{self, Env, Payload, filter, template};
use super::super::failure::{self, Failure};
use super::super::history::Detail;
use super::super::jsonata as query;
use super::super::reader;
use super::super::time::format_millis;
use super::{Engine, Failed, Outputs, Selector};
use crate::asl::{Map, Setting, SubMachine};

/// One child execution's input and how it ended.
struct Child {
    index: usize,
    input: Payload,
    /// How many items it ran (a batch runs several).
    items: usize,
    outcome: Result<Payload, Failure>,
    start: i64,
    end: i64,
}

impl<'t> Engine<'t> {
    pub(super) fn distributed_map(
        &mut self,
        name: &str,
        state: &Map,
        processor: &SubMachine,
        input: Payload,
        now: i64,
    ) -> Result<(Payload, i64), Failed> {
        let at = |f: Failure| (f, now);
        let jsonata = self.jsonata(state.query_language);
        let effective = self.map_input(state, jsonata, &input).map_err(at)?;
        let concurrency = self
            .setting(
                name,
                jsonata,
                &effective,
                &state.max_concurrency,
                &state.max_concurrency_path,
                "MaxConcurrency",
            )
            .map_err(at)?
            .unwrap_or(0) as usize;
        let tolerated_count = self
            .setting(
                name,
                jsonata,
                &effective,
                &state.tolerated_failure_count,
                &state.tolerated_failure_count_path,
                "ToleratedFailureCount",
            )
            .map_err(at)?;
        let tolerated_percentage = self
            .percentage(name, jsonata, &effective, state)
            .map_err(at)?;
        // Items in the state's data are counted at the start; items in S3
        // are read once the Map Run has started (AWS's history shows 0).
        let inline_items = match &state.item_reader {
            Some(_) => None,
            None => Some(
                self.state_items(name, state, jsonata, &effective)
                    .map_err(at)?,
            ),
        };
        self.map_run = Some(self.map_run_arn(name));
        self.event(
            now,
            "MapStateStarted",
            Detail::default().with_index(inline_items.as_ref().map_or(0, Vec::len)),
        )?;
        self.event(now, "MapRunStarted", Detail::default())?;
        let run_failed = |engine: &mut Self, failure: Failure, at: i64| -> Failed {
            let recorded = engine
                .event(at, "MapRunFailed", Detail::failed(&failure))
                .and_then(|()| engine.event(at, "MapStateFailed", Detail::failed(&failure)));
            match recorded {
                Ok(()) => (failure, at),
                Err(limit) => limit,
            }
        };
        let items = match (inline_items, &state.item_reader) {
            (Some(items), _) => items,
            (None, Some(reader)) => match self.read_items(name, jsonata, reader, &effective) {
                Ok(items) => items,
                Err(failure) => return Err(run_failed(self, failure, now)),
            },
            (None, None) => Vec::new(),
        };
        if items.len() > self.limits.max_map_items {
            let failure = Failure::runtime(format!(
                "the Map has {} items; the limit is {}",
                items.len(),
                self.limits.max_map_items
            ));
            return Err(run_failed(self, failure, now));
        }
        let selector = Selector::of(state, jsonata, name);
        let total = items.len();
        let mut selected = Vec::with_capacity(total);
        for (index, item) in items.into_iter().enumerate() {
            match self.iteration_input(&selector, &effective, index, item, now) {
                Ok(built) => selected.push(Arc::unwrap_or_clone(built)),
                Err((failure, at)) => return Err(run_failed(self, failure, at)),
            }
        }
        let inputs = match &state.item_batcher {
            Some(batcher) => match self.batches(name, jsonata, batcher, &effective, selected) {
                Ok(batches) => batches,
                Err(failure) => return Err(run_failed(self, failure, now)),
            },
            None => selected.into_iter().map(|item| (item, 1)).collect(),
        };
        let children = self.run_children(processor, inputs, concurrency, now)?;
        let end = children.iter().map(|c| c.end).max().unwrap_or(now);
        // Tolerance counts items: every item of a failed batch failed.
        let failed: usize = children
            .iter()
            .filter(|c| c.outcome.is_err())
            .map(|c| c.items)
            .sum();
        let percent = if total == 0 {
            0.0
        } else {
            failed as f64 * 100.0 / total as f64
        };
        // The run fails when a threshold is exceeded (strictly); with
        // neither set, any failure fails it.
        let exceeded = match (tolerated_count, tolerated_percentage) {
            (None, None) => failed > 0,
            (count, pct) => {
                count.is_some_and(|c| failed as u64 > c) || pct.is_some_and(|p| percent > p)
            }
        };
        if exceeded {
            let failure = Failure::new(
                failure::TOLERATED,
                "The specified tolerated failure threshold was exceeded",
            );
            return Err(run_failed(self, failure, end));
        }
        self.event(end, "MapRunSucceeded", Detail::default())?;
        let result = match &state.result_writer {
            Some(writer) => self
                .write_results(name, jsonata, writer, &effective, &children)
                .map_err(|f| (f, end))?,
            None => Value::Array(self.entries(&children, "COMPACT")),
        };
        self.event(end, "MapStateSucceeded", Detail::default())?;
        self.result_to_output(name, jsonata, Outputs::of(state), input, Arc::new(result))
            .map(|output| (output, end))
            .map_err(|f| (f, end))
    }

    /// A Map's effective input: its input (JSONata), or what `InputPath`
    /// selects of it (JSONPath).
    pub(super) fn map_input(
        &mut self,
        state: &Map,
        jsonata: bool,
        input: &Payload,
    ) -> Result<Payload, Failure> {
        if jsonata {
            return Ok(input.clone());
        }
        filter(
            &state.input_path,
            input.clone(),
            &Env::new(&self.context, &self.vars),
        )
    }

    /// Each child on a free slot of `concurrency` (0: all at once), in a
    /// scope of its own with no outer variables; a failure is recorded,
    /// not propagated, unless the whole execution timed out.
    fn run_children(
        &mut self,
        processor: &SubMachine,
        inputs: Vec<(Value, usize)>,
        concurrency: usize,
        now: i64,
    ) -> Result<Vec<Child>, Failed> {
        let mut slots: BinaryHeap<Reverse<i64>> = BinaryHeap::new();
        let mut children = Vec::with_capacity(inputs.len());
        self.depth += 1;
        for (index, (input, items)) in inputs.into_iter().enumerate() {
            let start = if concurrency == 0 || slots.len() < concurrency {
                now
            } else {
                slots.pop().map_or(now, |Reverse(t)| t.max(now))
            };
            let input = Arc::new(input);
            self.event(
                start,
                "MapIterationStarted",
                Detail::default().with_index(index),
            )?;
            let saved = self.context.get("State").cloned();
            // A child execution sees none of the parent's variables.
            let outer = std::mem::take(&mut self.vars);
            let run = self.run_states(&processor.states, &processor.start_at, input.clone(), start);
            self.vars = outer;
            if let (Some(saved), Value::Object(ctx)) = (saved, &mut self.context) {
                ctx.insert("State".into(), saved);
            }
            let (outcome, end) = match run {
                Ok((output, end)) => {
                    self.event(
                        end,
                        "MapIterationSucceeded",
                        Detail::default().with_index(index),
                    )?;
                    (Ok(output), end)
                }
                Err((failure, end)) if self.timed_out => {
                    self.depth -= 1;
                    return Err((failure, end));
                }
                Err((failure, end)) => {
                    self.event(
                        end,
                        "MapIterationFailed",
                        Detail::failed(&failure).with_index(index),
                    )?;
                    (Err(failure), end)
                }
            };
            slots.push(Reverse(end));
            children.push(Child {
                index,
                input,
                items,
                outcome,
                start,
                end,
            });
        }
        self.depth -= 1;
        Ok(children)
    }

    /// `Items` (JSONata) or `ItemsPath` (JSONPath), or the input itself.
    pub(super) fn state_items(
        &mut self,
        name: &str,
        state: &Map,
        jsonata: bool,
        effective: &Value,
    ) -> Result<Vec<Value>, Failure> {
        let items = match (&state.items, &state.items_path) {
            (items, _) if jsonata => {
                // `Items` defaults to the state input.
                let default = Value::String("{% $states.input %}".into());
                return self.scope(name, effective).typed(
                    items.as_ref().unwrap_or(&default),
                    "Items",
                    query::array,
                );
            }
            (_, Some(path)) if !jsonata => {
                data::read(path, effective, &Env::new(&self.context, &self.vars))?
            }
            _ => effective.clone(),
        };
        match items {
            Value::Array(items) => Ok(items),
            other => Err(Failure::runtime(format!(
                "the Map's items must be an array, not {}",
                data::kind(&other)
            ))),
        }
    }

    /// A payload template in either language: `Parameters` (paths) or
    /// `Arguments` (expressions), over the state's effective input.
    fn fill(
        &mut self,
        name: &str,
        jsonata: bool,
        value: &Value,
        field: &str,
        effective: &Value,
    ) -> Result<Value, Failure> {
        if jsonata {
            self.scope(name, effective).value(value, field)
        } else {
            template(
                value,
                effective,
                &Env::new(&self.context, &self.vars),
                &mut self.rng,
            )
        }
    }

    /// A whole-number field of an object (`ReaderConfig`, `ItemBatcher`):
    /// a number, an expression (JSONata) or a `…Path` (JSONPath).
    fn count_in(
        &mut self,
        name: &str,
        jsonata: bool,
        object: &Value,
        key: &str,
        effective: &Value,
    ) -> Result<Option<u64>, Failure> {
        let setting = match object.get(key) {
            Some(Value::String(e)) => Some(Setting::Expression(e.clone())),
            Some(v) => Some(Setting::Fixed(v.as_u64().ok_or_else(|| {
                Failure::runtime(format!("`{key}` must be a non-negative integer, not {v}"))
            })?)),
            None => None,
        };
        let path = object
            .get(format!("{key}Path"))
            .and_then(Value::as_str)
            .map(str::to_string);
        self.setting(name, jsonata, effective, &setting, &path, key)
    }

    /// A whole-number setting: written out, an expression, or a path.
    pub(super) fn setting(
        &mut self,
        name: &str,
        jsonata: bool,
        effective: &Value,
        setting: &Option<Setting<u64>>,
        path: &Option<String>,
        field: &str,
    ) -> Result<Option<u64>, Failure> {
        match (setting, path) {
            (Some(Setting::Fixed(n)), _) => Ok(Some(*n)),
            (Some(Setting::Expression(e)), _) if jsonata => self
                .scope(name, effective)
                .typed(&Value::String(e.clone()), field, query::count(0))
                .map(Some),
            (_, Some(p)) if !jsonata => {
                let value = data::read(p, effective, &Env::new(&self.context, &self.vars))?;
                value.as_u64().map(Some).ok_or_else(|| {
                    Failure::runtime(format!(
                        "{field}Path must select a non-negative integer, not {}",
                        data::preview(&value)
                    ))
                })
            }
            _ => Ok(None),
        }
    }

    fn percentage(
        &mut self,
        name: &str,
        jsonata: bool,
        effective: &Value,
        state: &Map,
    ) -> Result<Option<f64>, Failure> {
        let in_range = |value: &Value| -> Result<f64, &'static str> {
            value
                .as_f64()
                .filter(|p| (0.0..=100.0).contains(p))
                .ok_or("number between 0 and 100")
        };
        let out_of_range = |value: &Value| {
            Failure::runtime(format!(
                "ToleratedFailurePercentage must be between 0 and 100, not {}",
                data::preview(value)
            ))
        };
        match (
            &state.tolerated_failure_percentage,
            &state.tolerated_failure_percentage_path,
        ) {
            (Some(Setting::Fixed(n)), _) => Ok(n.as_f64()),
            (Some(Setting::Expression(e)), _) if jsonata => self
                .scope(name, effective)
                .typed(
                    &Value::String(e.clone()),
                    "ToleratedFailurePercentage",
                    in_range,
                )
                .map(Some),
            (_, Some(p)) if !jsonata => {
                let value = data::read(p, effective, &Env::new(&self.context, &self.vars))?;
                in_range(&value).map(Some).map_err(|_| out_of_range(&value))
            }
            _ => Ok(None),
        }
    }

    fn read_items(
        &mut self,
        name: &str,
        jsonata: bool,
        reader: &Value,
        effective: &Value,
    ) -> Result<Vec<Value>, Failure> {
        let resource = reader
            .get("Resource")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let field = if jsonata { "Arguments" } else { "Parameters" };
        let parameters = match reader.get(field) {
            Some(p) => self.fill(name, jsonata, p, &format!("ItemReader/{field}"), effective)?,
            None => Value::Object(JsonMap::new()),
        };
        let config = reader.get("ReaderConfig").cloned().unwrap_or(Value::Null);
        let max_items = self.count_in(name, jsonata, &config, "MaxItems", effective)?;
        reader::items(
            self.s3.as_deref(),
            resource,
            &parameters,
            &config,
            max_items,
        )
    }

    /// Groups items into batches of at most `MaxItemsPerBatch` items and
    /// `MaxInputBytesPerBatch` bytes; each child gets `{"Items": […]}`,
    /// with `BatchInput` when it is given.
    fn batches(
        &mut self,
        name: &str,
        jsonata: bool,
        batcher: &Value,
        effective: &Value,
        items: Vec<Value>,
    ) -> Result<Vec<(Value, usize)>, Failure> {
        let max_items = self.count_in(name, jsonata, batcher, "MaxItemsPerBatch", effective)?;
        let max_bytes =
            self.count_in(name, jsonata, batcher, "MaxInputBytesPerBatch", effective)?;
        let batch_input = match batcher.get("BatchInput") {
            Some(b) => Some(self.fill(name, jsonata, b, "ItemBatcher/BatchInput", effective)?),
            None => None,
        };
        let size = |v: &Value| serde_json::to_vec(v).map_or(0, |b| b.len());
        // `{"Items":[]}` and the batch input, before any item.
        let base = 12 + batch_input.as_ref().map_or(0, |b| size(b) + 14);
        let mut batches = Vec::new();
        let mut current: Vec<Value> = Vec::new();
        let mut bytes = base;
        for item in items {
            let item_bytes = size(&item) + 1;
            let full_count = max_items.is_some_and(|m| current.len() as u64 >= m);
            let full_bytes = max_bytes.is_some_and(|m| (bytes + item_bytes) as u64 > m);
            if !current.is_empty() && (full_count || full_bytes) {
                batches.push(std::mem::take(&mut current));
                bytes = base;
            }
            bytes += item_bytes;
            current.push(item);
        }
        if !current.is_empty() {
            batches.push(current);
        }
        Ok(batches
            .into_iter()
            .map(|items| {
                let count = items.len();
                let mut batch = JsonMap::new();
                if let Some(input) = &batch_input {
                    batch.insert("BatchInput".into(), input.clone());
                }
                batch.insert("Items".into(), Value::Array(items));
                (Value::Object(batch), count)
            })
            .collect())
    }

    /// `ResultWriter`: with a `Resource`, the results go to S3 and the
    /// state's result says where; with only `WriterConfig`, they are
    /// shaped and kept in the state's result.
    fn write_results(
        &mut self,
        name: &str,
        jsonata: bool,
        writer: &Value,
        effective: &Value,
        children: &[Child],
    ) -> Result<Value, Failure> {
        let config = writer.get("WriterConfig").cloned().unwrap_or(Value::Null);
        let transformation = config.get("Transformation").and_then(Value::as_str);
        let json_lines = config.get("OutputType").and_then(Value::as_str) == Some("JSONL");
        let Some(_) = writer.get("Resource") else {
            let entries = self.entries(children, transformation.unwrap_or("COMPACT"));
            return Ok(Value::Array(entries));
        };
        let field = if jsonata { "Arguments" } else { "Parameters" };
        let parameters = match writer.get(field) {
            Some(p) => self.fill(
                name,
                jsonata,
                p,
                &format!("ResultWriter/{field}"),
                effective,
            )?,
            None => Value::Object(JsonMap::new()),
        };
        let written = |why: String| Failure::new(failure::RESULT_WRITER, why);
        let bucket = parameters
            .get("Bucket")
            .and_then(Value::as_str)
            .ok_or_else(|| written("the ResultWriter's parameters have no `Bucket`".into()))?
            .to_string();
        let prefix = parameters
            .get("Prefix")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(s3) = self.s3.clone() else {
            return Err(written(
                "the ResultWriter writes to S3; give the run a directory to stand in for S3 with --s3-dir DIR".into(),
            ));
        };
        let map_run_arn = self.map_run.clone().unwrap_or_default();
        let run_id = map_run_arn
            .rsplit(':')
            .next()
            .unwrap_or_default()
            .to_string();
        let folder = if prefix.is_empty() {
            run_id.to_string()
        } else {
            format!("{}/{run_id}", prefix.trim_end_matches('/'))
        };
        let mut files = JsonMap::new();
        for (status, succeeded) in [("SUCCEEDED", true), ("FAILED", false)] {
            let chosen: Vec<&Child> = children
                .iter()
                .filter(|c| c.outcome.is_ok() == succeeded)
                .collect();
            let mut listed = Vec::new();
            if !chosen.is_empty() {
                let entries =
                    self.entry_values(&chosen, &map_run_arn, transformation.unwrap_or("NONE"));
                let body = if json_lines {
                    entries.iter().map(|e| format!("{e}\n")).collect::<String>()
                } else {
                    Value::Array(entries).to_string()
                };
                let key = format!("{folder}/{status}_0.json");
                s3.put(&bucket, &key, body.as_bytes()).map_err(written)?;
                listed.push(json!({"Key": key, "Size": body.len()}));
            }
            files.insert(status.into(), Value::Array(listed));
        }
        files.insert("PENDING".into(), json!([]));
        let manifest = json!({
            "DestinationBucket": bucket,
            "MapRunArn": map_run_arn,
            "ResultFiles": files,
        });
        let manifest_key = format!("{folder}/manifest.json");
        s3.put(&bucket, &manifest_key, manifest.to_string().as_bytes())
            .map_err(written)?;
        Ok(json!({
            "MapRunArn": map_run_arn,
            "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key},
        }))
    }

    /// The Map Run's ARN, with a run id from the execution's random
    /// stream (repeatable under `--seed`).
    fn map_run_arn(&mut self, name: &str) -> String {
        let (a, b) = (self.rng.next_seed(), self.rng.next_seed());
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&a.to_le_bytes());
        bytes[8..].copy_from_slice(&b.to_le_bytes());
        let run_id = uuid::Builder::from_random_bytes(bytes).into_uuid();
        let machine = self.context["StateMachine"]["Name"]
            .as_str()
            .unwrap_or("machine");
        format!("arn:aws:states:us-east-1:123456789012:mapRun:{machine}/{name}:{run_id}")
    }

    /// The results kept in the state: COMPACT (the outputs), FLATTEN
    /// (array outputs spread into one list) or NONE (execution records).
    /// A failed child is always its execution record ("ResultWriter
    /// (Map)": failed executions are returned unchanged, as with NONE).
    fn entries(&self, children: &[Child], transformation: &str) -> Vec<Value> {
        let all: Vec<&Child> = children.iter().collect();
        let arn = self.map_run.clone().unwrap_or_default();
        self.entry_values(&all, &arn, transformation)
    }

    fn entry_values(
        &self,
        children: &[&Child],
        map_run_arn: &str,
        transformation: &str,
    ) -> Vec<Value> {
        let mut out = Vec::with_capacity(children.len());
        for child in children {
            match (&child.outcome, transformation) {
                (Ok(output), "FLATTEN") => match &**output {
                    Value::Array(items) => out.extend(items.iter().cloned()),
                    other => out.push(other.clone()),
                },
                (Ok(output), "COMPACT") => out.push(Value::clone(output)),
                _ => out.push(self.record(child, map_run_arn)),
            }
        }
        out
    }

    /// A child execution as DescribeExecution would describe it.
    fn record(&self, child: &Child, map_run_arn: &str) -> Value {
        let machine = self.context["StateMachine"]["Id"]
            .as_str()
            .unwrap_or_default();
        let run = map_run_arn.rsplit(':').next().unwrap_or_default();
        let name = format!("{run}-{}", child.index);
        let mut record = json!({
            "ExecutionArn": format!("{}:{name}", machine.replace(":stateMachine:", ":execution:")),
            "Input": child.input.to_string(),
            "InputDetails": {"Included": true},
            "Name": name,
            "RedriveCount": 0,
            "RedriveStatus": "NOT_REDRIVABLE",
            "RedriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
            "StartDate": format_millis(child.start),
            "StateMachineArn": machine,
            "Status": if child.outcome.is_ok() { "SUCCEEDED" } else { "FAILED" },
            "StopDate": format_millis(child.end),
        });
        match &child.outcome {
            Ok(output) => {
                record["Output"] = Value::String(output.to_string());
                record["OutputDetails"] = json!({"Included": true});
            }
            Err(failure) => {
                record["Error"] = Value::String(failure.error.clone());
                record["Cause"] = Value::String(failure.cause.clone());
                record["RedriveStatus"] = json!("REDRIVABLE");
                record["RedriveStatusReason"] = json!("");
            }
        }
        record
    }
}
