//! The typed syntax tree of a `.flow` file. It mirrors the source faithfully
//! (repeated clauses stay repeated, in order) so the checker can point at each
//! one; `graph` builds the resolved, de-duplicated view from it.

use crate::source::Span;

/// A name as written: a stage, handler or flow name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// Any value with the span it was written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

/// A whole `.flow` file: its flows (the checker wants exactly one) and tests.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    pub flows: Vec<Flow>,
    pub tests: Vec<Test>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub name: Ident,
    pub items: Vec<FlowItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FlowItem {
    Comment(Spanned<String>),
    Schedule(Schedule),
    Timeout(Duration),
    Defaults(Defaults),
    Output(Value),
    Stage(Stage),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    pub clauses: Vec<Clause>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// `cron("…")`; the span is the string literal's, quotes included.
    Cron(Spanned<String>),
    /// `rate(N unit)`.
    Rate {
        value: Spanned<String>,
        unit: Ident,
        span: Span,
    },
}

impl Schedule {
    /// The EventBridge schedule expression: `cron(…)` or `rate(N unit)`.
    pub fn expression(&self) -> String {
        match self {
            Schedule::Cron(text) => format!("cron({})", text.node),
            Schedule::Rate { value, unit, .. } => format!("rate({} {})", value.node, unit.name),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Schedule::Cron(s) => s.span,
            Schedule::Rate { span, .. } => *span,
        }
    }
}

/// A duration literal, already converted to whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub seconds: u64,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StageKind {
    Collect,
    Transform,
    Visualize,
    Task,
    Handler,
}

impl StageKind {
    pub fn keyword(self) -> &'static str {
        match self {
            StageKind::Collect => "collect",
            StageKind::Transform => "transform",
            StageKind::Visualize => "visualize",
            StageKind::Task => "task",
            StageKind::Handler => "handler",
        }
    }

    /// Position in the collect → transform → visualize order; `None` for
    /// kinds outside the environments.
    pub fn environment_rank(self) -> Option<u8> {
        match self {
            StageKind::Collect => Some(0),
            StageKind::Transform => Some(1),
            StageKind::Visualize => Some(2),
            StageKind::Task | StageKind::Handler => None,
        }
    }
}

/// A stage or a handler: both are a name, optional headers and clauses.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub kind: Spanned<StageKind>,
    pub name: Ident,
    pub headers: Vec<Header>,
    pub clauses: Vec<Clause>,
    /// The `{ … }` body.
    pub body_span: Span,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Header {
    After {
        stages: Vec<Ident>,
        span: Span,
    },
    When {
        condition: Condition,
        span: Span,
    },
    Foreach {
        items: Path,
        concurrency: Option<Spanned<u64>>,
        span: Span,
    },
}

impl Header {
    pub fn span(&self) -> Span {
        match self {
            Header::After { span, .. }
            | Header::When { span, .. }
            | Header::Foreach { span, .. } => *span,
        }
    }

    pub fn keyword(&self) -> &'static str {
        match self {
            Header::After { .. } => "after",
            Header::When { .. } => "when",
            Header::Foreach { .. } => "foreach",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    Run(Run),
    Retry(Retry),
    Catch(Catch),
    Timeout(Duration),
    Heartbeat(Duration),
    Result(Value),
    Comment(Spanned<String>),
    Then(Then),
}

impl Clause {
    pub fn keyword(&self) -> &'static str {
        match self {
            Clause::Run(_) => "run",
            Clause::Retry(_) => "retry",
            Clause::Catch(_) => "catch",
            Clause::Timeout(_) => "timeout",
            Clause::Heartbeat(_) => "heartbeat",
            Clause::Result(_) => "result",
            Clause::Comment(_) => "comment",
            Clause::Then(_) => "then",
        }
    }

    /// The span of the whole clause, keyword included.
    pub fn span(&self) -> Span {
        match self {
            Clause::Run(r) => r.span,
            Clause::Retry(r) => r.span,
            Clause::Catch(c) => c.span,
            Clause::Timeout(d) | Clause::Heartbeat(d) => d.span,
            Clause::Result(v) => v.span,
            Clause::Comment(c) => c.span,
            Clause::Then(t) => t.span,
        }
    }
}

/// `run INTEGRATION [TARGET] [{ ARGS }]`
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub integration: Ident,
    pub target: Option<Spanned<String>>,
    pub args: Option<Object>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorName {
    pub name: String,
    pub span: Span,
}

/// The wildcard error that matches every error name.
pub const STATES_ALL: &str = "States.ALL";

#[derive(Debug, Clone, PartialEq)]
pub struct Retry {
    pub errors: Vec<ErrorName>,
    pub options: Vec<RetryOption>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RetryOption {
    Max(Spanned<u64>),
    Interval(Duration),
    Backoff(Spanned<f64>),
    MaxDelay(Duration),
    Jitter(Spanned<Jitter>),
}

impl RetryOption {
    pub fn keyword(&self) -> &'static str {
        match self {
            RetryOption::Max(_) => "max",
            RetryOption::Interval(_) => "interval",
            RetryOption::Backoff(_) => "backoff",
            RetryOption::MaxDelay(_) => "max_delay",
            RetryOption::Jitter(_) => "jitter",
        }
    }

    pub fn span(&self) -> Span {
        match self {
            RetryOption::Max(s) => s.span,
            RetryOption::Interval(d) | RetryOption::MaxDelay(d) => d.span,
            RetryOption::Backoff(s) => s.span,
            RetryOption::Jitter(s) => s.span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    Full,
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Catch {
    pub errors: Vec<ErrorName>,
    pub handler: Ident,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Then {
    pub outcome: Outcome,
    pub span: Span,
}

/// How a handler ends the execution.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// `then fail`: fail with the caught error, unchanged.
    Reraise,
    /// `then fail "E" ["cause"]`.
    Fail {
        error: Spanned<String>,
        cause: Option<Spanned<String>>,
    },
    Succeed,
}

// ------------------------------------------------------------------ values

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Value>),
    Object(Object),
    /// Evaluated at run time.
    Path(Path),
    /// Evaluated at run time.
    Call(Call),
}

impl ValueKind {
    /// What a user would call this kind of value, for "expected X, found Y".
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::Null => "null",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::Number(_) => "a number",
            ValueKind::String(_) => "a string",
            ValueKind::Array(_) => "a list",
            ValueKind::Object(_) => "an object",
            ValueKind::Path(_) => "a path",
            ValueKind::Call(_) => "an intrinsic call",
        }
    }

    /// Paths and intrinsic calls are only known at run time.
    pub fn is_dynamic(&self) -> bool {
        matches!(self, ValueKind::Path(_) | ValueKind::Call(_))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub entries: Vec<Entry>,
    pub span: Span,
}

impl Object {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key.node == key)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Spanned<String>,
    pub value: Value,
}

/// A JSONPath as written (`$.input.date`, `$$.Execution.Id`); `crate::path`
/// parses its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub text: String,
    pub span: Span,
}

/// An intrinsic function call such as `States.Format("…", $.x)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub function: Ident,
    pub args: Vec<Value>,
}

// -------------------------------------------------------------- conditions

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub kind: ConditionKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConditionKind {
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
    Compare {
        path: Path,
        op: Spanned<CompareOp>,
        operand: Operand,
    },
    Like {
        path: Path,
        pattern: Spanned<String>,
    },
    Exists(Path),
    Is {
        path: Path,
        type_name: Spanned<TypeName>,
    },
}

/// The six comparison operators, shared with JSONPath filters.
pub use crate::path::CompareOp;

/// The right-hand side of a comparison: a literal or another path.
#[derive(Debug, Clone, PartialEq)]
pub struct Operand {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeName {
    Null,
    String,
    Number,
    Boolean,
    Timestamp,
}

// ------------------------------------------------------------------- tests

#[derive(Debug, Clone, PartialEq)]
pub struct Test {
    pub name: Spanned<String>,
    pub items: Vec<TestItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TestItem {
    Input(Value),
    Mock(Mock),
    Expect(Expect),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mock {
    pub stage: Ident,
    pub responses: Vec<MockResponse>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MockResponse {
    Return(Value),
    Throw {
        error: ErrorName,
        cause: Option<Spanned<String>>,
        span: Span,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    pub kind: ExpectKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExpectKind {
    Succeeded,
    Failed(Option<ErrorName>),
    Ran(Ident),
    NotRan(Ident),
    Skipped(Ident),
    Attempts {
        stage: Ident,
        count: Spanned<u64>,
    },
    Path {
        path: Path,
        op: Spanned<CompareOp>,
        value: Value,
    },
}

impl Flow {
    /// Stages and handlers, in source order. A stage's position here is its
    /// id in the graph.
    pub fn stages(&self) -> impl Iterator<Item = &Stage> {
        self.items.iter().filter_map(|item| match item {
            FlowItem::Stage(stage) => Some(stage),
            _ => None,
        })
    }
}

impl Stage {
    pub fn is_handler(&self) -> bool {
        self.kind.node == StageKind::Handler
    }

    pub fn run(&self) -> Option<&Run> {
        self.clauses.iter().find_map(|c| match c {
            Clause::Run(run) => Some(run),
            _ => None,
        })
    }

    /// The stages named in `after` (all `after` headers, in order).
    pub fn after(&self) -> impl Iterator<Item = &Ident> {
        self.headers.iter().flat_map(|h| match h {
            Header::After { stages, .. } => stages.as_slice(),
            _ => &[],
        })
    }

    pub fn when(&self) -> Option<&Condition> {
        self.headers.iter().find_map(|h| match h {
            Header::When { condition, .. } => Some(condition),
            _ => None,
        })
    }

    /// `foreach PATH [concurrency N]`.
    pub fn foreach(&self) -> Option<(&Path, Option<&Spanned<u64>>)> {
        self.headers.iter().find_map(|h| match h {
            Header::Foreach {
                items, concurrency, ..
            } => Some((items, concurrency.as_ref())),
            _ => None,
        })
    }

    pub fn catches(&self) -> impl Iterator<Item = &Catch> {
        self.clauses.iter().filter_map(|c| match c {
            Clause::Catch(catch) => Some(catch),
            _ => None,
        })
    }
}
