//! The diagnostics corpus: one fixture per code in tests/diagnostics/, each
//! rendered by the real binary exactly as a user sees it, and snapshotted.

use crate::harness::{Test, root};

#[test]
fn every_fixture_renders_its_code() {
    insta::glob!("../diagnostics", "*.{flow,json}", |path| {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("fixture name");
        let code = name.split('_').next().expect("code prefix");
        let out = Test::new()
            .file(name, std::fs::read(path).expect("fixture"))
            .args(["check", "--color", "never", name])
            .run();
        assert!(
            out.stderr.contains(&format!("nagare::{code}")),
            "{name} should report {code}:\n{}",
            out.stderr
        );
        let expected_exit = if code.starts_with('W') { 0 } else { 1 };
        assert_eq!(out.code, expected_exit, "{name}:\n{}", out.stderr);
        insta::assert_snapshot!(out.stderr);
    });
    assert!(root().join("tests/diagnostics").is_dir());
}
