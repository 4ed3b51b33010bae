//! Every diagnostic code is unique, documented in docs/diagnostics.md and
//! demonstrated by a corpus fixture.

use std::collections::BTreeSet;

use crate::harness::root;

/// The codes of source diagnostics (src/diagnostics.rs), each with a
/// fixture in tests/diagnostics.
fn codes() -> Vec<String> {
    codes_in("src/diagnostics.rs")
}

/// The codes of AWS diagnostics, which point into no file: the tests in
/// `aws.rs` (against moto) and `aws::errors`'s unit tests show them.
fn aws_codes() -> Vec<String> {
    codes_in("src/diagnostics/aws.rs")
}

fn all_codes() -> Vec<String> {
    let mut all = codes();
    all.extend(aws_codes());
    all
}

fn codes_in(file: &str) -> Vec<String> {
    let source = std::fs::read_to_string(root().join(file)).expect(file);
    source
        .split("code(nagare::")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect()
        })
        .collect()
}

#[test]
fn codes_are_unique() {
    let codes = all_codes();
    let unique: BTreeSet<_> = codes.iter().collect();
    assert_eq!(unique.len(), codes.len(), "a code is used twice: {codes:?}");
    assert!(codes.len() >= 40);
}

#[test]
fn codes_are_documented() {
    let docs =
        std::fs::read_to_string(root().join("docs/diagnostics.md")).expect("docs/diagnostics.md");
    let missing: Vec<_> = all_codes()
        .into_iter()
        .filter(|c| !docs.contains(&format!("nagare::{c}")))
        .collect();
    assert!(missing.is_empty(), "undocumented codes: {missing:?}");
}

#[test]
fn codes_have_a_fixture() {
    let fixtures: Vec<String> = std::fs::read_dir(root().join("tests/diagnostics"))
        .expect("tests/diagnostics")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    let missing: Vec<_> = codes()
        .into_iter()
        .filter(|c| !fixtures.iter().any(|f| f.starts_with(&format!("{c}_"))))
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

#[test]
fn warnings_and_errors_are_named_by_their_severity() {
    let source = ["src/diagnostics.rs", "src/diagnostics/aws.rs"]
        .map(|f| std::fs::read_to_string(root().join(f)).expect(f))
        .join("\n");
    assert!(aws_codes().len() >= 10);
    for block in source.split("#[diagnostic(").skip(1) {
        let head: String = block.chars().take(400).collect();
        let is_warning = head
            .split(")]")
            .next()
            .unwrap_or("")
            .contains("severity(Warning)");
        let code_is_w = head.contains("code(nagare::W");
        assert_eq!(
            is_warning, code_is_w,
            "severity and code letter disagree in:\n{head}"
        );
    }
}
