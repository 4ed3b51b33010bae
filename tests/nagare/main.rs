//! Integration tests: all of `tests/` links into this one binary. Each module
//! is one feature; `harness` runs the real `nagare` binary.

mod asl;
mod asl_check;
#[cfg(feature = "aws")]
mod aws;
mod bad_input;
mod check;
mod ci_docs;
mod codes;
mod compile;
mod conformance;
mod corpus;
mod distributed;
mod docs;
mod examples;
mod fmt;
mod fuzz_regressions;
mod graph;
mod harness;
mod jsonata_check;
mod jsonata_suite;
mod lsp;
mod oracles;
mod policy;
mod properties;
mod run;
mod test_cmd;
