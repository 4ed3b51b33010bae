//! An arbitrary definition and input: validated, and, when valid, run
//! under small limits (events, Map items, payload size).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        nagare::fuzzing::asl(text);
    }
});
