//! Interpreter benchmark: a Pass chain (transitions per second), a
//! Pass/Choice counter loop, a Map over 100,000 items and a Parallel of
//! 1,000 branches, each run in-process with the whole history recorded.
//! Run with `cargo bench --bench interp`. Targets (issue 4): at least
//! 1,000,000 transitions/s; the Map in under 2 s and 500 MB.
//! `bench/interp_vs_moto.sh` runs the same workloads through moto.

use std::time::Instant;

// As in the binary (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use serde_json::{Value, json};

fn pass_chain(n: usize) -> Value {
    let states: serde_json::Map<String, Value> = (0..n)
        .map(|i| {
            let state = if i + 1 < n {
                json!({"Type": "Pass", "Next": format!("S{}", i + 1)})
            } else {
                json!({"Type": "Pass", "End": true})
            };
            (format!("S{i}"), state)
        })
        .collect();
    json!({"StartAt": "S0", "States": states})
}

fn counter_loop(iterations: u64) -> Value {
    json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": 0, "ResultPath": "$.i", "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$.i", "NumericGreaterThanEquals": iterations, "Next": "Done"}], "Default": "Add"},
        "Add": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}
    }})
}

fn map_of(items: usize) -> (Value, Value) {
    let definition = json!({"StartAt": "M", "States": {"M": {
        "Type": "Map", "ItemsPath": "$.items", "End": true,
        "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}
    }}});
    let input = json!({"items": (0..items).collect::<Vec<_>>()});
    (definition, input)
}

fn parallel_of(branches: usize) -> Value {
    // State names are unique across branches (AWS rejects repeats).
    let branches: Vec<Value> = (0..branches)
        .map(|i| json!({"StartAt": format!("B{i}"), "States": {format!("B{i}"): {"Type": "Pass", "End": true}}}))
        .collect();
    json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": branches}}})
}

/// Runs a workload `runs` times; prints median time and transitions/s.
fn measure(label: &str, definition: &Value, input: &Value, runs: usize) {
    let machine = nagare::asl::read(&definition.to_string()).expect("a valid definition");
    let options = nagare::interp::Options {
        limits: nagare::interp::Limits {
            max_events: usize::MAX,
            // 100,000 items are far over Step Functions' 256 KiB payloads;
            // the benchmark measures the engine, not the quota.
            max_payload: usize::MAX,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut times = Vec::new();
    let mut events = 0;
    for _ in 0..runs {
        let dry = nagare::interp::DryRun::default();
        let start = Instant::now();
        let execution = nagare::interp::run(&machine, input.clone(), &dry, &options);
        times.push(start.elapsed().as_secs_f64());
        assert_eq!(
            execution.status,
            nagare::interp::Status::Succeeded,
            "{label}: {:?}",
            execution.error
        );
        events = execution.history.len();
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    // A transition is a state entered; its events are entered + exited.
    let transitions = events / 2;
    println!(
        "{label:<28} {:>10.1} ms {:>10} events {:>12.0} transitions/s",
        median * 1e3,
        events,
        transitions as f64 / median
    );
}

/// `cargo bench --bench interp [chain|loop|map|parallel]`: all workloads,
/// or the named ones (to measure one's peak memory alone).
fn main() {
    let chosen: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| chosen.is_empty() || chosen.iter().any(|c| c == name);
    println!("interpreter, in-process, history recorded (median of 5)");
    if wanted("chain") {
        measure(
            "Pass chain, 5,000 states",
            &pass_chain(5_000),
            &json!({}),
            5,
        );
    }
    if wanted("loop") {
        let workload = counter_loop(100_000);
        measure("Pass/Choice loop, 100,000", &workload, &json!({}), 5);
    }
    if wanted("map") {
        let (map, items) = map_of(100_000);
        measure("Map, 100,000 items", &map, &items, 5);
    }
    if wanted("parallel") {
        let workload = parallel_of(1_000);
        measure("Parallel, 1,000 branches", &workload, &json!({"x": 1}), 5);
    }
}
