//! Parsing and validation of the JSONPath strings of Amazon States Language
//! (`QueryLanguage: JSONPath`): `InputPath`, `ResultPath`, `ItemsPath`, Choice
//! `Variable`, `*.$` payload-template fields, and so on.
//!
//! Sources, in order of authority:
//! - AWS guide, "Using JSONPath paths": reference paths use only dot and bracket
//!   notation, no `@ .. , : ? *`, no functions such as `length()`, no lexical operators
//!   such as `subsetof`, no filtering by regular expression or by another value of the
//!   JSON; `@` only matches objects. `$.abc.['def ghi']` is AWS's own bracket example.
//! - ASL spec (states-language.net), "Paths" / "Reference Paths": a path starts with `$`,
//!   `$$` addresses the Context Object, the syntax is Jayway JsonPath; reference paths
//!   have no `@ , : ?` and identify one node; `ResultPath` must not start with `$$`
//!   (callers check [`JsonPath::context`]). It writes `$.error-info` and `$.vals[-3:]`.
//! - Jayway `PathCompiler`/`FilterCompiler`: filters are `[?(...)]`, slices have no
//!   step, a union lists only quoted names or only indexes, indexes are Java `int`s.

use std::fmt;

/// Deepest nesting of filters, `(` groups and `!` in one path (see `TOO_DEEP`).
pub const MAX_FILTER_DEPTH: usize = 64;

/// A parsed path; `context` is true for `$$` paths (the Context Object).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    pub context: bool,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// `.name` or `['name']`.
    Field(String),
    /// `[2]`; negative counts from the end (Jayway).
    Index(i64),
    /// `.*` or `[*]`.
    Wildcard,
    /// `['a','b']` or `[0,1]`: two or more items, never mixed (Jayway).
    Union(Vec<UnionItem>),
    /// `[1:3]`, `[:2]`, `[-3:]`. The parser never sets `step`: Jayway has none.
    Slice {
        start: Option<i64>,
        end: Option<i64>,
        step: Option<i64>,
    },
    /// `..name`, `..*`, `..[0]`, `..['a b']`, `..[?(...)]`.
    Descendant(Box<Step>),
    /// `[?(...)]`.
    Filter(FilterExpr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum UnionItem {
    Field(String),
    Index(i64),
}

/// A filter condition, tested against each candidate element (`@`).
#[derive(Debug, Clone, PartialEq)]
pub enum FilterExpr {
    Or(Box<FilterExpr>, Box<FilterExpr>),
    And(Box<FilterExpr>, Box<FilterExpr>),
    Not(Box<FilterExpr>),
    /// `@.x`: the element has this member. Never empty.
    Exists(Vec<Step>),
    Compare {
        left: Operand,
        op: CompareOp,
        right: Operand,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A path relative to the current element, such as `@.price`. Never empty.
    Current(Vec<Step>),
    Literal(Literal),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    String(String),
    Number(f64),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Longest first, so `<=` is not read as `<`.
const OPS: [(&str, CompareOp); 6] = [
    ("==", CompareOp::Eq),
    ("!=", CompareOp::Ne),
    ("<=", CompareOp::Le),
    (">=", CompareOp::Ge),
    ("<", CompareOp::Lt),
    (">", CompareOp::Gt),
];

impl CompareOp {
    pub fn as_str(self) -> &'static str {
        OPS.iter()
            .find(|(_, op)| *op == self)
            .map_or("", |(s, _)| s)
    }
}

/// A syntax error; `offset` and `len` are byte positions in the path text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub help: String,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PathError {}

impl JsonPath {
    /// Only member names and non-negative indexes: an ASL "Reference Path", as required
    /// by `ResultPath`, `ItemsPath`, `*SecondsPath`... Negative indexes are refused as
    /// AWS Toolkit's asl-path-validator does.
    pub fn is_reference_path(&self) -> bool {
        let plain =
            |s: &Step| matches!(s, Step::Field(_)) || matches!(s, Step::Index(i) if *i >= 0);
        self.steps.iter().all(plain)
    }

    /// Selects at most one node (Jayway's "definite" path).
    pub fn is_definite(&self) -> bool {
        let single = |s: &Step| matches!(s, Step::Field(_) | Step::Index(_));
        self.steps.iter().all(single)
    }

    /// The leading field names while the path is plain fields: `$.a.b[0]` -> `["a", "b"]`.
    pub fn field_prefix(&self) -> Vec<&str> {
        let fields = self.steps.iter().map_while(|s| match s {
            Step::Field(name) => Some(name.as_str()),
            _ => None,
        });
        fields.collect()
    }
}

impl std::str::FromStr for JsonPath {
    type Err = PathError;
    fn from_str(text: &str) -> Result<Self, PathError> {
        parse(text)
    }
}

/// Parses an ASL JSONPath such as `$.a[0].b` or `$$.Execution.Id`.
pub fn parse(text: &str) -> Result<JsonPath, PathError> {
    Parser {
        src: text,
        pos: 0,
        depth: 0,
    }
    .root()
}

/// Characters allowed in dot notation. Jayway takes anything up to `.`, `[`, `(` or a
/// space; AWS asks for brackets around punctuation, yet the ASL spec writes
/// `$.error-info`. We take the RFC 9535 shorthand (letters, digits, `_`, non-ASCII) plus
/// `-`, `$` and `@`. The spec's `$.store\.book` escapes are refused: Jayway would split
/// at the `.`, so `$['store.book']` is the spelling that means the same everywhere.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | '-' | '$' | '@')
        || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
}

fn is_shorthand(name: &str) -> bool {
    !name.is_empty() && name.chars().all(is_name_char)
}

fn is_index_start(c: char) -> bool {
    c == '-' || c.is_ascii_digit()
}

/// (message, help) of the errors whose wording does not depend on the input.
type Msg = (&'static str, &'static str);

/// One line per error, so the wording can be reviewed at a glance.
#[rustfmt::skip]
mod msg {
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
    pub const BAD_ESCAPE_HELP: &str = "valid escapes are `\\\\`, `\\'`, `\\\"`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\uXXXX`";
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
use msg::*;

fn err(
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

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) {
        self.pos += self.peek().map_or(0, char::len_utf8);
    }

    fn eat(&mut self, s: &str) -> bool {
        let found = self.rest().starts_with(s);
        self.pos += if found { s.len() } else { 0 };
        found
    }

    /// Skips the whitespace Jayway allows inside brackets and filters.
    fn skip_ws(&mut self) {
        self.take_while(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.bump();
        }
        &self.src[start..self.pos]
    }

    /// An error on the character at the cursor.
    fn here(&self, msg: (impl Into<String>, impl Into<String>)) -> PathError {
        err(self.pos, self.peek().map_or(0, char::len_utf8), msg)
    }

    fn root(mut self) -> Result<JsonPath, PathError> {
        if self.src.is_empty() {
            return Err(err(0, 0, EMPTY));
        } else if !self.eat("$") {
            return Err(self.here(NO_ROOT));
        }
        let context = self.eat("$");
        let steps = self.steps(false)?;
        Ok(JsonPath { context, steps })
    }

    /// Steps up to the end of the text, or in a filter up to the first character that
    /// cannot continue the `@` path.
    fn steps(&mut self, in_filter: bool) -> Result<Vec<Step>, PathError> {
        let mut steps = Vec::new();
        loop {
            let step = match self.peek() {
                Some('.') if self.rest().starts_with("..") => self.descendant(in_filter)?,
                Some('.') => self.dot_member(in_filter)?,
                Some('[') => self.bracket()?,
                Some(c) if !in_filter => return Err(self.unexpected(c, steps.is_empty())),
                _ => return Ok(steps),
            };
            steps.push(step);
        }
    }

    fn unexpected(&self, c: char, at_root: bool) -> PathError {
        if let Some(e) = self.stray(c) {
            return e;
        }
        let root = &self.src[..self.pos];
        if at_root && is_name_char(c) {
            let word = self.rest().split(|c| !is_name_char(c)).next().unwrap_or("");
            let msg = format!("expected `.` or `[` after `{root}`");
            return self.here((
                msg,
                format!("write `{root}.{word}` to select the member `{word}`"),
            ));
        }
        let help = "member names with special characters must be quoted, e.g. `$['a&b']`";
        self.here((format!("unexpected `{c}` in path"), help))
    }

    /// Spaces or a `]` where a step should end.
    fn stray(&self, c: char) -> Option<PathError> {
        if c.is_whitespace() && self.rest().trim().is_empty() {
            Some(err(self.pos, self.rest().len(), TRAILING_SPACE))
        } else if c.is_whitespace() {
            Some(self.here(SPACE))
        } else {
            (c == ']').then(|| self.here(STRAY_CLOSE))
        }
    }

    /// After `.`: a member name, `*`, or a bracket (AWS documents `$.abc.['def ghi']`).
    fn dot_member(&mut self, in_filter: bool) -> Result<Step, PathError> {
        let dot = self.pos;
        self.bump();
        match self.peek() {
            Some('*') => Ok(self.wildcard()),
            Some('[') => self.bracket(),
            Some(c) if is_name_char(c) => self.dot_name(in_filter, dot).map(Step::Field),
            Some(c) if c.is_whitespace() => Err(self.unexpected(c, false)),
            _ => Err(err(dot, 1, NO_NAME)),
        }
    }

    fn wildcard(&mut self) -> Step {
        self.bump();
        Step::Wildcard
    }

    /// A dot-notation name; `token` is where its `.` or `..` starts, for the help text.
    fn dot_name(&mut self, in_filter: bool, token: usize) -> Result<String, PathError> {
        let start = self.pos;
        let name = self.take_while(is_name_char);
        match self.peek() {
            Some('(') => {
                let msg =
                    format!("functions such as `{name}()` are not supported by Step Functions");
                Err(err(start, name.len() + 1, (msg, FUNCTION_HELP)))
            }
            None | Some('.' | '[') => Ok(name.to_string()),
            Some(_) if in_filter => Ok(name.to_string()),
            Some(c) => Err(self.bad_name_char(token, start, c)),
        }
    }

    /// A character that cannot continue a dot-notation name: suggest the quoted form.
    fn bad_name_char(&self, token: usize, start: usize, c: char) -> PathError {
        if c == ']' || self.rest().trim().is_empty() {
            return self.stray(c).unwrap_or_else(|| self.here(STRAY_CLOSE));
        }
        let dots = if start > token + 1 { ".." } else { "" };
        let segment = self.src[start..].split(['.', '[']).next().unwrap_or("");
        let fix = format!("`{}{dots}['{}']`", &self.src[..token], Quoted(segment));
        if c.is_whitespace() {
            let msg = "spaces are not allowed in a dot-notation member name";
            self.here((
                msg,
                format!("quote member names that contain spaces: {fix}"),
            ))
        } else {
            let msg = format!("`{c}` is not allowed in a dot-notation member name");
            self.here((msg, format!("quote the member name: {fix}")))
        }
    }

    fn descendant(&mut self, in_filter: bool) -> Result<Step, PathError> {
        let token = self.pos;
        self.pos += 2;
        let inner = match self.peek() {
            Some('*') => self.wildcard(),
            Some('[') => self.bracket()?,
            Some(c) if is_name_char(c) => Step::Field(self.dot_name(in_filter, token)?),
            Some(_) => return Err(self.here(NO_DESCENDANT)),
            None => return Err(err(token, 2, NO_DESCENDANT)),
        };
        Ok(Step::Descendant(Box::new(inner)))
    }

    fn bracket(&mut self) -> Result<Step, PathError> {
        let open = self.pos;
        self.bump();
        self.skip_ws();
        let step = match self.peek() {
            None => return Err(err(open, 1, UNCLOSED)),
            Some(']') => return Err(err(open, self.pos + 1 - open, EMPTY_BRACKETS)),
            Some('*') => self.wildcard(),
            Some('?') => self.filter()?,
            Some('(') => return Err(self.here(SCRIPT)),
            Some(':') => self.slice(None)?,
            Some(c) if c == '\'' || c == '"' || is_index_start(c) => self.union()?,
            Some(c) if is_name_char(c) => {
                let (at, word) = (self.pos, self.take_while(is_name_char));
                let help = format!("write `['{word}']`, or `.{word}` outside brackets");
                return Err(err(
                    at,
                    word.len(),
                    ("member names inside `[...]` must be quoted", help),
                ));
            }
            Some(c) => return Err(self.here((format!("unexpected `{c}` after `[`"), BRACKET_HELP))),
        };
        self.skip_ws();
        match self.peek() {
            Some(']') => {
                self.bump();
                Ok(step)
            }
            None => Err(err(open, 1, UNCLOSED)),
            Some(c) => {
                Err(self.here((format!("expected `]` but found `{c}`"), "close it with `]`")))
            }
        }
    }

    /// Skips a `,` and the spaces around it; false when there is none.
    fn comma(&mut self) -> bool {
        self.skip_ws();
        let found = self.eat(",");
        self.skip_ws();
        found
    }

    /// `['a']`, `['a','b']`, `[0]`, `[0,1]`, or a slice that starts with an index.
    fn union(&mut self) -> Result<Step, PathError> {
        let mut items = vec![self.union_item()?];
        self.skip_ws();
        if let (Some(':'), [UnionItem::Index(start)]) = (self.peek(), items.as_slice()) {
            return self.slice(Some(*start));
        }
        while self.comma() {
            let at = self.pos;
            let item = self.union_item()?;
            if std::mem::discriminant(&item) != std::mem::discriminant(&items[0]) {
                return Err(err(at, 1, MIXED));
            }
            items.push(item);
        }
        Ok(match (items.len(), items.pop()) {
            (1, Some(UnionItem::Field(name))) => Step::Field(name),
            (1, Some(UnionItem::Index(i))) => Step::Index(i),
            (_, last) => Step::Union(items.into_iter().chain(last).collect()),
        })
    }

    fn union_item(&mut self) -> Result<UnionItem, PathError> {
        match self.peek() {
            Some(q @ ('\'' | '"')) => Ok(UnionItem::Field(self.quoted(q)?)),
            Some(c) if is_index_start(c) => Ok(UnionItem::Index(self.int()?)),
            _ => Err(self.here(NO_ITEM)),
        }
    }

    /// At the `:` of a slice.
    fn slice(&mut self, start: Option<i64>) -> Result<Step, PathError> {
        let colon = self.pos;
        self.bump();
        self.skip_ws();
        let end = match self.peek() {
            Some(c) if is_index_start(c) => Some(self.int()?),
            _ => None,
        };
        self.skip_ws();
        if self.peek() == Some(':') {
            return Err(self.here(SLICE_STEP));
        } else if start.is_none() && end.is_none() {
            return Err(err(colon, 1, EMPTY_SLICE));
        }
        Ok(Step::Slice {
            start,
            end,
            step: None,
        })
    }

    /// An index or slice bound; Jayway reads these as Java `int`s.
    fn int(&mut self) -> Result<i64, PathError> {
        let start = self.pos;
        self.eat("-");
        if self.take_while(|c| c.is_ascii_digit()).is_empty() {
            return Err(err(start, 1, LONE_MINUS));
        }
        let text = &self.src[start..self.pos];
        let msg = || (format!("the index `{text}` is out of range"), INDEX_HELP);
        text.parse::<i32>()
            .map(i64::from)
            .map_err(|_| err(start, text.len(), msg()))
    }

    /// A quoted name or string literal with JSON escapes, at its opening quote.
    fn quoted(&mut self, quote: char) -> Result<String, PathError> {
        let open = self.pos;
        self.bump();
        let mut out = String::new();
        loop {
            let c = self.peek().ok_or_else(|| err(open, 1, UNCLOSED_QUOTE))?;
            self.bump();
            match c {
                _ if c == quote => return Ok(out),
                '\\' => out.push(self.escape(self.pos - 1)?),
                _ => out.push(c),
            }
        }
    }

    fn escape(&mut self, at: usize) -> Result<char, PathError> {
        // A `\` at the very end: the caller then reports the unclosed quote.
        let Some(c) = self.peek() else {
            return Ok('\\');
        };
        self.bump();
        Ok(match c {
            '\\' | '\'' | '"' | '/' => c,
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => return self.unicode_escape(at),
            _ => {
                let msg = format!("unknown escape `\\{c}` in a quoted string");
                return Err(err(at, 1 + c.len_utf8(), (msg, BAD_ESCAPE_HELP)));
            }
        })
    }

    /// `\uXXXX`, with a following `\uXXXX` for a surrogate pair.
    fn unicode_escape(&mut self, at: usize) -> Result<char, PathError> {
        let high = self.hex4().ok_or_else(|| err(at, 2, BAD_UNICODE))?;
        let code = if (0xD800..0xDC00).contains(&high) {
            let low = self.eat("\\u").then(|| self.hex4()).flatten();
            let low = low.filter(|low| (0xDC00..0xE000).contains(low));
            0x10000 + ((high - 0xD800) << 10) + low.ok_or_else(|| err(at, 6, BAD_UNICODE))? - 0xDC00
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| err(at, 6, BAD_UNICODE))
    }

    fn hex4(&mut self) -> Option<u32> {
        let hex = self
            .rest()
            .get(..4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))?;
        self.pos += 4;
        u32::from_str_radix(hex, 16).ok()
    }

    fn filter(&mut self) -> Result<Step, PathError> {
        let question = self.pos;
        self.bump();
        self.skip_ws();
        if self.peek() != Some('(') {
            return Err(err(question, 1, NO_PARENS));
        }
        self.group().map(Step::Filter)
    }

    /// Counts a level of nesting, so hostile input cannot overflow the stack.
    fn enter(&mut self) -> Result<(), PathError> {
        self.depth += 1;
        match self.depth > MAX_FILTER_DEPTH {
            true => Err(self.here(TOO_DEEP)),
            false => Ok(()),
        }
    }

    /// `( or_expr )`, at the `(`.
    fn group(&mut self) -> Result<FilterExpr, PathError> {
        let open = self.pos;
        self.enter()?;
        self.bump();
        let expr = self.or_expr()?;
        self.skip_ws();
        match self.peek() {
            Some(')') => self.bump(),
            None | Some(']') => return Err(err(open, 1, UNCLOSED_PAREN)),
            Some(_) => return Err(self.filter_junk("expected `&&`, `||` or `)`")),
        }
        self.depth -= 1;
        Ok(expr)
    }

    fn or_expr(&mut self) -> Result<FilterExpr, PathError> {
        let mut left = self.and_expr()?;
        while self.skip_ws_eat("||") {
            left = FilterExpr::Or(Box::new(left), Box::new(self.and_expr()?));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<FilterExpr, PathError> {
        let mut left = self.unary()?;
        while self.skip_ws_eat("&&") {
            left = FilterExpr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn skip_ws_eat(&mut self, s: &str) -> bool {
        self.skip_ws();
        self.eat(s)
    }

    fn unary(&mut self) -> Result<FilterExpr, PathError> {
        self.skip_ws();
        match self.peek() {
            Some('(') => self.group(),
            Some('!') => self.not(),
            _ => self.comparison(),
        }
    }

    /// `!(...)`, `!!...` or `!@.x` ("has no member x" in Jayway).
    fn not(&mut self) -> Result<FilterExpr, PathError> {
        let bang = self.pos;
        self.enter()?;
        self.bump();
        self.skip_ws();
        let inner = match self.peek() {
            Some('(') => self.group()?,
            Some('!') => self.not()?,
            Some('@') => {
                let steps = self.current_path()?;
                self.skip_ws();
                if self.comparison_op()?.is_some() {
                    return Err(err(bang, 1, NOT_COMPARISON));
                }
                FilterExpr::Exists(steps)
            }
            _ => return Err(err(bang, 1, BAD_NOT)),
        };
        self.depth -= 1;
        Ok(FilterExpr::Not(Box::new(inner)))
    }

    fn comparison(&mut self) -> Result<FilterExpr, PathError> {
        let start = self.pos;
        let left = self.operand()?;
        let end = self.pos;
        self.skip_ws();
        match (self.comparison_op()?, left) {
            (Some(op), left) => {
                self.skip_ws();
                Ok(FilterExpr::Compare {
                    left,
                    op,
                    right: self.operand()?,
                })
            }
            (None, Operand::Current(steps)) => Ok(FilterExpr::Exists(steps)),
            (None, Operand::Literal(_)) => Err(err(start, end - start, LONE_LITERAL)),
        }
    }

    fn comparison_op(&mut self) -> Result<Option<CompareOp>, PathError> {
        if REFUSED_OPS[..3]
            .iter()
            .any(|op| self.rest().starts_with(op))
        {
            return Err(self.filter_junk(""));
        }
        if let Some((text, op)) = OPS.iter().find(|(text, _)| self.rest().starts_with(text)) {
            self.pos += text.len();
            return Ok(Some(*op));
        }
        match self.peek() {
            Some('=') => Err(self.here(SINGLE_EQUALS)),
            Some(c) if c.is_alphabetic() => Err(self.filter_junk("")),
            _ => Ok(None),
        }
    }

    /// Explains an operator, word or character that cannot come next in a filter.
    fn filter_junk(&self, expected: &str) -> PathError {
        let rest = self.rest();
        let word = match REFUSED_OPS[..3].iter().find(|op| rest.starts_with(*op)) {
            Some(op) => op,
            None => rest
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
                .unwrap_or(""),
        };
        let message = match word.to_ascii_lowercase().as_str() {
            "" => format!("{expected} in filter"),
            "and" | "or" => format!("`{word}` is not a filter operator"),
            w if REFUSED_OPS.contains(&w) => {
                format!("the operator `{word}` is not supported by Step Functions")
            }
            _ => format!("unexpected `{word}` in filter"),
        };
        let len = if word.is_empty() {
            self.peek().map_or(0, char::len_utf8)
        } else {
            word.len()
        };
        err(self.pos, len, (message, OPS_HELP))
    }

    fn operand(&mut self) -> Result<Operand, PathError> {
        let literal = |l| Ok::<_, PathError>(Operand::Literal(l));
        match self.peek() {
            Some('@') => self.current_path().map(Operand::Current),
            Some('$') => Err(self.here(ROOT_IN_FILTER)),
            Some(q @ ('\'' | '"')) => literal(Literal::String(self.quoted(q)?)),
            Some(c) if is_index_start(c) => literal(Literal::Number(self.number()?)),
            Some('/' | '[' | '{') => Err(self.here(UNSUPPORTED_LITERAL)),
            Some(c) if c.is_alphabetic() => literal(self.keyword()?),
            None => Err(self.here(FILTER_END)),
            Some(c) => Err(self.here((format!("expected a value but found `{c}`"), VALUE_HELP))),
        }
    }

    /// `@` and its steps. A bare `@` never matches: AWS says `@` only matches objects.
    fn current_path(&mut self) -> Result<Vec<Step>, PathError> {
        let at = self.pos;
        self.bump();
        let steps = self.steps(true)?;
        match steps.is_empty() {
            true => Err(err(at, 1, LONE_AT)),
            false => Ok(steps),
        }
    }

    fn keyword(&mut self) -> Result<Literal, PathError> {
        let at = self.pos;
        match self.take_while(|c| c.is_alphanumeric() || c == '_') {
            "true" => Ok(Literal::Bool(true)),
            "false" => Ok(Literal::Bool(false)),
            "null" => Ok(Literal::Null),
            word => {
                let msg = (
                    format!("`{word}` is not a value"),
                    format!("quote strings: `'{word}'`"),
                );
                Err(err(at, word.len(), msg))
            }
        }
    }

    /// A number as Jayway reads it (digits, `-`, `+`, `.`, `e`), kept if it is a finite f64.
    fn number(&mut self) -> Result<f64, PathError> {
        let at = self.pos;
        let text =
            self.take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'));
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(err(
                at,
                text.len(),
                (format!("`{text}` is not a valid number"), NUMBER_HELP),
            )),
        }
    }
}

/// A string as written between single quotes, escaping what the parser unescapes.
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.chars().try_for_each(|c| match c {
            '\\' => f.write_str("\\\\"),
            '\'' => f.write_str("\\'"),
            '\n' => f.write_str("\\n"),
            '\r' => f.write_str("\\r"),
            '\t' => f.write_str("\\t"),
            '\u{8}' => f.write_str("\\b"),
            '\u{c}' => f.write_str("\\f"),
            c if c.is_control() => write!(f, "\\u{:04x}", u32::from(c)),
            c => write!(f, "{c}"),
        })
    }
}

impl fmt::Display for JsonPath {
    /// Canonical text: dot notation where possible, `[*]`, single quotes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.context { "$$" } else { "$" })?;
        self.steps.iter().try_for_each(|step| write!(f, "{step}"))
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bound = |n: &Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        match self {
            Step::Field(name) if is_shorthand(name) => write!(f, ".{name}"),
            Step::Field(name) => write!(f, "['{}']", Quoted(name)),
            Step::Index(i) => write!(f, "[{i}]"),
            Step::Wildcard => f.write_str("[*]"),
            Step::Union(items) => {
                let items: Vec<String> = items.iter().map(ToString::to_string).collect();
                write!(f, "[{}]", items.join(","))
            }
            Step::Slice { start, end, step } => {
                let step = step.map(|s| format!(":{s}")).unwrap_or_default();
                write!(f, "[{}:{}{step}]", bound(start), bound(end))
            }
            Step::Descendant(inner) => match inner.as_ref() {
                Step::Field(name) if is_shorthand(name) => write!(f, "..{name}"),
                Step::Wildcard => f.write_str("..*"),
                other => write!(f, "..{other}"),
            },
            Step::Filter(expr) => write!(f, "[?({expr})]"),
        }
    }
}

impl fmt::Display for UnionItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnionItem::Field(name) => write!(f, "'{}'", Quoted(name)),
            UnionItem::Index(i) => write!(f, "{i}"),
        }
    }
}

impl fmt::Display for FilterExpr {
    /// Parenthesises only where the text would otherwise parse to a different tree.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FilterExpr::{And, Compare, Exists, Not, Or};
        fn part(f: &mut fmt::Formatter<'_>, e: &FilterExpr, paren: bool) -> fmt::Result {
            if paren {
                write!(f, "({e})")
            } else {
                write!(f, "{e}")
            }
        }
        match self {
            Or(l, r) => {
                write!(f, "{l} || ")?;
                part(f, r, matches!(**r, Or(..)))
            }
            And(l, r) => {
                part(f, l, matches!(**l, Or(..)))?;
                f.write_str(" && ")?;
                part(f, r, matches!(**r, Or(..) | And(..)))
            }
            Not(inner) => {
                f.write_str("!")?;
                part(f, inner, !matches!(**inner, Exists(_) | Not(_)))
            }
            Exists(steps) => write_current(f, steps),
            Compare { left, op, right } => write!(f, "{left} {} {right}", op.as_str()),
        }
    }
}

fn write_current(f: &mut fmt::Formatter<'_>, steps: &[Step]) -> fmt::Result {
    f.write_str("@")?;
    steps.iter().try_for_each(|step| write!(f, "{step}"))
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Current(steps) => write_current(f, steps),
            // `{}` prints the shortest decimal that parses back to the same f64.
            Operand::Literal(Literal::Number(n)) => write!(f, "{n}"),
            Operand::Literal(Literal::String(s)) => write!(f, "'{}'", Quoted(s)),
            Operand::Literal(Literal::Bool(b)) => write!(f, "{b}"),
            Operand::Literal(Literal::Null) => f.write_str("null"),
        }
    }
}
#[cfg(test)]
mod tests {
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
                steps: vec![field("a"), Step::Index(2), field("b")]
            }
        );
        assert_eq!(
            ok("$$.Task.Token"),
            JsonPath {
                context: true,
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
        let alphabet: Vec<char> =
            "$$$...[[]]''\"\"??(())@@**,,::--0123456789abn tf=!<>&|\\/{}éЖ😀u"
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
}
