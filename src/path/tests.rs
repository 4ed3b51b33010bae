use super::messages::*;
use super::*;

fn ok(text: &str) -> JsonPath {
    parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e:?}"))
}

fn fail(text: &str) -> PathError {
    match parse(text) {
        Ok(p) => panic!("{text:?} should fail, got {p:?}"),
        Err(e) => e,
    }
}

fn field(name: &str) -> Step {
    Step::Field(name.to_string())
}

fn cur(steps: Vec<Step>) -> Operand {
    Operand::Current(steps)
}

fn num(n: f64) -> Operand {
    Operand::Literal(Literal::Number(n))
}

fn string(s: &str) -> Operand {
    Operand::Literal(Literal::String(s.to_string()))
}

fn filter_of(text: &str) -> FilterExpr {
    match ok(text).steps.pop() {
        Some(Step::Filter(f)) => f,
        other => panic!("{text:?}: last step is not a filter: {other:?}"),
    }
}

/// Parses, checks the canonical text, and checks that it parses back identically.
fn round_trip(text: &str, canonical: &str) {
    let path = ok(text);
    assert_eq!(path.to_string(), canonical, "canonical form of {text:?}");
    assert_eq!(
        ok(canonical),
        path,
        "{canonical:?} does not parse back to the same path"
    );
}

#[test]
fn round_trips_canonical_forms() {
    let cases = [
        ("$", "$"),
        ("$$", "$$"),
        ("$.input.date", "$.input.date"),
        ("$.steps.ctas_trips.query_id", "$.steps.ctas_trips.query_id"),
        ("$.lambda-example", "$.lambda-example"),
        ("$.error-info", "$.error-info"),
        ("$['x-y'].z", "$.x-y.z"),
        ("$['my field'].z", "$['my field'].z"),
        ("$[\"my field\"]", "$['my field']"),
        ("$.abc.['def ghi']", "$.abc['def ghi']"),
        ("$['it\\'s']", "$['it\\'s']"),
        ("$[\"it's\"]", "$['it\\'s']"),
        ("$['a\\\\b']", "$['a\\\\b']"),
        ("$['tab\\there']", "$['tab\\there']"),
        ("$['\\u00e9t\\u00E9']", "$.été"),
        ("$['\\ud83d\\ude00']", "$.😀"),
        ("$['\\u0001']", "$['\\u0001']"),
        ("$['']", "$['']"),
        ("$['a.b']", "$['a.b']"),
        ("$['*']", "$['*']"),
        ("$.Ж中", "$.Ж中"),
        ("$.a[2].b", "$.a[2].b"),
        ("$.a[-1]", "$.a[-1]"),
        ("$[ 0 ]", "$[0]"),
        ("$.a[*].b", "$.a[*].b"),
        ("$.a.*", "$.a[*]"),
        ("$.*", "$[*]"),
        ("$.a[ * ]", "$.a[*]"),
        ("$.a[0,1]", "$.a[0,1]"),
        ("$.a[0, -1 ,2]", "$.a[0,-1,2]"),
        ("$['a','b']", "$['a','b']"),
        ("$['a', \"b c\"]", "$['a','b c']"),
        ("$.a[1:3]", "$.a[1:3]"),
        ("$.a[:2]", "$.a[:2]"),
        ("$.a[1:]", "$.a[1:]"),
        ("$.vals[-3:]", "$.vals[-3:]"),
        ("$.a[ 1 : 3 ]", "$.a[1:3]"),
        ("$..name", "$..name"),
        ("$..*", "$..*"),
        ("$..[0]", "$..[0]"),
        ("$..[*]", "$..*"),
        ("$..['a b']", "$..['a b']"),
        ("$..['a','b']", "$..['a','b']"),
        ("$.store..price", "$.store..price"),
        ("$..book[2]", "$..book[2]"),
        ("$$.Execution.Id", "$$.Execution.Id"),
        ("$$.Map.Item.Value", "$$.Map.Item.Value"),
        ("$$.State.EnteredTime", "$$.State.EnteredTime"),
        ("$$.Task.Token", "$$.Task.Token"),
        ("$$['Execution']", "$$.Execution"),
        ("$.0", "$.0"),
        ("$.a_b.c1", "$.a_b.c1"),
        ("$.$x.a@b", "$.$x.a@b"),
    ];
    for (text, canonical) in cases {
        round_trip(text, canonical);
    }
}

#[test]
fn round_trips_filters() {
    let cases = [
        ("$.a[?(@.price < 10)]", "$.a[?(@.price < 10)]"),
        ("$.a[?(@.price<10)]", "$.a[?(@.price < 10)]"),
        ("$.a[?( @.price <= -10.5 )]", "$.a[?(@.price <= -10.5)]"),
        ("$.a[?(@.n >= 1e3)]", "$.a[?(@.n >= 1000)]"),
        ("$.a[?(@.n > 0.25)]", "$.a[?(@.n > 0.25)]"),
        ("$.a[?(@.n > 1.)]", "$.a[?(@.n > 1)]"),
        ("$.a[?(@.n > -.5E+1)]", "$.a[?(@.n > -5)]"),
        ("$.a[?(@.n != null)]", "$.a[?(@.n != null)]"),
        ("$.a[?(@.ok == true)]", "$.a[?(@.ok == true)]"),
        ("$.a[?(@.ok == false)]", "$.a[?(@.ok == false)]"),
        ("$.a[?(@.tag == \"x\")]", "$.a[?(@.tag == 'x')]"),
        (
            "$.a[?(@.tag == 'x' && @.n > 1)]",
            "$.a[?(@.tag == 'x' && @.n > 1)]",
        ),
        ("$.a[?(@.a || @.b && @.c)]", "$.a[?(@.a || @.b && @.c)]"),
        ("$.a[?((@.a || @.b) && @.c)]", "$.a[?((@.a || @.b) && @.c)]"),
        ("$.a[?(@.a && (@.b && @.c))]", "$.a[?(@.a && (@.b && @.c))]"),
        ("$.a[?(@.a || (@.b || @.c))]", "$.a[?(@.a || (@.b || @.c))]"),
        ("$.a[?(((@.a)))]", "$.a[?(@.a)]"),
        ("$.a[?(@.isbn)]", "$.a[?(@.isbn)]"),
        ("$.a[?(!@.isbn)]", "$.a[?(!@.isbn)]"),
        ("$.a[?(!!@.isbn)]", "$.a[?(!!@.isbn)]"),
        ("$.a[?(!(@.n == 1))]", "$.a[?(!(@.n == 1))]"),
        ("$.a[?(! (@.a || @.b))]", "$.a[?(!(@.a || @.b))]"),
        ("$.a[?(1 < @.n)]", "$.a[?(1 < @.n)]"),
        ("$.a[?(@.x == @.y)]", "$.a[?(@.x == @.y)]"),
        ("$.a[?(@['my key'] == 'v')]", "$.a[?(@['my key'] == 'v')]"),
        (
            "$.a[?(@.b[0].c == 'it\\'s')]",
            "$.a[?(@.b[0].c == 'it\\'s')]",
        ),
        ("$.a[?(@.b[?(@.c)])]", "$.a[?(@.b[?(@.c)])]"),
        ("$.a[?(@..c)]", "$.a[?(@..c)]"),
        ("$.a[ ?( @.x ) ]", "$.a[?(@.x)]"),
        ("$..[?(@.x)]", "$..[?(@.x)]"),
        ("$$.Map.Item.Value[?(@.id)]", "$$.Map.Item.Value[?(@.id)]"),
        ("$.jar[?(@.a >= 5)]", "$.jar[?(@.a >= 5)]"),
    ];
    for (text, canonical) in cases {
        round_trip(text, canonical);
    }
}

#[test]
fn parses_the_expected_structure() {
    assert_eq!(
        ok("$.a[2].b"),
        JsonPath {
            context: false,
            variable: None,
            steps: vec![field("a"), Step::Index(2), field("b")]
        }
    );
    assert_eq!(
        ok("$$.Task.Token"),
        JsonPath {
            context: true,
            variable: None,
            steps: vec![field("Task"), field("Token")]
        }
    );
    assert_eq!(ok("$").steps, vec![]);
    assert_eq!(
        ok("$.a[0,1]").steps[1],
        Step::Union(vec![UnionItem::Index(0), UnionItem::Index(1)])
    );
    assert_eq!(
        ok("$['a','b']").steps[0],
        Step::Union(vec![
            UnionItem::Field("a".into()),
            UnionItem::Field("b".into())
        ])
    );
    assert_eq!(
        ok("$[1:3]").steps[0],
        Step::Slice {
            start: Some(1),
            end: Some(3),
            step: None
        }
    );
    assert_eq!(
        ok("$[:3]").steps[0],
        Step::Slice {
            start: None,
            end: Some(3),
            step: None
        }
    );
    assert_eq!(
        ok("$..name").steps[0],
        Step::Descendant(Box::new(field("name")))
    );
    assert_eq!(
        ok("$..*").steps[0],
        Step::Descendant(Box::new(Step::Wildcard))
    );
    assert_eq!(
        ok("$..[0]").steps[0],
        Step::Descendant(Box::new(Step::Index(0)))
    );
    assert_eq!(ok("$.a.*").steps[1], Step::Wildcard);
    assert_eq!(ok("$[-2147483648]").steps[0], Step::Index(-2147483648));
    assert_eq!(ok("$[2147483647]").steps[0], Step::Index(2147483647));
}

#[test]
fn parses_filter_trees() {
    assert_eq!(
        filter_of("$.a[?(@.price < 10)]"),
        FilterExpr::Compare {
            left: cur(vec![field("price")]),
            op: CompareOp::Lt,
            right: num(10.0)
        }
    );
    assert_eq!(
        filter_of("$.a[?(@.x)]"),
        FilterExpr::Exists(vec![field("x")])
    );
    assert_eq!(
        filter_of("$.a[?(!@.x)]"),
        FilterExpr::Not(Box::new(FilterExpr::Exists(vec![field("x")])))
    );
    let tag = FilterExpr::Compare {
        left: cur(vec![field("tag")]),
        op: CompareOp::Eq,
        right: string("x"),
    };
    let n = FilterExpr::Compare {
        left: cur(vec![field("n")]),
        op: CompareOp::Gt,
        right: num(1.0),
    };
    assert_eq!(
        filter_of("$.a[?(@.tag == 'x' && @.n > 1)]"),
        FilterExpr::And(Box::new(tag.clone()), Box::new(n.clone()))
    );
    // `&&` binds tighter than `||`; both are left-associative.
    let (a, b, c) = (
        FilterExpr::Exists(vec![field("a")]),
        FilterExpr::Exists(vec![field("b")]),
        FilterExpr::Exists(vec![field("c")]),
    );
    assert_eq!(
        filter_of("$[?(@.a || @.b && @.c)]"),
        FilterExpr::Or(
            Box::new(a.clone()),
            Box::new(FilterExpr::And(Box::new(b.clone()), Box::new(c.clone())))
        )
    );
    assert_eq!(
        filter_of("$[?(@.a || @.b || @.c)]"),
        FilterExpr::Or(
            Box::new(FilterExpr::Or(Box::new(a), Box::new(b))),
            Box::new(c)
        )
    );
    let ops = [
        ("==", CompareOp::Eq),
        ("!=", CompareOp::Ne),
        ("<", CompareOp::Lt),
        ("<=", CompareOp::Le),
        (">", CompareOp::Gt),
        (">=", CompareOp::Ge),
    ];
    for (text, op) in ops {
        let expr = filter_of(&format!("$[?(@.n {text} -2.5e-1)]"));
        assert_eq!(
            expr,
            FilterExpr::Compare {
                left: cur(vec![field("n")]),
                op,
                right: num(-0.25)
            }
        );
    }
    for (text, lit) in [
        ("true", Literal::Bool(true)),
        ("false", Literal::Bool(false)),
        ("null", Literal::Null),
    ] {
        let expr = filter_of(&format!("$[?(@.v == {text})]"));
        assert_eq!(
            expr,
            FilterExpr::Compare {
                left: cur(vec![field("v")]),
                op: CompareOp::Eq,
                right: Operand::Literal(lit)
            }
        );
    }
}

#[test]
#[rustfmt::skip]
fn reports_errors_with_offsets() {
    // (text, offset, len, start of the message)
    let cases: &[(&str, usize, usize, &str)] = &[
        ("", 0, 0, "the path is empty"),
        ("a.b", 0, 1, "a path must start with `$`"),
        ("@.a", 0, 1, "a path must start with `$`"),
        ("é", 0, 2, "a path must start with `$`"),
        ("  $.a", 0, 1, "a path must start with `$`"),
        ("$.a  ", 3, 2, "the path ends with spaces"),
        ("$ ", 1, 1, "the path ends with spaces"),
        ("$ .a", 1, 1, "spaces are not allowed in a path outside brackets"),
        ("$.my field", 4, 1, "spaces are not allowed in a dot-notation member name"),
        ("$.a&b", 3, 1, "`&` is not allowed in a dot-notation member name"),
        ("$.store\\.book", 7, 1, "`\\` is not allowed in a dot-notation member name"),
        ("$.", 1, 1, "expected a member name after `.`"),
        ("$.a.", 3, 1, "expected a member name after `.`"),
        ("$.'a'", 1, 1, "expected a member name after `.`"),
        ("$. a", 2, 1, "spaces are not allowed in a path outside brackets"),
        ("$..", 1, 2, "expected a member name, `*` or `[` after `..`"),
        ("$...a", 3, 1, "expected a member name, `*` or `[` after `..`"),
        ("$a", 1, 1, "expected `.` or `[` after `$`"),
        ("$$$", 2, 1, "expected `.` or `[` after `$$`"),
        ("$.a]", 3, 1, "unexpected `]` without a matching `[`"),
        ("$]", 1, 1, "unexpected `]` without a matching `[`"),
        ("$.a*", 3, 1, "`*` is not allowed in a dot-notation member name"),
        ("$.*a", 3, 1, "unexpected `a` in path"),
        ("$.a.length()", 4, 7, "functions such as `length()` are not supported"),
        ("$..book.length()", 8, 7, "functions such as `length()`"),
        ("$[", 1, 1, "unclosed `[` in path"),
        ("$.a[0", 3, 1, "unclosed `[` in path"),
        ("$.a[*", 3, 1, "unclosed `[` in path"),
        ("$['a'", 1, 1, "unclosed `[` in path"),
        ("$[']", 2, 1, "unclosed quote in path"),
        ("$[\"a]", 2, 1, "unclosed quote in path"),
        ("$[]", 1, 2, "empty `[]` in path"),
        ("$[ ]", 1, 3, "empty `[]` in path"),
        ("$[abc]", 2, 3, "member names inside `[...]` must be quoted"),
        ("$[!]", 2, 1, "unexpected `!` after `[`"),
        ("$[0 1]", 4, 1, "expected `]` but found `1`"),
        ("$['a' 'b']", 6, 1, "expected `]` but found `'`"),
        ("$[*,0]", 3, 1, "expected `]` but found `,`"),
        ("$[99999999999999999999]", 2, 20, "the index `99999999999999999999` is out of range"),
        ("$[2147483648]", 2, 10, "the index `2147483648` is out of range"),
        ("$[1:99999999999]", 4, 11, "the index `99999999999` is out of range"),
        ("$[-]", 2, 1, "expected digits after `-`"),
        ("$[0,'a']", 4, 1, "a union cannot mix member names and indexes"),
        ("$['a',0]", 6, 1, "a union cannot mix member names and indexes"),
        ("$['a',]", 6, 1, "expected a quoted member name or an index after `,`"),
        ("$[0,]", 4, 1, "expected a quoted member name or an index after `,`"),
        ("$[0,*]", 4, 1, "expected a quoted member name or an index after `,`"),
        ("$[1:3:2]", 5, 1, "slice steps like `[0:10:2]` are not supported"),
        ("$[::2]", 3, 1, "slice steps"),
        ("$[:]", 2, 1, "a slice needs a start or an end"),
        ("$['\\x']", 3, 2, "unknown escape `\\x`"),
        ("$['\\", 2, 1, "unclosed quote in path"),
        ("$['\\u12']", 3, 2, "invalid `\\u` escape"),
        ("$['\\ud83d']", 3, 6, "invalid `\\u` escape"),
        ("$['\\ud83d\\u0041']", 3, 6, "invalid `\\u` escape"),
        ("$['\\ude00']", 3, 6, "invalid `\\u` escape"),
        ("$[(@.length-1)]", 2, 1, "script expressions `[(...)]` are not supported"),
        ("$[?@.a]", 2, 1, "a filter must be wrapped in parentheses"),
        ("$[?]", 2, 1, "a filter must be wrapped in parentheses"),
        ("$[?(@.a)", 1, 1, "unclosed `[` in path"),
        ("$[?(@.a == 1", 3, 1, "unclosed `(` in filter"),
        ("$[?((@.a)]", 3, 1, "unclosed `(` in filter"),
        ("$[?(@.a == 1 @.b)]", 13, 1, "expected `&&`, `||` or `)` in filter"),
        ("$[?(@.a & @.b)]", 8, 1, "expected `&&`, `||` or `)` in filter"),
        ("$[?(@.a == 1 and @.b)]", 13, 3, "`and` is not a filter operator"),
        ("$[?(@.a == 1 or @.b)]", 13, 2, "`or` is not a filter operator"),
        ("$[?()]", 4, 1, "expected a value but found `)`"),
        ("$[?(@.a ==)]", 10, 1, "expected a value but found `)`"),
        ("$[?(@.a == FooBar)]", 11, 6, "`FooBar` is not a value"),
        ("$[?(@.a = 1)]", 8, 1, "use `==` to compare values"),
        ("$[?(@.a === 1)]", 8, 3, "the operator `===` is not supported"),
        ("$[?(@.a !== 1)]", 8, 3, "the operator `!==` is not supported"),
        ("$[?(@.author =~ /.*REES/i)]", 13, 2, "the operator `=~` is not supported"),
        ("$[?(@.a == /x/)]", 11, 1, "regular expressions, arrays and objects are not supported"),
        ("$[?(@.a in ['x'])]", 8, 2, "the operator `in` is not supported"),
        ("$[?(@.a NIN ['x'])]", 8, 3, "the operator `NIN` is not supported"),
        ("$[?(@.a subsetof ['x'])]", 8, 8, "the operator `subsetof` is not supported"),
        ("$[?(@.a size 2)]", 8, 4, "the operator `size` is not supported"),
        ("$[?(@.a == ['x'])]", 11, 1, "regular expressions, arrays and objects"),
        ("$[?(@.a == {})]", 11, 1, "regular expressions, arrays and objects"),
        ("$.book[?(@.price <= $['expensive'])]", 20, 1, "a filter cannot refer to another value"),
        ("$[?($.a)]", 4, 1, "a filter cannot refer to another value"),
        ("$[?(@ > 1)]", 4, 1, "`@` on its own never matches"),
        ("$[?(@)]", 4, 1, "`@` on its own never matches"),
        ("$[?(!@ )]", 5, 1, "`@` on its own never matches"),
        ("$[?(@.a.length() > 1)]", 8, 7, "functions such as `length()`"),
        ("$[?(1)]", 4, 1, "a literal on its own is not a filter condition"),
        ("$[?('x' )]", 4, 3, "a literal on its own is not a filter condition"),
        ("$[?(!@.a == 1)]", 4, 1, "`!` only negates the member right after it"),
        ("$[?(!1)]", 4, 1, "expected `(`, `!` or `@.member` after `!`"),
        ("$[?(@.a == 1..2)]", 11, 4, "`1..2` is not a valid number"),
        ("$[?(@.a == 1-2)]", 11, 3, "`1-2` is not a valid number"),
        ("$[?(@.a == 1e)]", 11, 2, "`1e` is not a valid number"),
        ("$[?(@.a == -)]", 11, 1, "`-` is not a valid number"),
        ("$[?(@.a == 1e999)]", 11, 5, "`1e999` is not a valid number"),
        ("$[?(@.a == 'x)]", 11, 1, "unclosed quote in path"),
        ("$[?(@.a ==", 10, 0, "the filter ends unexpectedly"),
    ];
    for &(text, offset, len, message) in cases {
        let e = fail(text);
        assert!(
            e.message.starts_with(message),
            "{text:?}: message {:?} should start with {message:?}",
            e.message
        );
        assert_eq!(
            (e.offset, e.len),
            (offset, len),
            "{text:?}: wrong span for {:?}",
            e.message
        );
        assert!(!e.help.is_empty(), "{text:?}: empty help");
        assert!(
            e.offset + e.len <= text.len(),
            "{text:?}: span past the end"
        );
    }
}

#[test]
fn help_suggests_the_quoted_spelling() {
    assert_eq!(
        fail("$.steps.my field.x").help,
        "quote member names that contain spaces: `$.steps['my field']`"
    );
    assert_eq!(fail("$.a&b.c").help, "quote the member name: `$['a&b']`");
    assert_eq!(
        fail("$..it's").help,
        "quote the member name: `$..['it\\'s']`"
    );
    assert_eq!(
        fail("$abc").help,
        "write `$.abc` to select the member `abc`"
    );
    assert_eq!(
        fail("$[abc]").help,
        "write `['abc']`, or `.abc` outside brackets"
    );
    assert_eq!(
        fail("$[?(@.a == FooBar)]").help,
        "quote strings: `'FooBar'`"
    );
    assert_eq!(fail("$[?(@.a and @.b)]").help, OPS_HELP);
    assert_eq!(fail("$[?(@.a === 1)]").help, OPS_HELP);
    // The suggested fixes themselves parse.
    assert_eq!(
        ok("$.steps['my field']").field_prefix(),
        vec!["steps", "my field"]
    );
    assert_eq!(
        ok("$..['it\\'s']").steps[0],
        Step::Descendant(Box::new(field("it's")))
    );
}

#[test]
fn caps_filter_nesting() {
    let deep = |n: usize| format!("$[?({}@.a{})]", "(".repeat(n), ")".repeat(n));
    assert!(parse(&deep(MAX_FILTER_DEPTH - 1)).is_ok());
    let e = fail(&deep(MAX_FILTER_DEPTH));
    assert!(e.message.contains("nested more than 64 levels"), "{e:?}");
    assert_eq!(e.offset, 3 + MAX_FILTER_DEPTH);
    assert!(fail(&deep(100_000)).message.contains("nested"));
    assert!(
        fail(&format!("$[?({}@.a)]", "!".repeat(100_000)))
            .message
            .contains("nested")
    );
    let nested_filters = format!("${}", "[?(@.a".repeat(100_000));
    assert!(fail(&nested_filters).message.contains("nested"));
    assert!(
        fail(&format!("$[?({}", "(".repeat(100_000)))
            .message
            .contains("nested")
    );
}

#[test]
fn definite_and_reference_paths() {
    // (text, is_definite, is_reference_path)
    let cases = [
        ("$", true, true),
        ("$$", true, true),
        ("$.a.b", true, true),
        ("$['a b'].c", true, true),
        ("$.a[0].b", true, true),
        ("$.ledgers[0][22][315].foo", true, true),
        ("$$.Execution.Input", true, true),
        ("$.a[-1]", true, false),
        ("$.a[*]", false, false),
        ("$.a.*", false, false),
        ("$.a[0,1]", false, false),
        ("$['a','b']", false, false),
        ("$.a[1:3]", false, false),
        ("$.a[-1:]", false, false),
        ("$..a", false, false),
        ("$..[0]", false, false),
        ("$.a[?(@.b)]", false, false),
        ("$.a[?(@.b)].c", false, false),
    ];
    for (text, definite, reference) in cases {
        let path = ok(text);
        assert_eq!(path.is_definite(), definite, "is_definite({text:?})");
        assert_eq!(
            path.is_reference_path(),
            reference,
            "is_reference_path({text:?})"
        );
    }
}

#[test]
fn field_prefix_stops_at_the_first_non_field() {
    let cases: [(&str, &[&str]); 7] = [
        ("$", &[]),
        ("$.steps.x.y", &["steps", "x", "y"]),
        (
            "$.steps.ctas_trips.query_id",
            &["steps", "ctas_trips", "query_id"],
        ),
        ("$['a b'].c[0].d", &["a b", "c"]),
        ("$[0].a", &[]),
        ("$.a..b", &["a"]),
        ("$$.Execution.Id", &["Execution", "Id"]),
    ];
    for (text, prefix) in cases {
        assert_eq!(ok(text).field_prefix(), prefix, "{text:?}");
    }
}

#[test]
fn displays_hand_built_values() {
    let path = JsonPath {
        context: false,
        variable: None,
        steps: vec![
            field("a.b"),
            field("x\ny"),
            Step::Union(vec![
                UnionItem::Field("it's".into()),
                UnionItem::Field("".into()),
            ]),
            Step::Descendant(Box::new(Step::Slice {
                start: None,
                end: Some(-1),
                step: None,
            })),
            Step::Descendant(Box::new(field("with space"))),
        ],
    };
    let text = path.to_string();
    assert_eq!(
        text,
        "$['a.b']['x\\ny']['it\\'s','']..[:-1]..['with space']"
    );
    assert_eq!(ok(&text), path);
    let sliced = Step::Slice {
        start: Some(0),
        end: Some(10),
        step: Some(2),
    };
    assert_eq!(sliced.to_string(), "[0:10:2]");
    let expr = FilterExpr::And(
        Box::new(FilterExpr::Not(Box::new(FilterExpr::Compare {
            left: cur(vec![field("n")]),
            op: CompareOp::Ge,
            right: num(1e21),
        }))),
        Box::new(FilterExpr::Or(
            Box::new(FilterExpr::Exists(vec![field("a")])),
            Box::new(FilterExpr::Exists(vec![Step::Index(0)])),
        )),
    );
    let path = JsonPath {
        context: true,
        variable: None,
        steps: vec![Step::Filter(expr)],
    };
    assert_eq!(
        path.to_string(),
        "$$[?(!(@.n >= 1000000000000000000000) && (@.a || @[0]))]"
    );
    assert_eq!(ok(&path.to_string()), path);
}

#[test]
fn from_str_and_error_display() {
    let path: JsonPath = "$.a".parse().expect("valid");
    assert_eq!(path.steps, vec![field("a")]);
    let e = "$.".parse::<JsonPath>().expect_err("invalid");
    assert_eq!(e.to_string(), e.message);
}

/// Every prefix of every valid path must either parse or fail cleanly, and whatever
/// parses must print and parse back to the same value.
#[test]
fn never_panics_on_prefixes() {
    let samples = [
        "$.a['b c'][0,1][1:3]..d[?(@.x == 'y' && !(@.n < -1.5e2) || @['k'])][*].é",
        "$$.Map.Item.Value['\\u00e9\\ud83d\\ude00\\n'][\"q\\\"\"]",
        "$..[?(@.a[?(@.b)])]..*[-1:][:2]",
    ];
    for sample in samples {
        for (i, _) in sample.char_indices().chain([(sample.len(), ' ')]) {
            if let Ok(path) = parse(&sample[..i]) {
                assert_eq!(ok(&path.to_string()), path, "prefix {:?}", &sample[..i]);
            }
        }
    }
}

/// Random strings over the path alphabet: no panics, spans in bounds, round-trips.
#[test]
fn never_panics_on_random_input() {
    let alphabet: Vec<char> = "$$$...[[]]''\"\"??(())@@**,,::--0123456789abn tf=!<>&|\\/{}éЖ😀u"
        .chars()
        .collect();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut parsed = 0;
    for _ in 0..50_000 {
        let len = (next() % 24) as usize;
        let mut text = String::from("$");
        for _ in 0..len {
            text.push(alphabet[(next() % alphabet.len() as u64) as usize]);
        }
        match parse(&text) {
            Ok(path) => {
                parsed += 1;
                assert_eq!(ok(&path.to_string()), path, "{text:?}");
            }
            Err(e) => {
                assert!(e.offset + e.len <= text.len(), "{text:?}: {e:?}");
                assert!(
                    text.is_char_boundary(e.offset) && text.is_char_boundary(e.offset + e.len),
                    "{text:?}: {e:?}"
                );
            }
        }
    }
    assert!(parsed > 100, "only {parsed} random inputs parsed");
}
