//! Reading what the user named: files, directories of `.flow` files, stdin.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diag;
use crate::source::{Source, Span};

/// One input text, or the reason it could not be read.
pub enum Loaded {
    /// The text; for a file that is not UTF-8, the lossy text and the error.
    Text(Source, Option<Diag>),
    Failed(String),
}

/// Expands directories into the `.flow` files under them (sorted, hidden
/// entries skipped) and loads everything.
pub fn load_all(paths: &[PathBuf]) -> Vec<Loaded> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files = Vec::new();
            collect_flow_files(path, &mut files);
            if files.is_empty() {
                out.push(Loaded::Failed(format!(
                    "no .flow files under {}",
                    path.display()
                )));
            }
            out.extend(files.iter().map(|f| load(f)));
        } else {
            out.push(load(path));
        }
    }
    out
}

fn collect_flow_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden || path.file_name().is_some_and(|n| n == "target") {
            continue;
        }
        if path.is_dir() {
            collect_flow_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "flow") {
            out.push(path);
        }
    }
}

/// Loads one file, or standard input for `-`.
pub fn load(path: &Path) -> Loaded {
    let (name, bytes) = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        match std::io::stdin().read_to_end(&mut bytes) {
            Ok(_) => ("<stdin>".to_string(), bytes),
            Err(e) => return Loaded::Failed(format!("cannot read standard input: {e}")),
        }
    } else {
        match std::fs::read(path) {
            Ok(bytes) => (path.display().to_string(), bytes),
            Err(e) => return Loaded::Failed(format!("cannot read {}: {e}", path.display())),
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Loaded::Text(Source::new(name, text), None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text equals the original up to `at`, so the span holds;
            // it covers the replacement character (3 bytes) standing for the bad byte.
            let end = (at + '\u{FFFD}'.len_utf8()).min(text.len());
            let diag = Diag::InvalidUtf8 {
                span: Span::new(at, end),
            };
            Loaded::Text(Source::new(name, text), Some(diag))
        }
    }
}
