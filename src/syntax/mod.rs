//! Source text → typed AST. A prescan bounds nesting and catches unclosed
//! strings and comments, pest parses `grammar/flow.pest`, and `lower` builds
//! the AST with spans. Nothing outside this module touches pest types.

pub mod ast;
mod expected;
mod grammar;
mod lower;
mod prescan;

use pest::Parser;

use crate::diagnostics::Diag;
pub use lower::unescape;
pub use prescan::{MAX_NESTING, comments};

/// The result of parsing: the tree when the text parsed, and every problem.
#[derive(Debug)]
pub struct Parsed {
    pub file: Option<ast::File>,
    pub diags: Vec<Diag>,
}

/// Parses a whole `.flow` file. Never panics: bad input yields diagnostics.
pub fn parse(text: &str) -> Parsed {
    if let Some(diag) = prescan::prescan(text) {
        return Parsed {
            file: None,
            diags: vec![diag],
        };
    }
    match grammar::FlowParser::parse(grammar::Rule::file, text) {
        Ok(mut pairs) => {
            let mut lowerer = lower::Lowerer::default();
            let file = pairs
                .next()
                .map(|pair| lowerer.file(pair))
                .unwrap_or_default();
            Parsed {
                file: Some(file),
                diags: lowerer.diags,
            }
        }
        Err(error) => Parsed {
            file: None,
            diags: vec![expected::diagnostic(text, &error)],
        },
    }
}
