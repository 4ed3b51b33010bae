//! Validation of EventBridge schedule expressions: `schedule cron("...")` and
//! `schedule rate(N unit)`.
//!
//! Rules follow the Amazon EventBridge user guide ("Cron expressions reference"
//! and "Rate expressions reference"). Where the guide is silent we reject with
//! a clear message rather than let a bad schedule fail at deploy time; the one
//! exception is `LW`, which AWS accepts in practice.

use std::ops::Range;

mod cron;
mod rate;
#[cfg(test)]
mod tests;

pub use cron::check_cron;
pub use rate::check_rate;

/// A problem in a schedule expression. `range` is a byte range *within the cron string* (for cron) or
/// 0..0 for rate problems where `on_unit` says whether it concerns the unit word (true) or the number (false).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleProblem {
    pub message: String,
    pub help: String,
    pub range: Range<usize>,
    pub on_unit: bool,
}

pub(super) type Check<T = ()> = Result<T, ScheduleProblem>;

/// A cron problem; `range` is in bytes within the cron string.
pub(super) fn fail<T>(range: Range<usize>, message: String, help: impl Into<String>) -> Check<T> {
    let (help, on_unit) = (help.into(), false);
    Err(ScheduleProblem {
        message,
        help,
        range,
        on_unit,
    })
}

/// A rate problem; rate problems carry no range, only which part is wrong.
pub(super) fn rate_fail<T>(on_unit: bool, message: String, help: impl Into<String>) -> Check<T> {
    fail(0..0, message, help).map_err(|p| ScheduleProblem { on_unit, ..p })
}

pub(super) fn span(off: usize, text: &str) -> Range<usize> {
    off..off + text.len()
}

pub(super) fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}
