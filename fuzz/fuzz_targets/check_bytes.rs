//! Arbitrary bytes through the whole front end: parse, check, and, when
//! the flow has no errors, compile and validate what it compiles to.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        nagare::fuzzing::front_end(text);
    }
});
