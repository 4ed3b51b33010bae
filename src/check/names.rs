//! Stage and handler names: duplicates, and what `after` and `catch` refer to.

use std::collections::HashMap;

use super::suggest::did_you_mean;
use crate::diagnostics::Diag;
use crate::syntax::ast::{Catch, Clause, Flow, FlowItem, Stage};

/// Name → stage index (position in `Flow::stages`). The first definition wins.
pub type NameTable = HashMap<String, usize>;

/// The longest stage or handler name: it is used as a state name, and the
/// longest suffix nagare adds to one (` (from a branch)`, 16 characters)
/// must still fit Step Functions' 80.
pub const MAX_NAME: usize = 64;

pub fn check(flow: &Flow, diags: &mut Vec<Diag>) -> NameTable {
    let stages: Vec<&Stage> = flow.stages().collect();
    let mut table = NameTable::new();
    for (index, stage) in stages.iter().enumerate() {
        let length = stage.name.name.chars().count();
        if length > MAX_NAME {
            diags.push(Diag::NameTooLong {
                span: stage.name.span,
                name: stage.name.name.clone(),
                length,
                limit: MAX_NAME,
            });
        }
        if let Some(&first) = table.get(&stage.name.name) {
            diags.push(Diag::DuplicateName {
                span: stage.name.span,
                name: stage.name.name.clone(),
                first: stages[first].name.span,
            });
        } else {
            table.insert(stage.name.name.clone(), index);
        }
    }
    for stage in &stages {
        check_references(stage, &stages, &table, diags);
    }
    for item in &flow.items {
        if let FlowItem::Defaults(defaults) = item {
            for clause in &defaults.clauses {
                if let Clause::Catch(catch) = clause {
                    check_catch(catch, &stages, &table, diags);
                }
            }
        }
    }
    table
}

fn check_references(stage: &Stage, stages: &[&Stage], table: &NameTable, diags: &mut Vec<Diag>) {
    let stage_names = || {
        stages
            .iter()
            .filter(|s| !s.is_handler())
            .map(|s| s.name.name.as_str())
    };
    for dep in stage.after() {
        match table.get(&dep.name).map(|&i| stages[i]) {
            None => diags.push(Diag::UnknownStage {
                span: dep.span,
                name: dep.name.clone(),
                help: did_you_mean(&dep.name, stage_names(), "stages are"),
            }),
            Some(target) if target.is_handler() => diags.push(Diag::AfterHandler {
                span: dep.span,
                name: dep.name.clone(),
                handler: target.name.span,
            }),
            Some(_) => {}
        }
    }
    for catch in stage.catches() {
        check_catch(catch, stages, table, diags);
    }
}

fn check_catch(catch: &Catch, stages: &[&Stage], table: &NameTable, diags: &mut Vec<Diag>) {
    let handler_names = || {
        stages
            .iter()
            .filter(|s| s.is_handler())
            .map(|s| s.name.name.as_str())
    };
    let name = &catch.handler;
    match table.get(&name.name).map(|&i| stages[i]) {
        None => diags.push(Diag::UnknownHandler {
            span: name.span,
            name: name.name.clone(),
            help: did_you_mean(&name.name, handler_names(), "handlers are")
                .or_else(|| Some(format!("declare it: `handler {} {{ run … }}`", name.name))),
        }),
        Some(target) if !target.is_handler() => diags.push(Diag::CatchToStage {
            span: name.span,
            name: name.name.clone(),
            stage: target.name.span,
        }),
        Some(_) => {}
    }
}
