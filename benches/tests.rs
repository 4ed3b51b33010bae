//! `nagare test` benchmark: 1,000 tests over a 50-stage flow (parse, check,
//! compile, then every test as a dry run with its mocks and expectations),
//! in-process. Target (issue 5): under 2 s. Run with
//! `cargo bench --bench tests`; `-- --write FILE` also writes the flow, to
//! time the whole `nagare test FILE` process.

use std::fmt::Write as _;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A chain of 50 stages, every fifth with a `when`, each with a retry and a
/// catch, and `tests` tests that mock every stage and check the result.
fn flow(stages: usize, tests: usize) -> String {
    let mut out = String::from("flow bench {\n");
    for i in 0..stages {
        let after = if i == 0 {
            String::new()
        } else {
            format!(" after s{}", i - 1)
        };
        let when = if i % 5 == 4 {
            " when $.input.skip != true"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  transform s{i}{after}{when} {{\n    run lambda \"f{i}\" {{ payload: {{ n: {i} }} }}\n    retry Lambda.TooManyRequestsException max 2 interval 1s\n    catch States.ALL -> alert\n  }}"
        );
    }
    out.push_str("  handler alert { run sns { topic: \"arn:aws:sns:eu-west-1:000000000000:t\", message: $.error } }\n}\n");
    for t in 0..tests {
        // The throttled stage never has a `when`, so it always runs.
        let throttled = (t % stages) / 5 * 5;
        let _ = writeln!(
            out,
            "test \"case {t}\" {{\n  input {{ skip: {} }}",
            t % 2 == 0
        );
        for i in 0..stages {
            if i == throttled {
                let _ = writeln!(
                    out,
                    "  mock s{i} {{\n    throw Lambda.TooManyRequestsException\n    return {{ Payload: {{ v: {t} }} }}\n  }}"
                );
            } else {
                let _ = writeln!(out, "  mock s{i} {{ return {{ Payload: {{ v: {i} }} }} }}");
            }
        }
        let _ = writeln!(
            out,
            "  expect succeeded\n  expect $.steps.s0.Payload.v >= 0\n  expect attempts s{throttled} == 2\n}}"
        );
    }
    out
}

fn main() {
    let text = flow(50, 1_000);
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--write") {
        let path = args.get(at + 1).expect("--write FILE");
        std::fs::write(path, &text).expect("write the flow");
    }
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let checked = nagare::check::check_text(&text);
        assert!(!checked.has_errors(), "{:?}", checked.diags.first());
        let (Some(file), Some(flow), Some(graph)) = (
            checked.file.as_ref(),
            checked.flow(),
            checked.graph.as_ref(),
        ) else {
            panic!("the generated flow must check");
        };
        let lowered = nagare::asl::lower::lower(flow, graph).expect("compiles");
        let runs = nagare::testing::run(file, &text, "bench", &lowered, None);
        times.push(start.elapsed().as_secs_f64());
        assert_eq!(runs.len(), 1_000);
        assert!(
            runs.iter().all(|r| r.passed),
            "{:?}",
            runs.iter().find(|r| !r.passed).map(|r| &r.unmet)
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "1,000 tests over a 50-stage flow ({} KB): median {:.0} ms, min {:.0} ms (check + compile + run)",
        text.len() / 1024,
        times[2] * 1e3,
        times[0] * 1e3
    );
}
