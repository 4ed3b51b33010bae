//! `nagare compile`: a checked flow as Step Functions ASL JSON.

use std::io::Write;
use std::path::Path;

use super::input::load_checked;
use super::{Output, exit, print_out};
use crate::asl::{lower::lower, write};
use crate::diagnostics::render;

pub fn run(path: &Path, out: Option<&Path>, explain: bool, output: Output) -> u8 {
    let (source, checked) = match load_checked(path, output, "compile it; nothing was compiled") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let (Some(flow), Some(graph)) = (checked.flow(), &checked.graph) else {
        return exit::PROBLEMS;
    };
    let lowered = match lower(flow, graph) {
        Ok(lowered) => lowered,
        Err(diags) => {
            for diag in &diags {
                eprint!("{}", render::human(diag, &source, output.color));
            }
            return exit::PROBLEMS;
        }
    };
    if explain {
        if lowered.waits.is_empty() {
            eprintln!(
                "layout: every dependency kept, and every pair of independent stages runs concurrently"
            );
        } else {
            eprintln!(
                "layout: the dependency graph is not series-parallel, so ASL's sequences and Parallel branches make some stages wait:"
            );
            for wait in &lowered.waits {
                eprintln!(
                    "  `{}` waits for `{}`, which it does not depend on",
                    graph.node(wait.stage).name,
                    graph.node(wait.waits_for).name
                );
            }
        }
    }
    let json = write(&lowered.machine);
    match out {
        None => match print_out(&json) {
            Ok(()) => exit::CLEAN,
            Err(()) => exit::USAGE_OR_IO,
        },
        Some(out) => match write_atomically(out, json.as_bytes()) {
            Ok(()) => exit::CLEAN,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", out.display());
                exit::USAGE_OR_IO
            }
        },
    }
}

/// Writes a sibling temporary file, then renames it over `path`: readers
/// see the old file or the new one, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
