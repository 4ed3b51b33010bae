//! What an expression reads, found without evaluating it: the checker
//! needs it for AWS's rules (`$states.result` only where there is a
//! result, no top-level input, no `$eval`, JSONata 2.0.6 only), and the
//! interpreter binds only what an expression reads.

use jlens_core::{Bindings, Node, NodeKind};

use super::{Expr, functions};

/// Which fields of `$states` an expression reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatesRead {
    pub input: bool,
    pub result: bool,
    pub error_output: bool,
    pub context: bool,
}

impl StatesRead {
    fn all() -> Self {
        StatesRead {
            input: true,
            result: true,
            error_output: true,
            context: true,
        }
    }

    pub fn any(&self) -> bool {
        self.input || self.result || self.error_output || self.context
    }
}

/// What one expression reads and uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// State machine variables it reads (names without `$`), each with the
    /// byte range of its first use in the expression's text.
    pub variables: Vec<(String, (usize, usize))>,
    /// Every `$name` it mentions (without `$`), built-in names included:
    /// a state machine variable named like a JSONata function (`$sum`)
    /// stands in for it, as a binding does in jsonata-js.
    pub names: Vec<String>,
    /// The `$states` fields it reads.
    pub states: StatesRead,
    /// Whether it reads its input (`$`, or a field name at the top): a
    /// state's expressions have none, as AWS's "JSONata restrictions" say.
    pub reads_input: bool,
    /// Features Step Functions does not have, each with its byte range:
    /// `$eval` (removed) and the `??`/`?:` operators (JSONata 2.1, while
    /// AWS runs 2.0.6).
    pub unsupported: Vec<(&'static str, (usize, usize))>,
}

/// Analyses a compiled expression.
pub fn analyse(expr: &Expr) -> Analysis {
    // What the functions are, not what they return, matters here: one
    // set of bindings serves every analysis.
    static BINDINGS: std::sync::OnceLock<Bindings> = std::sync::OnceLock::new();
    let bindings = BINDINGS.get_or_init(|| functions::bind(Bindings::new(), 0));
    let reads = expr.0.reads_with(bindings);
    let ast = expr.0.ast();
    let first_use = |wanted: &str| {
        let mut found = None;
        ast.root.walk(&mut |node| {
            if found.is_none()
                && let NodeKind::Variable { name } = &node.kind
                && name == wanted
            {
                found = Some((node.span.start, node.span.end));
            }
        });
        found.unwrap_or((0, expr.source().len()))
    };
    let mut analysis = Analysis {
        // jlens's `reads` is an upper bound (a built-in that may take its
        // context, such as `$round`, counts as reading it), so the input
        // is judged by the positions that surely read it.
        reads_input: reads.input().is_some() && reads_context(&ast.root),
        ..Analysis::default()
    };
    for (name, read) in reads.bindings() {
        let name = name.as_str();
        if name == "states" {
            analysis.states = match read.fields() {
                None => StatesRead::all(),
                Some(fields) => StatesRead {
                    input: fields.contains_key("input"),
                    result: fields.contains_key("result"),
                    error_output: fields.contains_key("errorOutput"),
                    context: fields.contains_key("context"),
                },
            };
        } else if !functions::ADDED.contains(&name) && !functions::REMOVED.contains(&name) {
            analysis.variables.push((name.to_string(), first_use(name)));
        }
    }
    ast.root.walk(&mut |node| {
        if let NodeKind::Variable { name } = &node.kind
            && !name.is_empty()
            && name != "$"
            && name != "states"
            && !analysis.names.contains(name)
        {
            analysis.names.push(name.clone());
        }
    });
    ast.root.walk(&mut |node| match &node.kind {
        NodeKind::Variable { name } if functions::REMOVED.contains(&name.as_str()) => analysis
            .unsupported
            .push(("`$eval`", (node.span.start, node.span.end))),
        NodeKind::Fallback { op, .. } => analysis.unsupported.push((
            if op.symbol() == "??" {
                "the `??` operator"
            } else {
                "the `?:` operator"
            },
            (node.span.start, node.span.end),
        )),
        _ => {}
    });
    analysis
}

/// Whether evaluating `node` at the top of an expression reads the
/// context: a field name or `$` where the context is the input, not inside
/// a path after its first step, a predicate or a function body.
fn reads_context(node: &Node) -> bool {
    fn any<'n>(mut nodes: impl Iterator<Item = &'n Node>) -> bool {
        nodes.any(reads_context)
    }
    match &node.kind {
        NodeKind::Name { .. } | NodeKind::Wildcard | NodeKind::Descendant => true,
        NodeKind::Parent { .. } => true,
        NodeKind::Variable { name } => name.is_empty() || name == "$",
        NodeKind::Path { steps, .. } => steps.first().is_some_and(reads_context),
        NodeKind::Binary { lhs, rhs, .. }
        | NodeKind::Fallback { lhs, rhs, .. }
        | NodeKind::Apply { lhs, rhs } => reads_context(lhs) || reads_context(rhs),
        NodeKind::Bind { rhs, .. } => reads_context(rhs),
        NodeKind::Negate { expr } => reads_context(expr),
        NodeKind::Array { items } => any(items.iter()),
        NodeKind::Block { exprs, .. } => any(exprs.iter()),
        NodeKind::Object { pairs } => any(pairs.iter().flat_map(|(k, v)| [k, v])),
        NodeKind::Condition {
            condition,
            then,
            otherwise,
        } => {
            reads_context(condition)
                || reads_context(then)
                || otherwise.as_deref().is_some_and(reads_context)
        }
        NodeKind::Function { args, .. } | NodeKind::Partial { args, .. } => any(args.iter()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::compile;
    use super::*;

    fn of(text: &str) -> Analysis {
        analyse(&compile(text).expect("compiles"))
    }

    #[test]
    fn finds_variables_states_fields_and_input() {
        let a = of("$x + $states.input.n + $sum($orders.total) + ($local := 1; $local)");
        let names: Vec<&str> = a.variables.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["orders", "x"]);
        assert_eq!(a.variables[1].1, (0, 2));
        assert!(a.states.input && !a.states.result && !a.states.error_output);
        assert!(!a.reads_input);
        assert!(of("total * 2").reads_input);
        assert!(of("$").reads_input);
        assert!(!of("$states.input.items[price > 2].name").reads_input);
        assert!(!of("$round(2.5) + $string(1)").reads_input);
        assert!(!of("{'a': $states.input.a, 'b': [1, $x]}").reads_input);
        assert!(!of("$map($states.input.l, function($v) { $v.n })").reads_input);
        assert!(of("{'a': a}").reads_input);
        assert!(of("$split(csv, ',')").reads_input);
        assert!(of("$$.x").reads_input);
        assert!(of("$states").states.result);
        assert!(of("$states.errorOutput.Cause").states.error_output);
    }

    #[test]
    fn step_functions_functions_are_not_variables() {
        let a = of("$partition($range(1, 9, 1), 2) ~> $count");
        assert!(a.variables.is_empty(), "{a:?}");
        assert!(a.unsupported.is_empty());
    }

    #[test]
    fn finds_what_step_functions_lacks() {
        let what: Vec<&str> = of("$eval('1') ?? ($x ?: 2)")
            .unsupported
            .iter()
            .map(|(w, _)| *w)
            .collect();
        assert_eq!(what, ["the `??` operator", "`$eval`", "the `?:` operator"]);
    }
}
