//! JSON text → a tree in which every key and value keeps its byte span, so a
//! problem in a definition points at the exact spot.
//!
//! One pass reads strict JSON (RFC 8259, what serde_json accepts) into the
//! tree and bounds nesting, so hostile input is an error, not a stack
//! overflow. serde_json stays the authority on syntax: when this reader
//! refuses a text, serde_json's own words about it are reported. A test
//! holds the two to the same verdicts.

use crate::diagnostics::Diag;
use crate::source::Span;

/// Deepest nesting read: well inside serde_json's recursion limit (128),
/// which the typed read of an accepted definition must stay under.
const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number as written; `f64` for comparisons.
    Number(String, f64),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// What kind of JSON value this is, in words.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(..) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The span of a string's contents, without its quotes.
    pub fn inner_span(&self) -> Span {
        match self.value {
            Value::String(_) if self.span.len() >= 2 => {
                Span::new(self.span.start + 1, self.span.end - 1)
            }
            _ => self.span,
        }
    }

    /// The value as plain JSON, for the typed model.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(text, _) => serde_json::from_str(text).unwrap_or(J::Null),
            Value::String(s) => J::String(s.clone()),
            Value::Array(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Object(members) => J::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), m.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parses JSON text into a spanned tree, or says where and why it is not JSON.
pub fn parse(text: &str) -> Result<Node, Diag> {
    if text.starts_with('\u{feff}') {
        return Err(Diag::AslJsonSyntax {
            span: Span::new(0, 3),
            message: "the file starts with a byte order mark (BOM)".into(),
        });
    }
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let refused = match reader.document() {
        Ok(node) => return Ok(node),
        Err(Refused::TooDeep(at)) => {
            return Err(Diag::NestingTooDeep {
                span: Span::new(at, at + 1),
                limit: MAX_DEPTH,
            });
        }
        Err(Refused::Syntax(at, why)) => (at, why),
    };
    match serde_json::from_str::<serde::de::IgnoredAny>(text) {
        Err(e) => Err(syntax_error(text, &e)),
        // serde_json checks less when it only skips a value (a lone UTF-16
        // surrogate, say); this reader's words then stand.
        Ok(_) => {
            let (at, why) = refused;
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            Err(Diag::AslJsonSyntax {
                span: Span::new(at, end),
                message: why.into(),
            })
        }
    }
}

const LONE_SURROGATE: &str = "a lone UTF-16 surrogate in a `\\u` escape is not a character";

enum Refused {
    TooDeep(usize),
    Syntax(usize, &'static str),
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl Reader<'_> {
    fn document(&mut self) -> Result<Node, Refused> {
        let node = self.value()?;
        self.blank();
        if self.at < self.bytes.len() {
            return Err(self.refuse("trailing characters"));
        }
        Ok(node)
    }

    fn refuse(&self, why: &'static str) -> Refused {
        Refused::Syntax(self.at, why)
    }

    fn blank(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8, why: &'static str) -> Result<(), Refused> {
        self.blank();
        if self.bytes.get(self.at) != Some(&byte) {
            return Err(self.refuse(why));
        }
        self.at += 1;
        Ok(())
    }

    fn value(&mut self) -> Result<Node, Refused> {
        self.blank();
        let start = self.at;
        let value = match self.bytes.get(start) {
            None => return Err(self.refuse("EOF while parsing a value")),
            Some(b'{') => self.nested(Self::object)?,
            Some(b'[') => self.nested(Self::array)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.word("true", Value::Bool(true))?,
            Some(b'f') => self.word("false", Value::Bool(false))?,
            Some(b'n') => self.word("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.refuse("expected value")),
        };
        Ok(Node {
            span: Span::new(start, self.at),
            value,
        })
    }

    fn nested(&mut self, read: fn(&mut Self) -> Result<Value, Refused>) -> Result<Value, Refused> {
        if self.depth == MAX_DEPTH {
            return Err(Refused::TooDeep(self.at));
        }
        self.depth += 1;
        self.at += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn object(&mut self) -> Result<Value, Refused> {
        let mut members = Vec::new();
        self.blank();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.blank();
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err(self.refuse("key must be a string"));
            }
            let key_start = self.at;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.at);
            self.eat(b':', "expected `:`")?;
            let value = self.value()?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.blank();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.refuse("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self) -> Result<Value, Refused> {
        let mut items = Vec::new();
        self.blank();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.blank();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.refuse("expected `,` or `]`")),
            }
        }
    }

    fn word(&mut self, word: &'static str, value: Value) -> Result<Value, Refused> {
        if !self.bytes[self.at..].starts_with(word.as_bytes()) {
            return Err(self.refuse("expected ident"));
        }
        self.at += word.len();
        Ok(value)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Value, Refused> {
        let start = self.at;
        if self.bytes[self.at] == b'-' {
            self.at += 1;
        }
        match self.bytes.get(self.at) {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.refuse("invalid number")),
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            self.some_digits()?;
        }
        let text = &self.text[start..self.at];
        Ok(Value::Number(
            text.to_string(),
            text.parse().unwrap_or(f64::NAN),
        ))
    }

    fn digits(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Result<(), Refused> {
        if !self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            return Err(self.refuse("invalid number"));
        }
        self.digits();
        Ok(())
    }

    /// A string from its opening quote, escapes decoded.
    fn string(&mut self) -> Result<String, Refused> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let run = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // Stops only at ASCII bytes, so the run is whole characters.
            out.push_str(&self.text[run..self.at]);
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = self.escape()?;
                    out.push(escaped);
                }
                Some(_) => {
                    return Err(self.refuse(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                None => return Err(self.refuse("EOF while parsing a string")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, Refused> {
        let Some(&b) = self.bytes.get(self.at) else {
            return Err(self.refuse("EOF while parsing a string"));
        };
        self.at += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = match first {
                    0xD800..=0xDBFF => {
                        if !self.bytes[self.at..].starts_with(b"\\u") {
                            return Err(self.refuse(LONE_SURROGATE));
                        }
                        self.at += 2;
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(self.refuse(LONE_SURROGATE));
                        }
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    }
                    0xDC00..=0xDFFF => {
                        return Err(self.refuse(LONE_SURROGATE));
                    }
                    code => code,
                };
                char::from_u32(code).ok_or_else(|| self.refuse("invalid unicode code point"))?
            }
            _ => {
                self.at -= 1;
                return Err(self.refuse("invalid escape"));
            }
        })
    }

    fn hex4(&mut self) -> Result<u32, Refused> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .ok_or_else(|| self.refuse("EOF while parsing a string"))?;
        let mut code = 0;
        for &d in digits {
            let value = (d as char)
                .to_digit(16)
                .ok_or_else(|| self.refuse("invalid escape"))?;
            code = code * 16 + value;
        }
        self.at += 4;
        Ok(code)
    }
}

/// The byte offset of a 1-based line and byte column, as serde_json reports them.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// serde_json reports a line and a byte column; turn them into a span.
fn syntax_error(text: &str, e: &serde_json::Error) -> Diag {
    let at = offset_of(text, e.line(), e.column());
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    Diag::AslJsonSyntax {
        span: Span::new(at, end),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = r#"{"a": [1, "x"], "b": null}"#;
        let node = parse(text).expect("valid");
        let members = node.as_object().expect("object");
        assert_eq!(
            &text[members[0].key_span.start..members[0].key_span.end],
            "\"a\""
        );
        let items = members[0].value.as_array().expect("array");
        assert_eq!(&text[items[1].span.start..items[1].span.end], "\"x\"");
        assert_eq!(members[1].value.value, Value::Null);
    }

    #[test]
    fn duplicate_keys_are_kept_for_the_checker() {
        let node = parse(r#"{"a": 1, "a": 2}"#).expect("valid");
        assert_eq!(node.as_object().map(<[Member]>::len), Some(2));
    }

    #[test]
    fn non_json_is_reported_where_it_goes_wrong() {
        for (text, at) in [
            ("{\"a\": 1,}", 8),
            ("{'a': 1}", 1),
            ("{\"a\": 1} // c", 9),
            ("[1, 2", 5),
        ] {
            let diag = parse(text).expect_err(text);
            assert!(
                diag.primary_span().start <= at && at <= diag.primary_span().end + 1,
                "{text}: {:?}",
                diag.primary_span()
            );
        }
    }

    /// Pieces that make JSON, almost-JSON and not-JSON when strung together.
    const PIECES: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " ",
        "\n",
        "\"",
        "\"k\"",
        "\"a\\\"b\"",
        "\\",
        "\\u",
        "00e9",
        "D83D",
        "\\uDE00",
        "\\n",
        "\\x",
        "-",
        "0",
        "1",
        "12",
        ".",
        "5",
        "e",
        "E",
        "+",
        "true",
        "tru",
        "false",
        "null",
        "nul",
        "\u{1}",
        "é",
        "1e400",
        "\t",
        "/",
    ];

    /// The reader says yes exactly when serde_json does (but for what
    /// serde_json only checks when it reads a value, not when it skips
    /// one: lone surrogates), and reads the same values.
    fn agrees_with_serde_json(text: &str) {
        let ours = parse(text);
        let theirs = serde_json::from_str::<serde::de::IgnoredAny>(text);
        let value = serde_json::from_str::<serde_json::Value>(text);
        let out_of_range = value
            .as_ref()
            .is_err_and(|e| e.to_string().contains("out of range"));
        match (&ours, &theirs, value) {
            (Ok(node), Ok(_), Ok(value)) => assert_eq!(node.to_json(), value, "{text:?}"),
            // A number beyond a double: the checker reports it.
            (Ok(_), Ok(_), Err(_)) if out_of_range => {}
            (Err(_), Err(_), _) => {}
            (Err(e), Ok(_), Err(_)) if !out_of_range => {
                assert!(
                    e.to_string().contains("surrogate") || format!("{e:?}").contains("surrogate"),
                    "{text:?}: {e:?}"
                );
            }
            _ => panic!(
                "{text:?}: ours {:?}, serde_json {:?}",
                ours.is_ok(),
                theirs.is_ok()
            ),
        }
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            "",
            " ",
            "0",
            "-0",
            "01",
            "1.",
            "1.5e",
            "1.5e+3",
            "-",
            "\"\\uD83D\\uDE00\"",
            "\"\\uDE00\"",
            "\"\\uD83D\"",
            "\"\\uD83Dx\"",
            "\"a\u{1}\"",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "[1 2]",
            "truex",
            "[\"\\/\\b\\f\\n\\r\\t\"]",
            "{} {}",
            "\"é\"",
        ] {
            agrees_with_serde_json(text);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn reads_what_serde_json_reads_at_random(
            picks in proptest::collection::vec(0..PIECES.len(), 0..24)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            agrees_with_serde_json(&text);
        }
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(matches!(parse(&text), Err(Diag::NestingTooDeep { .. })));
    }
}
