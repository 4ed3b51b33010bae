//! Reading what the user named: files, directories of `.flow` files, stdin.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Output, exit};
use crate::check::{Checked, check_text};
use crate::diagnostics::{Diag, render};
use crate::source::{Source, Span};

/// One input text, or the reason it could not be read.
pub enum Loaded {
    /// The text; for a file that is not UTF-8, the lossy text and the error.
    Text(Source, Option<Diag>),
    Failed(String),
}

/// Expands directories into the `.flow` and `.asl.json` files under them (sorted; hidden
/// entries, `target/` and symlinked directories skipped, so a link loop
/// cannot trap the walk) and loads everything once: a file named twice, or
/// reached twice, is checked once, and `-` reads standard input once.
pub fn load_all(paths: &[PathBuf]) -> Vec<Loaded> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut first = |path: &Path| {
        seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    };
    for path in paths {
        if path.is_dir() {
            let mut files = Vec::new();
            collect_flow_files(path, &mut files);
            if files.is_empty() {
                out.push(Loaded::Failed(format!(
                    "no .flow or .asl.json files under {}",
                    path.display()
                )));
            }
            out.extend(files.iter().filter(|f| first(f)).map(|f| load(f)));
        } else if first(path) {
            out.push(load(path));
        }
    }
    out
}

fn collect_flow_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<(PathBuf, std::fs::FileType)> = entries
        .filter_map(|e| e.ok().and_then(|e| Some((e.path(), e.file_type().ok()?))))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden || path.file_name().is_some_and(|n| n == "target") {
            continue;
        }
        if kind.is_dir() {
            collect_flow_files(&path, out);
        } else if is_checked_in_directories(&path) && path.is_file() {
            out.push(path);
        }
    }
}

/// A directory walk takes flows and definitions named `*.asl.json`; other
/// JSON (package.json, …) is not a definition. Named files are read whatever
/// their name.
fn is_checked_in_directories(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name.ends_with(".flow") || name.to_ascii_lowercase().ends_with(".asl.json")
}

/// Which language a text is in: a `.json` file, or standard input that
/// starts with `{`, is an ASL definition (a flow never starts with `{`).
pub fn is_definition(source: &Source) -> bool {
    if source.name() == "<stdin>" {
        let text = source.text().trim_start_matches('\u{feff}');
        text.trim_start().starts_with('{')
    } else {
        source.name().to_ascii_lowercase().ends_with(".json")
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
            let text = replace_invalid_bytes(e.as_bytes());
            let diag = Diag::InvalidUtf8 {
                span: Span::new(at, at + 1),
            };
            Loaded::Text(Source::new(name, text), Some(diag))
        }
    }
}

/// The text with each invalid byte replaced by `?`: one byte for one byte,
/// so every offset in a report is an offset in the file.
fn replace_invalid_bytes(mut bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(valid) => {
                text.push_str(valid);
                return text;
            }
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len());
                text.extend(std::iter::repeat_n('?', bad));
                bytes = &rest[bad..];
            }
        }
    }
}

/// Loads and checks one flow for a command that needs it whole (`graph`,
/// `compile`): prints its diagnostics, and returns the exit code to stop
/// with when it cannot be used (`doing` finishes "fix them to …").
pub fn load_checked(path: &Path, output: Output, doing: &str) -> Result<(Source, Checked), u8> {
    let source = load_text(path, output)?;
    check_loaded(source, output, doing)
}

/// Loads one input as text, printing why when it cannot be used.
pub fn load_text(path: &Path, output: Output) -> Result<Source, u8> {
    match load(path) {
        Loaded::Failed(message) => {
            eprintln!("error: {message}");
            Err(exit::USAGE_OR_IO)
        }
        Loaded::Text(source, Some(encoding)) => {
            eprint!("{}", render::human(&encoding, &source, output.color));
            Err(exit::PROBLEMS)
        }
        Loaded::Text(source, None) => Ok(source),
    }
}

/// Checks a loaded flow as `load_checked` does.
pub fn check_loaded(source: Source, output: Output, doing: &str) -> Result<(Source, Checked), u8> {
    let checked = check_text(source.text());
    for diag in &checked.diags {
        eprint!("{}", render::human(diag, &source, output.color));
    }
    // Drawing or compiling a flow with errors would show something that is not the flow.
    if checked.has_errors() || checked.flow().is_none() || checked.graph.is_none() {
        eprintln!("error: {} has errors; fix them to {doing}", source.name());
        return Err(exit::PROBLEMS);
    }
    Ok((source, checked))
}
