//! Map states: the processor and its items, concurrency and failure
//! tolerance, and the Distributed Map's reader, batcher and writer.

use super::Cx;
use super::fields::{Fields, invalid};
use super::json::Node;
use super::transitions::ScopeKind;
use super::values::{self, PathRule};
use crate::diagnostics::Diag;

pub(super) fn state<'a>(cx: &mut Cx<'a>, fields: &Fields<'a>, jsonata: bool) {
    fields.exactly_one(&["ItemProcessor", "Iterator"], &mut cx.diags);
    for (key, kind) in [
        ("ItemProcessor", ScopeKind::Processor),
        ("Iterator", ScopeKind::Iterator),
    ] {
        if let Some(node) = fields.get(key) {
            super::states::machine(cx, node, kind, key);
        }
    }
    if let Some(node) = fields.get("ItemReader") {
        item_reader(cx, node, jsonata);
    }
    if let Some(node) = fields.get("ItemBatcher") {
        item_batcher(cx, node, jsonata);
    }
    if let Some(node) = fields.get("ResultWriter") {
        result_writer(cx, node, jsonata);
    }
    label(cx, fields);
    if jsonata {
        return;
    }
    fields.exclusive(&["ItemSelector", "Parameters"], &mut cx.diags);
    fields.exclusive(&["MaxConcurrency", "MaxConcurrencyPath"], &mut cx.diags);
    fields.exclusive(
        &[
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
        ],
        &mut cx.diags,
    );
    fields.exclusive(
        &["ToleratedFailureCount", "ToleratedFailureCountPath"],
        &mut cx.diags,
    );
    for key in ["ItemSelector", "Parameters"] {
        if let Some(node) = fields.get(key) {
            values::template(node, key, &mut cx.diags);
        }
    }
    if let Some(node) = fields.get("ItemsPath") {
        values::path(node, "ItemsPath", PathRule::Reference, &mut cx.diags);
    }
    fields.integer("MaxConcurrency", 0, u64::from(u32::MAX), &mut cx.diags);
    fields.number("ToleratedFailurePercentage", 0.0, 100.0, &mut cx.diags);
    fields.integer(
        "ToleratedFailureCount",
        0,
        u64::from(u32::MAX),
        &mut cx.diags,
    );
    for key in [
        "MaxConcurrencyPath",
        "ToleratedFailurePercentagePath",
        "ToleratedFailureCountPath",
    ] {
        if let Some(node) = fields.get(key) {
            values::path(node, key, PathRule::Reference, &mut cx.diags);
        }
    }
}

fn label(cx: &mut Cx, fields: &Fields) {
    if let Some((label, node)) = fields.string("Label", &mut cx.diags)
        && label.chars().count() > 40
    {
        cx.diags.push(invalid(
            node,
            "`Label` is longer than 40 characters".into(),
            "too long",
            "AWS takes a Map `Label` of up to 40 characters",
        ));
    }
}

pub(super) fn processor_config(cx: &mut Cx, node: &Node) {
    let Some(fields) = Fields::of(
        node,
        "ProcessorConfig",
        "`ProcessorConfig`".into(),
        &mut cx.diags,
    ) else {
        return;
    };
    fields.only(&["Mode", "ExecutionType"], &[], |_| None, &mut cx.diags);
    fields.require(
        "Mode",
        "`Mode` is \"INLINE\" (iterations in this execution) or \"DISTRIBUTED\" (child executions)",
        &mut cx.diags,
    );
    let mode = fields.string("Mode", &mut cx.diags);
    match mode {
        Some(("INLINE", _)) => {
            if let Some(kind) = fields.member("ExecutionType") {
                cx.diags.push(invalid(
                    &kind.value,
                    "an inline Map has no `ExecutionType`".into(),
                    "only for DISTRIBUTED",
                    "iterations of an inline Map run in the parent execution; remove `ExecutionType`",
                ));
            }
        }
        Some(("DISTRIBUTED", _)) => {
            fields.require(
                "ExecutionType",
                "a Distributed Map runs each batch as a child execution: set `ExecutionType` to \"STANDARD\" or \"EXPRESS\"",
                &mut cx.diags,
            );
        }
        Some((mode, node)) => cx.diags.push(invalid(
            node,
            format!("unknown processor mode `{mode}`"),
            "unknown mode",
            "`Mode` is \"INLINE\" or \"DISTRIBUTED\"",
        )),
        None => {}
    }
    fields.one_of("ExecutionType", &["STANDARD", "EXPRESS"], &mut cx.diags);
}

/// `ItemReader`: where a Distributed Map reads its items (S3).
fn item_reader(cx: &mut Cx, node: &Node, jsonata: bool) {
    let Some(fields) = Fields::of(node, "ItemReader", "`ItemReader`".into(), &mut cx.diags) else {
        return;
    };
    fields.only(
        &["Resource", arguments(jsonata), "ReaderConfig"],
        &[],
        |_| None,
        &mut cx.diags,
    );
    resource_and_parameters(cx, &fields, jsonata);
    let Some(config) = fields.get("ReaderConfig") else {
        return;
    };
    let Some(config) = Fields::of(
        config,
        "ReaderConfig",
        "`ReaderConfig`".into(),
        &mut cx.diags,
    ) else {
        return;
    };
    let mut known = vec![
        "InputType",
        "CSVHeaderLocation",
        "CSVHeaders",
        "CSVDelimiter",
        "ManifestType",
        "ItemsPointer",
        "Transformation",
        "MaxItems",
    ];
    if !jsonata {
        known.push("MaxItemsPath");
    }
    config.only(&known, &[], |_| None, &mut cx.diags);
    config.exclusive(&["MaxItems", "MaxItemsPath"], &mut cx.diags);
    if jsonata {
        super::jsonata::number(cx, &config, "MaxItems", (1.0, 100_000_000.0), true);
    } else {
        config.integer("MaxItems", 1, 100_000_000, &mut cx.diags);
    }
    if let Some(path) = config.get("MaxItemsPath") {
        values::path(path, "MaxItemsPath", PathRule::Reference, &mut cx.diags);
    }
    config.one_of(
        "CSVDelimiter",
        &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"],
        &mut cx.diags,
    );
    config.one_of(
        "Transformation",
        &["NONE", "LOAD_AND_FLATTEN"],
        &mut cx.diags,
    );
    if let Some(headers) = config.array("CSVHeaders", &mut cx.diags) {
        for header in headers {
            if header.as_str().is_none() {
                cx.diags
                    .push(super::fields::wrong_type(header, "CSVHeaders", "a string"));
            }
        }
    }
    config.one_of(
        "InputType",
        &["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"],
        &mut cx.diags,
    );
    config.one_of("CSVHeaderLocation", &["FIRST_ROW", "GIVEN"], &mut cx.diags);
    config.one_of(
        "ManifestType",
        &["ATHENA_DATA", "S3_INVENTORY"],
        &mut cx.diags,
    );
}

/// The largest batch input AWS accepts, in bytes (256 KiB).
const MAX_BATCH_BYTES: u64 = 262_144;

/// `ItemBatcher`: how a Distributed Map groups items into batches.
fn item_batcher(cx: &mut Cx, node: &Node, jsonata: bool) {
    let Some(fields) = Fields::of(node, "ItemBatcher", "`ItemBatcher`".into(), &mut cx.diags)
    else {
        return;
    };
    let limits = [
        "MaxItemsPerBatch",
        "MaxItemsPerBatchPath",
        "MaxInputBytesPerBatch",
        "MaxInputBytesPerBatchPath",
    ];
    let mut allowed = if jsonata {
        vec![limits[0], limits[2]]
    } else {
        limits.to_vec()
    };
    allowed.push("BatchInput");
    fields.only(&allowed, &[], |_| None, &mut cx.diags);
    if !limits.iter().any(|k| fields.has(k)) {
        cx.diags.push(Diag::AslMissingField {
            span: fields.opening(),
            field: "MaxItemsPerBatch` or `MaxInputBytesPerBatch".into(),
            place: fields.place.to_string(),
            help: "a batcher needs a limit: `MaxItemsPerBatch`, `MaxInputBytesPerBatch` or their `…Path` forms".into(),
        });
    }
    fields.exclusive(&limits[..2], &mut cx.diags);
    fields.exclusive(&limits[2..], &mut cx.diags);
    if jsonata {
        let items = (1.0, f64::from(u32::MAX));
        super::jsonata::number(cx, &fields, "MaxItemsPerBatch", items, true);
        let bytes = (1.0, MAX_BATCH_BYTES as f64);
        super::jsonata::number(cx, &fields, "MaxInputBytesPerBatch", bytes, true);
        if let Some(input) = fields.get("BatchInput") {
            super::jsonata::template(cx, input, "BatchInput", super::jsonata::PLAIN);
        }
        return;
    }
    fields.integer("MaxItemsPerBatch", 1, u64::from(u32::MAX), &mut cx.diags);
    fields.integer("MaxInputBytesPerBatch", 1, MAX_BATCH_BYTES, &mut cx.diags);
    for key in [limits[1], limits[3]] {
        if let Some(path) = fields.get(key) {
            values::path(path, key, PathRule::Reference, &mut cx.diags);
        }
    }
    if let Some(input) = fields.get("BatchInput") {
        values::template(input, "BatchInput", &mut cx.diags);
    }
}

/// `ResultWriter`: where a Distributed Map writes its results (S3).
fn result_writer(cx: &mut Cx, node: &Node, jsonata: bool) {
    let Some(fields) = Fields::of(node, "ResultWriter", "`ResultWriter`".into(), &mut cx.diags)
    else {
        return;
    };
    let parameters = arguments(jsonata);
    fields.only(
        &["Resource", parameters, "WriterConfig"],
        &[],
        |_| None,
        &mut cx.diags,
    );
    // AWS takes `WriterConfig`, `Resource` with `Parameters`, or all three.
    if fields.has("Resource") || !fields.has("WriterConfig") {
        resource_and_parameters(cx, &fields, jsonata);
        if fields.has("Resource") {
            fields.require(
                parameters,
                &format!(
                    "`{parameters}` says where in S3 to write: `{{ \"Bucket\": …, \"Prefix\": … }}`"
                ),
                &mut cx.diags,
            );
        }
    } else {
        resource_and_parameters(cx, &fields, jsonata);
    }
    let Some(config) = fields.get("WriterConfig") else {
        return;
    };
    let Some(config) = Fields::of(
        config,
        "WriterConfig",
        "`WriterConfig`".into(),
        &mut cx.diags,
    ) else {
        return;
    };
    config.only(
        &["OutputType", "Transformation"],
        &[],
        |_| None,
        &mut cx.diags,
    );
    config.one_of("OutputType", &["JSON", "JSONL"], &mut cx.diags);
    config.one_of(
        "Transformation",
        &["NONE", "COMPACT", "FLATTEN"],
        &mut cx.diags,
    );
}

/// The field that holds an S3 call's parameters.
fn arguments(jsonata: bool) -> &'static str {
    if jsonata { "Arguments" } else { "Parameters" }
}

fn resource_and_parameters(cx: &mut Cx, fields: &Fields, jsonata: bool) {
    if (fields.has("Resource") || !fields.has("WriterConfig"))
        && let Some(resource) = fields.require(
            "Resource",
            "the ARN of the S3 call, such as \"arn:aws:states:::s3:getObject\"",
            &mut cx.diags,
        )
    {
        values::resource(resource, &mut cx.diags);
    }

    match fields.get(arguments(jsonata)) {
        Some(node) if jsonata => {
            super::jsonata::template(cx, node, "Arguments", super::jsonata::PLAIN)
        }
        Some(node) => values::template(node, "Parameters", &mut cx.diags),
        None => {}
    }
}
