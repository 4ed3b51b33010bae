//! Every example checks clean and draws, through the real binary.

use crate::harness::{Test, examples, root};

#[test]
fn every_example_checks_clean_without_warnings() {
    for file in examples() {
        let out = Test::new()
            .args(["check", "--deny-warnings", "--color", "never"])
            .args([file.to_str().expect("utf-8 path")])
            .run();
        assert_eq!(out.code, 0, "{}:\n{}", file.display(), out.stderr);
        assert!(out.stderr.contains("no problems"), "{}", out.stderr);
    }
}

#[test]
fn the_examples_directory_checks_as_a_whole() {
    Test::new()
        .args(["check", "--deny-warnings"])
        .args([root().join("examples").to_str().expect("utf-8 path")])
        .run()
        .success()
        .stderr_has(&format!("checked {} files: no problems", examples().len()));
}

#[test]
fn every_example_graph_is_snapshotted() {
    for file in examples() {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        for format in ["mermaid", "dot"] {
            let out = Test::new()
                .args([
                    "graph",
                    "--format",
                    format,
                    file.to_str().expect("utf-8 path"),
                ])
                .run()
                .success();
            insta::assert_snapshot!(format!("{name}.{format}"), out.stdout);
        }
    }
}
