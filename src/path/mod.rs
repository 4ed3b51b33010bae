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

mod display;
mod eval;
mod filter;
mod messages;
mod parser;
#[cfg(test)]
mod tests;

pub use eval::{Selection, select};
use parser::Parser;

/// Deepest nesting of filters, `(` groups and `!` in one path (see `TOO_DEEP`).
pub const MAX_FILTER_DEPTH: usize = 64;

/// A parsed path; `context` is true for `$$` paths (the Context Object),
/// `variable` names the state machine variable of a `$name` path.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    pub context: bool,
    pub variable: Option<String>,
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
        variables: false,
    }
    .root()
}

/// Parses a path of an ASL definition, where `$name` reads the state
/// machine variable `name` (flows have no variables: there `$name` is a
/// misspelt `$.name`).
pub fn parse_asl(text: &str) -> Result<JsonPath, PathError> {
    Parser {
        src: text,
        pos: 0,
        depth: 0,
        variables: true,
    }
    .root()
}

/// Characters allowed in dot notation. Jayway takes anything up to `.`, `[`, `(` or a
/// space; AWS asks for brackets around punctuation, yet the ASL spec writes
/// `$.error-info`. We take the RFC 9535 shorthand (letters, digits, `_`, non-ASCII) plus
/// `-`, `$` and `@`. The spec's `$.store\.book` escapes are refused: Jayway would split
/// at the `.`, so `$['store.book']` is the spelling that means the same everywhere.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | '-' | '$' | '@')
        || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
}

pub(crate) fn is_shorthand(name: &str) -> bool {
    !name.is_empty() && name.chars().all(is_name_char)
}

pub(crate) fn is_index_start(c: char) -> bool {
    c == '-' || c.is_ascii_digit()
}
