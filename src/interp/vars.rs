//! State machine variables (`Assign`), with the scope rules of AWS's
//! "Passing data between states with variables": a `States` object is a
//! scope; each Parallel branch and each Map iteration gets a scope of its
//! own that reads the enclosing ones but assigns only its own names (the
//! checker refuses an inner assignment of an outer name); a Distributed
//! Map's iterations see no outer variables. What a branch assigns is gone
//! when it ends.

use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::Value;

use super::data::Payload;
use super::failure::{self, Failure};

/// AWS's limits, from the same page: one variable, and all the values of
/// one `Assign`, at most 256 KiB; all variables of an execution at most
/// 10 MiB.
pub const MAX_VARIABLE: usize = 256 * 1024;
pub const MAX_ASSIGN: usize = 256 * 1024;
pub const MAX_TOTAL: usize = 10 * 1024 * 1024;

/// A value and its serialised size, counted once when it is assigned.
#[derive(Debug, Clone)]
struct Stored {
    value: Payload,
    size: usize,
}

/// The variables one scope sees.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    own: IndexMap<String, Stored>,
    /// The enclosing scopes' variables, frozen while the branch runs: the
    /// state that runs it is still running, so nothing outside changes.
    outer: Arc<IndexMap<String, Stored>>,
}

impl Vars {
    pub fn get(&self, name: &str) -> Option<&Payload> {
        self.own
            .get(name)
            .or_else(|| self.outer.get(name))
            .map(|s| &s.value)
    }

    /// The scope of a Parallel branch or Map iteration inside this one.
    pub fn inner(&self) -> Vars {
        if self.own.is_empty() {
            return Vars {
                own: IndexMap::new(),
                outer: self.outer.clone(),
            };
        }
        let mut outer = IndexMap::clone(&self.outer);
        outer.extend(self.own.iter().map(|(k, v)| (k.clone(), v.clone())));
        Vars {
            own: IndexMap::new(),
            outer: Arc::new(outer),
        }
    }

    fn total(&self) -> usize {
        self.own
            .values()
            .chain(self.outer.values())
            .map(|s| s.size)
            .sum()
    }

    /// Assigns every value at once (all were computed from the values at
    /// the state's entry, so their order does not matter).
    pub fn assign(&mut self, values: Vec<(String, Value)>) -> Result<(), Failure> {
        let limit = |what: String| Failure::new(failure::DATA_LIMIT, what);
        let mut batch = Vec::with_capacity(values.len());
        let mut assigned = 0;
        for (name, value) in values {
            let size = serde_json::to_vec(&value).map_or(0, |v| v.len());
            if size > MAX_VARIABLE {
                return Err(limit(format!(
                    "the variable `{name}` would hold {size} bytes; a variable holds at most {MAX_VARIABLE}"
                )));
            }
            assigned += size;
            batch.push((
                name,
                Stored {
                    value: Arc::new(value),
                    size,
                },
            ));
        }
        if assigned > MAX_ASSIGN {
            return Err(limit(format!(
                "this Assign holds {assigned} bytes; one Assign holds at most {MAX_ASSIGN}"
            )));
        }
        let replaced: usize = batch
            .iter()
            .filter_map(|(name, _)| self.own.get(name).map(|s| s.size))
            .sum();
        let total = self.total() - replaced + assigned;
        if total > MAX_TOTAL {
            return Err(limit(format!(
                "the execution's variables would hold {total} bytes; an execution holds at most {MAX_TOTAL}"
            )));
        }
        self.own.extend(batch);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inner_scopes_read_outer_variables_and_keep_their_own() {
        let mut outer = Vars::default();
        outer
            .assign(vec![("a".into(), json!(1))])
            .expect("assigned");
        let mut inner = outer.inner();
        inner
            .assign(vec![("b".into(), json!(2))])
            .expect("assigned");
        assert_eq!(inner.get("a").map(|v| (**v).clone()), Some(json!(1)));
        assert_eq!(inner.get("b").map(|v| (**v).clone()), Some(json!(2)));
        assert!(outer.get("b").is_none());
    }

    #[test]
    fn sizes_are_limited_as_aws_documents() {
        let big = json!("x".repeat(MAX_VARIABLE));
        let mut vars = Vars::default();
        let failed = vars.assign(vec![("v".into(), big)]).expect_err("too big");
        assert_eq!(failed.error, "States.DataLimitExceeded");
        let half = json!("x".repeat(MAX_ASSIGN / 2));
        let failed = vars
            .assign(vec![("a".into(), half.clone()), ("b".into(), half.clone())])
            .expect_err("one Assign too big");
        assert!(failed.cause.contains("one Assign"), "{}", failed.cause);
        for i in 0..79 {
            vars.assign(vec![(format!("v{i}"), half.clone())])
                .expect("under 10 MiB");
        }
        let failed = vars
            .assign(vec![("last".into(), half)])
            .expect_err("over 10 MiB");
        assert!(failed.cause.contains("execution"), "{}", failed.cause);
    }
}
