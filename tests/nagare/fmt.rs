//! `nagare fmt`: the layout is idempotent, the tree is unchanged and every
//! comment kept, on the examples, the diagnostics corpus and generated
//! flows written in messy layouts; and the command behaves as documented.

use nagare::fmt::format;
use nagare::fuzzing::{comments as comment_texts, tree};
use nagare::syntax::parse;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::harness::{Test, examples, root};

/// fmt keeps the tree and the comments, and a second fmt changes nothing.
#[track_caller]
fn holds(name: &str, text: &str) {
    let Ok(once) = format(text) else {
        panic!("{name} does not format")
    };
    assert_eq!(tree(&once), tree(text), "{name}: the tree changed:\n{once}");
    assert_eq!(
        comment_texts(&once),
        comment_texts(text),
        "{name}: comments changed:\n{once}"
    );
    let twice = format(&once).unwrap_or_default();
    assert_eq!(twice, once, "{name}: not idempotent");
}

#[test]
fn examples_and_the_corpus_keep_their_tree_and_comments() {
    let mut files = examples();
    let corpus = std::fs::read_dir(root().join("tests/diagnostics")).expect("corpus");
    files.extend(
        corpus
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "flow")),
    );
    let mut formatted = 0;
    for path in files {
        // Files that are not UTF-8 or have syntax errors are refused,
        // which other tests show.
        let Ok(text) = String::from_utf8(std::fs::read(&path).expect("read")) else {
            continue;
        };
        if format(&text).is_ok() {
            holds(&path.display().to_string(), &text);
            formatted += 1;
        }
    }
    assert!(formatted >= 50, "only {formatted} files formatted");
}

/// Tokens of a random flow; the layout between them is random too.
fn generated_flow() -> impl Strategy<Value = Vec<String>> {
    let value = prop_oneof![
        Just("1".to_string()),
        Just("-2.5e3".to_string()),
        Just("\"a \\\"q\\\" \\u00e9 \\n\"".to_string()),
        Just("$.input.items[0].name".to_string()),
        Just("$$.Execution.Id".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("[1, \"x\", { k: 2 }]".to_string()),
        Just("{ a: { b: [] }, \"c d\": $.x }".to_string()),
        Just("States.Format(\"{} and {}\", $.a, States.ArrayLength($.b))".to_string()),
    ];
    let condition = prop_oneof![
        Just("$.input.go == true".to_string()),
        Just("not ($.a exists or $.b < 3) and $.c like \"x*\"".to_string()),
        Just("($.a == 1 or $.b != \"2\") and not not $.c is string".to_string()),
    ];
    let stage = (
        prop_oneof![
            Just("collect"),
            Just("transform"),
            Just("visualize"),
            Just("task")
        ],
        proptest::option::of(condition),
        proptest::collection::vec(value.clone(), 0..4),
        any::<bool>(),
        proptest::option::of(value.clone()),
    );
    proptest::collection::vec(stage, 1..5).prop_map(|stages| {
        let mut t: Vec<String> = ["flow", "g", "{", "comment", "\"generated\"", "timeout", "1h"]
            .map(String::from)
            .to_vec();
        for (i, (kind, when, args, retry, result)) in stages.into_iter().enumerate() {
            t.extend([kind.to_string(), format!("s{i}")]);
            if i > 0 {
                t.extend(["after".into(), format!("s{}", i - 1)]);
            }
            if let Some(c) = when {
                t.extend(["when".into(), c]);
            }
            t.extend(["{".into(), "run".into(), "lambda".into(), "\"f\"".into()]);
            if !args.is_empty() {
                t.push("{".into());
                for (k, v) in args.into_iter().enumerate() {
                    t.extend([format!("k{k}"), ":".into(), v]);
                }
                t.push("}".into());
            }
            if retry {
                let r = "retry States.TaskFailed , Lambda.Unknown max 3 interval 2s backoff 2.0 jitter full";
                t.extend(r.split(' ').map(String::from));
            }
            if let Some(v) = result {
                t.extend(["result".into(), v]);
            }
            t.extend(["catch".into(), "States.ALL".into(), "->".into(), "h".into()]);
            t.push("}".into());
        }
        t.extend(
            "handler h { run sns { topic: \"t\" message: \"m\" } then fail \"E\" \"c\" } }"
                .split(' ')
                .map(String::from),
        );
        t.extend(
            "test \"t\" { input { x: 1 } mock s0 { throw States.TaskFailed \"boom\" return {} } expect failed States.TaskFailed expect $.x == [1, 2] }"
                .split(' ')
                .map(String::from),
        );
        t
    })
}

fn messy(tokens: &[String], layout: &[u8]) -> String {
    const GAPS: [&str; 7] = [
        " ",
        "\n",
        "   ",
        "\n\n",
        " /* c */ ",
        " // note\n",
        "\n  // lead\n",
    ];
    let mut out = String::new();
    for (i, token) in tokens.iter().enumerate() {
        out.push_str(token);
        let gap = layout.get(i % layout.len().max(1)).copied().unwrap_or(0) as usize;
        out.push_str(GAPS[gap % GAPS.len()]);
    }
    out
}

#[test]
fn generated_flows_in_messy_layouts_keep_their_tree_and_comments() {
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    let strategy = (
        generated_flow(),
        proptest::collection::vec(any::<u8>(), 1..40),
    );
    runner
        .run(&strategy, |(tokens, layout)| {
            let text = messy(&tokens, &layout);
            if std::env::var_os("NAGARE_SHOW_GENERATED").is_some() {
                eprintln!("{text}\n----\n{}", format(&text).unwrap_or_default());
            }
            prop_assert!(
                parse(&text).diags.is_empty(),
                "generated text has errors:\n{text}"
            );
            holds("generated", &text);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

const MESSY: &str = "flow x{collect a{run lambda \"f\"}}\n";
const TIDY: &str = "flow x {\n  collect a {\n    run lambda \"f\"\n  }\n}\n";

#[test]
fn check_names_the_files_that_would_change_and_changes_nothing() {
    let out = Test::new()
        .file("a.flow", MESSY)
        .file("b.flow", TIDY)
        .args(["fmt", "--check", "."])
        .run()
        .code(1);
    assert_eq!(out.stdout, "./a.flow\n");
    assert!(
        out.stderr.contains("1 file(s) would be reformatted"),
        "{}",
        out.stderr
    );
    let a = std::fs::read_to_string(out.dir.path().join("a.flow")).expect("a");
    assert_eq!(a, MESSY);
    Test::new()
        .file("b.flow", TIDY)
        .args(["fmt", "--check", "b.flow"])
        .run()
        .success();
}

#[test]
fn fmt_rewrites_in_place_and_keeps_permissions() {
    let test = Test::new().file("a.flow", MESSY).args(["fmt", "a.flow"]);
    let path = test.path().join("a.flow");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let out = test.run().success();
    let path = out.dir.path().join("a.flow");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), TIDY);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
}

#[test]
fn stdin_is_formatted_to_stdout() {
    let out = Test::new().args(["fmt", "-"]).stdin(MESSY).run().success();
    assert_eq!(out.stdout, TIDY);
}

#[test]
fn a_file_with_syntax_errors_is_reported_and_left_alone() {
    let broken = "flow x { collect a { run } \n";
    let out = Test::new()
        .file("bad.flow", broken)
        .file("good.flow", MESSY)
        .args(["fmt", "bad.flow", "good.flow"])
        .run()
        .code(2);
    assert!(out.stderr.contains("nagare::E001"), "{}", out.stderr);
    assert!(
        out.stderr.contains("bad.flow has syntax errors"),
        "{}",
        out.stderr
    );
    let dir = out.dir.path();
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.flow")).expect("bad"),
        broken
    );
    // The other file is still formatted.
    assert_eq!(
        std::fs::read_to_string(dir.join("good.flow")).expect("good"),
        TIDY
    );
}
