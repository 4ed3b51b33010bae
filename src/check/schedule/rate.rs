//! EventBridge rate expressions: `rate(N unit)`.

use super::{Check, ScheduleProblem, is_number, rate_fail};

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
