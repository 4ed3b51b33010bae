//! The JSONata engine (`nagare::asl::jsonata`) on the official JSONata test
//! suite, as the jsonata-rs crate ships a copy of it (`tests/testsuite/`:
//! `datasets/`, and `groups/` and `skip/` of cases). The crate is a
//! dev-dependency only to bring that copy here; `cargo metadata` finds it,
//! so nothing of the suite is copied into this repository.
//!
//! A case is an object, or a file holds an array of them: `expr` (or
//! `expr-file`), `data` or `dataset` (`null`: no input), `bindings`, and one
//! of `result`, `undefinedResult`, `code` or `error.code`. Numbers compare
//! as doubles, as JavaScript's do.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use nagare::asl::jsonata::{self, Limits};
use serde_json::Value;

/// Cases passed when the engine was adopted (of 1,600): the count may only
/// go up. The failing ones are listed by group with `--nocapture`: two
/// whose expected text jsonata-rs edited (`1e100` for JavaScript's
/// `1e+100`), one error code, the two unreadable files, and three
/// recursion-limit cases that expect jsonata-js's own `U1001`.
const FLOOR: usize = 1592;

fn suite_dir() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", env!("NAGARE_BUILD_TARGET")])
        .arg("--manifest-path")
        .arg(&manifest)
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let package = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "jsonata-rs")
        .expect("jsonata-rs is a dev-dependency");
    let manifest_path = package["manifest_path"].as_str().expect("a manifest path");
    Path::new(manifest_path)
        .parent()
        .expect("the crate's directory")
        .join("tests/testsuite")
}

struct Case {
    id: String,
    expr: String,
    input: Option<Value>,
    bindings: Vec<(String, Value)>,
    expected: Expected,
    time: Option<u64>,
}

#[derive(Debug)]
enum Expected {
    Result(Value),
    Undefined,
    Code(String),
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// The cases, and the files that cannot be read: a lone UTF-16 surrogate
/// (two cases of `$encodeUrl`) is JSON that no Rust string can hold.
fn cases(suite: &Path) -> (Vec<Case>, Vec<String>) {
    let datasets: BTreeMap<String, Value> = std::fs::read_dir(suite.join("datasets"))
        .expect("datasets")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (
                name,
                read_json(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect();
    let (mut out, mut unreadable) = (Vec::new(), Vec::new());
    for part in ["groups", "skip"] {
        let Ok(groups) = std::fs::read_dir(suite.join(part)) else {
            continue;
        };
        let mut groups: Vec<PathBuf> = groups.flatten().map(|e| e.path()).collect();
        groups.sort();
        for group in groups.iter().filter(|g| g.is_dir()) {
            let mut files: Vec<PathBuf> = std::fs::read_dir(group)
                .expect("group")
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            for file in files {
                let name = file
                    .strip_prefix(suite)
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                let items = match read_json(&file) {
                    Ok(Value::Array(items)) => items,
                    Ok(one) => vec![one],
                    Err(e) => {
                        unreadable.push(format!("{name}: {e}"));
                        continue;
                    }
                };
                for (i, item) in items.into_iter().enumerate() {
                    if let Some(case) = case(&item, group, &datasets, format!("{name}#{i}")) {
                        out.push(case);
                    }
                }
            }
        }
    }
    (out, unreadable)
}

fn case(
    item: &Value,
    group: &Path,
    datasets: &BTreeMap<String, Value>,
    id: String,
) -> Option<Case> {
    let expr = match (&item["expr"], &item["expr-file"]) {
        (Value::String(e), _) => e.clone(),
        (_, Value::String(file)) => std::fs::read_to_string(group.join(file)).ok()?,
        _ => return None,
    };
    let input = match (item.get("data"), item.get("dataset")) {
        (Some(data), _) => Some(data.clone()),
        (None, Some(Value::String(name))) => Some(datasets.get(name)?.clone()),
        _ => None,
    };
    let expected = if let Some(result) = item.get("result") {
        Expected::Result(result.clone())
    } else if item["undefinedResult"] == Value::Bool(true) {
        Expected::Undefined
    } else if let Some(code) = item["code"].as_str().or(item["error"]["code"].as_str()) {
        Expected::Code(code.to_string())
    } else {
        return None;
    };
    let bindings = item["bindings"]
        .as_object()
        .map(|b| b.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    Some(Case {
        id,
        expr,
        input,
        bindings,
        expected,
        time: item["timelimit"].as_u64(),
    })
}

/// JSON equality with numbers as doubles (JavaScript has no integers).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn passes(case: &Case) -> Result<(), String> {
    let limits = Limits {
        time: Duration::from_millis(case.time.unwrap_or(2_000).min(5_000)),
        ..Limits::default()
    };
    let got = jsonata::compile(&case.expr).and_then(|expr| {
        let bound: Vec<(&str, Value)> = case
            .bindings
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        jsonata::evaluate_standard(&expr, case.input.as_ref(), bound, limits)
    });
    match (&case.expected, &got) {
        (Expected::Result(want), Ok(Some(value))) if same(want, value) => Ok(()),
        (Expected::Undefined, Ok(None)) => Ok(()),
        (Expected::Code(code), Err(e)) if &e.code == code => Ok(()),
        _ => Err(format!("expected {:?}, got {got:?}", case.expected)),
    }
}

#[test]
fn the_engine_passes_the_official_jsonata_suite() {
    let suite = suite_dir();
    let (cases, unreadable) = cases(&suite);
    assert!(
        cases.len() > 1500,
        "only {} cases found in {}",
        cases.len(),
        suite.display()
    );
    let mut failed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &unreadable {
        let group = file.rsplit_once('/').map_or("", |(g, _)| g).to_string();
        failed
            .entry(group)
            .or_default()
            .push(format!("{file} (unreadable)"));
    }
    for case in &cases {
        let outcome = std::panic::catch_unwind(|| passes(case))
            .unwrap_or_else(|_| Err("the engine panicked".into()));
        if let Err(why) = outcome {
            let group = case.id.rsplit_once('/').map_or("", |(g, _)| g).to_string();
            failed
                .entry(group)
                .or_default()
                .push(format!("{}: {why}", case.id));
        }
    }
    let failures: usize = failed.values().map(Vec::len).sum();
    let total = cases.len() + unreadable.len();
    let passed = total - failures;
    eprintln!("JSONata suite: {passed} of {total} cases pass");
    for (group, cases) in &failed {
        eprintln!("  {group}: {} failing", cases.len());
        for case in cases {
            eprintln!("    {}", case.chars().take(300).collect::<String>());
        }
    }
    assert!(
        passed >= FLOOR,
        "{passed} cases pass, fewer than the recorded floor of {FLOOR}"
    );
}
