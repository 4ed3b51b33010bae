//! fmt on anything that parses: the tree must not change, comments must
//! all survive, and a second fmt must change nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        nagare::fuzzing::fmt_round_trip(text);
    }
});
