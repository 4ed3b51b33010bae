//! An arbitrary JSONata expression (and input): compiled, analysed,
//! evaluated under small limits, and checked and run as a state's Output.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        nagare::fuzzing::jsonata(text);
    }
});
