//! AST → checked flow. Every rule of `docs/language.md` that the grammar
//! cannot express lives here, one concern per file. Checks collect every
//! problem (sorted by position at the end); none stops at the first.

mod clauses;
mod dataflow;
pub mod integrations;
pub mod intrinsics;
mod lints;
mod names;
pub mod schedule;
mod settings;
pub mod suggest;
mod tests;
mod values;

use crate::diagnostics::{self, Diag};
use crate::graph::FlowGraph;
use crate::source::Span;
use crate::syntax::{self, ast};

pub use clauses::MAX_SECONDS;
pub use integrations::{INTEGRATIONS, Integration};
pub use intrinsics::INTRINSICS;

/// A file after checking: its tree, its graph when the flow is sound enough
/// to build one, and every problem found.
#[derive(Debug)]
pub struct Checked {
    pub file: Option<ast::File>,
    pub graph: Option<FlowGraph>,
    pub diags: Vec<Diag>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diag::is_error)
    }

    /// The file's one flow, when it has exactly one.
    pub fn flow(&self) -> Option<&ast::Flow> {
        self.file.as_ref().and_then(|f| f.flows.first())
    }
}

/// Parses and checks a whole source text.
pub fn check_text(text: &str) -> Checked {
    suggest::reset_budget();
    let parsed = syntax::parse(text);
    let mut diags = parsed.diags;
    let Some(file) = parsed.file else {
        return Checked {
            file: None,
            graph: None,
            diags,
        };
    };
    let first_char_len = text.chars().next().map_or(0, char::len_utf8);
    let graph = check_file(&file, first_char_len, &mut diags);
    diagnostics::sort(&mut diags);
    Checked {
        file: Some(file),
        graph,
        diags,
    }
}

fn check_file(file: &ast::File, first_char_len: usize, diags: &mut Vec<Diag>) -> Option<FlowGraph> {
    let Some(flow) = file.flows.first() else {
        diags.push(Diag::NoFlow {
            span: Span::new(0, first_char_len),
        });
        return None;
    };
    for extra in &file.flows[1..] {
        diags.push(Diag::ExtraFlow {
            span: extra.name.span,
            name: extra.name.name.clone(),
            first: flow.name.span,
        });
    }
    if flow.stages().all(|s| s.is_handler()) {
        diags.push(Diag::EmptyFlow {
            span: flow.name.span,
            name: flow.name.name.clone(),
        });
    }
    settings::check(flow, diags);
    let table = names::check(flow, diags);
    for stage in flow.stages() {
        clauses::check_stage(stage, diags);
        integrations::check_stage(stage, diags);
    }
    let graph = FlowGraph::build(flow, &table);
    diags.extend(graph.cycle_diagnostics());
    let reads = values::check_flow(flow, &graph, diags);
    if graph.is_acyclic() {
        dataflow::check(flow, &graph, &reads, diags);
    }
    lints::check(flow, &graph, diags);
    tests::check(file, &graph, diags);
    Some(graph)
}

#[cfg(test)]
mod unit_tests {
    use super::check_text;
    use miette::Diagnostic;

    /// The codes a source produces, in order.
    fn codes(source: &str) -> Vec<String> {
        check_text(source)
            .diags
            .iter()
            .map(|d| d.code_str().replace("nagare::", ""))
            .collect()
    }

    #[track_caller]
    fn check(source: &str, expected: &[&str]) {
        assert_eq!(codes(source), expected, "for:\n{source}");
    }

    #[test]
    fn a_clean_flow() {
        check(
            r#"flow f { collect a { run lambda "x" } transform b after a { run athena { query: "q" } } }"#,
            &[],
        );
    }

    #[test]
    fn cycle_names_every_stage() {
        let src = r#"flow f {
            task a after c { run lambda "x" }
            task b after a { run lambda "x" }
            task c after b { run lambda "x" }
        }"#;
        let checked = check_text(src);
        let message = checked.diags[0].to_string();
        assert_eq!(
            message,
            "stages depend on each other in a cycle: a → b → c → a"
        );
    }

    #[test]
    fn self_dependency_is_a_cycle() {
        check(r#"flow f { task a after a { run lambda "x" } }"#, &["E025"]);
    }

    #[test]
    fn a_default_catch_uses_the_handler() {
        check(
            r#"flow f {
                defaults { catch States.ALL -> h }
                task a { run lambda "x" }
                handler h { run sns { topic: "t", message: $.error.Cause } }
            }"#,
            &[],
        );
    }

    #[test]
    fn heartbeat_against_a_default_timeout() {
        check(
            r#"flow f { defaults { timeout 1m } task a { run lambda "x" heartbeat 2m } }"#,
            &["E043"],
        );
    }

    #[test]
    fn reads_need_ancestors_transitively() {
        let ok = r#"flow f {
            task a { run lambda "x" }
            task b after a { run lambda "x" }
            task c after b { run lambda "x" { payload: $.steps.a } }
        }"#;
        check(ok, &[]);
        let sibling = r#"flow f {
            task a { run lambda "x" }
            task b { run lambda "x" { payload: $.steps.a } }
        }"#;
        check(sibling, &["E080"]);
    }

    #[test]
    fn a_handler_reads_what_every_catcher_ran_after() {
        let src = r#"flow f {
            task a { run lambda "x" }
            task b after a { run lambda "x" catch States.ALL -> h }
            task c { run lambda "x" catch States.ALL -> h }
            handler h { run sns { topic: "t", message: $.steps.a } }
        }"#;
        check(src, &["E080"]);
    }

    #[test]
    fn skipped_reads_warn_unless_guarded() {
        let head = r#"flow f {
            task a when $.input.go == true { run lambda "x" }
            task b after a"#;
        check(
            &format!(r#"{head} {{ run lambda "x" {{ payload: $.steps.a }} }} }}"#),
            &["W082"],
        );
        check(
            &format!(
                r#"{head} when $.steps.a exists {{ run lambda "x" {{ payload: $.steps.a }} }} }}"#
            ),
            &[],
        );
        // `!=` holds when the result is missing: no guard.
        check(
            &format!(
                r#"{head} when $.steps.a.v != 1 {{ run lambda "x" {{ payload: $.steps.a }} }} }}"#
            ),
            &["W082"],
        );
    }

    #[test]
    fn item_and_error_only_where_they_exist() {
        check(
            r#"flow f { task a { run lambda "x" { payload: $.item } } }"#,
            &["E076"],
        );
        check(
            r#"flow f { task a foreach $.input.xs { run lambda "x" { payload: { v: $.item, i: $.index } } } }"#,
            &[],
        );
        check(
            r#"flow f { task a { run lambda "x" { payload: $.error } } }"#,
            &["E076"],
        );
    }

    #[test]
    fn states_all_rules() {
        check(
            r#"flow f { task a { run lambda "x" retry States.ALL retry States.TaskFailed } }"#,
            &["E037"],
        );
        check(
            r#"flow f { task a { run lambda "x" retry States.TaskFailed, States.ALL } }"#,
            &["E036"],
        );
    }

    #[test]
    fn retry_ranges() {
        check(
            r#"flow f { task a { run lambda "x" retry E max 0 interval 1s backoff 1.0 } }"#,
            &[],
        );
        check(
            r#"flow f { task a { run lambda "x" retry E interval 0s } }"#,
            &["E040"],
        );
        check(
            r#"flow f { task a { run lambda "x" retry E backoff 0.5 } }"#,
            &["E041"],
        );
        check(
            r#"flow f { task a { run lambda "x" retry E interval 10s max_delay 5s } }"#,
            &["E042"],
        );
        check(
            r#"flow f { task a { run lambda "x" retry E max 1 max 2 } }"#,
            &["E038"],
        );
    }

    #[test]
    fn integration_args() {
        check(
            r#"flow f { task a { run ecs { cluster: "c" } } }"#,
            &["E053"],
        );
        check(
            r#"flow f { task a { run ecs { task_definition: "t", subnets: "s" } } }"#,
            &["E055"],
        );
        check(
            r#"flow f { task a { run ecs { task_definition: "t", launch_type: "fargate" } } }"#,
            &["E058"],
        );
        check(
            r#"flow f { task a { run ecs { task_definition: $.input.td } } }"#,
            &[],
        );
        check(r#"flow f { task a { run lamda "x" } }"#, &["E050"]);
    }

    #[test]
    fn test_blocks_name_real_stages() {
        let flow = r#"flow f { task a { run lambda "x" } }"#;
        check(
            &format!(r#"{flow} test "t" {{ mock b {{ return {{}} }} expect ran a }}"#),
            &["E100"],
        );
        check(
            &format!(r#"{flow} test "t" {{ input {{ d: $.x }} }}"#),
            &["E105"],
        );
        check(
            &format!(r#"{flow} test "t" {{ expect failed expect ran a }}"#),
            &[],
        );
    }

    #[test]
    fn review_findings() {
        // Whole-state reads in a stage race with concurrent stages; `output` may.
        check(
            r#"flow f { task a { run lambda "x" { payload: $ } } }"#,
            &["W083"],
        );
        check(
            r#"flow f { task a { run lambda "x" { payload: $.steps.* } } }"#,
            &["W083"],
        );
        check(
            r#"flow f { task a { run lambda "x" } output $.steps }"#,
            &[],
        );
        // Empty flows, reserved keys, bounds, reserved error names.
        check("flow f { }", &["E011"]);
        check(
            r#"flow f { task a { run lambda "x" { payload: { "k.$": "$.input.x" } } } }"#,
            &["E059"],
        );
        check(
            r#"flow f { task a { run lambda "x" retry E max_delay 400d } }"#,
            &["E044"],
        );
        check(
            r#"flow f { task a foreach $.input.xs concurrency 0 { run lambda "x" } }"#,
            &["E045"],
        );
        check(
            r#"flow f { task a { run lambda "x" catch states.all -> h } handler h { run lambda "y" } }"#,
            &["E046"],
        );
        check(
            r#"flow f { task a { run lambda "x" retry States.Timeout, MyError } }"#,
            &[],
        );
        // Targets and nested arg types.
        check(r#"flow f { task a { run lambda "" } }"#, &["E057"]);
        check(
            r#"flow f { task a { run resource "not-an-arn" } }"#,
            &["E057"],
        );
        check(
            r#"flow f { task a { run athena { query: "" } } }"#,
            &["E058"],
        );
        check(
            r#"flow f { task a { run ecs { task_definition: "t", environment: { A: 1 } } } }"#,
            &["E055"],
        );
        check(
            r#"flow f { task a { run glue.job "j" { arguments: { "--day": $.input.day } } } }"#,
            &[],
        );
        // `$$.Map` exists only in a foreach stage's task.
        check(
            r#"flow f { task a { run lambda "x" { payload: $$.Map.Item.Value } } }"#,
            &["E076"],
        );
    }

    #[test]
    fn reading_a_handler_or_the_failed_catcher_is_explained() {
        let checked = check_text(
            r#"flow f {
                task a { run lambda "x" catch States.ALL -> h }
                handler h { run sns { topic: "t", message: $.steps.a } }
            }"#,
        );
        let help = checked.diags[0]
            .help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        assert!(help.contains("failed and stored no result"), "{help}");
    }
}
