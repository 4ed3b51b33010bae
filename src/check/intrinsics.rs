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
