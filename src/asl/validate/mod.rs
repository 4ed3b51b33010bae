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
mod map;
mod retry;
mod states;
mod transitions;
mod values;

use std::collections::HashMap;

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

/// Validates a definition's text.
pub fn validate(text: &str) -> Validated {
    crate::check::suggest::reset_budget();
    let root = match json::parse(text) {
        Ok(root) => root,
        Err(diag) => {
            return Validated {
                diags: vec![diag],
                machine: None,
            };
        }
    };
    let mut cx = Cx {
        diags: Vec::new(),
        names: HashMap::new(),
        scopes: Vec::new(),
    };
    every_value(&root, &mut cx.diags);
    states::machine(&mut cx, &root, ScopeKind::Top, "the definition");
    transitions::check(&mut cx);
    let mut diags = cx.diags;
    diagnostics::sort(&mut diags);
    let mut validated = Validated {
        diags,
        machine: None,
    };
    if !validated.has_errors() {
        match super::read(text) {
            Ok(machine) => validated.machine = Some(machine),
            // The walk above should have named whatever the model refuses;
            // if it did not, the model's own words are still reported.
            Err(e) => {
                let at = json::offset_of(text, e.line, e.column);
                validated.diags.push(Diag::AslInvalidValue {
                    span: Span::new(at, at),
                    message: format!("the definition cannot be read: {}", e.message),
                    label: "here".into(),
                    help: "please report this file: nagare's checks should have named the problem"
                        .into(),
                });
            }
        }
    }
    validated
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
            let mut seen: HashMap<&str, Span> = HashMap::with_capacity(members.len());
            for member in members {
                if let Some(&first) = seen.get(member.key.as_str()) {
                    diags.push(Diag::AslDuplicateKey {
                        span: member.key_span,
                        key: member.key.clone(),
                        first,
                    });
                } else {
                    seen.insert(&member.key, member.key_span);
                }
                every_value(&member.value, diags);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| every_value(item, diags)),
        _ => {}
    }
}
