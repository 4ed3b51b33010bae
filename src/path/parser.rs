//! The path parser: roots, dot and bracket steps, unions, slices, quoted names.

use super::display::Quoted;
use super::messages::*;
use super::*;

pub(super) struct Parser<'a> {
    pub(super) src: &'a str,
    pub(super) pos: usize,
    pub(super) depth: usize,
    /// Whether `$name` is a variable (ASL) or an error (flows).
    pub(super) variables: bool,
}

impl<'a> Parser<'a> {
    pub(super) fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub(super) fn bump(&mut self) {
        self.pos += self.peek().map_or(0, char::len_utf8);
    }

    pub(super) fn eat(&mut self, s: &str) -> bool {
        let found = self.rest().starts_with(s);
        self.pos += if found { s.len() } else { 0 };
        found
    }

    /// Skips the whitespace Jayway allows inside brackets and filters.
    pub(super) fn skip_ws(&mut self) {
        self.take_while(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    }

    pub(super) fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.bump();
        }
        &self.src[start..self.pos]
    }

    /// An error on the character at the cursor.
    pub(super) fn here(&self, msg: (impl Into<String>, impl Into<String>)) -> PathError {
        err(self.pos, self.peek().map_or(0, char::len_utf8), msg)
    }

    pub(super) fn root(mut self) -> Result<JsonPath, PathError> {
        if self.src.is_empty() {
            return Err(err(0, 0, EMPTY));
        } else if !self.eat("$") {
            return Err(self.here(NO_ROOT));
        }
        let context = self.eat("$");
        // `$name`: a variable (AWS: a Unicode identifier).
        let variable = (self.variables
            && !context
            && self.peek().is_some_and(|c| c == '_' || c.is_alphabetic()))
        .then(|| {
            self.take_while(|c| c == '_' || c.is_alphanumeric())
                .to_string()
        });
        let steps = self.steps(false)?;
        Ok(JsonPath {
            context,
            variable,
            steps,
        })
    }

    /// Steps up to the end of the text, or in a filter up to the first character that
    /// cannot continue the `@` path.
    pub(super) fn steps(&mut self, in_filter: bool) -> Result<Vec<Step>, PathError> {
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

    pub(super) fn unexpected(&self, c: char, at_root: bool) -> PathError {
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
    pub(super) fn stray(&self, c: char) -> Option<PathError> {
        if c.is_whitespace() && self.rest().trim().is_empty() {
            Some(err(self.pos, self.rest().len(), TRAILING_SPACE))
        } else if c.is_whitespace() {
            Some(self.here(SPACE))
        } else {
            (c == ']').then(|| self.here(STRAY_CLOSE))
        }
    }

    /// After `.`: a member name, `*`, or a bracket (AWS documents `$.abc.['def ghi']`).
    pub(super) fn dot_member(&mut self, in_filter: bool) -> Result<Step, PathError> {
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

    pub(super) fn wildcard(&mut self) -> Step {
        self.bump();
        Step::Wildcard
    }

    /// A dot-notation name; `token` is where its `.` or `..` starts, for the help text.
    pub(super) fn dot_name(&mut self, in_filter: bool, token: usize) -> Result<String, PathError> {
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
    pub(super) fn bad_name_char(&self, token: usize, start: usize, c: char) -> PathError {
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

    pub(super) fn descendant(&mut self, in_filter: bool) -> Result<Step, PathError> {
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

    pub(super) fn bracket(&mut self) -> Result<Step, PathError> {
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
    pub(super) fn comma(&mut self) -> bool {
        self.skip_ws();
        let found = self.eat(",");
        self.skip_ws();
        found
    }

    /// `['a']`, `['a','b']`, `[0]`, `[0,1]`, or a slice that starts with an index.
    pub(super) fn union(&mut self) -> Result<Step, PathError> {
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

    pub(super) fn union_item(&mut self) -> Result<UnionItem, PathError> {
        match self.peek() {
            Some(q @ ('\'' | '"')) => Ok(UnionItem::Field(self.quoted(q)?)),
            Some(c) if is_index_start(c) => Ok(UnionItem::Index(self.int()?)),
            _ => Err(self.here(NO_ITEM)),
        }
    }

    /// At the `:` of a slice.
    pub(super) fn slice(&mut self, start: Option<i64>) -> Result<Step, PathError> {
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
    pub(super) fn int(&mut self) -> Result<i64, PathError> {
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
    pub(super) fn quoted(&mut self, quote: char) -> Result<String, PathError> {
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

    pub(super) fn escape(&mut self, at: usize) -> Result<char, PathError> {
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

    /// `\u` and four hex digits, with a second one for a surrogate pair.
    pub(super) fn unicode_escape(&mut self, at: usize) -> Result<char, PathError> {
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

    pub(super) fn hex4(&mut self) -> Option<u32> {
        let hex = self
            .rest()
            .get(..4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))?;
        self.pos += 4;
        u32::from_str_radix(hex, 16).ok()
    }
}
