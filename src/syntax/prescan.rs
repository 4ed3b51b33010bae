//! A quick pass over the raw text before pest sees it. It finds problems pest
//! would report badly (an unterminated string shows up as a confusing error
//! lines later) and bounds nesting, so the recursive-descent parser and every
//! later recursive walk stay far from the end of the stack.

use crate::diagnostics::Diag;
use crate::source::Span;

/// Deepest nesting of `{`, `[`, `(` and chained `not` that a file may use.
pub const MAX_NESTING: usize = 100;

/// Returns the first blocking problem, if any. Scanning stops there: later
/// problems would be artefacts of the first.
pub fn prescan(text: &str) -> Option<Diag> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut not_run = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => match string_end(bytes, i) {
                Some(end) => i = end,
                None => {
                    let end = line_end(bytes, i);
                    return Some(Diag::UnterminatedString {
                        span: Span::new(i, end),
                    });
                }
            },
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = line_end(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => match find(bytes, i + 2, b"*/") {
                Some(end) => i = end + 2,
                None => {
                    return Some(Diag::UnterminatedComment {
                        span: Span::new(i, i + 2),
                    });
                }
            },
            // A path is one token to the grammar: quotes, comment markers and
            // brackets inside it mean nothing here, but its nesting counts.
            b'$' => {
                not_run = 0;
                let (end, nested) = path_end(bytes, i);
                if depth + nested > MAX_NESTING {
                    return Some(too_deep(i, end));
                }
                i = end;
            }
            b'{' | b'[' | b'(' => {
                not_run = 0;
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(too_deep(i, i + 1));
                }
                i += 1;
            }
            b'}' | b']' | b')' => {
                not_run = 0;
                depth = depth.saturating_sub(1);
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-')
                {
                    i += 1;
                }
                if &bytes[start..i] == b"not" {
                    not_run += 1;
                    if not_run > MAX_NESTING {
                        return Some(too_deep(start, i));
                    }
                } else {
                    not_run = 0;
                }
            }
            // The grammar's whitespace: space, \t..\r, and a byte-order mark.
            b' ' | b'\t'..=b'\r' => i += 1,
            0xEF if bytes[i..].starts_with("\u{FEFF}".as_bytes()) => i += 3,
            _ => {
                not_run = 0;
                i += 1;
            }
        }
    }
    None
}

/// The comments of a text that prescans clean, in order: `//` to the end
/// of the line, `/* … */` whole. Strings and paths are skipped as the
/// grammar reads them, so a `//` inside one is not a comment. The
/// formatter keeps every one of these.
pub fn comments(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i).unwrap_or(bytes.len()),
            // The grammar ends a line comment at `\n` or `\r`: code after a
            // lone `\r` is code.
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .map_or(bytes.len(), |p| i + p);
                found.push(Span::new(i, end));
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = find(bytes, i + 2, b"*/").map_or(bytes.len(), |e| e + 2);
                found.push(Span::new(i, end));
                i = end;
            }
            b'$' => i = path_end(bytes, i).0.max(i + 1),
            _ => i += 1,
        }
    }
    found
}

/// Where the path starting at `start` (a `$`) ends, as the grammar reads it,
/// and how deeply its brackets nest.
fn path_end(bytes: &[u8], start: usize) -> (usize, usize) {
    let mut i = start + 1;
    if bytes.get(i) == Some(&b'$') {
        i += 1;
    }
    let mut deepest = 0;
    loop {
        match bytes.get(i) {
            Some(b'.') => {
                i += 1;
                if bytes.get(i) == Some(&b'.') {
                    i += 1;
                }
                while i < bytes.len() && is_path_name_byte(bytes, i) {
                    i += 1;
                }
            }
            Some(b'[') => match bracket_end(bytes, i) {
                Some((end, nested)) => {
                    deepest = deepest.max(nested);
                    i = end;
                }
                None => return (i, deepest),
            },
            _ => return (i, deepest),
        }
    }
}

fn is_path_name_byte(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'-' => bytes.get(i + 1) != Some(&b'>'),
        c => c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'@' | b'*'),
    }
}

/// The end of the bracket opening at `open` and its nesting, or `None` when
/// it does not close on its line (then the grammar ends the path before it).
/// Iterative, with an explicit depth, so it cannot recurse on hostile input.
fn bracket_end(bytes: &[u8], open: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some((i + 1, deepest));
                }
            }
            b'\n' => return None,
            quote @ (b'\'' | b'"') => {
                if let Some(end) = quoted_end(bytes, i, quote) {
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Past the closing `quote` of a quoted name inside a path's brackets.
fn quoted_end(bytes: &[u8], start: usize, quote: u8) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn too_deep(start: usize, end: usize) -> Diag {
    Diag::NestingTooDeep {
        span: Span::new(start, end),
        limit: MAX_NESTING,
    }
}

/// The index just past the closing quote of the string opening at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Option<String> {
        prescan(text).map(|d| d.code_str())
    }

    #[test]
    fn clean_text_passes() {
        assert_eq!(code("flow a { // \"not a string\n }"), None);
        assert_eq!(code("\"a \\\" b\" /* x \" */"), None);
    }

    #[test]
    fn unterminated_string_points_at_the_quote() {
        let diag = prescan("flow a {\n comment \"oops\n}").unwrap();
        assert_eq!(diag.primary_span(), Span::new(18, 23));
        assert_eq!(diag.code_str(), "nagare::E002");
    }

    #[test]
    fn unterminated_comment() {
        assert_eq!(code("flow a { /* x"), Some("nagare::E003".into()));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        assert_eq!(code(&"[".repeat(20_000)), Some("nagare::E005".into()));
        assert_eq!(code(&"not ".repeat(20_000)), Some("nagare::E005".into()));
        assert_eq!(
            code(&format!("{}{}", "[".repeat(100), "]".repeat(100))),
            None
        );
        // Other whitespace the grammar skips does not end a chain of `not`.
        assert_eq!(code(&"not\u{b}".repeat(200)), Some("nagare::E005".into()));
        assert_eq!(
            code(&"not\u{feff}".repeat(200)),
            Some("nagare::E005".into())
        );
    }

    #[test]
    fn paths_are_one_token() {
        assert_eq!(
            code("x: $.input['logs/*'] y: $.input['\"'] z: $.a['//']"),
            None
        );
        assert_eq!(
            code(&format!("[$.a[']]'], {}", "[".repeat(150))),
            Some("nagare::E005".into())
        );
        assert_eq!(code(&format!("$.a{}", "[0]".repeat(300))), None);
        assert_eq!(
            code(&format!("$.a{}1{}", "[".repeat(150), "]".repeat(150))),
            Some("nagare::E005".into())
        );
    }
}
