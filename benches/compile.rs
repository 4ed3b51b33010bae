//! Compile benchmark: parse + check + lower + serialise generated flows of
//! 1,000 / 10,000 / 20,000 stages and report time and ASL size; then the
//! time `nagare check` takes to validate that ASL as a hand-written
//! definition (`asl::validate`: parse with spans, every rule, typed read).
//! Run with `cargo bench --bench compile`. Target (issue 3): 10,000 stages
//! in under 0.5 s, growing linearly.

use std::time::Instant;

mod common;
use common::generate;

fn main() {
    let sizes = common::sizes();
    println!(
        "{:>8} {:>10} {:>12} {:>12} {:>12} {:>8} {:>14}",
        "stages", "flow bytes", "median ms", "min ms", "ASL bytes", "states", "validate ms"
    );
    for stages in sizes {
        let text = generate(stages);
        let runs = if stages <= 1_000 { 20 } else { 7 };
        let mut times = Vec::new();
        let mut json = String::new();
        for _ in 0..runs {
            let start = Instant::now();
            let checked = nagare::check::check_text(&text);
            let (Some(flow), Some(graph)) = (checked.flow(), checked.graph.as_ref()) else {
                panic!("generated flow must check");
            };
            assert!(!checked.has_errors(), "{:?}", checked.diags.first());
            let lowered =
                nagare::asl::lower::lower(flow, graph).expect("generated flow must compile");
            json = nagare::asl::write(&lowered.machine);
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        let mut validate = Vec::new();
        let mut states = 0;
        for _ in 0..runs {
            let start = Instant::now();
            let validated = nagare::asl::validate::validate(&json);
            validate.push(start.elapsed().as_secs_f64() * 1e3);
            assert!(validated.diags.is_empty(), "{:?}", validated.diags.first());
            states = validated.machine.map_or(0, |m| count_states(&m.states));
        }
        validate.sort_by(f64::total_cmp);
        println!(
            "{:>8} {:>10} {:>12.1} {:>12.1} {:>12} {:>8} {:>14.1}",
            stages,
            text.len(),
            times[times.len() / 2],
            times[0],
            json.len(),
            states,
            validate[validate.len() / 2]
        );
    }
}

/// States at every depth: branches and Map processors included.
fn count_states(states: &indexmap::IndexMap<String, nagare::asl::State>) -> usize {
    use nagare::asl::State;
    states
        .values()
        .map(|state| {
            1 + match state {
                State::Parallel(p) => p.branches.iter().map(|b| count_states(&b.states)).sum(),
                State::Map(m) => m
                    .item_processor
                    .iter()
                    .chain(&m.iterator)
                    .map(|p| count_states(&p.states))
                    .sum(),
                _ => 0,
            }
        })
        .sum()
}
