//! Variables across states (AWS's "Passing data between states with
//! variables"): every read of `$name`, in a JSONata expression or a
//! JSONPath path, must follow an assignment on some path from the start,
//! and a Parallel branch or Map iteration may read the variables of the
//! scopes around it but not assign their names. A Distributed Map's
//! iterations see none of the outer variables.
//!
//! This is a walk of its own over the definition: each state's reads,
//! and what each of its transitions assigns (a state's `Assign` on its
//! `Next`, a Choice rule's on its target, a catcher's on its handler),
//! then, per scope, the variables that may be assigned on entry to each
//! state, grown to a fixed point from `StartAt`.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::HashMap;
use super::json::{Node, Value};
use super::values::inside;
use crate::asl::intrinsic::{self, ArgKind, Call};
use crate::asl::jsonata;
use crate::check::suggest::did_you_mean;
use crate::diagnostics::Diag;
use crate::path;
use crate::source::Span;

type Names = BTreeSet<String>;

#[derive(Default)]
struct StateVars<'a> {
    reads: Vec<(String, Span)>,
    /// Whether the state speaks JSONPath (where `$name` may be a typo of
    /// `$.name`).
    jsonpath: bool,
    /// Each transition's target and the variables it assigns.
    edges: Vec<(&'a str, Vec<(String, Span)>)>,
}

struct VarScope<'a> {
    /// The scope and state that run this one (a branch or a processor).
    parent: Option<(usize, &'a str)>,
    isolated: bool,
    inner: &'static str,
    start: Option<&'a str>,
    states: IndexMap<&'a str, StateVars<'a>>,
}

/// Reports reads of unassigned variables and inner assignments of outer
/// names.
pub(super) fn check(root: &Node, diags: &mut Vec<Diag>) {
    let jsonata = language(root) == Some(true);
    let mut scopes = Vec::new();
    machine(root, None, false, "", jsonata, &mut scopes);
    if !scopes.iter().any(|s| {
        s.states
            .values()
            .any(|v| !v.reads.is_empty() || v.edges.iter().any(|e| !e.1.is_empty()))
    }) {
        return;
    }
    let mut entry_sets: Vec<HashMap<&str, Names>> = Vec::with_capacity(scopes.len());
    for i in 0..scopes.len() {
        let outer = match scopes[i].parent {
            Some(_) if scopes[i].isolated => Names::new(),
            Some((p, state)) => entry_sets[p].get(state).cloned().unwrap_or_default(),
            None => Names::new(),
        };
        let sets = flow(&scopes[i], outer);
        report_reads(&scopes, i, &sets, diags);
        report_outer_names(&scopes, i, diags);
        entry_sets.push(sets);
    }
}

fn language(node: &Node) -> Option<bool> {
    node.as_object()?
        .iter()
        .find(|m| m.key == "QueryLanguage")
        .and_then(|m| m.value.as_str())
        .map(|l| l == "JSONata")
}

fn member<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.as_object()?
        .iter()
        .rev()
        .find(|m| m.key == key)
        .map(|m| &m.value)
}

/// Collects a machine (the top one, a branch or a processor) and the
/// machines inside it.
fn machine<'a>(
    node: &'a Node,
    parent: Option<(usize, &'a str)>,
    isolated: bool,
    inner: &'static str,
    jsonata: bool,
    scopes: &mut Vec<VarScope<'a>>,
) {
    let index = scopes.len();
    scopes.push(VarScope {
        parent,
        isolated,
        inner,
        start: member(node, "StartAt").and_then(Node::as_str),
        states: IndexMap::new(),
    });
    let Some(states) = member(node, "States").and_then(Node::as_object) else {
        return;
    };
    for state in states {
        let name = state.key.as_str();
        let node = &state.value;
        let own = language(node).unwrap_or(jsonata);
        let mut vars = StateVars {
            jsonpath: !own,
            ..StateVars::default()
        };
        reads(node, own, &mut vars.reads);
        transitions(node, own, &mut vars.edges);
        scopes[index].states.insert(name, vars);
        for branch in member(node, "Branches")
            .and_then(Node::as_array)
            .unwrap_or_default()
        {
            machine(
                branch,
                Some((index, name)),
                false,
                "a Parallel branch",
                jsonata,
                scopes,
            );
        }
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(processor) = member(node, key) {
                let distributed = member(processor, "ProcessorConfig")
                    .and_then(|c| member(c, "Mode"))
                    .and_then(Node::as_str)
                    == Some("DISTRIBUTED");
                machine(
                    processor,
                    Some((index, name)),
                    distributed,
                    "a Map iteration",
                    jsonata,
                    scopes,
                );
            }
        }
    }
}

/// Fields holding a path in a JSONPath state (besides `"key.$"` values).
fn is_path_field(key: &str) -> bool {
    matches!(key, "InputPath" | "OutputPath" | "ItemsPath" | "Variable")
        || (key.ends_with("Path") && key != "ResultPath")
}

/// The variables a state reads, outside the machines nested in it.
fn reads(node: &Node, jsonata: bool, out: &mut Vec<(String, Span)>) {
    let Some(members) = node.as_object() else {
        return;
    };
    for m in members {
        if matches!(m.key.as_str(), "Branches" | "ItemProcessor" | "Iterator") {
            continue;
        }
        if jsonata {
            expressions(&m.value, out);
        } else {
            paths(&m.key, &m.value, out);
        }
    }
}

fn expressions(node: &Node, out: &mut Vec<(String, Span)>) {
    match &node.value {
        Value::String(text) => {
            let Some(body) = jsonata::delimited(text) else {
                return;
            };
            let compiled = jsonata::compiled(body);
            let Ok(compiled) = &*compiled else {
                return;
            };
            for (name, (start, end)) in &compiled.analysis.variables {
                let range = start + 2..(*end).max(start + 1) + 2;
                out.push((name.clone(), inside(node, range)));
            }
        }
        Value::Object(members) => members.iter().for_each(|m| expressions(&m.value, out)),
        Value::Array(items) => items.iter().for_each(|i| expressions(i, out)),
        _ => {}
    }
}

fn paths(key: &str, node: &Node, out: &mut Vec<(String, Span)>) {
    match &node.value {
        Value::String(text) if key.ends_with(".$") || is_path_field(key) => {
            let text = text.trim_matches(|c: char| c <= ' ');
            if intrinsic::is_call(text) {
                if let Ok(call) = intrinsic::parse(text) {
                    call_reads(&call, node, out);
                }
            } else if let Ok(parsed) = path::parse_asl(text)
                && let Some(name) = parsed.variable
            {
                out.push((name, node.span));
            }
        }
        Value::Object(members) => members.iter().for_each(|m| paths(&m.key, &m.value, out)),
        Value::Array(items) => items.iter().for_each(|i| paths(key, i, out)),
        _ => {}
    }
}

fn call_reads(call: &Call, node: &Node, out: &mut Vec<(String, Span)>) {
    for arg in &call.args {
        match &arg.kind {
            ArgKind::Path(p) => {
                if let Some(name) = &p.variable {
                    out.push((name.clone(), node.span));
                }
            }
            ArgKind::Call(inner) => call_reads(inner, node, out),
            _ => {}
        }
    }
}

/// The names an `Assign` object assigns, with their spans.
fn assigned(node: Option<&Node>, jsonata: bool) -> Vec<(String, Span)> {
    let Some(members) = node.and_then(Node::as_object) else {
        return Vec::new();
    };
    members
        .iter()
        .map(|m| {
            let name = match m.key.strip_suffix(".$") {
                Some(name) if !jsonata => name,
                _ => m.key.as_str(),
            };
            (name.to_string(), m.key_span)
        })
        .collect()
}

fn transitions<'a>(node: &'a Node, jsonata: bool, out: &mut Vec<(&'a str, Vec<(String, Span)>)>) {
    let own = assigned(member(node, "Assign"), jsonata);
    let target = |n: &'a Node, key: &str| member(n, key).and_then(Node::as_str);
    if let Some(next) = target(node, "Next") {
        out.push((next, own.clone()));
    }
    if let Some(default) = target(node, "Default") {
        out.push((default, own.clone()));
    }
    // A state that ends still assigns (what a Map iteration or branch
    // assigns is checked against outer names even when nothing follows).
    if target(node, "Next").is_none() && target(node, "Default").is_none() && !own.is_empty() {
        out.push(("", own));
    }
    for key in ["Choices", "Catch"] {
        for entry in member(node, key)
            .and_then(Node::as_array)
            .unwrap_or_default()
        {
            let assigns = assigned(member(entry, "Assign"), jsonata);
            match target(entry, "Next") {
                Some(next) => out.push((next, assigns)),
                None => out.push(("", assigns)),
            }
        }
    }
}

/// The variables that may be assigned on entry to each reachable state.
fn flow<'a>(scope: &VarScope<'a>, outer: Names) -> HashMap<&'a str, Names> {
    let mut sets: HashMap<&'a str, Names> = HashMap::default();
    let Some(start) = scope.start.filter(|s| scope.states.contains_key(s)) else {
        return sets;
    };
    sets.insert(start, outer);
    let mut work = vec![start];
    while let Some(name) = work.pop() {
        let Some(state) = scope.states.get(name) else {
            continue;
        };
        let here = sets.get(name).cloned().unwrap_or_default();
        for (target, assigns) in &state.edges {
            if !scope.states.contains_key(target) {
                continue;
            }
            let mut after = here.clone();
            after.extend(assigns.iter().map(|(n, _)| n.clone()));
            let changed = match sets.entry(target) {
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(after);
                    true
                }
                std::collections::hash_map::Entry::Occupied(mut slot) => {
                    let before = slot.get().len();
                    slot.get_mut().extend(after);
                    slot.get().len() > before
                }
            };
            if changed && !work.contains(target) {
                work.push(target);
            }
        }
    }
    sets
}

fn report_reads(scopes: &[VarScope], i: usize, sets: &HashMap<&str, Names>, diags: &mut Vec<Diag>) {
    let scope = &scopes[i];
    for (name, state) in &scope.states {
        let Some(known) = sets.get(name) else {
            continue;
        };
        for (var, span) in &state.reads {
            if known.contains(var) {
                continue;
            }
            let mut everywhere = assigned_anywhere(scopes, i);
            everywhere.retain(|(n, _)| super::jsonata::variable_name_problem(n).is_none());
            let mut help = if everywhere.iter().any(|(n, _)| n == var) {
                format!(
                    "`{var}` is assigned only on paths that do not lead here first, or in another branch or iteration; assign it on every way in"
                )
            } else {
                did_you_mean(
                    var,
                    everywhere.iter().map(|(n, _)| n.as_str()),
                    "the variables assigned are",
                )
                .unwrap_or_else(|| {
                    format!("assign `{var}` with `Assign` in a state that runs before this one")
                })
            };
            if state.jsonpath {
                help.push_str(&format!(
                    "; to read the field `{var}` of the input write `$.{var}`"
                ));
            }
            diags.push(Diag::AslUnassignedVariable {
                span: *span,
                name: var.clone(),
                state: name.to_string(),
                help,
            });
        }
    }
}

/// Every name assigned in scope `i` and the scopes around it.
fn assigned_anywhere(scopes: &[VarScope], mut i: usize) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    loop {
        out.extend(own_assigns(&scopes[i]));
        match scopes[i].parent {
            Some((p, _)) if !scopes[i].isolated => i = p,
            _ => return out,
        }
    }
}

fn own_assigns(scope: &VarScope) -> Vec<(String, Span)> {
    scope
        .states
        .values()
        .flat_map(|s| s.edges.iter().flat_map(|(_, a)| a.iter().cloned()))
        .collect()
}

fn report_outer_names(scopes: &[VarScope], i: usize, diags: &mut Vec<Diag>) {
    let Some((parent, _)) = scopes[i].parent else {
        return;
    };
    let outer = assigned_anywhere(scopes, parent);
    if outer.is_empty() {
        return;
    }
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let own = own_assigns(&scopes[i]);
    for (name, span) in &own {
        if !seen.insert(name) {
            continue;
        }
        if let Some((_, first)) = outer.iter().find(|(n, _)| n == name) {
            diags.push(Diag::AslOuterVariable {
                span: *span,
                name: name.clone(),
                inner: scopes[i].inner,
                outer: *first,
            });
        }
    }
}
