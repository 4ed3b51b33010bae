//! EventBridge cron expressions: six fields, their ranges and wildcards.

use std::ops::Range;

use super::{Check, ScheduleProblem, fail, is_number, span};

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
