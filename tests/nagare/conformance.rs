//! The conformance corpus (tests/conformance/cases/): definitions whose
//! results come from moto's Step Functions executor (or, where AWS's
//! documentation says moto is wrong, from AWS's documented behaviour; see
//! tests/conformance/aws_differs.json). nagare must give the same status,
//! and the same output or error name. `.ci/run` re-runs moto to prove the
//! recorded results still hold.

use serde_json::Value;

use crate::harness::root;

struct Case {
    name: String,
    definition: Value,
    input: Value,
    expected: Value,
}

fn cases() -> Vec<Case> {
    let dir = root().join("tests/conformance/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/conformance/cases")
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
