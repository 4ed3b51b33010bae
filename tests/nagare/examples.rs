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
        .stderr_has(&format!(
            "checked {} files: no problems",
            examples().len() + machine_examples().len()
        ));
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

/// The hand-written machines in examples/machines/: each checks clean,
/// passes asl-validator, and dry-runs to success with its input, S3 stood
/// in for by a copy of examples/machines/s3 (the run writes nothing into
/// the repository).
#[test]
fn every_machine_example_checks_validates_and_runs() {
    let dir = root().join("examples/machines");
    let machines = machine_examples();
    assert!(!machines.is_empty());
    if let Some(rejected) = crate::oracles::Oracle::AslValidator.rejected(&machines) {
        assert!(rejected.is_empty(), "asl-validator rejects: {rejected:#?}");
    }
    for machine in machines {
        let path = machine.to_str().expect("utf-8 path");
        Test::new()
            .args(["check", "--deny-warnings", path])
            .run()
            .success();
        let input = path.replace(".asl.json", ".input.json");
        let s3 = tempfile::tempdir().expect("temp dir");
        copy_dir(&dir.join("s3"), s3.path());
        let out = Test::new()
            .args(["run", path, "--input", &input, "--format", "json"])
            .args(["--s3-dir", s3.path().to_str().expect("utf-8 path")])
            .run();
        let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON report");
        assert_eq!(report["status"], "SUCCEEDED", "{path}: {report}");
        let name = machine
            .file_name()
            .and_then(|s| s.to_str())
            .expect("name")
            .trim_end_matches(".asl.json")
            .to_string();
        let output = serde_json::to_string_pretty(&report["output"]).expect("JSON");
        insta::assert_snapshot!(format!("{name}.output"), output);
    }
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// The hand-written definitions in examples/machines/.
fn machine_examples() -> Vec<std::path::PathBuf> {
    let mut machines: Vec<_> = std::fs::read_dir(root().join("examples/machines"))
        .expect("examples/machines")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".asl.json"))
        .collect();
    machines.sort();
    machines
}
