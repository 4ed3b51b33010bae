//! What the language server knows of one document: the checked file, where
//! each stage name is defined and used, and positions in LSP's UTF-16
//! terms. Pure functions of the text, so they are tested without a client.

use lsp_types::{Position, Range};

use crate::check::{Checked, check_text, integrations};
use crate::source::Span;
use crate::syntax::ast::{Clause, ExpectKind, FlowItem, Header, Stage, TestItem};

/// One document, checked.
pub struct Analysis {
    pub text: String,
    pub checked: Checked,
    /// Byte offset of each line's start.
    lines: Vec<usize>,
}

/// A stage or handler name, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub name: String,
    pub span: Span,
    pub definition: bool,
}

impl Analysis {
    pub fn new(text: String) -> Self {
        let checked = check_text(&text);
        let lines = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Analysis {
            text,
            checked,
            lines,
        }
    }

    /// The LSP position (line, UTF-16 column) of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.lines.partition_point(|&start| start <= offset) - 1;
        let start = self.lines[line];
        let column: usize = self
            .text
            .get(start..offset)
            .unwrap_or_default()
            .chars()
            .map(char::len_utf16)
            .sum();
        Position::new(line as u32, column as u32)
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of an LSP position (clamped to the line).
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.lines.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .lines
            .get(position.line as usize + 1)
            .copied()
            .unwrap_or(self.text.len());
        let mut units = 0u32;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= position.character || c == '\n' {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }

    pub fn stages(&self) -> Vec<&Stage> {
        self.checked
            .flow()
            .map(|f| f.stages().collect())
            .unwrap_or_default()
    }

    /// Every stage and handler name: definitions, `after`, `catch … ->`,
    /// and the names tests mock and expect.
    pub fn occurrences(&self) -> Vec<Occurrence> {
        let mut out = Vec::new();
        let Some(file) = &self.checked.file else {
            return out;
        };
        let mut add = |name: &str, span: Span, definition: bool| {
            out.push(Occurrence {
                name: name.to_string(),
                span,
                definition,
            })
        };
        for flow in &file.flows {
            for item in &flow.items {
                let clauses = match item {
                    FlowItem::Stage(stage) => {
                        add(&stage.name.name, stage.name.span, true);
                        for header in &stage.headers {
                            if let Header::After { stages, .. } = header {
                                for s in stages {
                                    add(&s.name, s.span, false);
                                }
                            }
                        }
                        &stage.clauses
                    }
                    FlowItem::Defaults(d) => &d.clauses,
                    _ => continue,
                };
                for clause in clauses {
                    if let Clause::Catch(c) = clause {
                        add(&c.handler.name, c.handler.span, false);
                    }
                }
            }
        }
        for test in &file.tests {
            for item in &test.items {
                match item {
                    TestItem::Mock(m) => add(&m.stage.name, m.stage.span, false),
                    TestItem::Expect(e) => match &e.kind {
                        ExpectKind::Ran(s) | ExpectKind::NotRan(s) | ExpectKind::Skipped(s) => {
                            add(&s.name, s.span, false)
                        }
                        ExpectKind::Attempts { stage, .. } => add(&stage.name, stage.span, false),
                        _ => {}
                    },
                    TestItem::Input(_) => {}
                }
            }
        }
        out
    }

    /// The name at `offset`, if a stage or handler name is written there.
    pub fn occurrence_at(&self, offset: usize) -> Option<Occurrence> {
        self.occurrences()
            .into_iter()
            .find(|o| o.span.start <= offset && offset <= o.span.end)
    }

    pub fn stage(&self, name: &str) -> Option<&Stage> {
        self.stages().into_iter().find(|s| s.name.name == name)
    }

    /// Hover text for a stage: its kind, dependencies, what it calls, its
    /// retry and catch clauses.
    pub fn describe_stage(&self, stage: &Stage) -> String {
        let mut out = format!("**{}** `{}`", stage.kind.node.keyword(), stage.name.name);
        let after: Vec<&str> = stage.after().map(|i| i.name.as_str()).collect();
        if !after.is_empty() {
            out += &format!("\n\nafter: {}", after.join(", "));
        }
        if stage.when().is_some() {
            out += "\n\nruns only when its `when` condition holds";
        }
        if let Some((items, _)) = stage.foreach() {
            out += &format!("\n\nonce per item of `{}`", items.text);
        }
        if let Some(run) = stage.run() {
            let target = run.target.as_ref().map(|t| format!(" \"{}\"", t.node));
            out += &format!(
                "\n\nruns `{}`{}",
                run.integration.name,
                target.unwrap_or_default()
            );
            if let Some(i) = integrations::find(&run.integration.name) {
                out += &format!(" ({})", i.resource);
            }
        }
        for clause in &stage.clauses {
            match clause {
                Clause::Retry(r) => {
                    let errors: Vec<&str> = r.errors.iter().map(|e| e.name.as_str()).collect();
                    out += &format!("\n\nretries {}", errors.join(", "));
                }
                Clause::Catch(c) => {
                    let errors: Vec<&str> = c.errors.iter().map(|e| e.name.as_str()).collect();
                    out += &format!("\n\ncatches {} → `{}`", errors.join(", "), c.handler.name);
                }
                Clause::Timeout(d) => out += &format!("\n\ntimeout: {} s", d.seconds),
                _ => {}
            }
        }
        out
    }

    /// The word (identifier, dotted names included) around `offset`.
    pub fn word_at(&self, offset: usize) -> Option<(String, Span)> {
        let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
        let before = &self.text[..offset.min(self.text.len())];
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_word(*c))
            .last()
            .map_or(offset, |(i, _)| i);
        let after = &self.text[start..];
        let len = after.find(|c: char| !is_word(c)).unwrap_or(after.len());
        (len > 0).then(|| (after[..len].to_string(), Span::new(start, start + len)))
    }
}

/// What raises an error name, for hover.
pub fn describe_error(name: &str) -> Option<String> {
    let text = match name {
        "States.ALL" => "matches every error (except States.Runtime); alone and last",
        "States.TaskFailed" => "matches every error a task raises except States.Timeout",
        "States.Timeout" => "a task ran longer than its `timeout`, or missed its `heartbeat`",
        "States.HeartbeatTimeout" => "a task did not send a heartbeat in time",
        "States.Runtime" => {
            "a path found nothing or a value had the wrong type; never retried or caught"
        }
        "States.DataLimitExceeded" => "a payload passed 256 KiB",
        "States.ResultPathMatchFailure" => "a result could not be placed at its path",
        "States.IntrinsicFailure" => "an intrinsic function failed",
        "States.NoChoiceMatched" => "no `when` branch matched",
        "States.Permissions" => "the execution role may not call the task",
        _ => {
            let (service, error) = name.split_once('.')?;
            return Some(format!(
                "`{error}`, raised by the {service} service when a task calls it (Step Functions names service errors `Service.Error`)"
            ));
        }
    };
    Some(format!("`{name}`: {text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLOW: &str = "flow f {\n  collect a {\n    run lambda \"x\"\n    catch States.ALL -> h\n  }\n  transform b after a { run athena { query: \"é\" } }\n  handler h { run sns { topic: \"t\", message: \"m\" } }\n}\ntest \"t\" {\n  mock a { return {} }\n  expect ran b\n}\n";

    #[test]
    fn finds_every_definition_and_use_of_a_name() {
        let a = Analysis::new(FLOW.into());
        let of_a: Vec<bool> = a
            .occurrences()
            .into_iter()
            .filter(|o| o.name == "a")
            .map(|o| o.definition)
            .collect();
        assert_eq!(of_a, [true, false, false]);
        let h = a
            .occurrences()
            .into_iter()
            .filter(|o| o.name == "h")
            .count();
        assert_eq!(h, 2);
    }

    #[test]
    fn positions_count_utf16_units_both_ways() {
        let a = Analysis::new(FLOW.into());
        let after_e = FLOW.find('é').unwrap() + 'é'.len_utf8();
        let p = a.position(after_e);
        assert_eq!(a.offset(p), after_e);
        assert_eq!(p.line, 5);
    }

    #[test]
    fn hover_describes_a_stage() {
        let a = Analysis::new(FLOW.into());
        let text = a.describe_stage(a.stage("a").unwrap());
        assert!(text.contains("**collect** `a`"), "{text}");
        assert!(text.contains("catches States.ALL → `h`"), "{text}");
        assert!(text.contains("arn:aws:states:::lambda:invoke"), "{text}");
    }
}
