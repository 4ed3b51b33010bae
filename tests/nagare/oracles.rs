//! The external ASL validators (asl-validator from npm, statelint from
//! PyPI), run on many files per process: each costs 0.1-1 s to start.
//! `.ci/run` installs both and names them in NAGARE_ASL_VALIDATOR and
//! NAGARE_STATELINT; under CI a missing one fails the test, locally it is
//! skipped with a note.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Clone, Copy)]
pub enum Oracle {
    AslValidator,
    Statelint,
}

pub const BOTH: [Oracle; 2] = [Oracle::AslValidator, Oracle::Statelint];

impl Oracle {
    fn var(self) -> &'static str {
        match self {
            Oracle::AslValidator => "NAGARE_ASL_VALIDATOR",
            Oracle::Statelint => "NAGARE_STATELINT",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Oracle::AslValidator => "asl-validator",
            Oracle::Statelint => "statelint",
        }
    }

    fn program(self) -> Option<String> {
        match std::env::var(self.var()) {
            Ok(path) if !path.is_empty() => Some(path),
            _ => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "{} must be set under CI (.ci/run installs it)",
                    self.var()
                );
                eprintln!(
                    "skipping {}: {} is not set (run .ci/run to install it)",
                    self.name(),
                    self.var()
                );
                None
            }
        }
    }

    /// Which of `files` the tool rejects, with what it said; `None` when
    /// the tool is not installed.
    pub fn rejected(self, files: &[PathBuf]) -> Option<BTreeMap<PathBuf, String>> {
        let program = self.program()?;
        let mut rejected = BTreeMap::new();
        for chunk in files.chunks(200) {
            let mut command = Command::new(&program);
            for file in chunk {
                if let Oracle::AslValidator = self {
                    command.arg("--json-path");
                }
                command.arg(file);
            }
            let out = command.output().expect("the validator runs");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let mut accepted_all = true;
            for file in chunk {
                if let Some(message) = self.complaint(file, &text) {
                    accepted_all = false;
                    rejected.insert(file.clone(), message);
                }
            }
            assert_eq!(
                out.status.success(),
                accepted_all,
                "{}'s exit status disagrees with its report:\n{text}",
                self.name()
            );
        }
        Some(rejected)
    }

    /// The tool's complaint about `file` in its report of a batch.
    fn complaint(self, file: &Path, report: &str) -> Option<String> {
        let name = file.display().to_string();
        let lines: Vec<&str> = report.lines().collect();
        let at = match self {
            // `✕ State machine definition "FILE" is invalid:` then the errors.
            Oracle::AslValidator => lines
                .iter()
                .position(|l| l.contains(&format!("\"{name}\" is invalid")))?,
            // `FILE` alone on a line, then `One error:` / `N errors:`.
            Oracle::Statelint => lines.iter().position(|l| *l == name)?,
        };
        Some(lines.get(at + 1..at + 3).unwrap_or_default().join(" / "))
    }
}

/// Writes each definition into `dir` and returns the paths.
pub fn write_all(dir: &Path, definitions: &[String]) -> Vec<PathBuf> {
    definitions
        .iter()
        .enumerate()
        .map(|(i, json)| {
            let path = dir.join(format!("d{i}.asl.json"));
            std::fs::write(&path, json).expect("write a definition");
            path
        })
        .collect()
}

/// Asserts that both validators accept every file.
pub fn assert_both_accept(files: &[PathBuf]) {
    for oracle in BOTH {
        if let Some(rejected) = oracle.rejected(files) {
            assert!(
                rejected.is_empty(),
                "{} rejects: {rejected:#?}",
                oracle.name()
            );
        }
    }
}
