//! The Distributed Map through `nagare run --s3-dir`: items read from local
//! files standing in for S3 (CSV, JSON, JSON Lines, a bucket listing),
//! ItemSelector, ItemBatcher, tolerated failures, MaxConcurrency and the
//! ResultWriter's files. AWS's pages: "Using Map state in Distributed mode
//! for large-scale parallel workloads in Step Functions", "ItemReader
//! (Map)", "ItemBatcher (Map)", "ResultWriter (Map)", "How Step Functions
//! parses input CSV files".

use serde_json::{Value, json};

use crate::harness::{Output, Test};

const ORDERS: &str =
    "id,item,amount\n1,apple,3\n2,\"pear, green\",5\n3,fig,-1\n4,kiwi,2\n5,plum,4\n";

/// A JSONata Distributed Map over orders.csv, in batches of two; a batch
/// holding a negative amount fails.
fn csv_machine(tolerated: u64, writer: bool) -> Value {
    let mut map = json!({
        "Type": "Map",
        "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "Arguments": {"Bucket": "data", "Key": "{% $states.input.key %}"},
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}
        },
        "ItemSelector": {
            "id": "{% $number($states.context.Map.Item.Value.id) %}",
            "amount": "{% $number($states.context.Map.Item.Value.amount) %}"
        },
        "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"run": "{% $states.input.key %}"}},
        "ToleratedFailureCount": tolerated,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Check",
            "States": {
                "Check": {
                    "Type": "Choice",
                    "Choices": [{"Condition": "{% $count($states.input.Items[amount < 0]) > 0 %}", "Next": "Bad"}],
                    "Default": "Sum"
                },
                "Bad": {"Type": "Fail", "Error": "Negative", "Cause": "a negative amount"},
                "Sum": {
                    "Type": "Pass",
                    "Output": {"total": "{% $sum($states.input.Items.amount) %}", "run": "{% $states.input.BatchInput.run %}"},
                    "End": true
                }
            }
        },
        "End": true
    });
    if writer {
        map["ResultWriter"] = json!({
            "Resource": "arn:aws:states:::s3:putObject",
            "Arguments": {"Bucket": "data", "Prefix": "out"}
        });
    }
    json!({"QueryLanguage": "JSONata", "StartAt": "Each", "States": {"Each": map}})
}

fn run(definition: &Value, input: &str, files: &[(&str, &str)]) -> Output {
    let mut test = Test::new().file("m.asl.json", definition.to_string());
    for (name, body) in files {
        test = test.file(name, body);
    }
    test.args([
        "run",
        "m.asl.json",
        "--input",
        input,
        "--s3-dir",
        "s3",
        "--format",
        "json",
    ])
    .run()
}

fn report(out: &Output) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", out.stdout, out.stderr))
}

#[test]
fn csv_items_are_selected_batched_and_failures_tolerated() {
    let out = run(
        &csv_machine(2, false),
        r#"{"key": "in/orders.csv"}"#,
        &[("s3/data/in/orders.csv", ORDERS)],
    );
    let report = report(&out);
    assert_eq!(report["status"], "SUCCEEDED", "{report}");
    let output = &report["output"];
    assert_eq!(output[0], json!({"total": 8, "run": "in/orders.csv"}));
    // The failed batch (items 3 and 4) is its execution record, unchanged.
    assert_eq!(output[1]["Status"], "FAILED");
    assert_eq!(output[1]["Error"], "Negative");
    let batch: Value =
        serde_json::from_str(output[1]["Input"].as_str().expect("input text")).expect("JSON");
    assert_eq!(
        batch,
        json!({"BatchInput": {"run": "in/orders.csv"}, "Items": [{"id": 3, "amount": -1}, {"id": 4, "amount": 2}]})
    );
    assert_eq!(output[2], json!({"total": 4, "run": "in/orders.csv"}));
    let kinds: Vec<&str> = report["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["type"].as_str())
        .filter(|k| k.starts_with("MapRun") || k.starts_with("MapState"))
        .collect();
    assert_eq!(
        kinds,
        [
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited"
        ]
    );
}

#[test]
fn more_failed_items_than_tolerated_fail_the_run() {
    // Two items failed (the batch of 3 and 4): a count of 1 is exceeded.
    let out = run(
        &csv_machine(1, false),
        r#"{"key": "in/orders.csv"}"#,
        &[("s3/data/in/orders.csv", ORDERS)],
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    let report = report(&out);
    assert_eq!(report["error"], "States.ExceedToleratedFailureThreshold");
    assert_eq!(
        report["cause"],
        "The specified tolerated failure threshold was exceeded"
    );
}

#[test]
fn the_result_writer_writes_manifest_and_result_files() {
    let out = run(
        &csv_machine(2, true),
        r#"{"key": "in/orders.csv"}"#,
        &[("s3/data/in/orders.csv", ORDERS)],
    );
    let report = report(&out);
    assert_eq!(report["status"], "SUCCEEDED", "{report}");
    let key = report["output"]["ResultWriterDetails"]["Key"]
        .as_str()
        .expect("key");
    assert!(
        key.starts_with("out/") && key.ends_with("/manifest.json"),
        "{key}"
    );
    assert_eq!(report["output"]["ResultWriterDetails"]["Bucket"], "data");
    let bucket = out.dir.path().join("s3/data");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(bucket.join(key)).expect("manifest")).expect("JSON");
    assert_eq!(manifest["DestinationBucket"], "data");
    assert_eq!(manifest["MapRunArn"], report["output"]["MapRunArn"]);
    let file = |status: &str| -> Value {
        let entry = &manifest["ResultFiles"][status][0];
        let path = bucket.join(entry["Key"].as_str().expect("key"));
        let bytes = std::fs::read(path).expect("result file");
        assert_eq!(entry["Size"], bytes.len());
        serde_json::from_slice(&bytes).expect("JSON")
    };
    let succeeded = file("SUCCEEDED");
    assert_eq!(succeeded.as_array().map(Vec::len), Some(2));
    assert_eq!(succeeded[0]["Status"], "SUCCEEDED");
    let output: Value =
        serde_json::from_str(succeeded[0]["Output"].as_str().expect("text")).expect("JSON");
    assert_eq!(output, json!({"total": 8, "run": "in/orders.csv"}));
    assert_eq!(file("FAILED")[0]["Cause"], "a negative amount");
    assert_eq!(manifest["ResultFiles"]["PENDING"], json!([]));
}

#[test]
fn json_lines_listings_and_pointers_are_read() {
    let collect = |reader: Value| {
        json!({
            "StartAt": "Each",
            "States": {"Each": {
                "Type": "Map",
                "ItemReader": reader,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "Echo",
                    "States": {"Echo": {"Type": "Pass", "End": true}}
                },
                "End": true
            }}
        })
    };
    let files = [
        ("s3/b/rows.jsonl", "{\"n\": 1}\n{\"n\": 2}\n"),
        (
            "s3/b/doc.json",
            "{\"data\": {\"rows\": [\"x\", \"y\", \"z\"]}}",
        ),
        ("s3/b/logs/2.txt", "22"),
        ("s3/b/logs/1.txt", "1"),
    ];
    let lines = collect(json!({
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "b", "Key": "rows.jsonl"},
        "ReaderConfig": {"InputType": "JSONL"}
    }));
    assert_eq!(
        report(&run(&lines, "{}", &files))["output"],
        json!([{"n": 1}, {"n": 2}])
    );
    let pointer = collect(json!({
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "b", "Key": "doc.json"},
        "ReaderConfig": {"InputType": "JSON", "ItemsPointer": "/data/rows", "MaxItems": 2}
    }));
    assert_eq!(
        report(&run(&pointer, "{}", &files))["output"],
        json!(["x", "y"])
    );
    let listing = collect(json!({
        "Resource": "arn:aws:states:::s3:listObjectsV2",
        "Parameters": {"Bucket": "b", "Prefix.$": "$.prefix"}
    }));
    let listed = report(&run(&listing, r#"{"prefix": "logs/"}"#, &files))["output"].clone();
    let keys: Vec<&str> = listed
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|o| o["Key"].as_str())
        .collect();
    assert_eq!(keys, ["logs/1.txt", "logs/2.txt"]);
    assert_eq!(listed[1]["Size"], 2);
    assert_eq!(listed[1]["StorageClass"], "STANDARD");
}

#[test]
fn a_missing_object_or_directory_is_the_readers_failure() {
    let machine = csv_machine(0, false);
    let out = run(
        &machine,
        r#"{"key": "in/none.csv"}"#,
        &[("s3/data/in/orders.csv", ORDERS)],
    );
    assert_eq!(out.code, 1);
    let report = report(&out);
    assert_eq!(report["error"], "States.ItemReaderFailed");
    assert!(
        report["cause"]
            .as_str()
            .is_some_and(|c| c.contains("NoSuchKey")),
        "{report}"
    );
    let escape = run(&machine, r#"{"key": "../../etc/passwd"}"#, &[]);
    assert_eq!(
        crate::distributed::report(&escape)["error"],
        "States.ItemReaderFailed"
    );
    let out = Test::new()
        .file("m.asl.json", machine.to_string())
        .args(["run", "m.asl.json", "--input", r#"{"key": "k"}"#])
        .run();
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("--s3-dir"), "{}", out.stdout);
}

#[test]
fn max_concurrency_bounds_children_and_they_see_no_outer_variables() {
    let machine = json!({
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Assign": {"outer": 1}, "Next": "Each"},
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "MaxConcurrency": 2,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Nap",
                    "States": {
                        "Nap": {"Type": "Wait", "Seconds": 10, "Next": "Look"},
                        "Look": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $exists($outer) %}", "End": true}
                    }
                },
                "End": true
            }
        }
    });
    let out = Test::new()
        .file("m.asl.json", machine.to_string())
        .args([
            "run",
            "m.asl.json",
            "--input",
            r#"{"items": [1, 2, 3, 4, 5]}"#,
            "--format",
            "json",
        ])
        .run();
    let report = report(&out);
    assert_eq!(report["output"], json!([false, false, false, false, false]));
    // Five children of 10 s, two at a time: 30 s.
    assert_eq!(report["duration_ms"], 30_000);
    // The checker warns that `$outer` is not visible inside.
    let checked = Test::new()
        .file("m.asl.json", machine.to_string())
        .args(["check", "m.asl.json"])
        .run();
    assert!(checked.stderr.contains("W222"), "{}", checked.stderr);
}
