//! Hostile input never panics, overflows the stack or hangs: it gets a
//! diagnostic, or a clean pass when it is legal. (The harness fails on a
//! panic message and on a run longer than its timeout.)

use crate::harness::Test;

fn check_bytes(bytes: impl AsRef<[u8]>) -> crate::harness::Output {
    Test::new()
        .file("input.flow", bytes)
        .args(["check", "--color", "never", "input.flow"])
        .run()
}

#[test]
fn empty_file() {
    check_bytes("").code(1).stderr_has("nagare::E009");
    check_bytes("  // only a comment\n")
        .code(1)
        .stderr_has("nagare::E009");
}

#[test]
fn binary_garbage() {
    // Deterministic pseudo-random bytes (xorshift), mostly invalid UTF-8.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    check_bytes(&bytes).code(1).stderr_has("nagare::E004");
    // Valid UTF-8 control characters and symbols: a syntax error, not a crash.
    check_bytes("\u{0}\u{1}\u{7f}flow\u{0} ☃ {")
        .code(1)
        .stderr_has("nagare::E001");
}

#[test]
fn invalid_utf8_points_at_the_byte() {
    check_bytes(b"flow x {\n  \xff\xfe\n}\n")
        .code(1)
        .stderr_has("nagare::E004")
        .stderr_has("input.flow:2:3");
}

#[test]
fn unterminated_string() {
    check_bytes("flow x {\n  comment \"never closed\n}\n")
        .code(1)
        .stderr_has("nagare::E002")
        .stderr_has("input.flow:2:11");
}

#[test]
fn unterminated_comment() {
    check_bytes("flow x {\n  /* never closed\n}\n")
        .code(1)
        .stderr_has("nagare::E003");
}

#[test]
fn deeply_nested_value() {
    let deep = format!(
        "flow x {{ task a {{ run lambda \"f\" {{ payload: {}{} }} }} }}",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    check_bytes(deep).code(1).stderr_has("nagare::E005");
    let objects = format!(
        "flow x {{ output {}1{} }}",
        "{a: ".repeat(20_000),
        "}".repeat(20_000)
    );
    check_bytes(objects).code(1).stderr_has("nagare::E005");
    let nots = format!(
        "flow x {{ task a when {} $.input.x exists {{ run lambda \"f\" }} }}",
        "not ".repeat(20_000)
    );
    check_bytes(nots).code(1).stderr_has("nagare::E005");
}

#[test]
fn nesting_up_to_the_limit_is_fine() {
    let depth = 99; // the payload's own braces add one level
    let value = format!("{}1{}", "[".repeat(depth - 4), "]".repeat(depth - 4));
    let flow = format!("flow x {{ task a {{ run lambda \"f\" {{ payload: {value} }} }} }}");
    check_bytes(flow).success();
}

#[test]
fn fifty_megabyte_file_of_stages_checks_clean() {
    let mut text = String::from("flow big {\n");
    let mut i = 0;
    while text.len() < 50 * 1024 * 1024 {
        let after = if i == 0 {
            String::new()
        } else {
            format!(" after s{}", i - 1)
        };
        text.push_str(&format!(
            "  task s{i}{after} {{\n    run lambda \"fn-{i}\" {{ payload: {{ day: $.input.date, n: {i} }} }}\n    retry States.TaskFailed max 2 interval 2s\n  }}\n"
        ));
        i += 1;
    }
    text.push_str("}\n");
    check_bytes(text).success();
}

#[test]
fn fifty_megabyte_comment_checks_clean() {
    let text = format!(
        "/*{}*/\nflow x {{ task a {{ run lambda \"f\" }} }}\n",
        "x".repeat(50 * 1024 * 1024)
    );
    check_bytes(text).success();
}

#[test]
fn fifty_megabyte_string_is_reported_not_crashed_on() {
    let text = format!(
        "flow x {{ task a {{ run lambda \"{}",
        "y".repeat(50 * 1024 * 1024)
    );
    check_bytes(text).code(1).stderr_has("nagare::E002");
}

#[test]
fn unclosed_brackets_in_a_path_fail_fast() {
    let brackets = "[".repeat(60);
    check_bytes(format!("flow f {{ output $.a{brackets} }}"))
        .code(1)
        .stderr_has("nagare::E001");
    check_bytes(format!(
        "flow f {{ task a when $.input{brackets} exists {{ run lambda \"f\" }} }}"
    ))
    .code(1)
    .stderr_has("nagare::E001");
}

#[test]
fn the_nesting_bound_cannot_be_bypassed() {
    // Whitespace the grammar skips (vertical tab, byte-order mark) between `not`s.
    for sep in ["\u{b}", "\u{feff}"] {
        let nots = format!("not{sep}").repeat(100_000);
        check_bytes(format!(
            "flow x {{ task a when {nots} $.input.a exists {{ run lambda \"f\" }} }}"
        ))
        .code(1)
        .stderr_has("nagare::E005");
    }
    // Comment markers and brackets inside a path's quoted names.
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    check_bytes(format!("flow x {{ output [$.input['//'], {deep}] }}"))
        .code(1)
        .stderr_has("nagare::E005");
    let tricky = "[$.a[']]'], ".repeat(50_000);
    check_bytes(format!("flow x {{ output {tricky} }}"))
        .code(1)
        .stderr_has("nagare::E005");
}

#[test]
fn quoted_path_names_may_hold_quotes_and_comment_markers() {
    check_bytes(
        "flow f { task a { run lambda \"fn\" { payload: { p: $.input['logs/*'], q: $.input['\"'], r: $.input['//x'] } } } }",
    )
    .success();
}

#[test]
fn thousands_of_problems_are_reported_quickly_and_summarised() {
    let mut text = String::from("flow many {\n");
    for i in 0..16_000 {
        text.push_str(&format!(
            "  task s{i} after nowhere{i} {{ run lambda \"f\" timeout 0s }}\n"
        ));
    }
    text.push_str("}\n");
    let out = check_bytes(&text)
        .code(1)
        .stderr_has("more problems in input.flow");
    assert!(
        out.stderr.contains("32000 errors"),
        "{}",
        out.stderr.lines().last().unwrap_or("")
    );
    let json = Test::new()
        .file("input.flow", &text)
        .args(["check", "--format", "json", "input.flow"])
        .run()
        .code(1);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(
        parsed["files"][0]["diagnostics"].as_array().map(Vec::len),
        Some(32_000)
    );
}

/// Every prefix of every example (the states an editor sees while typing)
/// gets diagnostics, never a panic. In-process, so thousands of cuts are cheap.
#[test]
fn every_prefix_of_every_example_is_handled() {
    let mut cuts = 0;
    for example in crate::harness::examples() {
        let text = std::fs::read_to_string(example).expect("example");
        for (i, _) in text.char_indices().step_by(3) {
            // Returning at all is the test: a panic fails it.
            let checked = nagare::check::check_text(&text[..i]);
            assert!(checked.file.is_some() || !checked.diags.is_empty());
            cuts += 1;
        }
    }
    assert!(cuts > 1_000);
}
