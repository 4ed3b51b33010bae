//! From pest pairs to the typed AST. The grammar already guarantees the shape
//! of every pair, so this walks it without re-validating structure; what it
//! does check is what the grammar cannot: escapes, number ranges, durations.

use pest::iterators::Pair;

use super::ast::*;
use super::grammar::Rule;
use crate::diagnostics::Diag;
use crate::source::Span;

/// Collects the problems found while lowering; the tree is still built so the
/// checker can report more.
#[derive(Default)]
pub struct Lowerer {
    pub diags: Vec<Diag>,
}

/// A pair's span without trailing whitespace: pest keeps the whitespace it
/// skipped before an optional part that then did not match.
fn span(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    let trimmed = s
        .as_str()
        .trim_end_matches(|c: char| c.is_ascii_whitespace())
        .len();
    Span::new(s.start(), s.start() + trimmed)
}

/// The meaningful children of a pair: keywords carry no information.
fn children<'i>(pair: Pair<'i, Rule>) -> impl Iterator<Item = Pair<'i, Rule>> {
    pair.into_inner().filter(|p| !is_keyword(p.as_rule()))
}

/// Keyword rules are the `kw_*` rules of the grammar; the table is built once
/// from the rule names so it cannot drift from the grammar.
fn is_keyword(rule: Rule) -> bool {
    static KEYWORDS: std::sync::LazyLock<Vec<bool>> = std::sync::LazyLock::new(|| {
        let mut table = vec![false; Rule::all_rules().len() + 1];
        for &r in Rule::all_rules() {
            if let Some(slot) = table.get_mut(r as usize) {
                *slot = format!("{r:?}").starts_with("kw_");
            }
        }
        table
    });
    KEYWORDS.get(rule as usize).copied().unwrap_or(false)
}

fn ident(pair: Pair<Rule>) -> Ident {
    Ident {
        name: pair.as_str().to_string(),
        span: span(&pair),
    }
}

impl Lowerer {
    pub fn file(&mut self, pair: Pair<Rule>) -> File {
        let mut file = File::default();
        for item in pair.into_inner() {
            match item.as_rule() {
                Rule::flow => file.flows.push(self.flow(item)),
                Rule::test => file.tests.push(self.test(item)),
                _ => {}
            }
        }
        file
    }

    fn flow(&mut self, pair: Pair<Rule>) -> Flow {
        let span = span(&pair);
        let mut inner = children(pair);
        let name = inner.next().map(ident).unwrap_or_else(|| missing(span));
        let items = inner
            .next()
            .map(|body| {
                children(body)
                    .filter_map(|item| self.flow_item(item))
                    .collect()
            })
            .unwrap_or_default();
        Flow { name, items, span }
    }

    fn flow_item(&mut self, pair: Pair<Rule>) -> Option<FlowItem> {
        Some(match pair.as_rule() {
            Rule::flow_comment => FlowItem::Comment(self.string(first(pair)?)),
            Rule::schedule => FlowItem::Schedule(self.schedule(first(pair)?)),
            Rule::flow_timeout => FlowItem::Timeout(self.duration_of_clause(pair)?),
            Rule::defaults => {
                let span = span(&pair);
                FlowItem::Defaults(Defaults {
                    clauses: self.clause_body(first(pair)?),
                    span,
                })
            }
            Rule::output => FlowItem::Output(self.value(first(pair)?)),
            Rule::stage | Rule::handler => FlowItem::Stage(self.stage(pair)),
            _ => return None,
        })
    }

    fn schedule(&mut self, pair: Pair<Rule>) -> Schedule {
        let whole = span(&pair);
        let rule = pair.as_rule();
        let mut inner = children(pair);
        match (rule, inner.next(), inner.next()) {
            (Rule::rate, Some(value), Some(unit)) => Schedule::Rate {
                value: Spanned {
                    node: value.as_str().to_string(),
                    span: span(&value),
                },
                unit: ident(unit),
                span: whole,
            },
            (_, Some(string), _) => Schedule::Cron(self.string(string)),
            _ => Schedule::Cron(Spanned {
                node: String::new(),
                span: whole,
            }),
        }
    }

    fn stage(&mut self, pair: Pair<Rule>) -> Stage {
        let whole = span(&pair);
        let is_handler = pair.as_rule() == Rule::handler;
        let mut kind = Spanned {
            node: StageKind::Handler,
            span: Span::new(whole.start, whole.start + "handler".len()),
        };
        let mut name = missing(whole);
        let mut headers = Vec::new();
        let mut clauses = Vec::new();
        let mut body_span = whole;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::stage_kind => {
                    kind = Spanned {
                        node: stage_kind(part.as_str()),
                        span: span(&part),
                    }
                }
                Rule::ident => name = ident(part),
                Rule::after | Rule::when | Rule::foreach => headers.push(self.header(part)),
                Rule::clause_body => {
                    body_span = span(&part);
                    clauses = self.clause_body(part);
                }
                _ => {}
            }
        }
        if is_handler {
            kind.node = StageKind::Handler;
        }
        Stage {
            kind,
            name,
            headers,
            clauses,
            body_span,
            span: whole,
        }
    }

    fn header(&mut self, pair: Pair<Rule>) -> Header {
        let span = span(&pair);
        match pair.as_rule() {
            Rule::after => Header::After {
                stages: children(pair).map(ident).collect(),
                span,
            },
            Rule::when => Header::When {
                condition: match first(pair) {
                    Some(c) => self.condition(c),
                    None => Condition {
                        kind: ConditionKind::And(Vec::new()),
                        span,
                    },
                },
                span,
            },
            _ => {
                let mut inner = children(pair);
                let items = inner.next().map(path).unwrap_or_else(|| Path {
                    text: String::new(),
                    span,
                });
                let concurrency = inner.next().map(|n| self.integer(n));
                Header::Foreach {
                    items,
                    concurrency,
                    span,
                }
            }
        }
    }

    fn clause_body(&mut self, pair: Pair<Rule>) -> Vec<Clause> {
        children(pair).filter_map(|c| self.clause(c)).collect()
    }

    fn clause(&mut self, pair: Pair<Rule>) -> Option<Clause> {
        let whole = span(&pair);
        Some(match pair.as_rule() {
            Rule::run => {
                let mut run = Run {
                    integration: missing(whole),
                    target: None,
                    args: None,
                    span: whole,
                };
                for part in children(pair) {
                    match part.as_rule() {
                        Rule::integration => run.integration = ident(part),
                        Rule::string => run.target = Some(self.string(part)),
                        Rule::object => run.args = Some(self.object(part)),
                        _ => {}
                    }
                }
                Clause::Run(run)
            }
            Rule::retry => {
                let mut inner = children(pair);
                let errors = inner.next().map(error_list).unwrap_or_default();
                let options = inner.filter_map(|o| self.retry_option(o)).collect();
                Clause::Retry(Retry {
                    errors,
                    options,
                    span: whole,
                })
            }
            Rule::catch => {
                let mut inner = children(pair);
                let errors = inner.next().map(error_list).unwrap_or_default();
                let handler = inner.next().map(ident).unwrap_or_else(|| missing(whole));
                Clause::Catch(Catch {
                    errors,
                    handler,
                    span: whole,
                })
            }
            Rule::timeout => Clause::Timeout(self.duration_of_clause(pair)?),
            Rule::heartbeat => Clause::Heartbeat(self.duration_of_clause(pair)?),
            Rule::result => Clause::Result(self.value(first(pair)?)),
            Rule::comment => Clause::Comment(self.string(first(pair)?)),
            Rule::then => {
                let outcome = first(pair)?;
                let outcome = match outcome.as_rule() {
                    Rule::then_succeed => Outcome::Succeed,
                    _ => {
                        let mut strings = children(outcome);
                        match strings.next() {
                            None => Outcome::Reraise,
                            Some(error) => Outcome::Fail {
                                error: self.string(error),
                                cause: strings.next().map(|c| self.string(c)),
                            },
                        }
                    }
                };
                Clause::Then(Then {
                    outcome,
                    span: whole,
                })
            }
            _ => return None,
        })
    }

    /// `timeout 30m` as a clause: the duration keeps the span of the whole
    /// clause so diagnostics underline `timeout 30m`, not only `30m`.
    fn duration_of_clause(&mut self, pair: Pair<Rule>) -> Option<Duration> {
        let whole = span(&pair);
        let mut duration = self.duration(first(pair)?);
        duration.span = whole;
        Some(duration)
    }

    fn retry_option(&mut self, pair: Pair<Rule>) -> Option<RetryOption> {
        let whole = span(&pair);
        let rule = pair.as_rule();
        let value = first(pair)?;
        Some(match rule {
            Rule::retry_max => RetryOption::Max(Spanned {
                span: whole,
                ..self.integer(value)
            }),
            Rule::retry_interval => RetryOption::Interval(Duration {
                span: whole,
                ..self.duration(value)
            }),
            Rule::retry_max_delay => RetryOption::MaxDelay(Duration {
                span: whole,
                ..self.duration(value)
            }),
            Rule::retry_backoff => RetryOption::Backoff(Spanned {
                node: self.float(&value),
                span: whole,
            }),
            Rule::retry_jitter => RetryOption::Jitter(Spanned {
                node: if value.as_str() == "full" {
                    Jitter::Full
                } else {
                    Jitter::None
                },
                span: whole,
            }),
            _ => return None,
        })
    }

    // ------------------------------------------------------------ values

    pub fn value(&mut self, pair: Pair<Rule>) -> Value {
        let pair = if pair.as_rule() == Rule::value {
            let whole = span(&pair);
            match pair.into_inner().next() {
                Some(p) => p,
                None => {
                    return Value {
                        kind: ValueKind::Null,
                        span: whole,
                    };
                }
            }
        } else {
            pair
        };
        let span = span(&pair);
        let kind = match pair.as_rule() {
            Rule::object => ValueKind::Object(self.object(pair)),
            Rule::array => ValueKind::Array(pair.into_inner().map(|v| self.value(v)).collect()),
            Rule::string => ValueKind::String(self.string(pair).node),
            Rule::number => self.number(&pair),
            Rule::true_lit => ValueKind::Bool(true),
            Rule::false_lit => ValueKind::Bool(false),
            Rule::call => {
                let mut inner = pair.into_inner();
                let function = inner.next().map(ident).unwrap_or_else(|| missing(span));
                ValueKind::Call(Call {
                    function,
                    args: inner.map(|a| self.value(a)).collect(),
                })
            }
            Rule::path => ValueKind::Path(path(pair)),
            _ => ValueKind::Null,
        };
        Value { kind, span }
    }

    fn object(&mut self, pair: Pair<Rule>) -> Object {
        let span = span(&pair);
        let entries = pair
            .into_inner()
            .filter_map(|entry| {
                let mut inner = children(entry);
                let key = inner.next()?.into_inner().next()?;
                let key = match key.as_rule() {
                    Rule::string => self.string(key),
                    _ => Spanned {
                        node: key.as_str().to_string(),
                        span: self::span(&key),
                    },
                };
                let value = self.value(inner.next()?);
                Some(Entry { key, value })
            })
            .collect();
        Object { entries, span }
    }

    fn number(&mut self, pair: &Pair<Rule>) -> ValueKind {
        match pair.as_str().parse::<serde_json::Number>() {
            Ok(n) => ValueKind::Number(n),
            Err(_) => {
                self.diags.push(Diag::NumberOutOfRange {
                    span: span(pair),
                    text: pair.as_str().to_string(),
                    help: "JSON numbers must fit a 64-bit float".into(),
                });
                ValueKind::Number(serde_json::Number::from(0))
            }
        }
    }

    fn float(&mut self, pair: &Pair<Rule>) -> f64 {
        match pair.as_str().parse::<f64>() {
            Ok(f) if f.is_finite() => f,
            _ => {
                self.diags.push(Diag::NumberOutOfRange {
                    span: span(pair),
                    text: pair.as_str().to_string(),
                    help: "use a finite number".into(),
                });
                1.0
            }
        }
    }

    fn integer(&mut self, pair: Pair<Rule>) -> Spanned<u64> {
        let span = span(&pair);
        let node = pair.as_str().parse::<u64>().unwrap_or_else(|_| {
            self.diags.push(Diag::NumberOutOfRange {
                span,
                text: pair.as_str().to_string(),
                help: "use a whole number below 2^64".into(),
            });
            0
        });
        Spanned { node, span }
    }

    fn duration(&mut self, pair: Pair<Rule>) -> Duration {
        let span = span(&pair);
        let text = pair.as_str();
        let (digits, unit) = text.split_at(text.len().saturating_sub(1));
        let scale = match unit {
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            _ => 1,
        };
        let seconds = digits
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(scale));
        let seconds = seconds.unwrap_or_else(|| {
            self.diags.push(Diag::DurationOverflow {
                span,
                text: text.to_string(),
            });
            // A value every range check accepts, so the overflow is reported once.
            crate::check::MAX_SECONDS
        });
        Duration { seconds, span }
    }

    /// A string literal, unescaped. The span includes the quotes.
    pub fn string(&mut self, pair: Pair<Rule>) -> Spanned<String> {
        let span = span(&pair);
        let raw = pair.as_str();
        let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        let node = match unescape(inner) {
            Ok(s) => s,
            Err((offset, len)) => {
                let at = span.start + 1 + offset;
                self.diags.push(Diag::InvalidEscape {
                    span: Span::new(at, at + len),
                    escape: inner[offset..offset + len].to_string(),
                });
                inner.to_string()
            }
        };
        Spanned { node, span }
    }

    // -------------------------------------------------------- conditions

    fn condition(&mut self, pair: Pair<Rule>) -> Condition {
        let span = span(&pair);
        match pair.as_rule() {
            Rule::condition => match pair.into_inner().next() {
                Some(inner) => self.condition(inner),
                None => Condition {
                    kind: ConditionKind::And(Vec::new()),
                    span,
                },
            },
            Rule::disjunction | Rule::conjunction => {
                let is_or = pair.as_rule() == Rule::disjunction;
                let mut parts: Vec<Condition> = children(pair).map(|p| self.condition(p)).collect();
                if parts.len() == 1 {
                    return parts.remove(0);
                }
                let kind = if is_or {
                    ConditionKind::Or(parts)
                } else {
                    ConditionKind::And(parts)
                };
                Condition { kind, span }
            }
            Rule::negation => {
                let negated = pair.as_str().starts_with("not");
                let inner = children(pair).next();
                let inner = match inner {
                    Some(p) => self.condition(p),
                    None => Condition {
                        kind: ConditionKind::And(Vec::new()),
                        span,
                    },
                };
                if negated {
                    Condition {
                        kind: ConditionKind::Not(Box::new(inner)),
                        span,
                    }
                } else {
                    inner
                }
            }
            rule => {
                let mut inner = children(pair);
                let path = inner.next().map(path).unwrap_or_else(|| Path {
                    text: String::new(),
                    span,
                });
                let next = inner.next();
                let kind = match (rule, next) {
                    (Rule::comparison, Some(op)) => {
                        let op = compare_op(op);
                        let operand = inner
                            .next()
                            .and_then(|o| o.into_inner().next())
                            .map(|o| {
                                let value = self.value(o);
                                Operand {
                                    kind: value.kind,
                                    span: value.span,
                                }
                            })
                            .unwrap_or(Operand {
                                kind: ValueKind::Null,
                                span,
                            });
                        ConditionKind::Compare { path, op, operand }
                    }
                    (Rule::like, Some(pattern)) => ConditionKind::Like {
                        path,
                        pattern: self.string(pattern),
                    },
                    (Rule::is_type, Some(t)) => ConditionKind::Is {
                        path,
                        type_name: Spanned {
                            node: type_name(t.as_str()),
                            span: self::span(&t),
                        },
                    },
                    _ => ConditionKind::Exists(path),
                };
                Condition { kind, span }
            }
        }
    }

    // ------------------------------------------------------------- tests

    fn test(&mut self, pair: Pair<Rule>) -> Test {
        let whole = span(&pair);
        let mut inner = children(pair);
        let name = match inner.next() {
            Some(s) => self.string(s),
            None => Spanned {
                node: String::new(),
                span: whole,
            },
        };
        let items = inner
            .next()
            .map(|body| children(body).filter_map(|i| self.test_item(i)).collect())
            .unwrap_or_default();
        Test {
            name,
            items,
            span: whole,
        }
    }

    fn test_item(&mut self, pair: Pair<Rule>) -> Option<TestItem> {
        let whole = span(&pair);
        Some(match pair.as_rule() {
            Rule::test_input => TestItem::Input(self.value(first(pair)?)),
            Rule::mock => {
                let mut inner = children(pair);
                let stage = ident(inner.next()?);
                let responses = inner
                    .next()
                    .map(|body| {
                        children(body)
                            .filter_map(|r| self.mock_response(r))
                            .collect()
                    })
                    .unwrap_or_default();
                TestItem::Mock(Mock {
                    stage,
                    responses,
                    span: whole,
                })
            }
            Rule::expect => TestItem::Expect(Expect {
                kind: self.expectation(first(pair)?)?,
                span: whole,
            }),
            _ => return None,
        })
    }

    fn mock_response(&mut self, pair: Pair<Rule>) -> Option<MockResponse> {
        let whole = span(&pair);
        let rule = pair.as_rule();
        let mut inner = children(pair);
        Some(match rule {
            Rule::mock_return => MockResponse::Return(self.value(inner.next()?)),
            _ => MockResponse::Throw {
                error: error_name(inner.next()?),
                cause: inner.next().map(|c| self.string(c)),
                span: whole,
            },
        })
    }

    fn expectation(&mut self, pair: Pair<Rule>) -> Option<ExpectKind> {
        let rule = pair.as_rule();
        let mut inner = children(pair);
        Some(match rule {
            Rule::expect_succeeded => ExpectKind::Succeeded,
            Rule::expect_failed => ExpectKind::Failed(inner.next().map(error_name)),
            Rule::expect_ran => ExpectKind::Ran(ident(inner.next()?)),
            Rule::expect_not_ran => ExpectKind::NotRan(ident(inner.next()?)),
            Rule::expect_skipped => ExpectKind::Skipped(ident(inner.next()?)),
            Rule::expect_attempts => ExpectKind::Attempts {
                stage: ident(inner.next()?),
                count: self.integer(inner.next()?),
            },
            _ => ExpectKind::Path {
                path: path(inner.next()?),
                op: compare_op(inner.next()?),
                value: self.value(inner.next()?),
            },
        })
    }
}

fn first(pair: Pair<Rule>) -> Option<Pair<Rule>> {
    children(pair).next()
}

/// A placeholder name for a part the grammar guarantees; never seen in
/// practice, but lowering must not panic if the grammar and this file drift.
fn missing(span: Span) -> Ident {
    Ident {
        name: String::new(),
        span,
    }
}

fn path(pair: Pair<Rule>) -> Path {
    Path {
        text: pair.as_str().to_string(),
        span: span(&pair),
    }
}

fn error_list(pair: Pair<Rule>) -> Vec<ErrorName> {
    pair.into_inner().map(error_name).collect()
}

fn error_name(pair: Pair<Rule>) -> ErrorName {
    ErrorName {
        name: pair.as_str().to_string(),
        span: span(&pair),
    }
}

fn compare_op(pair: Pair<Rule>) -> Spanned<CompareOp> {
    let node = match pair.as_str() {
        "==" => CompareOp::Eq,
        "!=" => CompareOp::Ne,
        "<" => CompareOp::Lt,
        "<=" => CompareOp::Le,
        ">" => CompareOp::Gt,
        _ => CompareOp::Ge,
    };
    Spanned {
        node,
        span: span(&pair),
    }
}

fn stage_kind(text: &str) -> StageKind {
    match text {
        "collect" => StageKind::Collect,
        "transform" => StageKind::Transform,
        "visualize" => StageKind::Visualize,
        _ => StageKind::Task,
    }
}

fn type_name(text: &str) -> TypeName {
    match text {
        "null" => TypeName::Null,
        "string" => TypeName::String,
        "number" => TypeName::Number,
        "boolean" => TypeName::Boolean,
        _ => TypeName::Timestamp,
    }
}

/// JSON string unescaping. On a bad escape, returns its byte offset and length
/// within `raw`.
pub fn unescape(raw: &str) -> Result<String, (usize, usize)> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            return Err((at, 1));
        };
        match e {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            '/' => out.push('/'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => {
                let hi = hex4(raw, at + 2).ok_or((at, 2))?;
                for _ in 0..4 {
                    chars.next();
                }
                let code = if (0xD800..0xDC00).contains(&hi) {
                    // A high surrogate must be followed by `\uDC00`-`\uDFFF`.
                    let low = raw
                        .get(at + 6..at + 8)
                        .filter(|s| *s == "\\u")
                        .and_then(|_| hex4(raw, at + 8))
                        .filter(|lo| (0xDC00..0xE000).contains(lo))
                        .ok_or((at, 6))?;
                    for _ in 0..6 {
                        chars.next();
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    hi
                };
                out.push(char::from_u32(code).ok_or((at, 6))?);
            }
            other => return Err((at, 1 + other.len_utf8())),
        }
    }
    Ok(out)
}

fn hex4(raw: &str, at: usize) -> Option<u32> {
    let digits = raw.get(at..at + 4)?;
    if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn json_escapes() {
        assert_eq!(unescape(r#"a\"b\\c\/\n\t"#).unwrap(), "a\"b\\c/\n\t");
        assert_eq!(unescape(r"\u00e9\ud83d\ude00").unwrap(), "é😀");
    }

    #[test]
    fn bad_escapes_are_located() {
        assert_eq!(unescape(r"ab\q"), Err((2, 2)));
        assert_eq!(unescape(r"\u12"), Err((0, 2)));
        assert_eq!(unescape(r"\ud83d"), Err((0, 6)));
        assert_eq!(unescape(r"\é"), Err((0, 3)));
    }
}
