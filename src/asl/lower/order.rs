//! States listed in the order an execution meets them.

use std::collections::VecDeque;

use indexmap::IndexMap;

use super::super::{Catcher, State, SubMachine};

/// States listed in the order an execution meets them (breadth-first from
/// the start, following `Next`, choices, `Default` and catchers), so the
/// JSON reads top to bottom; branches are ordered the same way inside.
pub(super) fn in_execution_order(
    states: IndexMap<String, State>,
    start: &str,
) -> IndexMap<String, State> {
    // The main path first; states reached only by a catcher after it.
    // Positions, not names, so the walk clones and hashes nothing twice.
    let mut order: Vec<usize> = Vec::with_capacity(states.len());
    let mut seen = vec![false; states.len()];
    let mut queue: VecDeque<usize> = states.get_index_of(start).into_iter().collect();
    let mut caught = VecDeque::new();
    while let Some(i) = queue.pop_front().or_else(|| caught.pop_front()) {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        order.push(i);
        let (main, handlers) = successors(&states[i]);
        queue.extend(main.into_iter().filter_map(|n| states.get_index_of(n)));
        caught.extend(handlers.into_iter().filter_map(|n| states.get_index_of(n)));
    }
    // States no path reaches keep their place after the others.
    order.extend((0..states.len()).filter(|&i| !seen[i]));
    let mut slots: Vec<Option<(String, State)>> = states.into_iter().map(Some).collect();
    let mut ordered = IndexMap::with_capacity(slots.len());
    for i in order {
        if let Some((name, mut state)) = slots[i].take() {
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
fn successors(state: &State) -> (Vec<&str>, Vec<&str>) {
    fn catch(c: &[Catcher]) -> Vec<&str> {
        c.iter().map(|c| c.next.as_str()).collect()
    }
    fn next(n: &Option<String>) -> Vec<&str> {
        n.iter().map(String::as_str).collect()
    }
    match state {
        State::Task(t) => (next(&t.next), catch(&t.catch)),
        State::Parallel(p) => (next(&p.next), catch(&p.catch)),
        State::Map(m) => (next(&m.next), catch(&m.catch)),
        State::Pass(p) => (next(&p.next), Vec::new()),
        State::Wait(w) => (next(&w.next), Vec::new()),
        State::Choice(c) => {
            let mut main: Vec<&str> = c.choices.iter().filter_map(|r| r.next.as_deref()).collect();
            main.extend(c.default.as_deref());
            (main, Vec::new())
        }
        State::Succeed(_) | State::Fail(_) => (Vec::new(), Vec::new()),
    }
}
