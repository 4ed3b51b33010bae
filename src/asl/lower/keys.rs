//! Where each stage's result lives in the ASL state. A stage named with a
//! plain word keeps its name (`$.steps.ctas_trips`). A name with other
//! characters (`lambda-example`) gets a key with `_` in their place: AWS
//! accepts `$.steps.lambda-example`, but statelint rejects every spelling of
//! such a path, and emitted ASL must pass both validators. Paths the flow
//! writes (`$.steps.lambda-example.Payload`) are rewritten to match.

use std::collections::{HashMap, HashSet};

use crate::path::{self, Step};
use crate::syntax::ast::{
    Clause, Condition, ConditionKind, Flow, FlowItem, Header, Object, Path, Stage, Value, ValueKind,
};

/// The key of each stage name.
pub struct Keys(HashMap<String, String>);

impl Keys {
    pub fn new(stages: &[&Stage]) -> Keys {
        let mut taken: HashSet<String> = stages
            .iter()
            .map(|s| s.name.name.clone())
            .filter(|n| is_plain(n))
            .collect();
        let mut keys = HashMap::new();
        for stage in stages {
            let name = &stage.name.name;
            let key = if is_plain(name) {
                name.clone()
            } else {
                let base: String = name
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '_' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let mut key = base.clone();
                let mut n = 2;
                while taken.contains(&key) {
                    key = format!("{base}_{n}");
                    n += 1;
                }
                taken.insert(key.clone());
                key
            };
            keys.insert(name.clone(), key);
        }
        Keys(keys)
    }

    /// Every stage whose key differs from its name, as (key, name).
    pub fn renamed(&self) -> Vec<(String, String)> {
        let mut renamed: Vec<(String, String)> = self
            .0
            .iter()
            .filter(|(name, key)| name != key)
            .map(|(name, key)| (key.clone(), name.clone()))
            .collect();
        renamed.sort();
        renamed
    }

    pub fn key<'a>(&'a self, name: &'a str) -> &'a str {
        self.0.get(name).map_or(name, String::as_str)
    }

    /// The flow with every `$.steps.<name>` path that reads the state
    /// pointing at its key. `result { }` paths read the raw task result and
    /// are left alone.
    pub fn rewrite(&self, flow: &Flow) -> Flow {
        let mut flow = flow.clone();
        if self.0.iter().all(|(name, key)| name == key) {
            return flow;
        }
        for item in &mut flow.items {
            match item {
                FlowItem::Output(value) => self.value(value),
                FlowItem::Stage(stage) => self.stage(stage),
                _ => {}
            }
        }
        flow
    }

    fn stage(&self, stage: &mut Stage) {
        for header in &mut stage.headers {
            match header {
                Header::When { condition, .. } => self.condition(condition),
                Header::Foreach { items, .. } => self.path(items),
                Header::After { .. } => {}
            }
        }
        for clause in &mut stage.clauses {
            if let Clause::Run(run) = clause
                && let Some(args) = &mut run.args
            {
                self.object(args);
            }
        }
    }

    fn condition(&self, condition: &mut Condition) {
        match &mut condition.kind {
            ConditionKind::And(parts) | ConditionKind::Or(parts) => {
                parts.iter_mut().for_each(|c| self.condition(c))
            }
            ConditionKind::Not(inner) => self.condition(inner),
            ConditionKind::Compare { path, operand, .. } => {
                self.path(path);
                if let ValueKind::Path(other) = &mut operand.kind {
                    self.path(other);
                }
            }
            ConditionKind::Like { path, .. }
            | ConditionKind::Exists(path)
            | ConditionKind::Is { path, .. } => self.path(path),
        }
    }

    fn object(&self, object: &mut Object) {
        for entry in &mut object.entries {
            self.value(&mut entry.value);
        }
    }

    fn value(&self, value: &mut Value) {
        match &mut value.kind {
            ValueKind::Path(path) => self.path(path),
            ValueKind::Object(object) => self.object(object),
            ValueKind::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            ValueKind::Call(call) => call.args.iter_mut().for_each(|v| self.value(v)),
            _ => {}
        }
    }

    fn path(&self, path: &mut Path) {
        let Ok(mut parsed) = path::parse(&path.text) else {
            return;
        };
        if parsed.context {
            return;
        }
        if let [Step::Field(root), Step::Field(name), ..] = &mut parsed.steps[..]
            && root == "steps"
            && let Some(key) = self.0.get(name.as_str())
            && key != name
        {
            *name = key.clone();
            path.text = parsed.to_string();
        }
    }
}

fn is_plain(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
