//! The pest binding for `grammar/flow.pest`. Only `syntax` sees pest types.

use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "../grammar/flow.pest"]
pub struct FlowParser;
