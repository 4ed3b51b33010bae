//! The conformance corpora. tests/conformance/cases/: definitions whose
//! results come from moto's Step Functions executor (or, where AWS's
//! documentation says moto is wrong, from AWS's documented behaviour; see
//! tests/conformance/aws_differs.json); `.ci/run` re-runs moto to prove the
//! recorded results still hold. tests/conformance/jsonata/: JSONata and
//! variables, whose results follow AWS's documentation (each case names
//! the pages), since moto cannot run them (tests/conformance/
//! jsonata_allowlist.json says why). nagare must give the same status, and
//! the same output or error name.

use serde_json::Value;

use crate::harness::root;

struct Case {
    name: String,
    definition: Value,
    input: Value,
    expected: Value,
    aws_doc: Value,
}

fn cases() -> Vec<Case> {
    cases_in("tests/conformance/cases")
}

fn cases_in(dir: &str) -> Vec<Case> {
    let dir = root().join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("a corpus directory")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("case");
            let case: Value = serde_json::from_str(&text).expect("case JSON");
            Case {
                name: path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .to_string(),
                definition: case["definition"].clone(),
                input: case["input"].clone(),
                expected: case["expected"].clone(),
                aws_doc: case["aws_doc"].clone(),
            }
        })
        .collect()
}

/// What nagare gives for a case, in the shape the corpus records.
fn actual(case: &Case) -> Value {
    let text = case.definition.to_string();
    let validated = nagare::asl::validate::validate(&text);
    let Some(machine) = validated.machine else {
        return serde_json::json!({"invalid": format!("{:?}", validated.diags)});
    };
    let dry = nagare::interp::DryRun::default();
    let execution = nagare::interp::run(&machine, case.input.clone(), &dry, &Default::default());
    match execution.status {
        nagare::interp::Status::Succeeded => {
            serde_json::json!({"status": "SUCCEEDED", "output": execution.output})
        }
        status => serde_json::json!({
            "status": serde_json::to_value(status).unwrap_or_default(),
            "error": execution.error,
        }),
    }
}

#[test]
fn nagare_matches_the_recorded_results() {
    let cases = cases();
    assert!(cases.len() >= 80, "only {} conformance cases", cases.len());
    assert_all_match(&cases);
}

fn assert_all_match(cases: &[Case]) {
    let mismatches: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let got = actual(case);
            (got != case.expected).then(|| {
                format!(
                    "{}:\n  expected {}\n  nagare   {}",
                    case.name, case.expected, got
                )
            })
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}

#[test]
fn every_departure_from_moto_is_a_case_with_awss_behaviour() {
    let text = std::fs::read_to_string(root().join("tests/conformance/aws_differs.json"))
        .expect("aws_differs.json");
    let differs: serde_json::Map<String, Value> = serde_json::from_str(&text).expect("JSON");
    let cases = cases();
    for (name, entry) in &differs {
        let case = cases
            .iter()
            .find(|c| &c.name == name)
            .unwrap_or_else(|| panic!("aws_differs.json names `{name}`, which is not a case"));
        assert_eq!(
            case.expected, entry["expected"],
            "{name}: the case must record AWS's behaviour"
        );
        assert_ne!(
            entry["moto"], entry["expected"],
            "{name}: moto does not differ"
        );
        for field in ["reason", "aws_doc"] {
            assert!(
                entry[field].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: no {field}"
            );
        }
    }
}

fn jsonata_allowlist() -> Value {
    let text = std::fs::read_to_string(root().join("tests/conformance/jsonata_allowlist.json"))
        .expect("jsonata_allowlist.json");
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn jsonata_and_variables_follow_awss_documentation() {
    let cases = cases_in("tests/conformance/jsonata");
    assert!(cases.len() >= 60, "only {} JSONata cases", cases.len());
    for case in &cases {
        let pages = case.aws_doc.as_array().map_or(0, Vec::len);
        assert!(pages > 0, "{}: no AWS page cited", case.name);
    }
    assert_all_match(&cases);
    assert!(
        jsonata_allowlist()["moto"]
            .as_str()
            .is_some_and(|s| s.contains("not an oracle")),
        "the allowlist says why moto does not give these results"
    );
}

#[test]
fn every_jsonata_case_passes_asl_validator() {
    let cases = cases_in("tests/conformance/jsonata");
    let dir = tempfile::tempdir().expect("temp dir");
    let files: Vec<std::path::PathBuf> = cases
        .iter()
        .map(|case| {
            let path = dir.path().join(format!("{}.asl.json", case.name));
            std::fs::write(&path, case.definition.to_string()).expect("write");
            path
        })
        .collect();
    let Some(rejected) = crate::oracles::Oracle::AslValidator.rejected(&files) else {
        return;
    };
    let gaps = jsonata_allowlist()["asl_validator_gaps"].clone();
    let unexpected: Vec<String> = rejected
        .iter()
        .filter_map(|(path, said)| {
            let name = path.file_name()?.to_str()?.trim_end_matches(".asl.json");
            gaps.get(name).is_none().then(|| format!("{name}: {said}"))
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "asl-validator rejects: {unexpected:#?}"
    );
    // Each listed gap is still one: the list stays true.
    for name in gaps.as_object().into_iter().flatten().map(|(k, _)| k) {
        assert!(
            rejected.keys().any(
                |p| p.file_name().and_then(|f| f.to_str()) == Some(&format!("{name}.asl.json"))
            ),
            "{name} is listed as an asl-validator gap but passes it"
        );
    }
}
