//! `nagare fmt`: rewrite `.flow` files in the canonical layout (in place,
//! atomically, only when they change), or with `--check` only name the
//! ones that would change. Standard input (`-`) goes to standard output.

use std::path::{Path, PathBuf};

use super::input::{Loaded, is_definition, load_all};
use super::{Output, exit, print_out};
use crate::diagnostics::render;
use crate::fmt::format;

pub fn run(paths: &[PathBuf], check: bool, output: Output) -> u8 {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let (mut changed, mut failed) = (Vec::new(), 0usize);
    for loaded in load_all(paths) {
        let source = match loaded {
            Loaded::Failed(message) => {
                eprintln!("error: {message}");
                failed += 1;
                continue;
            }
            Loaded::Text(source, Some(encoding)) => {
                eprint!("{}", render::human(&encoding, &source, output.color));
                failed += 1;
                continue;
            }
            Loaded::Text(source, None) => source,
        };
        if is_definition(&source) {
            // Directory walks also find ASL definitions; fmt is for flows.
            continue;
        }
        let formatted = match format(source.text()) {
            Ok(text) => text,
            Err(diags) => {
                for diag in &diags {
                    eprint!("{}", render::human(diag, &source, output.color));
                }
                eprintln!(
                    "error: {} has syntax errors; it was not formatted",
                    source.name()
                );
                failed += 1;
                continue;
            }
        };
        let stdin = source.name() == "<stdin>";
        if stdin && !check {
            if print_out(&formatted).is_err() {
                return exit::USAGE_OR_IO;
            }
            continue;
        }
        if formatted == source.text() {
            continue;
        }
        changed.push(source.name().to_string());
        if check {
            continue;
        }
        if let Err(e) = write_in_place(Path::new(source.name()), &formatted) {
            eprintln!("error: cannot write {}: {e}", source.name());
            failed += 1;
        }
    }
    if check {
        for name in &changed {
            println!("{name}");
        }
        if !changed.is_empty() {
            eprintln!(
                "{} file(s) would be reformatted; run `nagare fmt` to do it",
                changed.len()
            );
        }
    }
    if failed > 0 {
        exit::USAGE_OR_IO
    } else if check && !changed.is_empty() {
        exit::PROBLEMS
    } else {
        exit::CLEAN
    }
}

/// Replaces the file through a temporary file beside it, keeping its
/// permissions: an interrupted run leaves the old text or the new, never
/// half of one.
fn write_in_place(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path)?.permissions();
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    std::fs::set_permissions(file.path(), permissions)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
