//! A Distributed Map's `ItemReader`: the items of an S3 object (JSON,
//! JSON Lines or CSV) or the objects of a bucket listing, as AWS's pages
//! "ItemReader (Map)" and "How Step Functions parses input CSV files"
//! describe them.

use serde_json::{Map, Value};

use super::failure::Failure;
use super::s3::{LocalS3, reader_failed};

/// AWS's ceiling on `MaxItems`; above it every item is read.
const MAX_ITEMS: u64 = 100_000_000;

/// Reads the items. `parameters` is the evaluated `Parameters` or
/// `Arguments` (`Bucket` with `Key` or `Prefix`); `config` the
/// `ReaderConfig`; `max_items` its evaluated `MaxItems`.
pub fn items(
    s3: Option<&LocalS3>,
    resource: &str,
    parameters: &Value,
    config: &Value,
    max_items: Option<u64>,
) -> Result<Vec<Value>, Failure> {
    let Some(s3) = s3 else {
        return Err(reader_failed(format!(
            "the ItemReader reads S3 ({resource}); give the run a directory to stand in for S3 with --s3-dir DIR (the object s3://bucket/key is DIR/bucket/key)"
        )));
    };
    let text = |key: &str| parameters.get(key).and_then(Value::as_str);
    let bucket = text("Bucket")
        .ok_or_else(|| reader_failed("the ItemReader's parameters have no `Bucket`".into()))?;
    let api = resource.rsplit(':').next().unwrap_or_default();
    let api = api.split('.').next().unwrap_or(api);
    if config.get("Transformation").and_then(Value::as_str) == Some("LOAD_AND_FLATTEN") {
        return Err(reader_failed(
            "nagare does not read Transformation LOAD_AND_FLATTEN: the objects' contents are not loaded".into(),
        ));
    }
    let mut items = match api {
        "listObjectsV2" => s3
            .list(bucket, text("Prefix").unwrap_or_default())
            .map_err(reader_failed)?,
        "getObject" => {
            let key = text("Key")
                .ok_or_else(|| reader_failed("the ItemReader's parameters have no `Key`".into()))?;
            let bytes = s3.get(bucket, key).map_err(reader_failed)?;
            let input_type = config
                .get("InputType")
                .and_then(Value::as_str)
                .unwrap_or("JSON");
            parse(&bytes, input_type, config)?
        }
        other => {
            return Err(reader_failed(format!(
                "the ItemReader's Resource calls `{other}`; a Distributed Map reads with s3:getObject or s3:listObjectsV2"
            )));
        }
    };
    if let Some(max) = max_items.filter(|m| *m > 0 && *m <= MAX_ITEMS) {
        items.truncate(max as usize);
    }
    Ok(items)
}

/// An object's items by its `InputType`.
pub fn parse(bytes: &[u8], input_type: &str, config: &Value) -> Result<Vec<Value>, Failure> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| reader_failed("the object is not UTF-8 text".into()))?;
    match input_type {
        "JSON" => {
            let value: Value = serde_json::from_str(text)
                .map_err(|e| reader_failed(format!("the object is not JSON: {e}")))?;
            let value = match config.get("ItemsPointer").and_then(Value::as_str) {
                Some(pointer) => value.pointer(pointer).cloned().ok_or_else(|| {
                    reader_failed(format!(
                        "ItemsPointer `{pointer}` finds nothing in the object"
                    ))
                })?,
                None => value,
            };
            match value {
                Value::Array(items) => Ok(items),
                _ => Err(reader_failed(
                    "Attempting to map over non-iterable node.".into(),
                )),
            }
        }
        "JSONL" => text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, line)| {
                serde_json::from_str(line).map_err(|e| {
                    reader_failed(format!("line {} of the object is not JSON: {e}", i + 1))
                })
            })
            .collect(),
        "CSV" => csv(text, config),
        other => Err(reader_failed(format!(
            "nagare does not read {other} objects; it reads JSON, JSONL and CSV"
        ))),
    }
}

fn delimiter(config: &Value) -> Result<char, Failure> {
    Ok(
        match config
            .get("CSVDelimiter")
            .and_then(Value::as_str)
            .unwrap_or("COMMA")
        {
            "COMMA" => ',',
            "PIPE" => '|',
            "SEMICOLON" => ';',
            "SPACE" => ' ',
            "TAB" => '\t',
            other => return Err(reader_failed(format!("unknown CSVDelimiter `{other}`"))),
        },
    )
}

/// CSV: each record an object of the header's fields, every value a
/// string; a short row gets empty strings, a long one loses its extra
/// fields.
fn csv(text: &str, config: &Value) -> Result<Vec<Value>, Failure> {
    let mut rows = records(text, delimiter(config)?).into_iter();
    let headers: Vec<String> = match config.get("CSVHeaderLocation").and_then(Value::as_str) {
        Some("GIVEN") => config
            .get("CSVHeaders")
            .and_then(Value::as_array)
            .map(|h| {
                h.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .ok_or_else(|| reader_failed("CSVHeaderLocation GIVEN needs CSVHeaders".into()))?,
        _ => rows.next().unwrap_or_default(),
    };
    let mut seen = std::collections::HashSet::new();
    if !headers.iter().all(|h| seen.insert(h)) {
        return Err(reader_failed(
            "CSV headers cannot contain duplicates.".into(),
        ));
    }
    Ok(rows
        .map(|row| {
            let mut item = Map::new();
            for (i, header) in headers.iter().enumerate() {
                item.insert(
                    header.clone(),
                    Value::String(row.get(i).cloned().unwrap_or_default()),
                );
            }
            Value::Object(item)
        })
        .collect())
}

/// Splits CSV text into records: quotes are optional, a quoted field may
/// hold the delimiter and line breaks, `""` is a quote, and a backslash
/// escapes a backslash, a quote or the delimiter (any other backslash is
/// dropped), as AWS's CSV page describes.
fn records(text: &str, delimiter: char) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut started = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(&next) = chars.peek()
                    && (next == '\\' || next == '"' || next == delimiter)
                {
                    field.push(next);
                    chars.next();
                }
                started = true;
            }
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            }
            '"' if !started || field.is_empty() => {
                quoted = true;
                started = true;
            }
            c if c == delimiter && !quoted => {
                record.push(std::mem::take(&mut field));
                started = false;
            }
            '\r' if !quoted && chars.peek() == Some(&'\n') => {}
            '\n' if !quoted => {
                record.push(std::mem::take(&mut field));
                started = false;
                let done = std::mem::take(&mut record);
                if !(done.len() == 1 && done[0].is_empty()) {
                    records.push(done);
                }
            }
            c => {
                field.push(c);
                started = true;
            }
        }
    }
    if started || !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_follows_awss_rules() {
        let text = "id,name,note\n1,\"Smith, J\",\"say \"\"hi\"\"\"\n2,short\n3,a\\,b,c,extra\n";
        let items = parse(text.as_bytes(), "CSV", &json!({})).expect("read");
        assert_eq!(
            items,
            vec![
                json!({"id": "1", "name": "Smith, J", "note": "say \"hi\""}),
                json!({"id": "2", "name": "short", "note": ""}),
                json!({"id": "3", "name": "a,b", "note": "c"}),
            ]
        );
        let given =
            json!({"CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"], "CSVDelimiter": "PIPE"});
        assert_eq!(
            parse(b"x|y\r\nz|\"multi\nline\"", "CSV", &given).expect("read"),
            vec![
                json!({"a": "x", "b": "y"}),
                json!({"a": "z", "b": "multi\nline"})
            ]
        );
        let dup = parse(b"a,a\n1,2\n", "CSV", &json!({})).expect_err("duplicates");
        assert_eq!(dup.cause, "CSV headers cannot contain duplicates.");
    }

    #[test]
    fn json_and_json_lines() {
        assert_eq!(
            parse(b"[1, {\"a\": 2}]", "JSON", &json!({})).expect("read"),
            vec![json!(1), json!({"a": 2})]
        );
        let nested = json!({"ItemsPointer": "/data/rows"});
        assert_eq!(
            parse(b"{\"data\": {\"rows\": [3]}}", "JSON", &nested).expect("read"),
            vec![json!(3)]
        );
        let not_array = parse(b"{\"a\": 1}", "JSON", &json!({})).expect_err("object");
        assert_eq!(not_array.error, "States.ItemReaderFailed");
        assert_eq!(
            parse(b"{\"n\": 1}\n\n{\"n\": 2}\n", "JSONL", &json!({})).expect("read"),
            vec![json!({"n": 1}), json!({"n": 2})]
        );
        assert!(parse(b"{\n", "JSONL", &json!({})).is_err());
    }

    #[test]
    fn without_a_directory_the_reader_says_how_to_give_one() {
        let failed = items(
            None,
            "arn:aws:states:::s3:getObject",
            &json!({}),
            &json!({}),
            None,
        )
        .expect_err("no --s3-dir");
        assert!(failed.cause.contains("--s3-dir"), "{}", failed.cause);
    }
}
