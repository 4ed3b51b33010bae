//! Filter expressions `[?( … )]`: Jayway's grammar, minus what AWS refuses.

use super::messages::*;
use super::parser::Parser;
use super::*;

impl Parser<'_> {
    pub(super) fn filter(&mut self) -> Result<Step, PathError> {
        let question = self.pos;
        self.bump();
        self.skip_ws();
        if self.peek() != Some('(') {
            return Err(err(question, 1, NO_PARENS));
        }
        self.group().map(Step::Filter)
    }

    /// Counts a level of nesting, so hostile input cannot overflow the stack.
    pub(super) fn enter(&mut self) -> Result<(), PathError> {
        self.depth += 1;
        match self.depth > MAX_FILTER_DEPTH {
            true => Err(self.here(TOO_DEEP)),
            false => Ok(()),
        }
    }

    /// `( or_expr )`, at the `(`.
    pub(super) fn group(&mut self) -> Result<FilterExpr, PathError> {
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

    pub(super) fn or_expr(&mut self) -> Result<FilterExpr, PathError> {
        let mut left = self.and_expr()?;
        while self.skip_ws_eat("||") {
            left = FilterExpr::Or(Box::new(left), Box::new(self.and_expr()?));
        }
        Ok(left)
    }

    pub(super) fn and_expr(&mut self) -> Result<FilterExpr, PathError> {
        let mut left = self.unary()?;
        while self.skip_ws_eat("&&") {
            left = FilterExpr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    pub(super) fn skip_ws_eat(&mut self, s: &str) -> bool {
        self.skip_ws();
        self.eat(s)
    }

    pub(super) fn unary(&mut self) -> Result<FilterExpr, PathError> {
        self.skip_ws();
        match self.peek() {
            Some('(') => self.group(),
            Some('!') => self.not(),
            _ => self.comparison(),
        }
    }

    /// `!(...)`, `!!...` or `!@.x` ("has no member x" in Jayway).
    pub(super) fn not(&mut self) -> Result<FilterExpr, PathError> {
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

    pub(super) fn comparison(&mut self) -> Result<FilterExpr, PathError> {
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

    pub(super) fn comparison_op(&mut self) -> Result<Option<CompareOp>, PathError> {
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
    pub(super) fn filter_junk(&self, expected: &str) -> PathError {
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

    pub(super) fn operand(&mut self) -> Result<Operand, PathError> {
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
    pub(super) fn current_path(&mut self) -> Result<Vec<Step>, PathError> {
        let at = self.pos;
        self.bump();
        let steps = self.steps(true)?;
        match steps.is_empty() {
            true => Err(err(at, 1, LONE_AT)),
            false => Ok(steps),
        }
    }

    pub(super) fn keyword(&mut self) -> Result<Literal, PathError> {
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
    pub(super) fn number(&mut self) -> Result<f64, PathError> {
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
