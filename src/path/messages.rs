//! The wording of every path error, in one place.

use super::PathError;

/// (message, help) of the errors whose wording does not depend on the input.
pub type Msg = (&'static str, &'static str);

/// One line per error, so the wording can be reviewed at a glance.
#[rustfmt::skip]
pub mod msg {
    use super::Msg;
    pub const EMPTY: Msg = ("the path is empty", "a path starts with `$`, e.g. `$.field`");
    pub const NO_ROOT: Msg = ("a path must start with `$`", "write `$.name` for a field of the state input, or `$$.name` for the context object");
    pub const TRAILING_SPACE: Msg = ("the path ends with spaces", "remove the trailing spaces");
    pub const SPACE: Msg = ("spaces are not allowed in a path outside brackets", "quote member names that contain spaces: `$['my field']`");
    pub const STRAY_CLOSE: Msg = ("unexpected `]` without a matching `[`", "remove the `]` or add a `[`");
    pub const NO_NAME: Msg = ("expected a member name after `.`", "add a member name, e.g. `$.name`, or quote unusual names: `$['my field']`");
    pub const NO_DESCENDANT: Msg = ("expected a member name, `*` or `[` after `..`", "write e.g. `$..name` to find `name` at any depth");
    pub const FUNCTION_HELP: &str = "Step Functions has no JSONPath functions; use an intrinsic such as `States.ArrayLength(...)` in a Parameters or ResultSelector field";
    pub const UNCLOSED: Msg = ("unclosed `[` in path", "add the closing `]`");
    pub const EMPTY_BRACKETS: Msg = ("empty `[]` in path", "put an index, a quoted member name, `*` or a filter inside, e.g. `[0]` or `['name']`");
    pub const BRACKET_HELP: &str = "use `[0]`, `['name']`, `[*]`, `[0,1]`, `[1:3]` or `[?(...)]`";
    pub const SCRIPT: Msg = ("script expressions `[(...)]` are not supported by Step Functions", "use `[-1]` to select the last element");
    pub const MIXED: Msg = ("a union cannot mix member names and indexes", "list only names (`['a','b']`) or only indexes (`[0,1]`), as Jayway JsonPath requires");
    pub const NO_ITEM: Msg = ("expected a quoted member name or an index after `,`", "list names like `['a','b']` or indexes like `[0,1]`");
    pub const UNCLOSED_QUOTE: Msg = ("unclosed quote in path", "end the string with the quote it starts with");
    pub const BAD_ESCAPE_HELP: &str = "valid escapes are `\\\\`, `\\'`, `\\\"`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\u` with four hex digits";
    pub const BAD_UNICODE: Msg = ("invalid `\\u` escape in a quoted string", "write four hex digits, e.g. `\\u00e9`, and pair surrogates like `\\ud83d\\ude00`");
    pub const LONE_MINUS: Msg = ("expected digits after `-`", "write a negative index like `[-1]`");
    pub const INDEX_HELP: &str = "Step Functions (Jayway JsonPath) indexes must be between -2147483648 and 2147483647";
    pub const SLICE_STEP: Msg = ("slice steps like `[0:10:2]` are not supported by Step Functions", "Jayway JsonPath only has `[start:end]`, `[start:]` and `[:end]`");
    pub const EMPTY_SLICE: Msg = ("a slice needs a start or an end", "use `[*]` for every element, or e.g. `[1:]`");
    pub const NO_PARENS: Msg = ("a filter must be wrapped in parentheses", "write the condition in parentheses: `[?(@.price < 10)]`");
    pub const TOO_DEEP: Msg = ("the filter is nested more than 64 levels deep", "simplify the filter expression");
    pub const UNCLOSED_PAREN: Msg = ("unclosed `(` in filter", "add the closing `)`");
    pub const BAD_NOT: Msg = ("expected `(`, `!` or `@.member` after `!`", "negate a test like `!@.deleted` or `!(@.price > 10)`");
    pub const NOT_COMPARISON: Msg = ("`!` only negates the member right after it", "wrap the comparison in parentheses: `!(@.a == 1)`");
    pub const LONE_LITERAL: Msg = ("a literal on its own is not a filter condition", "compare it with a member, e.g. `@.status == 'done'`");
    pub const SINGLE_EQUALS: Msg = ("use `==` to compare values in a filter", "write e.g. `@.status == 'done'`");
    pub const ROOT_IN_FILTER: Msg = ("a filter cannot refer to another value of the input (`$...`)", "Step Functions filters compare members of the current element (`@.field`) with literals");
    pub const UNSUPPORTED_LITERAL: Msg = ("regular expressions, arrays and objects are not supported in Step Functions filters", "compare one value at a time with `==` and join the tests with `||`");
    pub const FILTER_END: Msg = ("the filter ends unexpectedly", "complete the condition and close it with `)]`");
    pub const VALUE_HELP: &str = "use `@.member`, a quoted string, a number, `true`, `false` or `null`";
    pub const LONE_AT: Msg = ("`@` on its own never matches in Step Functions, because `@` only matches objects", "compare a member of the current element, e.g. `@.price < 10`");
    pub const NUMBER_HELP: &str = "write numbers like `10`, `-2.5` or `1e3`";
    pub const OPS_HELP: &str = "filters support `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||` and `!`";
    /// Jayway operators Step Functions lacks. AWS: no regular expressions and no lexical
    /// operators; `===` and `!==` are undocumented there, so we ask for `==` and `!=`.
    pub const REFUSED_OPS: [&str; 14] = ["=~", "===", "!==", "in", "nin", "subsetof", "anyof", "noneof", "size", "empty", "contains", "all", "matches", "type"];
}
pub use msg::*;

pub fn err(
    at: usize,
    len: usize,
    (message, help): (impl Into<String>, impl Into<String>),
) -> PathError {
    PathError {
        offset: at,
        len,
        message: message.into(),
        help: help.into(),
    }
}
