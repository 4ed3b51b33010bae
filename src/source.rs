//! Source files and byte spans: what every diagnostic points into.

use std::fmt;
use std::sync::{Arc, OnceLock};

/// A byte range in one source file. Half-open: `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// A sub-span `range` bytes into this one (e.g. a field inside a string literal).
    pub fn inner(self, range: std::ops::Range<usize>) -> Span {
        let start = (self.start + range.start).min(self.end);
        let end = (self.start + range.end).clamp(start, self.end);
        Span::new(start, end)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start, span.len()).into()
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A named source text. Cheap to clone: diagnostics keep a handle to it.
#[derive(Debug, Clone)]
pub struct Source {
    name: Arc<str>,
    text: Arc<str>,
    /// Byte offsets where lines start, computed on first use.
    line_starts: Arc<OnceLock<Vec<usize>>>,
    /// Whether the text is ASCII (columns are then byte counts), on first use.
    ascii: Arc<OnceLock<bool>>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: Arc::from(name.into()),
            text: Arc::from(text.into()),
            line_starts: Arc::default(),
            ascii: Arc::default(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column (in characters) of a byte offset.
    /// A binary search over line starts: reports with thousands of
    /// diagnostics stay linear in the file's size.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let (line, line_start) = self.line_of(offset);
        // In ASCII text a column is a byte count: no rescan of long
        // (minified) lines for each of many reports.
        let column = if *self.ascii.get_or_init(|| self.text.is_ascii()) {
            offset - line_start
        } else {
            self.text[line_start..offset].chars().count()
        };
        (line, column + 1)
    }

    /// 1-based line of a byte offset, and the offset where that line starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= offset);
        (line, starts[line - 1])
    }

    /// A window of a line too long to show whole (minified JSON is one
    /// line): about `WINDOW` bytes around `span`, on char boundaries.
    fn window(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        const WINDOW: usize = 160;
        let (_, line_start) = self.line_of(start);
        let line_end = self.text[line_start..]
            .find('\n')
            .map_or(self.text.len(), |i| line_start + i);
        if line_end - line_start <= 2 * WINDOW || end > line_end {
            return None;
        }
        let from =
            floor_char_boundary(&self.text, start.saturating_sub(WINDOW / 2).max(line_start));
        let to = ceil_char_boundary(
            &self.text,
            end.max(from + WINDOW).min(from + 4 * WINDOW).min(line_end),
        );
        (end <= to).then_some((from, to))
    }
}

/// miette reads snippets through this. It delegates to the text, then
/// reports columns in characters, as the JSON and GitHub formats do (miette
/// alone would count bytes, so `1:112` for the 89th character of a line).
impl miette::SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        if let Some((from, to)) = self.window(start, end) {
            let (line, column) = self.line_col(from);
            return Ok(Box::new(miette::MietteSpanContents::new_named(
                self.name.to_string(),
                &self.text.as_bytes()[from..to],
                (from, to - from).into(),
                line - 1,
                column - 1,
                1,
            )));
        }
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let (_, column) = self.line_col(inner.span().offset());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column - 1,
            inner.line_count(),
        )))
    }
}

fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_chars() {
        let src = Source::new("a", "ab\nçd\n");
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(3), (2, 1));
        assert_eq!(src.line_col(5), (2, 2));
        assert_eq!(src.line_col(99), (3, 1));
    }

    #[test]
    fn sub_span_is_clamped() {
        let s = Span::new(10, 20);
        assert_eq!(s.inner(1..3), Span::new(11, 13));
        assert_eq!(s.inner(5..50), Span::new(15, 20));
    }
}
