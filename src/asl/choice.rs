//! Choice rules: a comparison of a `Variable` with a value or another path,
//! or an `And`/`Or`/`Not` of rules. Read and written by hand, because the
//! operator is a key whose name carries the meaning (`NumericLessThan: 3`).

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A rule of a Choice state. Top-level rules have `next` (and may have
/// `assign`, and in JSONata `output`); nested ones do not.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceRule {
    pub comparison: Comparison,
    pub next: Option<String>,
    pub comment: Option<String>,
    pub assign: Option<Value>,
    pub output: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Comparison {
    /// JSONata: `true`, `false` or an expression that gives one.
    Condition(Value),
    And(Vec<ChoiceRule>),
    Or(Vec<ChoiceRule>),
    Not(Box<ChoiceRule>),
    Test {
        variable: String,
        operator: Operator,
        /// A string, number or boolean, as the operator requires; a path
        /// for the `…Path` operators.
        value: Value,
    },
}

/// What an operator compares its variable with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    String,
    Number,
    Boolean,
    Timestamp,
    /// Another path (the `…Path` operators).
    Path,
    /// `IsNull`, `IsPresent`, …: `true` or `false`.
    TypeTest,
}

macro_rules! operators {
    ($($name:ident => $operand:ident),* $(,)?) => {
        /// Every ASL comparison operator.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Operator { $($name),* }

        impl Operator {
            pub const ALL: &'static [Operator] = &[$(Operator::$name),*];

            pub fn name(self) -> &'static str {
                match self { $(Operator::$name => stringify!($name)),* }
            }

            pub fn operand(self) -> Operand {
                match self { $(Operator::$name => Operand::$operand),* }
            }
        }
    };
}

operators! {
    StringEquals => String, StringEqualsPath => Path,
    StringLessThan => String, StringLessThanPath => Path,
    StringGreaterThan => String, StringGreaterThanPath => Path,
    StringLessThanEquals => String, StringLessThanEqualsPath => Path,
    StringGreaterThanEquals => String, StringGreaterThanEqualsPath => Path,
    StringMatches => String,
    NumericEquals => Number, NumericEqualsPath => Path,
    NumericLessThan => Number, NumericLessThanPath => Path,
    NumericGreaterThan => Number, NumericGreaterThanPath => Path,
    NumericLessThanEquals => Number, NumericLessThanEqualsPath => Path,
    NumericGreaterThanEquals => Number, NumericGreaterThanEqualsPath => Path,
    BooleanEquals => Boolean, BooleanEqualsPath => Path,
    TimestampEquals => Timestamp, TimestampEqualsPath => Path,
    TimestampLessThan => Timestamp, TimestampLessThanPath => Path,
    TimestampGreaterThan => Timestamp, TimestampGreaterThanPath => Path,
    TimestampLessThanEquals => Timestamp, TimestampLessThanEqualsPath => Path,
    TimestampGreaterThanEquals => Timestamp, TimestampGreaterThanEqualsPath => Path,
    IsNull => TypeTest, IsPresent => TypeTest, IsNumeric => TypeTest,
    IsString => TypeTest, IsBoolean => TypeTest, IsTimestamp => TypeTest,
}

impl Operator {
    pub fn from_name(name: &str) -> Option<Operator> {
        Operator::ALL.iter().copied().find(|op| op.name() == name)
    }

    fn accepts(self, value: &Value) -> bool {
        match self.operand() {
            Operand::String | Operand::Timestamp | Operand::Path => value.is_string(),
            Operand::Number => value.is_number(),
            Operand::Boolean | Operand::TypeTest => value.is_boolean(),
        }
    }
}

impl<'de> Deserialize<'de> for ChoiceRule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = Map::<String, Value>::deserialize(deserializer)?;
        rule_from_map(fields).map_err(D::Error::custom)
    }
}

fn rule_from_map(mut fields: Map<String, Value>) -> Result<ChoiceRule, String> {
    let next = take_string(&mut fields, "Next")?;
    let comment = take_string(&mut fields, "Comment")?;
    let assign = fields.remove("Assign");
    let output = fields.remove("Output");
    let comparison = if let Some(condition) = fields.remove("Condition") {
        Comparison::Condition(condition)
    } else if let Some(rules) = fields.remove("And") {
        Comparison::And(rules_from(rules, "And")?)
    } else if let Some(rules) = fields.remove("Or") {
        Comparison::Or(rules_from(rules, "Or")?)
    } else if let Some(rule) = fields.remove("Not") {
        Comparison::Not(Box::new(rule_from_value(rule)?))
    } else {
        let variable = take_string(&mut fields, "Variable")?
            .ok_or("a Choice rule needs `Variable` with a comparison, or `And`, `Or` or `Not`")?;
        let (name, value) = fields
            .iter()
            .find(|(k, _)| Operator::from_name(k).is_some())
            .map(|(k, v)| (k.clone(), v.clone()))
            .ok_or_else(|| format!("the Choice rule on `{variable}` has no comparison operator"))?;
        fields.remove(&name);
        let operator = Operator::from_name(&name).ok_or("unknown operator")?;
        if !operator.accepts(&value) {
            return Err(format!(
                "`{name}` needs {}, found {value}",
                describe(operator.operand())
            ));
        }
        Comparison::Test {
            variable,
            operator,
            value,
        }
    };
    if let Some(extra) = fields.keys().next() {
        return Err(format!("unknown or extra field `{extra}` in a Choice rule"));
    }
    Ok(ChoiceRule {
        comparison,
        next,
        comment,
        assign,
        output,
    })
}

fn describe(operand: Operand) -> &'static str {
    match operand {
        Operand::String => "a string",
        Operand::Timestamp => "a timestamp string",
        Operand::Path => "a path string",
        Operand::Number => "a number",
        Operand::Boolean | Operand::TypeTest => "a boolean",
    }
}

fn rules_from(value: Value, key: &str) -> Result<Vec<ChoiceRule>, String> {
    match value {
        Value::Array(items) if !items.is_empty() => {
            items.into_iter().map(rule_from_value).collect()
        }
        _ => Err(format!("`{key}` needs a non-empty list of rules")),
    }
}

fn rule_from_value(value: Value) -> Result<ChoiceRule, String> {
    match value {
        Value::Object(fields) => rule_from_map(fields),
        other => Err(format!("a Choice rule must be an object, found {other}")),
    }
}

fn take_string(fields: &mut Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match fields.remove(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("`{key}` must be a string, found {other}")),
    }
}

impl Serialize for ChoiceRule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match &self.comparison {
            Comparison::Condition(condition) => map.serialize_entry("Condition", condition)?,
            Comparison::And(rules) => map.serialize_entry("And", rules)?,
            Comparison::Or(rules) => map.serialize_entry("Or", rules)?,
            Comparison::Not(rule) => map.serialize_entry("Not", rule)?,
            Comparison::Test {
                variable,
                operator,
                value,
            } => {
                map.serialize_entry("Variable", variable)?;
                map.serialize_entry(operator.name(), value)?;
            }
        }
        if let Some(next) = &self.next {
            map.serialize_entry("Next", next)?;
        }
        if let Some(assign) = &self.assign {
            map.serialize_entry("Assign", assign)?;
        }
        if let Some(output) = &self.output {
            map.serialize_entry("Output", output)?;
        }
        if let Some(comment) = &self.comment {
            map.serialize_entry("Comment", comment)?;
        }
        map.end()
    }
}
