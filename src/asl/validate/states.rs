//! Machines and states: which fields each state type allows, their types and
//! ranges, and the fields that exclude each other. Transitions found here
//! are handed to `transitions` to check per machine.

use super::Cx;
use super::choice;
use super::fields::{Fields, MAX_SECONDS, Place, invalid, or_list, wrong_type};
use super::json::Node;
use super::transitions::{Edge, Scope, ScopeKind, ScopeState};
use super::values::{self, PathRule};
use crate::diagnostics::Diag;

/// AWS's limit on a state name's length, in characters.
const MAX_NAME: usize = 80;

const TYPES: [&str; 8] = [
    "Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];

/// The fields each state type allows besides `Type`, `Comment` and
/// `QueryLanguage`, in a JSONPath or a JSONata state.
fn allowed(kind: &str, jsonata: bool) -> &'static [&'static str] {
    if jsonata {
        return allowed_in_jsonata(kind);
    }
    match kind {
        "Task" => &[
            "Resource",
            "InputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "OutputPath",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
            "Assign",
            "Retry",
            "Catch",
            "Next",
            "End",
        ],
        "Pass" => &[
            "InputPath",
            "Parameters",
            "Result",
            "ResultPath",
            "OutputPath",
            "Assign",
            "Next",
            "End",
        ],
        "Choice" => &["InputPath", "OutputPath", "Choices", "Default", "Assign"],
        "Wait" => &[
            "InputPath",
            "OutputPath",
            "Seconds",
            "Timestamp",
            "SecondsPath",
            "TimestampPath",
            "Assign",
            "Next",
            "End",
        ],
        "Succeed" => &["InputPath", "OutputPath"],
        "Fail" => &["Error", "ErrorPath", "Cause", "CausePath"],
        "Parallel" => &[
            "InputPath",
            "Parameters",
            "Branches",
            "ResultSelector",
            "ResultPath",
            "OutputPath",
            "Assign",
            "Retry",
            "Catch",
            "Next",
            "End",
        ],
        "Map" => &[
            "InputPath",
            "ItemsPath",
            "ItemReader",
            "ItemSelector",
            "Parameters",
            "ItemBatcher",
            "ItemProcessor",
            "Iterator",
            "ResultWriter",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "Label",
            "ResultSelector",
            "ResultPath",
            "OutputPath",
            "Assign",
            "Retry",
            "Catch",
            "Next",
            "End",
        ],
        _ => &[],
    }
}

/// The fields of JSONata states ("Transforming data with JSONata in Step
/// Functions" and each state's page).
fn allowed_in_jsonata(kind: &str) -> &'static [&'static str] {
    match kind {
        "Task" => &[
            "Resource",
            "Arguments",
            "Output",
            "Assign",
            "TimeoutSeconds",
            "HeartbeatSeconds",
            "Credentials",
            "Retry",
            "Catch",
            "Next",
            "End",
        ],
        "Pass" => &["Output", "Assign", "Next", "End"],
        "Choice" => &["Choices", "Default", "Output", "Assign"],
        "Wait" => &["Seconds", "Timestamp", "Output", "Assign", "Next", "End"],
        "Succeed" => &["Output"],
        "Fail" => &["Error", "Cause"],
        "Parallel" => &[
            "Arguments",
            "Branches",
            "Output",
            "Assign",
            "Retry",
            "Catch",
            "Next",
            "End",
        ],
        "Map" => &[
            "Items",
            "ItemReader",
            "ItemSelector",
            "ItemBatcher",
            "ItemProcessor",
            "ResultWriter",
            "MaxConcurrency",
            "ToleratedFailurePercentage",
            "ToleratedFailureCount",
            "Label",
            "Output",
            "Assign",
            "Retry",
            "Catch",
            "Next",
            "End",
        ],
        _ => &[],
    }
}

/// A machine's or state's query language: `Some(true)` for JSONata. A
/// state without one speaks its machine's; in a JSONata machine no state
/// may speak JSONPath (AWS refuses the mix that way round only).
fn language(cx: &mut Cx, fields: &Fields, inherited: bool) -> bool {
    let Some(member) = fields.member("QueryLanguage") else {
        return inherited;
    };
    match member.value.as_str() {
        Some("JSONata") => true,
        Some("JSONPath") => {
            if inherited {
                cx.diags.push(invalid(
                    &member.value,
                    "a JSONPath state in a JSONata state machine".into(),
                    "not allowed here",
                    "a state machine whose top-level `QueryLanguage` is JSONata holds only JSONata states; set the top level to JSONPath to mix the two",
                ));
            }
            false
        }
        _ => {
            cx.diags.push(invalid(
                &member.value,
                "unknown query language".into(),
                "unknown",
                "`QueryLanguage` is \"JSONPath\" (the default) or \"JSONata\"",
            ));
            inherited
        }
    }
}

/// The JSONPath fields, and what a JSONata state uses instead.
fn jsonpath_field(field: &str) -> Option<String> {
    Some(match field {
        "InputPath" | "Parameters" => {
            "a JSONata state reads its input as `$states.input` in `Arguments` (Task, Parallel) or `Items`/`ItemSelector` (Map)".into()
        }
        "ResultSelector" | "ResultPath" | "OutputPath" | "Result" => {
            "a JSONata state shapes what it passes on with `Output`".into()
        }
        "Iterator" => "a JSONata Map names its processor `ItemProcessor`".into(),
        _ => {
            let plain = field.strip_suffix("Path")?;
            format!("in a JSONata state write `{plain}`, with a `{{% … %}}` expression if the value is computed")
        }
    })
}

/// The JSONPath fields that do the work of JSONata-only fields.
fn jsonata_field(field: &str) -> Option<&'static str> {
    Some(match field {
        "Arguments" => "`Parameters`",
        "Output" => "`ResultSelector`, `ResultPath` and `OutputPath`",
        "Condition" => "`Variable` with a comparison operator",
        "Items" => "`ItemsPath`",
        _ => return None,
    })
}

/// Where a field that is wrong here does belong.
fn elsewhere(kind: &'static str, jsonata: bool) -> impl Fn(&str) -> Option<String> {
    move |field: &str| {
        if jsonata && let Some(instead) = jsonpath_field(field) {
            return Some(format!(
                "`{field}` belongs to the JSONPath query language; {instead}"
            ));
        }
        if let Some(instead) = jsonata_field(field).filter(|_| !jsonata) {
            return Some(format!(
                "`{field}` belongs to the JSONata query language; in a JSONPath state use {instead}"
            ));
        }
        let owners: Vec<&str> = TYPES
            .iter()
            .copied()
            .filter(|t| *t != kind && allowed(t, jsonata).contains(&field))
            .collect();
        (!owners.is_empty()).then(|| {
            format!(
                "`{field}` belongs to {} states, not {kind} states",
                or_list(&owners).replace('`', "")
            )
        })
    }
}

/// A whole machine, a Parallel branch or a Map processor.
pub(super) fn machine<'a>(cx: &mut Cx<'a>, node: &'a Node, kind: ScopeKind, field: &str) {
    let place = match kind {
        ScopeKind::Top => "the state machine".to_string(),
        ScopeKind::Branch => "a Parallel branch".to_string(),
        ScopeKind::Processor => "a Map processor".to_string(),
        ScopeKind::Iterator => "a Map iterator".to_string(),
    };
    if kind == ScopeKind::Top && node.as_object().is_none() {
        cx.diags.push(invalid(
            node,
            format!("a definition is a JSON object, not {}", node.kind()),
            "not an object",
            "write the machine as `{ \"StartAt\": \"First\", \"States\": { … } }`",
        ));
        return;
    }
    let Some(fields) = Fields::of(node, field, place.into(), &mut cx.diags) else {
        return;
    };
    let allowed: &[&str] = match kind {
        ScopeKind::Top => &[
            "Comment",
            "StartAt",
            "States",
            "TimeoutSeconds",
            "Version",
            "QueryLanguage",
        ],
        ScopeKind::Branch | ScopeKind::Iterator => &["Comment", "StartAt", "States"],
        ScopeKind::Processor => &["Comment", "StartAt", "States", "ProcessorConfig"],
    };
    if kind == ScopeKind::Top {
        cx.jsonata = language(cx, &fields, false);
    }
    fields.only(allowed, &[], |_| None, &mut cx.diags);
    fields.string("Comment", &mut cx.diags);
    if kind == ScopeKind::Top {
        fields.integer("TimeoutSeconds", 1, MAX_SECONDS, &mut cx.diags);
        if let Some((version, node)) = fields.string("Version", &mut cx.diags)
            && version != "1.0"
        {
            cx.diags.push(invalid(
                node,
                format!("unknown ASL version `{version}`"),
                "unknown version",
                "the only version is \"1.0\"; leave `Version` out to mean it",
            ));
        }
    }
    if let Some(config) = fields.get("ProcessorConfig") {
        super::map::processor_config(cx, config);
    }
    let start = fields.require(
        "StartAt",
        "`StartAt` names the state to run first",
        &mut cx.diags,
    );
    let start = start.and_then(|_| fields.name("StartAt", &mut cx.diags));
    let states = fields.require(
        "States",
        "`States` is an object of the machine's states, keyed by name",
        &mut cx.diags,
    );
    let Some(states) = states else { return };
    let Some(members) = states.as_object() else {
        cx.diags.push(wrong_type(states, "States", "an object"));
        return;
    };
    if members.is_empty() {
        cx.diags.push(invalid(
            states,
            "`States` is empty".into(),
            "no states",
            "a machine needs at least one state",
        ));
        return;
    }
    let mut scope = Scope {
        kind,
        start: start.map(|(name, node)| Edge {
            target: name,
            span: node.span,
            field: "StartAt",
        }),
        states: Vec::with_capacity(members.len()),
    };
    // A name defined twice is reported as a repeated key (E201); like AWS,
    // only its last definition counts.
    let last: super::HashMap<&str, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.key.as_str(), i))
        .collect();
    for (i, member) in members.iter().enumerate() {
        if last.get(member.key.as_str()) != Some(&i) {
            continue;
        }
        state_name(cx, member.key.as_str(), member.key_span);
        let mut entry = ScopeState {
            name: &member.key,
            span: member.key_span,
            edges: Vec::new(),
            terminal: false,
            edges_known: true,
        };
        state(cx, &member.key, &member.value, &mut entry);
        scope.states.push(entry);
    }
    cx.scopes.push(scope);
}

fn state_name(cx: &mut Cx, name: &str, span: crate::source::Span) {
    let length = name.chars().count();
    if length == 0 || length > MAX_NAME {
        cx.diags.push(Diag::AslBadStateName {
            span,
            message: if length == 0 {
                "a state name is empty".into()
            } else {
                format!("a state name is {length} characters long")
            },
            help: format!("AWS takes state names of 1 to {MAX_NAME} characters"),
        });
    }
}

fn state<'a>(cx: &mut Cx<'a>, name: &'a str, node: &'a Node, entry: &mut ScopeState<'a>) {
    cx.note_name(name, entry.span);
    // Until the state is understood, where it leads is unknown: reachability
    // and termination are then not judged (they would only echo this error).
    entry.edges_known = false;
    let Some(fields) = Fields::of(node, name, Place::State(None, name), &mut cx.diags) else {
        return;
    };
    let inherited = cx.jsonata;
    let jsonata = language(cx, &fields, inherited);
    let Some(type_node) = fields.require(
        "Type",
        "`Type` is one of Task, Pass, Choice, Wait, Succeed, Fail, Parallel or Map",
        &mut cx.diags,
    ) else {
        return;
    };
    let Some(kind) = TYPES
        .iter()
        .copied()
        .find(|t| type_node.as_str() == Some(t))
    else {
        let help = match type_node.as_str() {
            Some(found) => crate::check::suggest::did_you_mean(found, TYPES, "the types are"),
            None => None,
        };
        cx.diags.push(invalid(
            type_node,
            format!(
                "unknown state type {}",
                type_node
                    .as_str()
                    .map_or_else(|| type_node.kind().to_string(), |s| format!("`{s}`"))
            ),
            "unknown type",
            &help.unwrap_or_else(|| format!("`Type` is one of {}", TYPES.join(", "))),
        ));
        return;
    };
    entry.edges_known = true;
    let mut known = vec!["Type", "Comment", "QueryLanguage"];
    known.extend_from_slice(allowed(kind, jsonata));
    fields.only(&known, &[], elsewhere(kind, jsonata), &mut cx.diags);
    fields.string("Comment", &mut cx.diags);
    let fields = Fields {
        place: Place::State(Some(kind), name),
        ..fields
    };
    if jsonata {
        super::jsonata::state(cx, kind, &fields);
        if kind == "Task" {
            resource(cx, &fields);
        }
    } else {
        io_paths(cx, &fields);
        if let Some(node) = fields.get("Assign") {
            super::jsonata::assign(cx, node, false, super::jsonata::PLAIN);
        }
        match kind {
            "Task" => task(cx, &fields),
            "Pass" => {
                if let Some(p) = fields.get("Parameters") {
                    values::template(p, "Parameters", &mut cx.diags);
                }
            }
            "Wait" => wait(cx, &fields),
            "Fail" => fail(cx, &fields),
            _ => {}
        }
    }
    match kind {
        "Choice" => choice::state(cx, &fields, entry, jsonata),
        "Parallel" => parallel(cx, &fields, jsonata),
        "Map" => super::map::state(cx, &fields, jsonata),
        _ => {}
    }
    if matches!(kind, "Task" | "Parallel" | "Map") {
        super::retry::retriers(cx, &fields);
        super::retry::catchers(cx, &fields, entry, jsonata);
    }
    if !matches!(kind, "Choice" | "Succeed" | "Fail") {
        transition(cx, &fields, name, entry);
    }
    // A state without `Next` or `End` (E207) may well be meant to end.
    entry.terminal = matches!(kind, "Succeed" | "Fail")
        || fields
            .get("End")
            .is_some_and(|e| e.value == super::json::Value::Bool(true))
        || (kind != "Choice" && !fields.has("Next"));
    // A transition field where none is allowed was meant to lead somewhere.
    if matches!(kind, "Choice" | "Succeed" | "Fail") && fields.has("Next") {
        entry.edges_known = false;
    }
}

/// `InputPath`, `OutputPath`, `ResultPath`, `ResultSelector` wherever allowed.
fn io_paths(cx: &mut Cx, fields: &Fields) {
    for (key, rule) in [
        ("InputPath", PathRule::Any),
        ("OutputPath", PathRule::Any),
        ("ResultPath", PathRule::Result),
    ] {
        if let Some(node) = fields.get(key)
            && node.value != super::json::Value::Null
        {
            values::path(node, key, rule, &mut cx.diags);
        }
    }
    if let Some(node) = fields.get("ResultSelector") {
        values::template(node, "ResultSelector", &mut cx.diags);
    }
}

fn transition<'a>(cx: &mut Cx<'a>, fields: &Fields<'a>, name: &str, entry: &mut ScopeState<'a>) {
    fields.exclusive(&["Next", "End"], &mut cx.diags);
    let next = fields.name("Next", &mut cx.diags);
    if next.is_none() && fields.has("Next") {
        entry.edges_known = false;
    }
    let end = fields.bool("End", &mut cx.diags);
    // `Next` with `End: false` is one problem, reported as the conflict.
    if let Some((false, node)) = end
        && !fields.has("Next")
    {
        cx.diags.push(invalid(
            node,
            "`End` is false".into(),
            "only `true` is meaningful",
            "write `\"End\": true` to end here, or replace `End` with `Next`",
        ));
    }
    if let Some((target, node)) = next {
        entry.edges.push(Edge {
            target,
            span: node.span,
            field: "Next",
        });
    } else if !fields.has("Next") && !fields.has("End") {
        cx.diags.push(Diag::AslNoTransition {
            span: entry.span,
            state: name.to_string(),
        });
    }
}

fn resource(cx: &mut Cx, fields: &Fields) {
    if let Some(node) = fields.require(
        "Resource",
        "`Resource` is the ARN of what the Task calls",
        &mut cx.diags,
    ) {
        values::resource(node, &mut cx.diags);
    }
}

fn task(cx: &mut Cx, fields: &Fields) {
    resource(cx, fields);
    if let Some(p) = fields.get("Parameters") {
        values::template(p, "Parameters", &mut cx.diags);
    }
    if let Some(c) = fields.get("Credentials") {
        values::template(c, "Credentials", &mut cx.diags);
    }
    fields.exclusive(&["TimeoutSeconds", "TimeoutSecondsPath"], &mut cx.diags);
    fields.exclusive(&["HeartbeatSeconds", "HeartbeatSecondsPath"], &mut cx.diags);
    let timeout = fields.integer("TimeoutSeconds", 1, MAX_SECONDS, &mut cx.diags);
    let heartbeat = fields.integer("HeartbeatSeconds", 1, MAX_SECONDS, &mut cx.diags);
    for key in ["TimeoutSecondsPath", "HeartbeatSecondsPath"] {
        if let Some(node) = fields.get(key) {
            values::path(node, key, PathRule::Reference, &mut cx.diags);
        }
    }
    if let (Some((timeout, t)), Some((heartbeat, h))) = (timeout, heartbeat)
        && heartbeat >= timeout
    {
        cx.diags.push(Diag::AslHeartbeatNotBelowTimeout {
            span: h.span,
            heartbeat,
            timeout,
            timeout_span: t.span,
        });
    }
}

fn wait(cx: &mut Cx, fields: &Fields) {
    fields.exactly_one(
        &["Seconds", "Timestamp", "SecondsPath", "TimestampPath"],
        &mut cx.diags,
    );
    fields.integer("Seconds", 0, MAX_SECONDS, &mut cx.diags);
    if let Some((stamp, node)) = fields.string("Timestamp", &mut cx.diags)
        && !values::is_timestamp(stamp)
    {
        cx.diags.push(Diag::AslBadTimestamp {
            span: node.span,
            field: "Timestamp".into(),
            value: stamp.to_string(),
        });
    }
    for key in ["SecondsPath", "TimestampPath"] {
        if let Some(node) = fields.get(key) {
            values::path(node, key, PathRule::Reference, &mut cx.diags);
        }
    }
}

fn fail(cx: &mut Cx, fields: &Fields) {
    fields.exclusive(&["Error", "ErrorPath"], &mut cx.diags);
    fields.exclusive(&["Cause", "CausePath"], &mut cx.diags);
    fields.string("Error", &mut cx.diags);
    fields.string("Cause", &mut cx.diags);
    for key in ["ErrorPath", "CausePath"] {
        if let Some(node) = fields.get(key) {
            values::path_or_call(node, key, &mut cx.diags);
        }
    }
}

fn parallel<'a>(cx: &mut Cx<'a>, fields: &Fields<'a>, jsonata: bool) {
    if let Some(p) = fields.get("Parameters").filter(|_| !jsonata) {
        values::template(p, "Parameters", &mut cx.diags);
    }
    if fields
        .require(
            "Branches",
            "`Branches` lists the machines a Parallel state runs side by side",
            &mut cx.diags,
        )
        .is_some()
    {
        let branches = fields.array("Branches", &mut cx.diags).unwrap_or_default();
        for (i, branch) in branches.iter().enumerate() {
            machine(cx, branch, ScopeKind::Branch, &format!("Branches[{i}]"));
        }
    }
}
