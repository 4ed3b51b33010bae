//! Validating a hand-written definition (`nagare check machine.asl.json`):
//! the rules asl-validator and statelint apply, and the ones of AWS's
//! specification both miss, each reported with a span into the JSON.
//!
//! The walk runs on a spanned JSON tree (`json`), not on the typed model,
//! so that every problem is found and located, not just the first one serde
//! would stop at. Only a definition with no errors is then read into the
//! typed model, which the interpreter runs.

mod choice;
mod fields;
pub mod json;
mod jsonata;
mod map;
mod retry;
mod states;
mod transitions;
mod values;
mod variables;

/// The walk's maps are keyed by names from the file; foldhash (already
/// hashbrown's) is several times faster than SipHash on short keys.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

use super::StateMachine;
use crate::diagnostics::{self, Diag};
use crate::source::Span;
use json::{Node, Value};
use transitions::{Scope, ScopeKind};

pub(crate) use values::arn_problem;
pub use values::is_timestamp;

/// A checked definition: every problem found, and the typed machine when
/// there were no errors.
#[derive(Debug)]
pub struct Validated {
    pub diags: Vec<Diag>,
    pub machine: Option<StateMachine>,
}

impl Validated {
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diag::is_error)
    }
}

/// What the walk carries: problems so far, every state name seen (names
/// are unique across the whole machine) and the scopes to check at the end.
pub(crate) struct Cx<'a> {
    diags: Vec<Diag>,
    names: HashMap<&'a str, Span>,
    scopes: Vec<Scope<'a>>,
    /// Whether the machine's top-level query language is JSONata, which
    /// its states, nested ones included, then speak by default.
    jsonata: bool,
}

impl<'a> Cx<'a> {
    fn note_name(&mut self, name: &'a str, span: Span) {
        if let Some(&first) = self.names.get(name) {
            self.diags.push(Diag::AslDuplicateState {
                span,
                name: name.to_string(),
                first,
            });
        } else {
            self.names.insert(name, span);
        }
    }
}

/// From this size on (a few thousand states), the typed read runs on a
/// thread of its own while the walk looks for problems: it needs only the
/// text, and takes a fifth of the time. Below it, a thread costs what it
/// saves (measured at 1,000 states).
const READ_ALONGSIDE: usize = 256 * 1024;

/// Validates a definition's text.
pub fn validate(text: &str) -> Validated {
    crate::check::suggest::reset_budget();
    std::thread::scope(|scope| {
        let reading = (text.len() >= READ_ALONGSIDE)
            .then(|| {
                std::thread::Builder::new()
                    .stack_size(16 * 1024 * 1024)
                    .spawn_scoped(scope, || super::read(text))
                    .ok()
            })
            .flatten();
        let mut validated = Validated {
            diags: problems(text),
            machine: None,
        };
        if !validated.has_errors() {
            let read = reading
                .and_then(|r| r.join().ok())
                .unwrap_or_else(|| super::read(text));
            match read {
                Ok(machine) => validated.machine = Some(machine),
                // The walk should have named whatever the model refuses;
                // if it did not, the model's own words are still reported.
                Err(e) => {
                    let at = json::offset_of(text, e.line, e.column);
                    validated.diags.push(Diag::AslInvalidValue {
                        span: Span::new(at, at),
                        message: format!("the definition cannot be read: {}", e.message),
                        label: "here".into(),
                        help:
                            "please report this file: nagare's checks should have named the problem"
                                .into(),
                    });
                }
            }
        }
        validated
    })
}

/// Every problem the walk finds, sorted: what `nagare check` reports.
/// `validate` then reads a definition without errors into the typed model;
/// that the model never refuses what the walk accepts is a property the
/// fuzz target `asl_run` asserts, so `check` need not pay for the read.
pub fn problems(text: &str) -> Vec<Diag> {
    let root = match json::parse(text) {
        Ok(root) => root,
        Err(diag) => return vec![diag],
    };
    let mut cx = Cx {
        diags: Vec::new(),
        names: HashMap::default(),
        scopes: Vec::new(),
        jsonata: false,
    };
    every_value(&root, &mut cx.diags);
    states::machine(&mut cx, &root, ScopeKind::Top, "the definition");
    transitions::check(&mut cx);
    variables::check(&root, &mut cx.diags);
    let mut diags = cx.diags;
    diagnostics::sort(&mut diags);
    diags
}

/// Rules for every value of the tree: no key twice in one object, no
/// number beyond what a double holds (serde would refuse it later).
fn every_value(node: &Node, diags: &mut Vec<Diag>) {
    match &node.value {
        Value::Number(text, number) if !number.is_finite() => {
            diags.push(Diag::AslInvalidValue {
                span: node.span,
                message: format!("`{text}` is too large a number"),
                label: "beyond a 64-bit float".into(),
                help: "Step Functions reads numbers as 64-bit floats; write a smaller one".into(),
            });
        }
        Value::Object(members) => {
            // Objects in a definition are small: a scan beats a hash map.
            let big = members.len() > 16;
            let mut seen: HashMap<&str, Span> = HashMap::default();
            for (i, member) in members.iter().enumerate() {
                let first = if big {
                    seen.get(member.key.as_str()).copied()
                } else {
                    members[..i]
                        .iter()
                        .find(|m| m.key == member.key)
                        .map(|m| m.key_span)
                };
                match first {
                    Some(first) => diags.push(Diag::AslDuplicateKey {
                        span: member.key_span,
                        key: member.key.clone(),
                        first,
                    }),
                    None if big => {
                        seen.insert(&member.key, member.key_span);
                    }
                    None => {}
                }
                every_value(&member.value, diags);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| every_value(item, diags)),
        _ => {}
    }
}
