//! The CI integration is ready to copy: docs/ci.md's GitHub Actions
//! workflow parses as YAML and each of its nagare commands works on the
//! examples; .pre-commit-hooks.yaml parses and each hook's entry works.

use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

use crate::harness::{binary, root};

/// The first ```yaml block of a markdown file.
fn yaml_block(file: &str) -> Yaml {
    let text = std::fs::read_to_string(root().join(file)).expect("doc");
    let block: String = text
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a yaml block")
        .to_string();
    YamlLoader::load_from_str(&block)
        .expect("valid YAML")
        .remove(0)
}

/// A directory like a user's repository: the examples as `flows/`, and
/// `nagare` on the PATH.
fn workspace() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let flows = dir.path().join("flows");
    std::fs::create_dir(&flows).expect("flows/");
    for example in crate::harness::examples() {
        std::fs::copy(&example, flows.join(example.file_name().expect("name"))).expect("copy");
    }
    let bin = binary();
    let path = format!(
        "{}:{}",
        bin.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (dir, path)
}

fn sh(script: &str, dir: &std::path::Path, path: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-ec")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path)
        .env("FLOWS", "flows")
        .output()
        .expect("sh runs")
}

#[test]
fn the_github_workflow_runs_on_the_examples() {
    let workflow = yaml_block("docs/ci.md");
    let steps = workflow["jobs"]["workflows"]["steps"]
        .as_vec()
        .expect("steps");
    let (dir, path) = workspace();
    let mut ran = 0;
    for step in steps {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        // Installing is what this test replaces with the freshly built binary.
        if !script.contains("nagare ") || script.contains("cargo install") {
            continue;
        }
        let out = sh(script, dir.path(), &path);
        assert!(
            out.status.success(),
            "step {:?} failed:\n{}{}",
            step["name"].as_str(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 4, "only {ran} nagare steps");
    let definitions = std::fs::read_dir(dir.path().join("asl"))
        .expect("asl/")
        .count();
    assert_eq!(definitions, crate::harness::examples().len());
    let junit = std::fs::read_to_string(dir.path().join("nagare-tests.xml")).expect("JUnit report");
    roxmltree::Document::parse(&junit).expect("the JUnit report is XML");
}

#[test]
fn the_pre_commit_hooks_run_on_the_examples() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks");
    let hooks = YamlLoader::load_from_str(&text)
        .expect("valid YAML")
        .remove(0);
    let hooks = hooks.as_vec().expect("a list of hooks");
    assert!(hooks.len() >= 2);
    let (dir, path) = workspace();
    for hook in hooks {
        let entry = hook["entry"].as_str().expect("entry");
        let files = hook["files"].as_str().expect("files pattern");
        assert!(files.contains("flow"), "{files}");
        // pre-commit appends the changed file names to the entry.
        let out = sh(
            &format!("{entry} flows/daily_platform.flow"),
            dir.path(),
            &path,
        );
        assert!(
            out.status.success(),
            "hook {entry} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
