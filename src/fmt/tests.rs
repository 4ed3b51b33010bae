use super::format;

fn fmt(text: &str) -> String {
    match format(text) {
        Ok(t) => t,
        Err(diags) => panic!("does not format: {diags:?}"),
    }
}

#[test]
fn lays_out_a_flow_canonically() {
    let messy = "flow   x{collect  a{run lambda \"f\"{payload:{date:$.input.date}} retry States.ALL max 2 interval 5s}\ntransform b after a when $.input.go == true and not ($.x exists or $.y < 3){run athena{query:\"SELECT 1\"}}}";
    assert_eq!(
        fmt(messy),
        "flow x {\n  collect a {\n    run lambda \"f\" {\n      payload: { date: $.input.date }\n    }\n    retry States.ALL max 2 interval 5s\n  }\n\n  transform b after a when $.input.go == true and not ($.x exists or $.y < 3) {\n    run athena {\n      query: \"SELECT 1\"\n    }\n  }\n}\n"
    );
}

#[test]
fn keeps_every_comment_where_it_was() {
    let text = "// header\nflow x { // the flow\n  /* block */\n  collect a {\n    run lambda \"f\" // trailing\n    // before the brace\n  }\n}\n// the end\n";
    let out = fmt(text);
    assert_eq!(
        out,
        "// header\nflow x { // the flow\n  /* block */\n  collect a {\n    run lambda \"f\" // trailing\n    // before the brace\n  }\n}\n// the end\n"
    );
}

#[test]
fn long_values_break_and_short_ones_stay_on_a_line() {
    let long = format!(
        "flow x {{ collect a {{ run lambda \"f\" {{ payload: {{ a: \"{}\", b: [1, 2] }} }} }} }}",
        "x".repeat(90)
    );
    let out = fmt(&long);
    assert!(out.contains("      payload: {\n        a: \""), "{out}");
    assert!(out.contains("        b: [1, 2]\n"), "{out}");
}

#[test]
fn strings_are_escaped_canonically() {
    let out =
        fmt("flow x { comment \"a\\/b \\u0041 \\\"q\\\" \\t\" collect a { run lambda \"f\" } }");
    assert!(out.contains("comment \"a/b A \\\"q\\\" \\t\""), "{out}");
}

#[test]
fn a_file_with_syntax_errors_is_not_formatted() {
    assert!(format("flow x { collect a { run } ").is_err());
}
