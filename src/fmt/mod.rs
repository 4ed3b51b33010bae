//! `nagare fmt`: one canonical layout for `.flow` files. The AST is
//! printed, not the text re-spaced, so the layout cannot depend on how the
//! file was written; the few things the AST does not keep as written
//! (number and duration literals, comments) come from the source by span.
//!
//! Layout: two-space indent; one item per line; a blank line around
//! blocks (stages, handlers, `defaults`, tests) and where the source had
//! one; values on one line when they fit in 100 columns and hold no
//! comment, else one entry (or element) per line; a `run` block's
//! arguments always one per line. Every comment is kept: on its own line
//! before the item it preceded, or at the end of the line it ended.

mod values;

use crate::diagnostics::Diag;
use crate::source::Span;
use crate::syntax::ast::{
    Catch, Clause, ExpectKind, File, Flow, FlowItem, Header, MockResponse, Outcome, Retry,
    RetryOption, Stage, Test, TestItem,
};
use crate::syntax::{comments, parse};

/// The widest a line may be before a value breaks over lines.
pub const WIDTH: usize = 100;

/// The formatted text, or the syntax errors that stop formatting (a file
/// that does not parse has no tree to print).
pub fn format(text: &str) -> Result<String, Vec<Diag>> {
    let parsed = parse(text);
    let syntax_errors: Vec<Diag> = parsed.diags.into_iter().filter(Diag::is_error).collect();
    let file = match parsed.file {
        Some(file) if syntax_errors.is_empty() => file,
        _ => return Err(syntax_errors),
    };
    let mut printer = Printer::new(text);
    printer.file(&file);
    Ok(printer.finish())
}

/// Writes lines, and the source's comments where they belong.
pub(crate) struct Printer<'s> {
    src: &'s str,
    comments: Vec<Span>,
    next_comment: usize,
    out: String,
    indent: usize,
    /// Where in the source the last thing written ended.
    last_end: usize,
    /// Nothing written yet at this level: no blank line before the first
    /// item of a block.
    block_start: bool,
}

impl<'s> Printer<'s> {
    fn new(src: &'s str) -> Self {
        Printer {
            src,
            comments: comments(src),
            next_comment: 0,
            out: String::new(),
            indent: 0,
            last_end: 0,
            block_start: true,
        }
    }

    fn finish(mut self) -> String {
        self.comments_before(self.src.len());
        let trimmed = self.out.trim_end().len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }

    // ------------------------------------------------------------ lines

    /// Writes one line for an item at `span`: first the comments before
    /// it, then the text, then a comment that ends its source line.
    fn line(&mut self, span: Span, text: &str, blank_before: bool) {
        // An asked-for blank line goes before the item's own comments.
        let commented = self.leading_comments(span.start, blank_before);
        self.gap(span.start, blank_before && !commented);
        self.raw_line(text);
        let end = self.code_end(span);
        self.last_end = self.last_end.max(end);
        self.trailing_comment(end);
    }

    /// Where the code of `span` ends: pest's spans take in the spaces and
    /// comments an optional part looked past, which belong to what follows.
    fn code_end(&self, span: Span) -> usize {
        let mut end = span.end.min(self.src.len());
        loop {
            let text = self.src.get(span.start..end).unwrap_or_default();
            let trimmed = text.trim_end().len() + span.start;
            let comment = self
                .comments
                .iter()
                .find(|c| c.end == trimmed && c.start >= span.start);
            match comment {
                Some(c) => end = c.start,
                None => return trimmed.max(span.start),
            }
        }
    }

    /// Opens a block: `head {` for an item starting at `start` whose `{` is
    /// at `brace`; indented children follow.
    fn open(&mut self, start: usize, brace: usize, head: &str, blank_before: bool) {
        let text = if head.is_empty() {
            "{".to_string()
        } else {
            format!("{head} {{")
        };
        self.open_line(start, brace, &text, blank_before);
    }

    /// Opens a block with `text` as its first line (ending in `{`, `[` or
    /// `(`, whose source position is `opener`).
    fn open_line(&mut self, start: usize, opener: usize, text: &str, blank_before: bool) {
        self.line(Span::new(start, opener + 1), text, blank_before);
        self.indent += 1;
        self.block_start = true;
    }

    /// Closes the block whose `}` is at `brace`: comments before it stay
    /// inside, then `}` and `suffix`.
    fn close(&mut self, brace: usize, suffix: &str) {
        self.close_with(brace, "}", suffix);
    }

    fn close_with(&mut self, closer_at: usize, closer: &str, suffix: &str) {
        self.comments_before(closer_at);
        self.indent = self.indent.saturating_sub(1);
        self.raw_line(&format!("{closer}{suffix}"));
        self.last_end = self.last_end.max(closer_at + 1);
        self.trailing_comment(closer_at + 1);
        self.block_start = false;
    }

    /// The first `{` at or after `from`, outside comments: where a block
    /// whose tree keeps no span for its brace opens.
    fn brace_after(&self, from: usize) -> usize {
        let mut at = from;
        while let Some(i) = self.src.get(at..).and_then(|rest| rest.find('{')) {
            let pos = at + i;
            if !self.comments.iter().any(|c| c.start <= pos && pos < c.end) {
                return pos;
            }
            at = pos + 1;
        }
        from
    }

    fn raw_line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
        self.block_start = false;
    }

    /// A blank line when asked for, or when the source had one here; never
    /// at the start of a block or the file.
    fn gap(&mut self, next: usize, asked: bool) {
        if self.block_start || self.out.is_empty() {
            return;
        }
        let between = self.src.get(self.last_end..next).unwrap_or_default();
        let source_blank = between
            .split('\n')
            .skip(1)
            .take(between.matches('\n').count().saturating_sub(1))
            .any(|l| l.trim().is_empty());
        if (asked || source_blank) && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Every comment not yet written that starts before `offset`, each on
    /// its own line.
    fn comments_before(&mut self, offset: usize) {
        self.leading_comments(offset, false);
    }

    /// Writes the comments before `offset`, the first after a blank line
    /// when `blank_first`; says whether there were any.
    fn leading_comments(&mut self, offset: usize, blank_first: bool) -> bool {
        let mut first = true;
        while let Some(&c) = self.comments.get(self.next_comment) {
            if c.start >= offset {
                break;
            }
            self.next_comment += 1;
            self.gap(c.start, blank_first && first);
            first = false;
            let text = self.comment_text(c);
            // A block comment keeps its inner lines exactly as written,
            // spaces and carriage returns included: they are its text.
            let mut lines = text.split('\n');
            if let Some(first) = lines.next() {
                self.raw_line(first);
            }
            for rest in lines {
                self.out.push_str(rest);
                self.out.push('\n');
            }
            self.last_end = self.last_end.max(c.end);
        }
        !first
    }

    /// A comment that starts on the same source line after `end`, with
    /// nothing but spaces and commas before it, ends the line just written.
    fn trailing_comment(&mut self, end: usize) {
        let Some(&c) = self.comments.get(self.next_comment) else {
            return;
        };
        let between = self.src.get(end..c.start).unwrap_or("\n");
        // Closing `)` and `]` of the item itself may sit between (a span
        // can end inside them, as a cron string's does).
        let only_closers = between
            .chars()
            .all(|ch| matches!(ch, ' ' | '\t' | ',' | ')' | ']'));
        if c.start < end || between.contains('\n') || !only_closers {
            return;
        }
        let text = self.comment_text(c);
        if text.contains('\n') {
            return;
        }
        self.next_comment += 1;
        self.out.pop();
        self.out.push(' ');
        self.out.push_str(&text);
        self.out.push('\n');
        self.last_end = self.last_end.max(c.end);
    }

    fn comment_text(&self, c: Span) -> String {
        self.src
            .get(c.start..c.end)
            .unwrap_or_default()
            .trim_end()
            .to_string()
    }

    /// Whether a comment starts inside `span`: such a value cannot be
    /// written on one line.
    fn has_comment(&self, span: Span) -> bool {
        self.comments[self.next_comment..]
            .iter()
            .any(|c| c.start >= span.start && c.start < span.end)
    }

    /// The source text of a literal, as written (numbers, durations): the
    /// last word of `span`, which may start at the clause's keyword.
    fn literal(&self, span: Span) -> String {
        self.src
            .get(span.start..span.end)
            .unwrap_or_default()
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .to_string()
    }

    fn columns_left(&self) -> usize {
        WIDTH.saturating_sub(self.indent * 2)
    }

    // ------------------------------------------------------------- file

    fn file(&mut self, file: &File) {
        enum Top<'a> {
            Flow(&'a Flow),
            Test(&'a Test),
        }
        let mut items: Vec<(usize, Top)> = file
            .flows
            .iter()
            .map(|f| (f.span.start, Top::Flow(f)))
            .chain(file.tests.iter().map(|t| (t.span.start, Top::Test(t))))
            .collect();
        items.sort_by_key(|(start, _)| *start);
        for (_, item) in items {
            match item {
                Top::Flow(flow) => self.flow(flow),
                Top::Test(test) => self.test(test),
            }
        }
    }

    fn flow(&mut self, flow: &Flow) {
        let brace = self.brace_after(flow.name.span.end);
        self.open(
            flow.span.start,
            brace,
            &format!("flow {}", flow.name.name),
            true,
        );
        for item in &flow.items {
            self.flow_item(item);
        }
        self.close(flow.span.end.saturating_sub(1), "");
    }

    fn flow_item(&mut self, item: &FlowItem) {
        match item {
            FlowItem::Comment(c) => self.line(
                c.span,
                &format!("comment {}", values::string(&c.node)),
                false,
            ),
            FlowItem::Schedule(s) => {
                let text = match s {
                    crate::syntax::ast::Schedule::Cron(c) => {
                        format!("schedule cron({})", values::string(&c.node))
                    }
                    crate::syntax::ast::Schedule::Rate { value, unit, .. } => {
                        format!("schedule rate({} {})", value.node, unit.name)
                    }
                };
                self.line(s.span(), &text, false);
            }
            FlowItem::Timeout(d) => {
                let text = format!("timeout {}", self.literal(d.span));
                self.line(d.span, &text, false);
            }
            FlowItem::Defaults(d) => {
                let brace = self.brace_after(d.span.start);
                self.open(d.span.start, brace, "defaults", true);
                for clause in &d.clauses {
                    self.clause(clause);
                }
                self.close(d.span.end.saturating_sub(1), "");
            }
            FlowItem::Output(v) => self.value_item("output ", v, false),
            FlowItem::Stage(stage) => self.stage(stage),
        }
    }

    fn stage(&mut self, stage: &Stage) {
        let name = format!("{} {}", stage.kind.node.keyword(), stage.name.name);
        let headers: Vec<String> = stage.headers.iter().map(|h| self.header(h)).collect();
        let one_line = std::iter::once(name.clone())
            .chain(headers.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        // Too long for a line: each header on a line of its own, indented
        // under the stage.
        let head = if one_line.chars().count() + 2 <= self.columns_left() || headers.is_empty() {
            one_line
        } else {
            let continued = " ".repeat(self.indent * 2 + 4);
            std::iter::once(name)
                .chain(headers)
                .collect::<Vec<_>>()
                .join(&format!("\n{continued}"))
        };
        self.open(stage.span.start, stage.body_span.start, &head, true);
        for clause in &stage.clauses {
            self.clause(clause);
        }
        self.close(stage.body_span.end.saturating_sub(1), "");
    }

    fn header(&self, header: &Header) -> String {
        match header {
            Header::After { stages, .. } => {
                let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
                format!("after {}", names.join(", "))
            }
            Header::When { condition, .. } => {
                format!("when {}", values::condition(condition, self))
            }
            Header::Foreach {
                items, concurrency, ..
            } => match concurrency {
                Some(n) => format!("foreach {} concurrency {}", items.text, n.node),
                None => format!("foreach {}", items.text),
            },
        }
    }

    fn clause(&mut self, clause: &Clause) {
        match clause {
            Clause::Run(run) => {
                let mut head = format!("run {}", run.integration.name);
                if let Some(target) = &run.target {
                    head.push(' ');
                    head.push_str(&values::string(&target.node));
                }
                match &run.args {
                    Some(args) if !args.entries.is_empty() => {
                        // A run's arguments: always one per line.
                        self.open(run.span.start, args.span.start, &head, false);
                        values::entries(self, &args.entries);
                        self.close(args.span.end.saturating_sub(1), "");
                    }
                    Some(_) => self.line(run.span, &format!("{head} {{}}"), false),
                    None => self.line(run.span, &head, false),
                }
            }
            Clause::Retry(retry) => {
                let text = self.retry(retry);
                self.line(retry.span, &text, false);
            }
            Clause::Catch(catch) => self.line(catch.span, &catch_text(catch), false),
            Clause::Timeout(d) => {
                let text = format!("timeout {}", self.literal(d.span));
                self.line(d.span, &text, false);
            }
            Clause::Heartbeat(d) => {
                let text = format!("heartbeat {}", self.literal(d.span));
                self.line(d.span, &text, false);
            }
            Clause::Result(v) => self.value_item("result ", v, false),
            Clause::Comment(c) => self.line(
                c.span,
                &format!("comment {}", values::string(&c.node)),
                false,
            ),
            Clause::Then(then) => {
                let text = match &then.outcome {
                    Outcome::Reraise => "then fail".to_string(),
                    Outcome::Succeed => "then succeed".to_string(),
                    Outcome::Fail { error, cause } => {
                        let mut t = format!("then fail {}", values::string(&error.node));
                        if let Some(cause) = cause {
                            t.push(' ');
                            t.push_str(&values::string(&cause.node));
                        }
                        t
                    }
                };
                self.line(then.span, &text, false);
            }
        }
    }

    fn retry(&self, retry: &Retry) -> String {
        let errors: Vec<&str> = retry.errors.iter().map(|e| e.name.as_str()).collect();
        let mut text = format!("retry {}", errors.join(", "));
        for option in &retry.options {
            let value = match option {
                RetryOption::Max(n) => n.node.to_string(),
                RetryOption::Interval(d) | RetryOption::MaxDelay(d) => self.literal(d.span),
                RetryOption::Backoff(b) => self.literal(b.span),
                RetryOption::Jitter(j) => match j.node {
                    crate::syntax::ast::Jitter::Full => "full".into(),
                    crate::syntax::ast::Jitter::None => "none".into(),
                },
            };
            text.push_str(&format!(" {} {value}", option.keyword()));
        }
        text
    }

    // ------------------------------------------------------------ tests

    fn test(&mut self, test: &Test) {
        let brace = self.brace_after(test.name.span.end);
        let head = format!("test {}", values::string(&test.name.node));
        self.open(test.span.start, brace, &head, true);
        for item in &test.items {
            match item {
                TestItem::Input(v) => self.value_item("input ", v, false),
                TestItem::Mock(mock) if self.short_mock(mock).is_some() => {
                    let text = self.short_mock(mock).unwrap_or_default();
                    self.line(mock.span, &text, false);
                }
                TestItem::Mock(mock) => {
                    let brace = self.brace_after(mock.stage.span.end);
                    self.open(
                        mock.span.start,
                        brace,
                        &format!("mock {}", mock.stage.name),
                        false,
                    );
                    for response in &mock.responses {
                        match response {
                            MockResponse::Return(v) => self.value_item("return ", v, false),
                            MockResponse::Throw { error, cause, span } => {
                                let mut text = format!("throw {}", error.name);
                                if let Some(cause) = cause {
                                    text.push(' ');
                                    text.push_str(&values::string(&cause.node));
                                }
                                self.line(*span, &text, false);
                            }
                        }
                    }
                    self.close(mock.span.end.saturating_sub(1), "");
                }
                TestItem::Expect(expect) => {
                    let head = match &expect.kind {
                        ExpectKind::Succeeded => "expect succeeded".to_string(),
                        ExpectKind::Failed(None) => "expect failed".to_string(),
                        ExpectKind::Failed(Some(e)) => format!("expect failed {}", e.name),
                        ExpectKind::Ran(s) => format!("expect ran {}", s.name),
                        ExpectKind::NotRan(s) => format!("expect not ran {}", s.name),
                        ExpectKind::Skipped(s) => format!("expect skipped {}", s.name),
                        ExpectKind::Attempts { stage, count } => {
                            format!("expect attempts {} == {}", stage.name, count.node)
                        }
                        ExpectKind::Path { path, op, value } => {
                            let prefix = format!("expect {} {} ", path.text, op.node.as_str());
                            self.value_item(&prefix, value, false);
                            continue;
                        }
                    };
                    self.line(expect.span, &head, false);
                }
            }
        }
        self.close(test.span.end.saturating_sub(1), "");
    }
}

impl Printer<'_> {
    /// `mock NAME { RESPONSE }` on one line: one response, no comment, and
    /// it fits.
    fn short_mock(&self, mock: &crate::syntax::ast::Mock) -> Option<String> {
        let [response] = mock.responses.as_slice() else {
            return None;
        };
        if self.has_comment(mock.span) {
            return None;
        }
        let inner = match response {
            MockResponse::Return(v) => format!("return {}", values::inline(v, self)?),
            MockResponse::Throw { error, cause, .. } => match cause {
                Some(cause) => format!("throw {} {}", error.name, values::string(&cause.node)),
                None => format!("throw {}", error.name),
            },
        };
        let text = format!("mock {} {{ {inner} }}", mock.stage.name);
        (text.chars().count() <= self.columns_left()).then_some(text)
    }
}

fn catch_text(catch: &Catch) -> String {
    let errors: Vec<&str> = catch.errors.iter().map(|e| e.name.as_str()).collect();
    format!("catch {} -> {}", errors.join(", "), catch.handler.name)
}

#[cfg(test)]
mod tests;
