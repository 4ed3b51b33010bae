//! Grammar-shaped input: sequences of the language's own tokens, which
//! reach far deeper into the checker than random bytes do.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = nagare::fuzzing::tokens_to_text(data);
    nagare::fuzzing::front_end(&text);
});
