//! Intrinsic function calls as ASL writes them in `.$` fields and
//! `ErrorPath`/`CausePath`: `States.Format('Hello {}', $.name)`.
//!
//! Arguments are single-quoted strings (where `\'`, `\{`, `\}` and `\\` are
//! the only escapes), numbers, `true`/`false`/`null`, JSONPaths and nested
//! calls. The validator reads calls through this parser, and so will the
//! interpreter, so one reading of the syntax serves both.

use std::ops::Range;

use crate::path::{self, JsonPath};

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    /// Byte range of the name in the text.
    pub name_at: Range<usize>,
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub kind: ArgKind,
    /// Byte range of the argument in the text.
    pub at: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ArgKind {
    /// A string literal as written between its quotes, escapes intact:
    /// `States.Format` must tell an escaped `\{` from a placeholder `{}`.
    /// [`unescape`] gives its value.
    String(String),
    Number(serde_json::Number),
    Bool(bool),
    Null,
    Path(JsonPath),
    Call(Call),
}

/// Why a call does not parse; `at` is a byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrinsicError {
    pub at: Range<usize>,
    pub message: String,
}

/// AWS nests at most 10 calls in one field; deeper input is refused, not
/// recursed into.
pub const MAX_NESTING: usize = 10;

/// The value of a string literal: `\'`, `\{`, `\}` and `\\` stand for
/// the character after the backslash.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// Whether a `.$` value is meant as a call rather than a path.
pub fn is_call(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

/// Parses a whole call; nothing but whitespace may follow it.
pub fn parse(text: &str) -> Result<Call, IntrinsicError> {
    let mut parser = Parser { text, pos: 0 };
    parser.skip_space();
    let call = parser.call(0)?;
    parser.skip_space();
    if parser.pos < text.len() {
        return Err(parser.error_here("unexpected text after the call's closing `)`"));
    }
    Ok(call)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_space(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.text.len() - trimmed.len();
    }

    fn error_here(&self, message: &str) -> IntrinsicError {
        let end = self.peek().map_or(self.pos, |c| self.pos + c.len_utf8());
        IntrinsicError {
            at: self.pos..end,
            message: message.to_string(),
        }
    }

    fn call(&mut self, depth: usize) -> Result<Call, IntrinsicError> {
        if depth >= MAX_NESTING {
            return Err(self.error_here(&format!(
                "more than {MAX_NESTING} intrinsic calls are nested here; AWS allows {MAX_NESTING}"
            )));
        }
        let start = self.pos;
        let name_len = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .unwrap_or(self.rest().len());
        let name = &self.text[start..start + name_len];
        if !name.starts_with("States.") || name.len() == "States.".len() {
            return Err(IntrinsicError {
                at: start..start + name_len.max(1),
                message: "expected an intrinsic function name such as `States.Format`".into(),
            });
        }
        self.pos += name_len;
        self.skip_space();
        if self.peek() != Some('(') {
            return Err(self.error_here("expected `(` after the function name"));
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_space();
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            loop {
                self.skip_space();
                args.push(self.arg(depth)?);
                self.skip_space();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    Some(_) => return Err(self.error_here("expected `,` or `)`")),
                    None => {
                        return Err(IntrinsicError {
                            at: start..self.text.len(),
                            message: "this call is never closed with `)`".into(),
                        });
                    }
                }
            }
        }
        Ok(Call {
            name: name.to_string(),
            name_at: start..start + name_len,
            args,
        })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, IntrinsicError> {
        let start = self.pos;
        let kind = match self.peek() {
            Some('\'') => ArgKind::String(self.string()?),
            Some('$') => ArgKind::Path(self.path()?),
            Some(c) if c == '-' || c.is_ascii_digit() => ArgKind::Number(self.number()?),
            Some(_) if self.rest().starts_with("States.") => ArgKind::Call(self.call(depth + 1)?),
            Some(_) => self.keyword()?,
            None => return Err(self.error_here("expected an argument")),
        };
        Ok(Arg {
            kind,
            at: start..self.pos,
        })
    }

    fn string(&mut self) -> Result<String, IntrinsicError> {
        let start = self.pos;
        self.pos += 1;
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => {
                    let raw = self.rest()[..i].to_string();
                    self.pos += i + 1;
                    return Ok(raw);
                }
                '\\' => match chars.next() {
                    Some((_, '\'' | '{' | '}' | '\\')) => {}
                    Some((j, e)) => {
                        let at = self.pos + i..self.pos + j + e.len_utf8();
                        return Err(IntrinsicError {
                            at,
                            message: format!(
                                "`\\{e}` is not an escape in an intrinsic string; only `\\'`, `\\{{`, `\\}}` and `\\\\` are"
                            ),
                        });
                    }
                    None => break,
                },
                _ => {}
            }
        }
        Err(IntrinsicError {
            at: start..self.text.len(),
            message: "this string is never closed with `'`".into(),
        })
    }

    /// A path runs to the next `,` or `)` outside brackets and quotes.
    fn path(&mut self) -> Result<JsonPath, IntrinsicError> {
        let start = self.pos;
        let (mut depth, mut quote, mut escaped) = (0usize, None, false);
        let mut end = self.text.len();
        for (i, c) in self.rest().char_indices() {
            match (quote, c) {
                (Some(_), _) if escaped => escaped = false,
                (Some(_), '\\') => escaped = true,
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') if depth > 0 => quote = Some(c),
                (None, '[' | '(') => depth += 1,
                (None, ']' | ')') if depth > 0 => depth -= 1,
                (None, ',' | ')') => {
                    end = start + i;
                    break;
                }
                _ => {}
            }
        }
        let text = self.text[start..end].trim_end();
        let parsed = path::parse_asl(text).map_err(|e| IntrinsicError {
            at: start + e.offset..start + e.offset + e.len.max(1),
            message: e.message,
        })?;
        self.pos = start + text.len();
        Ok(parsed)
    }

    fn number(&mut self) -> Result<serde_json::Number, IntrinsicError> {
        let len = self
            .rest()
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
            .unwrap_or(self.rest().len());
        let text = &self.text[self.pos..self.pos + len];
        let number =
            serde_json::from_str::<serde_json::Number>(text).map_err(|_| IntrinsicError {
                at: self.pos..self.pos + len,
                message: format!("`{text}` is not a number"),
            })?;
        self.pos += len;
        Ok(number)
    }

    fn keyword(&mut self) -> Result<ArgKind, IntrinsicError> {
        for (word, kind) in [
            ("true", ArgKind::Bool(true)),
            ("false", ArgKind::Bool(false)),
            ("null", ArgKind::Null),
        ] {
            let after = self.rest().strip_prefix(word);
            if after.is_some_and(|a| !a.starts_with(|c: char| c.is_ascii_alphanumeric())) {
                self.pos += word.len();
                return Ok(kind);
            }
        }
        let bad = if self.rest().starts_with('"') {
            "strings in intrinsic functions are quoted with `'`, not `\"`"
        } else {
            "expected an argument: a 'string', a number, true, false, null, a $.path or a States. call"
        };
        Err(self.error_here(bad))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<ArgKind> {
        parse(text)
            .expect(text)
            .args
            .into_iter()
            .map(|a| a.kind)
            .collect()
    }

    #[test]
    fn reads_every_argument_kind() {
        let got = args(
            r"States.Format('it\'s {} \{x\}', $.a['b,c'], 3, -1.5, true, null, States.UUID())",
        );
        assert_eq!(got[0], ArgKind::String(r"it\'s {} \{x\}".into()));
        assert_eq!(unescape(r"it\'s {} \{x\}"), "it's {} {x}");
        assert!(matches!(&got[1], ArgKind::Path(p) if p.steps.len() == 2));
        assert_eq!(got[2], ArgKind::Number(3.into()));
        assert!(matches!(got[3], ArgKind::Number(_)));
        assert_eq!(got[4], ArgKind::Bool(true));
        assert_eq!(got[5], ArgKind::Null);
        assert!(
            matches!(&got[6], ArgKind::Call(c) if c.name == "States.UUID" && c.args.is_empty())
        );
    }

    #[test]
    fn context_paths_are_arguments() {
        assert!(
            matches!(&args("States.Array($$.Map.Item.Value)")[0], ArgKind::Path(p) if p.context)
        );
    }

    #[test]
    fn malformed_calls_say_where() {
        for (text, at) in [
            ("States.Format('x'", 0),
            ("States.Format('x' $.a)", 18),
            ("States.Format(\"x\")", 14),
            ("States.Format('\\n')", 15),
            ("States.Array() x", 15),
            ("States.(1)", 0),
            ("States.Array($.a[)", 17),
            ("States.Array(1,)", 15),
        ] {
            let error = parse(text).expect_err(text);
            assert_eq!(error.at.start, at, "{text}: {error:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let nested = |n: usize| format!("{}1{}", "States.Array(".repeat(n), ")".repeat(n));
        assert!(parse(&nested(MAX_NESTING)).is_ok());
        assert!(parse(&nested(MAX_NESTING + 1)).is_err());
        assert!(parse(&nested(100_000)).is_err());
    }
}
