//! The strings with a syntax of their own inside a definition: JSONPaths,
//! payload templates (`"key.$"` fields), intrinsic calls, timestamps and
//! resource ARNs.

use super::fields::wrong_type;
use super::json::{Node, Value};
use crate::asl::intrinsic::{self, ArgKind, Call};
use crate::check::INTRINSICS;
use crate::check::intrinsics::arity_words;
use crate::check::suggest::closest;
use crate::diagnostics::Diag;
use crate::path::{self, JsonPath};
use crate::source::Span;

/// Which paths a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathRule {
    /// Any JSONPath, the context object `$$` included (`InputPath`, `Variable`, `.$` values).
    Any,
    /// A reference path: one node, names and indexes only (`ItemsPath`, `*SecondsPath`).
    Reference,
    /// A reference path into the state, never `$$` (`ResultPath`).
    Result,
}

/// Checks a path string field; `None` when it is not one.
pub fn path(node: &Node, field: &str, rule: PathRule, diags: &mut Vec<Diag>) -> Option<JsonPath> {
    let Some(text) = node.as_str() else {
        diags.push(wrong_type(node, field, "a path string"));
        return None;
    };
    let bad = |message: String, label: &str, help: String| Diag::AslBadPath {
        span: node.span,
        field: field.to_string(),
        message,
        label: label.to_string(),
        help,
    };
    // AWS reads paths with Jayway, which trims them as Java's `trim` does
    // (a published AWS sample has `"$$.Execution.Name "`).
    let trimmed = text.trim_matches(|c: char| c <= ' ');
    let lead = text.len() - text.trim_start_matches(|c: char| c <= ' ').len();
    let parsed = match path::parse_asl(trimmed) {
        Ok(parsed) => parsed,
        Err(e) => {
            let mut diag = bad(e.message, "invalid path", e.help);
            if let Diag::AslBadPath { span, .. } = &mut diag {
                *span = inside(node, lead + e.offset..lead + e.offset + e.len.max(1));
            }
            diags.push(diag);
            return None;
        }
    };
    match rule {
        PathRule::Result if parsed.variable.is_some() => diags.push(bad(
            format!("`{text}` writes into a variable"),
            "not a place in the state",
            format!(
                "`{field}` places a result in the state: start it with `$.`; assign variables with `Assign`"
            ),
        )),
        PathRule::Result if parsed.context => diags.push(bad(
            format!("`{text}` writes into the context object"),
            "`$$` is read-only",
            format!("`{field}` places a result in the state: start it with `$`"),
        )),
        PathRule::Reference | PathRule::Result if !parsed.is_reference_path() => {
            diags.push(bad(
                format!("`{text}` is not a reference path"),
                "must name exactly one place",
                format!(
                    "`{field}` takes a reference path: field names and indexes only, no `*`, `..`, filters, slices or unions"
                ),
            ))
        }
        _ => {}
    }
    Some(parsed)
}

/// A sub-span of a string value, when its text has no escapes (so offsets
/// in the decoded string are offsets in the file); else the whole value.
pub(super) fn inside(node: &Node, range: std::ops::Range<usize>) -> Span {
    let inner = node.inner_span();
    match node.as_str() {
        Some(s) if s.len() == inner.len() => inner.inner(range),
        _ => node.span,
    }
}

/// A payload template (`Parameters`, `ResultSelector`, `ItemSelector`): an
/// object whose `"key.$"` fields hold paths or intrinsic calls.
pub fn template(node: &Node, field: &str, diags: &mut Vec<Diag>) {
    if node.as_object().is_none() {
        diags.push(wrong_type(node, field, "an object"));
        return;
    }
    template_value(node, diags);
}

pub(super) fn template_value(node: &Node, diags: &mut Vec<Diag>) {
    match &node.value {
        Value::Object(members) => {
            same_field_twice(members, diags);
            for member in members {
                if member.key.ends_with(".$") {
                    dynamic(&member.value, &member.key, diags);
                } else {
                    template_value(&member.value, diags);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| template_value(item, diags)),
        _ => {}
    }
}

/// `"a"` and `"a.$"` in one template both set the field `a`.
fn same_field_twice(members: &[super::json::Member], diags: &mut Vec<Diag>) {
    let dynamic: Vec<&super::json::Member> =
        members.iter().filter(|m| m.key.ends_with(".$")).collect();
    if dynamic.is_empty() {
        return;
    }
    let fixed: super::HashMap<&str, &super::json::Member> =
        members.iter().map(|m| (m.key.as_str(), m)).collect();
    for member in dynamic {
        let name = &member.key[..member.key.len() - 2];
        if let Some(other) = fixed.get(name) {
            diags.push(Diag::AslConflictingFields {
                span: member.key_span,
                field: member.key.clone(),
                other: other.key.clone(),
                other_span: other.key_span,
                help: format!(
                    "both set the field `{name}`: keep `{name}` for a fixed value or `{name}.$` for one taken from a path"
                ),
            });
        }
    }
}

/// The value of a `"key.$"` field: a path or an intrinsic call.
pub(super) fn dynamic(node: &Node, key: &str, diags: &mut Vec<Diag>) {
    match node.as_str() {
        Some(text) if intrinsic::is_call(text) => call(node, key, diags),
        Some(_) => {
            path(node, key, PathRule::Any, diags);
        }
        None => diags.push(Diag::AslWrongType {
            span: node.span,
            field: key.to_string(),
            expected: "a path or an intrinsic call".into(),
            found: node.kind(),
            help: format!(
                "a key ending in `.$` takes its value from a path such as \"$.x\"; for a fixed value drop the `.$` from `{key}`"
            ),
        }),
    }
}

/// The intrinsics AWS allows in `ErrorPath` and `CausePath`: those that
/// return a string.
const STRING_CALLS: [&str; 7] = [
    "States.Format",
    "States.JsonToString",
    "States.ArrayGetItem",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.UUID",
];

/// `ErrorPath` and `CausePath`: a reference path or an intrinsic call that
/// returns a string.
pub fn path_or_call(node: &Node, field: &str, diags: &mut Vec<Diag>) {
    match node.as_str() {
        Some(text) if intrinsic::is_call(text) => {
            if let Ok(parsed) = intrinsic::parse(text)
                && !STRING_CALLS.contains(&parsed.name.as_str())
                && crate::check::intrinsics::find(&parsed.name).is_some()
            {
                diags.push(Diag::AslBadIntrinsic {
                    span: inside(node, parsed.name_at.clone()),
                    field: field.to_string(),
                    message: format!("`{}` does not return a string", parsed.name),
                    label: "not allowed here".into(),
                    help: format!(
                        "`{field}` takes a call that returns a string: {}",
                        STRING_CALLS.join(", ")
                    ),
                });
            }
            call(node, field, diags)
        }
        _ => {
            path(node, field, PathRule::Reference, diags);
        }
    }
}

fn call(node: &Node, field: &str, diags: &mut Vec<Diag>) {
    let text = node.as_str().unwrap_or_default();
    match intrinsic::parse(text) {
        Ok(parsed) => check_call(&parsed, node, field, diags),
        Err(e) => diags.push(Diag::AslBadIntrinsic {
            span: inside(node, e.at),
            field: field.to_string(),
            message: e.message,
            label: "here".into(),
            help: "an intrinsic call is `States.Name(arg, …)`; arguments are 'strings', numbers, true, false, null, paths and calls".into(),
        }),
    }
}

/// Known function, right number of arguments, nested calls too.
fn check_call(parsed: &Call, node: &Node, field: &str, diags: &mut Vec<Diag>) {
    let span = inside(node, parsed.name_at.clone());
    match crate::check::intrinsics::find(&parsed.name) {
        None => diags.push(Diag::AslBadIntrinsic {
            span,
            field: field.to_string(),
            message: format!("unknown intrinsic function `{}`", parsed.name),
            label: "no such function".into(),
            help: closest(&parsed.name, INTRINSICS.iter().map(|f| f.0)).map_or_else(
                || "see AWS's list of intrinsic functions (States.Format, States.Array, …)".into(),
                |best| format!("did you mean `{best}`?"),
            ),
        }),
        Some((name, min, max, signature)) => {
            let n = parsed.args.len();
            if n < *min || max.is_some_and(|max| n > max) {
                diags.push(Diag::AslBadIntrinsic {
                    span,
                    field: field.to_string(),
                    message: format!("`{name}` takes {}, not {n}", arity_words(*min, *max)),
                    label: "wrong number of arguments".into(),
                    help: format!("call it as {}", signature.replace('"', "'")),
                });
            }
        }
    }
    for arg in &parsed.args {
        if let ArgKind::Call(inner) = &arg.kind {
            check_call(inner, node, field, diags);
        }
    }
}

/// An ISO 8601 timestamp as Step Functions takes it: RFC 3339 date, `T`,
/// time with optional fraction, and `Z` or a numeric offset.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
        digits(17..19),
    ) else {
        return false;
    };
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't'))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2]
            if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) =>
        {
            let h = u32::from(h1 - b'0') * 10 + u32::from(h2 - b'0');
            let m = u32::from(m1 - b'0') * 10 + u32::from(m2 - b'0');
            h < 24 && m < 60
        }
        _ => false,
    }
}

/// AWS's partitions, the second part of every ARN.
const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// A Task's `Resource`: `arn:partition:service:region:account:resource…`.
/// Region and account may be empty (`arn:aws:states:::lambda:invoke`).
pub fn resource(node: &Node, diags: &mut Vec<Diag>) {
    let Some(text) = node.as_str() else {
        diags.push(wrong_type(node, "Resource", "an ARN string"));
        return;
    };
    let Some(problem) = arn_problem(text) else {
        return;
    };
    diags.push(Diag::AslBadResource {
        span: node.span,
        resource: text.to_string(),
        help: problem.to_string(),
    });
}

/// What is wrong with an ARN, if anything. The checker asks it of `run
/// resource` targets too, so a flow cannot compile to a Resource AWS refuses.
pub(crate) fn arn_problem(text: &str) -> Option<&'static str> {
    if text.contains("${") {
        return Some(
            "this looks like a definition substitution (CloudFormation, SAM, CDK): check the definition after substituting it",
        );
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let ["arn", partition, service, _region, account, resource] = parts[..] else {
        return Some(if text.starts_with("arn:") {
            "an ARN has six parts: arn:partition:service:region:account:resource (region and account may be empty)"
        } else {
            "a Task's `Resource` is an ARN such as `arn:aws:states:::lambda:invoke` or `arn:aws:lambda:us-east-1:123456789012:function:name`"
        });
    };
    if !PARTITIONS.contains(&partition) {
        return Some(
            "the partition (after `arn:`) is one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f or aws-eusc",
        );
    }
    if !account.bytes().all(|b| b.is_ascii_digit()) {
        return Some("the account (the fifth part) is a 12-digit number, or empty");
    }
    let bad_resource = resource.is_empty()
        || resource.ends_with([':', '/'])
        || resource.contains(char::is_whitespace);
    if service.is_empty() || bad_resource {
        return Some(
            "an ARN names a service and a resource: arn:partition:service:region:account:resource, with no spaces and no trailing `:`",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_arns() {
        for good in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::aws-sdk:s3:listObjectsV2",
            "arn:aws:lambda:us-east-1:123456789012:function:name:$LATEST",
            "arn:aws-cn:states:::ecs:runTask.sync",
            "arn:aws:states:::s3:getObject",
        ] {
            assert_eq!(arn_problem(good), None, "{good}");
        }
        for bad in [
            "lambda:invoke",
            "arn:aws:states:::lambda:",
            "arn:aws:x::::",
            "arn:aws:lambda:us-east-1:abc:function:f",
            "arn:aws:states:::lambda:invoke\n",
            "arn:aws-foo:lambda:us-east-1:123456789012:function:f",
            "arn:${AWS::Partition}:states:::lambda:invoke",
            "arn:aws:states",
        ] {
            assert!(arn_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn timestamps_follow_rfc_3339() {
        for good in [
            "2016-03-14T01:59:00Z",
            "2016-03-14T01:59:00.123Z",
            "2016-02-29T23:59:59+01:00",
            "2016-03-14T01:59:00-07:30",
        ] {
            assert!(is_timestamp(good), "{good}");
        }
        for bad in [
            "2016-03-14",
            "2016-03-14 01:59:00Z",
            "2016-13-01T00:00:00Z",
            "2015-02-29T00:00:00Z",
            "2016-03-14T24:00:00Z",
            "2016-03-14T01:59:00",
            "2016-03-14T01:59:00.Z",
            "2016-03-14T01:59:00+0100",
            "yesterday",
            "２016-03-14T01:59:00Z",
        ] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }
}
