//! The state graph of each machine, branch and Map processor: every
//! `StartAt`, `Next`, `Default` and catcher names a state of the same
//! scope, and every state is reachable from `StartAt`.

use super::HashMap;

use super::Cx;
use crate::check::suggest::did_you_mean;
use crate::diagnostics::Diag;
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Top,
    Branch,
    /// A Map's `ItemProcessor`, which may hold a `ProcessorConfig`.
    Processor,
    /// A Map's legacy `Iterator`.
    Iterator,
}

/// One set of states with its own `StartAt`.
pub struct Scope<'a> {
    pub kind: ScopeKind,
    pub start: Option<Edge<'a>>,
    pub states: Vec<ScopeState<'a>>,
}

pub struct ScopeState<'a> {
    pub name: &'a str,
    /// The state's key in `States`.
    pub span: Span,
    pub edges: Vec<Edge<'a>>,
    /// Ends its machine (`End: true`, Succeed or Fail), or may once its
    /// reported problem is fixed (no `Next` or `End`).
    pub terminal: bool,
    /// False when a reported problem hides where the state leads (no
    /// `Type`, a malformed `Next`, `Catch` or `Choices`): reachability and
    /// termination are then not judged, as they would only echo it.
    pub edges_known: bool,
}

/// A field naming a state.
#[derive(Debug, Clone, Copy)]
pub struct Edge<'a> {
    pub target: &'a str,
    pub span: Span,
    pub field: &'static str,
}

/// Checks every scope once all are known, so a target in another scope can
/// be told apart from a typo.
pub fn check(cx: &mut Cx) {
    let scopes = std::mem::take(&mut cx.scopes);
    for scope in &scopes {
        check_scope(cx, scope);
    }
}

fn check_scope(cx: &mut Cx, scope: &Scope) {
    let index: HashMap<&str, usize> = scope
        .states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name, i))
        .collect();
    let where_ = match scope.kind {
        ScopeKind::Top => "of the machine",
        ScopeKind::Branch => "of this branch",
        ScopeKind::Processor | ScopeKind::Iterator => "of this Map processor",
    };
    let unknown = |edge: &Edge, cx: &mut Cx| {
        let help = if cx.names.contains_key(edge.target) {
            format!(
                "`{}` belongs to another machine, branch or Map processor; `{}` can only name a state {where_}",
                edge.target, edge.field
            )
        } else {
            did_you_mean(
                edge.target,
                scope.states.iter().map(|s| s.name),
                &format!("the states {where_} are"),
            )
            .unwrap_or_default()
        };
        cx.diags.push(Diag::AslUnknownState {
            span: edge.span,
            field: edge.field.to_string(),
            target: edge.target.to_string(),
            scope: where_,
            help,
        });
    };
    // Reachability: a walk from StartAt over known targets.
    let mut reached = vec![false; scope.states.len()];
    let mut stack = Vec::new();
    if let Some(start) = &scope.start {
        match index.get(start.target) {
            Some(&i) => stack.push(i),
            None => unknown(start, cx),
        }
    }
    for state in &scope.states {
        for edge in &state.edges {
            if !index.contains_key(edge.target) {
                unknown(edge, cx);
            }
        }
    }
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut reached[i], true) {
            continue;
        }
        let targets = scope.states[i].edges.iter();
        stack.extend(targets.filter_map(|e| index.get(e.target).copied()));
    }
    // A broken target is the likelier mistake; say only that.
    let all_known = scope.states.iter().all(|s| s.edges_known)
        && scope
            .states
            .iter()
            .flat_map(|s| &s.edges)
            .all(|e| index.contains_key(e.target));
    if all_known && !scope.states.iter().any(|s| s.terminal) {
        let span = scope.start.map_or(Span::default(), |s| s.span);
        cx.diags.push(Diag::AslNoTerminal {
            span,
            scope: match scope.kind {
                ScopeKind::Top => "the state machine",
                ScopeKind::Branch => "this Parallel branch",
                ScopeKind::Processor | ScopeKind::Iterator => "this Map processor",
            },
        });
    }
    // Without a valid StartAt every state would be "unreachable", and after a
    // misspelt target the state it meant is: say only the first problem.
    if all_known && scope.start.is_some_and(|s| index.contains_key(s.target)) {
        for (state, reached) in scope.states.iter().zip(reached) {
            if !reached {
                cx.diags.push(Diag::AslUnreachable {
                    span: state.span,
                    state: state.name.to_string(),
                });
            }
        }
    }
}
