//! The ASL intrinsic functions a value may call, with their arity.

/// Name, fewest and most arguments (`None`: any number), and a signature for help.
pub static INTRINSICS: &[(&str, usize, Option<usize>, &str)] = &[
    (
        "States.Format",
        1,
        None,
        "States.Format(\"template {}\", value, …)",
    ),
    (
        "States.StringToJson",
        1,
        Some(1),
        "States.StringToJson(string)",
    ),
    (
        "States.JsonToString",
        1,
        Some(1),
        "States.JsonToString(path)",
    ),
    ("States.Array", 0, None, "States.Array(value, …)"),
    (
        "States.ArrayPartition",
        2,
        Some(2),
        "States.ArrayPartition(array, chunk_size)",
    ),
    (
        "States.ArrayContains",
        2,
        Some(2),
        "States.ArrayContains(array, value)",
    ),
    (
        "States.ArrayRange",
        3,
        Some(3),
        "States.ArrayRange(first, last, step)",
    ),
    (
        "States.ArrayGetItem",
        2,
        Some(2),
        "States.ArrayGetItem(array, index)",
    ),
    (
        "States.ArrayLength",
        1,
        Some(1),
        "States.ArrayLength(array)",
    ),
    (
        "States.ArrayUnique",
        1,
        Some(1),
        "States.ArrayUnique(array)",
    ),
    (
        "States.Base64Encode",
        1,
        Some(1),
        "States.Base64Encode(string)",
    ),
    (
        "States.Base64Decode",
        1,
        Some(1),
        "States.Base64Decode(string)",
    ),
    ("States.Hash", 2, Some(2), "States.Hash(data, \"SHA-256\")"),
    (
        "States.JsonMerge",
        3,
        Some(3),
        "States.JsonMerge(object, object, false)",
    ),
    (
        "States.MathRandom",
        2,
        Some(3),
        "States.MathRandom(start, end[, seed])",
    ),
    (
        "States.MathAdd",
        2,
        Some(2),
        "States.MathAdd(number, number)",
    ),
    (
        "States.StringSplit",
        2,
        Some(2),
        "States.StringSplit(string, \",\")",
    ),
    ("States.UUID", 0, Some(0), "States.UUID()"),
];

/// How many arguments a function takes, in words.
pub fn arity_words(min: usize, max: Option<usize>) -> String {
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    match max {
        Some(max) if max == min => format!("{min} {}", plural(min)),
        Some(max) => format!("{min} to {max} arguments"),
        None => format!("at least {min} {}", plural(min)),
    }
}

pub fn find(name: &str) -> Option<&'static (&'static str, usize, Option<usize>, &'static str)> {
    INTRINSICS.iter().find(|(n, ..)| *n == name)
}

use crate::diagnostics::Diag;
use crate::syntax::ast::{Call, ValueKind};

/// What `States.Hash` accepts as its algorithm.
const HASH_ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/// Arguments Step Functions requires to be integers, by position.
fn integer_args(name: &str) -> &'static [usize] {
    match name {
        "States.MathAdd" => &[0, 1],
        "States.MathRandom" => &[0, 1, 2],
        "States.ArrayRange" => &[0, 1, 2],
        "States.ArrayPartition" | "States.ArrayGetItem" => &[1],
        _ => &[],
    }
}

/// Literal arguments that would fail at run time with `States.IntrinsicFailure`.
pub fn check_arg_values(call: &Call, diags: &mut Vec<Diag>) {
    let name = call.function.name.as_str();
    let problem = |span, message: String, label: &str, help: String| Diag::IntrinsicArgValue {
        span,
        message,
        label: label.to_string(),
        help,
    };
    match (name, call.args.first().map(|a| &a.kind)) {
        ("States.Format", Some(ValueKind::String(template))) => {
            let holes = placeholders(template);
            let values = call.args.len() - 1;
            if holes != values {
                diags.push(problem(
                    call.args[0].span,
                    format!("the template has {holes} `{{}}` but {values} value(s) follow it"),
                    "template",
                    "give one value per `{}`; write a literal brace as `\\\\{`".to_string(),
                ));
            }
        }
        ("States.Hash", _) => {
            if let Some(arg) = call.args.get(1)
                && let ValueKind::String(algorithm) = &arg.kind
                && !HASH_ALGORITHMS.contains(&algorithm.as_str())
            {
                diags.push(problem(
                    arg.span,
                    format!("`{algorithm}` is not a hash algorithm of `States.Hash`"),
                    "unknown algorithm",
                    format!("use one of: {}", HASH_ALGORITHMS.join(", ")),
                ));
            }
        }
        ("States.JsonMerge", _) => {
            if let Some(arg) = call.args.get(2)
                && !matches!(arg.kind, ValueKind::Bool(false))
            {
                diags.push(problem(
                    arg.span,
                    "`States.JsonMerge` only does a shallow merge".to_string(),
                    "must be `false`",
                    "Step Functions accepts only `false` for the deep-merge flag".to_string(),
                ));
            }
        }
        _ => {}
    }
    for &i in integer_args(name) {
        if let Some(arg) = call.args.get(i)
            && let ValueKind::Number(n) = &arg.kind
            && !(n.is_i64() || n.is_u64())
        {
            diags.push(problem(
                arg.span,
                format!("`{name}` takes whole numbers, not `{n}`"),
                "not an integer",
                "write a whole number such as `1`".to_string(),
            ));
        }
    }
}

/// `{}` placeholders in a `States.Format` template; `\{` is a literal brace.
fn placeholders(template: &str) -> usize {
    let mut count = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                count += 1;
            }
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn counts_unescaped_placeholders() {
        assert_eq!(placeholders("{} and {}"), 2);
        assert_eq!(placeholders("\\{} literal, {}"), 1);
        assert_eq!(placeholders("{ }"), 0);
    }
}
