//! `nagare check`: exit codes, formats, inputs.

use crate::harness::{Test, VALID};

const TWO_PROBLEMS: &str = r#"flow two {
  collect a {
    run lambda "f"
  }
  transform b after aa {
    run athena { query: "SELECT 1", wrkgroup: "primary" }
  }
}
"#;

const WARNING_ONLY: &str = r#"flow w {
  task a {
    run lambda "f"
  }
  handler unused {
    run sns { topic: "t", message: "m" }
  }
}
"#;

#[test]
fn a_clean_file_exits_zero() {
    Test::new()
        .file("ok.flow", VALID)
        .args(["check", "ok.flow"])
        .run()
        .success()
        .stderr_has("checked 1 file: no problems");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    Test::new()
        .file("two.flow", TWO_PROBLEMS)
        .args(["check", "--color", "never", "two.flow"])
        .run()
        .code(1)
        .stderr_has("nagare::E021")
        .stderr_has("did you mean `a`?")
        .stderr_has("nagare::E054")
        .stderr_has("did you mean `workgroup`?")
        .stderr_has("2 errors");
}

#[test]
fn all_files_are_checked() {
    Test::new()
        .file("ok.flow", VALID)
        .file("two.flow", TWO_PROBLEMS)
        .args(["check", "two.flow", "ok.flow"])
        .run()
        .code(1)
        .stderr_has("checked 2 files: 2 errors");
}

#[test]
fn warnings_pass_unless_denied() {
    let test = || Test::new().file("w.flow", WARNING_ONLY);
    test()
        .args(["check", "w.flow"])
        .run()
        .success()
        .stderr_has("1 warning");
    test()
        .args(["check", "--deny-warnings", "w.flow"])
        .run()
        .code(1);
}

#[test]
fn a_missing_file_is_an_io_error() {
    Test::new()
        .file("ok.flow", VALID)
        .args(["check", "ok.flow", "missing.flow"])
        .run()
        .code(2)
        .stderr_has("cannot read missing.flow");
}

#[test]
fn usage_errors_exit_two() {
    Test::new().args(["check"]).run().code(2);
    Test::new()
        .args(["check", "--format", "xml", "a.flow"])
        .run()
        .code(2);
    Test::new().args(["frobnicate"]).run().code(2);
}

#[test]
fn stdin_is_read_for_dash() {
    Test::new()
        .args(["check", "--color", "never", "-"])
        .stdin(TWO_PROBLEMS)
        .run()
        .code(1)
        .stderr_has("<stdin>:5:");
}

#[test]
fn directories_are_searched_for_flow_files() {
    Test::new()
        .file("flows/a.flow", VALID)
        .file("flows/nested/b.flow", VALID)
        .file("flows/notes.txt", "not a flow")
        .args(["check", "flows"])
        .run()
        .success()
        .stderr_has("checked 2 files");
    Test::new()
        .file("empty/x.txt", "")
        .args(["check", "empty"])
        .run()
        .code(2);
}

#[test]
fn json_format_is_stable() {
    let out = Test::new()
        .file("two.flow", TWO_PROBLEMS)
        .args(["check", "--format", "json", "two.flow"])
        .run()
        .code(1);
    insta::assert_snapshot!(out.stdout);
    let parsed: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(parsed["summary"]["errors"], 2);
}

#[test]
fn github_format_annotates_lines() {
    let out = Test::new()
        .file("two.flow", TWO_PROBLEMS)
        .args(["check", "--format", "github", "two.flow"])
        .run()
        .code(1);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn colour_follows_tty_no_color_and_the_flag() {
    let ansi = "\u{1b}[";
    let run = |args: &[&str], env: Option<(&str, &str)>| {
        let mut test = Test::new()
            .file("two.flow", TWO_PROBLEMS)
            .args(["check"])
            .args(args)
            .args(["two.flow"]);
        if let Some((k, v)) = env {
            test = test.env(k, v);
        }
        test.run().stderr
    };
    assert!(
        !run(&[], None).contains(ansi),
        "no colour without a terminal"
    );
    assert!(run(&["--color", "always"], None).contains(ansi));
    assert!(!run(&["--color", "never"], Some(("NO_COLOR", "1"))).contains(ansi));
}

#[test]
fn symlink_loops_and_repeats_are_harmless() {
    let test = Test::new().file("tree/a/x.flow", VALID);
    let root = test.path().to_path_buf();
    std::os::unix::fs::symlink("..", root.join("tree/a/up")).expect("symlink");
    std::os::unix::fs::symlink(".", root.join("tree/a/me")).expect("symlink");
    test.args(["check", "tree", "tree/a/x.flow", "tree/a/../a/x.flow"])
        .run()
        .success()
        .stderr_has("checked 1 file: no problems");
}

#[test]
fn stdin_is_read_once() {
    Test::new()
        .args(["check", "-", "-"])
        .stdin(VALID)
        .run()
        .success()
        .stderr_has("checked 1 file");
}
