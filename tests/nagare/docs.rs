//! The documentation's examples are real: every complete ```flow block in
//! README.md and docs/language.md checks without errors, and every example in
//! docs/diagnostics.md produces the code of its section.

use crate::harness::{Test, root};

/// The blocks fenced as ```LANG in a markdown file, each with the last
/// `### ` heading above it.
fn blocks(file: &str, lang: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join(file)).expect("doc file");
    let mut blocks = Vec::new();
    let mut heading = String::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            Some(block) if line.trim_start().starts_with("```") => {
                blocks.push((heading.clone(), std::mem::take(block)));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None if line.trim_start() == format!("```{lang}") => current = Some(String::new()),
            None if line.starts_with("### ") => heading = line.to_string(),
            None => {}
        }
    }
    blocks
}

/// A block that is a whole file rather than a fragment of one.
fn is_complete(block: &str) -> bool {
    block
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("//"))
        .is_some_and(|l| l.starts_with("flow "))
}

fn check(block: &str) -> crate::harness::Output {
    check_as("doc.flow", block)
}

fn check_as(name: &str, block: &str) -> crate::harness::Output {
    Test::new()
        .file(name, block)
        .args(["check", "--color", "never", name])
        .run()
}

#[test]
fn complete_examples_in_the_guides_check_clean() {
    let mut checked = 0;
    for file in ["README.md", "docs/language.md"] {
        for (_, block) in blocks(file, "flow")
            .into_iter()
            .filter(|(_, b)| is_complete(b))
        {
            let out = check(&block);
            assert!(
                out.code == 0,
                "{file} example fails:\n{block}\n{}",
                out.stderr
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} complete examples found");
}

#[test]
fn diagnostics_reference_examples_produce_their_codes() {
    let mut checked = 0;
    let flows = blocks("docs/diagnostics.md", "flow")
        .into_iter()
        .map(|(h, b)| (h, b, "doc.flow"));
    let definitions = blocks("docs/diagnostics.md", "json")
        .into_iter()
        .map(|(h, b)| (h, b, "doc.asl.json"));
    for (heading, block, name) in flows.chain(definitions) {
        let Some(code) = heading
            .split_whitespace()
            .find(|w| w.starts_with("nagare::"))
        else {
            continue;
        };
        let out = check_as(name, &block);
        assert!(
            out.stderr.contains(code),
            "{heading}: example does not produce {code}:\n{block}\n{}",
            out.stderr
        );
        checked += 1;
    }
    assert!(checked >= 90, "only {checked} diagnostics examples found");
}
