//! Every input the fuzzers (`fuzz/`, docs/fuzzing.md) ever found, kept in
//! `tests/fuzz/TARGET/` and replayed through the same properties on stable
//! Rust: a crash fixed once stays fixed.

use crate::harness::root;

fn replay(target: &str, property: fn(&[u8])) -> usize {
    let dir = root().join("tests/fuzz").join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz/TARGET") {
        let path = entry.expect("entry").path();
        if path.file_name().is_some_and(|n| n == ".gitkeep") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        let outcome = std::panic::catch_unwind(|| property(&bytes));
        assert!(outcome.is_ok(), "{} fails again", path.display());
        count += 1;
    }
    count
}

fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

#[test]
fn found_inputs_stay_fixed() {
    let mut total = 0;
    total += replay("check_bytes", |b| {
        if let Some(t) = text(b) {
            nagare::fuzzing::front_end(t)
        }
    });
    total += replay("check_tokens", |b| {
        nagare::fuzzing::front_end(&nagare::fuzzing::tokens_to_text(b))
    });
    total += replay("asl_run", |b| {
        if let Some(t) = text(b) {
            nagare::fuzzing::asl(t)
        }
    });
    total += replay("jsonata", |b| {
        if let Some(t) = text(b) {
            nagare::fuzzing::jsonata(t)
        }
    });
    total += replay("fmt_idempotent", |b| {
        if let Some(t) = text(b) {
            nagare::fuzzing::fmt_round_trip(t)
        }
    });
    eprintln!("replayed {total} fuzz inputs");
}

/// The fuzz properties hold on the project's own inputs (the fuzzers'
/// seeds), so a property that is wrong fails here, not only under nightly.
#[test]
fn the_fuzz_properties_hold_on_the_seeds() {
    for path in crate::harness::examples() {
        let text = std::fs::read_to_string(&path).expect("example");
        nagare::fuzzing::front_end(&text);
        nagare::fuzzing::fmt_round_trip(&text);
        nagare::fuzzing::front_end(&nagare::fuzzing::tokens_to_text(text.as_bytes()));
    }
    let valid = std::fs::read_dir(root().join("tests/asl/valid")).expect("valid ASL");
    for entry in valid {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        nagare::fuzzing::asl(&text);
    }
}
