//! The ASL model: typed serde structs for an Amazon States Language state
//! machine, in the JSONPath or the JSONata query language, with variables
//! (`Assign`). The compiler lowers flows into it, and
//! hand-written definitions are read through it, so one model serves emitting
//! JSON, validating it and interpreting it.
//!
//! Reading is strict: a field this model does not know is an error naming
//! the field and its place, never silently dropped. Writing keeps field order
//! stable (states in insertion order, fields in the order AWS documents
//! them), so the same machine always serialises to the same bytes.

mod choice;
pub mod diff;
pub mod digest;
pub mod integrations;
pub mod intrinsic;
pub mod jsonata;
pub mod lower;
mod machine;
pub mod policy;
mod serde_util;
mod state;
pub mod template;
pub mod validate;

pub use choice::{ChoiceRule, Comparison, Operand, Operator};
pub use machine::{
    Catcher, JitterStrategy, QueryLanguage, ReadError, Retrier, StateMachine, SubMachine, read,
    write,
};
pub use state::{
    Choice, Fail, Map, Parallel, Pass, ProcessorConfig, Setting, State, Succeed, Task, Wait,
};
