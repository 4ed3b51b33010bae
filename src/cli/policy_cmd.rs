//! `nagare policy`: the least-privilege IAM policy the state machine's
//! execution role needs for the tasks it calls.

use std::path::Path;

use super::{Output, exit, print_out};
use crate::asl::policy::policy;

pub fn run(path: &Path, output: Output) -> u8 {
    let runnable = match super::run_cmd::load_machine(path, output) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let document = policy(&runnable.machine);
    let text = match serde_json::to_string_pretty(&document) {
        Ok(t) => t + "\n",
        Err(e) => {
            eprintln!("error: cannot write the policy: {e}");
            return exit::USAGE_OR_IO;
        }
    };
    match print_out(&text) {
        Ok(()) => exit::CLEAN,
        Err(()) => exit::USAGE_OR_IO,
    }
}
