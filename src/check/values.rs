//! Every value, path and condition in the flow: JSONPath syntax, intrinsic
//! names and arity, which parts of the state a path may read where, and the
//! `$.steps.X` reads that the data-flow check then verifies.

use super::intrinsics::{self, arity_words};
use super::suggest::did_you_mean;
use crate::diagnostics::Diag;
use crate::graph::FlowGraph;
use crate::path::{self, JsonPath, Step};
use crate::source::Span;
use crate::syntax::ast::*;

/// Who reads a stage's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// A stage or handler, by index.
    Stage(usize),
    /// The flow's `output`, evaluated when every stage has finished.
    Output,
}

/// One `$.steps.X…` read.
#[derive(Debug, Clone)]
pub struct StepRead {
    pub reader: Reader,
    pub stage: usize,
    pub span: Span,
    /// Read by the reader's own `when`: a missing result makes it false.
    pub in_when: bool,
}

/// Where a path is evaluated, which decides the roots it may read.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub reader: Option<Reader>,
    /// Inside a `foreach` stage's task: `$.item` and `$.index` exist.
    pub item: bool,
    /// Inside a handler: `$.error` exists.
    pub error: bool,
    /// `result { }`: paths read the task's raw result, whatever its shape.
    pub raw_result: bool,
    /// In a `when` condition.
    pub in_when: bool,
}

impl Scope {
    pub fn of(reader: Option<Reader>) -> Self {
        Scope {
            reader,
            item: false,
            error: false,
            raw_result: false,
            in_when: false,
        }
    }
}

pub struct ValueChecker<'a> {
    pub graph: &'a FlowGraph,
    pub diags: &'a mut Vec<Diag>,
    pub reads: Vec<StepRead>,
}

pub fn check_flow(flow: &Flow, graph: &FlowGraph, diags: &mut Vec<Diag>) -> Vec<StepRead> {
    let mut checker = ValueChecker {
        graph,
        diags,
        reads: Vec::new(),
    };
    for item in &flow.items {
        if let FlowItem::Output(value) = item {
            checker.value(value, Scope::of(Some(Reader::Output)));
        }
    }
    for (index, stage) in flow.stages().enumerate() {
        checker.stage(index, stage);
    }
    checker.reads
}

impl ValueChecker<'_> {
    fn stage(&mut self, index: usize, stage: &Stage) {
        let outer = Scope::of(Some(Reader::Stage(index)));
        let mut task = outer;
        task.error = stage.is_handler();
        for header in &stage.headers {
            match header {
                Header::When { condition, .. } => self.condition(
                    condition,
                    Scope {
                        in_when: true,
                        ..outer
                    },
                ),
                Header::Foreach { items, .. } => {
                    task.item = true;
                    if let Some(parsed) = self.path(items, outer)
                        && !parsed.is_reference_path()
                    {
                        self.diags.push(Diag::NotReferencePath {
                            span: items.span,
                            path: items.text.clone(),
                            what: "`foreach`",
                        });
                    }
                }
                Header::After { .. } => {}
            }
        }
        for clause in &stage.clauses {
            match clause {
                Clause::Run(run) => {
                    if let Some(args) = &run.args {
                        self.object(args, task);
                    }
                }
                Clause::Result(value) => self.value(
                    value,
                    Scope {
                        raw_result: true,
                        ..Scope::of(None)
                    },
                ),
                _ => {}
            }
        }
    }

    pub fn value(&mut self, value: &Value, scope: Scope) {
        match &value.kind {
            ValueKind::Object(object) => self.object(object, scope),
            ValueKind::Array(items) => {
                self.list_shape(items);
                items.iter().for_each(|v| self.value(v, scope))
            }
            ValueKind::Path(path) => {
                self.path(path, scope);
            }
            ValueKind::Call(call) => self.call(call, value.span, scope),
            _ => {}
        }
    }

    /// ASL builds a list with run-time elements with `States.Array(…)`, which
    /// takes only scalars, paths and calls; a list of plain values may hold
    /// objects with paths, but not lists with paths.
    fn list_shape(&mut self, items: &[Value]) {
        let dynamic = items.iter().any(|i| i.kind.is_dynamic());
        for item in items {
            let bad = match &item.kind {
                ValueKind::Object(_) | ValueKind::Array(_) if dynamic => {
                    Some("an object or list in a list that also holds paths or calls")
                }
                ValueKind::Array(inner) if inner.iter().any(|i| i.kind.is_dynamic()) => {
                    Some("a list with paths or calls inside another list")
                }
                _ => None,
            };
            if let Some(reason) = bad {
                self.diags.push(Diag::NotExpressible {
                    span: item.span,
                    reason,
                });
            }
        }
    }

    fn object(&mut self, object: &Object, scope: Scope) {
        for (i, entry) in object.entries.iter().enumerate() {
            if let Some(first) = object.entries[..i]
                .iter()
                .find(|e| e.key.node == entry.key.node)
            {
                self.diags.push(Diag::DuplicateKey {
                    span: entry.key.span,
                    key: entry.key.node.clone(),
                    first: first.key.span,
                });
            }
            if let Some(base) = entry.key.node.strip_suffix(".$") {
                self.diags.push(Diag::ReservedKey {
                    span: entry.key.span,
                    key: entry.key.node.clone(),
                    base: base.to_string(),
                });
            }
            self.value(&entry.value, scope);
        }
    }

    fn call(&mut self, call: &Call, span: Span, scope: Scope) {
        let name = &call.function.name;
        match intrinsics::find(name) {
            None => {
                let names = intrinsics::INTRINSICS.iter().map(|(n, ..)| *n);
                self.diags.push(Diag::UnknownIntrinsic {
                    span: call.function.span,
                    name: name.clone(),
                    help: did_you_mean(name, names, "intrinsics are").unwrap_or_else(|| {
                        "see docs/language.md for the intrinsic functions".into()
                    }),
                });
            }
            Some(&(_, min, max, signature)) => {
                intrinsics::check_arg_values(call, self.diags);
                let found = call.args.len();
                if found < min || max.is_some_and(|max| found > max) {
                    self.diags.push(Diag::IntrinsicArity {
                        span,
                        name: name.clone(),
                        expected: arity_words(min, max),
                        found: format!("{found} {}", if found == 1 { "was" } else { "were" }),
                        signature,
                    });
                }
            }
        }
        for arg in &call.args {
            if matches!(arg.kind, ValueKind::Object(_) | ValueKind::Array(_)) {
                self.diags.push(Diag::IntrinsicArgument {
                    span: arg.span,
                    found: arg.kind.describe(),
                });
            } else {
                self.value(arg, scope);
            }
        }
    }

    pub fn condition(&mut self, condition: &Condition, scope: Scope) {
        match &condition.kind {
            ConditionKind::And(parts) | ConditionKind::Or(parts) => {
                parts.iter().for_each(|c| self.condition(c, scope));
            }
            ConditionKind::Not(inner) => self.condition(inner, scope),
            ConditionKind::Compare { path, op, operand } => {
                self.path(path, scope);
                match &operand.kind {
                    ValueKind::Bool(value) if !matches!(op.node, CompareOp::Eq | CompareOp::Ne) => {
                        self.diags.push(Diag::BooleanOrdering {
                            span: op.span,
                            op: op.node.as_str(),
                            path: path.text.clone(),
                            value: *value,
                        });
                    }
                    ValueKind::Null => self.diags.push(Diag::CompareNull {
                        span: operand.span,
                        path: path.text.clone(),
                    }),
                    ValueKind::Path(other) => {
                        self.path(other, scope);
                    }
                    _ => {}
                }
            }
            ConditionKind::Like { path, .. }
            | ConditionKind::Exists(path)
            | ConditionKind::Is { path, .. } => {
                self.path(path, scope);
            }
        }
    }

    /// Checks one path; returns it parsed when its syntax is valid.
    pub fn path(&mut self, path: &Path, scope: Scope) -> Option<JsonPath> {
        let parsed = match path::parse(&path.text) {
            Ok(parsed) => parsed,
            Err(e) => {
                self.diags.push(Diag::InvalidPath {
                    span: path.span.inner(e.offset..e.offset + e.len.max(1)),
                    message: e.message,
                    help: e.help,
                });
                return None;
            }
        };
        if parsed.context {
            self.context_path(path, &parsed, scope);
        } else if !scope.raw_result {
            self.state_path(path, &parsed, scope);
        }
        Some(parsed)
    }

    fn context_path(&mut self, path: &Path, parsed: &JsonPath, scope: Scope) {
        const FIELDS: [&str; 5] = ["Execution", "State", "StateMachine", "Task", "Map"];
        let Some(Step::Field(first)) = parsed.steps.first() else {
            return;
        };
        if !FIELDS.contains(&first.as_str()) {
            self.diags.push(Diag::UnknownContextField {
                span: path.span,
                field: first.clone(),
            });
        } else if first == "Map" && !scope.item && !scope.raw_result {
            self.diags.push(Diag::PathNotAvailable {
                span: path.span,
                path: path.text.clone(),
                where_: "in the task of a `foreach` stage",
                help: "`$$.Map` describes the current element of a `foreach`; outside one it does not exist",
            });
        }
    }

    fn state_path(&mut self, path: &Path, parsed: &JsonPath, scope: Scope) {
        let prefix = parsed.field_prefix();
        let Some(&root) = prefix.first() else {
            // `$` itself, or a path starting with `..`, `*` or `[…]`.
            self.whole_state_read(path, scope);
            return;
        };
        match root {
            "input" => {}
            "steps" => self.step_read(path, prefix.get(1).copied(), scope),
            "item" | "index" if !scope.item => self.diags.push(Diag::PathNotAvailable {
                span: path.span,
                path: path.text.clone(),
                where_: "in the task of a `foreach` stage",
                help: "add `foreach PATH` to the stage to run its task once per element",
            }),
            "error" if !scope.error => self.diags.push(Diag::PathNotAvailable {
                span: path.span,
                path: path.text.clone(),
                where_: "in a handler",
                help: "`$.error` holds the caught error; route errors to a handler with `catch`",
            }),
            "item" | "index" | "error" => {}
            other => {
                let rest = path.text.strip_prefix("$.").unwrap_or(&path.text);
                self.diags.push(Diag::UnknownDataRoot {
                    span: path.span,
                    path: path.text.clone(),
                    root: other.to_string(),
                    help: format!(
                        "the state is `{{ input, steps }}`: did you mean `$.input.{rest}`? Stage results are under `$.steps.NAME`"
                    ),
                });
            }
        }
    }

    /// Reading every result at once: fine for the `output`, which runs when
    /// all stages are done, but a race inside a stage.
    fn whole_state_read(&mut self, path: &Path, scope: Scope) {
        if let Some(Reader::Stage(reader)) = scope.reader {
            self.diags.push(Diag::WholeStateRead {
                span: path.span,
                reader: self.graph.node(reader).name.clone(),
                path: path.text.clone(),
            });
        }
    }

    fn step_read(&mut self, path: &Path, stage: Option<&str>, scope: Scope) {
        let Some(name) = stage else {
            self.whole_state_read(path, scope);
            return;
        };
        match self.graph.index_of(name) {
            Some(index) => {
                if let Some(reader) = scope.reader {
                    self.reads.push(StepRead {
                        reader,
                        stage: index,
                        span: path.span,
                        in_when: scope.in_when,
                    });
                }
            }
            None => self.diags.push(Diag::UnknownStepRef {
                span: path.span,
                path: path.text.clone(),
                stage: name.to_string(),
                help: did_you_mean(name, self.graph.stage_names(), "stages are"),
            }),
        }
    }
}
