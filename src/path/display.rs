//! Printing paths back: canonical text that parses to the same path.

use std::fmt;

use super::*;

/// A string as written between single quotes, escaping what the parser unescapes.
pub(super) struct Quoted<'a>(pub(super) &'a str);

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
        if let Some(name) = &self.variable {
            f.write_str(name)?;
        }
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
