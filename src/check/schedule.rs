//! Validation of EventBridge schedule expressions: `schedule cron("...")` and
//! `schedule rate(N unit)`.
//!
//! Rules follow the Amazon EventBridge user guide ("Cron expressions reference"
//! and "Rate expressions reference"). Where the guide is silent we reject with
//! a clear message rather than let a bad schedule fail at deploy time; the one
//! exception is `LW`, which AWS accepts in practice.

use std::ops::Range;

/// A problem in a schedule expression. `range` is a byte range *within the cron string* (for cron) or
/// 0..0 for rate problems where `on_unit` says whether it concerns the unit word (true) or the number (false).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleProblem {
    pub message: String,
    pub help: String,
    pub range: Range<usize>,
    pub on_unit: bool,
}

type Check<T = ()> = Result<T, ScheduleProblem>;

/// A cron problem; `range` is in bytes within the cron string.
fn fail<T>(range: Range<usize>, message: String, help: impl Into<String>) -> Check<T> {
    let (help, on_unit) = (help.into(), false);
    Err(ScheduleProblem {
        message,
        help,
        range,
        on_unit,
    })
}

/// A rate problem; rate problems carry no range, only which part is wrong.
fn rate_fail<T>(on_unit: bool, message: String, help: impl Into<String>) -> Check<T> {
    fail(0..0, message, help).map_err(|p| ScheduleProblem { on_unit, ..p })
}

fn span(off: usize, text: &str) -> Range<usize> {
    off..off + text.len()
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

const SHAPE_HELP: &str = "EventBridge cron has 6 fields: minutes hours day-of-month month \
                          day-of-week year, e.g. `0 18 * * ? *`";
const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
// 1 = SUN in EventBridge, unlike Unix cron's 0 = Sunday.
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    Minutes,
    Hours,
    DayOfMonth,
    Month,
    DayOfWeek,
    Year,
}

use Field::*;

const FIELDS: [Field; 6] = [Minutes, Hours, DayOfMonth, Month, DayOfWeek, Year];

/// One cron field as described by the EventBridge field table.
#[derive(Clone, Copy)]
struct Spec {
    field: Field,
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

impl Field {
    fn spec(self) -> Spec {
        let (name, min, max, names): (_, _, _, &'static [&'static str]) = match self {
            Minutes => ("minutes", 0, 59, &[]),
            Hours => ("hours", 0, 23, &[]),
            DayOfMonth => ("day-of-month", 1, 31, &[]),
            Month => ("month", 1, 12, &MONTHS),
            DayOfWeek => ("day-of-week", 1, 7, &DAYS),
            Year => ("year", 1970, 2199, &[]),
        };
        Spec {
            field: self,
            name,
            min,
            max,
            names,
        }
    }
}

impl Spec {
    fn range_text(&self) -> String {
        match (self.names.first(), self.names.last()) {
            (Some(first), Some(last)) => format!("{}-{} (or {first}-{last})", self.min, self.max),
            _ => format!("{}-{}", self.min, self.max),
        }
    }

    /// Everything the field accepts, for "not a valid value" help.
    fn syntax(&self) -> String {
        let extra = match self.field {
            DayOfMonth => ", `?`, `L` (last day), `LW` (last weekday), `15W` and , - * /",
            DayOfWeek => " (1 = SUN), `?`, `L`, `6L` (last FRI), `3#2` (2nd TUE) and , - *",
            _ => " and the wildcards , - * /",
        };
        format!("{} takes {}{extra}", self.name, self.range_text())
    }

    fn out_of_range_help(&self, text: &str) -> &'static str {
        match self.field {
            Minutes => "minutes go from 0 to 59",
            Hours => "hours use the 24-hour clock, 0 to 23",
            DayOfMonth => {
                "days of the month go from 1 to 31; use `L` for the last day of the month"
            }
            Month => "months go from 1 (JAN) to 12 (DEC)",
            DayOfWeek if text.bytes().all(|b| b == b'0') => {
                "EventBridge numbers days 1 = SUN to 7 = SAT; for Sunday write `1` or `SUN`, not 0"
            }
            DayOfWeek => "days of the week go from 1 = SUN to 7 = SAT; names SUN-SAT also work",
            Year => "years go from 1970 to 2199; use `*` for every year",
        }
    }

    fn is_day(&self) -> bool {
        matches!(self.field, DayOfMonth | DayOfWeek)
    }
}

/// What a day field holds, for the "exactly one of the two day fields is `?`" rule.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum DayKind {
    Question,
    Star,
    Value,
}

/// Checks the contents of `cron("...")`.
pub fn check_cron(expr: &str) -> Result<(), ScheduleProblem> {
    let fields = split_fields(expr);
    if fields.len() != FIELDS.len() {
        return field_count_problem(expr, fields.len());
    }
    let mut kinds = [DayKind::Value; 6];
    for (i, &(off, text)) in fields.iter().enumerate() {
        kinds[i] = check_field(&FIELDS[i].spec(), text, off)?;
    }
    check_day_pair(&fields, kinds[2], kinds[4])
}

/// Splits on ASCII whitespace, keeping byte offsets. Anything else (say a
/// non-breaking space) stays inside a field and is reported as invalid there.
fn split_fields(expr: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in expr.char_indices() {
        match (c.is_ascii_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &expr[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &expr[s..]));
    }
    out
}

fn field_count_problem(expr: &str, count: usize) -> Check {
    let hint = match count {
        5 => "this looks like Unix cron; EventBridge adds a year and needs one `?`. ",
        7 => "EventBridge cron has no seconds field (drop it if this is Quartz). ",
        _ => "",
    };
    let message = match count {
        0 => "cron expression is empty".to_string(),
        1 => "cron expression has 1 field, EventBridge needs exactly 6".to_string(),
        _ => format!("cron expression has {count} fields, EventBridge needs exactly 6"),
    };
    fail(0..expr.len(), message, format!("{hint}{SHAPE_HELP}"))
}

fn check_field(spec: &Spec, text: &str, off: usize) -> Check<DayKind> {
    match text {
        "*" => return Ok(DayKind::Star),
        "?" if spec.is_day() => return Ok(DayKind::Question),
        _ => {}
    }
    let items = split_items(text, off);
    if items.len() > 1 {
        for &(item_off, item) in &items {
            check_list_member(spec, item, item_off, span(off, text))?;
        }
    } else if is_special(spec.field, text) {
        return check_special(spec, text, off).map(|()| DayKind::Value);
    }
    for (item_off, item) in items {
        check_item(spec, item, item_off)?;
    }
    Ok(DayKind::Value)
}

fn split_items(text: &str, off: usize) -> Vec<(usize, &str)> {
    let mut pos = off;
    let mut items = Vec::new();
    for item in text.split(',') {
        items.push((pos, item));
        pos += item.len() + 1;
    }
    items
}

/// `L`, `W`, `#`, `*` and `?` must stand alone. AWS says so for `#`
/// ("3#1,6#3" is invalid); for the others a list has no clear meaning.
fn check_list_member(spec: &Spec, item: &str, off: usize, whole: Range<usize>) -> Check {
    let name = spec.name;
    if item.is_empty() {
        let msg = format!("{name} has an empty entry in its list");
        let help = "remove the extra comma, e.g. `1,15` instead of `1,,15`";
        return fail(whole, msg, help);
    }
    if spec.field == DayOfWeek && item.contains('#') {
        let msg = "day-of-week mixes a `#` expression with other values".to_string();
        let help = "EventBridge allows only one expression in day-of-week when `#` is used \
                    (`3#1,6#3` is invalid); use a separate schedule for each";
        return fail(whole, msg, help);
    }
    if is_special(spec.field, item) || item == "*" || item == "?" {
        let msg = format!("{name} `{item}` can't be combined with other values in a list");
        let help = format!("use `{item}` on its own in {name}");
        return fail(span(off, item), msg, help);
    }
    Ok(())
}

fn is_special(field: Field, text: &str) -> bool {
    let has = |c: char| text.chars().any(|t| t.eq_ignore_ascii_case(&c));
    match field {
        DayOfMonth => has('L') || has('W'),
        // No day name contains an `L`, so `L` always means "last" here.
        DayOfWeek => has('L') || has('#'),
        _ => false,
    }
}

fn check_item(spec: &Spec, item: &str, off: usize) -> Check {
    if item == "?" {
        let msg = format!("`?` is not allowed in {}", spec.name);
        let help = "`?` is only for day-of-month or day-of-week; use `*` for every value";
        return fail(span(off, item), msg, help);
    }
    match item.find('/') {
        Some(slash) => check_step(spec, item, off, slash),
        None => check_range_or_value(spec, item, off),
    }
}

fn check_step(spec: &Spec, item: &str, off: usize, slash: usize) -> Check {
    let name = spec.name;
    if spec.field == DayOfWeek {
        let msg = format!("day-of-week `{item}` uses `/`, which EventBridge doesn't allow there");
        let help = "list the days instead, e.g. `MON,WED,FRI`";
        return fail(span(off, item), msg, help);
    }
    let (base, step) = (&item[..slash], &item[slash + 1..]);
    let help = "write increments as start/step, e.g. `0/15` or `*/15` (every 15 starting at 0)";
    let missing = match (base.is_empty(), step.is_empty()) {
        (true, _) => Some("no start before"),
        (_, true) => Some("no increment after"),
        _ => None,
    };
    if let Some(what) = missing {
        let msg = format!("{name} `{item}` has {what} `/`");
        return fail(span(off, item), msg, help);
    }
    let step_range = span(off + slash + 1, step);
    if !is_number(step) {
        let msg = format!("{name} increment `{step}` is not a whole number");
        return fail(step_range, msg, help);
    }
    // Quartz-style bound: a step beyond the field's largest value can't repeat.
    let max = spec.max;
    if !step.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n)) {
        let msg = format!("{name} increment `{step}` must be between 1 and {max}");
        return fail(step_range, msg, help);
    }
    match base {
        "*" => Ok(()),
        _ => check_range_or_value(spec, base, off),
    }
}

fn check_range_or_value(spec: &Spec, item: &str, off: usize) -> Check {
    let Some(dash) = item.find('-') else {
        return check_value(spec, item, off).map(|_| ());
    };
    let (start, end) = (&item[..dash], &item[dash + 1..]);
    if start.is_empty() || end.is_empty() {
        let msg = format!("{} range `{item}` is missing its start or end", spec.name);
        let help = "write ranges as start-end, e.g. `8-17`";
        return fail(span(off, item), msg, help);
    }
    let a = check_value(spec, start, off)?;
    let b = check_value(spec, end, off + dash + 1)?;
    // Cyclic fields may wrap around (AWS documents hours `20-2`); years can't.
    if spec.field == Year && a > b {
        let msg = format!("year range `{item}` runs backwards");
        let help = format!("put the earlier year first: `{end}-{start}`");
        return fail(span(off, item), msg, help);
    }
    Ok(())
}

fn check_value(spec: &Spec, text: &str, off: usize) -> Check<u32> {
    let range = span(off, text);
    let name = spec.name;
    if is_number(text) {
        return match text.parse::<u32>() {
            Ok(n) if (spec.min..=spec.max).contains(&n) => Ok(n),
            _ => {
                let msg = format!("{name} `{text}` is out of range {}", spec.range_text());
                fail(range, msg, spec.out_of_range_help(text))
            }
        };
    }
    if let Some(i) = spec.names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        return Ok(spec.min + i as u32);
    }
    let is_in = |list: &[&str]| list.iter().any(|n| n.eq_ignore_ascii_case(text));
    let help = if spec.field != DayOfWeek && is_in(&DAYS) {
        format!("`{text}` is a day of the week, which belongs in the 5th field. {SHAPE_HELP}")
    } else if spec.field != Month && is_in(&MONTHS) {
        format!("`{text}` is a month, which belongs in the 4th field. {SHAPE_HELP}")
    } else {
        spec.syntax()
    };
    fail(range, format!("{name} `{text}` is not a valid value"), help)
}

/// The `L` / `W` / `#` forms, which fill the whole field.
fn check_special(spec: &Spec, text: &str, off: usize) -> Check {
    let upper = text.to_ascii_uppercase();
    if upper == "L" || (spec.field == DayOfMonth && upper == "LW") {
        return Ok(());
    }
    if upper.starts_with("L-") {
        let msg = format!("{} `{text}` (offset from `L`) isn't supported", spec.name);
        let help = "EventBridge documents `L` only on its own; list the days you want instead";
        return fail(span(off, text), msg, help);
    }
    match spec.field {
        DayOfMonth => check_dom_special(spec, text, off),
        _ => check_dow_special(spec, text, off),
    }
}

fn check_dom_special(spec: &Spec, text: &str, off: usize) -> Check {
    // `15W`: the weekday nearest the 15th; only one day number may precede `W`.
    if let Some(day) = text.strip_suffix(['W', 'w'])
        && is_number(day)
    {
        return check_value(spec, day, off).map(|_| ());
    }
    let msg = format!("day-of-month `{text}` uses `L` or `W` in a way EventBridge doesn't accept");
    let help = "use `L` (last day), `LW` (last weekday) or a day followed by `W` such as `15W` \
                (weekday nearest the 15th), on its own";
    fail(span(off, text), msg, help)
}

fn check_dow_special(spec: &Spec, text: &str, off: usize) -> Check {
    if let Some((day, nth)) = text.split_once('#') {
        check_value(spec, day, off)?;
        if matches!(nth.as_bytes(), [b'1'..=b'5']) {
            return Ok(());
        }
        let msg = format!("day-of-week `{text}` needs an occurrence from 1 to 5 after `#`");
        let help = "`3#2` means the second Tuesday of the month (3 = TUE, 2 = second)";
        let (whole, at_nth) = (span(off, text), span(off + day.len() + 1, nth));
        return fail(if nth.is_empty() { whole } else { at_nth }, msg, help);
    }
    // `6L` / `FRIL`: the last such weekday of the month.
    if let Some(day) = text.strip_suffix(['L', 'l'])
        && !day.is_empty()
        && !day.contains(['L', 'l'])
    {
        return check_value(spec, day, off).map(|_| ());
    }
    let msg = format!("day-of-week `{text}` uses `L` in a way EventBridge doesn't accept");
    let help = "use `L` (last day of the week) or a day followed by `L` such as `6L` \
                (last Friday of the month), on its own";
    fail(span(off, text), msg, help)
}

/// AWS: "If you specify a value or a * in one of the fields, you must use a ? in the other."
fn check_day_pair(fields: &[(usize, &str)], dom: DayKind, dow: DayKind) -> Check {
    let ((dom_off, dom_text), (dow_off, dow_text)) = (fields[2], fields[4]);
    let (dom_range, dow_range) = (span(dom_off, dom_text), span(dow_off, dow_text));
    let both = dom_off..dow_range.end;
    // The user's expression with `?` put into field `idx`, as a ready fix.
    let fixed = |idx: usize| {
        let mut parts: Vec<&str> = fields.iter().map(|f| f.1).collect();
        parts[idx] = "?";
        parts.join(" ")
    };
    let (q_dom, q_dow) = (fixed(2), fixed(4));
    use DayKind::*;
    match (dom, dow) {
        (Question, Question) => {
            let msg = "day-of-month and day-of-week are both `?`".to_string();
            let help = "set one of them, e.g. `*` in day-of-month for every day: `0 18 * * ? *`";
            fail(both, msg, help)
        }
        (Question, _) | (_, Question) => Ok(()),
        (Star, Star) => {
            let msg = "day-of-month and day-of-week are both `*`".to_string();
            let help = format!("EventBridge needs `?` in one of them: `{q_dow}`");
            fail(dow_range, msg, help)
        }
        (Star, Value) => {
            let msg = format!("day-of-month is `*` while day-of-week is set to `{dow_text}`");
            let help = format!("use `?` in day-of-month when day-of-week is set: `{q_dom}`");
            fail(dom_range, msg, help)
        }
        (Value, Star) => {
            let msg = format!("day-of-week is `*` while day-of-month is set to `{dom_text}`");
            let help = format!("use `?` in day-of-week when day-of-month is set: `{q_dow}`");
            fail(dow_range, msg, help)
        }
        (Value, Value) => {
            let msg =
                format!("day-of-month `{dom_text}` and day-of-week `{dow_text}` are both set");
            let help = format!("EventBridge can't combine them; use `{q_dow}` or `{q_dom}`");
            fail(both, msg, help)
        }
    }
}

const UNITS: [(&str, &str); 3] = [("minute", "minutes"), ("hour", "hours"), ("day", "days")];
const RATE_EXAMPLE: &str = "e.g. `rate(5 minutes)`";

/// Checks `rate(value unit)`. AWS: the value is a positive number and the
/// unit is singular for 1, plural otherwise.
pub fn check_rate(value: &str, unit: &str) -> Result<(), ScheduleProblem> {
    let n = check_rate_value(value)?;
    check_rate_unit(n, unit)
}

fn check_rate_value(value: &str) -> Check<u32> {
    if value.is_empty() {
        let help = format!("give a positive whole number, {RATE_EXAMPLE}");
        return rate_fail(false, "rate needs a number".to_string(), help);
    }
    if !is_number(value) {
        let help = match value.starts_with('-') {
            true => format!("the interval must be positive, {RATE_EXAMPLE}"),
            false => "use a positive whole number; for fractions switch to a smaller unit, \
                      e.g. `rate(90 minutes)` instead of 1.5 hours"
                .to_string(),
        };
        let msg = format!("rate value `{value}` is not a positive whole number");
        return rate_fail(false, msg, help);
    }
    match value.parse::<u32>() {
        Ok(0) => {
            let help = format!("use 1 or more, {RATE_EXAMPLE}");
            rate_fail(false, "rate value must be at least 1".to_string(), help)
        }
        Ok(n) => Ok(n),
        Err(_) => {
            let help = format!("the largest value is {}; use a larger unit", u32::MAX);
            rate_fail(false, format!("rate value `{value}` is too large"), help)
        }
    }
}

fn check_rate_unit(n: u32, unit: &str) -> Check {
    let Some(&(one, many)) = UNITS.iter().find(|u| unit == u.0 || unit == u.1) else {
        let msg = format!("`{unit}` is not a rate unit");
        return rate_fail(true, msg, unit_help(n, unit));
    };
    let (right, form) = if n == 1 {
        (one, "singular")
    } else {
        (many, "plural")
    };
    if unit == right {
        return Ok(());
    }
    let msg = format!("`rate({n} {unit})` must use the {form} unit `{right}`");
    let help = format!("EventBridge wants `{one}` for 1, `{many}` otherwise: `rate({n} {right})`");
    rate_fail(true, msg, help)
}

/// Guesses what an unknown unit meant from its first letters, so case slips
/// (`Minutes`), abbreviations (`mins`, `hrs`) and typos (`minuts`) get a fix.
fn unit_help(n: u32, unit: &str) -> String {
    let lower = unit.to_lowercase();
    let word = |i: usize| if n == 1 { UNITS[i].0 } else { UNITS[i].1 };
    let cron = |e: &str| format!("months and years vary in length; use cron instead, e.g. `{e}`");
    match lower.chars().next() {
        _ if lower.starts_with("mo") => cron("cron(0 0 1 * ? *)"),
        Some('m') => format!("write `rate({n} {})`", word(0)),
        Some('h') => format!("write `rate({n} {})`", word(1)),
        Some('d') => format!("write `rate({n} {})`", word(2)),
        Some('w') => match n.checked_mul(7) {
            Some(days) => format!("EventBridge rates have no weeks; use `rate({days} days)`"),
            None => "EventBridge rates have no weeks; use a number of days".to_string(),
        },
        Some('s') => "EventBridge can't run more than once a minute; use `rate(1 minute)`".into(),
        Some('y') => cron("cron(0 0 1 1 ? *)"),
        _ => format!("rate units are minute(s), hour(s) or day(s), {RATE_EXAMPLE}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cron_err(expr: &str) -> ScheduleProblem {
        match check_cron(expr) {
            Err(p) => p,
            Ok(()) => panic!("expected `{expr}` to be rejected"),
        }
    }

    fn rate_err(value: &str, unit: &str) -> ScheduleProblem {
        match check_rate(value, unit) {
            Err(p) => p,
            Ok(()) => panic!("expected `rate({value} {unit})` to be rejected"),
        }
    }

    /// The text the problem's range points at.
    fn spot<'a>(expr: &'a str, p: &ScheduleProblem) -> &'a str {
        &expr[p.range.clone()]
    }

    #[test]
    fn accepts_aws_documented_examples() {
        for expr in [
            "0 10 * * ? *",
            "15 12 * * ? *",
            "0 18 ? * MON-FRI *",
            "0 8 1 * ? *",
            "0/15 * * * ? *",
            "0/10 * ? * MON-FRI *",
            "0/5 8-17 ? * MON-FRI *",
            "0/30 20-2 ? * MON-FRI *",
            "0 12 * * ? *",
            "5,35 14 * * ? *",
            "15 10 ? * 6L 2019-2022",
            "0 9 ? * 2#1 *",
            "0 0 L * ? *",
            "0 0 ? * 6L *",
            "0 8 ? * 3#2 *",
            "0 0 3W * ? *",
            "0 20 * * ? *",
        ] {
            assert_eq!(check_cron(expr), Ok(()), "{expr}");
        }
    }

    #[test]
    fn accepts_other_valid_forms() {
        for expr in [
            "*/5 * * * ? *",
            "5-30/5 * * * ? *",
            "0 0 1/5 * ? *",
            "0 0 ? JAN,MAR,SEP MON-FRI 2002-2010",
            "0 0 ? jan-mar mon-fri *",
            "0 0 ? * sun *",
            "0 0 ? * FRI-MON *",
            "0 0 LW * ? *",
            "0 0 lw * ? *",
            "0 0 15w * ? *",
            "0 0 ? * L *",
            "0 0 ? * FRIL *",
            "0 0 ? * MON#5 *",
            "0 0 1 */3 ? *",
            "0 0 1 JAN/3 ? *",
            "0 0 * * ? 2030/2",
            "  0   10 * * ?   * ",
            "0\t10\t*\t*\t?\t*",
            "1,2,3-5,10/20 0 * * ? *",
            "00 09 01 01 ? 1970",
            "59 23 31 12 ? 2199",
        ] {
            assert_eq!(check_cron(expr), Ok(()), "{expr}");
        }
    }

    #[test]
    fn wrong_field_count_covers_whole_string() {
        let p = cron_err("0 18 * * *");
        assert_eq!(p.range, 0..10);
        assert!(p.message.contains("5 fields"), "{}", p.message);
        assert!(p.help.contains("Unix cron") && p.help.contains("`0 18 * * ? *`"));
        let p = cron_err("0 0 18 * * ? *");
        assert!(p.help.contains("seconds"));
        assert_eq!(cron_err("").message, "cron expression is empty");
        assert_eq!(cron_err("   ").range, 0..3);
        assert!(cron_err("0").message.contains("1 field,"));
    }

    #[test]
    fn out_of_range_values_point_at_the_value() {
        let cases = [
            ("60 * * * ? *", "60", "minutes `60` is out of range 0-59"),
            ("0 24 * * ? *", "24", "hours `24` is out of range 0-23"),
            (
                "0 0 32 * ? *",
                "32",
                "day-of-month `32` is out of range 1-31",
            ),
            ("0 0 0 * ? *", "0", "day-of-month `0` is out of range 1-31"),
            (
                "0 0 1 13 ? *",
                "13",
                "month `13` is out of range 1-12 (or JAN-DEC)",
            ),
            (
                "0 0 ? * 8 *",
                "8",
                "day-of-week `8` is out of range 1-7 (or SUN-SAT)",
            ),
            (
                "0 0 * * ? 1969",
                "1969",
                "year `1969` is out of range 1970-2199",
            ),
            (
                "0 0 * * ? 2200",
                "2200",
                "year `2200` is out of range 1970-2199",
            ),
            ("0 8-25 * * ? *", "25", "hours `25` is out of range 0-23"),
            ("1,99 * * * ? *", "99", "minutes `99` is out of range 0-59"),
        ];
        for (expr, at, message) in cases {
            let p = cron_err(expr);
            assert_eq!(p.message, message, "{expr}");
            assert_eq!(spot(expr, &p), at, "{expr}");
            assert!(!p.on_unit);
        }
    }

    #[test]
    fn sunday_zero_gets_unix_hint() {
        let p = cron_err("0 0 ? * 0 *");
        assert!(p.help.contains("`SUN`"), "{}", p.help);
    }

    #[test]
    fn huge_numbers_do_not_panic() {
        let expr = "99999999999999999999 * * * ? *";
        let p = cron_err(expr);
        assert_eq!(spot(expr, &p), "99999999999999999999");
        let expr = "0/99999999999999999999 * * * ? *";
        assert!(cron_err(expr).message.contains("increment"));
        let expr = "0 0 ? * 2#99999999999999999999 *";
        assert!(cron_err(expr).message.contains("1 to 5"));
    }

    #[test]
    fn invalid_values_and_misplaced_names() {
        let expr = "0 0 ? MON * *";
        let p = cron_err(expr);
        assert_eq!(p.message, "month `MON` is not a valid value");
        assert!(p.help.contains("5th field"));
        let p = cron_err("0 0 ? * JAN *");
        assert!(p.help.contains("4th field"));
        let expr = "0 x * * ? *";
        let p = cron_err(expr);
        assert_eq!(spot(expr, &p), "x");
        assert!(p.help.contains("hours takes 0-23"));
        let expr = "0 0 ? * MONDAY *";
        assert_eq!(spot(expr, &cron_err(expr)), "MONDAY");
        let expr = "0 0 5 * ? -1";
        assert!(cron_err(expr).message.contains("missing its start"));
    }

    #[test]
    fn question_mark_outside_day_fields() {
        let expr = "? 0 * * ? *";
        let p = cron_err(expr);
        assert_eq!(p.message, "`?` is not allowed in minutes");
        assert_eq!(p.range, 0..1);
        let p = cron_err("0 0 1,? * ? *");
        assert!(p.message.contains("can't be combined"));
    }

    #[test]
    fn day_fields_must_have_exactly_one_question_mark() {
        let expr = "0 18 * * MON-FRI *";
        let p = cron_err(expr);
        assert_eq!(spot(expr, &p), "*");
        assert_eq!(p.range, 5..6);
        assert!(
            p.help
                .contains("use `?` in day-of-month when day-of-week is set")
        );
        assert!(p.help.contains("`0 18 ? * MON-FRI *`"));

        let expr = "0 8 1 * * *";
        let p = cron_err(expr);
        assert_eq!(p.range, 8..9);
        assert!(p.help.contains("`0 8 1 * ? *`"));

        let p = cron_err("0 0 * * * *");
        assert!(p.message.contains("both `*`"));

        let expr = "0 0 ? * ? *";
        let p = cron_err(expr);
        assert!(p.message.contains("both `?`"));
        assert_eq!(spot(expr, &p), "? * ?");

        let expr = "0 0 1 * MON *";
        let p = cron_err(expr);
        assert!(p.message.contains("`1` and day-of-week `MON` are both set"));
        assert_eq!(spot(expr, &p), "1 * MON");
    }

    #[test]
    fn field_errors_come_before_day_pair_error() {
        let p = cron_err("0 25 * * MON *");
        assert!(p.message.starts_with("hours"));
    }

    #[test]
    fn increments() {
        let expr = "0/0 * * * ? *";
        let p = cron_err(expr);
        assert_eq!(p.message, "minutes increment `0` must be between 1 and 59");
        assert_eq!(spot(expr, &p), "0");
        let expr = "0/75 * * * ? *";
        assert_eq!(spot(expr, &cron_err(expr)), "75");
        let p = cron_err("0/ * * * ? *");
        assert!(p.message.contains("no increment"));
        let p = cron_err("0/x * * * ? *");
        assert!(p.message.contains("not a whole number"));
        let p = cron_err("/5 * * * ? *");
        assert!(p.message.contains("no start"));
        let p = cron_err("0/5/2 * * * ? *");
        assert!(p.message.contains("`5/2`"));
        let expr = "0 0 ? * MON/2 *";
        let p = cron_err(expr);
        assert!(p.message.contains("doesn't allow there"));
        assert_eq!(spot(expr, &p), "MON/2");
        let expr = "70/5 * * * ? *";
        assert_eq!(spot(expr, &cron_err(expr)), "70");
    }

    #[test]
    fn ranges() {
        let expr = "0 0 * * ? 2025-2020";
        let p = cron_err(expr);
        assert_eq!(p.message, "year range `2025-2020` runs backwards");
        assert!(p.help.contains("`2020-2025`"));
        assert_eq!(spot(expr, &p), "2025-2020");
        let p = cron_err("0 8- * * ? *");
        assert!(p.message.contains("missing its start or end"));
        let expr = "0 1-2-3 * * ? *";
        assert_eq!(spot(expr, &cron_err(expr)), "2-3");
    }

    #[test]
    fn empty_list_entries() {
        let expr = "1,,2 * * * ? *";
        let p = cron_err(expr);
        assert!(p.message.contains("empty entry"));
        assert_eq!(spot(expr, &p), "1,,2");
        assert!(cron_err("1, * * * ? *").message.contains("empty entry"));
        assert!(
            cron_err("*,5 * * * ? *")
                .message
                .contains("can't be combined")
        );
    }

    #[test]
    fn last_and_weekday_wildcards() {
        let expr = "0 0 L * ? *";
        assert_eq!(check_cron(expr), Ok(()));
        for (expr, at) in [
            ("0 0 L-2 * ? *", "L-2"),
            ("0 0 ? * L-2 *", "L-2"),
            ("0 0 W * ? *", "W"),
            ("0 0 1-5W * ? *", "1-5W"),
            ("0 0 32W * ? *", "32"),
            ("0 0 ? * 8L *", "8"),
            ("0 0 ? * LL *", "LL"),
            ("0 0 ? * 6W *", "6W"),
            ("L 0 * * ? *", "L"),
            ("0 0 * L ? *", "L"),
        ] {
            let p = cron_err(expr);
            assert_eq!(spot(expr, &p), at, "{expr}: {}", p.message);
        }
        let expr = "0 0 1,L * ? *";
        let p = cron_err(expr);
        assert!(p.message.contains("can't be combined"));
        assert_eq!(spot(expr, &p), "L");
    }

    #[test]
    fn hash_wildcard() {
        let expr = "0 0 ? * 3#6 *";
        let p = cron_err(expr);
        assert_eq!(spot(expr, &p), "6");
        assert!(p.help.contains("second Tuesday"));
        let expr = "0 0 ? * 3#1,6#3 *";
        let p = cron_err(expr);
        assert_eq!(spot(expr, &p), "3#1,6#3");
        assert!(p.help.contains("only one expression"));
        let expr = "0 0 ? * 9#1 *";
        assert_eq!(spot(expr, &cron_err(expr)), "9");
        let expr = "0 0 ? * 2# *";
        assert_eq!(spot(expr, &cron_err(expr)), "2#");
        let expr = "0 0 3#2 * ? *";
        assert_eq!(spot(expr, &cron_err(expr)), "3#2");
    }

    #[test]
    fn unicode_never_panics_and_ranges_stay_on_char_boundaries() {
        for expr in [
            "é * * * ? *",
            "0 0 ? * MÖN *",
            "0\u{a0}0 * * ? *",
            "0 0 ? * 2#é *",
            "0 0 ? * éL *",
            "0 0 éW * ? *",
            "0/é * * * ? *",
            "日本 語 * * ? *",
            "0 0 * * ? 2020-日本",
        ] {
            let p = cron_err(expr);
            assert!(expr.get(p.range.clone()).is_some(), "{expr}: {:?}", p.range);
        }
    }

    #[test]
    fn fuzz_like_inputs_never_panic() {
        let atoms = [
            "", "*", "?", "L", "W", "#", "/", "-", ",", "0", "7", "60", "é", "MON", "JAN", "LW",
            " ",
        ];
        for a in atoms {
            for b in atoms {
                for c in atoms {
                    let expr = format!("{a}{b}{c} {b}{a} {c}{a}{b} * {a}{c} {b}");
                    let _ = check_cron(&expr);
                    let _ = check_rate(&format!("{a}{b}"), &format!("{c}{a}"));
                }
            }
        }
    }

    #[test]
    fn rate_accepts_documented_forms() {
        for (v, u) in [
            ("1", "minute"),
            ("5", "minutes"),
            ("1", "hour"),
            ("12", "hours"),
            ("1", "day"),
            ("7", "days"),
        ] {
            assert_eq!(check_rate(v, u), Ok(()), "rate({v} {u})");
        }
        assert_eq!(check_rate("4294967295", "days"), Ok(()));
    }

    #[test]
    fn rate_singular_plural() {
        let p = rate_err("1", "days");
        assert!(p.on_unit);
        assert_eq!(p.range, 0..0);
        assert!(p.message.contains("singular"));
        assert!(p.help.contains("`rate(1 day)`"));
        let p = rate_err("5", "day");
        assert!(p.message.contains("plural"));
        assert!(p.help.contains("`rate(5 days)`"));
        assert!(rate_err("1", "hours").help.contains("`rate(1 hour)`"));
        assert!(rate_err("2", "minute").help.contains("`rate(2 minutes)`"));
    }

    #[test]
    fn rate_bad_values() {
        for v in ["0", "00", "", "-5", "1.5", "five", "+3", "١"] {
            let p = rate_err(v, "minutes");
            assert!(!p.on_unit, "{v}");
            assert_eq!(p.range, 0..0);
        }
        assert!(rate_err("0", "minutes").message.contains("at least 1"));
        assert!(rate_err("-5", "minutes").help.contains("positive"));
        assert!(rate_err("1.5", "hours").help.contains("90 minutes"));
        let p = rate_err("99999999999999999999", "days");
        assert!(p.message.contains("too large"));
        assert!(!p.on_unit);
        assert!(rate_err("4294967296", "days").message.contains("too large"));
    }

    #[test]
    fn rate_unknown_units_get_suggestions() {
        let cases = [
            ("5", "mins", "`rate(5 minutes)`"),
            ("1", "mins", "`rate(1 minute)`"),
            ("2", "hrs", "`rate(2 hours)`"),
            ("3", "Days", "`rate(3 days)`"),
            ("1", "MINUTE", "`rate(1 minute)`"),
            ("10", "minuts", "`rate(10 minutes)`"),
            ("1", "week", "`rate(7 days)`"),
            ("2", "weeks", "`rate(14 days)`"),
            ("30", "seconds", "`rate(1 minute)`"),
            ("1", "month", "cron(0 0 1 * ? *)"),
            ("1", "year", "cron(0 0 1 1 ? *)"),
            ("1", "fortnight", "minute(s), hour(s) or day(s)"),
            ("1", "", "minute(s), hour(s) or day(s)"),
            ("1", "分钟", "minute(s), hour(s) or day(s)"),
        ];
        for (v, u, want) in cases {
            let p = rate_err(v, u);
            assert!(p.on_unit, "{u}");
            assert!(p.help.contains(want), "rate({v} {u}): {}", p.help);
        }
        assert_eq!(rate_err("5", "mins").message, "`mins` is not a rate unit");
        let p = rate_err("4294967295", "weeks");
        assert!(p.help.contains("number of days"));
    }

    #[test]
    fn value_is_checked_before_unit() {
        let p = rate_err("0", "weeks");
        assert!(!p.on_unit);
    }
}
