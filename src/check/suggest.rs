//! "Did you mean …?" for misspelt names.

use std::cell::Cell;

/// How many suggestions one check may still compute. Each compares a name
/// with every candidate; a file with thousands of unknown names in a flow of
/// thousands of stages would otherwise take quadratic time for hints nobody
/// reads past the first screen.
const BUDGET: usize = 200;

thread_local! {
    static REMAINING: Cell<usize> = const { Cell::new(BUDGET) };
}

/// Restores the budget; called at the start of every check.
pub fn reset_budget() {
    REMAINING.with(|r| r.set(BUDGET));
}

/// The closest candidate to `name`, if one is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if REMAINING.with(|r| r.replace(r.get().saturating_sub(1))) == 0 {
        return None;
    }
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A help line: "did you mean `x`?", or the list of names when nothing is close.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
    what: &str,
) -> Option<String> {
    if let Some(best) = closest(name, candidates.clone()) {
        return Some(format!("did you mean `{best}`?"));
    }
    let all: Vec<&str> = candidates.into_iter().take(12).collect();
    if all.is_empty() {
        None
    } else {
        Some(format!(
            "{what}: {}",
            all.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["ctas_trips", "crawl_lake", "load_mysql"];
        assert_eq!(closest("ctas_trip", names), Some("ctas_trips"));
        assert_eq!(closest("zzz", names), None);
        assert_eq!(
            did_you_mean("zzz", names, "stages are"),
            Some("stages are: `ctas_trips`, `crawl_lake`, `load_mysql`".into())
        );
    }
}
