//! The one diagnostics vocabulary. Every problem nagare reports is a variant
//! here with a stable code, a one-sentence message, a primary label (listed
//! first) and help. `docs/diagnostics.md` lists every code; a test keeps the
//! codes unique and documented.
//!
//! Codes: `E0xx` are errors, `W0xx` warnings. E00x syntax, E02x names and the
//! graph, E03x/E04x clauses, E05x integrations, E06x flow settings, E07x paths
//! and values, E08x data flow, W09x lints, E10x tests, E11x intrinsic
//! arguments, E12x compilation, E2xx hand-written ASL definitions (`.json`),
//! E3xx talking to AWS (`aws.rs`: those point into no file).

use miette::Diagnostic;
use thiserror::Error;

use crate::source::Span;

pub mod aws;
pub mod render;

#[derive(Debug, Clone, Error, Diagnostic, PartialEq)]
pub enum Diag {
    // ------------------------------------------------------------ syntax
    #[error("{message}")]
    #[diagnostic(code(nagare::E001))]
    Syntax {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("unterminated string")]
    #[diagnostic(
        code(nagare::E002),
        help(
            "close the string with `\"` on the same line; write a line break inside a string as `\\n`"
        )
    )]
    UnterminatedString {
        #[label("this string is never closed")]
        span: Span,
    },

    #[error("unterminated block comment")]
    #[diagnostic(
        code(nagare::E003),
        help("close the comment with `*/`; block comments do not nest")
    )]
    UnterminatedComment {
        #[label("this comment is never closed")]
        span: Span,
    },

    #[error("the file is not valid UTF-8")]
    #[diagnostic(
        code(nagare::E004),
        help("save the file as UTF-8 text; is it really a .flow file or a definition?")
    )]
    InvalidUtf8 {
        #[label("invalid byte here")]
        span: Span,
    },

    #[error("values are nested more than {limit} levels deep")]
    #[diagnostic(
        code(nagare::E005),
        help(
            "flatten the value; Step Functions payloads this deep are not useful and nagare stops reading here"
        )
    )]
    NestingTooDeep {
        #[label("too deep")]
        span: Span,
        limit: usize,
    },

    #[error("invalid escape `{escape}` in a string")]
    #[diagnostic(
        code(nagare::E006),
        help(
            "strings use JSON escapes: \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u with four hex digits"
        )
    )]
    InvalidEscape {
        #[label("not a JSON escape")]
        span: Span,
        escape: String,
    },

    #[error("number `{text}` is out of range")]
    #[diagnostic(code(nagare::E007), help("{help}"))]
    NumberOutOfRange {
        #[label("out of range")]
        span: Span,
        text: String,
        help: String,
    },

    #[error("duration `{text}` is too long")]
    #[diagnostic(
        code(nagare::E008),
        help("Step Functions limits are far below this; use a smaller duration")
    )]
    DurationOverflow {
        #[label("does not fit in seconds")]
        span: Span,
        text: String,
    },

    #[error("this file has no flow")]
    #[diagnostic(
        code(nagare::E009),
        help("a .flow file holds one `flow NAME {{ … }}` block, then optional `test` blocks")
    )]
    NoFlow {
        #[label("expected `flow NAME {{ … }}` here")]
        span: Span,
    },

    #[error("a file holds one flow, but `{name}` is a second one")]
    #[diagnostic(code(nagare::E010), help("move flow `{name}` to a file of its own"))]
    ExtraFlow {
        #[label("second flow")]
        span: Span,
        name: String,
        #[label("first flow")]
        first: Span,
    },

    #[error("flow `{name}` has no stages")]
    #[diagnostic(
        code(nagare::E011),
        help(
            "a state machine needs at least one state: add a stage such as `task hello {{ run lambda \"my-function\" }}`"
        )
    )]
    EmptyFlow {
        #[label("no stages")]
        span: Span,
        name: String,
    },

    // ------------------------------------------------------ names, graph
    #[error("`{name}` is defined twice")]
    #[diagnostic(
        code(nagare::E020),
        help("stage and handler names are unique within a flow; rename one")
    )]
    DuplicateName {
        #[label("defined again here")]
        span: Span,
        name: String,
        #[label("first defined here")]
        first: Span,
    },

    #[error("the name `{name}` is {length} characters long; at most {limit} can be compiled")]
    #[diagnostic(
        code(nagare::E028),
        help(
            "a stage's name is its Step Functions state's name, and the states nagare adds around it (`NAME: keep the result`, `NAME (from a branch)`) must fit AWS's 80 characters; shorten it"
        )
    )]
    NameTooLong {
        #[label("too long")]
        span: Span,
        name: String,
        length: usize,
        limit: usize,
    },

    #[error("unknown stage `{name}`")]
    #[diagnostic(code(nagare::E021))]
    UnknownStage {
        #[label("no stage has this name")]
        span: Span,
        name: String,
        #[help]
        help: Option<String>,
    },

    #[error("unknown handler `{name}`")]
    #[diagnostic(code(nagare::E022))]
    UnknownHandler {
        #[label("no handler has this name")]
        span: Span,
        name: String,
        #[help]
        help: Option<String>,
    },

    #[error("`catch` routes to `{name}`, which is a stage, not a handler")]
    #[diagnostic(
        code(nagare::E023),
        help("errors are caught by handlers: declare `handler NAME {{ … }}` and route to it")
    )]
    CatchToStage {
        #[label("a stage")]
        span: Span,
        name: String,
        #[label("`{name}` is declared here")]
        stage: Span,
    },

    #[error("`{name}` is a handler and cannot be used in `after`")]
    #[diagnostic(
        code(nagare::E024),
        help("a handler runs only when a `catch` routes to it; depend on a stage instead")
    )]
    AfterHandler {
        #[label("a handler")]
        span: Span,
        name: String,
        #[label("declared here")]
        handler: Span,
    },

    #[error("stages depend on each other in a cycle: {cycle}")]
    #[diagnostic(
        code(nagare::E025),
        help("remove one of these `after` dependencies to break the cycle")
    )]
    Cycle {
        #[label("this dependency closes the cycle")]
        span: Span,
        cycle: String,
        #[label(collection)]
        others: Vec<miette::LabeledSpan>,
    },

    #[error("`{keyword}` is given twice for `{stage}`")]
    #[diagnostic(code(nagare::E026), help("merge them into one `{keyword}`"))]
    DuplicateHeader {
        #[label("second `{keyword}`")]
        span: Span,
        keyword: &'static str,
        stage: String,
        #[label("first `{keyword}`")]
        first: Span,
    },

    #[error("a handler cannot have `{keyword}`")]
    #[diagnostic(
        code(nagare::E027),
        help(
            "handlers run only when a `catch` routes to them; make `{name}` a stage if it should run in order"
        )
    )]
    HandlerHeader {
        #[label("not allowed on a handler")]
        span: Span,
        keyword: &'static str,
        name: String,
    },

    // ------------------------------------------------------------ clauses
    #[error("`{stage}` has no `run` clause")]
    #[diagnostic(
        code(nagare::E030),
        help("every stage and handler runs exactly one task, e.g. `run lambda \"my-function\"`")
    )]
    MissingRun {
        #[label("needs a `run` clause")]
        span: Span,
        stage: String,
    },

    #[error("`{stage}` has more than one `run` clause")]
    #[diagnostic(
        code(nagare::E031),
        help("a stage runs exactly one task; split it into two stages with `after`")
    )]
    ExtraRun {
        #[label("second `run`")]
        span: Span,
        stage: String,
        #[label("first `run`")]
        first: Span,
    },

    #[error("`{keyword}` is given twice")]
    #[diagnostic(code(nagare::E032), help("keep one `{keyword}`"))]
    DuplicateClause {
        #[label("second `{keyword}`")]
        span: Span,
        keyword: &'static str,
        #[label("first `{keyword}`")]
        first: Span,
    },

    #[error("`then` is only allowed in a handler")]
    #[diagnostic(
        code(nagare::E033),
        help(
            "a stage's dependents run after it; to end the execution on an error, `catch` it and route to a handler"
        )
    )]
    ThenOutsideHandler {
        #[label("in stage `{stage}`")]
        span: Span,
        stage: String,
    },

    #[error("a handler cannot `catch`")]
    #[diagnostic(
        code(nagare::E034),
        help(
            "a handler ends the execution; use `retry` in the handler, or `then fail` to fail with the caught error"
        )
    )]
    CatchInHandler {
        #[label("in handler `{handler}`")]
        span: Span,
        handler: String,
    },

    #[error("`{keyword}` cannot be a default")]
    #[diagnostic(
        code(nagare::E035),
        help("`defaults` holds only `retry`, `catch`, `timeout` and `heartbeat`")
    )]
    NotADefault {
        #[label("not allowed in `defaults`")]
        span: Span,
        keyword: &'static str,
    },

    #[error("`States.ALL` must be alone in its error list")]
    #[diagnostic(
        code(nagare::E036),
        help(
            "`States.ALL` already matches every error; remove the other names or give them their own clause before it"
        )
    )]
    StatesAllNotAlone {
        #[label("`States.ALL` with other errors")]
        span: Span,
    },

    #[error("`States.ALL` must be in the last `{keyword}`")]
    #[diagnostic(
        code(nagare::E037),
        help(
            "clauses are tried in order and `States.ALL` matches everything, so move this `{keyword}` after the others"
        )
    )]
    StatesAllNotLast {
        #[label("`States.ALL` here")]
        span: Span,
        keyword: &'static str,
        #[label("but this `{keyword}` comes after it")]
        later: Span,
    },

    #[error("retry option `{option}` is given twice")]
    #[diagnostic(code(nagare::E038), help("keep one `{option}`"))]
    DuplicateRetryOption {
        #[label("second `{option}`")]
        span: Span,
        option: &'static str,
        #[label("first `{option}`")]
        first: Span,
    },

    #[error("`max {value}` is too large")]
    #[diagnostic(
        code(nagare::E039),
        help("Step Functions allows at most 99999999 retries; `max 0` turns retry off")
    )]
    RetryMaxTooLarge {
        #[label("at most 99999999")]
        span: Span,
        value: u64,
    },

    #[error("`{option}` must be at least 1s")]
    #[diagnostic(
        code(nagare::E040),
        help("Step Functions waits whole seconds between attempts, at least 1s")
    )]
    RetryDurationTooShort {
        #[label("0 seconds")]
        span: Span,
        option: &'static str,
    },

    #[error("`backoff {value}` is below 1.0")]
    #[diagnostic(
        code(nagare::E041),
        help(
            "the interval is multiplied by `backoff` after each attempt; use 1.0 for a constant interval"
        )
    )]
    BackoffTooSmall {
        #[label("must be at least 1.0")]
        span: Span,
        value: f64,
    },

    #[error("`max_delay` is shorter than `interval`")]
    #[diagnostic(
        code(nagare::E042),
        help("`max_delay` caps the growing interval, so it must be at least the first interval")
    )]
    MaxDelayBelowInterval {
        #[label("{max_delay}s")]
        span: Span,
        max_delay: u64,
        #[label("{interval}s")]
        interval_span: Span,
        interval: u64,
    },

    #[error("`heartbeat` ({heartbeat}s) must be shorter than `timeout` ({timeout}s)")]
    #[diagnostic(
        code(nagare::E043),
        help(
            "a heartbeat is a limit between progress signals within the task's timeout; make it smaller than {timeout}s"
        )
    )]
    HeartbeatNotBelowTimeout {
        /// The stage's own clause when the other comes from `defaults`.
        #[label("{label}")]
        span: Span,
        label: String,
        #[label("{other_label}")]
        other: Span,
        other_label: String,
        heartbeat: u64,
        timeout: u64,
    },

    #[error("`{keyword}` of {seconds}s is out of range")]
    #[diagnostic(code(nagare::E044), help("{help}"))]
    DurationOutOfRange {
        #[label("out of range")]
        span: Span,
        keyword: &'static str,
        seconds: u64,
        help: String,
    },

    #[error("`concurrency {value}` is out of range")]
    #[diagnostic(
        code(nagare::E045),
        help(
            "`concurrency N` runs at most N elements at once (1 to 2147483647); leave it out to run every element at once"
        )
    )]
    ConcurrencyOutOfRange {
        #[label("out of range")]
        span: Span,
        value: u64,
    },

    #[error("`{name}` is not a Step Functions error")]
    #[diagnostic(code(nagare::E046), help("{help}"))]
    UnknownStatesError {
        #[label("unknown `States.` error")]
        span: Span,
        name: String,
        help: String,
    },

    // ------------------------------------------------------- integrations
    #[error("unknown integration `{name}`")]
    #[diagnostic(code(nagare::E050), help("{help}"))]
    UnknownIntegration {
        #[label("not an integration")]
        span: Span,
        name: String,
        help: String,
    },

    #[error("`run {integration}` needs a target")]
    #[diagnostic(
        code(nagare::E051),
        help("write the {what} after the integration, e.g. `{example}`")
    )]
    MissingTarget {
        #[label("target missing after `{integration}`")]
        span: Span,
        integration: String,
        what: &'static str,
        example: &'static str,
    },

    #[error("`run {integration}` takes no target")]
    #[diagnostic(
        code(nagare::E052),
        help("`{integration}` is configured by its args only: {args}")
    )]
    UnexpectedTarget {
        #[label("remove this target")]
        span: Span,
        integration: String,
        args: String,
    },

    #[error("`run {integration}` is missing the required arg `{arg}`")]
    #[diagnostic(code(nagare::E053), help("add `{arg}: …` to the args block"))]
    MissingArg {
        #[label("`{arg}` is required")]
        span: Span,
        integration: String,
        arg: &'static str,
    },

    #[error("`{arg}` is not an arg of `{integration}`")]
    #[diagnostic(code(nagare::E054), help("{help}"))]
    UnknownArg {
        #[label("unknown arg")]
        span: Span,
        arg: String,
        integration: String,
        help: String,
    },

    #[error("{what} must be {expected}, found {found}")]
    #[diagnostic(code(nagare::E055), help("{help}"))]
    WrongArgType {
        #[label("expected {expected}")]
        span: Span,
        /// "`subnets`" or "each element of `subnets`".
        what: String,
        expected: &'static str,
        found: &'static str,
        help: String,
    },

    #[error("key `{key}` appears twice in this object")]
    #[diagnostic(
        code(nagare::E056),
        help("keep one of them; JSON objects have unique keys")
    )]
    DuplicateKey {
        #[label("second `{key}`")]
        span: Span,
        key: String,
        #[label("first `{key}`")]
        first: Span,
    },

    #[error("\"{target}\" is not a valid {what}")]
    #[diagnostic(code(nagare::E057), help("{help}"))]
    InvalidTarget {
        #[label("expected {what}")]
        span: Span,
        target: String,
        what: &'static str,
        help: &'static str,
    },

    #[error("`{value}` is not a valid `{arg}`")]
    #[diagnostic(code(nagare::E058), help("{help}"))]
    InvalidArgValue {
        #[label("not accepted here")]
        span: Span,
        value: String,
        arg: &'static str,
        help: String,
    },

    #[error("key `{key}` ends in `.$`")]
    #[diagnostic(
        code(nagare::E059),
        help(
            "nagare writes the `.$` suffix itself for values that are paths or intrinsic calls: write `{base}: $.input.x` instead"
        )
    )]
    ReservedKey {
        #[label("reserved suffix")]
        span: Span,
        key: String,
        base: String,
    },

    // ------------------------------------------------------ flow settings
    #[error("{message}")]
    #[diagnostic(code(nagare::E060), help("{help}"))]
    InvalidCron {
        #[label("invalid cron expression")]
        span: Span,
        message: String,
        help: String,
    },

    #[error("{message}")]
    #[diagnostic(code(nagare::E061), help("{help}"))]
    InvalidRate {
        #[label("invalid rate")]
        span: Span,
        message: String,
        help: String,
    },

    #[error("the flow's `{keyword}` is given twice")]
    #[diagnostic(code(nagare::E062), help("keep one `{keyword}`"))]
    DuplicateFlowSetting {
        #[label("second `{keyword}`")]
        span: Span,
        keyword: &'static str,
        #[label("first `{keyword}`")]
        first: Span,
    },

    // ---------------------------------------------------- paths and values
    #[error("{message}")]
    #[diagnostic(code(nagare::E070), help("{help}"))]
    InvalidPath {
        #[label("invalid path")]
        span: Span,
        message: String,
        help: String,
    },

    #[error("unknown intrinsic function `{name}`")]
    #[diagnostic(code(nagare::E071), help("{help}"))]
    UnknownIntrinsic {
        #[label("not an intrinsic")]
        span: Span,
        name: String,
        help: String,
    },

    #[error("`{name}` takes {expected}, but {found} given")]
    #[diagnostic(code(nagare::E072), help("call it as `{signature}`"))]
    IntrinsicArity {
        #[label("{found}")]
        span: Span,
        name: String,
        expected: String,
        /// "1 was", "3 were".
        found: String,
        signature: &'static str,
    },

    #[error("an intrinsic argument cannot be {found}")]
    #[diagnostic(
        code(nagare::E073),
        help(
            "intrinsic arguments are strings, numbers, booleans, null, paths or intrinsic calls; build lists with `States.Array(…)`"
        )
    )]
    IntrinsicArgument {
        #[label("not allowed as an argument")]
        span: Span,
        found: &'static str,
    },

    #[error("{message}")]
    #[diagnostic(code(nagare::E110), help("{help}"))]
    IntrinsicArgValue {
        #[label("{label}")]
        span: Span,
        message: String,
        label: String,
        help: String,
    },

    #[error("this cannot be compiled to Step Functions: {reason}")]
    #[diagnostic(
        code(nagare::E120),
        help(
            "rewrite the value so ASL can build it: objects may hold paths and calls, lists may hold paths and calls only when their other elements are plain values"
        )
    )]
    NotExpressible {
        #[label("not expressible in ASL")]
        span: Span,
        reason: &'static str,
    },

    #[error("unknown context object field `{field}`")]
    #[diagnostic(
        code(nagare::E074),
        help(
            "the context object has `$$.Execution`, `$$.State`, `$$.StateMachine`, `$$.Task` and `$$.Map`"
        )
    )]
    UnknownContextField {
        #[label("not in the context object")]
        span: Span,
        field: String,
    },

    #[error("`{path}` reads nothing: the state has no `{root}`")]
    #[diagnostic(code(nagare::E075), help("{help}"))]
    UnknownDataRoot {
        #[label("not part of the state")]
        span: Span,
        path: String,
        root: String,
        help: String,
    },

    #[error("`{path}` is only available {where_}")]
    #[diagnostic(code(nagare::E076), help("{help}"))]
    PathNotAvailable {
        #[label("not available here")]
        span: Span,
        path: String,
        where_: &'static str,
        help: &'static str,
    },

    #[error("comparing with `null` is not supported")]
    #[diagnostic(code(nagare::E077), help("test for null with `{path} is null`"))]
    CompareNull {
        #[label("a null comparison")]
        span: Span,
        path: String,
    },

    #[error("`{op}` cannot order booleans")]
    #[diagnostic(
        code(nagare::E079),
        help(
            "Step Functions compares booleans for equality only; use `{path} == {value}` or `!=`"
        )
    )]
    BooleanOrdering {
        #[label("an ordering comparison")]
        span: Span,
        op: &'static str,
        path: String,
        value: bool,
    },

    #[error("`{path}` must be a plain path of names and indices")]
    #[diagnostic(
        code(nagare::E078),
        help(
            "{what} takes a reference path such as `$.input.tables` (no `*`, `..`, filters or slices)"
        )
    )]
    NotReferencePath {
        #[label("not a reference path")]
        span: Span,
        path: String,
        what: &'static str,
    },

    // ---------------------------------------------------------- data flow
    #[error("`{reader}` reads steps.{stage} but does not run after it")]
    #[diagnostic(code(nagare::E080), help("{help}"))]
    ReadsNonAncestor {
        #[label("read here")]
        span: Span,
        reader: String,
        stage: String,
        #[label("`{stage}` is declared here")]
        declared: Span,
        help: String,
    },

    #[error("`{path}` reads the result of an unknown stage `{stage}`")]
    #[diagnostic(code(nagare::E081))]
    UnknownStepRef {
        #[label("no stage has this name")]
        span: Span,
        path: String,
        stage: String,
        #[help]
        help: Option<String>,
    },

    #[error("`{reader}` reads steps.{stage}, which may be skipped")]
    #[diagnostic(
        code(nagare::W082),
        severity(Warning),
        help(
            "`{stage}` stores nothing when its `when` is false; guard the reader with `when $.steps.{stage} exists`"
        )
    )]
    ReadsMaybeSkipped {
        #[label("read here")]
        span: Span,
        reader: String,
        stage: String,
        #[label("may be skipped by this condition")]
        condition: Span,
    },

    #[error("`{reader}` reads `{path}`, which depends on timing")]
    #[diagnostic(
        code(nagare::W083),
        severity(Warning),
        help(
            "stages that do not depend on each other run concurrently, so the state holds only some results when `{reader}` runs; read the results it needs by name: `$.steps.NAME`"
        )
    )]
    WholeStateRead {
        #[label("reads every stage's result at once")]
        span: Span,
        reader: String,
        path: String,
    },

    // -------------------------------------------------------------- lints
    #[error(
        "`{stage}` ({stage_kind}) runs after `{dependency}` ({dependency_kind}), against the environment order"
    )]
    #[diagnostic(
        code(nagare::W090),
        severity(Warning),
        help(
            "data moves forward collect → transform → visualize; a backward edge mixes environments. Use `task` for a stage outside them"
        )
    )]
    BackwardEdge {
        #[label("depends on a later environment")]
        span: Span,
        stage: String,
        stage_kind: &'static str,
        dependency: String,
        dependency_kind: &'static str,
    },

    #[error("handler `{name}` is never used")]
    #[diagnostic(
        code(nagare::W091),
        severity(Warning),
        help("route errors to it with `catch ERROR -> {name}`, or remove it")
    )]
    UnusedHandler {
        #[label("no `catch` routes here")]
        span: Span,
        name: String,
    },

    #[error("`{name}` is listed twice in `after`")]
    #[diagnostic(
        code(nagare::W092),
        severity(Warning),
        help("remove the repeated name")
    )]
    DuplicateDependency {
        #[label("listed again")]
        span: Span,
        name: String,
        #[label("first listed here")]
        first: Span,
    },

    // -------------------------------------------------------------- tests
    #[error("`{keyword}` names an unknown stage `{name}`")]
    #[diagnostic(code(nagare::E100))]
    TestUnknownStage {
        #[label("no stage or handler has this name")]
        span: Span,
        keyword: &'static str,
        name: String,
        #[help]
        help: Option<String>,
    },

    #[error("two tests are named \"{name}\"")]
    #[diagnostic(
        code(nagare::E101),
        help("test names identify tests in reports and `--filter`; rename one")
    )]
    DuplicateTestName {
        #[label("second test")]
        span: Span,
        name: String,
        #[label("first test")]
        first: Span,
    },

    #[error("stage `{name}` is mocked twice in this test")]
    #[diagnostic(
        code(nagare::E102),
        help("list all responses in one `mock {name} {{ … }}`, in call order")
    )]
    DuplicateMock {
        #[label("second mock")]
        span: Span,
        name: String,
        #[label("first mock")]
        first: Span,
    },

    #[error("mock of `{name}` has no responses")]
    #[diagnostic(
        code(nagare::E103),
        help("add `return VALUE` or `throw ERROR [\"cause\"]` lines, one per call")
    )]
    EmptyMock {
        #[label("empty mock")]
        span: Span,
        name: String,
    },

    #[error("`attempts` counts calls of a stage's task; `{name}` is a handler")]
    #[diagnostic(
        code(nagare::E104),
        help("use `expect ran {name}` to check that the handler ran")
    )]
    AttemptsOfHandler {
        #[label("a handler")]
        span: Span,
        name: String,
    },

    #[error("test data must be literal JSON, not {found}")]
    #[diagnostic(
        code(nagare::E105),
        help(
            "test inputs, mock responses and expected values are fixed JSON; write the value itself"
        )
    )]
    DynamicInTest {
        #[label("evaluated at run time")]
        span: Span,
        found: &'static str,
    },
    // ------------------------------------------------- ASL definitions (.json)
    #[error("not valid JSON: {message}")]
    #[diagnostic(
        code(nagare::E200),
        help(
            "a definition is strict JSON: keys and strings in double quotes, no comments, no trailing commas"
        )
    )]
    AslJsonSyntax {
        #[label("here")]
        span: Span,
        message: String,
    },

    #[error("`{key}` appears twice in one object")]
    #[diagnostic(
        code(nagare::E201),
        help("AWS would keep only one of the two; remove the one you do not mean")
    )]
    AslDuplicateKey {
        #[label("repeated here")]
        span: Span,
        key: String,
        #[label("first here")]
        first: Span,
    },

    #[error("{place} has no field `{field}`")]
    #[diagnostic(code(nagare::E202), help("{help}"))]
    AslUnknownField {
        #[label("unknown field")]
        span: Span,
        field: String,
        place: String,
        help: String,
    },

    #[error("{place} needs `{field}`")]
    #[diagnostic(code(nagare::E203), help("{help}"))]
    AslMissingField {
        #[label("`{field}` missing here")]
        span: Span,
        field: String,
        place: String,
        help: String,
    },

    #[error("`{field}` must be {expected}, not {found}")]
    #[diagnostic(code(nagare::E204), help("{help}"))]
    AslWrongType {
        #[label("{found}")]
        span: Span,
        field: String,
        expected: String,
        found: &'static str,
        help: String,
    },

    #[error("{message}")]
    #[diagnostic(code(nagare::E205), help("{help}"))]
    AslInvalidValue {
        #[label("{label}")]
        span: Span,
        message: String,
        label: String,
        help: String,
    },

    #[error("`{field}` and `{other}` cannot both be set")]
    #[diagnostic(code(nagare::E206), help("{help}"))]
    AslConflictingFields {
        #[label("`{field}`")]
        span: Span,
        field: String,
        other: String,
        #[label("`{other}`")]
        other_span: Span,
        help: String,
    },

    #[error("state `{state}` has neither `Next` nor `End`")]
    #[diagnostic(
        code(nagare::E207),
        help(
            "add `\"Next\": \"<state>\"` to continue to another state, or `\"End\": true` to end here"
        )
    )]
    AslNoTransition {
        #[label("where does it go next?")]
        span: Span,
        state: String,
    },

    #[error("`{field}` names `{target}`, which is not a state {scope}")]
    #[diagnostic(code(nagare::E208), help("{help}"))]
    AslUnknownState {
        #[label("no such state")]
        span: Span,
        field: String,
        target: String,
        scope: &'static str,
        help: String,
    },

    #[error("state `{state}` can never run: nothing leads to it")]
    #[diagnostic(
        code(nagare::E209),
        help(
            "AWS rejects unreachable states; reach it from `StartAt`, a `Next`, a Choice or a `Catch`, or delete it"
        )
    )]
    AslUnreachable {
        #[label("unreachable")]
        span: Span,
        state: String,
    },

    #[error("two states are named `{name}`")]
    #[diagnostic(
        code(nagare::E210),
        help(
            "state names must be unique in the whole machine, Parallel branches and Map processors included; rename one"
        )
    )]
    AslDuplicateState {
        #[label("second state named `{name}`")]
        span: Span,
        name: String,
        #[label("first here")]
        first: Span,
    },

    #[error("`{field}`: {message}")]
    #[diagnostic(code(nagare::E211), help("{help}"))]
    AslBadPath {
        #[label("{label}")]
        span: Span,
        field: String,
        message: String,
        label: String,
        help: String,
    },

    #[error("`{field}`: {message}")]
    #[diagnostic(code(nagare::E212), help("{help}"))]
    AslBadIntrinsic {
        #[label("{label}")]
        span: Span,
        field: String,
        message: String,
        label: String,
        help: String,
    },

    #[error("{message}")]
    #[diagnostic(
        code(nagare::E213),
        help(
            "`States.ALL` matches every error, so it must be alone in its `ErrorEquals`, in the last retrier or catcher"
        )
    )]
    AslCatchAllPlacement {
        #[label("{label}")]
        span: Span,
        message: String,
        label: String,
    },

    #[error("{message}")]
    #[diagnostic(code(nagare::E214), help("{help}"))]
    AslBadChoiceRule {
        #[label("{label}")]
        span: Span,
        message: String,
        label: String,
        help: String,
    },

    #[error("{message}")]
    #[diagnostic(code(nagare::E215), help("{help}"))]
    AslBadStateName {
        #[label("this name")]
        span: Span,
        message: String,
        help: String,
    },

    #[error("{scope} never ends: no state has `End`, and none is a Succeed or Fail state")]
    #[diagnostic(
        code(nagare::E216),
        help("end at least one path with `\"End\": true`, a Succeed state or a Fail state")
    )]
    AslNoTerminal {
        #[label("starts here and never stops")]
        span: Span,
        scope: &'static str,
    },

    #[error("`{field}` is not an ISO 8601 timestamp: `{value}`")]
    #[diagnostic(
        code(nagare::E217),
        help(
            "write a timestamp in the form AWS accepts, such as `2026-01-31T09:00:00Z` or `2026-01-31T09:00:00.5+01:00`"
        )
    )]
    AslBadTimestamp {
        #[label("not a timestamp")]
        span: Span,
        field: String,
        value: String,
    },

    #[error("`Resource` is not an ARN: `{resource}`")]
    #[diagnostic(code(nagare::E218), help("{help}"))]
    AslBadResource {
        #[label("not an ARN")]
        span: Span,
        resource: String,
        help: String,
    },

    #[error("`HeartbeatSeconds` ({heartbeat}) must be less than `TimeoutSeconds` ({timeout})")]
    #[diagnostic(
        code(nagare::E219),
        help(
            "a heartbeat no shorter than the timeout can never be missed; lower it or raise the timeout"
        )
    )]
    AslHeartbeatNotBelowTimeout {
        #[label("heartbeat")]
        span: Span,
        heartbeat: u64,
        timeout: u64,
        #[label("timeout")]
        timeout_span: Span,
    },

    #[error("`{field}`: {message}")]
    #[diagnostic(code(nagare::E221), help("{help}"))]
    AslBadExpression {
        #[label("{label}")]
        span: Span,
        field: String,
        message: String,
        label: String,
        help: String,
    },

    #[error("`${name}` is read in state `{state}`, but no state before it assigns it")]
    #[diagnostic(code(nagare::W222), severity(Warning), help("{help}"))]
    AslUnassignedVariable {
        #[label("never assigned on the way here")]
        span: Span,
        name: String,
        state: String,
        help: String,
    },

    #[error("the variable `{name}` hides JSONata's `${name}` function")]
    #[diagnostic(
        code(nagare::W224),
        severity(Warning),
        help(
            "in every JSONata expression that runs after this, `${name}` is the variable, and `${name}(…)` fails (T1006): name the variable otherwise, such as `{name}Value`"
        )
    )]
    AslShadowedFunction {
        #[label("named like a function")]
        span: Span,
        name: String,
    },

    #[error("`{name}` is assigned inside {inner} and outside it")]
    #[diagnostic(
        code(nagare::E223),
        help(
            "a Parallel branch or Map iteration may read the variables outside it but not assign them: give the inner variable a name of its own, or return the value in the branch's output"
        )
    )]
    AslOuterVariable {
        #[label("assigned inside")]
        span: Span,
        name: String,
        inner: &'static str,
        #[label("assigned outside")]
        outer: Span,
    },
}

impl Diag {
    pub fn is_error(&self) -> bool {
        !matches!(
            self.severity(),
            Some(miette::Severity::Warning | miette::Severity::Advice)
        )
    }

    /// The primary span: the first label. Used to sort diagnostics by position.
    pub fn primary_span(&self) -> Span {
        self.labels()
            .and_then(|mut labels| labels.next())
            .map(|l| Span::new(l.offset(), l.offset() + l.len()))
            .unwrap_or_default()
    }

    /// The stable code, such as `nagare::E021`.
    pub fn code_str(&self) -> String {
        self.code().map(|c| c.to_string()).unwrap_or_default()
    }
}

/// Sorts diagnostics by position, errors before warnings at the same spot,
/// and drops exact repeats (the same problem reached twice).
pub fn sort(diags: &mut Vec<Diag>) {
    diags.sort_by_key(|d| (d.primary_span(), !d.is_error(), d.code_str()));
    diags.dedup();
}
