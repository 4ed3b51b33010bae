//! Property test: random valid flows (DAGs up to 30 stages with when,
//! foreach, retry, catch and handlers) compile to ASL that keeps every
//! stage exactly once, respects every dependency, routes every catch to its
//! handler, and passes both external validators.

use std::collections::{BTreeSet, HashMap};

use nagare::asl::{Catcher, State, StateMachine, read};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// One generated stage: its dependencies (earlier stages), and options.
#[derive(Debug, Clone)]
struct Gen {
    deps: Vec<usize>,
    when: bool,
    foreach: bool,
    retry: bool,
    catch: Option<usize>,
}

fn flows() -> impl Strategy<Value = Vec<Gen>> {
    (2usize..30).prop_flat_map(|n| {
        proptest::collection::vec(
            (
                proptest::collection::vec(any::<prop::sample::Index>(), 0..3),
                any::<bool>(),
                prop::bool::weighted(0.2),
                any::<bool>(),
                prop::option::weighted(0.4, 0usize..2),
            ),
            n,
        )
        .prop_map(|raw| {
            raw.into_iter()
                .enumerate()
                .map(|(i, (deps, when, foreach, retry, catch))| {
                    let deps: BTreeSet<usize> = if i == 0 {
                        BTreeSet::new()
                    } else {
                        deps.iter().map(|d| d.index(i)).collect()
                    };
                    Gen {
                        deps: deps.into_iter().collect(),
                        when: when && i % 3 == 1,
                        foreach,
                        retry,
                        catch,
                    }
                })
                .collect()
        })
    })
}

fn source(stages: &[Gen]) -> String {
    let mut out = String::from("flow generated {\n");
    for (i, s) in stages.iter().enumerate() {
        let after = if s.deps.is_empty() {
            String::new()
        } else {
            format!(
                " after {}",
                s.deps
                    .iter()
                    .map(|d| format!("s{d}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let when = if s.when {
            " when $.input.go == true"
        } else {
            ""
        };
        let foreach = if s.foreach {
            " foreach $.input.items concurrency 2"
        } else {
            ""
        };
        out.push_str(&format!(
            "  task s{i}{after}{when}{foreach} {{\n    run lambda \"f{i}\"\n"
        ));
        if s.retry {
            out.push_str("    retry States.TaskFailed max 2 interval 1s\n");
        }
        if let Some(h) = s.catch {
            out.push_str(&format!("    catch States.ALL -> h{h}\n"));
        }
        out.push_str("  }\n");
    }
    for h in 0..2 {
        if stages.iter().any(|s| s.catch == Some(h)) {
            out.push_str(&format!(
                "  handler h{h} {{ run sns {{ topic: \"t\", message: \"m\" }} }}\n"
            ));
        }
    }
    out.push_str("}\n");
    out
}

/// Walks the main path, keeping the set of stages finished so far; checks
/// each stage's dependencies are in it when the stage starts.
fn walk(
    states: &indexmap::IndexMap<String, State>,
    start: &str,
    done: &mut BTreeSet<String>,
    deps: &HashMap<String, Vec<String>>,
    seen: &mut Vec<String>,
) -> Result<(), String> {
    let mut at = Some(start.to_string());
    while let Some(name) = at.take() {
        let state = states.get(&name).ok_or(format!("missing state {name}"))?;
        if let Some(needs) = deps.get(&name) {
            for need in needs {
                if !done.contains(need) {
                    return Err(format!("{name} may start before {need}"));
                }
            }
        }
        match state {
            State::Task(t) => {
                if deps.contains_key(&name) {
                    seen.push(name.clone());
                    done.insert(name.clone());
                }
                at = t.next.clone();
            }
            State::Map(m) => {
                seen.push(name.clone());
                done.insert(name.clone());
                at = m.next.clone();
            }
            State::Parallel(p) => {
                let before = done.clone();
                for branch in &p.branches {
                    let mut inside = before.clone();
                    walk(&branch.states, &branch.start_at, &mut inside, deps, seen)?;
                    done.extend(inside);
                }
                at = p.next.clone();
            }
            // A `when` choice: the stage, or its skip state; both go on alike.
            State::Choice(c) if name.ends_with('?') => {
                at = c.choices.first().and_then(|r| r.next.clone())
            }
            State::Pass(p) => at = p.next.clone(),
            _ => at = None,
        }
    }
    Ok(())
}

/// Where a catcher of `stage` leads, following branch routing to the top.
fn handler_of(machine: &StateMachine, catcher: &Catcher) -> Option<String> {
    let mut target = catcher.next.clone();
    for _ in 0..4 {
        match machine.states.get(&target) {
            Some(State::Task(_)) => return Some(target),
            Some(State::Pass(p)) => target = p.next.clone()?,
            _ => {
                // Inside a branch: the route states end in a Fail whose error the
                // top-level Parallel catches.
                let route = find_route_error(machine, &target)?;
                let catch = machine.states.values().find_map(|s| match s {
                    State::Parallel(p) => p
                        .catch
                        .iter()
                        .find(|c| c.error_equals == [route.clone()])
                        .cloned(),
                    _ => None,
                })?;
                target = catch.next;
            }
        }
    }
    None
}

fn find_route_error(machine: &StateMachine, from: &str) -> Option<String> {
    fn search(states: &indexmap::IndexMap<String, State>, from: &str) -> Option<String> {
        if let Some(State::Pass(p)) = states.get(from)
            && let Some(State::Fail(f)) = p.next.as_ref().and_then(|n| states.get(n))
        {
            return f.error.clone();
        }
        states.values().find_map(|s| match s {
            State::Parallel(p) => p.branches.iter().find_map(|b| search(&b.states, from)),
            _ => None,
        })
    }
    search(&machine.states, from)
}

fn catchers<'m>(machine: &'m StateMachine, stage: &str) -> Vec<&'m Catcher> {
    fn search<'m>(
        states: &'m indexmap::IndexMap<String, State>,
        stage: &str,
    ) -> Option<&'m [Catcher]> {
        match states.get(stage) {
            Some(State::Task(t)) => Some(&t.catch),
            Some(State::Map(m)) => Some(&m.catch),
            _ => states.values().find_map(|s| match s {
                State::Parallel(p) => p.branches.iter().find_map(|b| search(&b.states, stage)),
                _ => None,
            }),
        }
    }
    search(&machine.states, stage)
        .map(|c| c.iter().collect())
        .unwrap_or_default()
}

#[test]
fn random_flows_compile_to_asl_that_keeps_their_meaning() {
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    let compiled: std::cell::RefCell<Vec<String>> = std::cell::RefCell::default();
    let result = runner.run(&flows(), |stages| {
        let text = source(&stages);
        let checked = nagare::check::check_text(&text);
        prop_assert!(!checked.has_errors(), "{text}\n{:?}", checked.diags);
        let (flow, graph) = (
            checked.flow().expect("flow"),
            checked.graph.as_ref().expect("graph"),
        );
        let lowered = nagare::asl::lower::lower(flow, graph)
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let json = nagare::asl::write(&lowered.machine);
        let machine = read(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let deps: HashMap<String, Vec<String>> = stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    format!("s{i}"),
                    s.deps.iter().map(|d| format!("s{d}")).collect(),
                )
            })
            .collect();
        let mut done = BTreeSet::new();
        let mut seen = Vec::new();
        walk(
            &machine.states,
            &machine.start_at,
            &mut done,
            &deps,
            &mut seen,
        )
        .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        seen.sort();
        let mut expected: Vec<String> = deps.keys().cloned().collect();
        expected.sort();
        prop_assert_eq!(seen, expected, "every stage exactly once:\n{}", text);
        for (i, s) in stages.iter().enumerate() {
            if let Some(h) = s.catch {
                let found = catchers(&machine, &format!("s{i}"));
                prop_assert!(!found.is_empty(), "s{} has no catcher\n{}", i, text);
                prop_assert_eq!(
                    handler_of(&machine, found[0]),
                    Some(format!("h{h}")),
                    "s{} does not reach h{}\n{}",
                    i,
                    h,
                    text
                );
            }
        }
        compiled.borrow_mut().push(json);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    validate(&compiled.into_inner());
}

/// Both external validators, and nagare's own check, over every generated
/// definition.
fn validate(definitions: &[String]) {
    for json in definitions {
        let validated = nagare::asl::validate::validate(json);
        assert!(validated.diags.is_empty(), "{json}\n{:?}", validated.diags);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    crate::oracles::assert_both_accept(&crate::oracles::write_all(dir.path(), definitions));
}
