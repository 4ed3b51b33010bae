//! States listed in the order an execution meets them.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::super::{Catcher, State, SubMachine};

/// States listed in the order an execution meets them (breadth-first from
/// the start, following `Next`, choices, `Default` and catchers), so the
/// JSON reads top to bottom; branches are ordered the same way inside.
pub(super) fn in_execution_order(
    mut states: IndexMap<String, State>,
    start: &str,
) -> IndexMap<String, State> {
    // The main path first; states reached only by a catcher after it.
    let mut order: Vec<String> = Vec::new();
    let mut queue = std::collections::VecDeque::from([start.to_string()]);
    let mut caught = std::collections::VecDeque::new();
    let mut seen: HashSet<String> = HashSet::new();
    while let Some(name) = queue.pop_front().or_else(|| caught.pop_front()) {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(state) = states.get(&name) {
            let (main, handlers) = successors(state);
            queue.extend(main);
            caught.extend(handlers);
            order.push(name);
        }
    }
    // Taking states out of a hash map keeps this linear; states no path
    // reaches keep their place after the others.
    let written: Vec<String> = states.keys().cloned().collect();
    let mut pool: std::collections::HashMap<String, State> = states.drain(..).collect();
    let mut ordered = IndexMap::with_capacity(pool.len());
    for name in order.into_iter().chain(written) {
        if let Some(mut state) = pool.remove(&name) {
            order_branches(&mut state);
            ordered.insert(name, state);
        }
    }
    ordered
}

fn order_branches(state: &mut State) {
    let reorder = |machine: &mut SubMachine| {
        let states = std::mem::take(&mut machine.states);
        machine.states = in_execution_order(states, &machine.start_at);
    };
    match state {
        State::Parallel(p) => p.branches.iter_mut().for_each(reorder),
        State::Map(m) => m.item_processor.iter_mut().for_each(reorder),
        _ => {}
    }
}

/// Where control can go from a state: the main path (`Next`, choices,
/// `Default`) and the catchers' targets.
fn successors(state: &State) -> (Vec<String>, Vec<String>) {
    let catch = |c: &[Catcher]| c.iter().map(|c| c.next.clone()).collect::<Vec<_>>();
    match state {
        State::Task(t) => (t.next.iter().cloned().collect(), catch(&t.catch)),
        State::Parallel(p) => (p.next.iter().cloned().collect(), catch(&p.catch)),
        State::Map(m) => (m.next.iter().cloned().collect(), catch(&m.catch)),
        State::Pass(p) => (p.next.iter().cloned().collect(), Vec::new()),
        State::Wait(w) => (w.next.iter().cloned().collect(), Vec::new()),
        State::Choice(c) => {
            let mut main: Vec<String> = c.choices.iter().filter_map(|r| r.next.clone()).collect();
            main.extend(c.default.clone());
            (main, Vec::new())
        }
        State::Succeed(_) | State::Fail(_) => (Vec::new(), Vec::new()),
    }
}
