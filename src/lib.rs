//! nagare (流れ, "flow"): a compiler and interpreter for `.flow` workflows that
//! target AWS Step Functions. Modules in pipeline order:
//! source → syntax → check → graph → asl → {interp | aws (deploy, start, live tasks)}.

// pest_derive without its `std` feature names `alloc` from the crate root.
extern crate alloc;

/// The ASL model: typed state machines, read from and written to JSON.
pub mod asl;
/// AWS: deploy, start and follow executions, live tasks (the `aws` feature).
#[cfg(feature = "aws")]
pub mod aws;
/// AST → checked flow: names, clauses, integrations, paths, data flow, lints.
pub mod check;
/// The command-line interface.
pub mod cli;
/// The one diagnostics vocabulary: codes, messages, rendering.
pub mod diagnostics;
/// `nagare fmt`: the canonical layout, comments kept.
pub mod fmt;
/// The fuzz targets' properties, replayed on found inputs by `cargo test`.
pub mod fuzzing;
/// The checked flow as a dependency graph, its queries and its renderings.
pub mod graph;
/// The interpreter: runs ASL state machines on a simulated clock.
pub mod interp;
/// `nagare lsp`: the language server.
pub mod lsp;
/// ASL JSONPath: parsing and the facts the checker needs.
pub mod path;
/// Pretty JSON output, as serde_json's, written faster.
pub mod pretty;
/// Files, spans and line/column arithmetic.
pub mod source;
/// Text → typed AST (pest grammar, prescan, lowering).
pub mod syntax;
/// The `test` blocks of flows, run through the interpreter.
pub mod testing;
